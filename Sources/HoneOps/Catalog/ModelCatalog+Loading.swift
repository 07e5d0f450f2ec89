import HoneCore
import HoneLinear
import HoneNeural
import HonePipeline
import HoneTrees

/// What a model file holds: a model over a feature matrix, or a fitted pipeline over a
/// table.
public enum LoadedModel: Sendable {
  /// A model fitted on a feature matrix (`hone train`, `hone import`); the file's
  /// `features` metadata names its columns.
  case model(any Model)
  /// A fitted pipeline (`hone tune --out`, `hone run`) that reads the table itself.
  case pipeline(AnyTableModel)
}

extension ModelCatalog {
  /// Loads a model file of any kind Hone writes, checking its header and checksum.
  ///
  /// - Parameter path: The model file.
  /// - Returns: The model, or the fitted pipeline.
  /// - Throws: `ModelFileError` for a damaged file, ``ModelCatalogError`` for a kind this
  ///   version cannot load.
  public static func load(from path: String) throws -> LoadedModel {
    let header = try ModelFile.header(at: path)
    if let model = try loadModel(kind: header.kind, path: path) { return .model(model) }
    if header.kind.hasPrefix("pipeline/"),
      let model = try loadPipeline(kind: String(header.kind.dropFirst("pipeline/".count)), path: path)
    {
      return .pipeline(model)
    }
    let known = (plainKinds + plainKinds.map { "pipeline/" + $0 }).joined(separator: ", ")
    throw ModelCatalogError(
      "\(path) holds a `\(header.kind)` model, which this version of Hone cannot load; it loads \(known)")
  }

  private static let plainKinds = [
    LinearModel.kind, LogisticModel.kind, MLPModel.kind, GradientBoostingModel.kind, LightGBMModel.kind,
    XGBoostModel.kind,
  ]

  private static func loadModel(kind: String, path: String) throws -> (any Model)? {
    switch kind {
    case LinearModel.kind: return try ModelFile.load(LinearModel.self, from: path)
    case LogisticModel.kind: return try ModelFile.load(LogisticModel.self, from: path)
    case LightGBMModel.kind: return try ModelFile.load(LightGBMModel.self, from: path)
    case XGBoostModel.kind: return try ModelFile.load(XGBoostModel.self, from: path)
    case MLPModel.kind: return try ModelFile.load(MLPModel.self, from: path)
    case GradientBoostingModel.kind: return try ModelFile.load(GradientBoostingModel.self, from: path)
    default: return nil
    }
  }

  private static func loadPipeline(kind: String, path: String) throws -> AnyTableModel? {
    func load<M: Model>(_: M.Type) throws -> AnyTableModel {
      AnyTableModel(try ModelFile.load(PipelineModel<M>.self, from: path))
    }
    switch kind {
    case LinearModel.kind: return try load(LinearModel.self)
    case LogisticModel.kind: return try load(LogisticModel.self)
    case LightGBMModel.kind: return try load(LightGBMModel.self)
    case XGBoostModel.kind: return try load(XGBoostModel.self)
    case MLPModel.kind: return try load(MLPModel.self)
    case GradientBoostingModel.kind: return try load(GradientBoostingModel.self)
    default: return nil
    }
  }
}
