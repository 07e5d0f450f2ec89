import HoneCore
import HoneLinearAlgebra

/// Gradient-boosted regression trees: histogram-based, leaf-wise, with learned
/// missing-value directions (Friedman 2001; Ke et al. 2017, LightGBM).
///
/// ```swift
/// var h = GradientBoostingHyperparameters()
/// h.maxLeaves = 63
/// h.objective = .huber
/// let model = try GradientBoostingRegressor(h).fit(data)
/// let predictions = try model.predict(x)
/// ```
///
/// Categorical columns of the dataset are split natively, on sets of categories
/// (``GradientBoostingHyperparameters/categoricalFeatures``).
public struct GradientBoostingRegressor: Estimator {
  /// The hyperparameters.
  public let hyperparameters: GradientBoostingHyperparameters

  /// A user-supplied objective that replaces ``GradientBoostingHyperparameters/objective``;
  /// not encoded with the hyperparameters (closures are not `Codable`).
  public let customObjective: CustomObjective?

  /// Creates a regressor.
  ///
  /// - Parameter hyperparameters: The hyperparameters; validated by ``fit(_:)``.
  public init(_ hyperparameters: GradientBoostingHyperparameters = .init()) {
    self.hyperparameters = hyperparameters
    self.customObjective = nil
  }

  /// Creates a regressor that boosts a user-supplied objective.
  ///
  /// - Parameters:
  ///   - hyperparameters: The hyperparameters; their `objective` and `alpha` are ignored.
  ///   - objective: The loss, gradient and hessian closures, and the starting score.
  public init(_ hyperparameters: GradientBoostingHyperparameters = .init(), objective: CustomObjective) {
    self.hyperparameters = hyperparameters
    self.customObjective = objective
  }

  /// The loss the hyperparameters (or the custom objective) select.
  public var loss: Loss {
    if let customObjective { return .custom(name: customObjective.name) }
    switch hyperparameters.objective {
    case .squaredError: return .squaredError
    case .absoluteError: return .absoluteError
    case .huber: return .huber(delta: hyperparameters.alpha)
    case .quantile: return .quantile(alpha: hyperparameters.alpha)
    case .poisson: return .poisson
    }
  }

  /// Fits the model.
  ///
  /// - Parameter data: Features (NaN is missing), target and optional weights.
  /// - Returns: The fitted model.
  /// - Throws: ``GradientBoostingError`` for invalid hyperparameters or (Poisson) negative targets.
  /// - Complexity: O(rounds · n · p) for the histograms, plus O(n p log bins) binning.
  public func fit(_ data: Dataset) throws -> GradientBoostingModel {
    try fit(data, validation: nil)
  }

  /// Fits the model, scoring a validation set every round, with optional early stopping
  /// and a per-round callback.
  ///
  /// - Parameters:
  ///   - data: The training data.
  ///   - validation: Held-out data whose loss is recorded each round (and drives early
  ///     stopping), as set `valid_0` (LightGBM's name for an unnamed first set).
  ///   - binned: `data`'s features binned beforehand (reused across fits); `nil` to bin them here.
  ///   - onRound: Called after every round; return `.stop` to end training.
  /// - Returns: The fitted model.
  /// - Throws: ``GradientBoostingError`` for invalid hyperparameters or data.
  public func fit(
    _ data: Dataset, validation: Dataset?, binned: BinnedDataset? = nil,
    onRound: ((BoostingRound) -> BoostingControl)? = nil
  ) throws -> GradientBoostingModel {
    try fit(
      data, validationSets: validation.map { [ValidationSet("valid_0", $0)] } ?? [], binned: binned, onRound: onRound)
  }

  /// Fits the model, scoring every validation set with every metric after each round;
  /// early stopping watches the values ``GradientBoostingHyperparameters/earlyStoppingCriterion``
  /// chooses, and the callback sees them all in ``BoostingRound/evaluations``.
  ///
  /// - Parameters:
  ///   - data: The training data.
  ///   - validationSets: Named held-out sets.
  ///   - binned: `data`'s features binned beforehand (reused across fits); `nil` to bin them here.
  ///   - onRound: Called after every round; return `.stop` to end training.
  /// - Returns: The fitted model.
  /// - Throws: ``GradientBoostingError`` for invalid hyperparameters, data, set names, or
  ///   a classification metric.
  public func fit(
    _ data: Dataset, validationSets: [ValidationSet], binned: BinnedDataset? = nil,
    onRound: ((BoostingRound) -> BoostingControl)? = nil
  ) throws -> GradientBoostingModel {
    let loss = self.loss
    if loss == .poisson {
      for target in [data.target] + validationSets.map(\.data.target) {
        if let bad = target.firstIndex(where: { $0 < 0 }) {
          throw GradientBoostingError("the Poisson objective needs targets ≥ 0; row \(bad) has \(target[bad])")
        }
      }
    }
    return try GradientBoostingFitting.fit(
      data, target: data.target, loss: loss, classes: [], hyperparameters: hyperparameters,
      validation: validationSets.map { ($0, $0.data.target) }, binned: binned, onRound: onRound,
      customObjective: customObjective)
  }
}
