import Foundation
import HoneTuning
import Testing

/// Successive halving and Hyperband on hand-built intermediate values; every expected
/// decision is worked out in the comments from the definitions (Li et al. 2018, Optuna's
/// semantics), not from the code.
@Suite("Successive halving and Hyperband")
struct HalvingPrunerTests {
  /// A trial with `values` and the values successive halving recorded at its rungs when
  /// it judged them, `rungs[k]` at rung k.
  static func trial(
    _ number: Int, _ values: [Int: Double], rungs: [Double] = [], state: FrozenTrial.State = .complete
  ) -> FrozenTrial {
    var trial = FrozenTrial(number: number, state: state, value: values.values.first, intermediateValues: values)
    for (k, value) in rungs.enumerated() { trial.userAttributes[SuccessiveHalvingPruner.rungAttribute(k)] = "\(value)" }
    return trial
  }

  /// Whether `pruner`, asked after each report in step order as `Trial.shouldPrune()`
  /// callers ask it — with the rung values each decision records kept on the trial —
  /// stops trial `number` at one of the steps of `values`.
  static func askedAfterEachReport(
    _ pruner: any Pruner, _ number: Int, _ values: [Int: Double], history: [FrozenTrial] = history,
    direction: Direction = .minimize
  ) -> Bool {
    var trial = FrozenTrial(number: number, state: .running)
    for step in values.keys.sorted() {
      trial.intermediateValues[step] = values[step]
      let decision = pruner.decide(trial, history: history, direction: direction)
      trial.userAttributes.merge(decision.attributes) { _, new in new }
      if decision.prune { return true }
    }
    return false
  }

  /// Three finished trials, asked after each report; with minResource 1, η 2 the rungs
  /// are at steps 1, 2, 4, 8. Rung 0 (step 1) holds 0.5, 0.6, 0.9; rung 1 (step 2) holds
  /// 0.4, 0.7, 0.8; rung 2 (step 4) holds 0.3, 0.2 (the third trial was pruned at rung 1).
  static let history = [
    trial(0, [0: 1, 1: 0.5, 2: 0.4, 4: 0.3], rungs: [0.5, 0.4, 0.3]),
    trial(1, [0: 1, 1: 0.6, 2: 0.7, 4: 0.2], rungs: [0.6, 0.7, 0.2]),
    trial(2, [0: 1, 1: 0.9, 2: 0.8], rungs: [0.9, 0.8], state: .pruned),
  ]

  /// At a rung with n values (the trial's own included) a trial goes on only if it is
  /// among the best ⌊n/η⌋ — with four values and η = 2, the best two.
  @Test func firstRungKeepsTheBestHalf() throws {
    let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
    // 0.55 among 0.5, 0.6, 0.9: second best of four → kept.
    #expect(!pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.55]), history: Self.history, direction: .minimize))
    // 0.65: third of four → pruned.
    #expect(pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.65]), history: Self.history, direction: .minimize))
    // Maximising, the best two of {0.5, 0.6, 0.65, 0.9} are 0.9 and 0.65 → 0.65 kept,
    // 0.55 (third of {0.9, 0.6, 0.55, 0.5}) pruned.
    #expect(!pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.65]), history: Self.history, direction: .maximize))
    #expect(pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.55]), history: Self.history, direction: .maximize))
    // Step 0 is before the first rung: never pruned, however bad.
    #expect(!pruner.shouldPrune(Self.trial(9, [0: 99]), history: Self.history, direction: .minimize))
  }

  /// A NaN another trial had at a rung does not compete. Rung 0 holds 0.5 and 0.6 from
  /// two trials; a third reported NaN there (pruned, nothing recorded; a NaN written by
  /// hand is skipped too): with the trial's own value that is three values, so only the
  /// best goes on (⌊3/2⌋ = 1) — 0.45 kept, 0.55 pruned. Counting the NaN made it four
  /// values and kept the best two, 0.55 among them.
  @Test func aNaNAtARungDoesNotCompete() throws {
    let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
    let history = [
      Self.trial(0, [1: 0.5], rungs: [0.5]), Self.trial(1, [1: 0.6], rungs: [0.6]),
      Self.trial(2, [1: .nan], state: .pruned), Self.trial(3, [1: .nan], rungs: [.nan], state: .pruned),
    ]
    #expect(!pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.45]), history: history, direction: .minimize))
    #expect(pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.55]), history: history, direction: .minimize))
    #expect(pruner.shouldPrune(Self.trial(9, [0: 1, 1: .nan]), history: history, direction: .minimize))
  }

