import Foundation
import HoneCore
import HoneLinearAlgebra
import HonePipeline
import HoneTuning

/// One candidate's line in a run's leaderboard.
public struct LeaderboardEntry: Codable, Sendable, Equatable {
  /// The candidate's name.
  public var name: String
  /// Its model kind.
  public var kind: ModelKind
  /// The best cross-validated score (mean over folds), or `nil` when no trial completed.
  public var score: Double?
  /// The standard deviation of the best trial's fold scores.
  public var scoreStandardDeviation: Double?
  /// Trials that completed, were pruned, failed.
  public var complete: Int, pruned: Int, failed: Int
  /// Seconds spent tuning.
  public var seconds: Double
  /// Whether this candidate won the selection.
  public var isWinner: Bool
}

/// What `hone run` did.
public struct RunResult: Sendable {
  /// The run's id in the tracking store.
  public var runID: String
  /// The selection metric's name and whether greater is better.
  public var metric: String
  /// Candidates, best first.
  public var leaderboard: [LeaderboardEntry]
  /// The winning candidate's name.
  public var winner: String
  /// Metrics on the untouched holdout.
  public var holdoutMetrics: [String: Double]
  /// The holdout backtest, when enabled.
  public var backtest: BacktestResult?
  /// Overfitting statistics of the selection (trading runs).
  public var selection: SelectionStatistics?
  /// The registered model version.
  public var modelVersion: ModelVersion
  /// Where the HTML report was written.
  public var reportPath: String
  /// The run's output folder.
  public var runDirectory: String
  /// Stages whose finished output was reused.
  public var reusedStages: [String]
}

/// Runs a whole configuration: prepare data → hold out the most recent slice → tune every
/// candidate with cross-validation → select → refit on all training rows → score the
/// holdout once → backtest it → register the model → write the report.
///
/// Each expensive stage's output is stored under a content key (the Hone version, the
/// data's hash and the configuration sections the stage depends on), so rerunning an
/// unchanged configuration reuses finished stages, and a run interrupted while tuning
/// resumes its studies from their journals: trials already finished are kept and a trial
/// cut short is retried with the same parameters and the same place in the sampler's
/// stream, so the resumed run ends where an uninterrupted one would.
///
/// ```swift
/// let loaded = try ConfigurationLoader.load(path: "Examples/quickstart.yaml")
/// let result = try RunOrchestrator(loaded, store: try HoneStore()).run()
/// print(result.winner, result.reportPath)
/// ```
public struct RunOrchestrator: Sendable {
  /// The resolved configuration.
  public let configuration: RunConfiguration
  /// The resolved configuration as text, for the report.
  public let configurationText: String
  /// The SHA-256 of the configuration's canonical form.
  public let configurationHash: String
  /// Where runs, models and artifacts are kept.
  public let store: HoneStore
  /// Receives one line per progress event.
  public let log: @Sendable (String) -> Void

  /// Creates an orchestrator.
  ///
  /// - Parameters:
  ///   - configuration: The resolved configuration.
  ///   - configurationText: Its text for the report (`explain()` output).
  ///   - configurationHash: Its hash (`canonicalJSON()`'s SHA-256).
  ///   - store: The store to record into.
  ///   - log: Where progress lines go (standard error in the CLI).
  public init(
    configuration: RunConfiguration, configurationText: String, configurationHash: String, store: HoneStore,
    log: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.configuration = configuration
    self.configurationText = configurationText
    self.configurationHash = configurationHash
    self.store = store
    self.log = log
  }

  /// Runs every stage.
  ///
  /// - Returns: The leaderboard, holdout metrics, backtest, registered version and report.
  /// - Throws: ``RunDataError`` and the data, model, tuning and store errors of the
  ///   stage that failed; the run is then recorded as failed in the store.
  public func run() throws -> RunResult {
    let started = Date()
    let cache = try StageCache(store: store)
    let stageCount = configuration.models.count + 6
    var stage = 0
    func begin(_ name: String) {
      stage += 1
      log("[\(stage)/\(stageCount)] \(name)")
    }

    begin("prepare data")
    let prepared = try PreparedData.prepare(configuration)
    log(
      "  \(prepared.table.rowCount) rows (\(prepared.trainingRows.count) training, \(prepared.holdoutRows.count) holdout, "
        + "\(prepared.purgedRows) purged at the boundary), \(prepared.featureNames.count) features, "
        + "task \(prepared.task.rawValue)")
    let run = try store.runs.startRun(
      name: configuration.name, configHash: configurationHash, dataHash: prepared.dataHash)
    do {
      let result = try execute(prepared, runID: run.id, cache: cache, begin: begin, started: started)
      _ = try store.runs.finishRun(run.id)
      return result
    } catch {
      _ = try? store.runs.finishRun(run.id, status: .failed, failure: "\(error)")
      throw error
    }
  }

