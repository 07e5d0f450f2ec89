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

/// Stops a trial whose latest intermediate value is worse than the median of finished
/// trials' values at the same step (Optuna's `MedianPruner`; the percentile pruner with
/// p = 50).
public struct MedianPruner: Pruner {
  /// Finished trials needed before pruning starts. Default 5.
  public let startupTrials: Int
  /// Steps a trial runs before it can be pruned. Default 0.
  public let warmupSteps: Int
  /// The percentile of other trials' values to beat, 50 for the median.
  public let percentile: Double

  /// Creates a pruner.
  public init(startupTrials: Int = 5, warmupSteps: Int = 0, percentile: Double = 50) {
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.percentile = percentile
  }

  /// Whether the latest value is worse than the percentile of finished trials at that step.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    guard let step = trial.intermediateValues.keys.max(), step >= warmupSteps,
      let value = trial.intermediateValues[step]
    else { return false }
    let finished = history.filter { $0.state == .complete || $0.state == .pruned }
    guard finished.count >= startupTrials else { return false }
    let others = finished.compactMap { $0.intermediateValues[step] }.sorted()
    guard !others.isEmpty else { return false }
    // For maximisation the value to beat is the mirrored percentile.
    let q = direction == .minimize ? percentile : 100 - percentile
    let position = q / 100 * Double(others.count - 1)
    let below = Int(position.rounded(.down))
    let above = Swift.min(below + 1, others.count - 1)
    let threshold = others[below] + (others[above] - others[below]) * (position - Double(below))
    return direction.isBetter(threshold, than: value)
  }
}