  @Test func laterRungsAreJudgedWhenReachedAndOnlyThen() throws {
    let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
    // Asked at each report, rung 0 takes 0.55 (kept, above). Step 2 = rung 1: 0.75 among
    // 0.4, 0.7, 0.8 is third of four → pruned; 0.5 second → kept.
    #expect(Self.askedAfterEachReport(pruner, 9, [0: 1, 1: 0.55, 2: 0.75]))
    #expect(!Self.askedAfterEachReport(pruner, 9, [0: 1, 1: 0.55, 2: 0.5]))
    // Step 3 is between rungs: rung 1 was judged at step 2, so even 99 is not pruned.
    #expect(!Self.askedAfterEachReport(pruner, 9, [0: 1, 1: 0.55, 2: 0.5, 3: 99]))
    // Never asked before step 3, the trial has rungs 0 and 1 judged now, with its latest
    // value (as Optuna judges outstanding rungs): 99 is the worst at rung 0 → pruned.
    #expect(
      pruner.shouldPrune(Self.trial(9, [0: 1, 1: 0.55, 2: 0.5, 3: 99]), history: Self.history, direction: .minimize))
    // A trial whose first report after step 0 is step 4 reaches rungs 0, 1 and 2 at once,
    // all with 0.25: second of four at rungs 0 and 1, but at rung 2 (0.3, 0.2 and itself,
    // n = 3, ⌊3/2⌋ = 1) only the best goes on, and 0.25 > 0.2 → pruned.
    #expect(pruner.shouldPrune(Self.trial(9, [0: 1, 4: 0.25]), history: Self.history, direction: .minimize))
    #expect(!pruner.shouldPrune(Self.trial(9, [0: 1, 4: 0.15]), history: Self.history, direction: .minimize))
    // A NaN at a rung is pruned.
    #expect(pruner.shouldPrune(Self.trial(9, [0: 1, 1: .nan]), history: Self.history, direction: .minimize))
  }

  @Test func earlyStoppingRateAndBootstrapShiftTheRungs() throws {
    // Rate 1 moves the first rung to step 2: the bad value at step 1 passes.
    let late = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 1)
    #expect(late.step(ofRung: 0) == 2)
    #expect(!late.shouldPrune(Self.trial(9, [0: 1, 1: 0.95]), history: Self.history, direction: .minimize))
    // minResource 2, η 3: rungs at 2, 6, 18.
    let wide = try SuccessiveHalvingPruner(minResource: 2, reductionFactor: 3)
    #expect([0, 1, 2].map { wide.step(ofRung: $0) } == [2, 6, 18])
    // The first trial at a rung (n = 1 < η) goes on: it is the best so far.
    #expect(!wide.shouldPrune(Self.trial(9, [2: 5]), history: [], direction: .minimize))
    // With bootstrapCount 3 a rung needs more than three values: alone, the trial stops.
    let strict = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2, bootstrapCount: 3)
    #expect(strict.shouldPrune(Self.trial(9, [1: 0.1]), history: [], direction: .minimize))
    #expect(!strict.shouldPrune(Self.trial(9, [1: 0.1]), history: Self.history, direction: .minimize))
    #expect(throws: TuningError.self) { try SuccessiveHalvingPruner(reductionFactor: 1) }
    #expect(throws: TuningError.self) { try SuccessiveHalvingPruner(minResource: 0) }
  }

  /// minResource 1, maxResource 9, η 3: ⌊log₃ 9⌋ + 1 = 3 brackets with budgets
  /// ⌈3·9/3⌉ = 9, ⌈3·3/2⌉ = 5, ⌈3·1/1⌉ = 3 (17 in all), and first rungs at steps 1, 3, 9.
  @Test func bracketsFollowHyperbandsBudgets() throws {
    let pruner = try HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3, seed: 4)
    #expect(pruner.bracketCount == 3)
    #expect(pruner.budgets == [9, 5, 3])
    // Over 17,000 trial numbers the shares approach 9/17, 5/17, 3/17; a hash that is
    // uniform modulo 17 stays within 0.01 of them (the binomial sd is about 0.004).
    var counts = [0, 0, 0]
    for number in 0..<17_000 { counts[pruner.bracket(forTrial: number)] += 1 }
    for (count, budget) in zip(counts, [9.0, 5, 3]) { #expect(abs(Double(count) / 17_000 - budget / 17) < 0.01) }
    // The assignment is a function of seed and number only.
    let again = try HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3, seed: 4)
    #expect((0..<50).map(pruner.bracket(forTrial:)) == (0..<50).map(again.bracket(forTrial:)))
    // max/min = 8 with η 3: ⌊log₃ 8⌋ + 1 = 2 brackets.
    #expect(try HyperbandPruner(minResource: 1, maxResource: 8, reductionFactor: 3).bracketCount == 2)
    #expect(throws: TuningError.self) { try HyperbandPruner(minResource: 4, maxResource: 3) }
  }

  @Test func trialsCompeteWithinTheirBracketOnly() throws {
    let pruner = try HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3, seed: 4)
    let numbers = Array(0..<200)
    let bracket0 = numbers.filter { pruner.bracket(forTrial: $0) == 0 }
    let bracket1 = numbers.filter { pruner.bracket(forTrial: $0) == 1 }
    let (me, peerA, peerB) = (bracket0[2], bracket0[0], bracket0[1])
    // Bracket 0's first rung is step 1. Peers at 0.1 and 0.2, the trial at 0.5: n = 3,
    // only the best ⌊3/3⌋ = 1 goes on → pruned.
    let peers = [Self.trial(peerA, [1: 0.1], rungs: [0.1]), Self.trial(peerB, [1: 0.2], rungs: [0.2])]
    #expect(pruner.shouldPrune(Self.trial(me, [1: 0.5]), history: peers, direction: .minimize))
    // The same values from bracket-1 trials do not compete: alone at the rung, it goes on.
    let strangers = [
      Self.trial(bracket1[0], [1: 0.1], rungs: [0.1]), Self.trial(bracket1[1], [1: 0.2], rungs: [0.2]),
    ]
    #expect(!pruner.shouldPrune(Self.trial(me, [1: 0.5]), history: strangers, direction: .minimize))
    // A bracket-1 trial has its first rung at step 3: at step 1 nothing is judged.
    #expect(!pruner.shouldPrune(Self.trial(bracket1[2], [1: 0.5]), history: strangers, direction: .minimize))
  }

  /// A trial pruned at a rung competes at no later one (Optuna records a rung's value
  /// only when it judges it). Trial 1 reported step 2 first and was pruned at rung 0
  /// (step 1) with 1; trial 0 never reached step 2. A trial judged at rungs 1 and 2 now
  /// (steps 2 and 4, latest value 2) is alone there, so the best so far → kept. Counting
  /// trial 1's 1 at rung 1 pruned it.
  @Test func aTrialPrunedAtALowerRungDoesNotCompeteHigher() throws {
    let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
    var pruned = Self.trial(1, [2: 1], state: .pruned)
    pruned.userAttributes[SuccessiveHalvingPruner.rungAttribute(0)] = "1.0"
    let history = [Self.trial(0, [0: 0, 1: 0], rungs: [0]), pruned]
    var candidate = Self.trial(9, [1: 0, 4: 2], state: .running)
    candidate.userAttributes[SuccessiveHalvingPruner.rungAttribute(0)] = "0.0"
    let decision = pruner.decide(candidate, history: history, direction: .minimize)
    #expect(!decision.prune)
    #expect(
      decision.attributes == [
        SuccessiveHalvingPruner.rungAttribute(1): "2.0", SuccessiveHalvingPruner.rungAttribute(2): "2.0",
      ])
  }

  /// Asked only at steps 3, 6 and 9, a trial has the rungs it passed since judged then,
  /// with its latest value: trial 0 reported 0 at steps 0–9 (asked at each), trial 1
  /// reports 100. At step 3 rungs 0 (step 1) and 1 (step 2) are outstanding; at rung 0
  /// trial 1's 100 and trial 0's 0 make n = 2, so only the best goes on → pruned at step 3,
  /// as Optuna 5.0 prunes it. Before, rungs passed between asks were never judged.
  /// (Checked against Optuna 5.0.0 with this script's study.)
  @Test func rungsPassedBetweenAsksAreJudgedAtTheNextAsk() throws {
    let study = Study(pruner: try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2))
    let first = try study.ask()
    for step in 0..<10 {
      first.report(0, step: step)
      _ = first.shouldPrune()
    }
    try study.tell(first, value: 0)
    #expect(study.trials[0].userAttributes[SuccessiveHalvingPruner.rungAttribute(3)] == "0.0")
    let second = try study.ask()
    var asked: [Bool] = []
    for step in 0..<10 {
      second.report(100, step: step)
      if step > 0 && step % 3 == 0 { asked.append(second.shouldPrune()) }
    }
    // Asked on after the first "prune", it judges one more rung at each ask: Optuna 5.0
    // answers [True, True, True] and records completed_rung_0 to _2 as 100.0.
    #expect(asked == [true, true, true])
    let recorded = (0..<4).map { study.trials[1].userAttributes[SuccessiveHalvingPruner.rungAttribute($0)] }
    #expect(recorded == ["100.0", "100.0", "100.0", nil])
  }

  /// `step(ofRung:)` of a negative rung, or one whose power overflows, is `nil` rather
  /// than a trap.
  @Test func rungStepsOutOfRangeAreNil() throws {
    #expect(try SuccessiveHalvingPruner().step(ofRung: -1) == nil)
    #expect(try SuccessiveHalvingPruner(minEarlyStoppingRate: 1).step(ofRung: .max) == nil)
    #expect(try SuccessiveHalvingPruner(reductionFactor: 2).step(ofRung: 3) == 8)
  }

  /// A step reported twice keeps its first value (as Optuna): the second report changes
  /// neither the trial nor what the pruner judges. Trial 0 reported 5 at step 1 (rung 0).
  @Test func aRepeatedReportKeepsTheFirstValue() throws {
    let study = Study(pruner: try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2))
    let first = try study.ask()
    first.report(5, step: 1)
    try study.tell(first, value: 5)
    let second = try study.ask()
    second.report(0, step: 1)
    #expect(!second.shouldPrune())
    second.report(10, step: 1)
    #expect(!second.shouldPrune())
    #expect(second.snapshot.intermediateValues == [1: 0])
  }

}

