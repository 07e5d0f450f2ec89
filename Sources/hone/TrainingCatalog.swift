import ArgumentParser
import Foundation
import Hone

/// The models `hone train` fits on a feature matrix, by `--model` name.
///
/// `hone train` keeps its own names (`ridgecv`, `gbdtregressor`, …) because it fits one
/// estimator on a matrix; `hone tune` takes HoneOps' ``ModelCatalog`` kinds with their
/// preprocessing. Loading model files lives in ``ModelCatalog/load(from:)``.
enum TrainingCatalog {
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
  ///
  /// - Parameters:
  ///   - validation: Named held-out sets, scored every round (boosted trees only).
  ///   - logging: Every how many rounds a progress line is printed, if at all; boosting
  ///     then scores the training rows on those rounds unless `recordTrainingLoss` is set.
  ///   - onRound: Called after every boosting round.
  static func fit(
    _ name: String, data: Dataset, parameters: [String], validation: [ValidationSet] = [], logging: Int? = nil,
    onRound: ((BoostingRound) -> BoostingControl)? = nil
  ) throws -> Fitted {
    if !validation.isEmpty && !["gbdt", "gbdtregressor"].contains(name) {
      throw ValidationError("--valid scores boosted trees every round; `\(name)` does not take validation sets")
    }
    switch name {
    case "ols":
      let estimator = LinearRegression(
        try HyperparameterOverrides.apply(commandLine: parameters, to: LinearRegression.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "ridge":
      let estimator = Ridge(try HyperparameterOverrides.apply(commandLine: parameters, to: Ridge.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "ridgecv":
      let estimator = RidgeCV(try HyperparameterOverrides.apply(commandLine: parameters, to: RidgeCV.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "lasso":
      let estimator = Lasso(try HyperparameterOverrides.apply(commandLine: parameters, to: Lasso.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "elasticnet":
      let estimator = ElasticNet(
        try HyperparameterOverrides.apply(commandLine: parameters, to: ElasticNet.Hyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "logistic":
      let estimator = LogisticRegression(
        try HyperparameterOverrides.apply(commandLine: parameters, to: LogisticRegression.Hyperparameters()))
      let model = try estimator.fit(data)
      return Fitted(
        model: model, hyperparameters: HyperparameterOverrides.describe(estimator.hyperparameters),
        diagnostics: model.diagnostics,
        save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
    case "mlp":
      let estimator = MLPClassifier(
        try HyperparameterOverrides.apply(commandLine: parameters, to: MLPHyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "mlpregressor":
      let estimator = MLPRegressor(try HyperparameterOverrides.apply(commandLine: parameters, to: MLPHyperparameters()))
      return wrap(try estimator.fit(data), estimator.hyperparameters)
    case "gbdt", "gbdtregressor":
      let (hyperparameters, classification) = try boostingHyperparameters(parameters, logging: logging)
      if name == "gbdtregressor" && classification == true {
        throw ValidationError("objective binary/multiclass trains a classifier; use --model gbdt")
      }
      if classification ?? (name == "gbdt") {
        return wrap(
          try GradientBoostingClassifier(hyperparameters).fit(data, validationSets: validation, onRound: onRound))
      }
      return wrap(
        try GradientBoostingRegressor(hyperparameters).fit(data, validationSets: validation, onRound: onRound))
    default:
      throw ValidationError("unknown model `\(name)`; choose one of \(names.joined(separator: ", "))")
    }
  }

  /// Boosting hyperparameters from `--param` settings under Hone's or LightGBM's names,
  /// and whether an `objective` asked for a classifier.
  static func boostingHyperparameters(_ parameters: [String], logging: Int?) throws -> (
    GradientBoostingHyperparameters, Bool?
  ) {
    let defaults = GradientBoostingHyperparameters()
    let (settings, classification) = try GradientBoostingHyperparameters.translatingLightGBMSettings(
      try HyperparameterOverrides.parse(parameters))
    let native = HyperparameterOverrides.names(of: defaults)
    for name in settings.keys.sorted() where !native.contains(name) {
      throw ValidationError(
        """
        unknown hyperparameter `\(name)`; GradientBoostingHyperparameters has \(native.joined(separator: ", ")); \
        LightGBM's names are accepted too: \(GradientBoostingHyperparameters.lightGBMAliases.keys.sorted().joined(separator: ", "))
        """)
    }
    var hyperparameters = try HyperparameterOverrides.apply(tuned: [:], fixed: settings, to: defaults)
    if let every = logging, settings["recordTrainingLoss"] == nil {
      // Score the training rows only on the rounds that print.
      hyperparameters.recordTrainingLoss = true
      if settings["trainingMetricFrequency"] == nil { hyperparameters.trainingMetricFrequency = every }
    }
    return (hyperparameters, classification)
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
      model: model, hyperparameters: HyperparameterOverrides.describe(hyperparameters), diagnostics: diagnostics,
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
      model: model, hyperparameters: HyperparameterOverrides.describe(model.hyperparameters), diagnostics: diagnostics,
      save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
  }

  private static func wrap(_ model: LinearModel, _ hyperparameters: some Encodable) -> Fitted {
    Fitted(
      model: model, hyperparameters: HyperparameterOverrides.describe(hyperparameters), diagnostics: model.diagnostics,
      save: { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) })
  }
}
