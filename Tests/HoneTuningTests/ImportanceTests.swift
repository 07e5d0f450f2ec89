import Foundation
import HoneCore
import HoneTuning
import Testing

@Suite("Hyperparameter importance")
struct ImportanceTests {
  /// Complete trials with parameters drawn uniformly from `[0, 1]` (plus an unused
  /// categorical) and values from `objective`.
  static func trials(count: Int, seed: UInt64, objective: ([Double]) -> Double) -> [FrozenTrial] {
    var generator = Xoshiro256StarStar(seed: seed)
    let unit = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let colour = Distribution.categorical(["red", "green", "blue"])
    return (0..<count).map { number in
      let x = (0..<3).map { _ in generator.nextUnitDouble() }
      let c = ["red", "green", "blue"][generator.nextInt(below: 3)]
      return FrozenTrial(
        number: number, state: .complete, value: objective(x),
        parameters: ["x1": .double(x[0]), "x2": .double(x[1]), "x3": .double(x[2]), "colour": .string(c)],
        distributions: ["x1": unit, "x2": unit, "x3": unit, "colour": colour])
    }
  }

  static func share(_ importances: [ParameterImportance], _ name: String) -> Double {
    importances.first { $0.name == name }?.importance ?? .nan
  }

  /// When a monotone objective reads one parameter only, every split on it is optimal, so
  /// trees split on the others only where the choice is a tie: a node of two points, which
  /// any parameter with distinct values separates equally well. Those splits lie deep in
  /// the tree, inside boxes of tiny volume, and cost the relevant share about 1e-4 in the
  /// seeds below; 1e-3 leaves room without letting a real rival effect (≥ 1e-2) through.
  @Test(arguments: [UInt64(1), 2, 3])
  func singleRelevantParameterTakesEverything(seed: UInt64) throws {
    let trials = Self.trials(count: 120, seed: seed) { x in x[1] * x[1] + x[1] }
    let importances = try FanovaImportance(treeCount: 16, seed: seed).evaluate(trials)
    #expect(importances.count == 4)
    #expect(importances.first?.name == "x2")
    #expect(abs(Self.share(importances, "x2") - 1) < 1e-3)
    for name in ["x1", "x3", "colour"] { #expect(Self.share(importances, name) < 1e-3) }
  }

  /// For an additive f = a·x1 + b·x2 on independent uniform inputs the main-effect
  /// variances are a²/12 and b²/12, so the normalised shares are a²/(a²+b²) and
  /// b²/(a²+b²). A forest on 400 points approximates each linear effect by steps and picks
  /// up small spurious interactions, so the shares carry an error of a few percent; 0.05
  /// absolute is about three times what the seeds below show.
  @Test(arguments: [(1.0, 1.0), (2.0, 1.0), (3.0, -1.0)])
  func additiveSharesApproachTheClosedForm(a: Double, b: Double) throws {
    let trials = Self.trials(count: 400, seed: 11) { x in a * x[0] + b * x[1] }
    let importances = try FanovaImportance(treeCount: 32, seed: 5).evaluate(trials)
    let expected1 = a * a / (a * a + b * b)
    #expect(abs(Self.share(importances, "x1") - expected1) < 0.05)
    #expect(abs(Self.share(importances, "x2") - (1 - expected1)) < 0.05)
    // The irrelevant parameters get close to nothing: only spurious splits where noise of
    // the bootstrap lets them reduce error. 0.02 is the same few-percent budget shared out.
    #expect(Self.share(importances, "x3") < 0.02)
    #expect(Self.share(importances, "colour") < 0.02)
    #expect(abs(importances.reduce(0) { $0 + $1.importance } - 1) < 1e-12)
  }

  /// A parameter whose range depends on another's value (`y` in 0...x) differs between
  /// trials, so it is left out, as Optuna's intersection search space leaves it; the
  /// others are still rated (before, only trials whose `y` range matched the first
  /// trial's were kept, and with every range different the evaluation threw).
  @Test func aParameterWithATrialDependentRangeIsLeftOut() throws {
    let trials = Self.trials(count: 120, seed: 6) { x in x[0] }.map { trial -> FrozenTrial in
      var t = trial
      guard case .double(let x1)? = t.parameters["x1"] else { return t }
      t.parameters["y"] = .double(x1 / 2)
      t.distributions["y"] = .float(low: 0, high: x1, log: false, step: nil)
      return t
    }
    let importances = try FanovaImportance(treeCount: 8, seed: 2).evaluate(trials)
    #expect(Set(importances.map(\.name)) == ["x1", "x2", "x3", "colour"])
    #expect(importances.first?.name == "x1")
  }

  /// Values on a large offset (5e5 plus differences of order 0.1): the shares are those
  /// of the same values without the offset, not all zero (the split test once compared
  /// the spread with the squares of the raw values).
  @Test func aLargeOffsetDoesNotHideTheEffects() throws {
    let plain = Self.trials(count: 100, seed: 3) { x in 0.1 * x[1] }
    let shifted = plain.map { trial -> FrozenTrial in
      var t = trial
      t.value = (t.value ?? 0) + 5e5
      return t
    }
    let a = try FanovaImportance(treeCount: 8, seed: 1).evaluate(plain)
    let b = try FanovaImportance(treeCount: 8, seed: 1).evaluate(shifted)
    #expect(b.first?.name == "x2")
    #expect(abs(Self.share(b, "x2") - Self.share(a, "x2")) < 0.02)
  }

  @Test func sameSeedSameImportances() throws {
    let trials = Self.trials(count: 80, seed: 4) { x in x[0] * x[2] + x[1] }
    let a = try FanovaImportance(treeCount: 8, seed: 9).evaluate(trials)
    let b = try FanovaImportance(treeCount: 8, seed: 9).evaluate(trials)
    #expect(a == b)
  }

  /// A categorical objective: each choice is a cell of width 1/3 on the unit interval, so
  /// the effect of `colour` is found; the others get only tie splits of two-point nodes
  /// (see above), hence the same 1e-3 tolerance.
  @Test func categoricalParameterIsRated() throws {
    let trials = Self.trials(count: 60, seed: 8) { _ in 0 }.map { trial -> FrozenTrial in
      var t = trial
      t.value = t.parameters["colour"] == .string("green") ? 1 : 0
      return t
    }
    let importances = try FanovaImportance(treeCount: 8, seed: 1).evaluate(trials)
    #expect(importances.first?.name == "colour")
    #expect(abs(Self.share(importances, "colour") - 1) < 1e-3)
  }

  @Test func tooFewTrialsOrUnknownParameterThrow() throws {
    let trials = Self.trials(count: 1, seed: 1) { $0[0] }
    #expect(throws: TuningError.self) { try FanovaImportance().evaluate(trials) }
    let more = Self.trials(count: 10, seed: 1) { $0[0] }
    #expect(throws: TuningError.self) { try FanovaImportance().evaluate(more, parameters: ["nope"]) }
    #expect(throws: TuningError.self) { try FanovaImportance(treeCount: 0).evaluate(more) }
  }

  /// Optuna 5.0.0's `FanovaImportanceEvaluator` on the trials in the fixture (made by
  /// `Fixtures/make_importance_fixtures.py`): the same ranking, and shares within 0.02 —
  /// the two forests draw different bootstraps, so only the ranking is exact.
  @Test func matchesOptunaRanking() throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/importance_optuna", withExtension: "json"))
    struct Fixture: Decodable {
      let trials: [[String: Double]]
      let values: [Double]
      let importances: [String: Double]
    }
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    let unit = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let trials = zip(fixture.trials, fixture.values).enumerated().map { number, pair in
      let (parameters, value) = pair
      return FrozenTrial(
        number: number, state: .complete, value: value,
        parameters: parameters.mapValues { .double($0) },
        distributions: parameters.mapValues { _ in unit })
    }
    let importances = try FanovaImportance(seed: 0).evaluate(trials)
    let optunaOrder = fixture.importances.sorted { $0.value > $1.value }.map(\.key)
    #expect(importances.map(\.name) == optunaOrder)
    for (name, share) in fixture.importances {
      #expect(abs(Self.share(importances, name) - share) < 0.02, "\(name)")
    }
  }

