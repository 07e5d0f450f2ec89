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
    var percentile: Double?
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
          minTrials: minTrials ?? 1, percentile: percentile ?? 50)
      case "patient":
        return try PatientPruner(wrapping: wrapped?.pruner(), patience: patience ?? 0, minDelta: minDelta ?? 0)
      default:
        throw TuningError("unknown pruner \(kind) in the fixture")
      }
    }
  }

  /// A fixture number: JSON's number, `null` for NaN, or "inf" / "-inf".
  struct Number: Decodable {
    var value: Double

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() {
        value = .nan
      } else if let text = try? container.decode(String.self) {
        value = try #require(Double(text))
      } else {
        value = try container.decode(Double.self)
      }
    }
  }

  struct Case: Decodable {
    var name: String
    var pruner: Spec
    var direction: String
    var completed: [[[Number]]]
    var running: [[Number]]
    var prune: Bool
  }

  struct Fixture: Decodable { var cases: [Case] }

  static func values(_ pairs: [[Number]]) -> [Int: Double] {
    var out: [Int: Double] = [:]
    for pair in pairs where pair.count == 2 { out[Int(pair[0].value)] = pair[1].value }
    return out
  }

  @Test func decisionsMatchOptunasOnTheFixture() throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/pruner_optuna", withExtension: "json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    #expect(fixture.cases.count == 32)
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

  /// The wrapped pruner is asked only when the trial has stalled; a halving pruner then
  /// judges every rung passed since, with the latest value, and its record is passed on.
  /// Minimising, patience 1: [0.5, 1, 0.6] has too few values to stall at step 1, and has
  /// stalled at step 2 (best 0.6 of the last two against 0.5 before). Another trial has 0.1 at rung 0 (step
  /// 1), so the trial's 0.6 there, second of two with η = 2, is pruned, and 0.6 is recorded
  /// at rung 0. What the wrapped pruner compares is passed on.
  @Test func aPatientPrunerPassesOnWhatItWraps() throws {
    let halving = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
    let patient = try PatientPruner(wrapping: halving, patience: 1)
    let history = [
      FrozenTrial(
        number: 0, state: .complete, value: 0.1, intermediateValues: [1: 0.1, 2: 0.1],
        userAttributes: [SuccessiveHalvingPruner.rungAttribute(0): "0.1"])
    ]
    var trial = FrozenTrial(number: 1, state: .running, intermediateValues: [0: 0.5, 1: 1])
    #expect(patient.decide(trial, history: history, direction: .minimize) == PruningDecision(prune: false))
    trial.intermediateValues[2] = 0.6
    #expect(
      patient.decide(trial, history: history, direction: .minimize)
        == PruningDecision(prune: true, attributes: [SuccessiveHalvingPruner.rungAttribute(0): "0.6"]))
    _ = try PatientPruner(wrapping: HyperbandPruner(minResource: 1, maxResource: 27), patience: 2)
    #expect(try PatientPruner(wrapping: WilcoxonPruner(), patience: 1).comparesStepValues)
    #expect(try !PatientPruner(wrapping: nil, patience: 1).comparesStepValues)
  }

  /// A running mean of folds (1.0, 1.2, 1.1 give 1.0, 1.1, 1.1) is not a learning curve:
  /// the trial whose first fold was its easiest would always look stalled.
  @Test func aRunningSummaryNeverCountsAsStalled() throws {
    let pruner = try PatientPruner(wrapping: nil, patience: 1)
    var means = FrozenTrial(number: 9, state: .running, intermediateValues: [0: 1.0, 1: 1.1, 2: 1.1])
    #expect(pruner.shouldPrune(means, history: [], direction: .minimize))
    means.userAttributes[FrozenTrial.runningSummaryAttribute] = "true"
    #expect(!pruner.shouldPrune(means, history: [], direction: .minimize))
  }
}
