import Foundation
import HoneCore
import Testing

@testable import HoneTuning

/// The maps every sampler goes through — unit numbers and internal-scale points to
/// values — at the edges of a range: a stepped range whose `high` is off the grid or whose
/// division rounds short of it, a log range's ends, and integer ranges too wide to count.
@Suite("Distribution edges")
struct DistributionTests {
  static func number(_ value: ParameterValue?) -> Double? {
    if case .double(let x)? = value { return x }
    return nil
  }

  /// `[0, 1]` in steps of 0.3: the grid is 0, 0.3, 0.6, 0.9; `high` = 1 is not on it, so
  /// no sampler may return it (Optuna moves `high` down to 0.9).
  /// Given values are taken as the distribution holds numbers, and refused outside it.
  @Test func acceptingTakesNumbersByValue() {
    let real = Distribution.float(low: 0, high: 9, log: false, step: nil)
    let whole = Distribution.int(low: 0, high: 9, log: false, step: 1)
    #expect(real.accepting(.int(3)) == .double(3))
    #expect(whole.accepting(.double(3)) == .int(3))
    #expect(whole.accepting(.double(3.5)) == nil)
    #expect(whole.accepting(.int(12)) == nil)
    #expect(Distribution.categorical(["a", "b"]).accepting(.string("b")) == .string("b"))
    #expect(Distribution.categorical(["a", "b"]).accepting(.int(1)) == nil)
  }

  @Test func aSteppedRangeNeverReturnsAnOffGridHigh() {
    let d = Distribution.float(low: 0, high: 1, log: false, step: 0.3)
    let past = d.value(atInternal: 1.1)
    #expect(d.contains(past))
    #expect(Self.number(past).map { abs($0 - 0.9) < 1e-12 } == true, "\(past)")
    #expect(d.value(atInternal: -0.4) == .double(0))
    #expect(Self.number(d.value(atUnit: 0.999_999)).map { abs($0 - 0.9) < 1e-12 } == true)
    // The internal range ends half a step beyond the grid's ends, so each of the four
    // points has an equal share.
    let bounds = d.internalBounds
    #expect(abs(bounds.low - -0.15) < 1e-12 && abs(bounds.high - 1.05) < 1e-12)
  }

  /// `[0, 0.3]` in steps of 0.1: 0.3 / 0.1 = 2.9999999999999996 in floating point, which
  /// used to drop the top point from every unit-number sampler.
  @Test func theTopGridPointIsDrawnWhenTheDivisionRoundsShortOfIt() {
    let d = Distribution.float(low: 0, high: 0.3, log: false, step: 0.1)
    #expect((0.3 - 0.0) / 0.1 < 3)
    let top = d.value(atUnit: 0.99)
    #expect(d.contains(top))
    guard case .double(let x) = top else {
      Issue.record("not a float: \(top)")
      return
    }
    #expect(abs(x - 0.3) < 1e-12)
    // Quarters of the unit interval map to the four points in order.
    let values = [0.1, 0.3, 0.6, 0.9].map { d.value(atUnit: $0) }
    let expected = [0, 0.1, 0.2, 0.3]
    for (value, reference) in zip(values, expected) {
      guard case .double(let v) = value else { continue }
      #expect(abs(v - reference) < 1e-12, "\(value) vs \(reference)")
    }
  }

  /// A log range's ends survive the round trip through the logarithm: exp(log(1e-5)) is an
  /// ulp below 1e-5, which an unscrambled Sobol sequence's first point hit.
  @Test(arguments: [1e-5, 3e-7, 0.1, 7.0])
  func aLogRangeStaysInsideAtItsEnds(low: Double) {
    let d = Distribution.float(low: low, high: low * 1e4, log: true, step: nil)
    for u in [0.0, 1e-17, 0.5, 1 - 1e-16] {
      let value = d.value(atUnit: u)
      #expect(d.contains(value), "u = \(u): \(value)")
    }
    #expect(Self.number(d.value(atUnit: 0)).map { abs($0 - low) <= 1e-12 * low } == true)
  }

