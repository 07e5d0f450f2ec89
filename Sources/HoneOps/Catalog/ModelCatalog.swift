import HoneCore
import HoneLinear
import HoneNeural
import HoneTrees
import HoneTuning

/// The models Hone can tune and train by name, with their defaults and search spaces.
///
/// | kind | task | estimator |
/// |---|---|---|
/// | `gbdt` | classification, regression | `GradientBoostingClassifier`, `GradientBoostingRegressor` |
/// | `ols` | regression | `LinearRegression` |
/// | `ridge` | regression | `Ridge` |
/// | `lasso` | regression | `Lasso` |
/// | `elasticnet` | regression | `ElasticNet` |
/// | `logistic` | classification | `LogisticRegression` |
/// | `mlp` | classification, regression | `MLPClassifier`, `MLPRegressor` |
///
/// The default hyperparameters are each estimator's own documented defaults; the search
/// spaces are below, one justification per dimension.
public enum ModelCatalog {
  /// The entry for `kind` learning `task`.
  ///
  /// - Parameters:
  ///   - kind: The model family.
  ///   - task: Regression or classification.
  /// - Returns: The estimator, defaults, space and preprocessing.
  /// - Throws: ``ModelCatalogError`` when the kind cannot learn the task, naming the kinds
  ///   that can.
  public static func entry(_ kind: ModelKind, task: PredictionTask) throws -> CatalogEntry {
    guard kind.supports(task) else {
      let able = ModelKind.allCases.filter { $0.supports(task) }.map(\.rawValue).joined(separator: ", ")
      throw ModelCatalogError(
        "model `\(kind.rawValue)` cannot learn a \(task.rawValue) task; for \(task.rawValue) choose one of \(able)")
    }
    switch (kind, task) {
    case (.gbdt, .classification):
      return CatalogEntry(
        kind: kind, task: task, defaults: GradientBoostingHyperparameters(), space: gbdtSpace,
        threadsParameter: "threads", roundsParameter: "rounds", estimator: { GradientBoostingClassifier($0) },
        categorical: gbdtCategorical)
    case (.gbdt, .regression):
      return CatalogEntry(
        kind: kind, task: task, defaults: GradientBoostingHyperparameters(), space: gbdtSpace,
        threadsParameter: "threads", roundsParameter: "rounds", estimator: { GradientBoostingRegressor($0) },
        categorical: gbdtCategorical)
    case (.ols, _):
      return CatalogEntry(
        kind: kind, task: task, defaults: LinearRegression.Hyperparameters(), space: .empty,
        estimator: { LinearRegression($0) })
    case (.ridge, _):
      return CatalogEntry(
        kind: kind, task: task, defaults: Ridge.Hyperparameters(), space: ridgeSpace, estimator: { Ridge($0) })
    case (.lasso, _):
      return CatalogEntry(
        kind: kind, task: task, defaults: Lasso.Hyperparameters(), space: lassoSpace, estimator: { Lasso($0) })
    case (.elasticnet, _):
      return CatalogEntry(
        kind: kind, task: task, defaults: ElasticNet.Hyperparameters(), space: elasticNetSpace,
        estimator: { ElasticNet($0) })
    case (.logistic, _):
      return CatalogEntry(
        kind: kind, task: task, defaults: LogisticRegression.Hyperparameters(), space: logisticSpace,
        estimator: { LogisticRegression($0) })
    case (.mlp, .classification):
      return CatalogEntry(
        kind: kind, task: task, defaults: MLPHyperparameters(), space: mlpSpace, roundsParameter: "epochs",
        estimator: { MLPClassifier($0) })
    case (.mlp, .regression):
      return CatalogEntry(
        kind: kind, task: task, defaults: MLPHyperparameters(), space: mlpSpace, roundsParameter: "epochs",
        estimator: { MLPRegressor($0) })
    }
  }

  /// The hyperparameter names `kind` takes for `task`, or `nil` when the kind cannot
  /// learn the task: the check a configuration runs on its `params` and space names
  /// (`configuration.validate(parameterNames: ModelCatalog.hyperparameterNames)`).
  ///
  /// - Parameters:
  ///   - kind: The model family.
  ///   - task: Regression or classification.
  /// - Returns: The settable names, or `nil`.
  public static func hyperparameterNames(_ kind: ModelKind, _ task: PredictionTask) -> Set<String>? {
    (try? entry(kind, task: task)).map { Set($0.hyperparameterNames) }
  }

