import Foundation
import HoneCore
import HoneDatasets
import HonePipeline
import HoneTuning
import Synchronization
import Testing

@testable import HoneOps

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A whole `hone run` on a small synthetic panel, checked stage by stage against
/// recomputations that do not go through the orchestrator.
@Suite("Run orchestrator end to end", .serialized)
struct RunOrchestratorTests {
  static let yaml = """
    name: tiny
    seed: 3
    data: {path: market.csv, timestamp: timestamp, symbol: symbol, ignore: [regime]}
    target:
      forwardReturn: {price: close, horizon: 1}
    features:
      columns: none
      recipes:
        - logReturn: {column: close, horizon: 1}
        - logReturn: {column: close, horizon: 5}
        - relativeStrengthIndex: {column: close, period: 14}
    split:
      purged: {folds: 3, embargo: 0.01}
    holdout: {fraction: 0.25}
    models:
      - kind: ridge
      - kind: gbdt
        params: {rounds: 15}
        space:
          learningRate: {float: [0.05, 0.3], log: true}
          maxLeaves: {int: [4, 16]}
    tuning: {trials: 4, sampler: tpe}
    selection: {metric: rmse}
    backtest: {enabled: true, positions: sign, costBps: 2, slippageBps: 1}
    """

  struct Fixture {
    let folder: URL
    let store: HoneStore
    func orchestrator(
      overrides: [String] = [], change: (inout RunConfiguration) -> Void = { _ in },
      log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> RunOrchestrator {
      let loader = ConfigurationLoader(overrides: overrides, workingDirectory: folder.path)
      let resolved = try loader.load(
        text: RunOrchestratorTests.yaml, file: folder.appendingPathComponent("run.yaml").path,
        directory: folder.path)
      var configuration = resolved.configuration
      change(&configuration)
      return RunOrchestrator(
        configuration: configuration, configurationText: resolved.explain(), configurationHash: configuration.hash,
        store: store, log: log)
    }
  }

  static func fixture() throws -> Fixture {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let market = try SyntheticMarket.generate(
      .init(symbols: ["A", "B", "C"], days: 160, seed: 5, tailDegreesOfFreedom: 4, reversal: 0.1))
    try CSV.write(market, to: folder.appendingPathComponent("market.csv").path)
    let store = try HoneStore(root: folder.appendingPathComponent("store").path)
    return Fixture(folder: folder, store: store)
  }

  @Test func everyStageIsRecordedAndMatchesAnIndependentRecomputation() throws {
    let fixture = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let lines = Mutex<[String]>([])
    let orchestrator = try fixture.orchestrator(log: { line in lines.withLock { $0.append(line) } })
    let result = try orchestrator.run()
    let configuration = orchestrator.configuration

    // Progress names every stage in order.
    let stages = lines.withLock { $0 }.filter { $0.hasPrefix("[") }
    #expect(stages.count == 8)
    #expect(stages.first == "[1/8] prepare data" && stages.last == "[8/8] write the report")

    // The winner has the lowest cross-validated RMSE, and its score equals a direct
    // cross-validation of its best parameters outside the tuner.
    #expect(result.leaderboard.count == 2)
    #expect(result.leaderboard[0].isWinner && result.leaderboard[0].name == result.winner)
    let scores = result.leaderboard.compactMap(\.score)
    #expect(scores == scores.sorted())
    let prepared = try PreparedData.prepare(configuration)
    let training = try prepared.trainingTable()
    let splitData = try prepared.trainingSplitData()
    let candidate = try #require(configuration.models.first { $0.name == result.winner })
    let tuner = try orchestrator.tuner(
      candidate, training: training, splitData: splitData, task: .regression, metric: .rootMeanSquaredError)
    let studyFile = try #require(
      try FileManager.default.contentsOfDirectory(atPath: fixture.store.root + "/studies").first {
        $0.hasSuffix(".jsonl")
          && (try? JournalStorage(path: fixture.store.root + "/studies/" + $0).trials(
            inStudy: result.winner)) != nil
      })
    let journal = try JournalStorage(path: fixture.store.root + "/studies/" + studyFile).trials(inStudy: result.winner)
    #expect(journal.count == 4)
    let best = try #require(
      journal.filter { $0.state == .complete }.min { ($0.value ?? .infinity) < ($1.value ?? .infinity) })
    #expect(best.value == result.leaderboard[0].score)
    let direct = try crossValidate(
      try tuner.estimator(for: best.parameters), table: training, target: PreparedData.targetColumn,
      splitter: configuration.splitter, splitData: splitData, scoring: [Metric.rootMeanSquaredError.scoring])
    #expect(direct.mean["rmse"] == best.value)

