import ArgumentParser
import Foundation
import Hone

/// The model kinds `hone train` can fit and `hone predict` can load, by name.
///
/// Each entry fits from a dataset and `--param` overrides, and loads its model kind from
/// a model file. (The pipeline layer's catalog will take this over.)
enum ModelCatalog {
  /// A fitted model the command line can use without knowing its type.
  struct Fitted {
    let model: any Model
    let hyperparameters: String
    let diagnostics: FitDiagnostics?
    let save: (String, [String: String]) throws -> Void
  }

  /// The names `--model` accepts.
  static let names = [
    "ols", "ridge", "ridgecv", "lasso", "elasticnet", "logistic", "mlp", "mlpregressor", "gbdt", "gbdtregressor",
  ]

  /// Fits the named model.
  static func fit(_ name: String, data: Dataset, parameters: [String]) throws -> Fitted {
    switch name {
    case "ols":
      let estimator = LinearRegression(try applyOverrides(parameters, to: LinearRegression.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "ridge":
      let estimator = Ridge(try applyOverrides(parameters, to: Ridge.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "ridgecv":
      let estimator = RidgeCV(try applyOverrides(parameters, to: RidgeCV.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "lasso":
      let estimator = Lasso(try applyOverrides(parameters, to: Lasso.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "elasticnet":
      let estimator = ElasticNet(try applyOverrides(parameters, to: ElasticNet.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "logistic":
      let estimator = LogisticRegression(try applyOverrides(parameters, to: LogisticRegression.Hyperparameters()))
      let model = try estimator.fit(data)
      return Fitted(
        model: model, hyperparameters: describeHyperparameters(estimator.hyperparameters),
        diagnostics: model.diagnostics,
        save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
    case "mlp":
      let estimator = MLPClassifier(try applyOverrides(parameters, to: MLPHyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "mlpregressor":
      let estimator = MLPRegressor(try applyOverrides(parameters, to: MLPHyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "gbdt":
      let estimator = GradientBoostingClassifier(
        try applyOverrides(parameters, to: GradientBoostingHyperparameters()))
      return wrap(try estimator.fit(data))
    case "gbdtregressor":
      let estimator = GradientBoostingRegressor(try applyOverrides(parameters, to: GradientBoostingHyperparameters()))
      return wrap(try estimator.fit(data))
    default:
      throw ValidationError("unknown model `\(name)`; choose one of \(names.joined(separator: ", "))")
    }
  }

  /// Loads a model file of any known kind.
  static func load(_ path: String) throws -> any Model {
    let header = try ModelFile.header(at: path)
    switch header.kind {
    case LinearModel.kind: return try ModelFile.load(LinearModel.self, from: path)
    case LogisticModel.kind: return try ModelFile.load(LogisticModel.self, from: path)
    case LightGBMModel.kind: return try ModelFile.load(LightGBMModel.self, from: path)
    case XGBoostModel.kind: return try ModelFile.load(XGBoostModel.self, from: path)
    case MLPModel.kind: return try ModelFile.load(MLPModel.self, from: path)
    case GradientBoostingModel.kind: return try ModelFile.load(GradientBoostingModel.self, from: path)
    default:
      throw ValidationError("\(path) holds a `\(header.kind)` model, which this version of hone cannot load")
    }
  }

  /// A network's training summarised in the linear models' diagnostics shape the
  /// command prints: the optimiser as the solver, epochs as iterations, the last
  /// training loss as the objective.
  private static func wrap(_ model: MLPModel, _ hyperparameters: MLPHyperparameters) -> Fitted {
    let d = model.diagnostics
    var warnings = d.warnings
    if d.stopReason != .epochLimit {
      warnings.append(
        "training stopped at epoch \(d.epochsRun) (\(d.stopReason.rawValue)); kept epoch \(d.selectedEpoch)")
    }
    let diagnostics = FitDiagnostics(
      solver: hyperparameters.optimizer.rawValue, iterations: d.epochsRun, converged: true,
      objective: d.history.last?.trainLoss, warnings: warnings)
    return Fitted(
      model: model, hyperparameters: describeHyperparameters(hyperparameters), diagnostics: diagnostics,
      save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
  }

  /// Boosting summarised in the diagnostics shape the command prints: trees as
  /// iterations, the last recorded loss as the objective.
  private static func wrap(_ model: GradientBoostingModel) -> Fitted {
    let last = model.history.last
    var warnings: [String] = []
    if let best = model.bestIteration {
      warnings.append("early stopping kept \(best) of \(model.history.count) rounds")
    }
    let diagnostics = FitDiagnostics(
      solver: "gbdt", iterations: model.trees.count, converged: true,
      objective: last?.validationLoss ?? last?.trainingLoss, warnings: warnings)
    return Fitted(
      model: model, hyperparameters: describeHyperparameters(model.hyperparameters), diagnostics: diagnostics,
      save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
  }

  private static func wrap(_ model: LinearModel, _ hyperparameters: some Encodable) -> Fitted {
    Fitted(
      model: model, hyperparameters: describeHyperparameters(hyperparameters), diagnostics: model.diagnostics,
      save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
  }
}
