import Foundation
import HoneCore
import HoneLinearAlgebra
import HonePipeline
import HoneTuning
import Synchronization

/// Tunes one catalog model by cross-validation: each trial samples the search space,
/// builds the pipeline, cross-validates it and returns the mean fold score.
///
/// ```swift
/// let tuner = try ModelTuner(
///   table: table, target: "label", task: .classification, kind: .gbdt,
///   splitter: PurgedKFold(folds: 5), splitData: data, metric: .rocAUC)
/// let study = try Study(
///   name: "gbdt", direction: tuner.direction, sampler: TPESampler(seed: 0), pruner: MedianPruner(),
///   storage: JournalStorage(path: "studies.jsonl"))
/// let result = try tuner.run(study, trials: 100)
/// ```
///
/// **Folds and pruning.** After each fold the trial reports the running mean of the fold
/// scores as its intermediate value at step = fold index, and stops as soon as the
/// study's pruner says so (the trial ends ``FrozenTrial/State/pruned``); the pruner is
/// not asked after the last fold, since a finished trial costs nothing more to keep. Every trial keeps
/// its fold scores, their mean and their standard deviation in its user attributes
/// (``foldScoresAttribute``, ``foldMeanAttribute``, ``foldStandardDeviationAttribute``). A
/// configuration that fails to fit becomes a failed trial with its error; the study goes
/// on.
///
/// **Threads.** Exactly one level runs in parallel, so the cores are never
/// oversubscribed: with ``Parallelism/folds`` (the default) trials run one after another
/// and each trial's folds run in waves of one per core; with ``Parallelism/trials(_:)``
/// trials run in waves and each trial's folds run one after another. Either way BLAS runs
/// at one thread inside the parallel level (`BLASThreadPolicy`), and models with their own
/// thread count (gbdt's `threads`) are pinned to one thread unless it is fixed by the
/// caller. Folds are the default because sequential trials each see every earlier trial,
/// which is what TPE and the median pruner learn from.
///
/// **Early stopping inside folds.** With ``earlyStoppingRounds`` set, each fold's fit of a
/// model that trains in rounds (gbdt trees, mlp epochs; ``CatalogEntry/canStopEarly``)
/// watches that fold's test rows and stops after that many rounds without a strict
/// improvement, keeping its best round, which is then what the fold scores. The watched
/// score is the per-round twin of the selection metric when the model has one (gbdt: AUC,
/// RMSE, MSE, MAE; mlp: AUC, accuracy, MSE for MSE and RMSE, R²), else the objective's own
/// loss (log-loss for classifiers). Each trial keeps the rounds each fold
/// kept (``foldRoundsAttribute``) and their mean (``bestRoundsAttribute``); ``refit(_:rounds:)``
/// trains that mean, rounded, on every row (``refitRounds(of:)``), since there is no
/// held-out set left to stop on. The round cap is the model's own `rounds`.
///
/// This differs from `lgb.cv`, which trains the folds in lockstep and stops them all at
/// the argmax of the *mean* fold curve: here each fold stops on its own curve. Per-fold
/// stopping keeps folds independent, so they still run in parallel waves and the pruner
/// still sees them one by one; lockstep folds would need every fold of a trial alive at
/// once (five fits on two cores) and a barrier per round inside the booster. The two
/// agree when the folds peak together; when they do not, each fold here scores at its
/// own peak, so the mean is a little more optimistic than `lgb.cv`'s, and the refit's
/// round count is the mean of the fold peaks rather than the peak of the mean.
/// Off (`nil`, the default), trials are exactly what they were without the setting.
///
/// **Reproducibility.** With a seeded sampler the same inputs give the same trials: the
/// models are deterministic, folds report in split order whatever order they finish in,
/// and parallel trials see the history frozen per wave.
public struct ModelTuner: Sendable {
  /// Which level of the work runs in parallel.
  public enum Parallelism: Sendable, Hashable {
    /// Trials one at a time, folds in parallel waves.
    case folds
    /// Trials in parallel waves of this size, folds one at a time.
    case trials(Int)
  }