  /// Random and TPE studies over an off-grid stepped range and a tiny log range: every
  /// value any trial takes is inside.
  @Test(arguments: ["random", "tpe", "cmaes"])
  func studiesStayInsideAwkwardRanges(sampler: String) throws {
    let chosen: any Sampler =
      switch sampler {
      case "random": RandomSampler(seed: 4)
      case "cmaes":
        try CMAESSampler(
          seed: 4,
          space: [
            "a": .float(low: 0, high: 1, log: false, step: 0.3), "b": .float(low: 1e-5, high: 1, log: true, step: nil),
          ])
      default: TPESampler(seed: 4)
      }
    let study = Study(sampler: chosen)
    try study.optimize(trials: 60) { trial in
      let a = try trial.suggestFloat("a", 0...1, step: 0.3)
      let b = try trial.suggestFloat("b", 1e-5...1, log: true)
      return (a - 0.9) * (a - 0.9) + abs(Foundation.log10(b) + 5)
    }
    for trial in study.trials {
      for (name, value) in trial.parameters {
        #expect(trial.distributions[name]?.contains(value) == true, "\(name) = \(value)")
      }
    }
    // The searched optimum, a = 0.9 on the grid's last point, is reachable.
    #expect(study.trials.contains { Self.number($0.parameters["a"]).map { abs($0 - 0.9) < 1e-12 } == true })
  }

  /// A grid lists every point once, the last one inside the range even when the step's
  /// multiple rounds past it, and refuses ranges it cannot list.
  @Test func gridPointsAreInsideAndBounded() throws {
    let tenths = try Distribution.float(low: 0, high: 0.3, log: false, step: 0.1).gridPoints(name: "x")
    #expect(tenths.count == 4)
    #expect(tenths.last == .double(0.3))
    #expect(tenths.allSatisfy { Distribution.float(low: 0, high: 0.3, log: false, step: 0.1).contains($0) })
    #expect(try Distribution.float(low: 0, high: 1, log: false, step: 0.3).gridPoints(name: "x").count == 4)
    #expect(
      try Distribution.int(low: 2, high: 11, log: false, step: 3).gridPoints(name: "n")
        == [2, 5, 8, 11].map { .int($0) })
    #expect(throws: TuningError.self) {
      try Distribution.int(low: 1, high: 1_000_000_000, log: false, step: 1).gridPoints(name: "n")
    }
    #expect(throws: TuningError.self) {
      try Distribution.float(low: 0, high: 1, log: false, step: nil).gridPoints(name: "x")
    }
    #expect(throws: TuningError.self) {
      try Distribution.float(low: 0, high: 1, log: false, step: 1e-9).gridPoints(name: "x")
    }
  }

  /// A grid with more combinations than an `Int` counts is refused at construction rather
  /// than trapping at its first trial.
  @Test func aGridTooLargeToCountIsRefused() {
    let values = (0..<1000).map { ParameterValue.int($0) }
    let grid = Dictionary(uniqueKeysWithValues: (0..<7).map { ("p\($0)", values) })
    #expect(throws: TuningError.self) { try GridSampler(grid) }
    #expect(throws: Never.self) {
      try GridSampler(Dictionary(uniqueKeysWithValues: (0..<6).map { ("p\($0)", values) }))
    }
  }

  /// An integer range whose width or point count overflows `Int` is refused when
  /// suggested, with the name, instead of trapping in a sampler.
  @Test func integerRangesTooWideToCountAreRefused() {
    for (low, high) in [(Int.min, Int.max), (0, Int.max), (-5, Int.max - 2)] {
      let d = Distribution.int(low: low, high: high, log: false, step: 1)
      #expect(throws: TuningError.self) { try d.validate(name: "n") }
    }
    #expect(throws: Never.self) {
      try Distribution.int(low: 0, high: Int.max - 1, log: false, step: 1).validate(name: "n")
    }
  }
}

