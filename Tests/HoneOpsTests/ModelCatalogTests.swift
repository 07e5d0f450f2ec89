import Foundation
import HoneCore
import HoneLinearAlgebra
import HonePipeline
import HoneTrees
import HoneTuning
import Testing

@testable import HoneOps

@Suite("Model catalog")
struct ModelCatalogTests {
  static let supported: [(ModelKind, PredictionTask)] = ModelKind.allCases.flatMap { kind in
    PredictionTask.allCases.filter { kind.supports($0) }.map { (kind, $0) }
  }

  static let unsupported: [(ModelKind, PredictionTask)] = ModelKind.allCases.flatMap { kind in
    PredictionTask.allCases.filter { !kind.supports($0) }.map { (kind, $0) }
  }

  /// The estimators the catalog promises, written out independently of its code.
  static let expectedEstimators: [String: String] = [
    "gbdt/classification": "GradientBoostingClassifier", "gbdt/regression": "GradientBoostingRegressor",
    "ols/regression": "LinearRegression", "ridge/regression": "Ridge", "lasso/regression": "Lasso",
    "elasticnet/regression": "ElasticNet", "logistic/classification": "LogisticRegression",
    "mlp/classification": "MLPClassifier", "mlp/regression": "MLPRegressor",
  ]

  @Test func entriesCoverEverySupportedPairWithTheDocumentedEstimator() throws {
    #expect(ModelCatalog.entries.count == Self.expectedEstimators.count)
    for entry in ModelCatalog.entries {
      #expect(Self.expectedEstimators["\(entry.kind.rawValue)/\(entry.task.rawValue)"] == entry.estimatorName)
    }
  }

  @Test func everySpaceValidatesAndNamesRealHyperparameters() throws {
    for entry in ModelCatalog.entries {
      try entry.searchSpace.validate()
      for name in entry.searchSpace.parameterNames {
        #expect(entry.hyperparameterNames.contains(name), "\(entry.kind): `\(name)` is not a hyperparameter")
        #expect(entry.defaultHyperparameters[name] != nil, "\(entry.kind): `\(name)` has no default")
      }
      #expect(entry.searchSpace.dimensions.isEmpty == (entry.kind == .ols), "\(entry.kind)")
    }
  }

  @Test func hyperparameterNamesAnswerPerKindAndTask() throws {
    #expect(ModelCatalog.hyperparameterNames(.ridge, .classification) == nil)
    let ridge = try #require(ModelCatalog.hyperparameterNames(.ridge, .regression))
    #expect(ridge == ["alpha", "fitIntercept", "standardize", "solver"])
    let mlp = try #require(ModelCatalog.hyperparameterNames(.mlp, .classification))
    // `gradientClipNorm` and `classCount` are nil by default, so absent from the JSON.
    #expect(mlp.isSuperset(of: ["hiddenLayers", "dropout", "weightDecay", "gradientClipNorm", "classCount"]))
  }

