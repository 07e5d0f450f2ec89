import Foundation
import HoneTuning
import Testing

/// Sixty whole studies played through Optuna 5.0.0's `SuccessiveHalvingPruner` and
/// `WilcoxonPruner` (`Fixtures/make_study_pruning_fixtures.py`): trials report at steps
/// with gaps and ask after only some reports — where rungs are passed between asks and a
/// trial's steps are not all the best trial's. Played again through `Study`,
/// `Trial.report` and `Trial.shouldPrune`, every answer must be Optuna's.
@Suite("Halving and Wilcoxon pruners over whole studies, against Optuna")
struct StudyPruningFixtureTests {
  struct Spec: Decodable {
    var kind: String
    var minResource: Int?
    var reductionFactor: Int?
    var minEarlyStoppingRate: Int?
    var bootstrapCount: Int?
    var pThreshold: Double?
    var startupSteps: Int?

    func pruner() throws -> any Pruner {
      if kind == "halving" {
        return try SuccessiveHalvingPruner(
          minResource: minResource ?? 1, reductionFactor: reductionFactor ?? 4,
          minEarlyStoppingRate: minEarlyStoppingRate ?? 0, bootstrapCount: bootstrapCount ?? 0)
      }
      return try WilcoxonPruner(pThreshold: pThreshold ?? 0.1, startupSteps: startupSteps ?? 2)
    }
  }

  /// A step and its value, as the fixture writes them: `[step, value]`.
  struct Report: Decodable {
    var step: Int
    var value: Double

    init(from decoder: any Decoder) throws {
      var pair = try decoder.unkeyedContainer()
      step = try pair.decode(Int.self)
      value = try pair.decode(Double.self)
    }
  }

  struct PlayedTrial: Decodable {
    var reports: [Report]
    var asks: [Int]
    var answers: [Bool]
  }

  struct PlayedStudy: Decodable {
    var pruner: Spec
    var direction: String
    var trials: [PlayedTrial]
  }

  struct Fixture: Decodable {
    var optuna: String
    var studies: [PlayedStudy]
  }

  @Test func everyAnswerIsOptunas() throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/study_pruning_optuna", withExtension: "json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    #expect(fixture.optuna == "5.0.0" && fixture.studies.count == 60)
    var answers = 0
    var prunes = 0
    for (index, played) in fixture.studies.enumerated() {
      let study = Study(
        direction: played.direction == "maximize" ? .maximize : .minimize, pruner: try played.pruner.pruner())
      for (number, expected) in played.trials.enumerated() {
        let trial = try study.ask()
        var mine: [Bool] = []
        for (k, report) in expected.reports.enumerated() {
          trial.report(report.value, step: report.step)
          guard expected.asks.contains(k) else { continue }
          mine.append(trial.shouldPrune())
          if mine.last == true { break }
        }
        if mine.last == true {
          try study.tell(trial, state: .pruned)
        } else {
          let values = expected.reports.map(\.value)
          try study.tell(trial, value: values.reduce(0, +) / Double(values.count))
        }
        #expect(mine == expected.answers, "study \(index) (\(played.pruner.kind)), trial \(number)")
        answers += expected.answers.count
        prunes += expected.answers.filter { $0 }.count
      }
    }
    // The fixture exercises both answers: 1,872 asks, 272 of them "prune".
    #expect(answers == 1872 && prunes == 272)
  }
}
