import Foundation
import HoneTuning
import Testing

@Suite("Sobol sequence and sampler")
struct SobolTests {
  /// The unscrambled points are dyadic fractions, so they must equal SciPy's
  /// `qmc.Sobol(scramble=False)` bit for bit (fixture from `Fixtures/make_sobol_fixtures.py`),
  /// in every dimension of the committed table.
  @Test func unscrambledPointsEqualSciPy() throws {
    struct Fixture: Decodable {
      let dimensions: Int
      let points: [[Double]]
    }
    let url = try #require(Bundle.module.url(forResource: "Fixtures/sobol_scipy", withExtension: "json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    #expect(fixture.dimensions == SobolSequence.maximumDimensions)
    let sequence = try SobolSequence(dimensions: fixture.dimensions)
    for (index, expected) in fixture.points.enumerated() {
      #expect(sequence.point(index) == expected, "point \(index)")
    }
  }

  /// Every scrambling keeps the (0, m, 1)-net property of each coordinate: the first
  /// 2^m points put exactly one point in each interval [k/2^m, (k+1)/2^m) — a property of
  /// the construction, checked here for m = 6 in every dimension. Dimensions 1 and 2 form
  /// a (0, m, 2)-net: each 2^a × 2^(m−a) box holds exactly one point.
  @Test(arguments: SobolSequence.Scrambling.allCases)
  func netPropertySurvivesScrambling(scrambling: SobolSequence.Scrambling) throws {
    let m = 6
    let n = 1 << m
    let sequence = try SobolSequence(dimensions: SobolSequence.maximumDimensions, scrambling: scrambling, seed: 42)
    let points = (0..<n).map { sequence.point($0) }
    for d in 0..<sequence.dimensions {
      let cells = Set(points.map { Int($0[d] * Double(n)) })
      #expect(cells.count == n, "dimension \(d + 1)")
    }
    for a in 0...m {
      let boxes = Set(points.map { Int($0[0] * Double(1 << a)) * n + Int($0[1] * Double(1 << (m - a))) })
      #expect(boxes.count == n, "boxes 2^\(a) × 2^\(m - a)")
    }
  }

  /// Scrambling moves the points (a sequence that ignored the seed would pass the net test
  /// above), and the same seed gives the same points.
  @Test func scramblingDependsOnTheSeedOnly() throws {
    let plain = try SobolSequence(dimensions: 4)
    for scrambling in [SobolSequence.Scrambling.digitalShift, .owen] {
      let a = try SobolSequence(dimensions: 4, scrambling: scrambling, seed: 1)
      let b = try SobolSequence(dimensions: 4, scrambling: scrambling, seed: 1)
      let c = try SobolSequence(dimensions: 4, scrambling: scrambling, seed: 2)
      #expect(a.point(9) == b.point(9))
      #expect(a.point(9) != c.point(9))
      #expect(a.point(9) != plain.point(9))
    }
    #expect(throws: TuningError.self) { try SobolSequence(dimensions: 0) }
    #expect(throws: TuningError.self) { try SobolSequence(dimensions: SobolSequence.maximumDimensions + 1) }
  }

  /// With a declared space, trial i's values are point i mapped through each
  /// distribution: on a linear float that is low + u·(high − low), on a log float
  /// exp(log low + u·(log high − log low)), on a stepped int the grid cell u falls in.
  /// The unscrambled point 2 is (0.75, 0.25, 0.25) (SciPy's, see the fixture), so the
  /// values below follow by hand.
  @Test func declaredSpaceMapsPointsThroughEachScale() throws {
    let space: [String: Distribution] = [
      "a": .float(low: -2, high: 2, log: false, step: nil),
      "b": .float(low: 1e-3, high: 10, log: true, step: nil),
      "c": .int(low: 0, high: 12, log: false, step: 4),
    ]
    let sampler = SobolSampler(scrambling: .none, space: space)
    let values = sampler.sampleJointly(trial: 2, history: [], direction: .minimize)
    #expect(values["a"]?.1 == .double(1))
    guard case .double(let b)? = values["b"]?.1 else {
      Issue.record("b missing")
      return
    }
    // A quarter of the way through four decades from 1e-3 is 10^(−3 + 1) = 0.01.
    #expect(abs(b - 0.01) < 1e-15)
    // 0.25 · 4 cells = cell 1 → 0 + 1·4.
    #expect(values["c"]?.1 == .int(4))
  }

  /// A study over a space with log, step and conditional parameters keeps every value
  /// inside its distribution, learns the space after the first trial, and reproduces.
  @Test(arguments: SobolSequence.Scrambling.allCases)
  func studiesStayInsideTheSpaceAndReproduce(scrambling: SobolSequence.Scrambling) throws {
    func run() throws -> [FrozenTrial] {
      let study = Study(sampler: SobolSampler(seed: 5, scrambling: scrambling))
      try study.optimize(trials: 40, parallelism: 2) { try StudyTests.objective($0) }
      return study.trials.map {
        var t = $0
        t.seconds = 0
        return t
      }
    }
    let trials = try run()
    for trial in trials {
      #expect(trial.state == .complete)
      for (name, value) in trial.parameters {
        let distribution = try #require(trial.distributions[name])
        #expect(distribution.contains(value), "\(name) = \(value) outside \(distribution)")
      }
    }
    #expect(try run() == trials)
    // A low-discrepancy sequence visits all three categories within the first six
    // quasi-random trials; 40 trials see each at least ten times (an even share is 13).
    let kinds = trials.dropFirst().compactMap { $0.parameters["kind"]?.description }
    for kind in ["tree", "linear", "net"] { #expect(kinds.filter { $0 == kind }.count >= 10) }
  }

  /// Without a declared space the sampler takes the first complete or pruned trial's; a
  /// failed trial that stopped after one parameter does not fix a partial space.
  @Test func aFailedTrialDoesNotFixTheLearnedSpace() throws {
    let x = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let y = Distribution.float(low: -1, high: 1, log: false, step: nil)
    let history = [
      FrozenTrial(number: 0, state: .failed, parameters: ["x": .double(0.5)], distributions: ["x": x]),
      FrozenTrial(
        number: 1, state: .complete, value: 1, parameters: ["x": .double(0.2), "y": .double(0.3)],
        distributions: ["x": x, "y": y]),
    ]
    let joint = SobolSampler(seed: 2).sampleJointly(trial: 2, history: history, direction: .minimize)
    #expect(Set(joint.keys) == ["x", "y"])
  }
}
