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
/// As in Optuna, a trial's value at a rung is recorded when the rung is judged
/// (``rungAttribute(_:)``): at the first ``Trial/shouldPrune()`` after a report reaches the
/// rung's step, with the trial's latest value. A trial asked only now and then has every
/// rung it passed since judged then, a trial pruned at a rung competes at no later one,
/// and a trial that never asked (or a record added with ``Study/addTrial(_:)`` without
/// rung attributes) competes at none.
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

  /// The user attribute holding a trial's value at rung `rung`, recorded when the rung
  /// was judged (Optuna's `completed_rung_<k>`).
  public static func rungAttribute(_ rung: Int) -> String { rungAttributePrefix + String(rung) }

  /// What every ``rungAttribute(_:)`` key starts with.
  public static let rungAttributePrefix = "hone.rung."

  /// The step of rung `rung`, or `nil` for a negative rung or past `Int.max`.
  ///
  /// - Parameter rung: The rung, from 0.
  /// - Returns: `minResource · η^(minEarlyStoppingRate + rung)`.
  public func step(ofRung rung: Int) -> Int? {
    let (power, overflow) = minEarlyStoppingRate.addingReportingOverflow(rung)
    guard rung >= 0, !overflow else { return nil }
    var step = minResource
    for _ in 0..<power {
      let (next, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
      if overflow { return nil }
      step = next
    }
    return step
  }

  /// Whether the rungs the trial reached since it was last asked rank it outside the best
  /// `1/η` of the study's trials there.
  ///
  /// - Parameters:
  ///   - trial: The running trial.
  ///   - history: The study's other trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: `true` to stop the trial.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    decide(trial, history: history, direction: direction).prune
  }

  /// Judges each rung the trial's latest step has reached and no decision has recorded
  /// yet, in order, with its latest value, recording that value at each rung judged.
  ///
  /// - Parameters:
  ///   - trial: The running trial.
  ///   - history: The study's other trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: Whether to stop the trial, and the rung values to record on it.
  public func decide(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> PruningDecision {
    guard let step = trial.intermediateValues.keys.max(), let value = trial.intermediateValues[step] else {
      return PruningDecision(prune: false)
    }
    let others = history.filter { $0.number != trial.number }
    var recorded: [String: String] = [:]
    var rung = 0
    while trial.userAttributes[Self.rungAttribute(rung)] != nil { rung += 1 }
    while let rungStep = self.step(ofRung: rung), rungStep <= step {
      defer { rung += 1 }
      if value.isNaN { return PruningDecision(prune: true, attributes: recorded) }
      recorded[Self.rungAttribute(rung)] = value.description
      // A NaN never competes: its trial was pruned when it reported it (or, not asking,
      // ran on), and NaN would make the sort below meaningless.
      var competing = others.compactMap { Self.value(of: $0, atRung: rung) }.filter { !$0.isNaN }
      competing.append(value)
      if competing.count <= bootstrapCount || !isPromotable(value, competing: competing, direction: direction) {
        return PruningDecision(prune: true, attributes: recorded)
      }
    }
    return PruningDecision(prune: false, attributes: recorded)
  }

  /// A trial's value at a rung: the one recorded when the rung was judged, if it was.
  static func value(of trial: FrozenTrial, atRung rung: Int) -> Double? {
    trial.userAttributes[rungAttribute(rung)].flatMap { Double($0) }
  }

  /// Among the best `⌊n/η⌋` of the `n` values (counting the trial's own), or the best
  /// when `n < η`.
  private func isPromotable(_ value: Double, competing: [Double], direction: Direction) -> Bool {
    let sorted = competing.sorted()
    let index = Swift.max(0, sorted.count / reductionFactor - 1)
    return direction == .minimize ? value <= sorted[index] : value >= sorted[sorted.count - 1 - index]
  }
}