@Suite("Wilcoxon pruner")
struct WilcoxonPrunerTests {
  struct Case: Decodable {
    let name: String
    let differences: [Double]
    let alternative: String
    let statistic: Double
    let pvalue: Double
  }

  static func cases() throws -> [Case] {
    struct Fixture: Decodable { let cases: [Case] }
    guard let url = Bundle.module.url(forResource: "Fixtures/wilcoxon_scipy", withExtension: "json") else {
      throw TuningError("Fixtures/wilcoxon_scipy.json is missing from the test bundle")
    }
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
  }

  /// `scipy.stats.wilcoxon(d, zero_method="zsplit")` on the fixture vectors (made by
  /// `Fixtures/make_wilcoxon_fixtures.py`): exact cases are ratios of counts, equal to
  /// rounding (1e-12); normal-approximation cases go through erfc, equal to 1e-10.
  @Test func pValuesEqualSciPy() throws {
    for c in try Self.cases() {
      let alternative = try #require(WilcoxonSignedRankTest.Alternative(rawValue: c.alternative))
      let result = try WilcoxonSignedRankTest(differences: c.differences, alternative: alternative)
      #expect(result.statistic == c.statistic, "\(c.name) \(c.alternative)")
      let tolerance = result.isExact ? 1e-12 : 1e-10
      #expect(abs(result.pValue - c.pvalue) <= tolerance * max(1, c.pvalue), "\(c.name) \(c.alternative)")
      #expect(result.isExact == !(c.name.hasPrefix("normal") || c.name == "ties_20" || c.name == "ties_zeros_40"))
    }
    #expect(throws: TuningError.self) { try WilcoxonSignedRankTest(differences: []) }
    #expect(throws: TuningError.self) { try WilcoxonSignedRankTest(differences: [1, .nan]) }
  }