    // The registered model file predicts the holdout exactly as the run's predictions file
    // says, and the holdout RMSE recomputed from that file matches.
    let versions = try fixture.store.registry.versions("tiny")
    #expect(versions.count == 1 && versions[0].aliases == ["champion"])
    #expect(versions[0].lineage.configHash == configuration.hash)
    let csvBytes = try Data(contentsOf: fixture.folder.appendingPathComponent("market.csv"))
    #expect(versions[0].lineage.dataHash == SHA256.hexDigest(Array(csvBytes)))
    let exported = fixture.folder.appendingPathComponent("model.hone").path
    _ = try fixture.store.registry.export("tiny:champion", to: exported)
    guard case .pipeline(let model) = try ModelCatalog.load(from: exported) else {
      Issue.record("the registered file is not a pipeline model")
      return
    }
    let holdout = try prepared.holdoutTable()
    let predictions = try model.predict(holdout)
    let file = try CSV.read(contentsOf: result.runDirectory + "/holdout_predictions.csv")
    #expect(try file.column(named: "prediction").doubleValues == predictions)
    let target = try holdout.column(named: PreparedData.targetColumn).doubleValues
    let rmse = (zip(target, predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(target.count))
      .squareRoot()
    #expect(abs((result.holdoutMetrics["rmse"] ?? .nan) - rmse) <= 1e-12 * rmse)

    // The backtest compounds its own net returns, trades every holdout period (the data's
    // last day has no label, so every holdout row has a next-day return), and charges costs.
    let backtest = try #require(result.backtest)
    let periods = Set(prepared.holdoutRows.map { prepared.periods[$0] }).count
    #expect(backtest.netReturns.count == periods)
    let wealth = backtest.netReturns.reduce(1) { $0 * (1 + $1) }
    #expect(abs((backtest.equity.last ?? .nan) - wealth) <= 1e-12)
    #expect(zip(backtest.grossReturns, backtest.netReturns).allSatisfy { $0 >= $1 })
    let selection = try #require(result.selection)
    #expect(selection.configurations.count >= 2)
    #expect(selection.probabilityOfBacktestOverfitting.map { (0...1).contains($0) } ?? false)

    // The run is tracked with its metrics and artifacts; the report is one well-formed page.
    let details = try fixture.store.runs.details(result.runID)
    #expect(details.run.status == .finished)
    #expect(details.metrics.contains { $0.key == "holdout.rmse" && $0.value == result.holdoutMetrics["rmse"] })
    // Every trial's value and every fold score is tracked; the best trial's folds average
    // to its value.
    let folds = details.metrics.filter { $0.key == "cv.\(result.winner).fold" && $0.trial == best.number }
    #expect(folds.compactMap(\.fold).sorted() == [0, 1, 2])
    #expect(folds.map(\.value) == direct.folds.map { $0.scores["rmse"] ?? .nan })
    #expect(details.metrics.filter { $0.key == "cv.\(result.winner)" }.count == 4)
    #expect(details.artifacts["model"]?.sha256 == versions[0].artifact.sha256)
    for (_, reference) in details.artifacts { try fixture.store.artifacts.verify(reference) }
    let html = try String(contentsOfFile: result.reportPath, encoding: .utf8)
    for text in ["Leaderboard", "ridge", "gbdt", "Trading backtest", "Resolved configuration", "tiny"] {
      #expect(html.contains(text), "report lacks \(text)")
    }
    #expect(XMLParser(data: Data(html.utf8)).parse())
  }

