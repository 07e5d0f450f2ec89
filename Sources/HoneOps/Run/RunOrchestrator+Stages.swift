import Foundation
import HoneCore
import HoneLinearAlgebra
import HonePipeline
import HoneTuning
import Synchronization

extension RunOrchestrator {
  /// The content key of one candidate's tuning: everything that changes what its trials
  /// are. The trial budget (count and time) is left out on purpose: raising it continues
  /// the same study instead of starting over.
  func tuneKey(_ candidate: ModelCandidate, dataHash: String) throws -> String {
    var data = configuration.data
    data.paths = []  // The bytes are in `dataHash`; where they were read from does not matter.
    var tuning = configuration.tuning
    tuning.trials = 0
    tuning.timeout = nil
    return StageCache.key([
      "tune", HoneVersion.current, dataHash, try canonical(data), try canonical(configuration.target),
      try canonical(configuration.features), try canonical(configuration.split), try canonical(configuration.holdout),
      String(configuration.seed), try canonical(tuning), try canonical(configuration.selection),
      try canonical(candidate),
    ])
  }

  /// A value's JSON with sorted keys: a stable description for content keys.
  func canonical(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// The catalog tuner for a candidate on the training rows.
  func tuner(_ candidate: ModelCandidate, training: Table, splitData: SplitData, task: PredictionTask, metric: Metric)
    throws -> ModelTuner
  {
    var fixed = candidate.params.mapValues(Self.text)
    var space: SearchSpace?
    if case .custom(let specs) = candidate.space {
      var dimensions: [SearchSpace.Dimension] = []
      for (name, spec) in specs.sorted(by: { $0.key < $1.key }) {
        switch spec {
        case .search(let distribution): dimensions.append(SearchSpace.Dimension(name, distribution))
        case .fixed(let value): fixed[name] = Self.text(value)
        }
      }
      space = SearchSpace(dimensions)
    }
    let parallel = configuration.tuning.parallelism
    // `tuning.earlyStoppingRounds` applies to the candidates that train in rounds only.
    let stopping = try ModelCatalog.entry(candidate.kind, task: task).canStopEarly
    return try ModelTuner(
      table: training, target: PreparedData.targetColumn, task: task, kind: candidate.kind, space: space,
      fixed: fixed, splitter: configuration.splitter, splitData: splitData, metric: metric,
      parallelism: parallel > 1 ? .trials(parallel) : .folds,
      earlyStoppingRounds: stopping ? configuration.tuning.earlyStoppingRounds : nil)
  }

  static func text(_ value: ParameterValue) -> String {
    switch value {
    case .double(let x): return x.description
    case .int(let i): return String(i)
    case .string(let s): return s
    }
  }

  /// Tunes one candidate in a journal-backed study that survives a crash.
  func tune(
    _ candidate: ModelCandidate, key: String, training: Table, splitData: SplitData, task: PredictionTask,
    metric: Metric
  ) throws -> CandidateOutcome {
    let tuner = try tuner(candidate, training: training, splitData: splitData, task: task, metric: metric)
    let distributions = Dictionary(
      tuner.space.dimensions.map { ($0.name, $0.distribution) }, uniquingKeysWith: { a, _ in a })
    let sampler = try configuration.tuning.makeSampler(space: distributions, runSeed: configuration.seed)
    let folder = (store.root as NSString).appendingPathComponent("studies")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let base = (folder as NSString).appendingPathComponent(key)
    let lock = try RunLock(path: base + ".lock", holder: "candidate `\(candidate.name)`")
    defer { lock.release() }
    // The lock guarantees no live process owns a running trial of this study, so every
    // running trial in the journal belongs to a run that died: fail and retry it now.
    let study = try Study(
      name: candidate.name, direction: tuner.direction, sampler: sampler,
      pruner: try configuration.tuning.pruner.makePruner(seed: configuration.tuning.seed ?? configuration.seed),
      storage: try JournalStorage(path: base + ".jsonl"),
      heartbeatInterval: 5, staleAfter: 1e-6)
    let before = study.trials
    let finished = before.filter { $0.state != .running && !$0.diedWithProcess }.count
    let total = configuration.tuning.trials
    let remaining = Swift.max(0, total - finished)
    if finished > 0 { log("  resuming: \(finished) of \(total) trials finished before") }
    let start = Date()
    let done = Mutex(0)
    let result = try tuner.run(study, trials: remaining, timeout: configuration.tuning.timeout) { report in
      let count = done.withLock {
        $0 += 1
        return $0
      }
      let elapsed = Date().timeIntervalSince(start)
      let eta = elapsed / Double(count) * Double(Swift.max(0, remaining - count))
      let trial = report.trial
      var line = "  trial \(finished + count)/\(total) #\(trial.number) \(trial.state.rawValue)"
      if let mean = report.mean {
        line += "  \(metric.name) \(format(mean)) ± \(format(report.standardDeviation))"
      }
      if let best = report.best, let value = best.value { line += "  best \(format(value)) (#\(best.number))" }
      line += "  \(String(format: "%.1f", trial.seconds)) s  ETA \(Self.duration(eta))"
      log(line)
    }
    let trials = study.trials
    let best = result.bestTrial
    var importance: [ParameterImportance] = []
    // fANOVA on a handful of trials attributes everything to whichever parameter splits
    // first; below a few trials per dimension the report says too few instead.
    let dimensions = tuner.space.dimensions.count
    if dimensions > 0, trials.filter({ $0.state == .complete }).count >= Swift.max(8, 2 * dimensions) {
      importance = (try? FanovaImportance(seed: configuration.seed).evaluate(trials)) ?? []
    }
    return CandidateOutcome(
      name: candidate.name, kind: candidate.kind, bestParameters: best?.parameters ?? [:], bestTrial: best?.number,
      bestScore: best?.value, bestFoldScores: best.flatMap { ModelTuner.foldScores(of: $0) } ?? [],
      trials: trials, importance: importance, seconds: Date().timeIntervalSince(start))
  }

  /// `90 s`, `4 min`, `1 h 5 min`.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    if seconds < 90 { return "\(Int(seconds.rounded())) s" }
    if seconds < 3600 { return "\(Int((seconds / 60).rounded())) min" }
    return "\(Int(seconds / 3600)) h \(Int((seconds.truncatingRemainder(dividingBy: 3600) / 60).rounded())) min"
  }

