import Foundation
import HoneTuning
import Synchronization
import Testing

@Suite("Studies and samplers")
struct StudyTests {
  /// A space with a log-scale float, a stepped float, a stepped int, a log int, a
  /// categorical and a parameter that exists only for one category.
  static func objective(_ trial: Trial) throws -> Double {
    let rate = try trial.suggestFloat("rate", 1e-4...1, log: true)
    let fraction = try trial.suggestFloat("fraction", 0.1...0.9, step: 0.2)
    let leaves = try trial.suggestInt("leaves", 4...64, step: 4)
    let rounds = try trial.suggestInt("rounds", 10...1000, log: true)
    let kind = try trial.suggestCategorical("kind", ["tree", "linear", "net"])
    var value = log10(rate) * log10(rate) + fraction + Double(leaves) / 64 + log(Double(rounds))
    if kind == "tree" { value += Double(try trial.suggestInt("depth", 1...8)) }
    return value
  }

  @Test(arguments: ["random", "tpe"])
  func samplesStayInsideTheirSpace(samplerName: String) throws {
    let sampler: any Sampler = samplerName == "random" ? RandomSampler(seed: 3) : TPESampler(seed: 3, startupTrials: 5)
    let study = Study(sampler: sampler)
    try study.optimize(trials: 60) { try Self.objective($0) }
    #expect(study.trials.count == 60)
    for trial in study.trials {
      #expect(trial.state == .complete)
      for (name, value) in trial.parameters {
        let distribution = try #require(trial.distributions[name])
        #expect(distribution.contains(value), "\(name) = \(value) outside \(distribution)")
      }
      // The conditional parameter exists exactly when its condition holds.
      #expect((trial.parameters["depth"] != nil) == (trial.parameters["kind"] == .string("tree")))
    }
    // Log scales are sampled uniformly in the logarithm: about a quarter of `rate` values
    // lie below 1e-3 (a uniform draw on the linear scale would put ~0.1% there).
    if samplerName == "random" {
      let small = study.trials.filter { if case .double(let r) = $0.parameters["rate"] { r < 1e-3 } else { false } }
      #expect(small.count >= 6 && small.count <= 25)
    }
  }

  @Test(arguments: [1, 2])
  func seededStudiesReproduce(parallelism: Int) throws {
    func run() throws -> [FrozenTrial] {
      let study = Study(sampler: TPESampler(seed: 11, startupTrials: 4))
      try study.optimize(trials: 20, parallelism: parallelism) { try Self.objective($0) }
      return study.trials.map {
        var t = $0
        t.seconds = 0
        return t
      }
    }
    #expect(try run() == run())
  }

  /// TPE concentrates trials near the optimum: on a 2-d quadratic bowl its best value
  /// after 60 trials is better than random search's for most seeds (a broken model
  /// would do no better than random).
  @Test func tpeBeatsRandomSearchOnABowl() throws {
    func best(_ sampler: any Sampler) throws -> Double {
      let study = Study(sampler: sampler)
      try study.optimize(trials: 60) { trial in
        let x = try trial.suggestFloat("x", -10...10)
        let y = try trial.suggestFloat("y", -10...10)
        return (x - 3) * (x - 3) + (y + 1) * (y + 1)
      }
      return try #require(study.bestTrial?.value)
    }
    var wins = 0
    for seed in 0..<10 as Range<UInt64> {
      if try best(TPESampler(seed: seed)) < best(RandomSampler(seed: seed)) { wins += 1 }
    }
    #expect(wins >= 8)
  }