  /// The user attribute holding the fold scores, a JSON array in fold order.
  public static let foldScoresAttribute = "foldScores"
  /// User attributes every trial this tuner runs records first, before it suggests (the
  /// `hone tune` command records its settings here, to refuse resuming a study with
  /// other data or settings). Default none.
  public var trialAttributes: [String: String] = [:]
  /// Whether a trial whose configuration a complete trial already evaluated is recorded
  /// as a copy of it instead of being cross-validated again (``Trial/refuseDuplicate()``;
  /// the copy names the original in ``FrozenTrial/duplicateOfAttribute``). The tuner's
  /// trials are deterministic — seeded models, fixed folds — so a second evaluation would
  /// score the same. Default `true`.
  public var reuseDuplicates = true
  /// The user attribute holding the mean of the fold scores.
  public static let foldMeanAttribute = "foldMean"
  /// The user attribute holding the sample standard deviation of the fold scores.
  public static let foldStandardDeviationAttribute = "foldStd"
  /// The user attribute holding the rounds each fold's model kept under early stopping,
  /// a JSON array in fold order.
  public static let foldRoundsAttribute = "foldRounds"
  /// The user attribute holding the mean of ``foldRoundsAttribute``.
  public static let bestRoundsAttribute = "bestRounds"

  /// The rows.
  public let table: Table
  /// The target column.
  public let target: String
  /// An optional column of sample weights.
  public let weights: String?
  /// The catalog entry tuned.
  public let entry: CatalogEntry
  /// The space searched: the catalog's default unless given, without the fixed names.
  public let space: SearchSpace
  /// Hyperparameters fixed by the caller, as text, by name.
  public let fixed: [String: String]
  /// The preprocessing steps, built once from the table's schema.
  public let preprocessing: [TransformStep]
  /// How rows are split into folds.
  public let splitter: any Splitter
  /// What the splitter needs (targets, groups, label intervals).
  public let splitData: SplitData?
  /// The selection metric.
  public let metric: Metric
  /// Which level runs in parallel.
  public let parallelism: Parallelism
  /// The number of folds the splitter makes for these rows.
  public let foldCount: Int
  /// Rounds without improvement after which each fold's fit stops, or `nil` for fits of
  /// the full round count.
  public let earlyStoppingRounds: Int?

