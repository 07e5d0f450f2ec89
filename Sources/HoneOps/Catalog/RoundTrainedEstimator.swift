import HoneCore
import HoneNeural
import HonePipeline
import HoneTrees

/// An estimator that adds rounds (trees, epochs) one at a time and can stop adding them
/// once a validation score stops improving, keeping its best round: what lets tuning stop
/// early inside cross-validation folds (``ModelTuner/earlyStoppingRounds``).
///
/// The boosted trees count rounds in trees, the networks in epochs.
protocol RoundTrainedEstimator: Estimator {
  /// This estimator set to stop after `patience` rounds without improvement of the
  /// validation score that best stands for `metric`, keeping its best round.
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self

  /// Fits on `data`, scoring `validation` after every round.
  func fitWatching(_ data: Dataset, validation: Dataset) throws -> Fitted

  /// The rounds `model` kept: its best round when it stopped early, else every round.
  static func keptRounds(of model: Fitted) -> Int
}

/// The per-round boosting metric that ranks models as `metric` does, or `nil` when there
/// is none and the objective's own loss decides (log-loss for a classifier, the
/// regression objective's loss for a regressor).
///
/// AUC, RMSE, MSE and MAE have exact per-round twins. Log-loss has no entry because the
/// classifier's own loss already is the log-loss; the threshold metrics (accuracy, F1, …),
/// average precision, Brier, R², MAPE, the pinball loss and the information coefficients
/// have none and fall back to the objective's loss.
func boostingMetric(for metric: Metric) -> EvaluationMetric? {
  switch metric {
  case .rocAUC: return .auc
  case .rootMeanSquaredError: return .rmse
  case .meanSquaredError: return .l2
  case .meanAbsoluteError: return .l1
  default: return nil
  }
}

extension GradientBoostingHyperparameters {
  /// These hyperparameters with early stopping on the first validation set.
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self {
    var h = self
    h.earlyStoppingRounds = patience
    h.earlyStoppingCriterion = .first
    h.metrics = boostingMetric(for: metric).map { [$0] } ?? []
    return h
  }
}

extension GradientBoostingModel {
  /// The rounds the model keeps: early stopping's best round, else every round grown.
  var keptRounds: Int { bestIteration ?? trees.count / Swift.max(1, treesPerRound) }
}

extension GradientBoostingClassifier: RoundTrainedEstimator {
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self {
    GradientBoostingClassifier(hyperparameters.stoppingEarly(after: patience, watching: metric))
  }

  func fitWatching(_ data: Dataset, validation: Dataset) throws -> GradientBoostingModel {
    var h = hyperparameters
    // The boosting AUC is binary; with three or more classes the softmax loss decides,
    // as it does for every metric without a per-round twin.
    if h.metrics == [.auc] && Set(data.target).count > 2 { h.metrics = [] }
    return try GradientBoostingClassifier(h).fit(data, validation: validation)
  }

  static func keptRounds(of model: GradientBoostingModel) -> Int { model.keptRounds }
}

extension GradientBoostingRegressor: RoundTrainedEstimator {
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self {
    let h = hyperparameters.stoppingEarly(after: patience, watching: metric)
    return customObjective.map { GradientBoostingRegressor(h, objective: $0) } ?? GradientBoostingRegressor(h)
  }

  func fitWatching(_ data: Dataset, validation: Dataset) throws -> GradientBoostingModel {
    try fit(data, validation: validation)
  }

  static func keptRounds(of model: GradientBoostingModel) -> Int { model.keptRounds }
}

extension MLPHyperparameters {
  /// These hyperparameters with early stopping on the explicit validation set, keeping
  /// the best epoch's weights. The networks track fewer metrics than the trees: AUC and
  /// accuracy have twins, MSE stands for RMSE (same order), R² for itself; the rest fall
  /// back to the validation loss.
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self {
    var h = self
    h.earlyStoppingPatience = patience
    h.earlyStoppingTolerance = 0
    h.restoreBestWeights = true
    switch metric {
    case .rocAUC: h.validationMetric = .auc
    case .accuracy: h.validationMetric = .accuracy
    case .meanSquaredError, .rootMeanSquaredError: h.validationMetric = .meanSquaredError
    case .r2: h.validationMetric = .r2
    default: h.validationMetric = .loss
    }
    return h
  }
}

extension MLPClassifier: RoundTrainedEstimator {
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self {
    MLPClassifier(hyperparameters.stoppingEarly(after: patience, watching: metric))
  }

  func fitWatching(_ data: Dataset, validation: Dataset) throws -> MLPModel {
    var h = hyperparameters
    // The network's AUC is binary; with three or more classes the loss decides.
    if h.validationMetric == .auc && Set(data.target).count > 2 { h.validationMetric = .loss }
    return try MLPClassifier(h).fit(data, validation: validation)
  }

  static func keptRounds(of model: MLPModel) -> Int { model.diagnostics.selectedEpoch }
}

extension MLPRegressor: RoundTrainedEstimator {
  func stoppingEarly(after patience: Int, watching metric: Metric) -> Self {
    MLPRegressor(hyperparameters.stoppingEarly(after: patience, watching: metric))
  }

  func fitWatching(_ data: Dataset, validation: Dataset) throws -> MLPModel {
    try fit(data, validation: validation)
  }

  static func keptRounds(of model: MLPModel) -> Int { model.diagnostics.selectedEpoch }
}
