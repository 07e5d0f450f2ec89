import Foundation
import Testing

@testable import HoneTuning

/// The TPE sampler's space-filling start (``TPESampler/StartupDesign/sobol(_:)``).
@Suite("TPE start-up design")
struct TPEStartupDesignTests {
  /// SciPy's `qmc.Sobol(d=64, scramble=False)`, first 128 points (`Fixtures/make_sobol_fixtures.py`).
  static func scipyPoints() throws -> [[Double]] {
    struct Fixture: Decodable { let points: [[Double]] }
    let url = try #require(Bundle.module.url(forResource: "Fixtures/sobol_scipy", withExtension: "json"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).points
  }

  /// The coordinate a name selects is its 64-bit FNV-1a hash modulo 64; the expected
  /// values were computed by hand in Python (`h ^= byte; h *= 0x100000001B3` from
  /// `0xCBF29CE484222325`), not by the code under test.
  @Test(arguments: [("x", 7), ("a", 12), ("b", 37), ("late", 1), ("x0", 53), ("x1", 2)])
  func nameSelectsItsCoordinate(name: String, dimension: Int) {
    #expect(TPESampler.startupDimension(name) == dimension)
  }

  /// Unscrambled, trial i's start-up value of a parameter on [0, 1] is coordinate
  /// `dimension(name)` of SciPy's point i (an exact dyadic fraction, so compared exactly),
  /// whatever the other parameters are.
  @Test func unscrambledStartIsSciPysSobolPoints() throws {
    let points = try Self.scipyPoints()
    let study = Study(sampler: TPESampler(seed: 3, startupTrials: 16, startupDesign: .sobol(.none)))
    try study.optimize(trials: 16) { trial in
      try trial.suggestFloat("a", 0...1) + trial.suggestFloat("b", 0...1) + trial.suggestFloat("x", 0...1)
    }
    for trial in study.trials {
      for (name, dimension) in [("a", 12), ("b", 37), ("x", 7)] {
        #expect(trial.parameters[name] == .double(points[trial.number][dimension]), "trial \(trial.number) \(name)")
      }
    }
  }

  /// A parameter first suggested late (define-by-run) takes the sequence's point for the
  /// trial's number, not for its own first appearance, so parallel and resumed studies
  /// agree; the history given does not change a start-up value.
  @Test func lateParameterTakesItsTrialsPoint() throws {
    let points = try Self.scipyPoints()
    let sampler = TPESampler(seed: 3, startupDesign: .sobol(.none))
    let distribution = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let study = Study(sampler: RandomSampler(seed: 1))
    try study.optimize(trials: 30) { trial in try trial.suggestFloat("x", 0...1) }
    for number in [0, 5, 37, 100] {
      let alone = sampler.sample("late", distribution, trial: number, history: [], direction: .minimize)
      let after = sampler.sample("late", distribution, trial: number, history: study.trials, direction: .minimize)
      #expect(alone == .double(points[number][1]))
      #expect(after == alone)
    }
  }

  /// Scrambled, the first 2^m start-up trials still fill every 1/2^m-th of each range
  /// exactly once (Owen scrambling keeps the net property), so a categorical of 4
  /// choices takes each once in 4 trials and an integer range of 8 values each once in 8;
  /// log and stepped ranges stay inside and on their grids.
  @Test(arguments: [UInt64(0), 1, 42])
  func scrambledStartFillsEachStratum(seed: UInt64) throws {
    let study = Study(sampler: TPESampler(seed: seed, startupTrials: 8, startupDesign: .sobol(.owen)))
    try study.optimize(trials: 8) { trial in
      let kind = try trial.suggestCategorical("kind", ["a", "b", "c", "d"])
      let depth = try trial.suggestInt("depth", 3...10)
      let rate = try trial.suggestFloat("rate", 1e-3...1, log: true)
      let leaves = try trial.suggestInt("leaves", 2...256, log: true)
      let fraction = try trial.suggestFloat("fraction", 0.2...1, step: 0.2)
      let x = try trial.suggestFloat("x", -5...10)
      return Double(depth) + rate + Double(leaves) + fraction + x + (kind == "a" ? 0 : 1)
    }
    let trials = study.trials
    #expect(trials.count == 8)
    #expect(
      Set(trials.prefix(4).compactMap { $0.parameters["kind"] }) == Set(["a", "b", "c", "d"].map { .string($0) }))
    #expect(Set(trials.compactMap { $0.parameters["depth"] }) == Set((3...10).map { .int($0) }))
    // x on -5...10: one value in each eighth of the range.
    let eighths = trials.compactMap { trial -> Int? in
      guard case .double(let x) = trial.parameters["x"] else { return nil }
      return Int((x + 5) / 15 * 8)
    }
    #expect(Set(eighths) == Set(0..<8))
    for trial in trials {
      guard case .double(let rate) = trial.parameters["rate"], case .int(let leaves) = trial.parameters["leaves"],
        case .double(let fraction) = trial.parameters["fraction"]
      else {
        Issue.record("a parameter is missing or of the wrong kind: \(trial.parameters)")
        continue
      }
      #expect((1e-3...1).contains(rate))
      #expect((2...256).contains(leaves))
      // The grid 0.2, 0.4, …, 1.0, to a rounding of the step arithmetic.
      #expect(abs(fraction / 0.2 - (fraction / 0.2).rounded()) < 1e-9)
      #expect((0.2 - 1e-12...1 + 1e-12).contains(fraction))
    }
  }

  /// The same seed repeats the start; another seed scrambles it differently; after the
  /// start-up trials the model takes over (the 11th trial differs from the design's
  /// point for that trial).
  @Test func startRepeatsUnderItsSeedAndHandsOver() throws {
    func run(_ seed: UInt64) throws -> [ParameterValue?] {
      let study = Study(sampler: TPESampler(seed: seed, startupDesign: .sobol(.owen)))
      try study.optimize(trials: 11) { trial in
        let x = try trial.suggestFloat("x", -5...10)
        return x * x
      }
      return study.trials.map { $0.parameters["x"] }
    }
    let first = try run(4)
    #expect(try run(4) == first)
    #expect(try run(5).prefix(10) != first.prefix(10))
    let design = TPESampler(seed: 4, startupDesign: .sobol(.owen))
    let distribution = Distribution.float(low: -5, high: 10, log: false, step: nil)
    for number in 0..<10 {
      #expect(first[number] == design.startupValue("x", distribution, trial: number))
    }
    #expect(first[10] != design.startupValue("x", distribution, trial: 10))
  }
}