  /// Refits the winner on every training row, stores the model file and predicts the holdout.
  func refit(
    _ candidate: ModelCandidate, outcome: CandidateOutcome, prepared: PreparedData, training: Table,
    splitData: SplitData, task: PredictionTask, metric: Metric
  ) throws -> RefitOutcome {
    let start = Date()
    let tuner = try tuner(candidate, training: training, splitData: splitData, task: task, metric: metric)
    // Under early stopping the refit has no held-out rows to stop on: it trains the best
    // trial's mean kept rounds.
    let best = outcome.trials.first { $0.number == outcome.bestTrial }
    let rounds = tuner.earlyStoppingRounds == nil ? nil : best.flatMap(ModelTuner.refitRounds(of:))
    let model = try tuner.refit(outcome.bestParameters, rounds: rounds)
    let seconds = Date().timeIntervalSince(start)
    let folder = (store.root as NSString).appendingPathComponent("tmp")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = (folder as NSString).appendingPathComponent("model-\(UUID().uuidString).hone")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try model.save(to: path, metadata: ["candidate": candidate.name, "run": configuration.name])
    let reference = try store.artifacts.put(contentsOf: path, kind: .model)
    let holdout = try prepared.holdoutTable()
    var predictions: [Double] = []
    var probabilities: [Double] = []
    var importance: [String: Double] = [:]
    if holdout.rowCount > 0 {
      predictions = try model.predict(holdout)
      if let matrix = try model.predictProbabilities(holdout) {
        for i in 0..<matrix.rows { for j in 0..<matrix.columns { probabilities.append(matrix[i, j]) } }
      }
      let drops = try permutationImportance(
        model, table: holdout, target: PreparedData.targetColumn, columns: prepared.featureNames,
        scoring: metric.scoring, repeats: 3, seed: configuration.seed)
      for item in drops { importance[item.name] = item.mean }
    }
    let parameters = try tuner.entry.hyperparameters(
      tuned: outcome.bestParameters, fixed: try tuner.refitFixed(rounds: rounds), preprocessing: tuner.preprocessing
    ).mapValues(\.text)
    return RefitOutcome(
      candidate: candidate.name, model: reference, modelKind: model.kind, parameters: parameters,
      holdoutPredictions: predictions, holdoutProbabilities: probabilities, featureImportance: importance,
      seconds: seconds)
  }