  /// The shares do not depend on the objective's units: values scaled by 1e-9 (which
  /// stopped the trees at the root) or 1e160 (whose squares overflow) rate the parameters
  /// as the plain values do.
  @Test(arguments: [1e-9, 1e160, -3.0])
  func theUnitsOfTheObjectiveDoNotMatter(scale: Double) throws {
    let plain = Self.trials(count: 100, seed: 3) { x in x[0] + 0.5 * x[1] * x[1] }
    let scaled = plain.map { trial -> FrozenTrial in
      var t = trial
      t.value = (trial.value ?? 0) * scale
      return t
    }
    let forest = FanovaImportance(treeCount: 16, seed: 2)
    let a = try forest.evaluate(plain)
    let b = try forest.evaluate(scaled)
    #expect(Self.share(a, "x1") > 0.5)
    for name in ["x1", "x2", "x3", "colour"] {
      #expect(abs(Self.share(a, name) - Self.share(b, name)) < 1e-9, "\(name)")
    }
  }

  /// A parameter and an exact copy of it split the trials equally well at every node: the
  /// forest shares their importance (in expectation half each) instead of handing it all to
  /// the name visited first, and renaming them does not swap the result.
  @Test func aParameterAndItsCopyShareTheirImportance() throws {
    func copied(as name: String) -> [FrozenTrial] {
      Self.trials(count: 120, seed: 5) { x in x[0] + 0.3 * x[1] }.map { trial in
        var t = trial
        t.parameters[name] = trial.parameters["x1"]
        t.distributions[name] = trial.distributions["x1"]
        return t
      }
    }
    for name in ["a", "z"] {
      let importances = try FanovaImportance(treeCount: 64, seed: 1).evaluate(copied(as: name))
      let pair = Self.share(importances, "x1") + Self.share(importances, name)
      #expect(pair > 0.8)
      let original = Self.share(importances, "x1")
      let copy = Self.share(importances, name)
      #expect(original > 0.3 * pair && copy > 0.3 * pair, "\(name)")
    }
  }