  @Test func theGBDTSpaceIsTheDocumentedOne() throws {
    let space = try ModelCatalog.entry(.gbdt, task: .classification).searchSpace
    #expect(
      space.dimensions == [
        .init("learningRate", .float(low: 0.01, high: 0.3, log: true, step: nil)),
        .init("maxLeaves", .int(low: 8, high: 256, log: true, step: 1)),
        .init("minDataInLeaf", .int(low: 5, high: 200, log: true, step: 1)),
        .init("columnSubsample", .float(low: 0.5, high: 1, log: false, step: nil)),
        .init("rowSubsample", .float(low: 0.5, high: 1, log: false, step: nil)),
        .init("l2", .float(low: 1e-3, high: 10, log: true, step: nil)),
      ])
  }

  @Test(arguments: supported)
  func everyKindAndTaskFitsATinyTable(kind: ModelKind, task: PredictionTask) throws {
    let table = try TestTables.mixed()
    let entry = try ModelCatalog.entry(kind, task: task)
    let target = task == .regression ? "y" : "label"
    let other = task == .regression ? "label" : "y"
    let steps = try entry.preprocessing(for: table, excluding: [target, other])
    let model = try entry.estimator(preprocessing: steps).fit(table, target: target)
    let predictions = try model.predict(table)
    #expect(predictions.count == table.rowCount)
    #expect(predictions.allSatisfy { $0.isFinite })
    if task == .classification {
      #expect(predictions.allSatisfy { $0 == 0 || $0 == 1 })
      let p = try #require(try model.predictProbabilities(table))
      for row in 0..<p.rows { #expect(abs(p[row, 0] + p[row, 1] - 1) < 1e-6) }
      #expect(model.classes == [0, 1])
    } else {
      #expect(try model.predictProbabilities(table) == nil)
    }
    #expect(model.kind.hasPrefix("pipeline/"))
  }

  @Test(arguments: unsupported)
  func unsupportedTasksAreRefusedByName(kind: ModelKind, task: PredictionTask) {
    let error = #expect(throws: ModelCatalogError.self) { try ModelCatalog.entry(kind, task: task) }
    #expect(error?.message.contains("`\(kind.rawValue)`") == true)
    #expect(error?.message.contains(task.rawValue) == true)
  }

  /// A random draw from every space is a valid configuration of its model, and fits.
  @Test(arguments: supported)
  func aSampleFromTheSpaceApplies(kind: ModelKind, task: PredictionTask) throws {
    let entry = try ModelCatalog.entry(kind, task: task)
    let study = Study(sampler: RandomSampler(seed: 9))
    let trial = try study.ask()
    let sample = try entry.searchSpace.suggest(on: trial)
    #expect(Set(sample.keys) == Set(entry.searchSpace.parameterNames))
    let resolved = try entry.hyperparameters(tuned: sample)
    for (name, value) in sample {
      switch (value, resolved[name]) {
      case (.double(let x), .number(let y)?): #expect(x == y, "\(name)")
      case (.double(let x), .integer(let y)?): #expect(x == Double(y), "\(name)")
      case (.int(let x), .integer(let y)?): #expect(Int64(x) == y, "\(name)")
      case (.string(let x), let y?): #expect(y.text == x, "\(name)")
      default: Issue.record("\(name): \(value) became \(String(describing: resolved[name]))")
      }
    }
    let table = try TestTables.mixed()
    let target = task == .regression ? "y" : "label"
    let steps = try entry.preprocessing(for: table, excluding: ["y", "label"])
    let fixed = kind == .mlp ? ["epochs": "3"] : [:]
    _ = try entry.estimator(tuned: sample, fixed: fixed, preprocessing: steps).fit(table, target: target)
  }

  @Test("gbdt splits the ordinal-encoded categorical columns natively")
  func gbdtCategoricalColumns() throws {
    let table = try TestTables.mixed(rows: 400)
    let entry = try ModelCatalog.entry(.gbdt, task: .regression)
    let steps = try entry.preprocessing(for: table, excluding: ["y", "label"])
    #expect(CatalogEntry.ordinalEncodedColumns(steps) == ["color"])
    let fitted = try entry.estimator(fixed: ["minDataPerGroup": "10", "rounds": "20"], preprocessing: steps)
      .fit(table, target: "y")
    let pipeline = try #require(fitted.base as? PipelineModel<GradientBoostingModel>)
    #expect(pipeline.model.hyperparameters.categoricalFeatures == ["color"])
    // The hyperparameters a run records for the model are those it fitted with.
    let recorded = try entry.hyperparameters(fixed: ["minDataPerGroup": "10", "rounds": "20"], preprocessing: steps)
    #expect(recorded["categoricalFeatures"] == .array([.string("color")]))
    let color = try #require(pipeline.featureNames.firstIndex(of: "color"))
    // `red` adds 1 to the target, so some tree splits `color` as a category set.
    #expect(pipeline.model.trees.contains { $0.nodes.contains { $0.isCategorical && Int($0.feature) == color } })
    // A name given explicitly wins over the preprocessing's.
    let explicit = try entry.estimator(fixed: ["categoricalFeatures": "x2", "rounds": "2"], preprocessing: steps)
      .fit(table, target: "y")
    let explicitModel = try #require(explicit.base as? PipelineModel<GradientBoostingModel>)
    #expect(explicitModel.model.hyperparameters.categoricalFeatures == ["x2"])
  }

  @Test func preprocessingFollowsTheKind() throws {
    let table = try TestTables.mixed()
    let gbdt = try ModelCatalog.entry(.gbdt, task: .regression).preprocessing(for: table, excluding: ["y", "label"])
    let ridge = try ModelCatalog.entry(.ridge, task: .regression).preprocessing(for: table, excluding: ["y", "label"])
    guard case .columns(let trees) = gbdt.first, case .columns(let linear) = ridge.first else {
      Issue.record("expected one column transformer each")
      return
    }
    #expect(!trees.passthroughRemainder && !linear.passthroughRemainder)
    #expect(trees.branches.map(\.columns) == [.names(["x1", "x2"]), .names(["color"])])
    #expect(trees.branches[0].steps.isEmpty)
    #expect(trees.branches[1].steps == [.ordinalEncoder(.init(handleUnknown: .ignore))])
    #expect(linear.branches[0].steps == [.imputer(.init(strategy: .mean)), .standardScaler(.init())])
    #expect(
      linear.branches[1].steps == [
        .imputer(.init(strategy: .mostFrequent)), .oneHotEncoder(.init(handleUnknown: .ignore)),
      ])
    // Trees keep the missing value as NaN; linear models see it imputed with the mean.
    let transformed = try Pipeline(gbdt, Dummy()).fit(table, target: "y").transform(try table.dropping(["y", "label"]))
    #expect(try transformed.column(named: "x1").doubleValues[3].isNaN)
    #expect(transformed.columnNames == ["x1", "x2", "color"])
    #expect(throws: ModelCatalogError.self) {
      try ModelCatalog.entry(.ridge, task: .regression).preprocessing(
        for: table, excluding: ["x1", "x2", "color", "y", "label"])
    }
  }

  @Test func aSavedPipelineLoadsBackAndPredictsTheSame() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-catalog-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let table = try TestTables.mixed()
    for kind in [ModelKind.gbdt, .logistic] {
      let entry = try ModelCatalog.entry(kind, task: .classification)
      let model = try entry.estimator(preprocessing: try entry.preprocessing(for: table, excluding: ["y", "label"]))
        .fit(table, target: "label")
      let path = folder.appendingPathComponent("\(kind).hone").path
      try model.save(to: path, metadata: ["target": "label"])
      guard case .pipeline(let loaded) = try ModelCatalog.load(from: path) else {
        Issue.record("\(kind): expected a pipeline")
        continue
      }
      #expect(loaded.kind == model.kind)
      #expect(try loaded.predict(table) == (try model.predict(table)))
    }
    let bogus = folder.appendingPathComponent("bogus.hone").path
    try "not a model\n".write(toFile: bogus, atomically: true, encoding: .utf8)
    #expect(throws: (any Error).self) { try ModelCatalog.load(from: bogus) }
  }
}

/// An estimator that predicts zero, to look at a pipeline's steps alone.
private struct Dummy: Estimator {
  struct Fitted: Model {
    static let kind = "dummy"
    let featureCount: Int
    func predict(_ features: Matrix) throws -> [Double] { [Double](repeating: 0, count: features.rows) }
  }
  var hyperparameters: [String: Double] { [:] }
  func fit(_ data: Dataset) throws -> Fitted { Fitted(featureCount: data.features.columns) }
}
