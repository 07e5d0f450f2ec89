/// Stops a trial whose latest intermediate value leaves a fixed range or is NaN — Optuna's
/// `ThresholdPruner`: a diverging loss, an AUC stuck near 0.5, whatever is known to be
/// hopeless without comparing with other trials.
///
/// ```swift
/// // Stop a fit whose validation log-loss passes 1 (worse than a constant guess).
/// let pruner = try ThresholdPruner(upper: 1)
/// ```
///
/// Check points follow ``MedianPruner/intervalSteps``' rule: `warmupSteps`, then every
/// `intervalSteps` steps, each taken at the first step reported at or after it.
public struct ThresholdPruner: Pruner {
  /// Values below this are pruned; `-infinity` when only an upper bound is given.
  public let lower: Double
  /// Values above this are pruned; `+infinity` when only a lower bound is given.
  public let upper: Double
  /// Steps a trial runs before it can be pruned.
  public let warmupSteps: Int
  /// Steps between checks, counted from `warmupSteps`.
  public let intervalSteps: Int

  /// Creates a threshold pruner.
  ///
  /// - Parameters:
  ///   - lower: Prune a trial whose latest value is below this.
  ///   - upper: Prune a trial whose latest value is above this.
  ///   - warmupSteps: Steps a trial runs before it can be pruned, at least 0.
  ///   - intervalSteps: Steps between checks, at least 1.
  /// - Throws: ``TuningError`` when neither bound is given, a bound is NaN, `lower` is
  ///   above `upper`, or the schedule is out of range.
  public init(lower: Double? = nil, upper: Double? = nil, warmupSteps: Int = 0, intervalSteps: Int = 1) throws {
    guard lower != nil || upper != nil else {
      throw TuningError("ThresholdPruner needs a lower bound, an upper bound or both")
    }
    guard lower?.isNaN != true, upper?.isNaN != true else {
      throw TuningError(
        "ThresholdPruner's bounds must be numbers, got lower \(String(describing: lower)), "
          + "upper \(String(describing: upper))")
    }
    let low = lower ?? -.infinity
    let high = upper ?? .infinity
    guard low <= high else {
      throw TuningError("ThresholdPruner's lower bound \(low) is above its upper bound \(high)")
    }
    try checkPruningSchedule(warmupSteps: warmupSteps, intervalSteps: intervalSteps)
    self.lower = low
    self.upper = high
    self.warmupSteps = warmupSteps
    self.intervalSteps = intervalSteps
  }

  /// Whether the latest value, at a check point, is NaN or outside `lower...upper`.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    guard let step = checkedStep(of: trial, warmupSteps: warmupSteps, intervalSteps: intervalSteps),
      let latest = trial.intermediateValues[step]
    else { return false }
    return latest.isNaN || latest < lower || latest > upper
  }
}
