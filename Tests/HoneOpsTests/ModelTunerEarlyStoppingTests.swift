import Foundation
import HoneCore
import HoneDatasets
import HonePipeline
import HoneTrees
import HoneTuning
import Testing

@testable import HoneOps

/// Early stopping inside tuning folds, checked against recomputations outside the tuner:
/// per-round validation curves scored by hand, the stopping rule replayed on them, and
/// plain fits of exactly the recorded rounds.
@Suite("Model tuner early stopping")
struct ModelTunerEarlyStoppingTests {
  static let patience = 4
  static let cap = 60
  /// A fast learning rate on few noisy rows, so the validation curves peak well before
  /// the cap; row and column subsampling so that bagging is part of what must agree.
  static let fixed = [
    "rounds": String(cap), "learningRate": "0.3", "minDataInLeaf": "5", "rowSubsample": "0.8",
    "columnSubsample": "0.8", "seed": "3",
  ]

  /// One task: the target, the task and the selection metric.
  struct Case: Sendable, CustomStringConvertible {
    let target: String
    let task: PredictionTask
    let metric: Metric
    var description: String { metric.name }
  }

  static let cases = [
    Case(target: "label", task: .classification, metric: .rocAUC),
    Case(target: "y", task: .regression, metric: .rootMeanSquaredError),
  ]

  /// The ROC area by counting pairs: each positive–negative pair ordered right counts 1,
  /// a tie ½ (Mann–Whitney).
  static func pairwiseAUC(_ scores: [Double], _ labels: [Double]) -> Double {
    var sum = 0.0
    var pairs = 0.0
    for (p, label) in zip(scores, labels) where label > 0 {
      for (n, other) in zip(scores, labels) where other <= 0 {
        sum += p > n ? 1 : (p == n ? 0.5 : 0)
        pairs += 1
      }
    }
    return sum / pairs
  }