  /// Values that differ only by rounding (0.3 against 0.1 + 0.2) scored the same: every
  /// share is 0, not an effect of the parameter that splits them.
  @Test func valuesEqualButForRoundingExplainNothing() throws {
    let trials = Self.trials(count: 30, seed: 7) { x in x[0] <= 0.5 ? 0.3 : 0.1 + 0.2 }
    let importances = try FanovaImportance(treeCount: 8, seed: 1).evaluate(trials)
    #expect(importances.allSatisfy { $0.importance == 0 })
  }

  /// The seed is used: another seed draws other bootstraps and gives other shares.
  @Test func anotherSeedGivesOtherShares() throws {
    let trials = Self.trials(count: 80, seed: 4) { x in x[0] * x[2] + x[1] }
    let a = try FanovaImportance(treeCount: 8, seed: 9).evaluate(trials)
    let b = try FanovaImportance(treeCount: 8, seed: 10).evaluate(trials)
    #expect(a.map(\.importance) != b.map(\.importance))
  }
}

@Suite("Study plot data")
struct StudyPlotTests {
  @Test func historyTracksTheBestCompleteValue() {
    let trials = [
      FrozenTrial(number: 2, state: .complete, value: 3),
      FrozenTrial(number: 0, state: .complete, value: 5),
      FrozenTrial(number: 1, state: .pruned),
      FrozenTrial(number: 3, state: .complete, value: 4),
      FrozenTrial(number: 4, state: .failed),
    ]
    let minimising = StudyPlots.optimizationHistory(trials, direction: .minimize)
    #expect(minimising.map(\.number) == [0, 1, 2, 3, 4])
    #expect(minimising.map(\.bestSoFar) == [5, 5, 3, 3, 3])
    #expect(minimising.map(\.value) == [5, nil, 3, 4, nil])
    #expect(minimising.map(\.state) == [.complete, .pruned, .complete, .complete, .failed])
    let maximising = StudyPlots.optimizationHistory(trials, direction: .maximize)
    #expect(maximising.map(\.bestSoFar) == [5, 5, 5, 5, 5])
  }

  /// A trial that died with its process was retried under a later number: the history
  /// leaves it out rather than plot it as a failure of its own.
  @Test func historyLeavesOutTrialsThatDiedWithTheirProcess() {
    let dead = FrozenTrial(
      number: 1, state: .failed, userAttributes: [FrozenTrial.diedWithProcessAttribute: "true"])
    let trials = [
      FrozenTrial(number: 0, state: .complete, value: 2), dead, FrozenTrial(number: 2, state: .complete, value: 1),
    ]
    let history = StudyPlots.optimizationHistory(trials, direction: .minimize)
    #expect(history.map(\.number) == [0, 2])
    #expect(history.map(\.bestSoFar) == [2, 1])
  }