  /// The holdout probabilities as a matrix (rows × classes), or `nil` for regressors.
  func holdoutProbabilityMatrix(_ prepared: PreparedData, refit: RefitOutcome) -> Matrix? {
    let rows = refit.holdoutPredictions.count
    let classes = prepared.classes.count
    guard rows > 0, classes > 0, refit.holdoutProbabilities.count == rows * classes else { return nil }
    var matrix = Matrix(rows: rows, columns: classes)
    for i in 0..<rows { for j in 0..<classes { matrix[i, j] = refit.holdoutProbabilities[i * classes + j] } }
    return matrix
  }

  /// The holdout scores: the selection metric and the usual companions for the task.
  func holdoutMetrics(_ prepared: PreparedData, refit: RefitOutcome) throws -> [String: Double] {
    guard !prepared.holdoutRows.isEmpty else { return [:] }
    let target = try prepared.holdoutTable().column(named: PreparedData.targetColumn).doubleValues
    var metrics: [Metric]
    switch prepared.task {
    case .regression: metrics = [.rootMeanSquaredError, .meanAbsoluteError, .r2, .pearsonIC, .spearmanIC]
    case .classification:
      metrics = [.accuracy, .logLoss]
      if prepared.classes.count == 2 { metrics += [.rocAUC, .brierScore] }
    }
    let selected = configuration.selection.metric(for: prepared.task)
    if !metrics.contains(where: { $0.name == selected.name }) { metrics.append(selected) }
    let probabilities = holdoutProbabilityMatrix(prepared, refit: refit)
    var scores: [String: Double] = [:]
    for metric in metrics {
      let prediction: MetricPrediction
      if metric.usesProbabilities {
        guard let probabilities else { continue }
        prediction = .probabilities(probabilities, classes: prepared.classes)
      } else {
        prediction = .values(refit.holdoutPredictions)
      }
      if let value = try? metric.score(yTrue: target, prediction: prediction) { scores[metric.name] = value }
    }
    return scores
  }

  /// Trading signals for holdout rows: a regressor's prediction, or a binary classifier's
  /// positive-class probability minus ½.
  func holdoutSignals(_ prepared: PreparedData, refit: RefitOutcome) throws -> [Double] {
    switch prepared.task {
    case .regression: return refit.holdoutPredictions
    case .classification:
      guard prepared.classes.count == 2, let matrix = holdoutProbabilityMatrix(prepared, refit: refit) else {
        throw RunDataError(
          "backtest.enabled: a backtest needs a regression target or a binary class target; this one has "
            + "\(prepared.classes.count) classes")
      }
      return (0..<matrix.rows).map { matrix[$0, 1] - 0.5 }
    }
  }

  var backtestSettings: BacktestSettings {
    let b = configuration.backtest
    let rule: PositionRule
    switch b.positions {
    case .sign: rule = .sign
    case .threshold: rule = .threshold
    case .rank: rule = .rank
    }
    return BacktestSettings(
      positions: rule, threshold: b.threshold, quantile: b.quantile, costBasisPoints: b.costBps,
      slippageBasisPoints: b.slippageBps, periodsPerYear: b.periodsPerYear)
  }

