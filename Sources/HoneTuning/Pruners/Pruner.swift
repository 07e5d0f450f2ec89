/// Decides whether a running trial should stop, from its intermediate values and those of
/// finished trials.
public protocol Pruner: Sendable {
  /// Whether to stop `trial` now.
  func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool

  /// Whether to stop `trial` now, and what to record on it so later decisions — its own
  /// and other trials' — build on this one (successive halving records the value a trial
  /// had at each rung it was judged at). ``Trial/shouldPrune()`` asks this and stores the
  /// attributes; by default it is ``shouldPrune(_:history:direction:)`` recording nothing.
  func decide(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> PruningDecision

  /// Whether the pruner compares each step's own value — one fold's score — rather than
  /// a running summary such as the mean so far. Callers that can report either (the
  /// model tuner over cross-validation folds) report what the pruner expects.
  var comparesStepValues: Bool { get }

  /// The trials the sampler may learn from when it chooses trial `number`'s parameters.
  ///
  /// - Parameters:
  ///   - history: The study's other trials.
  ///   - number: The trial being sampled.
  /// - Returns: The trials to show the sampler.
  func samplerHistory(_ history: [FrozenTrial], forTrial number: Int) -> [FrozenTrial]
}

/// A pruner's answer for a trial, and the user attributes to record on it with the answer.
public struct PruningDecision: Sendable, Equatable {
  /// Whether to stop the trial.
  public var prune: Bool
  /// Attributes to set on the trial, by key.
  public var attributes: [String: String]

  /// Creates a decision.
  public init(prune: Bool, attributes: [String: String] = [:]) {
    self.prune = prune
    self.attributes = attributes
  }
}

extension Pruner {
  /// ``shouldPrune(_:history:direction:)``, recording nothing.
  public func decide(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> PruningDecision {
    PruningDecision(prune: shouldPrune(trial, history: history, direction: direction))
  }

  /// Running summaries by default: a threshold on the mean so far is what the median,
  /// percentile and halving rules were designed around.
  public var comparesStepValues: Bool { false }

  /// Every trial, by default.
  public func samplerHistory(_ history: [FrozenTrial], forTrial number: Int) -> [FrozenTrial] { history }
}

/// Never prunes.
public struct NoPruner: Pruner {
  /// Creates the pruner.
  public init() {}

  /// Always `false`.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool { false }
}

/// Stops a trial whose best intermediate value so far is worse than the median of the
/// completed trials' values at its latest step — Optuna's `MedianPruner` rule (with
/// another `percentile`, its `PercentilePruner`): the trial's best over its steps (the
/// smallest when minimising), against the percentile, interpolated linearly as NumPy's
/// `nanpercentile` does, of the values that completed trials reported at the same step.
/// Pruned and failed trials do not set the bar; NaN values are left out of it, and a trial
/// whose every value is NaN is pruned.
///
/// The best over steps suits a learning curve (a validation score per boosting round or
/// epoch), where the best so far is what early stopping would keep. A trial whose values
/// are running summaries (``FrozenTrial/runningSummaryAttribute``: the mean of the folds so
/// far) is judged by its latest value instead, and pruned when that is NaN.
public struct MedianPruner: Pruner {
  /// Completed trials needed before pruning starts. Default 5.
  public let startupTrials: Int
  /// Steps a trial runs before it can be pruned. Default 0.
  public let warmupSteps: Int
  /// Steps between checks, counted from `warmupSteps`: a trial is judged at the first
  /// step it reports at or after each check point. Default 1, every step.
  public let intervalSteps: Int
  /// Completed trials that must have reported at the step before its percentile is used.
  /// Default 1.
  public let minTrials: Int
  /// The percentile of completed trials' values to beat, 50 for the median; for
  /// maximisation the mirrored one, 100 − `percentile`.
  public let percentile: Double

  /// Creates a median pruner.
  ///
  /// - Parameters:
  ///   - startupTrials: Completed trials needed before pruning starts.
  ///   - warmupSteps: Steps a trial runs before it can be pruned.
  public init(startupTrials: Int = 5, warmupSteps: Int = 0) {
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    intervalSteps = 1
    minTrials = 1
    percentile = 50
  }

  /// Creates a median pruner that checks every `intervalSteps` steps — Optuna's
  /// `MedianPruner(n_startup_trials=, n_warmup_steps=, interval_steps=, n_min_trials=)`.
  ///
  /// ```swift
  /// // Judge a boosting curve every 10 rounds after the first 50.
  /// let pruner = try MedianPruner(warmupSteps: 50, intervalSteps: 10)
  /// ```
  ///
  /// - Parameters:
  ///   - startupTrials: Completed trials needed before pruning starts.
  ///   - warmupSteps: Steps a trial runs before it can be pruned.
  ///   - intervalSteps: Steps between checks, at least 1.
  ///   - minTrials: Completed trials with a value at the step needed to judge it, at least 1.
  /// - Throws: ``TuningError`` for a negative count or an interval or minimum below 1.
  public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int, minTrials: Int = 1) throws {
    try self.init(
      startupTrials: startupTrials, warmupSteps: warmupSteps, intervalSteps: intervalSteps, minTrials: minTrials,
      percentile: 50)
  }

