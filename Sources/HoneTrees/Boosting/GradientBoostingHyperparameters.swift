/// Hyperparameters of gradient-boosted trees, with LightGBM's names in parentheses for
/// people switching (Ke et al. 2017).
///
/// `hone train --param` takes the Swift names (`--param maxLeaves=255 --param l2=1`) or
/// LightGBM's (`--param num_leaves=255`; ``lightGBMAliases``).
public struct GradientBoostingHyperparameters: Codable, Sendable, Equatable {
  /// The regression objective (``GradientBoostingRegressor`` only; the classifier always
  /// uses binary log-loss).
  public enum RegressionObjective: String, Codable, Sendable, CaseIterable {
    /// Squared error (`regression`).
    case squaredError
    /// Absolute error (`regression_l1`). Each tree's leaves are refitted to the median of
    /// their rows' residuals, as LightGBM does.
    case absoluteError
    /// Huber loss with threshold ``GradientBoostingHyperparameters/alpha`` (`huber`).
    case huber
    /// Pinball loss of the ``GradientBoostingHyperparameters/alpha`` quantile (`quantile`).
    /// Each tree's leaves are refitted to the `alpha` quantile of their rows' residuals.
    case quantile
    /// Poisson deviance with a log link (`poisson`).
    case poisson
  }

  /// Boosting rounds, one tree each (`num_iterations`). Default 100.
  public var rounds: Int = 100
  /// The shrinkage applied to every leaf value (`learning_rate`). Default 0.1.
  public var learningRate: Double = 0.1
  /// The most leaves per tree (`num_leaves`). Default 31.
  public var maxLeaves: Int = 31
  /// The deepest a leaf may be; 0 or less for no limit (`max_depth`). Default -1.
  public var maxDepth: Int = -1
  /// The order leaves are split in (XGBoost's `grow_policy`; LightGBM grows leaf-wise
  /// only). Default ``TreeGrowth/leafWise``.
  public var growth: TreeGrowth = .leafWise
  /// The fewest training rows in a leaf (`min_data_in_leaf`). Default 20.
  public var minDataInLeaf: Int = 20
  /// The smallest hessian sum in a leaf (`min_sum_hessian_in_leaf`). Default 1e-3.
  public var minSumHessianInLeaf: Double = 1e-3
  /// The L1 penalty on leaf values (`lambda_l1`). Default 0.
  public var l1: Double = 0
  /// The L2 penalty on leaf values (`lambda_l2`). Default 0.
  public var l2: Double = 0
  /// The smallest gain a split needs (`min_gain_to_split`). Default 0.
  public var minGainToSplit: Double = 0
  /// The fraction of rows each tree is grown on, drawn without replacement every
  /// ``baggingFrequency`` rounds (`bagging_fraction`). Default 1 (all rows).
  public var rowSubsample: Double = 1
  /// The fraction of features each tree may split on (`feature_fraction`). Default 1.
  public var columnSubsample: Double = 1
  /// Value bins per feature, 2…255 (`max_bin`). Default 255.
  public var maxBins: Int = 255
  /// The seed of row and column subsampling (`seed`). Default 0.
  public var seed: UInt64 = 0
  /// Threads for histograms, binning and prediction; 0 for every active core
  /// (`num_threads`). The model does not depend on it. Default 0.
  public var threads: Int = 0
  /// Stop when the validation loss has not improved for this many rounds, keeping the
  /// best round's trees (`early_stopping_round`); 0 disables it. Needs a validation set.
  /// Default 0.
  public var earlyStoppingRounds: Int = 0
  /// The regression objective (`objective`). Default `.squaredError`.
  public var objective: RegressionObjective = .squaredError
  /// Huber's threshold `δ` or the quantile level `α ∈ (0, 1)` (`alpha`). Default 0.9.
  public var alpha: Double = 0.9
  /// Whether to record the training loss and the ``metrics`` on the training rows every
  /// round in the history (an extra pass over the training scores). Default `false`.
  public var recordTrainingLoss: Bool = false
  /// Redraw the bagged rows every this many rounds (`bagging_freq`); 0 turns bagging
  /// off whatever ``rowSubsample`` is. Default 1. (LightGBM's default is 0, so there a
  /// `bagging_fraction` below 1 does nothing until `bagging_freq` is set.)
  public var baggingFrequency: Int = 1
  /// The metrics scored on every validation set each round, the first deciding early
  /// stopping (`metric`); empty for the objective's own (`l2`, `l1`, `huber`, `quantile`,
  /// `poisson`, `binary_logloss` or `multi_logloss`). Default empty.
  public var metrics: [EvaluationMetric] = []
  /// Which validation values early stopping watches (`first_metric_only`). Default
  /// ``EarlyStoppingCriterion/first``: the first metric on the first validation set.
  public var earlyStoppingCriterion: EarlyStoppingCriterion = .first
  /// With ``recordTrainingLoss``, score the training rows only every this many rounds
  /// (and on round ``rounds``): a training AUC sorts every row, which on large data costs as much
  /// as a tree. Validation sets are scored every round, as early stopping needs. Default 1.
  public var trainingMetricFrequency: Int = 1
  /// The features split natively on categories (`categorical_feature`), by feature name;
  /// empty for every categorical column of the ``Dataset`` (a `Table`'s categorical
  /// columns). Their values are category codes: non-negative integers, NaN or negative
  /// for missing. Default empty.
  public var categoricalFeatures: [String] = []
  /// The most categories a sorted categorical split sends left (`max_cat_threshold`).
  /// Default 32.
  public var maxCategoricalThreshold: Int = 32
  /// Smoothing of the gradient ratio categories are sorted by, `ΣG / (ΣH + s)`, and the
  /// fewest rows a category needs in a leaf to be sorted (`cat_smooth`). Default 10.
  public var categoricalSmoothing: Double = 10
  /// The extra L2 penalty of sorted categorical splits (`cat_l2`). Default 10.
  public var categoricalL2: Double = 10
  /// The fewest rows each category group of a sorted split adds, and the fewest the
  /// other side keeps (`min_data_per_group`). Default 100.
  public var minDataPerGroup: Int = 100
  /// Categorical features with at most this many categories split one category against
  /// the rest (`max_cat_to_onehot`). Default 4.
  public var maxCategoriesForOneHot: Int = 4
  /// The most categories of a feature with a bin (and so a split decision) of their own;
  /// rarer ones join the missing bin and go right (LightGBM caps them at `max_bin`).
  /// 1…255. Default 255.
  public var maxCategoriesPerFeature: Int = 255
  /// Per feature, in column order: +1 for predictions non-decreasing in the feature, −1
  /// non-increasing, 0 unconstrained (`monotone_constraints`, with
  /// `monotone_constraints_method=basic`); empty for none. Default empty.
  public var monotoneConstraints: [Int] = []