/// Parameters with a single value and integer steps that do not divide their range.
@Suite("Single-valued and ragged ranges")
struct SingleValueTests {
  /// A constant parameter next to a searched one: the constant takes its value without
  /// the sampler, and TPE's joint choices for the other are the same as without it (a
  /// zero-width kernel used to make every joint score NaN, so TPE stopped choosing).
  @Test(arguments: [
    Distribution.float(low: 1, high: 1, log: false, step: nil), .float(low: 0.1, high: 0.1, log: true, step: nil),
    .int(low: 3, high: 3, log: false, step: 1), .int(low: 0, high: 4, log: false, step: 5), .categorical(["only"]),
  ])
  func aSingleValuedParameterChangesNoOtherChoice(constant: Distribution) throws {
    func xs(withConstant: Bool) throws -> [FrozenTrial] {
      let study = Study(sampler: TPESampler(seed: 8))
      try study.optimize(trials: 30) { trial in
        let x = try trial.suggestFloat("x", -5...5)
        if withConstant { _ = try trial.suggest("c", constant) }
        return (x - 1) * (x - 1)
      }
      return study.trials
    }
    let with = try xs(withConstant: true)
    let without = try xs(withConstant: false)
    #expect(with.map { $0.parameters["x"] } == without.map { $0.parameters["x"] })
    let only = try #require(constant.singleValue)
    #expect(with.allSatisfy { $0.parameters["c"] == only })
  }

  @Test func rangesThatAreNotSingleHaveNoSingleValue() {
    #expect(Distribution.float(low: 0, high: 1, log: false, step: nil).singleValue == nil)
    #expect(Distribution.int(low: 0, high: 5, log: false, step: 5).singleValue == nil)
    #expect(Distribution.categorical(["a", "b"]).singleValue == nil)
  }

  /// `0...9` in steps of 5 is the grid {0, 5}: the internal range ends half a step past 5,
  /// not past 9, so each point has an equal share (it was 5 : 9 for the top one).
  @Test func anIntegerRangeIsBoundedByItsLastGridPoint() {
    let d = Distribution.int(low: 0, high: 9, log: false, step: 5)
    #expect(d.internalBounds.low == -2.5 && d.internalBounds.high == 7.5)
    #expect(Distribution.int(low: 0, high: 10, log: false, step: 5).internalBounds.high == 12.5)
  }

  /// A float range whose width overflows to infinity is refused with the name.
  @Test func aRangeWiderThanADoubleIsRefused() {
    #expect(throws: TuningError.self) {
      try Distribution.float(low: -1e308, high: 1e308, log: false, step: nil).validate(name: "x")
    }
  }

  /// Fewer than one candidate counts as one, so a sampler built in code cannot trap.
  @Test func candidatesBelowOneCountAsOne() throws {
    #expect(TPESampler(candidates: -3).candidates == 1)
    let study = Study(sampler: TPESampler(seed: 1, startupTrials: 2, candidates: 0))
    try study.optimize(trials: 6) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      return x + (try trial.suggestCategorical("k", ["a", "b"]) == "a" ? 0 : 1)
    }
    #expect(study.trials.count == 6)
  }
}

/// Spaces and values that reach a sampler without passing through `suggest`'s checks: a
/// sampler's declared space, a grid's listed values, and stepped ranges whose grid a
/// tolerance relative to the value (rather than the step) got wrong.
@Suite("Distribution and sampler input checks")
struct SamplerInputTests {
  /// A malformed declared space used to crash the first ask (an empty choice list indexed,
  /// a log integer range from 0 turned into `Int(NaN)`, a zero step divided by).
  @Test func aMalformedDeclaredSpaceIsATypedError() throws {
    let spaces: [[String: Distribution]] = [
      ["c": .categorical([])],
      ["n": .int(low: 0, high: 10, log: true, step: 1)],
      ["n": .int(low: 0, high: 10, log: false, step: 0)],
      ["x": .float(low: 0, high: 1, log: false, step: 0)],
    ]
    for space in spaces {
      let study = Study(sampler: SobolSampler(space: space))
      #expect(throws: TuningError.self) { _ = try study.ask() }
      #expect(study.trials.isEmpty, "no trial is created for a sampler that cannot draw")
      #expect(throws: TuningError.self) { _ = try CMAESSampler(space: space) }
    }
  }