  @Test func aRerunReusesFinishedStagesAndMoreTrialsContinueTheStudies() throws {
    let fixture = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let first = try fixture.orchestrator().run()
    #expect(first.reusedStages.isEmpty)

    let second = try fixture.orchestrator().run()
    #expect(second.reusedStages == ["tune ridge", "tune gbdt", "refit", "selection statistics"])
    #expect(second.runID != first.runID)
    #expect(
      second.leaderboard
        == first.leaderboard.map {
          var e = $0
          e.seconds = $0.seconds
          return e
        })
    #expect(second.holdoutMetrics == first.holdoutMetrics)
    #expect(try fixture.store.registry.versions("tiny").count == 1)
    #expect(try fixture.store.runs.runs().count == 2)

    // Two more trials each: the studies continue (trials 0–3 kept, 4–5 new).
    let lines = Mutex<[String]>([])
    let third = try fixture.orchestrator(
      overrides: ["tuning.trials=6"], log: { line in lines.withLock { $0.append(line) } }
    ).run()
    #expect(!third.reusedStages.contains("tune gbdt"))
    #expect(lines.withLock { $0 }.filter { $0.contains("resuming: 4 of 6 trials finished before") }.count == 2)
    #expect(third.leaderboard.allSatisfy { $0.complete + $0.pruned + $0.failed == 6 })
  }

  @Test func aDamagedModelArtifactIsDetectedAndTheRefitRunsAgain() throws {
    let fixture = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let first = try fixture.orchestrator().run()
    let model = first.modelVersion.artifact
    let path = try fixture.store.artifacts.path(for: model.sha256)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0xFF
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(throws: ArtifactError.self) { try fixture.store.artifacts.verify(model) }
    #expect(throws: (any Error).self) {
      _ = try fixture.store.registry.export("tiny@1", to: fixture.folder.path + "/x")
    }

    let second = try fixture.orchestrator().run()
    #expect(!second.reusedStages.contains("refit"))
    try fixture.store.artifacts.verify(second.modelVersion.artifact)
  }

  /// With early stopping in the folds, the selection statistics re-run each configuration
  /// as its trial ran — stopping on each fold's test rows — where a plain cross-validation
  /// gave the booster nothing to stop on and the whole run failed at that stage.
  @Test func selectionStatisticsRunUnderEarlyStopping() throws {
    let fixture = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let lines = Mutex<[String]>([])
    let result = try fixture.orchestrator(
      overrides: ["tuning.earlyStoppingRounds=3"], log: { line in lines.withLock { $0.append(line) } }
    ).run()
    let selection = try #require(result.selection)
    #expect(selection.configurations.contains { $0.hasPrefix("gbdt #") })
    #expect(selection.probabilityOfBacktestOverfitting.map { (0...1).contains($0) } ?? false)
    #expect(selection.note?.contains("lean optimistic") == true)
    // The leaderboard compares gbdt, stopped on each fold's test rows, with ridge, which
    // was not: the run says so under it.
    let note = lines.withLock { $0 }.first { $0.contains("note:") }
    #expect(
      note?.contains("gbdt stopped each fold's fit on that fold's test rows") == true, "\(String(describing: note))")
    #expect(note?.contains("ridge") == false)
  }

  /// The configuration loader refuses this already; a configuration built in code reaches
  /// the orchestrator's own check, and the run is recorded as failed.
  @Test func aCandidateThatCannotLearnTheTaskIsRefusedByName() throws {
    let fixture = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    #expect(throws: ConfigError.self) { try fixture.orchestrator(overrides: ["models[0].kind=logistic"]) }
    let orchestrator = try fixture.orchestrator(change: { $0.models[0] = ModelCandidate(kind: .logistic) })
    #expect {
      _ = try orchestrator.run()
    } throws: { error in
      "\(error)".contains("logistic") && "\(error)".contains("regression")
    }
    #expect(try fixture.store.runs.runs().first?.status == .failed)
  }
}