  /// The case's metric of raw scores, by hand (for squared error the raw score is the
  /// prediction; AUC depends on the order only, which the logistic link keeps).
  static func score(_ raw: [Double], _ target: [Double], _ metric: Metric) -> Double {
    if metric == .rocAUC { return pairwiseAUC(raw, target) }
    let squares = zip(raw, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    return (squares / Double(target.count)).squareRoot()
  }

  static func tuner(_ table: Table, _ c: Case, stopping: Int?) throws -> ModelTuner {
    try ModelTuner(
      table: table, target: c.target, task: c.task, kind: .gbdt,
      space: SearchSpace([("maxLeaves", .int(low: 4, high: 16, log: false, step: 1))]), fixed: Self.fixed,
      excluding: [c.task == .classification ? "y" : "label"], splitter: KFold(folds: 4), metric: c.metric,
      earlyStoppingRounds: stopping)
  }

  static func foldRounds(_ trial: FrozenTrial) throws -> [Int] {
    let text = try #require(trial.userAttributes[ModelTuner.foldRoundsAttribute])
    return try JSONDecoder().decode([Int].self, from: Data(text.utf8))
  }

  @Test(arguments: cases)
  func eachFoldStopsPatienceRoundsAfterItsBestAndScoresThatRound(_ c: Case) throws {
    let table = try TestTables.mixed(rows: 200, seed: 4)
    let tuner = try Self.tuner(table, c, stopping: Self.patience)
    let result = try tuner.run(Study(direction: tuner.direction, sampler: RandomSampler(seed: 2)), trials: 2)
    let splits = try KFold(folds: 4).splits(for: try SplitData(rowCount: table.rowCount))
    let target = try table.column(named: c.target).doubleValues
    var stoppedBeforeTheCap = false
    for trial in result.trials {
      let rounds = try Self.foldRounds(trial)
      let scores = try #require(ModelTuner.foldScores(of: trial))
      #expect(rounds.count == splits.count && scores.count == splits.count)
      let mean = Double(rounds.reduce(0, +)) / Double(rounds.count)
      #expect(trial.userAttributes[ModelTuner.bestRoundsAttribute] == mean.description)
      #expect(ModelTuner.refitRounds(of: trial) == Int(mean.rounded()))
      for (k, split) in splits.enumerated() {
        let train = try table.rows(at: split.train)
        let test = try table.rows(at: split.test)
        let y = split.test.map { target[$0] }
        // Every round of a fit to the cap without early stopping, scored by hand.
        var full = Self.fixed
        full["threads"] = "1"
        let plain = try tuner.entry.estimator(tuned: trial.parameters, fixed: full, preprocessing: tuner.preprocessing)
        let model = try #require(try plain.fit(train, target: c.target).base as? PipelineModel<GradientBoostingModel>)
        let x = try model.features(test)
        let curve = try (1...Self.cap).map { Self.score(try model.model.predictRaw(x, upToIteration: $0), y, c.metric) }
        // LightGBM's rule replayed: a strict improvement resets the count; `patience`
        // rounds without one stop training; the best round is kept either way.
        var best = curve[0]
        var bestRound = 1
        var stoppedAt: Int?
        for round in 2...Self.cap {
          let value = curve[round - 1]
          if c.metric.greaterIsBetter ? value > best : value < best {
            best = value
            bestRound = round
          }
          if round - bestRound >= Self.patience {
            stoppedAt = round
            break
          }
        }
        #expect(rounds[k] == bestRound, "trial \(trial.number) fold \(k)")
        #expect(rounds[k] <= Self.cap)
        if let stoppedAt {
          #expect(stoppedAt == rounds[k] + Self.patience)
          stoppedBeforeTheCap = true
        }
        // The fold's score is that of a plain fit of exactly the kept rounds.
        var exact = full
        exact["rounds"] = String(rounds[k])
        let refit = try tuner.entry.estimator(tuned: trial.parameters, fixed: exact, preprocessing: tuner.preprocessing)
          .fit(train, target: c.target)
        let refitModel = try #require(refit.base as? PipelineModel<GradientBoostingModel>)
        let refitScore = Self.score(try refitModel.model.predictRaw(try refitModel.features(test)), y, c.metric)
        // The tuner scores probabilities (AUC) or predictions (RMSE) with HonePipeline's
        // metrics, the reference raw scores by hand: the same numbers up to summation order.
        #expect(abs(scores[k] - refitScore) <= 1e-12 * Swift.max(1, abs(refitScore)), "fold \(k)")
        #expect(abs(curve[rounds[k] - 1] - refitScore) <= 1e-12 * Swift.max(1, abs(refitScore)))
      }
    }
    // The data are chosen so that stopping happens; otherwise the replay says little.
    #expect(stoppedBeforeTheCap)
  }

  @Test func networksStopOnEpochsAndScoreTheKeptEpoch() throws {
    let table = try TestTables.mixed(rows: 160, seed: 4)
    let cap = 40
    let fixed = [
      "hiddenLayers": "16", "epochs": String(cap), "learningRate": "0.03", "batchSize": "16", "seed": "1",
    ]
    let tuner = try ModelTuner(
      table: table, target: "label", task: .classification, kind: .mlp,
      space: SearchSpace([("weightDecay", .float(low: 1e-5, high: 1e-3, log: true, step: nil))]), fixed: fixed,
      excluding: ["y"], splitter: KFold(folds: 4), metric: .rocAUC, earlyStoppingRounds: Self.patience)
    let result = try tuner.run(Study(direction: tuner.direction, sampler: RandomSampler(seed: 2)), trials: 2)
    let splits = try KFold(folds: 4).splits(for: try SplitData(rowCount: table.rowCount))
    let target = try table.column(named: "label").doubleValues
    var kept: [Int] = []
    for trial in result.trials {
      let rounds = try Self.foldRounds(trial)
      let scores = try #require(ModelTuner.foldScores(of: trial))
      #expect(rounds.count == splits.count)
      kept += rounds
      for (k, split) in splits.enumerated() {
        // A network trained for exactly the kept epochs, without a validation set, holds
        // the weights the stopped fit restored, so it scores the same.
        var exact = fixed
        exact["epochs"] = String(rounds[k])
        let refit = try tuner.entry.estimator(tuned: trial.parameters, fixed: exact, preprocessing: tuner.preprocessing)
          .fit(try table.rows(at: split.train), target: "label")
        let probabilities = try #require(try refit.predictProbabilities(try table.rows(at: split.test)))
        let auc = Self.pairwiseAUC((0..<probabilities.rows).map { probabilities[$0, 1] }, split.test.map { target[$0] })
        // The same weights give the same probabilities; the two AUCs differ only in
        // summation order, far below 1e-9, while one misordered pair moves it by 1/(P·N) ≈ 1e-3.
        #expect(abs(scores[k] - auc) <= 1e-9, "trial \(trial.number) fold \(k)")
      }
    }
    #expect(kept.allSatisfy { (1...cap).contains($0) })
    // Some fold stops well before the cap, or the test would not see early stopping.
    #expect(kept.contains { $0 + Self.patience < cap }, "\(kept)")
  }

  @Test func offLeavesTrialsAsAPlainCrossValidationScoresThem() throws {
    let table = try TestTables.mixed(rows: 120, seed: 9)
    let c = Self.cases[0]
    let tuner = try Self.tuner(table, c, stopping: nil)
    let result = try tuner.run(Study(direction: tuner.direction, sampler: RandomSampler(seed: 5)), trials: 3)
    var fixed = Self.fixed
    fixed["threads"] = "1"
    for trial in result.trials {
      let estimator = try tuner.entry.estimator(
        tuned: trial.parameters, fixed: fixed, preprocessing: tuner.preprocessing)
      let direct = try crossValidate(
        estimator, table: table, target: c.target, splitter: KFold(folds: 4), scoring: [c.metric.scoring])
      #expect(trial.value == direct.mean[c.metric.name])
      #expect(trial.userAttributes[ModelTuner.foldRoundsAttribute] == nil)
      #expect(trial.userAttributes[ModelTuner.bestRoundsAttribute] == nil)
    }
  }

  /// Re-running a tuned configuration for its out-of-fold predictions (as `hone run`'s
  /// selection statistics do) stops each fold where the trial's fold stopped and scores
  /// what the trial scored. A plain cross-validation of the same estimator — what the
  /// statistics ran before — gives the booster no rows to stop on, and it refuses.
  @Test(arguments: cases)
  func aConfigurationRerunScoresAsItsTrialDid(_ c: Case) throws {
    let table = try TestTables.mixed(rows: 200, seed: 4)
    let tuner = try Self.tuner(table, c, stopping: Self.patience)
    let result = try tuner.run(Study(direction: tuner.direction, sampler: RandomSampler(seed: 2)), trials: 2)
    for trial in result.trials {
      for parallel in [false, true] {
        let rerun = try tuner.crossValidate(configuration: trial.parameters, parallelFolds: parallel)
        #expect(rerun.folds.map { $0.scores[c.metric.name] ?? .nan } == result.foldScores[trial.number])
        #expect(rerun.folds.compactMap { ($0.model as? AnyTableModel)?.keptRounds } == (try Self.foldRounds(trial)))
      }
      let plain = try #require(throws: CrossValidationError.self) {
        try crossValidate(
          try tuner.estimator(for: trial.parameters), table: table, target: c.target, splitter: KFold(folds: 4),
          scoring: [c.metric.scoring])
      }
      #expect(plain.message.contains("no validation set was given"))
    }
  }