  @Test func aPopulationTooLargeToAllocateIsRefused() throws {
    #expect(throws: TuningError.self) { _ = try CMAESSampler(populationSize: .max) }
    #expect(throws: TuningError.self) { _ = try CMAESSampler(populationSize: CMAESSampler.largestPopulation + 1) }
    _ = try CMAESSampler(populationSize: CMAESSampler.largestPopulation)
  }

  /// 0.1 summed three times is 0.30000000000000004, above the range's `high` of 0.3.
  @Test func aGridValueOutsideTheRangeFailsTheTrialAndAnIntegerIsTakenAsAReal() throws {
    let summed = Study(sampler: try GridSampler(["x": (0...3).map { .double(Double($0) * 0.1) }]))
    for _ in 0..<3 { _ = try summed.ask().suggestFloat("x", 0...0.3) }
    #expect(throws: TuningError.self) { _ = try summed.ask().suggestFloat("x", 0...0.3) }
    let integers = Study(sampler: try GridSampler(["x": [.int(1)]]))
    #expect(try integers.ask().suggestFloat("x", 0...3) == 1)
  }

  /// Hand-made stepped ranges whose grids are known: `0...1e-9` in steps of 6e-10 is
  /// {0, 6e-10} (a tolerance of 1e-9 of the value let 1.2e-9 count, and the top point was
  /// clamped to the off-grid 1e-9), `0...5e-10` in steps of 6e-10 is {0} alone, and
  /// `0...1e9` in steps of 0.7 ends at 999999999.6, not at 1e9.
  @Test func steppedRangesStayOnTheirGridAtAnyScale() {
    let tiny = Distribution.float(low: 0, high: 1e-9, log: false, step: 6e-10)
    let drawn = Set((0..<100).compactMap { DistributionTests.number(tiny.value(atUnit: Double($0) / 100)) })
    #expect(drawn == [0, 6e-10])
    #expect(!tiny.contains(.double(1e-9)))
    #expect(Distribution.float(low: 0, high: 5e-10, log: false, step: 6e-10).singleValue == .double(0))
    let wide = Distribution.float(low: 0, high: 1e9, log: false, step: 0.7)
    let top = DistributionTests.number(wide.value(atUnit: 0.999_999_999_999))
    #expect(top.map { abs($0 - 999_999_999.6) < 1e-6 } == true, "\(String(describing: top))")
    #expect(!Distribution.float(low: 0, high: 1e9, log: false, step: 1).contains(.double(700_000_000.5)))
    #expect(Distribution.float(low: 0, high: 1e9, log: false, step: 1).contains(.double(700_000_000)))
    // Decimal steps that binary cannot hold still find their points.
    let decimal = Distribution.float(low: 0.01, high: 0.3, log: false, step: 0.01)
    #expect(decimal.contains(.double(0.15)))
    #expect(decimal.contains(.double(0.3)))
    #expect(!decimal.contains(.double(0.155)))
  }

  /// A step so small that the range holds more points than a Double counts made every
  /// draw the range's `high` and refused every given value.
  @Test func aStepTooSmallToCountIsRefused() throws {
    for (high, step) in [(1.0, Double.leastNonzeroMagnitude), (1e10, 1e-300), (1.0, 1e-17)] {
      #expect(throws: TuningError.self) {
        try Distribution.float(low: 0, high: high, log: false, step: step).validate(name: "x")
      }
    }
    try Distribution.float(low: 0, high: 1, log: false, step: 1e-12).validate(name: "x")
  }

  /// Dispatch's timer trapped converting an interval of about 1.85e10 seconds to
  /// nanoseconds, at the first ask.
  @Test func anAbsurdHeartbeatIntervalIsRefused() throws {
    #expect(throws: TuningError.self) {
      _ = try Study(name: "s", storage: InMemoryStorage(), heartbeatInterval: 1e11)
    }
    _ = try Study(name: "s", storage: InMemoryStorage(), heartbeatInterval: .infinity)
  }
}