  static func trial(_ number: Int, _ values: [Double], state: FrozenTrial.State = .complete, value: Double? = nil)
    -> FrozenTrial
  {
    var steps: [Int: Double] = [:]
    for (k, v) in values.enumerated() { steps[k] = v }
    return FrozenTrial(
      number: number, state: state, value: value ?? values.reduce(0, +) / Double(values.count),
      intermediateValues: steps)
  }

  /// The best trial scored 0.1 … 0.6 on six folds. A trial worse on all six has
  /// differences all positive: rank sum 21 of 21, exact p = 1/2⁶ = 0.015625 < 0.1 →
  /// pruned. One worse on five and better on the fold of rank 1 has rank sum 20,
  /// p = 2/64 = 0.03125 → pruned at 0.1, kept at 0.02. One better on half the folds
  /// (ranks 4, 5, 6 negative) has p = P(T ≥ 6) = 54/64 → kept.
  @Test func prunesExactlyTheSignificantlyWorseTrials() throws {
    let best = Self.trial(0, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    let other = Self.trial(1, [0.9, 0.9, 0.9, 0.9, 0.9, 0.9])
    let history = [best, other]
    let pruner = try WilcoxonPruner(pThreshold: 0.1, startupSteps: 2)
    // Differences 0.01, 0.02, … 0.06: all positive.
    let allWorse = Self.trial(9, [0.11, 0.22, 0.33, 0.44, 0.55, 0.66], state: .running)
    #expect(try #require(pruner.pValue(allWorse, history: history, direction: .minimize)) == 1.0 / 64)
    #expect(pruner.shouldPrune(allWorse, history: history, direction: .minimize))
    // Differences −0.01, 0.02, 0.03, 0.04, 0.05, 0.06: the smallest is negative.
    let mostlyWorse = Self.trial(9, [0.09, 0.22, 0.33, 0.44, 0.55, 0.66], state: .running)
    #expect(try #require(pruner.pValue(mostlyWorse, history: history, direction: .minimize)) == 2.0 / 64)
    #expect(pruner.shouldPrune(mostlyWorse, history: history, direction: .minimize))
    #expect(!(try WilcoxonPruner(pThreshold: 0.02)).shouldPrune(mostlyWorse, history: history, direction: .minimize))
    // Differences +0.01, +0.02, +0.03, −0.04, −0.05, −0.06: T = 6; subsets of {1…6}
    // summing to at least 6 are 64 minus the 10 summing to 0…5 ({}, {1}, {2}, {3}, {1,2},
    // {4}, {1,3}, {5}, {1,4}, {2,3}), so p = 54/64.
    let mixed = Self.trial(9, [0.11, 0.22, 0.33, 0.36, 0.45, 0.54], state: .running)
    #expect(try #require(pruner.pValue(mixed, history: history, direction: .minimize)) == 54.0 / 64)
    #expect(!pruner.shouldPrune(mixed, history: history, direction: .minimize))
    // Maximising, the best trial is the one at 0.9 and every trial above is worse on all
    // six folds: differences all negative, p = 1/64 → pruned.
    #expect(pruner.shouldPrune(allWorse, history: history, direction: .maximize))
  }

  @Test func startupAndSafeguardsKeepTrials() throws {
    let best = Self.trial(0, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    let pruner = try WilcoxonPruner(pThreshold: 0.5, startupSteps: 3)
    // Two shared steps < startupSteps 3: no test.
    let early = Self.trial(9, [5, 5], state: .running)
    #expect(pruner.pValue(early, history: [best], direction: .minimize) == nil)
    #expect(!pruner.shouldPrune(early, history: [best], direction: .minimize))
    // No complete trial yet, or a non-finite value: no test.
    let worse = Self.trial(9, [5, 5, 5], state: .running)
    #expect(!pruner.shouldPrune(worse, history: [], direction: .minimize))
    #expect(!pruner.shouldPrune(Self.trial(9, [5, .nan, 5], state: .running), history: [best], direction: .minimize))
    #expect(pruner.shouldPrune(worse, history: [best], direction: .minimize))
    // A step the best trial never reported is left out (as Optuna): the six shared steps
    // are all worse, p = 1/64.
    let longer = Self.trial(9, [5, 5, 5, 5, 5, 5, 5], state: .running)
    #expect(pruner.pValue(longer, history: [best], direction: .minimize).map { abs($0 - 1.0 / 64) < 1e-12 } == true)
    #expect(pruner.shouldPrune(longer, history: [best], direction: .minimize))
    // Worse on the first three folds (p = 1/8 < 0.5), but its average 0.3 is below the
    // best trial's 0.35 over all six: the safeguard keeps it.
    let promising = Self.trial(9, [0.15, 0.25, 0.5], state: .running)
    #expect(try #require(pruner.pValue(promising, history: [best], direction: .minimize)) == 1.0 / 8)
    #expect(!pruner.shouldPrune(promising, history: [best], direction: .minimize))
    #expect(throws: TuningError.self) { try WilcoxonPruner(pThreshold: 0) }
    // One shared step is never tested, whatever startupSteps says (as Optuna: at least
    // two): a single worse fold would give p = 0.5 and prune at a threshold above that.
    let loose = try WilcoxonPruner(pThreshold: 0.9, startupSteps: 0)
    let oneStep = Self.trial(9, [5], state: .running)
    #expect(loose.pValue(oneStep, history: [best], direction: .minimize) == nil)
    #expect(!loose.shouldPrune(oneStep, history: [best], direction: .minimize))
  }

  /// A maxResource so large that Hyperband's budgets overflow is refused, not a trap.
  @Test func aHyperbandTooLargeToBudgetIsRefused() {
    #expect(throws: TuningError.self) { try HyperbandPruner(minResource: 1, maxResource: Int.max, reductionFactor: 2) }
  }

  /// Records the trial numbers each sampling call was shown.
  final class RecordingSampler: Sampler, @unchecked Sendable {
    // @unchecked: `seen` is only touched under `lock`.
    private let lock = NSLock()
    private var seen: [Int: Set<Int>] = [:]
    private let base = RandomSampler(seed: 2)

    func sample(
      _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
    ) -> ParameterValue {
      lock.withLock { seen[trial, default: []].formUnion(history.map(\.number)) }
      return base.sample(name, distribution, trial: trial, history: history, direction: direction)
    }

    var shown: [Int: Set<Int>] { lock.withLock { seen } }
  }

  @Test func aSamplerUnderHyperbandLearnsFromItsTrialsBracketOnly() throws {
    let pruner = try HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3, seed: 4)
    let sampler = RecordingSampler()
    let study = Study(sampler: sampler, pruner: pruner)
    try study.optimize(trials: 40) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      for step in 1...9 {
        trial.report(x + Double(step), step: step)
        if trial.shouldPrune() { throw TrialPruned() }
      }
      return x
    }
    let shown = sampler.shown
    #expect(shown.count == 40)
    for (number, history) in shown {
      let bracket = pruner.bracket(forTrial: number)
      let expected = Set((0..<number).filter { pruner.bracket(forTrial: $0) == bracket })
      #expect(history == expected, "trial \(number), bracket \(bracket)")
    }
    // Without Hyperband the sampler sees every earlier trial.
    let plain = RecordingSampler()
    try Study(sampler: plain, pruner: MedianPruner()).optimize(trials: 10) { try $0.suggestFloat("x", 0...1) }
    for (number, history) in plain.shown { #expect(history == Set(0..<number)) }
  }

  /// The safeguard's means are summed in step order, as Optuna sums them: here the two
  /// means differ only in their last bits (0.379 against 0.37899999999999995 in step
  /// order), and summed in a dictionary's order the safeguard flipped from process to
  /// process. p = 1/32 < 0.1 and the best trial's mean is the smaller → pruned, in every
  /// dictionary layout.
  @Test func theSafeguardDoesNotDependOnDictionaryOrder() throws {
    let reference = [0.24, 0.54, 0.37, 0.6, 0.63, 0.07, 0.01, 0.84, 0.26, 0.23]
    let current = [0.33999999999999997, 0.64, 0.47, 0.7, 0.73, 0.17, 0.11, 0.94, 0.36, -0.67]
    for capacity in [10, 16, 64, 1000] {
      var best = [Int: Double](minimumCapacity: capacity)
      var now = [Int: Double](minimumCapacity: capacity)
      for k in 0..<10 {
        best[k] = reference[k]
        now[k] = current[k]
      }
      let bestTrial = FrozenTrial(number: 0, state: .complete, value: 0, intermediateValues: best)
      let trial = FrozenTrial(number: 1, state: .running, intermediateValues: now)
      #expect(try WilcoxonPruner().shouldPrune(trial, history: [bestTrial], direction: .minimize), "\(capacity)")
    }
  }

  /// A complete record whose value is NaN (written to a storage directly) is not the best
  /// trial the test compares with.
  @Test func aNaNValuedTrialIsNotTheReference() throws {
    let nan = FrozenTrial(number: 0, state: .complete, value: .nan, intermediateValues: [0: 9, 1: 9, 2: 9])
    let best = Self.trial(1, [0.1, 0.2, 0.3])
    let worse = Self.trial(9, [5, 5, 5], state: .running)
    let pruner = try WilcoxonPruner(pThreshold: 0.5)
    #expect(pruner.shouldPrune(worse, history: [nan, best], direction: .minimize))
  }
}
