import ArgumentParser
import Foundation
import Hone

/// `hone tune`: tune one catalog model by cross-validation.
struct TuneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune",
    abstract: "Tune a model's hyperparameters by cross-validation on a CSV or .npy file.",
    discussion: """
      Searches the model catalog's default space with a seeded sampler, prints one leaderboard line per trial on standard error and the best configuration on standard output:

        hone tune --data train.csv --target label --model gbdt --trials 100 --cv purged:5 --metric auc --storage studies.jsonl --study gbdt-auc --out best.hone

      With --storage, running again with the same --study resumes it: finished trials are kept and new trials continue the numbering. --trials is the number of trials to add.

      Folds: kfold:K and stratified:K shuffle the rows with --seed; purged:K keeps time order, and each label spans its own row unless --label-end names the last row it uses (or, with --time, its end timestamp); timeseries:K trains on the past only.
      """)

  @Option(help: "The training data, a .csv or .npy file.") var data: String
  @Option(help: "The target column.") var target: String
  @Option(help: "The model kind: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).") var model: String
  @Option(
    help:
      "The task: regression or classification (default: classification for a categorical target or an integer one with at most 20 values)."
  )
  var task: String?
  @Option(help: "Trials to add to the study.") var trials = 100
  @Option(
    help:
      "Cross-validation: kfold:K, stratified:K, purged:K or timeseries:K (default: stratified:5 for classification, as scikit-learn's cv=5, else kfold:5)."
  )
  var cv: String?
  @Option(help: "The selection metric (default: auc for two classes, logloss for more, rmse for regression).")
  var metric: String?
  @Option(help: "A study journal file; the study resumes from it when it exists.") var storage: String?
  @Option(help: "The study's name in the storage (default: the model kind).") var study: String?
  @Option(
    help:
      "The sampler: tpe, random, sobol (quasi-random) or cmaes (numeric parameters; others at random). TPE lies about running trials (constant liar) with --parallel-trials above 1."
  )
  var sampler = "tpe"
  @Option(
    help:
      "The pruner: median, none, sha (successive halving, η = 3 per fold), hyperband (up to the last fold) or wilcoxon (signed-rank test of fold scores against the best trial's, p < 0.1)."
  )
  var pruner = "median"
  @Option(help: "The seed of the sampler and of shuffled folds.") var seed: UInt64 = 0
  @Option(help: "Seconds after which no new trial starts.") var timeout: Double?
  @Option(name: .customLong("param"), help: "A fixed hyperparameter as name=value, not tuned (repeatable).")
  var parameters: [String] = []
  @Option(help: "Comma-separated columns that are not features.") var ignore: String?
  @Option(help: "A column of sample weights.") var weights: String?
  @Option(help: "purged: the column holding the last row (integer) or time (timestamp, with --time) each label uses.")
  var labelEnd: String?
  @Option(help: "purged: the timestamp column of each row, when --label-end holds timestamps.") var time: String?
  @Option(help: "purged: the fraction of rows embargoed after each test block.") var embargo = 0.0
  @Option(
    help:
      "Run this many trials at once, each with its folds in sequence (default: one trial at a time, folds in parallel)."
  )
  var parallelTrials: Int?
  @Option(
    help:
      "Stop each fold's fit after N rounds without improvement on the fold's test rows, and refit --out with the best trial's mean kept rounds (gbdt rounds, mlp epochs; default: off)."
  )
  var earlyStopping: Int?
  @Option(
    name: .customLong("enqueue"),
    help:
      "A configuration to try before sampling, as space-separated name=value pairs of the searched parameters (repeatable; skipped when the study already has it)."
  )
  var enqueued: [String] = []
  @Option(help: "Refit the best configuration on every row and save it here as a model file.") var out: String?
  @OptionGroup var csv: CSVOptions
  @Flag(help: "Print the summary as JSON.") var json = false

  /// The final summary, also the `--json` output.
  struct Summary: Codable {
    struct Best: Codable {
      var number: Int
      var value: Double
      var standardDeviation: Double?
      var foldScores: [Double]
      var parameters: [String: ExactJSON]
    }
    var study: String
    var model: String
    var task: String
    var metric: String
    var direction: String
    var trials: Int
    var complete: Int
    var pruned: Int
    var failed: Int
    /// Trials still running: another process's, or one whose process died and whose
    /// heartbeat has not yet gone stale (it is failed and retried once it has).
    var running: Int
    var newTrials: [Int]
    var best: Best?
    var hyperparameters: [String: ExactJSON]?
    var output: String?
  }

  func validate() throws {
    guard trials >= 0 else { throw ValidationError("--trials must be ≥ 0, got \(trials)") }
    if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be positive seconds, got \(timeout)") }
    guard embargo >= 0 && embargo < 1 else { throw ValidationError("--embargo must be in [0, 1), got \(embargo)") }
    if let parallelTrials, parallelTrials < 1 {
      throw ValidationError("--parallel-trials must be at least 1, got \(parallelTrials)")
    }
    if let earlyStopping, earlyStopping < 1 {
      throw ValidationError(
        "--early-stopping must be at least 1 round, got \(earlyStopping); leave it out to turn it off")
    }
    // Names and syntax are checked before the data is read and hashed: a typo should not
    // wait for a large file.
    guard ModelKind(rawValue: model.lowercased()) != nil else {
      throw ValidationError(
        "unknown model `\(model)`; choose one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard Self.samplers.contains(sampler.lowercased()) else {
      throw unknownSampler
    }
    guard Self.pruners.contains(pruner.lowercased()) else { throw unknownPruner }
    if let metric { _ = try Metric(parsing: metric) }
    if let cv { _ = try Self.foldScheme(cv) }
    var named: Set<String> = []
    for name in try parameters.map({ try HyperparameterOverrides.parse([$0]).keys.first ?? "" }) {
      guard named.insert(name).inserted else {
        throw ValidationError("--param \(name) is given twice; give each fixed hyperparameter once")
      }
    }
  }

  private var unknownSampler: ValidationError {
    ValidationError("--sampler must be tpe, random, sobol or cmaes, got `\(sampler)`")
  }
  private var unknownPruner: ValidationError {
    ValidationError("--pruner must be median, none, sha, hyperband or wilcoxon, got `\(pruner)`")
  }

  private static let samplers: Set = ["tpe", "random", "sobol", "cmaes", "cma-es"]
  private static let pruners: Set = [
    "median", "none", "sha", "successive-halving", "successivehalving", "hyperband", "wilcoxon",
  ]

  /// The splitter's name and fold count of a `--cv` text.
  private static func foldScheme(_ cv: String) throws -> (kind: String, folds: Int) {
    let parts = cv.lowercased().split(separator: ":").map(String.init)
    guard parts.count == 2, let k = Int(parts[1]), k >= 2 else {
      throw ValidationError(
        "--cv must be kfold:K, stratified:K, purged:K or timeseries:K with K ≥ 2, got `\(cv)`")
    }
    guard ["kfold", "stratified", "purged", "timeseries"].contains(parts[0]) else {
      throw ValidationError("--cv `\(parts[0])` is not a splitter; choose kfold, stratified, purged or timeseries")
    }
    return (parts[0], k)
  }

  func run() throws {
    guard let kind = ModelKind(rawValue: model.lowercased()) else {
      throw ValidationError(
        "unknown model `\(model)`; choose one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let table = try loadTable(data, csv: csv)
    let targetColumn = try table.column(named: target)
    let task = try resolveTask(targetColumn)
    let metric = try resolveMetric(task: task, target: targetColumn)
    // Stratified by default for classification, so no fold of a rare class's data lacks it.
    let folding = cv?.lowercased() ?? (task == .classification ? "stratified:5" : "kfold:5")
    let (splitter, splitData) = try folds(folding, table: table, target: targetColumn)
    let ignored = ignore.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
    for name in ignored where table[name] == nil {
      throw ValidationError("--ignore names `\(name)`, which \(data) does not have")
    }
    let excluded = ignored + [labelEnd, time].compactMap { $0 }
    var tuner = try ModelTuner(
      table: table, target: target, weights: weights, task: task, kind: kind,
      fixed: try HyperparameterOverrides.parse(parameters), excluding: excluded, splitter: splitter,
      splitData: splitData, metric: metric, parallelism: parallelTrials.map { .trials($0) } ?? .folds,
      earlyStoppingRounds: earlyStopping)
    let studyName = study ?? kind.rawValue
    // What makes trials comparable: a study resumed with other data or settings would mix
    // scores of different problems, and refit its best trial with other fixed values.
    let settings = try self.settings(kind: kind, task: task, metric: metric, folding: folding)
    if let storage, FileManager.default.fileExists(atPath: storage) {
      try Self.checkSettings(settings, study: studyName, storage: storage)
    }
    tuner.trialAttributes = [Self.settingsAttribute: try Self.encode(settings)]
    let space = Dictionary(tuner.space.dimensions.map { ($0.name, $0.distribution) }, uniquingKeysWith: { a, _ in a })
    // Every --enqueue is read before the study is opened, so a bad one neither queues
    // anything nor leaves an empty study in the journal.
    let configurations = try enqueued.map { ($0, try Self.configuration($0, space: space)) }
    let studyObject = try makeStudy(name: studyName, direction: tuner.direction, space: space)
    // What the study is, for `hone studies show`: written (in one event) while the study
    // has no trial, so a run that queued or failed before any trial does not label it.
    if storage != nil, studyObject.trials.isEmpty {
      try studyObject.setUserAttributes([
        "data": data, "target": target, "model": kind.rawValue, "metric": metric.name, "cv": folding,
        "rows": String(table.rowCount),
      ])
    }
    for (text, configuration) in configurations {
      let queued = try studyObject.enqueue(configuration, skipIfExists: true)
      printError(queued ? "queued \(text)" : "not queued, the study already has it: \(text)")
    }
    let previous = studyObject.trials.count
    if previous > 0 {
      let running = studyObject.trials.filter { $0.state == .running }.count
      printError(
        "resuming study `\(studyName)` with \(previous) trial(s)"
          + (running == 0 ? "" : "; \(running) running elsewhere — " + Self.runningNote(studyObject)))
    }
    printError(
      "tuning \(kind.rawValue) (\(tuner.entry.estimatorName)) on \(table.rowCount) rows: \(tuner.space.parameterNames.joined(separator: ", ")); \(metric.name), \(tuner.direction.rawValue)"
    )
    let result = try tuner.run(studyObject, trials: trials, timeout: timeout) { report in
      printError(leaderboardLine(report, metric: metric.name))
    }
    let left = try studyObject.storage.queued(inStudy: studyName).count
    if left > 0 {
      printError(
        "\(left) queued configuration(s) left for the next run"
          + (storage == nil ? " — none is kept without --storage" : " of study `\(studyName)`"))
    }

    var summary = Summary(
      study: studyName, model: kind.rawValue, task: task.rawValue, metric: metric.name,
      direction: tuner.direction.rawValue, trials: result.trials.count,
      complete: result.trials.filter { $0.state == .complete }.count,
      pruned: result.trials.filter { $0.state == .pruned }.count,
      failed: result.trials.filter { $0.state == .failed }.count,
      running: result.trials.filter { $0.state == .running }.count, newTrials: result.newTrials)
    if let best = result.bestTrial, let value = best.value {
      let scores = result.foldScores[best.number] ?? []
      summary.best = .init(
        number: best.number, value: value,
        standardDeviation: best.userAttributes[ModelTuner.foldStandardDeviationAttribute].flatMap(Double.init),
        foldScores: scores, parameters: best.parameters.mapValues(Self.json))
      let rounds = earlyStopping == nil ? nil : ModelTuner.refitRounds(of: best)
      summary.hyperparameters = try tuner.entry.hyperparameters(
        tuned: best.parameters, fixed: try tuner.refitFixed(rounds: rounds), preprocessing: tuner.preprocessing)
      if let out {
        let fitted = try tuner.refit(best.parameters, rounds: rounds)
        try fitted.save(
          to: out,
          metadata: [
            "target": target, "trainingFile": data, "trainingRows": String(table.rowCount), "study": studyName,
            "trial": String(best.number), "metric": metric.name, "cvScore": value.description,
          ])
        summary.output = out
      }
    } else if out != nil {
      printError("no trial completed, so there is nothing to save to \(out ?? "")")
    }
    if json {
      try printJSON(summary)
      if summary.best == nil { throw ExitCode.failure }
      return
    }
    print(
      "study \(studyName): \(summary.trials) trial(s), \(summary.complete) complete, \(summary.pruned) pruned, \(summary.failed) failed"
        + (summary.running == 0 ? "" : ", \(summary.running) running elsewhere (" + Self.runningNote(studyObject) + ")")
    )
    guard let best = summary.best else {
      print("no trial completed")
      throw ExitCode.failure
    }
    let spread = best.standardDeviation.map { " ± \(short($0, digits: 4))" } ?? ""
    // Each fold stopped on its own test rows: the score is a little high for the model.
    let caveat = earlyStopping == nil ? "" : " (each fold early-stopped on its test rows: leans optimistic)"
    print("best trial \(best.number): \(metric.name) = \(short(best.value))\(spread)\(caveat)")
    for name in best.parameters.keys.sorted() { print("  \(name) = \(best.parameters[name]?.text ?? "")") }
    if let output = summary.output { print("saved \(output)") }
    if let storage {
      printError("every trial and the parameters that mattered: hone studies show \(studyName) --storage \(storage)")
    }
  }

  /// An `--enqueue` text, `name=value` pairs separated by spaces, as values of `space`.
  static func configuration(_ text: String, space: [String: Distribution]) throws -> [String: ParameterValue] {
    var values: [String: ParameterValue] = [:]
    let known = space.keys.sorted().joined(separator: ", ")
    for pair in text.split(whereSeparator: \.isWhitespace) {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let distribution = space[parts[0]] else {
        throw ValidationError(
          "--enqueue: `\(pair)` is not name=value for a searched parameter (\(known)); fixed ones go in --param")
      }
      let (name, raw) = (parts[0], parts[1])
      guard values[name] == nil else { throw ValidationError("--enqueue: \(name) is given twice in `\(text)`") }
      // Numbers as typed; `accepting` takes 31.0 for an integer and 3 for a real.
      let typed: ParameterValue? =
        if case .categorical = distribution { .string(raw) } else {
          Int(raw).map { .int($0) } ?? Double(raw).map { .double($0) }
        }
      guard let value = typed.flatMap(distribution.accepting) else {
        throw ValidationError("--enqueue: \(name)=\(raw) is not a value of \(name)'s range \(distribution)")
      }
      values[name] = value
    }
    guard !values.isEmpty else { throw ValidationError("--enqueue needs at least one name=value pair") }
    return values
  }

  /// The user attribute holding the settings a trial was run with.
  static let settingsAttribute = "hone.tune.settings"

  /// The settings that make one trial's score comparable with another's.
  private func settings(kind: ModelKind, task: PredictionTask, metric: Metric, folding: String) throws -> [String:
    String]
  {
    return [
      "data": try SHA256.hexDigest(ofFileAt: data), "target": target, "task": task.rawValue, "model": kind.rawValue,
      "metric": metric.name, "cv": folding, "seed": String(seed), "param": parameters.sorted().joined(separator: " "),
      "early-stopping": earlyStopping.map(String.init) ?? "off", "pruner": pruner, "weights": weights ?? "",
      "ignore": ignore ?? "", "label-end": labelEnd ?? "", "time": time ?? "", "embargo": String(embargo),
      // How the file is read: the same bytes read with other types are other features.
      "delimiter": csv.delimiter, "no-header": String(csv.noHeader), "missing": csv.missing ?? "(default)",
      "types": (csv.types ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.sorted()
        .joined(separator: ","),
    ]
  }

  private static func encode(_ settings: [String: String]) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return String(decoding: try encoder.encode(settings), as: UTF8.self)
  }

  /// Refuses to resume `study` when its trials that ran — complete or pruned — were run
  /// with other settings, naming them. Failed trials do not count: a run whose every
  /// trial failed (a bad --param) must not lock the study to its settings.
  static func checkSettings(_ settings: [String: String], study: String, storage: String) throws {
    guard let trials = try? JournalStorage(path: storage, readOnly: true).trials(inStudy: study),
      let recorded = trials.lazy.filter({ $0.state == .complete || $0.state == .pruned })
        .compactMap({ $0.userAttributes[settingsAttribute] }).first,
      let old = try? JSONDecoder().decode([String: String].self, from: Data(recorded.utf8))
    else { return }
    // A setting an older study did not record (how the CSV was read) is unknown, not
    // different: only the settings both records hold are compared.
    // Fold schemes are read in any case (`PURGED:5` is `purged:5`).
    var then = old
    then["cv"] = old["cv"]?.lowercased()
    let differing = Set(then.keys).intersection(settings.keys).sorted().filter { then[$0] != settings[$0] }
    guard !differing.isEmpty else { return }
    let described = differing.map { key in
      key == "data"
        ? "the data file's contents"
        : "--\(key) (`\(then[key] ?? "")` then, `\(settings[key] ?? "")` now)"
    }
    throw TuningError(
      "study `\(study)` in \(storage) was run with other settings: \(described.joined(separator: ", ")); "
        + "its scores would not be comparable. Resume it with the same settings, or start another with --study NAME")
  }

  /// What a running trial of another process means, and when it counts as dead.
  static func runningNote(_ study: Study) -> String {
    "another process's, or one whose process died: that one is failed and retried after "
      + "\(short(study.staleAfter, digits: 3)) s without a heartbeat"
  }

  /// The task from --task, or from the target column: categorical, or integer with at
  /// most 20 distinct values, is classification.
  private func resolveTask(_ column: Column) throws -> PredictionTask {
    if let task {
      guard let parsed = PredictionTask(rawValue: task.lowercased()) else {
        throw ValidationError("--task must be regression or classification, got `\(task)`")
      }
      return parsed
    }
    switch column.values {
    case .categorical: return .classification
    case .integer(let values) where Set(values).count <= 20: return .classification
    default: return .regression
    }
  }

  private func resolveMetric(task: PredictionTask, target: Column) throws -> Metric {
    if let metric { return try Metric(parsing: metric) }
    guard task == .classification else { return .rootMeanSquaredError }
    let classes = Set(target.doubleValues.filter { !$0.isNaN })
    return classes.count <= 2 ? .rocAUC : .logLoss
  }

  /// K of `--cv kind:K`, or 5 when it is left out or does not parse (``folds(_:table:target:)``
  /// reports that).
  private var foldCount: Int {
    cv?.split(separator: ":").last.flatMap { Int($0) } ?? 5
  }

  /// The splitter and what it needs, from `--cv`.
  private func folds(_ cv: String, table: Table, target: Column) throws -> (any Splitter, SplitData) {
    let (kind, k) = try Self.foldScheme(cv)
    let n = table.rowCount
    switch kind {
    case "kfold":
      return (KFold(folds: k, shuffleSeed: seed), try SplitData(rowCount: n))
    case "stratified":
      return (StratifiedKFold(folds: k, shuffleSeed: seed), try SplitData(rowCount: n, targets: target.doubleValues))
    case "timeseries":
      return (TimeSeriesSplit(splits: k), try SplitData(rowCount: n))
    case "purged":
      return (
        PurgedKFold(folds: k, embargo: embargo), try SplitData(rowCount: n, labelIntervals: labelIntervals(table))
      )
    default:
      throw ValidationError("--cv `\(kind)` is not a splitter; choose kfold, stratified, purged or timeseries")
    }
  }

  /// Each row's label interval: its own row, or up to --label-end (a row index, or a
  /// timestamp measured against --time).
  private func labelIntervals(_ table: Table) throws -> LabelIntervals {
    guard let labelEnd else { return try LabelIntervals(endRows: Array(0..<table.rowCount)) }
    let column = try table.column(named: labelEnd)
    if case .timestamp(let ends) = column.values {
      guard let time, case .timestamp(let starts) = try table.column(named: time).values else {
        throw ValidationError(
          "--label-end `\(labelEnd)` holds timestamps; name the rows' timestamp column with --time")
      }
      return try LabelIntervals(starts: starts, ends: ends)
    }
    var ends: [Int] = []
    for (row, value) in column.doubleValues.enumerated() {
      guard value.isFinite, value.rounded() == value, let end = Int(exactly: value) else {
        throw ValidationError(
          "--label-end `\(labelEnd)` row \(row) holds \(value); give the last row index each label uses")
      }
      ends.append(end)
    }
    return try LabelIntervals(endRows: ends)
  }

  /// The study with the chosen sampler and pruner; Sobol and CMA-ES search `space` from
  /// the first trial.
  private func makeStudy(name: String, direction: Direction, space: [String: Distribution]) throws -> Study {
    let chosenSampler: any Sampler
    switch sampler.lowercased() {
    case "tpe": chosenSampler = TPESampler(seed: seed, constantLiar: (parallelTrials ?? 1) > 1)
    case "random": chosenSampler = RandomSampler(seed: seed)
    case "sobol": chosenSampler = SobolSampler(seed: seed, space: space)
    case "cmaes", "cma-es": chosenSampler = try CMAESSampler(seed: seed, space: space)
    default: throw unknownSampler
    }
    // Steps are fold indices 0 … K − 1, so the last step a trial can be judged at is K − 1.
    let lastStep = max(1, foldCount - 1)
    let chosenPruner: any Pruner
    switch pruner.lowercased() {
    case "median": chosenPruner = MedianPruner()
    case "none": chosenPruner = NoPruner()
    case "sha", "successive-halving", "successivehalving":
      chosenPruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
    case "hyperband": chosenPruner = try HyperbandPruner(minResource: 1, maxResource: lastStep, seed: seed)
    case "wilcoxon": chosenPruner = try WilcoxonPruner()
    default: throw unknownPruner
    }
    guard let storage else {
      return Study(name: name, direction: direction, sampler: chosenSampler, pruner: chosenPruner)
    }
    return try Study(
      name: name, direction: direction, sampler: chosenSampler, pruner: chosenPruner,
      storage: try JournalStorage(path: storage))
  }

  static func json(_ value: ParameterValue) -> ExactJSON {
    switch value {
    case .double(let x): .number(x)
    case .int(let x): .integer(Int64(x))
    case .string(let x): .string(x)
    }
  }
}

/// One leaderboard line: number, score ± spread, best so far, parameters, seconds, and
/// the pruned or failed mark.
func leaderboardLine(_ report: TrialReport, metric: String) -> String {
  let trial = report.trial
  var line = "trial \(String(trial.number).leftPadded(to: 4))  "
  switch trial.state {
  case .complete, .running:
    line += "\(metric) \(short(report.mean, digits: 5)) ± \(short(report.standardDeviation, digits: 3))"
    // A configuration evaluated before is recorded as a copy, not run again.
    if let original = trial.userAttributes[FrozenTrial.duplicateOfAttribute] { line += " = #\(original)" }
  case .pruned:
    line += "\(metric) \(short(report.mean, digits: 5)) PRUNED after \(report.foldScores.count) fold(s)"
  case .failed:
    line += "FAILED"
  }
  if let best = report.best, let value = best.value {
    line += "  best \(short(value, digits: 5)) (#\(best.number))"
  }
  let parameters = trial.parameters.keys.sorted().map { "\($0)=\(short(trial.parameters[$0]))" }
  line += "  " + parameters.joined(separator: " ")
  line += "  \(String(format: "%.1f", trial.seconds))s"
  if trial.state == .failed, let error = trial.error { line += "  error: \(error)" }
  return line
}

/// A parameter value for the leaderboard: numbers with 4 significant digits.
private func short(_ value: ParameterValue?) -> String {
  switch value {
  case .double(let x)?: short(x, digits: 4)
  case .int(let x)?: String(x)
  case .string(let x)?: x
  case nil: ""
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
