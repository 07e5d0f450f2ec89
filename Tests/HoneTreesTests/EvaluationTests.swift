import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

/// The references in `Fixtures/evaluation`, made by `make_evaluation_fixtures.py` with
/// lightgbm 4.7.0.
enum EvaluationFixtures {
  struct MetricCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let loss: String
    let alpha: Double
    let classCount: Int
    let labels: [Double]
    let weights: [Double]?
    let scores: [Double]
    let metrics: [String: Double]
    var testDescription: String { name }
  }

  struct StoppingCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Pair: Decodable, Sendable {
      let set: String
      let metric: String
      let higherIsBetter: Bool
    }
    let name: String
    let criterion: String
    let patience: Int
    let pairs: [Pair]
    let values: [[Double]]
    let stopRound: Int
    let bestIteration: Int
    var testDescription: String { "\(name) \(criterion)" }
  }

  private struct File<Case: Decodable>: Decodable { let cases: [Case] }

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/evaluation")

  /// JSONDecoder reads doubles exactly (Foundation's JSONSerialization can be an ulp off).
  private static func load<Case: Decodable>(_ name: String) -> [Case] {
    guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else { return [] }
    return (try? JSONDecoder().decode(File<Case>.self, from: data).cases) ?? []
  }

  static let metricCases: [MetricCase] = load("metrics.json")
  static let stoppingCases: [StoppingCase] = load("early_stopping.json")
}

@Suite("Evaluation metrics and early stopping")
struct EvaluationTests {
  @Test("the fixtures are present") func fixturesLoad() {
    #expect(EvaluationFixtures.metricCases.count == 10)
    #expect(EvaluationFixtures.stoppingCases.count >= 100)
  }

  @Test(
    "each metric equals LightGBM's own metric code on the same raw scores", arguments: EvaluationFixtures.metricCases)
  func metricsMatchLightGBM(_ fixture: EvaluationFixtures.MetricCase) throws {
    let loss: Loss
    switch fixture.loss {
    case "binary": loss = .binaryLogLoss
    case "regression": loss = .squaredError
    case "quantile": loss = .quantile(alpha: fixture.alpha)
    case "huber": loss = .huber(delta: fixture.alpha)
    case "poisson": loss = .poisson
    case "multiclass": loss = .multiclassSoftmax(classCount: fixture.classCount)
    default: throw GradientBoostingError("unknown loss \(fixture.loss) in the fixture")
    }
    #expect(!fixture.metrics.isEmpty)
    for (name, expected) in fixture.metrics.sorted(by: { $0.key < $1.key }) {
      let metric = try #require(EvaluationMetric(lightGBMName: name))
      let value = metric.evaluate(
        scores: fixture.scores, target: fixture.labels, weights: fixture.weights, loss: loss, alpha: fixture.alpha)
      // Same formulas in double precision over 300 rows; only the summation order (and
      // libm's exp/log) may differ, a few ulps per term: 1e-12 relative is far above that
      // and far below any formula difference (a missed cap or tie rule moves the 3rd digit).
      #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)), "\(name): \(value) vs LightGBM \(expected)")
    }
  }

  @Test(
    "early stopping stops where LightGBM's callback stops on the same history",
    arguments: EvaluationFixtures.stoppingCases)
  func earlyStoppingMatchesLightGBM(_ fixture: EvaluationFixtures.StoppingCase) throws {
    let criterion = try #require(EarlyStoppingCriterion(rawValue: fixture.criterion))
    var stopping = EarlyStopping(patience: fixture.patience, criterion: criterion)
    // Pairs come set-major: number the sets in order and the metrics within each set.
    var sets: [String] = []
    var setIndex: [Int] = []
    var metricIndex: [Int] = []
    for (position, pair) in fixture.pairs.enumerated() {
      if sets.last != pair.set { sets.append(pair.set) }
      setIndex.append(sets.count - 1)
      metricIndex.append(fixture.pairs[..<position].filter { $0.set == pair.set }.count)
    }
    var stopped: (round: Int, best: Int)?
    for (index, row) in fixture.values.enumerated() {
      let values = fixture.pairs.indices.map { position in
        EarlyStopping.Value(
          set: setIndex[position], metric: metricIndex[position], value: row[position],
          higherIsBetter: fixture.pairs[position].higherIsBetter)
      }
      if let best = stopping.record(round: index + 1, values: values, isLast: index == fixture.values.count - 1) {
        stopped = (index + 1, best)
        break
      }
    }
    let result = try #require(stopped)
    #expect(result.round == fixture.stopRound)
    #expect(result.best == fixture.bestIteration)
  }