  /// Creates a percentile pruner — Optuna's `PercentilePruner`.
  ///
  /// - Parameters:
  ///   - startupTrials: Completed trials needed before pruning starts.
  ///   - warmupSteps: Steps a trial runs before it can be pruned.
  ///   - intervalSteps: Steps between checks, at least 1.
  ///   - minTrials: Completed trials with a value at the step needed to judge it, at least 1.
  ///   - percentile: The percentile to beat, in `0...100`.
  /// - Throws: ``TuningError`` for a percentile outside `0...100`, a negative count, or an
  ///   interval or minimum below 1.
  public init(
    startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minTrials: Int = 1, percentile: Double
  ) throws {
    guard percentile >= 0, percentile <= 100 else {
      throw TuningError("the pruner's percentile must be in 0...100, got \(percentile); 50 is the median")
    }
    try checkPruningSchedule(warmupSteps: warmupSteps, intervalSteps: intervalSteps)
    guard startupTrials >= 0 else { throw TuningError("the pruner's startupTrials must be ≥ 0, got \(startupTrials)") }
    guard minTrials >= 1 else { throw TuningError("the pruner's minTrials must be ≥ 1, got \(minTrials)") }
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.intervalSteps = intervalSteps
    self.minTrials = minTrials
    self.percentile = percentile
  }

  /// Whether the trial's best value so far (its latest, for running summaries) is worse
  /// than the percentile of completed trials' values at its latest step.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    guard let step = checkedStep(of: trial, warmupSteps: warmupSteps, intervalSteps: intervalSteps) else {
      return false
    }
    let completed = history.filter { $0.state == .complete }
    guard !completed.isEmpty, completed.count >= startupTrials else { return false }
    let judged: [Double] =
      trial.userAttributes[FrozenTrial.runningSummaryAttribute] == "true"
      ? [trial.intermediateValues[step] ?? .nan].filter { !$0.isNaN }
      : trial.intermediateValues.values.filter { !$0.isNaN }
    guard let best = direction == .minimize ? judged.min() : judged.max() else { return true }
    // NaNs count towards the minimum (as in Optuna) but are left out of the percentile.
    let reported = completed.compactMap { $0.intermediateValues[step] }
    guard reported.count >= minTrials else { return false }
    let others = reported.filter { !$0.isNaN }.sorted()
    guard !others.isEmpty else { return false }
    // For maximisation the value to beat is the mirrored percentile.
    let q = direction == .minimize ? percentile : 100 - percentile
    let position = q / 100 * Double(others.count - 1)
    let below = Int(position.rounded(.down))
    let above = Swift.min(below + 1, others.count - 1)
    // NumPy's interpolation to the last bit: from the upper value when past half-way,
    // and NaN between two infinities (no threshold, so no pruning, as in Optuna).
    let (a, b, t) = (others[below], others[above], position - Double(below))
    let threshold = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
    return direction.isBetter(threshold, than: best)
  }
}

/// Refuses a warm-up below 0 or an interval below 1.
func checkPruningSchedule(warmupSteps: Int, intervalSteps: Int) throws {
  guard warmupSteps >= 0 else { throw TuningError("the pruner's warmupSteps must be ≥ 0, got \(warmupSteps)") }
  guard intervalSteps >= 1 else {
    throw TuningError("the pruner's intervalSteps must be ≥ 1, got \(intervalSteps); 1 checks every step")
  }
}

/// The trial's latest step when a pruner with this schedule judges it now, else `nil`.
///
/// Check points are `warmupSteps`, `warmupSteps + intervalSteps`, …; a trial is judged at
/// the first step it reports at or after a check point (so a check falling between the
/// steps a trial reports is taken at the next one, not skipped), and not before
/// `warmupSteps`.
func checkedStep(of trial: FrozenTrial, warmupSteps: Int, intervalSteps: Int) -> Int? {
  guard let step = trial.intermediateValues.keys.max(), step >= warmupSteps else { return nil }
  guard intervalSteps > 1 else { return step }
  let checkPoint = (step - warmupSteps) / intervalSteps * intervalSteps + warmupSteps
  let previous = trial.intermediateValues.keys.lazy.filter { $0 != step }.max() ?? -1
  return previous < checkPoint ? step : nil
}
