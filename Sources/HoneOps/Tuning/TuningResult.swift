import HoneTuning

/// What ``ModelTuner/run(_:trials:timeout:progress:)`` found.
public struct TuningResult: Sendable {
  /// The best complete trial of the study (earlier trials win ties), or `nil` when none
  /// completed.
  public let bestTrial: FrozenTrial?
  /// Every trial of the study, by number, including those of earlier runs.
  public let trials: [FrozenTrial]
  /// Each trial's fold scores, in fold order, by trial number (pruned trials have the
  /// folds they reached; trials that failed before a fold have none).
  public let foldScores: [Int: [Double]]
  /// The numbers of the trials this run added, in order.
  public let newTrials: [Int]

  /// The best trial's parameters, or `nil` when no trial completed.
  public var bestParameters: [String: ParameterValue]? { bestTrial?.parameters }

  /// The best trial's objective value (the mean fold score), or `nil`.
  public var bestValue: Double? { bestTrial?.value }
}

/// One finished trial, as the progress callback of
/// ``ModelTuner/run(_:trials:timeout:progress:)`` sees it: what a leaderboard line shows.
public struct TrialReport: Sendable {
  /// The trial as stored.
  public let trial: FrozenTrial
  /// Its fold scores, in fold order.
  public let foldScores: [Double]
  /// The mean of the fold scores, `nil` without folds.
  public let mean: Double?
  /// The sample standard deviation of the fold scores, `nil` without folds.
  public let standardDeviation: Double?
  /// The best complete trial up to and including this one.
  public let best: FrozenTrial?
}