  @Test("a hand-written history: l2 bottoms out at round 3, equal values do not count as improvement")
  func handWrittenHistory() {
    var stopping = EarlyStopping(patience: 2, criterion: .first)
    let l2 = [0.9, 0.5, 0.4, 0.4, 0.45, 0.3]
    var result: Int?
    var round = 0
    for value in l2 where result == nil {
      round += 1
      result = stopping.record(
        round: round, values: [.init(set: 0, metric: 0, value: value, higherIsBetter: false)], isLast: round == 6)
    }
    // Round 3 is the best (0.4; round 4's 0.4 is not lower); round 5 is two rounds later.
    #expect(round == 5)
    #expect(result == 3)
  }

  @Test("a boosted classifier records every metric on every set, and stops where its first value implies")
  func classifierHistory() throws {
    let train = try syntheticData(rows: 600, seed: 31, classification: true)
    let recent = try syntheticData(rows: 400, seed: 32, classification: true)
    let older = try syntheticData(rows: 300, seed: 33, classification: true)
    var h = GradientBoostingHyperparameters()
    h.rounds = 200
    h.learningRate = 0.3
    h.maxLeaves = 31
    h.minDataInLeaf = 2
    h.earlyStoppingRounds = 8
    h.metrics = [.auc, .binaryLogloss, .binaryError]
    h.recordTrainingLoss = true
    h.threads = 2
    var seen: [BoostingRound] = []
    let model = try GradientBoostingClassifier(h).fit(
      train, validationSets: [ValidationSet("recent", recent), ValidationSet("older", older)]
    ) { round in
      seen.append(round)
      return .proceed
    }
    #expect(seen == model.history)
    let first = try #require(model.history.first)
    #expect(first.evaluations.map(\.set) == ["training", "recent", "older"].flatMap { Array(repeating: $0, count: 3) })
    #expect(
      first.evaluations.map(\.metric)
        == Array([[String]](repeating: ["auc", "binary_logloss", "binary_error"], count: 3).joined()))

    // The first metric on the first set decides: its best round (earliest on ties) and the
    // stop 8 rounds later, unless the rounds run out.
    let auc = model.history.compactMap { $0.value(of: "auc", on: "recent") }
    #expect(auc.count == model.history.count)
    let bestValue = try #require(auc.max())
    let best = try #require(auc.firstIndex(of: bestValue)) + 1
    #expect(model.bestIteration == best)
    #expect(model.history.count == min(best + 8, h.rounds))
    #expect(model.trees.count == best)

