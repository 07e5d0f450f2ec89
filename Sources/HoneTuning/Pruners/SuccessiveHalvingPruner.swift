/// Asynchronous successive halving (ASHA; Li et al. 2018, "A system for massively
/// parallel hyperparameter tuning", with Optuna's `SuccessiveHalvingPruner` semantics).
///
/// Rung `k` sits at step `minResource · reductionFactor^(minEarlyStoppingRate + k)`. When
/// a trial reaches a rung, its value there is compared with the values every other trial
/// of the study had at that rung: it goes on only if it is among the best
/// `1 / reductionFactor` of them (counting itself), and for the first trials at a rung —
/// fewer than `reductionFactor` values — only if it is the best so far. Between rungs a
/// trial is never stopped.
///
/// A trial's value at a rung is its intermediate value at the first step it reported at
/// or after the rung's step; a rung is judged at the report that reaches it, so ask the
/// pruner after every report, as the tuner and ``Trial/shouldPrune()`` callers do.
public struct SuccessiveHalvingPruner: Pruner {
  /// The step of the first rung (before the early-stopping rate). At least 1. Default 1.
  public let minResource: Int
  /// How much each rung thins the field, and how far apart rungs are (η). At least 2. Default 4.
  public let reductionFactor: Int
  /// Rungs skipped at the start (s): the first rung is at `minResource · η^s`. Default 0.
  public let minEarlyStoppingRate: Int
  /// Other trials needed at a rung before any trial passes it. Default 0.
  public let bootstrapCount: Int

  /// Creates a pruner.
  ///
  /// - Parameters:
  ///   - minResource: The step of the first rung, at least 1.
  ///   - reductionFactor: η, at least 2.
  ///   - minEarlyStoppingRate: Rungs skipped at the start, at least 0.
  ///   - bootstrapCount: Values needed at a rung before a trial passes it, at least 0.
  /// - Throws: ``TuningError`` for a value out of range.
  public init(minResource: Int = 1, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0, bootstrapCount: Int = 0)
    throws
  {
    guard minResource >= 1 else { throw TuningError("minResource must be at least 1 step, got \(minResource)") }
    guard reductionFactor >= 2 else { throw TuningError("reductionFactor must be at least 2, got \(reductionFactor)") }
    guard minEarlyStoppingRate >= 0 else {
      throw TuningError("minEarlyStoppingRate must be at least 0, got \(minEarlyStoppingRate)")
    }
    guard bootstrapCount >= 0 else { throw TuningError("bootstrapCount must be at least 0, got \(bootstrapCount)") }
    self.minResource = minResource
    self.reductionFactor = reductionFactor
    self.minEarlyStoppingRate = minEarlyStoppingRate
    self.bootstrapCount = bootstrapCount
  }

  /// The step of rung `rung`, or `nil` past `Int.max`.
  ///
  /// - Parameter rung: The rung, from 0.
  /// - Returns: `minResource · η^(minEarlyStoppingRate + rung)`.
  public func step(ofRung rung: Int) -> Int? {
    var step = minResource
    for _ in 0..<(minEarlyStoppingRate + rung) {
      let (next, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
      if overflow { return nil }
      step = next
    }
    return step
  }

  /// Whether the rungs the trial's latest report reached rank it outside the best
  /// `1/η` of the study's trials there.
  ///
  /// - Parameters:
  ///   - trial: The running trial.
  ///   - history: The study's other trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: `true` to stop the trial.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    guard let step = trial.intermediateValues.keys.max(), let value = trial.intermediateValues[step] else {
      return false
    }
    let previous = trial.intermediateValues.keys.filter { $0 < step }.max() ?? Int.min
    let others = history.filter { $0.number != trial.number }
    var rung = 0
    while let rungStep = self.step(ofRung: rung), rungStep <= step {
      defer { rung += 1 }
      // Rungs reached at an earlier report were judged then.
      if rungStep <= previous { continue }
      if value.isNaN { return true }
      // A NaN never competes: its trial was pruned when it reported it (or, not asking,
      // ran on), and NaN would make the sort below meaningless.
      var competing = others.compactMap { Self.value(of: $0, atRungStep: rungStep) }.filter { !$0.isNaN }
      competing.append(value)
      if competing.count <= bootstrapCount { return true }
      if !isPromotable(value, competing: competing, direction: direction) { return true }
    }
    return false
  }

  /// A trial's value at a rung: its value at the first reported step at or after it.
  static func value(of trial: FrozenTrial, atRungStep rungStep: Int) -> Double? {
    guard let first = trial.intermediateValues.keys.filter({ $0 >= rungStep }).min() else { return nil }
    return trial.intermediateValues[first]
  }

  /// Among the best `⌊n/η⌋` of the `n` values (counting the trial's own), or the best
  /// when `n < η`.
  private func isPromotable(_ value: Double, competing: [Double], direction: Direction) -> Bool {
    let sorted = competing.sorted()
    let index = Swift.max(0, sorted.count / reductionFactor - 1)
    return direction == .minimize ? value <= sorted[index] : value >= sorted[sorted.count - 1 - index]
  }
}