  @Test func aModelWithoutRoundsIsRefusedByName() throws {
    let table = try TestTables.ridge()
    #expect {
      try ModelTuner(
        table: table, target: "y", task: .regression, kind: .ridge, splitter: KFold(folds: 3),
        metric: .meanSquaredError, earlyStoppingRounds: 5)
    } throws: { error in
      "\(error)".contains("cannot stop early") && "\(error)".contains("gbdt")
    }
    #expect(throws: ModelCatalogError.self) {
      try Self.tuner(try TestTables.mixed(), Self.cases[0], stopping: 0)
    }
  }

  @Test func theConfigurationFieldDecodesExplainsAndRejectsBadValuesByPath() throws {
    let base = ConfigValidationTests.base
    let resolved = try ConfigFixture.load(base, overrides: ["tuning.earlyStoppingRounds=20"])
    #expect(resolved.configuration.tuning.earlyStoppingRounds == 20)
    #expect(resolved.explain().contains("earlyStoppingRounds: 20"))
    let reloaded = try ConfigFixture.load(resolved.explain())
    #expect(reloaded.configuration.tuning.earlyStoppingRounds == 20)
    #expect(try ConfigFixture.load(base).configuration.tuning.earlyStoppingRounds == nil)
    for (value, message) in [("0", "use a value ≥ 1"), ("fast", "expected a whole number")] {
      let error = try #require(ConfigFixture.error(base, overrides: ["tuning.earlyStoppingRounds=\(value)"]))
      #expect(error.path == "tuning.earlyStoppingRounds", "\(error)")
      #expect(error.message.contains(message), "\(error)")
    }
  }

  @Test func aRunRefitsTheWinnerWithItsMeanKeptRounds() throws {
    let yaml = """
      name: stopping
      seed: 3
      data: {path: market.csv, timestamp: timestamp, symbol: symbol, ignore: [regime]}
      target:
        forwardReturn: {price: close, horizon: 1}
      features:
        columns: none
        recipes:
          - logReturn: {column: close, horizon: 1}
          - logReturn: {column: close, horizon: 5}
      split:
        purged: {folds: 3, embargo: 0.01}
      holdout: {fraction: 0.25}
      models:
        - kind: gbdt
          params: {rounds: 80, learningRate: 0.02, minDataInLeaf: 20}
          space:
            maxLeaves: {int: [2, 4]}
      tuning: {trials: 2, sampler: random, earlyStoppingRounds: 3}
      selection: {metric: rmse}
      backtest: {enabled: false}
      """
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-stop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let market = try SyntheticMarket.generate(
      .init(symbols: ["A", "B"], days: 120, seed: 5, tailDegreesOfFreedom: 4, reversal: 0.1))
    try CSV.write(market, to: folder.appendingPathComponent("market.csv").path)
    let store = try HoneStore(root: folder.appendingPathComponent("store").path)
    let resolved = try ConfigurationLoader(workingDirectory: folder.path).load(
      text: yaml, file: folder.appendingPathComponent("run.yaml").path, directory: folder.path)
    let orchestrator = RunOrchestrator(
      configuration: resolved.configuration, configurationText: resolved.explain(),
      configurationHash: resolved.configuration.hash, store: store, log: { _ in })
    let result = try orchestrator.run()

    let studies = store.root + "/studies"
    let journal = try #require(
      try FileManager.default.contentsOfDirectory(atPath: studies).first { $0.hasSuffix(".jsonl") })
    let trials = try JournalStorage(path: studies + "/" + journal).trials(inStudy: result.winner)
    let best = try #require(
      trials.filter { $0.state == .complete }.min { ($0.value ?? .infinity) < ($1.value ?? .infinity) })
    let rounds = try Self.foldRounds(best)
    #expect(rounds.count == 3 && rounds.allSatisfy { (1...80).contains($0) }, "\(rounds)")
    let expected = Int((Double(rounds.reduce(0, +)) / 3).rounded())
    // Neither the cap nor a single round: the refit's count can only come from the folds.
    #expect(expected > 1 && expected < 80, "\(rounds)")

    let exported = folder.appendingPathComponent("model.hone").path
    _ = try store.registry.export("stopping:champion", to: exported)
    guard case .pipeline(let loaded) = try ModelCatalog.load(from: exported) else {
      Issue.record("the registered file is not a pipeline model")
      return
    }
    let model = try #require(loaded.base as? PipelineModel<GradientBoostingModel>)
    #expect(model.model.trees.count == expected, "\(rounds)")
    #expect(model.model.hyperparameters.rounds == expected)
    #expect(model.model.hyperparameters.earlyStoppingRounds == 0)
  }
}