  @Test func parallelCoordinatesMapToTheUnitInterval() throws {
    let rate = Distribution.float(low: 0.001, high: 1, log: true, step: nil)
    let kind = Distribution.categorical(["a", "b"])
    let trials = [
      FrozenTrial(
        number: 0, state: .complete, value: 2, parameters: ["rate": .double(0.001), "kind": .string("a")],
        distributions: ["rate": rate, "kind": kind]),
      FrozenTrial(
        number: 1, state: .complete, value: 6, parameters: ["rate": .double(1), "kind": .string("b")],
        distributions: ["rate": rate, "kind": kind]),
      FrozenTrial(
        number: 2, state: .complete, value: 4, parameters: ["rate": .double(0.0316227766016838)],
        distributions: ["rate": rate]),
      FrozenTrial(number: 3, state: .pruned),
    ]
    let plot = StudyPlots.parallelCoordinates(trials)
    #expect(plot.trialNumbers == [0, 1, 2])
    #expect(plot.axes.map(\.name) == ["kind", "rate", "objective"])
    // Choices sit at the centres of equal cells; a log range maps log(x) linearly, so
    // 10^-1.5 sits half-way between 10^-3 and 10^0.
    #expect(plot.axes[0].positions == [0.25, 0.75, nil])
    #expect(plot.axes[0].ticks.map(\.label) == ["a", "b"])
    let ratePositions = plot.axes[1].positions.compactMap { $0 }
    #expect(ratePositions.count == 3)
    #expect(abs(ratePositions[0]) < 1e-12 && abs(ratePositions[1] - 1) < 1e-12 && abs(ratePositions[2] - 0.5) < 1e-12)
    #expect(plot.axes[1].ticks.map(\.label) == ["0.001", "0.005623", "0.03162", "0.1778", "1"])
    #expect(plot.axes[2].positions == [0, 1, 0.5])
  }

  /// `y` drawn from `0...x` (one range per trial) gets one axis over `0...max x`; an
  /// integer parameter once declared `1...4` and once `3...8` one integer axis `1...8`;
  /// choices from two lists their union.
  @Test func aParameterWhoseRangeChangedGetsOneAxisSpanningAll() throws {
    let trials = [(2.0, 1, "a"), (4.0, 8, "c"), (1.0, 3, "b")].enumerated().map { number, row in
      FrozenTrial(
        number: number, state: .complete, value: Double(number),
        parameters: ["y": .double(row.0 / 2), "n": .int(row.1), "kind": .string(row.2)],
        distributions: [
          "y": .float(low: 0, high: row.0, log: false, step: nil),
          "n": number == 1 ? .int(low: 3, high: 8, log: false, step: 1) : .int(low: 1, high: 4, log: false, step: 1),
          "kind": number == 1 ? .categorical(["c", "a"]) : .categorical(["a", "b"]),
        ])
    }
    let plot = StudyPlots.parallelCoordinates(trials)
    #expect(plot.axes.map(\.name) == ["kind", "n", "y", "objective"])
    // Choices a, b, c: cells of a third.
    let choices: [Double?] = [1.0 / 6, 5.0 / 6, 0.5]
    #expect(plot.axes[0].positions == choices)
    // 1...8 as integer cells from 0.5 to 8.5.
    let counts: [Double?] = [0.5 / 8, 7.5 / 8, 2.5 / 8]
    #expect(plot.axes[1].positions == counts)
    let halves: [Double?] = [0.25, 0.5, 0.125]
    #expect(plot.axes[2].positions == halves)
  }

  /// An integer range reaching Int.max − 1 is valid; its axis ticks (the top one is 2⁶³
  /// on the internal scale) trapped converting back to an integer.
  @Test func anIntegerRangeNearIntMaxHasTicks() throws {
    let wide = Distribution.int(low: 0, high: Int.max - 1, log: false, step: 1)
    try wide.validate(name: "n")
    let plot = StudyPlots.parallelCoordinates([
      FrozenTrial(number: 0, state: .complete, value: 1, parameters: ["n": .int(7)], distributions: ["n": wide])
    ])
    #expect(plot.axes[0].ticks.last?.label == String(Int.max - 1))
  }
}
