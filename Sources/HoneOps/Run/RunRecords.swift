import HoneTuning

/// What tuning one candidate produced: kept as a stage record so a rerun skips it.
public struct CandidateOutcome: Codable, Sendable, Equatable {
  /// The candidate's name in the configuration.
  public var name: String
  /// Its model kind.
  public var kind: ModelKind
  /// The best trial's sampled parameters (fixed ones not included).
  public var bestParameters: [String: ParameterValue]
  /// The best trial's number, or `nil` when no trial completed.
  public var bestTrial: Int?
  /// The best cross-validated score (the mean over folds).
  public var bestScore: Double?
  /// The best trial's per-fold scores.
  public var bestFoldScores: [Double]
  /// Every trial of the study, for the history, importance and parallel-coordinate plots.
  public var trials: [FrozenTrial]
  /// Hyperparameter importance by fANOVA (empty with fewer than two complete trials).
  public var importance: [ParameterImportance]
  /// Wall-clock seconds spent tuning (this process's share when resumed).
  public var seconds: Double

  /// Trials that count toward the budget: every finished one except those whose process
  /// died (their retry counts instead).
  public var finishedTrials: Int { trials.filter { $0.state != .running && !$0.diedWithProcess }.count }
  /// Trials that completed.
  public var completeTrials: Int { trials.filter { $0.state == .complete }.count }
  /// Trials a pruner stopped.
  public var prunedTrials: Int { trials.filter { $0.state == .pruned }.count }
  /// Trials that failed (the objective threw or the process died).
  public var failedTrials: Int { trials.filter { $0.state == .failed }.count }
}

/// The refitted winner: its model file in the artifact store and its holdout predictions.
public struct RefitOutcome: Codable, Sendable, Equatable {
  /// The candidate that won.
  public var candidate: String
  /// The model file.
  public var model: ArtifactReference
  /// The model file's kind (`pipeline/gbdt`, …).
  public var modelKind: String
  /// Hyperparameters as fitted (tuned and fixed), as text.
  public var parameters: [String: String]
  /// Predictions on the holdout rows (class labels for classifiers).
  public var holdoutPredictions: [Double]
  /// Positive-class probabilities on the holdout rows (binary classifiers), else empty.
  public var holdoutProbabilities: [Double]
  /// Permutation importance of each feature on the holdout (selection metric drop).
  public var featureImportance: [String: Double]
  /// Seconds to refit.
  public var seconds: Double
}

/// Overfitting statistics of the selection, from out-of-fold strategy returns.
public struct SelectionStatistics: Codable, Sendable, Equatable {
  /// The configurations compared (best few trials of each candidate).
  public var configurations: [String]
  /// Per-period Sharpe ratio of each configuration's out-of-fold strategy.
  public var sharpeRatios: [Double]
  /// The deflated Sharpe ratio of the chosen configuration (Bailey & López de Prado 2014).
  public var deflatedSharpeRatio: Double?
  /// The probability of backtest overfitting by CSCV (Bailey et al. 2017).
  public var probabilityOfBacktestOverfitting: Double?
  /// Why a statistic is missing, when one is.
  public var note: String?
}