    // The recorded AUC and log-loss are those of the kept model's predictions, computed
    // independently (Mann–Whitney ranks, plain log-loss).
    let p = try model.predictProbabilities(recent.features)
    let positive = (0..<recent.rowCount).map { p[$0, 1] }
    let recorded = try #require(model.history[best - 1].value(of: "auc", on: "recent"))
    #expect(abs(areaUnderCurve(positive, recent.target) - recorded) < 1e-12)
    let logLoss =
      zip(positive, recent.target).map { $1 == 1 ? -log($0) : -log(1 - $0) }.reduce(0, +) / Double(recent.rowCount)
    let recordedLoss = try #require(model.history[best - 1].value(of: "binary_logloss", on: "recent"))
    // Probabilities through the saved trees versus the booster's running sums: a few ulps.
    #expect(abs(logLoss - recordedLoss) < 1e-12)
    #expect(model.history[best - 1].validationLoss.map { abs($0 - logLoss) < 1e-12 } == true)
  }

  @Test("the every-metric criterion stops on the first exhausted pair and keeps its best round")
  func everyCriterion() throws {
    let train = try syntheticData(rows: 600, seed: 41, classification: false)
    let valid = try syntheticData(rows: 400, seed: 42, classification: false)
    var h = tinyHyperparameters(leaves: 31, rounds: 150, learningRate: 0.3)
    h.minDataInLeaf = 3
    h.earlyStoppingRounds = 5
    h.metrics = [.l2, .l1]
    h.earlyStoppingCriterion = .every
    let model = try GradientBoostingRegressor(h).fit(train, validationSets: [ValidationSet("v", valid)])
    // Replay the rule by hand over the recorded values.
    let l2 = model.history.compactMap { $0.value(of: "l2", on: "v") }
    let l1 = model.history.compactMap { $0.value(of: "l1", on: "v") }
    func bestRound(_ values: [Double], through round: Int) -> Int {
      var best = 0
      for r in 1..<round where values[r] < values[best] { best = r }
      return best + 1
    }
    var expected: (stop: Int, best: Int)?
    for round in 1...l2.count where expected == nil {
      for values in [l2, l1] where expected == nil {
        let best = bestRound(values, through: round)
        if round - best >= 5 || round == h.rounds { expected = (round, best) }
      }
    }
    let (stop, best) = try #require(expected)
    #expect(model.history.count == stop)
    #expect(model.bestIteration == best)
  }

  @Test("training rows are scored every trainingMetricFrequency rounds and on the last")
  func trainingMetricFrequency() throws {
    let data = try syntheticData(rows: 300, seed: 6, classification: false)
    var h = tinyHyperparameters(leaves: 4, rounds: 10, learningRate: 0.3)
    h.recordTrainingLoss = true
    h.trainingMetricFrequency = 3
    h.metrics = [.rmse]
    let model = try GradientBoostingRegressor(h).fit(data)
    let scored = model.history.filter { $0.value(of: "rmse", on: "training") != nil }.map(\.iteration)
    #expect(scored == [3, 6, 9, 10])
    #expect(model.history.filter { $0.trainingLoss != nil }.map(\.iteration) == [3, 6, 9, 10])
    // rmse² of the final model = 2 × the recorded mean ½-squared-error loss.
    let last = try #require(model.history.last)
    let rmse = try #require(last.value(of: "rmse", on: "training"))
    #expect(abs(rmse * rmse - 2 * (last.trainingLoss ?? 0)) < 1e-12)
  }

  @Test("validation sets need distinct names and metrics must suit the task")
  func invalidSetsAndMetrics() throws {
    let data = try syntheticData(rows: 200, seed: 5, classification: true)
    let h = tinyHyperparameters(rounds: 2)
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingClassifier(h).fit(data, validationSets: [ValidationSet("a", data), ValidationSet("a", data)])
    }
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingClassifier(h).fit(data, validationSets: [ValidationSet("training", data)])
    }
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingClassifier(h).fit(data, validationSets: [ValidationSet("", data)])
    }
    var metric = h
    metric.metrics = [.multiLogloss]
    #expect(throws: GradientBoostingError.self) { try GradientBoostingClassifier(metric).fit(data) }
    metric.metrics = [.auc]
    #expect(throws: GradientBoostingError.self) { try GradientBoostingRegressor(metric).fit(data) }
    metric.metrics = [.quantile]
    metric.alpha = 1.5
    #expect(throws: GradientBoostingError.self) { try GradientBoostingRegressor(metric).fit(data) }
    var bagging = h
    bagging.baggingFrequency = -1
    #expect(throws: GradientBoostingError.self) { try GradientBoostingRegressor(bagging).fit(data) }
  }

  @Test("metric names and LightGBM aliases decode; an unknown one lists the valid names")
  func metricNames() throws {
    let decoded = try JSONDecoder().decode(
      [EvaluationMetric].self, from: Data(#"["mse","mae","auc","binary","multiclass","l2_root"]"#.utf8))
    #expect(decoded == [.l2, .l1, .auc, .binaryLogloss, .multiLogloss, .rmse])
    #expect(
      String(decoding: try JSONEncoder().encode([EvaluationMetric.binaryLogloss]), as: UTF8.self)
        == #"["binary_logloss"]"#)
    do {
      _ = try JSONDecoder().decode([EvaluationMetric].self, from: Data(#"["ndcg"]"#.utf8))
      Issue.record("ndcg decoded")
    } catch {
      #expect("\(error)".contains("multi_error"))
    }
  }

  @Test("the hyperparameter decoder reads every stored property, and a missing one takes its default")
  func hyperparametersDecodeTolerantly() throws {
    let stored = Set(Mirror(reflecting: GradientBoostingHyperparameters()).children.compactMap(\.label))
    // A hyperparameter added without a decoder entry would silently load as its default.
    #expect(Set(GradientBoostingHyperparameters.decodedNames) == stored)
    var h = GradientBoostingHyperparameters()
    h.rounds = 7
    h.learningRate = 0.25
    h.metrics = [.auc, .l1]
    h.earlyStoppingCriterion = .every
    h.baggingFrequency = 4
    h.objective = .huber
    h.seed = 99
    let data = try JSONEncoder().encode(h)
    #expect(try JSONDecoder().decode(GradientBoostingHyperparameters.self, from: data) == h)
    // A document from before the new hyperparameters existed.
    let old = #"{"rounds":5,"learningRate":0.5,"maxLeaves":8,"objective":"poisson"}"#
    let decoded = try JSONDecoder().decode(GradientBoostingHyperparameters.self, from: Data(old.utf8))
    var expected = GradientBoostingHyperparameters()
    expected.rounds = 5
    expected.learningRate = 0.5
    expected.maxLeaves = 8
    expected.objective = .poisson
    #expect(decoded == expected)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(GradientBoostingHyperparameters.self, from: Data(#"{"rounds":"many"}"#.utf8))
    }
  }

  @Test("a history saved before evaluations existed still decodes")
  func oldHistoryDecodes() throws {
    let json = #"{"iteration":3,"validationLoss":0.5,"elapsedSeconds":0.25}"#
    let round = try JSONDecoder().decode(BoostingRound.self, from: Data(json.utf8))
    #expect(round.iteration == 3)
    #expect(round.validationLoss == 0.5)
    #expect(round.evaluations.isEmpty)
  }
}