/// A record whose rounds no booster could train — added by hand, or edited — gives no
/// refit count (the configured count is kept) instead of trapping in `Int(_:)`.
@Test func refitRoundsIgnoresACountNoBoosterCouldTrain() {
  for text in ["1e300", "inf", "nan", "9.1e15"] {
    let trial = FrozenTrial(
      number: 0, state: .complete, value: 1, userAttributes: [ModelTuner.bestRoundsAttribute: text])
    #expect(ModelTuner.refitRounds(of: trial) == nil, "\(text)")
  }
  let fine = FrozenTrial(
    number: 0, state: .complete, value: 1, userAttributes: [ModelTuner.bestRoundsAttribute: "41.5"])
  #expect(ModelTuner.refitRounds(of: fine) == 42)
}

/// A fixed value of a hyperparameter early stopping sets inside the folds (the watched
/// metric, the patience, restoring the best epoch) would be silently replaced: refused,
/// naming it; without early stopping it stands.
@Test func fixedValuesEarlyStoppingWouldReplaceAreRefused() throws {
  let table = try TestTables.mixed(rows: 120, seed: 4)
  func tuner(_ kind: ModelKind, _ fixed: [String: String], stopping: Int?) throws -> ModelTuner {
    try ModelTuner(
      table: table, target: "label", task: .classification, kind: kind, fixed: fixed, excluding: ["y"],
      splitter: KFold(folds: 3), metric: .logLoss, earlyStoppingRounds: stopping)
  }
  for (kind, name, value) in [
    (ModelKind.gbdt, "metrics", "auc"), (.gbdt, "earlyStoppingRounds", "7"), (.mlp, "validationMetric", "accuracy"),
    (.mlp, "restoreBestWeights", "false"),
  ] {
    let error = try #require(throws: HyperparameterError.self) { try tuner(kind, [name: value], stopping: 5) }
    #expect(error.message.contains("`\(name)` is set by early stopping"))
    _ = try tuner(kind, [name: value], stopping: nil)
  }
}