  /// Creates hyperparameters with the documented defaults.
  public init() {}

  /// Checks every value, throwing on the first invalid one.
  ///
  /// - Throws: ``GradientBoostingError`` naming the hyperparameter and its valid range.
  public func validate() throws {
    func check(_ ok: Bool, _ message: @autoclosure () -> String) throws {
      if !ok { throw GradientBoostingError(message()) }
    }
    try check(rounds >= 1, "rounds is \(rounds); it must be at least 1")
    try check(learningRate > 0 && learningRate.isFinite, "learningRate is \(learningRate); it must be positive")
    try check(maxLeaves >= 2, "maxLeaves is \(maxLeaves); it must be at least 2")
    try check(minDataInLeaf >= 1, "minDataInLeaf is \(minDataInLeaf); it must be at least 1")
    try check(
      minSumHessianInLeaf >= 0 && minSumHessianInLeaf.isFinite,
      "minSumHessianInLeaf is \(minSumHessianInLeaf); it must be finite and non-negative")
    try check(l1 >= 0 && l1.isFinite, "l1 is \(l1); it must be finite and non-negative")
    try check(l2 >= 0 && l2.isFinite, "l2 is \(l2); it must be finite and non-negative")
    try check(minGainToSplit >= 0 && minGainToSplit.isFinite, "minGainToSplit is \(minGainToSplit); it must be ≥ 0")
    try check(rowSubsample > 0 && rowSubsample <= 1, "rowSubsample is \(rowSubsample); it must be in (0, 1]")
    try check(
      columnSubsample > 0 && columnSubsample <= 1, "columnSubsample is \(columnSubsample); it must be in (0, 1]")
    try check((2...255).contains(maxBins), "maxBins is \(maxBins); it must be in 2...255")
    try check(threads >= 0, "threads is \(threads); use 0 for all cores or a positive count")
    try check(earlyStoppingRounds >= 0, "earlyStoppingRounds is \(earlyStoppingRounds); it must be ≥ 0")
    if objective == .quantile {
      try check(alpha > 0 && alpha < 1, "alpha is \(alpha); the quantile objective needs 0 < alpha < 1")
    }
    if objective == .huber { try check(alpha > 0 && alpha.isFinite, "alpha is \(alpha); Huber's δ must be positive") }
    try check(
      trainingMetricFrequency >= 1, "trainingMetricFrequency is \(trainingMetricFrequency); it must be at least 1")
    try check(
      baggingFrequency >= 0, "baggingFrequency is \(baggingFrequency); use 0 to turn bagging off or a positive period")
    if metrics.contains(.quantile) {
      try check(alpha > 0 && alpha < 1, "alpha is \(alpha); the quantile metric needs 0 < alpha < 1")
    }
    if metrics.contains(.huber) {
      try check(alpha > 0 && alpha.isFinite, "alpha is \(alpha); Huber's δ must be positive")
    }
    try check(
      maxCategoricalThreshold >= 1, "maxCategoricalThreshold is \(maxCategoricalThreshold); it must be at least 1")
    try check(
      categoricalSmoothing >= 0 && categoricalSmoothing.isFinite,
      "categoricalSmoothing is \(categoricalSmoothing); it must be finite and non-negative")
    try check(
      categoricalL2 >= 0 && categoricalL2.isFinite,
      "categoricalL2 is \(categoricalL2); it must be finite and non-negative")
    try check(minDataPerGroup >= 1, "minDataPerGroup is \(minDataPerGroup); it must be at least 1")
    try check(maxCategoriesForOneHot >= 1, "maxCategoriesForOneHot is \(maxCategoriesForOneHot); it must be at least 1")
    try check(
      (1...255).contains(maxCategoriesPerFeature),
      "maxCategoriesPerFeature is \(maxCategoriesPerFeature); it must be in 1...255")
    if let bad = monotoneConstraints.first(where: { ![-1, 0, 1].contains($0) }) {
      throw GradientBoostingError("monotoneConstraints has \(bad); each entry must be -1, 0 or 1")
    }
  }
}