  @Test func gridSamplerVisitsEveryCombination() throws {
    let grid = try GridSampler(["a": [.int(1), .int(2), .int(3)], "b": [.string("x"), .string("y")]])
    #expect(grid.combinationCount == 6)
    let study = Study(sampler: grid)
    try study.optimize(trials: 6) { trial in
      let a = try trial.suggestInt("a", 1...3)
      let b = try trial.suggestCategorical("b", ["x", "y"])
      return Double(a) + (b == "x" ? 0 : 10)
    }
    let seen = Set(study.trials.map { "\($0.parameters["a"] ?? .int(0))\($0.parameters["b"] ?? .string(""))" })
    #expect(seen == ["1x", "1y", "2x", "2y", "3x", "3y"])
  }

  @Test func failuresEnqueuedConfigurationsAndTheBestTrial() throws {
    struct Boom: Error {}
    let study = Study(direction: .maximize, sampler: RandomSampler(seed: 1))
    try study.enqueue(["x": .double(0.25)])
    try study.optimize(trials: 8) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      if trial.number == 3 { throw Boom() }
      if trial.number == 4 { return .nan }
      return x
    }
    let trials = study.trials
    #expect(trials[0].parameters["x"] == .double(0.25))
    #expect(trials[3].state == .failed && trials[3].error?.contains("Boom") == true)
    #expect(trials[4].state == .failed)
    let complete = trials.filter { $0.state == .complete }
    #expect(complete.count == 6)
    #expect(study.bestTrial?.value == complete.compactMap(\.value).max())
    let csv = study.trialsCSV()
    #expect(csv.hasPrefix("number,state,value,seconds,params_x\n"))
    #expect(csv.split(separator: "\n").count == 9)
  }

  /// Names and values with commas, quotes, CR LF or a lone CR are quoted (RFC 4180), and a
  /// parameter called `value` does not collide with the value column.
  @Test func theCSVQuotesWhatItMust() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    for choice in ["a\r\nb", "c\rd", "e\"f", "plain"] { try study.enqueue(["a,b": .string(choice), "value": .int(1)]) }
    try study.optimize(trials: 4) { trial in
      _ = try trial.suggestCategorical("a,b", ["a\r\nb", "c\rd", "e\"f", "plain"])
      return Double(try trial.suggestInt("value", 0...3))
    }
    let csv = study.trialsCSV()
    #expect(csv.hasPrefix("number,state,value,seconds,\"params_a,b\",params_value\n"))
    #expect(csv.contains(",\"a\r\nb\",1\n") && csv.contains(",\"c\rd\",1\n") && csv.contains(",\"e\"\"f\",1\n"))
    #expect(csv.contains(",plain,1\n"))
  }

  /// User attributes get `user_attrs_<key>` columns after the parameters, quoted like any
  /// field, empty where a trial lacks the key; Hone's own (`hone.`) attributes get none.
  @Test func theCSVCarriesUserAttributes() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    try study.optimize(trials: 2) { trial in
      if trial.number == 1 { trial.setUserAttribute("note", "fold 2, retried") }
      trial.setUserAttribute("fold", String(trial.number))
      return try trial.suggestFloat("x", 0...1)
    }
    let lines = study.trialsCSV().split(separator: "\n").map(String.init)
    #expect(lines[0] == "number,state,value,seconds,params_x,user_attrs_fold,user_attrs_note")
    #expect(lines[1].hasSuffix(",0,"))
    #expect(lines[2].hasSuffix(",1,\"fold 2, retried\""))
    #expect(study.trials[0].userAttributes[FrozenTrial.samplingIndexAttribute] != nil)
  }

  /// A complete record without a finite value (written straight to the storage) never
  /// becomes the best trial, nor keeps a later one from it.
  @Test func bestTrialSkipsARecordWithoutAFiniteValue() throws {
    let storage = InMemoryStorage()
    try storage.createStudy(named: "s", direction: .minimize)
    for value in [Double.nan, 2, 1] {
      let number = try storage.createTrial(inStudy: "s")
      try storage.updateTrial(FrozenTrial(number: number, state: .complete, value: value), inStudy: "s")
    }
    let study = try Study(name: "s", storage: storage)
    #expect(study.bestTrial?.number == 2)
  }

  /// Telling a trial complete without its value, or running, is refused and leaves the
  /// trial running, so it can still be told properly.
  @Test func tellingACompleteOrRunningStateIsRefused() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    let trial = try study.ask()
    _ = try trial.suggestFloat("x", 0...1)
    #expect(throws: TuningError.self) { try study.tell(trial, state: .complete) }
    #expect(throws: TuningError.self) { try study.tell(trial, state: .running) }
    #expect(study.trials.first?.state == .running)
    #expect(study.bestTrial == nil)
    try study.tell(trial, value: 0.5)
    #expect(study.bestTrial?.value == 0.5)
  }

  /// A configuration a complete trial already evaluated is recorded as its copy — value,
  /// intermediate values, attributes, and the original's number — without running the
  /// rest of the objective again; a different one, or one whose only earlier trial
  /// failed, is evaluated.
  @Test func aRefusedDuplicateCopiesTheOriginal() throws {
    let study = Study(sampler: RandomSampler(seed: 4))
    for x in [3, 3, 5, 7, 7] { try study.enqueue(["x": .int(x)]) }
    let evaluated = Mutex<[Int]>([])
    try study.optimize(trials: 5) { trial in
      let x = try trial.suggestInt("x", 0...9)
      try trial.refuseDuplicate()
      evaluated.withLock { $0.append(trial.number) }
      trial.report(Double(x) / 2, step: 0)
      trial.setUserAttribute("note", "x was \(x)")
      if x == 7 { throw TuningError("7 does not fit") }
      return Double(x * x)
    }
    #expect(evaluated.withLock { $0 } == [0, 2, 3, 4])
    let trials = study.trials
    #expect(trials.map(\.state) == [.complete, .complete, .complete, .failed, .failed])
    #expect(trials[1].value == 9 && trials[1].intermediateValues == [0: 1.5])
    #expect(trials[1].userAttributes["note"] == "x was 3")
    #expect(trials[1].userAttributes[FrozenTrial.duplicateOfAttribute] == "0")
    #expect(trials[1].userAttributes[FrozenTrial.samplingIndexAttribute] == "1", "the copy keeps its own position")
    #expect(trials[2].userAttributes[FrozenTrial.duplicateOfAttribute] == nil)
  }

  /// `skipIfExists` refuses a configuration a trial has, in any state, or one queued.
  @Test func enqueueCanSkipAConfigurationThatExists() throws {
    let study = Study(sampler: RandomSampler(seed: 4))
    #expect(try study.enqueue(["x": .int(1)]))
    try study.optimize(trials: 1) { try Double($0.suggestInt("x", 0...9)) }
    #expect(try !study.enqueue(["x": .int(1)], skipIfExists: true))
    #expect(try study.enqueue(["x": .int(2)], skipIfExists: true))
    #expect(try !study.enqueue(["x": .int(2)], skipIfExists: true), "already queued")
    #expect(try study.enqueue(["x": .int(1)]), "without the flag, queued again")
    try study.optimize(trials: 2) { try Double($0.suggestInt("x", 0...9)) }
    #expect(study.trials.map { $0.parameters["x"] } == [.int(1), .int(2), .int(1)])
    // A partial configuration is compared with what was queued, not with the trial's
    // sampled parameters too; numbers compare by value.
    let partial = Study(sampler: RandomSampler(seed: 4))
    try partial.enqueue(["x": .int(1)])
    try partial.optimize(trials: 1) { trial in
      try Double(trial.suggestInt("x", 0...9)) + trial.suggestFloat("y", 0...1)
    }
    #expect(partial.trials[0].parameters.count == 2)
    #expect(try !partial.enqueue(["x": .int(1)], skipIfExists: true))
    #expect(try !partial.enqueue(["x": .double(1)], skipIfExists: true))
    #expect(try partial.enqueue(["x": .int(2)], skipIfExists: true))
    // Numbers as numbers when a queued value is applied: 2 for a real parameter is 2.0.
    try partial.optimize(trials: 1) { try $0.suggestFloat("x", 0...9) }
    #expect(partial.trials[1].state == .complete && partial.trials[1].parameters["x"] == .double(2))
  }

  /// The `async` driver runs the same trials as the synchronous one for the same seed —
  /// one at a time or in waves of three, with a failing, a pruned and (one at a time) a
  /// duplicate trial among them — though its objective awaits before it returns.
  @Test(arguments: [1, 3])
  func theAsyncDriverRunsTheSameTrials(parallelism: Int) async throws {
    struct Boom: Error {}
    @Sendable func settle(_ trial: Trial, _ value: Double) throws -> Double {
      if trial.number == 4 { throw Boom() }
      if trial.number == 7 { throw TrialPruned() }
      try trial.refuseDuplicate()
      return value
    }
    func run(async: Bool) async throws -> [FrozenTrial] {
      let study = Study(sampler: TPESampler(seed: 5, startupTrials: 4, constantLiar: true))
      for _ in 0..<2 {
        try study.enqueue([
          "rate": .double(0.1), "fraction": .double(0.3), "leaves": .int(8), "rounds": .int(50), "kind": .string("net"),
        ])
      }
      if async {
        try await study.optimize(trials: 14, parallelism: parallelism) { trial in
          let value = try Self.objective(trial)
          await Task.yield()
          return try settle(trial, value)
        }
      } else {
        try study.optimize(trials: 14, parallelism: parallelism) { trial in try settle(trial, Self.objective(trial)) }
      }
      return study.trials.map {
        var t = $0
        t.seconds = 0
        return t
      }
    }
    let synchronous = try await run(async: false)
    #expect(synchronous.map(\.state).filter { $0 == .failed }.count == 1)
    #expect(synchronous[7].state == .pruned)
    // Trial 1 repeats trial 0's queued configuration: a copy when trial 0 finished first.
    let copied = synchronous[1].userAttributes[FrozenTrial.duplicateOfAttribute]
    #expect(parallelism == 1 ? copied == "0" : copied == nil)
    #expect(try await run(async: true) == synchronous)
  }

  /// Cancelling the task that runs the `async` driver stops it after the running wave:
  /// no further trial is asked for, and the driver throws `CancellationError`.
  @Test func aCancelledAsyncStudyStartsNoMoreWaves() async throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    await #expect(throws: CancellationError.self) {
      try await study.optimize(trials: 10) { trial in
        if trial.number == 1 { withUnsafeCurrentTask { $0?.cancel() } }
        await Task.yield()
        return try trial.suggestFloat("x", 0...1)
      }
    }
    #expect(study.trials.map(\.state) == [.complete, .complete])
    // Cancelled during the last wave (in a task of its own: the one above cancelled this
    // test's): its trial is recorded, and the driver still throws.
    let last = Study(sampler: RandomSampler(seed: 1))
    let run = Task {
      try await last.optimize(trials: 1) { trial in
        withUnsafeCurrentTask { $0?.cancel() }
        await Task.yield()
        return try trial.suggestFloat("x", 0...1)
      }
    }
    await #expect(throws: CancellationError.self) { try await run.value }
    #expect(last.trials.map(\.state) == [.complete])
  }

  /// A trial kept after it was told does not keep its study (and the study's storage
  /// and heartbeat timer) alive.
  @Test func aTrialKeptAfterTellDoesNotKeepItsStudy() throws {
    weak var released: Study?
    var kept: Trial?
    do {
      let study = Study(sampler: RandomSampler(seed: 1))
      let trial = try study.ask()
      try study.tell(trial, value: try trial.suggestFloat("x", 0...1))
      (released, kept) = (study, trial)
    }
    #expect(released == nil)
    #expect(kept?.snapshot.state == .complete)
  }

  @Test func badDefinitionsThrow() throws {
    let study = Study(sampler: RandomSampler())
    try study.optimize(trials: 5) { trial in
      _ = try trial.suggestFloat("bad", 0...1, log: true)  // log scale needs low > 0
      return 0
    }
    #expect(study.trials.allSatisfy { $0.state == .failed && ($0.error ?? "").contains("low > 0") })
    #expect(throws: TuningError.self) { try study.optimize(trials: -1) { _ in 0 } }
    #expect(throws: TuningError.self) { try GridSampler(["a": []]) }
    let trial = try study.ask()
    _ = try trial.suggestInt("n", 1...5)
    #expect(throws: TuningError.self) { try trial.suggestInt("n", 1...9) }
  }
}

