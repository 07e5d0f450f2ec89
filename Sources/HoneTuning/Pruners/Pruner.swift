/// Decides whether a running trial should stop, from its intermediate values and those of
/// finished trials.
public protocol Pruner: Sendable {
  /// Whether to stop `trial` now.
  func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool

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

extension Pruner {
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
    percentile = 50
  }

  /// Creates a percentile pruner.
  ///
  /// - Parameters:
  ///   - startupTrials: Completed trials needed before pruning starts.
  ///   - warmupSteps: Steps a trial runs before it can be pruned.
  ///   - percentile: The percentile to beat, in `0...100`.
  /// - Throws: ``TuningError`` for a percentile outside `0...100`.
  public init(startupTrials: Int = 5, warmupSteps: Int = 0, percentile: Double) throws {
    guard percentile >= 0, percentile <= 100 else {
      throw TuningError("the pruner's percentile must be in 0...100, got \(percentile); 50 is the median")
    }
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.percentile = percentile
  }

  /// Whether the trial's best value so far (its latest, for running summaries) is worse
  /// than the percentile of completed trials' values at its latest step.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    guard let step = trial.intermediateValues.keys.max(), step >= warmupSteps else { return false }
    let completed = history.filter { $0.state == .complete }
    guard !completed.isEmpty, completed.count >= startupTrials else { return false }
    let judged: [Double] =
      trial.userAttributes[FrozenTrial.runningSummaryAttribute] == "true"
      ? [trial.intermediateValues[step] ?? .nan].filter { !$0.isNaN }
      : trial.intermediateValues.values.filter { !$0.isNaN }
    guard let best = direction == .minimize ? judged.min() : judged.max() else { return true }
    let others = completed.compactMap { $0.intermediateValues[step] }.filter { !$0.isNaN }.sorted()
    guard !others.isEmpty else { return false }
    // For maximisation the value to beat is the mirrored percentile.
    let q = direction == .minimize ? percentile : 100 - percentile
    let position = q / 100 * Double(others.count - 1)
    let below = Int(position.rounded(.down))
    let above = Swift.min(below + 1, others.count - 1)
    let threshold = others[below] + (others[above] - others[below]) * (position - Double(below))
    return direction.isBetter(threshold, than: best)
  }
}
