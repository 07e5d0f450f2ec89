import HoneTuning

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