@Suite("Pruners")
struct PrunerTests {
  static func trial(_ number: Int, _ values: [Int: Double], state: FrozenTrial.State = .complete) -> FrozenTrial {
    FrozenTrial(
      number: number, state: state, value: values.values.first, parameters: [:], distributions: [:],
      intermediateValues: values, userAttributes: [:], error: nil, seconds: 0)
  }

  /// Five finished trials report 1, 2, 3, 4, 5 at step 2: the median is 3.
  static let history = (1...5).map { trial($0, [0: 10, 2: Double($0)]) }

  @Test func medianPrunerStopsExactlyTheWorseHalf() {
    let pruner = MedianPruner(startupTrials: 5)
    #expect(pruner.shouldPrune(Self.trial(9, [2: 3.5]), history: Self.history, direction: .minimize))
    #expect(!pruner.shouldPrune(Self.trial(9, [2: 2.5]), history: Self.history, direction: .minimize))
    #expect(!pruner.shouldPrune(Self.trial(9, [2: 3.0]), history: Self.history, direction: .minimize))
    #expect(!pruner.shouldPrune(Self.trial(9, [2: 3.5]), history: Self.history, direction: .maximize))
    #expect(pruner.shouldPrune(Self.trial(9, [2: 2.5]), history: Self.history, direction: .maximize))
  }

