import HoneCore

/// Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar 2018): several brackets of
/// successive halving that trade how early they stop trials against how many they try,
/// so a study is not bound to one guess of when intermediate values become telling.
///
/// With `n = ⌊log_η(maxResource / minResource)⌋ + 1` brackets, bracket `b` is a
/// ``SuccessiveHalvingPruner`` with early-stopping rate `b` whose trials compete only with
/// each other. Trials are dealt to brackets in proportion to Hyperband's budgets
/// `⌈n · η^s / (s + 1)⌉`, `s = n − 1 − b` (as Optuna's `HyperbandPruner`), by a hash of
/// the seed and the trial number — deterministic, and the same in every process. The
/// bracket count is counted in integers; Optuna takes it from a floating-point logarithm,
/// which gives one bracket fewer when `maxResource / minResource` is an exact power of η
/// that the logarithm rounds just below (243 with η = 3, 1000 with η = 10).
public struct HyperbandPruner: Pruner {
  /// The step of the most aggressive bracket's first rung. At least 1. Default 1.
  public let minResource: Int
  /// The step a trial runs to at most (the number of folds, epochs or rounds).
  public let maxResource: Int
  /// η for every bracket. At least 2. Default 3.
  public let reductionFactor: Int
  /// Values needed at a rung before a trial passes it. Default 0.
  public let bootstrapCount: Int
  /// Seeds the assignment of trials to brackets.
  public let seed: UInt64
  /// Each bracket's share of trials, from the most aggressive (bracket 0) on.
  public let budgets: [Int]
  private let brackets: [SuccessiveHalvingPruner]

  /// Creates a pruner.
  ///
  /// - Parameters:
  ///   - minResource: The first rung's step in the most aggressive bracket, at least 1.
  ///   - maxResource: The last step a trial reaches, at least `minResource`.
  ///   - reductionFactor: η, at least 2.
  ///   - bootstrapCount: Values needed at a rung before a trial passes it, at least 0.
  ///   - seed: Seeds the assignment of trials to brackets.
  /// - Throws: ``TuningError`` for a value out of range.
  public init(
    minResource: Int = 1, maxResource: Int, reductionFactor: Int = 3, bootstrapCount: Int = 0, seed: UInt64 = 0
  ) throws {
    guard minResource >= 1, maxResource >= minResource else {
      throw TuningError(
        "Hyperband needs 1 ≤ minResource ≤ maxResource, got minResource \(minResource) and maxResource \(maxResource)")
    }
    guard reductionFactor >= 2 else { throw TuningError("reductionFactor must be at least 2, got \(reductionFactor)") }
    // n − 1 = ⌊log_η(max/min)⌋, counted in integers so no rounding of logarithms decides it.
    var count = 1
    var reach = minResource
    while reach <= maxResource / reductionFactor {
      reach *= reductionFactor
      count += 1
    }
    self.minResource = minResource
    self.maxResource = maxResource
    self.reductionFactor = reductionFactor
    self.bootstrapCount = bootstrapCount
    self.seed = seed
    var budgets: [Int] = []
    var brackets: [SuccessiveHalvingPruner] = []
    for bracket in 0..<count {
      let s = count - 1 - bracket
      var power = 1
      for _ in 0..<s { power *= reductionFactor }
      // count · η^s overflows only for resources near Int.max; refused rather than trapping.
      let (product, overflow) = count.multipliedReportingOverflow(by: power)
      guard !overflow else {
        throw TuningError(
          "Hyperband's maxResource \(maxResource) is too large to budget brackets for; use a smaller one")
      }
      budgets.append((product + s) / (s + 1))
      brackets.append(
        try SuccessiveHalvingPruner(
          minResource: minResource, reductionFactor: reductionFactor, minEarlyStoppingRate: bracket,
          bootstrapCount: bootstrapCount))
    }
    self.budgets = budgets
    self.brackets = brackets
  }

  /// The number of brackets.
  public var bracketCount: Int { brackets.count }

  /// The bracket trial `number` belongs to.
  ///
  /// - Parameter number: The trial's number.
  /// - Returns: A bracket in `0..<bracketCount`, 0 the most aggressive.
  public func bracket(forTrial number: Int) -> Int {
    let total = UInt64(budgets.reduce(0, +))
    var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: number) &* 0x9E37_79B9_7F4A_7C15))
    var position = Int(mixer.next() % total)
    for (bracket, budget) in budgets.enumerated() {
      position -= budget
      if position < 0 { return bracket }
    }
    return budgets.count - 1
  }

  /// The trials of `number`'s own bracket. A trial pruned early in an aggressive bracket
  /// says little about a configuration that a patient bracket would let finish, so a
  /// model-based sampler learns from its bracket's trials only (as Optuna's Hyperband
  /// does for its samplers); with TPE, its startup trials are then counted per bracket.
  ///
  /// - Parameters:
  ///   - history: The study's other trials.
  ///   - number: The trial being sampled.
  /// - Returns: The trials in the same bracket.
  public func samplerHistory(_ history: [FrozenTrial], forTrial number: Int) -> [FrozenTrial] {
    let bracket = bracket(forTrial: number)
    return history.filter { self.bracket(forTrial: $0.number) == bracket }
  }

  /// Successive halving within the trial's bracket, against that bracket's trials only.
  ///
  /// - Parameters:
  ///   - trial: The running trial.
  ///   - history: The study's other trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: `true` to stop the trial.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    decide(trial, history: history, direction: direction).prune
  }

  /// Successive halving's decision within the trial's bracket, with the rung values it
  /// records.
  public func decide(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> PruningDecision {
    let bracket = bracket(forTrial: trial.number)
    let peers = history.filter { self.bracket(forTrial: $0.number) == bracket }
    return brackets[bracket].decide(trial, history: peers, direction: direction)
  }
}
