import Foundation
import HoneTuning
import Testing

/// Optuna 5.0.0's `ThresholdPruner`, `PatientPruner` and `MedianPruner` with
/// `interval_steps` / `n_min_trials`, on the hand-built studies of
/// `Fixtures/make_pruner_fixtures.py`: Hone's pruners must decide every case as Optuna did.
@Suite("Threshold, patient and interval pruners against Optuna")
struct PrunerFixtureTests {
  final class Spec: Decodable {
    var kind: String
    var lower: Double?
    var upper: Double?
    var warmupSteps: Int?
    var intervalSteps: Int?
    var startupTrials: Int?
    var minTrials: Int?
    var patience: Int?
    var minDelta: Double?
    var wrapped: Spec?

    func pruner() throws -> any Pruner {
      switch kind {
      case "threshold":
        return try ThresholdPruner(
          lower: lower, upper: upper, warmupSteps: warmupSteps ?? 0, intervalSteps: intervalSteps ?? 1)
      case "median":
        return try MedianPruner(
          startupTrials: startupTrials ?? 5, warmupSteps: warmupSteps ?? 0, intervalSteps: intervalSteps ?? 1,
          minTrials: minTrials ?? 1)
      case "patient":
        return try PatientPruner(wrapping: wrapped?.pruner(), patience: patience ?? 0, minDelta: minDelta ?? 0)
      default:
        throw TuningError("unknown pruner \(kind) in the fixture")
      }
    }
  }

  struct Case: Decodable {
    var name: String
    var pruner: Spec
    var direction: String
    var completed: [[[Double?]]]
    var running: [[Double?]]
    var prune: Bool
  }

  struct Fixture: Decodable { var cases: [Case] }

  static func values(_ pairs: [[Double?]]) -> [Int: Double] {
    var out: [Int: Double] = [:]
    for pair in pairs where pair.count == 2 { out[Int(pair[0] ?? -1)] = pair[1] ?? .nan }
    return out
  }

  @Test func decisionsMatchOptunasOnTheFixture() throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/pruner_optuna", withExtension: "json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    #expect(fixture.cases.count == 30)
    for c in fixture.cases {
      let history = c.completed.enumerated().map {
        FrozenTrial(number: $0.offset, state: .complete, value: 1, intermediateValues: Self.values($0.element))
      }
      let running = FrozenTrial(number: 999, state: .running, intermediateValues: Self.values(c.running))
      let decision = try c.pruner.pruner().shouldPrune(
        running, history: history, direction: c.direction == "maximize" ? .maximize : .minimize)
      #expect(decision == c.prune, "\(c.name)")
    }
  }

  @Test func badSettingsThrow() {
    #expect(throws: TuningError.self) { try ThresholdPruner() }
    #expect(throws: TuningError.self) { try ThresholdPruner(lower: 2, upper: 1) }
    #expect(throws: TuningError.self) { try ThresholdPruner(upper: .nan) }
    #expect(throws: TuningError.self) { try ThresholdPruner(upper: 1, intervalSteps: 0) }
    #expect(throws: TuningError.self) { try ThresholdPruner(upper: 1, warmupSteps: -1) }
    #expect(throws: TuningError.self) { try PatientPruner(wrapping: nil, patience: -1) }
    #expect(throws: TuningError.self) { try PatientPruner(wrapping: nil, patience: 1, minDelta: -0.1) }
    #expect(throws: TuningError.self) { try PatientPruner(wrapping: nil, patience: 1, minDelta: .nan) }
    #expect(throws: TuningError.self) { try MedianPruner(intervalSteps: 0) }
    #expect(throws: TuningError.self) { try MedianPruner(intervalSteps: 1, minTrials: 0) }
    #expect(throws: TuningError.self) { try MedianPruner(startupTrials: -1, intervalSteps: 1) }
  }

  /// A patient pruner wrapping Hyperband shows the sampler Hyperband's bracket, and
  /// reports what the wrapped pruner compares.
  @Test func aPatientPrunerPassesOnWhatItWraps() throws {
    let hyperband = try HyperbandPruner(minResource: 1, maxResource: 27, seed: 3)
    let patient = try PatientPruner(wrapping: hyperband, patience: 2)
    let history = (0..<30).map { FrozenTrial(number: $0, state: .complete, value: Double($0)) }
    for number in [30, 31, 40] {
      #expect(
        patient.samplerHistory(history, forTrial: number).map(\.number)
          == hyperband.samplerHistory(history, forTrial: number).map(\.number))
    }
    #expect(hyperband.samplerHistory(history, forTrial: 30).count < history.count)
    #expect(try PatientPruner(wrapping: WilcoxonPruner(), patience: 1).comparesStepValues)
    #expect(try !PatientPruner(wrapping: nil, patience: 1).comparesStepValues)
  }
}
