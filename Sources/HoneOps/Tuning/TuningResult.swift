import HoneTuning

/// What ``ModelTuner/run(_:trials:timeout:progress:)`` found.
public struct TuningResult: Sendable {
  /// The best complete trial of the study (earlier trials win ties), or `nil` when none
  /// completed.
  public let bestTrial: FrozenTrial?
  /// Every trial of the study, by number, including those of earlier runs.
  public let trials: [FrozenTrial]
  /// Each trial's fold scores, in fold order, by trial number (pruned trials have the
  /// folds they reached; failed trials have none, as their scores are stored only when
  /// cross-validation finishes).
  public let foldScores: [Int: [Double]]
  /// The numbers of the trials this run added, in order.
  public let newTrials: [Int]

  /// The best trial's parameters, or `nil` when no trial completed.
  public var bestParameters: [String: ParameterValue]? { bestTrial?.parameters }

  /// The best trial's objective value (the mean fold score), or `nil`.
  public var bestValue: Double? { bestTrial?.value }
}