  /// Creates a tuner.
  ///
  /// - Parameters:
  ///   - table: The rows to cross-validate on.
  ///   - target: The target column.
  ///   - weights: An optional column of sample weights.
  ///   - task: Regression or classification.
  ///   - kind: The model family.
  ///   - space: The space to search; `nil` for the catalog's default.
  ///   - fixed: Hyperparameters fixed as text (`--param`); they are removed from the space.
  ///   - excluding: Columns that are not features besides the target and weights
  ///     (ignored columns, label ends).
  ///   - splitter: How rows are split into folds.
  ///   - splitData: What the splitter needs; `nil` gives the row count and the target.
  ///   - metric: The selection metric; its direction is the study's.
  ///   - parallelism: Which level runs in parallel.
  ///   - earlyStoppingRounds: Stop each fold's fit after this many rounds without
  ///     improvement on the fold's test rows; `nil` (the default) turns it off.
  /// - Throws: ``ModelCatalogError`` for a kind that cannot learn the task, a table
  ///   without features, or early stopping for a kind that does not train in rounds or
  ///   with fewer than 1 round; ``HyperparameterError`` for an unknown fixed name, or one
  ///   early stopping sets itself (``earlyStoppingRounds`` on),
  ///   ``TuningError`` for an invalid space, a trial wave below 1 or a metric the task's
  ///   predictions cannot be scored by (a classification metric on a regression, AUC on
  ///   more than two classes), `TableError` for a
  ///   missing target column, `SplitterError` when the splitter cannot split the rows.
  public init(
    table: Table, target: String, weights: String? = nil, task: PredictionTask, kind: ModelKind,
    space: SearchSpace? = nil, fixed: [String: String] = [:], excluding: [String] = [], splitter: any Splitter,
    splitData: SplitData? = nil, metric: Metric, parallelism: Parallelism = .folds, earlyStoppingRounds: Int? = nil
  ) throws {
    let entry = try ModelCatalog.entry(kind, task: task)
    if let earlyStoppingRounds {
      // Builds one stopping estimator to report a kind without rounds or a bad patience now.
      _ = try entry.estimator(preprocessing: [], stoppingEarlyAfter: earlyStoppingRounds, watching: metric)
      // Early stopping sets these itself; a fixed value would be silently replaced.
      if let name = (Self.setByEarlyStopping[kind] ?? []).first(where: { fixed[$0] != nil }) {
        throw HyperparameterError(
          "`\(name)` is set by early stopping inside the folds (it watches \(metric.name)), so a fixed value "
            + "would be replaced; leave `\(name)` out, or turn early stopping off")
      }
    }
    let space = (space ?? entry.searchSpace).removing(fixed.keys)
    try space.validate()
    for name in space.parameterNames where !entry.hyperparameterNames.contains(name) {
      throw HyperparameterError(
        "the search space names `\(name)`, which \(entry.estimatorName) does not have; it has \(entry.hyperparameterNames.joined(separator: ", "))"
      )
    }
    _ = try entry.hyperparameters(fixed: fixed)
    if case .trials(let wave) = parallelism, wave < 1 {
      throw TuningError("parallel trials must be at least 1, got \(wave)")
    }
    // Checked once here, naming file rows, rather than failing every trial on a fold's
    // row numbering.
    let targetValues = try table.column(named: target).doubleValues
    if let row = targetValues.firstIndex(where: { !$0.isFinite }) {
      throw TuningError(
        "the target `\(target)` is \(targetValues[row]) at data row \(row + 1); drop or fill the rows without a target")
    }
    try Self.checkMetric(metric, task: task, target: target, values: targetValues)
    if let weights {
      guard table[weights] != nil else {
        throw TuningError("the weights column `\(weights)` is not in the data; the columns are \(table.schema.names)")
      }
      let values = try table.column(named: weights).doubleValues
      if let row = values.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
        throw TuningError(
          "the weight in `\(weights)` is \(values[row]) at data row \(row + 1); weights must be finite and ≥ 0")
      }
    }
    self.table = table
    self.target = target
    self.weights = weights
    self.entry = entry
    self.space = space
    self.fixed = fixed
    preprocessing = try entry.preprocessing(
      for: table, excluding: [target] + (weights.map { [$0] } ?? []) + excluding)
    // Splitting once up front reports a splitter that cannot split these rows (too few
    // rows, missing label intervals) before any trial runs, instead of failing them all.
    let data =
      try splitData ?? SplitData(rowCount: table.rowCount, targets: try table.column(named: target).doubleValues)
    foldCount = try splitter.splits(for: data).count
    self.splitter = splitter
    self.splitData = splitData
    self.metric = metric
    self.parallelism = parallelism
    self.earlyStoppingRounds = earlyStoppingRounds
  }

  /// The hyperparameters early stopping inside the folds sets, by kind: a fixed value of
  /// one is refused rather than silently replaced.
  static let setByEarlyStopping: [ModelKind: [String]] = [
    .gbdt: ["earlyStoppingRounds", "earlyStoppingCriterion", "metrics"],
    .mlp: ["earlyStoppingPatience", "earlyStoppingTolerance", "restoreBestWeights", "validationMetric"],
  ]

  /// Refuses a metric that cannot score the task's predictions, once, rather than
  /// failing every trial (or, for accuracy on a regression, completing every trial with
  /// a meaningless score).
  static func checkMetric(_ metric: Metric, task: PredictionTask, target: String, values: [Double]) throws {
    switch metric {
    case .accuracy, .balancedAccuracy, .precision, .recall, .f1, .rocAUC, .averagePrecision, .logLoss, .brierScore:
      guard task == .classification else {
        throw TuningError(
          "\(metric.name) scores class predictions, but the task is regression (the target `\(target)` is read as "
            + "numbers); tune a classifier — --task classification, or `task: classification` in a config — or "
            + "choose a regression metric: rmse, mae, mse, r2, mape, pinball, ic or rank_ic")
      }
      if metric == .rocAUC || metric == .averagePrecision {
        let classes = Set(values).count
        guard classes <= 2 else {
          throw TuningError(
            "\(metric.name) ranks two classes, but the target `\(target)` has \(classes); "
              + "choose logloss, accuracy, balanced_accuracy or a macro-averaged f1")
        }
      }
    default: return
    }
  }

  /// The study direction the metric needs.
  public var direction: Direction { metric.greaterIsBetter ? .maximize : .minimize }

  /// The estimator for one configuration, as trials fit it (gbdt pinned to one thread
  /// unless `threads` is fixed).
  ///
  /// - Parameter parameters: Tuned values by name.
  /// - Returns: The pipeline; with ``earlyStoppingRounds``, one that stops early on the
  ///   validation rows it is given.
  /// - Throws: ``HyperparameterError`` for a value the model does not accept.
  public func estimator(for parameters: [String: ParameterValue]) throws -> AnyTableEstimator {
    var fixedForTrials = fixed
    if let threads = entry.threadsParameter, fixedForTrials[threads] == nil { fixedForTrials[threads] = "1" }
    guard let earlyStoppingRounds else {
      return try entry.estimator(tuned: parameters, fixed: fixedForTrials, preprocessing: preprocessing)
    }
    return try entry.estimator(
      tuned: parameters, fixed: fixedForTrials, preprocessing: preprocessing, stoppingEarlyAfter: earlyStoppingRounds,
      watching: metric)
  }

  /// Fits one configuration on every row, with the model's own threads unpinned.
  ///
  /// - Parameters:
  ///   - parameters: Tuned values by name, usually the best trial's.
  ///   - rounds: The round count to train, overriding the model's `rounds` — under early
  ///     stopping, ``refitRounds(of:)`` of the trial; `nil` keeps the configured count.
  /// - Returns: The fitted pipeline, ready to save.
  /// - Throws: ``HyperparameterError`` or the estimator's error; ``ModelCatalogError``
  ///   for `rounds` on a model that does not train in rounds.
  public func refit(_ parameters: [String: ParameterValue], rounds: Int? = nil) throws -> AnyTableModel {
    try entry.estimator(tuned: parameters, fixed: try refitFixed(rounds: rounds), preprocessing: preprocessing)
      .fit(table, target: target, weights: weights)
  }

  /// The fixed hyperparameters of a refit: ``fixed``, with the round count when given.
  ///
  /// - Parameter rounds: The round count, or `nil` to leave the configured one.
  /// - Returns: The fixed values as text, by name.
  /// - Throws: ``ModelCatalogError`` for `rounds` on a model that does not train in rounds.
  public func refitFixed(rounds: Int?) throws -> [String: String] {
    guard let rounds else { return fixed }
    guard let name = entry.roundsParameter else {
      throw ModelCatalogError("\(entry.estimatorName) does not train in rounds; refit it without a round count")
    }
    var values = fixed
    values[name] = String(rounds)
    return values
  }

  /// The round count a refit on every row should train after tuning with early stopping:
  /// the trial's mean kept rounds (``bestRoundsAttribute``), rounded to the nearest
  /// integer (halves away from zero) and at least 1.
  ///
  /// - Parameter trial: A trial of a study run with ``earlyStoppingRounds``.
  /// - Returns: The rounds, or `nil` when the trial has no recorded rounds or a count no
  ///   booster could train (not finite, or past 2^53 — an edited or added record).
  public static func refitRounds(of trial: FrozenTrial) -> Int? {
    guard let text = trial.userAttributes[bestRoundsAttribute], let mean = Double(text), mean.isFinite,
      mean < 9_007_199_254_740_992
    else {
      return nil
    }
    return Swift.max(1, Int(mean.rounded()))
  }

  /// Runs up to `trials` more trials of `study`.
  ///
  /// With an empty space every trial would fit the same model, so at most one trial runs,
  /// and none when the study already has a complete one.
  ///
  /// - Parameters:
  ///   - study: The study; its direction must be ``direction``. A study resumed from
  ///     storage keeps its trials, and new trials continue its numbering.
  ///   - trials: How many trials to add.
  ///   - timeout: Seconds after which no new trial (or wave of trials) starts.
  ///   - progress: Called on the calling thread for each finished trial, in trial order:
  ///     after each trial, or after each wave with ``Parallelism/trials(_:)``; call
  ///     `study.stop()` in it to end the tuning after the wave in progress.
  /// - Returns: The best trial, every trial of the study and their fold scores.
  /// - Throws: ``TuningError`` for a direction mismatch, a negative trial count, or a study
  ///   already optimizing (one `run` per study object at a time); the storage's errors.
  ///   Trial errors do not throw: they fail the trial.
  public func run(
    _ study: Study, trials: Int, timeout: Double? = nil, progress: ((TrialReport) -> Void)? = nil
  ) throws -> TuningResult {
    guard study.direction == direction else {
      throw TuningError(
        "the study `\(study.name)` \(study.direction.rawValue)s, but \(metric.name) is \(metric.greaterIsBetter ? "maximised" : "minimised"); create the study with direction \(direction.rawValue)"
      )
    }
    guard trials >= 0 else { throw TuningError("trials must be ≥ 0, got \(trials)") }
    var remaining = trials
    if space.dimensions.isEmpty {
      remaining = study.trials.contains { $0.state == .complete } ? 0 : Swift.min(remaining, 1)
    }
    let wave: Int
    switch parallelism {
    case .folds: wave = 1
    case .trials(let size): wave = size
    }
    let ran = RanTrials()
    let stepValues = study.pruner.comparesStepValues
    // The study's own driver runs the waves, so `study.stop()` (from `progress`, say)
    // ends the tuning after the wave in progress.
    let onTrial = progress.map { progress in
      { (record: FrozenTrial) in progress(report(record, among: study.trials)) }
    }
    try study.optimize(trials: remaining, parallelism: wave, timeout: timeout, onTrial: onTrial) { trial in
      ran.append(trial.number)
      return try evaluate(trial, reportingFoldScores: stepValues)
    }
    let all = study.trials
    var scores: [Int: [Double]] = [:]
    for trial in all { scores[trial.number] = Self.foldScores(of: trial) }
    return TuningResult(bestTrial: study.bestTrial, trials: all, foldScores: scores, newTrials: ran.numbers.sorted())
  }

  /// Cross-validates one configuration exactly as a trial does: the same estimator
  /// (``estimator(for:)``), folds, weights and metric, and under ``earlyStoppingRounds``
  /// each fold's fit stopping on that fold's test rows. Out-of-fold predictions for a
  /// configuration that was tuned must come from here, or they describe other models.
  ///
  /// - Parameters:
  ///   - parameters: Tuned values by name.
  ///   - parallelFolds: Whether folds run in parallel waves; by default as in trials
  ///     (``Parallelism/folds``). Scores do not depend on it.
  ///   - onFold: Called after each fold in split order; return `false` to stop.
  /// - Returns: The folds' scores, predictions and models.
  /// - Throws: ``HyperparameterError`` for a value the model does not accept;
  ///   cross-validation's errors.
  public func crossValidate(
    configuration parameters: [String: ParameterValue], parallelFolds: Bool? = nil,
    onFold: ((FoldResult) -> Bool)? = nil
  ) throws -> CrossValidationResult {
    try HonePipeline.crossValidate(
      try estimator(for: parameters), table: table, target: target, weights: weights, splitter: splitter,
      splitData: splitData, scoring: [metric.scoring], parallel: parallelFolds ?? (parallelism == .folds),
      validatingOnTestRows: earlyStoppingRounds != nil, onFold: onFold)
  }

  /// One trial: sample, build, cross-validate with pruning after each fold. Each fold
  /// reports the mean score so far, or the fold's own score for a pruner that pairs
  /// folds (``WilcoxonPruner``).
  private func evaluate(_ trial: Trial, reportingFoldScores: Bool) throws -> Double {
    for (key, value) in trialAttributes.sorted(by: { $0.key < $1.key }) { trial.setUserAttribute(key, value) }
    // Means over the folds so far are not a learning curve: the pruner judges the latest.
    if !reportingFoldScores { trial.setUserAttribute(FrozenTrial.runningSummaryAttribute, "true") }
    let parameters = try space.suggest(on: trial)
    if reuseDuplicates { try trial.refuseDuplicate() }
    var scores: [Double] = []
    var rounds: [Int] = []
    var pruned = false
    let name = metric.name
    let result = try crossValidate(configuration: parameters) { fold in
      let score = fold.scores[name] ?? .nan
      scores.append(score)
      if let kept = (fold.model as? AnyTableModel)?.keptRounds { rounds.append(kept) }
      trial.report(reportingFoldScores ? score : scores.reduce(0, +) / Double(scores.count), step: fold.index)
      // After the last fold there is nothing left to save: the trial completes.
      if fold.index < foldCount - 1 && trial.shouldPrune() {
        pruned = true
        return false
      }
      return true
    }
    let (mean, deviation) = Self.summary(scores)
    trial.setUserAttribute(Self.foldScoresAttribute, Self.encodeScores(scores))
    trial.setUserAttribute(Self.foldMeanAttribute, mean.description)
    trial.setUserAttribute(Self.foldStandardDeviationAttribute, deviation.description)
    if earlyStoppingRounds != nil {
      trial.setUserAttribute(Self.foldRoundsAttribute, "[" + rounds.map(String.init).joined(separator: ",") + "]")
      let mean = Double(rounds.reduce(0, +)) / Double(Swift.max(1, rounds.count))
      trial.setUserAttribute(Self.bestRoundsAttribute, mean.description)
    }
    if pruned { throw TrialPruned() }
    return result.mean[name] ?? mean
  }

  private func report(_ trial: FrozenTrial, among all: [FrozenTrial]) -> TrialReport {
    let best = direction.best(of: all.filter { $0.number <= trial.number })
    let scores = Self.foldScores(of: trial) ?? []
    let (mean, deviation) = Self.summary(scores)
    return TrialReport(
      trial: trial, foldScores: scores, mean: scores.isEmpty ? nil : mean,
      standardDeviation: scores.isEmpty ? nil : deviation, best: best)
  }

  /// The fold scores a tuner stored on `trial`, in fold order; `nil` when it has none
  /// (a failed trial: scores are stored once cross-validation finishes or prunes).
  ///
  /// - Parameter trial: A trial of a study run by ``run(_:trials:timeout:progress:)``.
  /// - Returns: The scores, or `nil`.
  public static func foldScores(of trial: FrozenTrial) -> [Double]? {
    guard let text = trial.userAttributes[foldScoresAttribute] else { return nil }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try? decoder.decode([Double].self, from: Data(text.utf8))
  }

  /// The mean and sample standard deviation (0 for one score), summed in fold order as
  /// `crossValidate` does, so the numbers agree bit for bit.
  static func summary(_ scores: [Double]) -> (mean: Double, deviation: Double) {
    let mean = scores.reduce(0, +) / Double(Swift.max(1, scores.count))
    guard scores.count > 1 else { return (mean, 0) }
    let squares = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, (squares / Double(scores.count - 1)).squareRoot())
  }

  /// Scores as JSON; `JSONEncoder` writes the shortest text that reads back exactly.
  static func encodeScores(_ scores: [Double]) -> String {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let data = try? encoder.encode(scores) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }
}

/// The trial numbers one ``ModelTuner/run(_:trials:timeout:progress:)`` call ran, filled
/// from the trials' threads.
private final class RanTrials: Sendable {
  private let storage = Mutex<[Int]>([])

  func append(_ number: Int) { storage.withLock { $0.append(number) } }

  var numbers: [Int] { storage.withLock { $0 } }
}