  /// DSR and PBO over the best few configurations of every candidate, from their
  /// out-of-fold strategy returns on the training rows.
  func selectionStatistics(
    _ outcomes: [CandidateOutcome], winner: CandidateOutcome, prepared: PreparedData, training: Table,
    splitData: SplitData, task: PredictionTask, metric: Metric, settings: BacktestSettings
  ) throws -> SelectionStatistics {
    guard let forward = prepared.forwardReturns else {
      return SelectionStatistics(
        configurations: [], sharpeRatios: [], note: "no forward returns to backtest the configurations on")
    }
    let perCandidate = 3
    var names: [String] = []
    var series: [[Double]] = []
    var winnerColumn: Int?
    let direction: Direction = metric.greaterIsBetter ? .maximize : .minimize
    for outcome in outcomes {
      guard let candidate = configuration.models.first(where: { $0.name == outcome.name }) else { continue }
      let tuner = try tuner(candidate, training: training, splitData: splitData, task: task, metric: metric)
      let ranked = outcome.trials.filter { $0.state == .complete && $0.value != nil }.sorted {
        direction.isBetter($0.value ?? 0, than: $1.value ?? 0)
      }
      var seen: [[String: ParameterValue]] = []
      for trial in ranked where seen.count < perCandidate && !seen.contains(trial.parameters) {
        seen.append(trial.parameters)
        // As the trial was scored: its weights, and early stopping on each fold's test rows.
        let result = try tuner.crossValidate(configuration: trial.parameters, parallelFolds: true)
        var signal = [Double](repeating: .nan, count: training.rowCount)
        for fold in result.folds {
          for (k, row) in fold.testRows.enumerated() {
            if task == .classification, let p = fold.probabilities, p.columns == 2 {
              signal[row] = p[k, 1] - 0.5
            } else {
              signal[row] = fold.predictions[k]
            }
          }
        }
        let rows = (0..<training.rowCount).filter { signal[$0].isFinite }
        let backtest = try Backtest.run(
          signals: rows.map { signal[$0] }, forwardReturns: rows.map { forward[prepared.trainingRows[$0]] },
          periods: rows.map { prepared.periods[prepared.trainingRows[$0]] },
          symbols: prepared.symbols.map { s in rows.map { s[prepared.trainingRows[$0]] } }, settings: settings)
        if outcome.name == winner.name, trial.number == winner.bestTrial { winnerColumn = series.count }
        names.append("\(outcome.name) #\(trial.number)")
        series.append(backtest.netReturns)
      }
    }
    let sharpe = series.map { r -> Double in
      let mean = r.reduce(0, +) / Double(Swift.max(1, r.count))
      let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Swift.max(1, r.count - 1))
      return variance > 0 ? mean / variance.squareRoot() : 0
    }
    var statistics = SelectionStatistics(configurations: names, sharpeRatios: sharpe)
    var notes: [String] = []
    if configuration.tuning.earlyStoppingRounds != nil {
      notes.append(
        "early stopping chose each fold's rounds on that fold's test rows, so these out-of-fold returns lean optimistic"
      )
    }
    let length = series.map(\.count).min() ?? 0
    if series.count >= 2, length > 0, series.allSatisfy({ $0.count == length }) {
      if let column = winnerColumn {
        do {
          statistics.deflatedSharpeRatio = try OverfittingStatistics.deflatedSharpeRatio(
            series[column], trialSharpeRatios: sharpe)
        } catch { notes.append("DSR: \(error)") }
      }
      var matrix = Matrix(rows: length, columns: series.count)
      for j in series.indices { for i in 0..<length { matrix[i, j] = series[j][i] } }
      let blocks = [16, 8, 4, 2].first { length / $0 >= 4 } ?? 2
      do {
        statistics.probabilityOfBacktestOverfitting = try OverfittingStatistics.probabilityOfBacktestOverfitting(
          trialReturns: matrix, blockCount: blocks
        ).probability
      } catch { notes.append("PBO: \(error)") }
    } else {
      notes.append("DSR and PBO need at least two configurations backtested over the same periods")
    }
    statistics.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
    return statistics
  }

  /// Registers the refitted model unless this very model file is already registered from
  /// this configuration (a rerun), and gives it an alias: `champion` for the first version,
  /// `challenger` afterwards (promote it with `hone registry promote`).
  func register(_ refit: RefitOutcome, prepared: PreparedData, runID: String, metrics: [String: Double]) throws
    -> ModelVersion
  {
    let name = configuration.name
    let existing = (try? store.registry.versions(name)) ?? []
    if let same = existing.first(where: {
      $0.artifact.sha256 == refit.model.sha256 && $0.lineage.configHash == configurationHash
    }) {
      log("  already registered as \(same.reference)")
      return same
    }
    let version = try store.registry.register(
      ModelRegistration(
        name: name, artifact: refit.model, modelKind: refit.modelKind, metrics: metrics,
        lineage: ModelLineage(
          dataHash: prepared.dataHash, configHash: configurationHash, gitCommit: ModelLineage.gitCommit(),
          parentRunID: runID),
        description: "\(refit.candidate) chosen by `hone run` (\(configuration.name))"))
    let hasChampion = existing.contains { $0.aliases.contains("champion") }
    _ = try store.registry.promote(name, version: version.version, alias: hasChampion ? "challenger" : "champion")
    return try store.registry.version(name, version.version)
  }

  /// Where this run's files go: `output.runDirectory`, or `<store>/runs/<run id>`.
  func runDirectory(_ runID: String) -> String {
    if let directory = configuration.output.runDirectory { return directory }
    return ((store.root as NSString).appendingPathComponent("runs") as NSString).appendingPathComponent(runID)
  }

  /// Holdout rows with their period, symbol, target, prediction and probability.
  func predictionTable(_ prepared: PreparedData, refit: RefitOutcome) throws -> Table {
    let rows = prepared.holdoutRows
    let target = try prepared.holdoutTable().column(named: PreparedData.targetColumn).doubleValues
    var columns: [Column] = [.float("target", target), .float("prediction", refit.holdoutPredictions)]
    if let matrix = holdoutProbabilityMatrix(prepared, refit: refit) {
      for (j, label) in prepared.classes.enumerated() {
        columns.append(.float("probability_\(Self.classLabel(label))", (0..<matrix.rows).map { matrix[$0, j] }))
      }
    }
    if let symbols = prepared.symbols { columns.insert(.categorical("symbol", rows.map { symbols[$0] }), at: 0) }
    columns.insert(.integer("period", rows.map { prepared.periods[$0] }), at: 0)
    return try Table(columns)
  }

  static func classLabel(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : value.description
  }

  func leaderboardEntries(_ outcomes: [CandidateOutcome], winner: String, direction: Direction) -> [LeaderboardEntry] {
    let entries = outcomes.map { outcome -> LeaderboardEntry in
      let scores = outcome.bestFoldScores
      let mean = scores.reduce(0, +) / Double(Swift.max(1, scores.count))
      let deviation =
        scores.count > 1
        ? (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count - 1)).squareRoot() : nil
      return LeaderboardEntry(
        name: outcome.name, kind: outcome.kind, score: outcome.bestScore, scoreStandardDeviation: deviation,
        complete: outcome.completeTrials, pruned: outcome.prunedTrials, failed: outcome.failedTrials,
        seconds: outcome.seconds, isWinner: outcome.name == winner)
    }
    return entries.sorted { a, b in
      switch (a.score, b.score) {
      case (let x?, let y?): return direction.isBetter(x, than: y)
      case (.some, nil): return true
      default: return false
      }
    }
  }
}

/// A number for progress lines: four significant decimals, or `–` when missing.
func format(_ value: Double?) -> String {
  guard let value, value.isFinite else { return "–" }
  return String(format: abs(value) >= 1000 ? "%.1f" : "%.4f", value)
}