  private func execute(
    _ prepared: PreparedData, runID: String, cache: StageCache, begin: (String) -> Void, started: Date
  ) throws -> RunResult {
    let task = prepared.task
    for candidate in configuration.models where !candidate.kind.supports(task) {
      throw RunDataError(
        "models: `\(candidate.name)` is a \(candidate.kind.rawValue) model, which cannot learn a \(task.rawValue) "
          + "target; remove it or change the target")
    }
    let metric = configuration.selection.metric(for: task)
    let direction: Direction = metric.greaterIsBetter ? .maximize : .minimize
    let training = try prepared.trainingTable()
    let splitData = try prepared.trainingSplitData()
    var reused: [String] = []

    // Tune every candidate.
    var outcomes: [CandidateOutcome] = []
    var tuneKeys: [String] = []
    for (index, candidate) in configuration.models.enumerated() {
      begin("tune \(candidate.name) (\(index + 1) of \(configuration.models.count))")
      let key = try tuneKey(candidate, dataHash: prepared.dataHash)
      tuneKeys.append(key)
      if let (outcome, record) = cache.load(CandidateOutcome.self, key: key, problem: log),
        outcome.finishedTrials >= configuration.tuning.trials
      {
        log("  finished before: reusing \(outcome.trials.count) trials (best \(format(outcome.bestScore)))")
        reused.append("tune \(candidate.name)")
        try store.runs.logArtifact(record, named: "stage/tune/\(candidate.name)", for: runID)
        outcomes.append(outcome)
        continue
      }
      let outcome = try tune(
        candidate, key: key, training: training, splitData: splitData, task: task, metric: metric)
      let record = try cache.save(outcome, key: key)
      try store.runs.logArtifact(record, named: "stage/tune/\(candidate.name)", for: runID)
      outcomes.append(outcome)
    }
    for outcome in outcomes {
      var metrics: [MetricRecord] = outcome.trials.compactMap { trial in
        trial.value.map { MetricRecord(key: "cv.\(outcome.name)", value: $0, trial: trial.number) }
      }
      for trial in outcome.trials {
        for (fold, score) in (ModelTuner.foldScores(of: trial) ?? []).enumerated() {
          metrics.append(MetricRecord(key: "cv.\(outcome.name).fold", value: score, trial: trial.number, fold: fold))
        }
      }
      try store.runs.logMetrics(metrics, for: runID)
    }

    // Select.
    begin("select the winner by \(metric.name)")
    let scored = outcomes.filter { $0.bestScore != nil }
    guard
      let winner = scored.reduce(
        nil as CandidateOutcome?,
        { best, next in
          guard let best, let a = best.bestScore, let b = next.bestScore else { return best ?? next }
          return direction.isBetter(b, than: a) ? next : best
        })
    else {
      let firstError = outcomes.lazy.flatMap(\.trials).compactMap(\.error).first ?? "no trial ran"
      throw RunDataError("tuning: no trial of any candidate completed; the first error was: \(firstError)")
    }
    let leaderboard = leaderboardEntries(outcomes, winner: winner.name, direction: direction)
    for entry in leaderboard {
      log(
        "  \(entry.isWinner ? "*" : " ") \(entry.name.padding(toLength: 14, withPad: " ", startingAt: 0)) "
          + "\(metric.name) \(format(entry.score)) ± \(format(entry.scoreStandardDeviation))  "
          + "(\(entry.complete) complete, \(entry.pruned) pruned, \(entry.failed) failed)")
    }
    // Early stopping picks each fold's rounds on that fold's test rows: the candidates it
    // applies to score a little high against those it does not.
    if let rounds = configuration.tuning.earlyStoppingRounds {
      let stopped = outcomes.filter { (try? ModelCatalog.entry($0.kind, task: task).canStopEarly) == true }
      if !stopped.isEmpty && stopped.count < outcomes.count {
        log(
          "  note: \(stopped.map(\.name).joined(separator: ", ")) stopped each fold's fit on that fold's test rows "
            + "(earlyStoppingRounds \(rounds)), so their scores lean optimistic against the others'")
      }
    }
    guard let winningCandidate = configuration.models.first(where: { $0.name == winner.name }) else {
      throw RunDataError("models: the winner `\(winner.name)` is not among the candidates")
    }

    // Refit on every training row and predict the holdout.
    begin("refit \(winner.name) on \(prepared.trainingRows.count) rows and score the holdout")
    let refitKey = StageCache.key(["refit", HoneVersion.current] + tuneKeys + [winner.name])
    let refit: RefitOutcome
    if let (cached, record) = cache.load(RefitOutcome.self, key: refitKey, problem: log),
      (try? store.artifacts.verify(cached.model)) != nil
    {
      log("  finished before: reusing model \(cached.model.sha256.prefix(12))")
      reused.append("refit")
      refit = cached
      try store.runs.logArtifact(record, named: "stage/refit", for: runID)
    } else {
      refit = try self.refit(
        winningCandidate, outcome: winner, prepared: prepared, training: training, splitData: splitData, task: task,
        metric: metric)
      let record = try cache.save(refit, key: refitKey)
      try store.runs.logArtifact(record, named: "stage/refit", for: runID)
    }
    try store.runs.logArtifact(refit.model, named: "model", for: runID)
    let holdoutMetrics = try self.holdoutMetrics(prepared, refit: refit)
    for (name, value) in holdoutMetrics.sorted(by: { $0.key < $1.key }) {
      log("  holdout \(name) \(format(value))")
    }
    try store.runs.logMetrics(
      holdoutMetrics.map { MetricRecord(key: "holdout.\($0.key)", value: $0.value) }, for: runID)
    var parameters = ["winner": winner.name]
    for (name, value) in refit.parameters { parameters["winner.\(name)"] = value }
    try store.runs.logParameters(parameters, for: runID)

    // Backtest the holdout and measure selection overfitting.
    var backtest: BacktestResult?
    var selection: SelectionStatistics?
    begin(configuration.backtest.enabled ? "backtest the holdout" : "backtest (disabled)")
    if configuration.backtest.enabled {
      let settings = backtestSettings
      let signals = try holdoutSignals(prepared, refit: refit)
      guard let forward = prepared.forwardReturns else {
        throw RunDataError(
          "backtest.enabled: the data has no close price column (features.prices.close) and no backtest.returns "
            + "column; name one or set backtest.enabled: false")
      }
      let result = try Backtest.run(
        signals: signals, forwardReturns: prepared.holdoutRows.map { forward[$0] },
        periods: prepared.holdoutRows.map { prepared.periods[$0] },
        symbols: prepared.symbols.map { s in prepared.holdoutRows.map { s[$0] } }, settings: settings)
      backtest = result
      for name in ["sharpeRatio", "annualisedReturn", "maximumDrawdown", "turnover"] {
        if let value = result.metrics[name] { log("  \(name) \(format(value))") }
      }
      try store.runs.logMetrics(
        result.metrics.map { MetricRecord(key: "backtest.\($0.key)", value: $0.value) }, for: runID)
      let selectionKey = StageCache.key(
        ["selection", refitKey, try canonical(configuration.backtest)])
      if let (cached, record) = cache.load(SelectionStatistics.self, key: selectionKey, problem: log) {
        selection = cached
        reused.append("selection statistics")
        try store.runs.logArtifact(record, named: "stage/selection", for: runID)
      } else {
        let computed = try selectionStatistics(
          outcomes, winner: winner, prepared: prepared, training: training, splitData: splitData, task: task,
          metric: metric, settings: settings)
        selection = computed
        let record = try cache.save(computed, key: selectionKey)
        try store.runs.logArtifact(record, named: "stage/selection", for: runID)
      }
      if let dsr = selection?.deflatedSharpeRatio { log("  deflated Sharpe ratio \(format(dsr))") }
      if let pbo = selection?.probabilityOfBacktestOverfitting {
        log("  probability of backtest overfitting \(format(pbo))")
      }
      if let note = selection?.note { log("  note: \(note)") }
    }

    // Register.
    begin("register the model")
    let version = try register(refit, prepared: prepared, runID: runID, metrics: holdoutMetrics)
    log("  \(version.reference) aliases \(version.aliases.isEmpty ? "none" : version.aliases.joined(separator: ", "))")

    // Report.
    begin("write the report")
    let directory = runDirectory(runID)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let predictionsPath = (directory as NSString).appendingPathComponent("holdout_predictions.csv")
    try CSV.write(try predictionTable(prepared, refit: refit), to: predictionsPath)
    try store.runs.logArtifact(
      try store.artifacts.put(contentsOf: predictionsPath, kind: .predictions), named: "holdout-predictions",
      for: runID)
    let report = try makeReport(
      runID: runID, prepared: prepared, outcomes: outcomes, leaderboard: leaderboard, metric: metric, refit: refit,
      holdoutMetrics: holdoutMetrics, backtest: backtest, selection: selection, version: version,
      seconds: Date().timeIntervalSince(started))
    let reportPath = (directory as NSString).appendingPathComponent("report.html")
    try HTMLReport.write(report, to: reportPath)
    try store.runs.logArtifact(
      try store.artifacts.put(contentsOf: reportPath, kind: .report), named: "report", for: runID)
    log("  report: \(reportPath)")

    return RunResult(
      runID: runID, metric: metric.name, leaderboard: leaderboard, winner: winner.name,
      holdoutMetrics: holdoutMetrics, backtest: backtest, selection: selection, modelVersion: version,
      reportPath: reportPath, runDirectory: directory, reusedStages: reused)
  }
}