  /// Every supported kind and task, in ``ModelKind`` then ``PredictionTask`` order.
  public static var entries: [CatalogEntry] {
    ModelKind.allCases.flatMap { kind in
      PredictionTask.allCases.filter { kind.supports($0) }.compactMap { try? entry(kind, task: $0) }
    }
  }

  /// Native categorical splits on the columns the gbdt preprocessing ordinal-encodes,
  /// unless `categoricalFeatures` was set.
  @Sendable static func gbdtCategorical(_ h: GradientBoostingHyperparameters, _ columns: [String])
    -> GradientBoostingHyperparameters
  {
    guard h.categoricalFeatures.isEmpty else { return h }
    var h = h
    h.categoricalFeatures = columns
    return h
  }

  /// Gradient-boosted trees (Ke et al. 2017): the LightGBM tuning axes under Hone's names.
  static let gbdtSpace = SearchSpace([
    // Shrinkage trades rounds for generalisation; its effect is multiplicative, so log.
    ("learningRate", .float(low: 0.01, high: 0.3, log: true, step: nil)),
    // Leaves set the interaction order; doubling them adds about one level, so log.
    ("maxLeaves", .int(low: 8, high: 256, log: true, step: 1)),
    // The leaf-size floor is the main guard against fitting noise; it matters in ratios
    // of the row count, so log.
    ("minDataInLeaf", .int(low: 5, high: 200, log: true, step: 1)),
    // Column and row subsampling (LightGBM's feature_fraction and bagging_fraction)
    // decorrelate trees; below one half they mostly starve them.
    ("columnSubsample", .float(low: 0.5, high: 1, log: false, step: nil)),
    ("rowSubsample", .float(low: 0.5, high: 1, log: false, step: nil)),
    // The L2 penalty on leaf values shrinks leaves with few rows; useful values span
    // four decades.
    ("l2", .float(low: 1e-3, high: 10, log: true, step: nil)),
  ])

  /// Ridge on standardised features: alpha is comparable to the row count times the
  /// feature variance (1), so seven decades run from least squares to heavy shrinkage.
  static let ridgeSpace = SearchSpace([("alpha", .float(low: 1e-4, high: 1e3, log: true, step: nil))])

  /// Lasso on standardised features: the largest useful alpha is max|xᵀy|/n, about the
  /// target's standard deviation times the best correlation, so 1e-5…10 covers targets
  /// with unit to large scale, on a log scale.
  static let lassoSpace = SearchSpace([("alpha", .float(low: 1e-5, high: 10, log: true, step: nil))])

  /// Elastic net: alpha as for the lasso; the L1 share from almost ridge (0.05; exactly 0
  /// converges slowly in coordinate descent) to the lasso (1).
  static let elasticNetSpace = SearchSpace([
    ("alpha", .float(low: 1e-5, high: 10, log: true, step: nil)),
    ("l1Ratio", .float(low: 0.05, high: 1, log: false, step: nil)),
  ])

  /// Logistic regression: C is the inverse penalty on standardised features; 1e-4 is
  /// almost the intercept-only model, 1e2 almost unpenalised, on a log scale.
  static let logisticSpace = SearchSpace([("c", .float(low: 1e-4, high: 1e2, log: true, step: nil))])

  /// Multilayer perceptrons with Adam.
  static let mlpSpace = SearchSpace([
    // Width and depth as a short list of layouts: one or two layers are what tabular
    // data rewards, and a list keeps every layout a valid `hiddenLayers` value.
    ("hiddenLayers", .categorical(["32", "64", "128", "32,32", "64,64", "128,128"])),
    // Adam's step size works within about two decades around its 1e-3 default.
    ("learningRate", .float(low: 1e-4, high: 1e-2, log: true, step: nil)),
    // Under Adam an L2 penalty (weightDecay / 2m)·‖W‖² per batch of m rows; penalties act
    // by orders of magnitude, so log.
    ("weightDecay", .float(low: 1e-6, high: 1e-2, log: true, step: nil)),
    // Dropout beyond one half rarely helps small tabular networks.
    ("dropout", .float(low: 0, high: 0.5, log: false, step: nil)),
  ])
}