/// The order a tree's leaves are split in.
public enum TreeGrowth: String, Codable, Sendable, CaseIterable {
  /// Best-first: the leaf whose split lowers the loss most, wherever it is (LightGBM;
  /// XGBoost's `lossguide`). With a leaf budget this grows deep, unbalanced trees where
  /// the signal is.
  case leafWise
  /// Level by level: every leaf of one depth before any of the next, the largest gain
  /// first within a level (XGBoost's `depthwise`). With ``GradientBoostingHyperparameters/maxDepth``
  /// this grows balanced trees, a common guard against overfitting small data.
  case depthWise
}

/// One boosting round in a model's history.
public struct BoostingRound: Codable, Sendable, Equatable {
  /// The round, from 1.
  public var iteration: Int
  /// The weighted mean training loss after this round, when recorded.
  public var trainingLoss: Double?
  /// The weighted mean validation loss (the objective's loss) on the first validation
  /// set after this round, when there is one.
  public var validationLoss: Double?
  /// Seconds since the fit started.
  public var elapsedSeconds: Double
  /// Every metric on every validation set after this round, set by set in the order they
  /// were given, each set's metrics in ``GradientBoostingHyperparameters/metrics`` order;
  /// the training rows first, as set `training`, when
  /// ``GradientBoostingHyperparameters/recordTrainingLoss`` is on.
  public var evaluations: [BoostingEvaluation] = []

  /// Creates a round record.
  ///
  /// - Parameters:
  ///   - iteration: The round, from 1.
  ///   - elapsedSeconds: Seconds since the fit started.
  public init(iteration: Int, elapsedSeconds: Double) {
    self.iteration = iteration
    self.elapsedSeconds = elapsedSeconds
  }

  /// Decodes a round; histories saved before evaluations were recorded decode with none.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when a field has the wrong type.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    iteration = try container.decode(Int.self, forKey: .iteration)
    trainingLoss = try container.decodeIfPresent(Double.self, forKey: .trainingLoss)
    validationLoss = try container.decodeIfPresent(Double.self, forKey: .validationLoss)
    elapsedSeconds = try container.decode(Double.self, forKey: .elapsedSeconds)
    evaluations = try container.decodeIfPresent([BoostingEvaluation].self, forKey: .evaluations) ?? []
  }

  /// The recorded value of one metric on one set.
  ///
  /// - Parameters:
  ///   - metric: A metric name (``EvaluationMetric`` raw value, or `loss`).
  ///   - set: The set's name: a validation set's, or `training`.
  /// - Returns: The value, or `nil` when it was not recorded.
  public func value(of metric: String, on set: String) -> Double? {
    evaluations.first { $0.metric == metric && $0.set == set }?.value
  }
}

/// One metric's value on one data set after one boosting round.
public struct BoostingEvaluation: Codable, Sendable, Equatable {
  /// The set's name: a validation set's name, or `training` for the training rows.
  public var set: String
  /// The metric's LightGBM name (an ``EvaluationMetric`` raw value), or `loss` for a
  /// custom objective's own loss when no metric was chosen.
  public var metric: String
  /// The value.
  public var value: Double
  /// Whether a larger value is better.
  public var higherIsBetter: Bool

  /// Creates a value.
  ///
  /// - Parameters:
  ///   - set: The set's name.
  ///   - metric: The metric's name.
  ///   - value: The value.
  ///   - higherIsBetter: Whether a larger value is better.
  public init(set: String, metric: String, value: Double, higherIsBetter: Bool) {
    self.set = set
    self.metric = metric
    self.value = value
    self.higherIsBetter = higherIsBetter
  }
}

/// What a per-round callback tells the booster.
public enum BoostingControl: Sendable {
  /// Grow the next tree.
  case proceed
  /// Stop now, keeping the trees grown so far (or the best round's with early stopping).
  case stop
}