  @Test func startupAndWarmupProtectEarlyTrials() throws {
    #expect(
      !MedianPruner(startupTrials: 6).shouldPrune(Self.trial(9, [2: 99]), history: Self.history, direction: .minimize))
    #expect(
      !MedianPruner(startupTrials: 1, warmupSteps: 3).shouldPrune(
        Self.trial(9, [2: 99]), history: Self.history, direction: .minimize))
    // The 80th percentile of 1...5 is 4.2: 4.1 passes, 4.3 is pruned.
    let strict = try MedianPruner(startupTrials: 1, percentile: 80)
    #expect(!strict.shouldPrune(Self.trial(9, [2: 4.1]), history: Self.history, direction: .minimize))
    #expect(strict.shouldPrune(Self.trial(9, [2: 4.3]), history: Self.history, direction: .minimize))
  }

  /// Optuna 5.0.0's `PercentilePruner` on the fixture's hand-built studies (made by
  /// `Fixtures/make_median_pruner_fixtures.py`): the same decision in every case — the
  /// best value so far against the completed trials' percentile at the latest step,
  /// pruned trials and NaNs left out, a trial of NaNs pruned.
  @Test func decisionsMatchOptunasOnTheFixture() throws {
    struct Case: Decodable {
      var name: String
      var direction: String
      var completed: [[[Double?]]]
      var pruned: [[[Double?]]]
      var running: [[Double?]]
      var startupTrials: Int
      var warmupSteps: Int
      var percentile: Double
      var prune: Bool
    }
    struct Fixture: Decodable { var cases: [Case] }
    let url = try #require(Bundle.module.url(forResource: "Fixtures/median_pruner_optuna", withExtension: "json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    #expect(fixture.cases.count == 18)
    func values(_ pairs: [[Double?]]) -> [Int: Double] {
      var out: [Int: Double] = [:]
      for pair in pairs where pair.count == 2 { out[Int(pair[0] ?? -1)] = pair[1] ?? .nan }
      return out
    }
    for c in fixture.cases {
      let history =
        c.completed.enumerated().map { Self.trial($0.offset, values($0.element)) }
        + c.pruned.enumerated().map { Self.trial(100 + $0.offset, values($0.element), state: .pruned) }
      let pruner = try MedianPruner(
        startupTrials: c.startupTrials, warmupSteps: c.warmupSteps, percentile: c.percentile)
      let running = Self.trial(999, values(c.running), state: .running)
      let decision = pruner.shouldPrune(
        running, history: history, direction: c.direction == "maximize" ? .maximize : .minimize)
      #expect(decision == c.prune, "\(c.name)")
    }
  }

  /// Running means over folds: fold scores 0.5 then 3.0 report 0.5 and 1.75. By Optuna's
  /// rule the best so far, 0.5, beats step 2's median of 3 (and 1.75 would too), so take
  /// step values 0.5, 1.75, 3.6: best 0.5, latest 3.6 — kept as a learning curve, pruned
  /// as a running summary. For maximisation, latest 2.5 against the median 3 is pruned.
  @Test func aRunningSummaryIsJudgedByItsLatestValue() {
    let pruner = MedianPruner(startupTrials: 5)
    var curve = Self.trial(9, [0: 0.5, 1: 1.75, 2: 3.6], state: .running)
    #expect(!pruner.shouldPrune(curve, history: Self.history, direction: .minimize))
    curve.userAttributes[FrozenTrial.runningSummaryAttribute] = "true"
    #expect(pruner.shouldPrune(curve, history: Self.history, direction: .minimize))
    var rising = Self.trial(9, [0: 11, 2: 2.5], state: .running)
    #expect(!pruner.shouldPrune(rising, history: Self.history, direction: .maximize))
    rising.userAttributes[FrozenTrial.runningSummaryAttribute] = "true"
    #expect(pruner.shouldPrune(rising, history: Self.history, direction: .maximize))
    // A NaN latest mean is pruned, whatever came before.
    let broken = FrozenTrial(
      number: 9, state: .running, intermediateValues: [0: 1, 2: .nan],
      userAttributes: [FrozenTrial.runningSummaryAttribute: "true"])
    #expect(pruner.shouldPrune(broken, history: Self.history, direction: .minimize))
  }

  @Test(arguments: [-1, 100.5, Double.nan])
  func aPercentileOutsideTheRangeThrows(percentile: Double) {
    #expect(throws: TuningError.self) { try MedianPruner(percentile: percentile) }
  }

  @Test func prunedTrialsAreRecordedAsPruned() throws {
    let study = Study(sampler: RandomSampler(seed: 2), pruner: MedianPruner(startupTrials: 3))
    try study.optimize(trials: 12) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      for step in 0..<5 {
        trial.report(x * Double(step + 1), step: step)
        if trial.shouldPrune() { throw TrialPruned() }
      }
      return x * 5
    }
    let pruned = study.trials.filter { $0.state == .pruned }
    #expect(!pruned.isEmpty)
    #expect(study.trials.prefix(3).allSatisfy { $0.state == .complete })
  }
}

@Suite("Multivariate TPE")
struct MultivariateTPETests {
  @Test func jointChoicesCoverTheSharedSpaceAfterStartup() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    try study.optimize(trials: 12) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      let y = try trial.suggestFloat("y", 0...1)
      return x + y
    }
    let sampler = TPESampler(seed: 2, startupTrials: 10)
    let joint = sampler.sampleJointly(trial: 12, history: study.trials, direction: .minimize)
    #expect(Set(joint.keys) == ["x", "y"])
    let independent = TPESampler(seed: 2, startupTrials: 10, multivariate: false)
    #expect(independent.sampleJointly(trial: 12, history: study.trials, direction: .minimize).isEmpty)
  }
}
