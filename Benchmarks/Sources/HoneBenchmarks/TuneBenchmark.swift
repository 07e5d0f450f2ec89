import ArgumentParser
import Foundation
import Hone

/// The anchors' real tuning task (`bench_hpo.py`, part `lgbm`) for Hone: `ModelTuner` on
/// the gbdt classifier with `TPESampler(seed: 0)`, the mean ROC AUC of 5-fold CV on the
/// first 80% of `higgs_like_100k` with fold = row index % 5, and LightGBM's six-parameter
/// space under Hone's names. Prints one JSON line that
/// `scripts/tuning_vs_optuna_lightgbm.sh` sets beside `peers/optuna_lightgbm_tuning.py`.
///
/// Like the peer, each fold's fit stops after `--early-stopping` rounds (20) without an
/// improvement of its test-fold AUC, within a cap of `--rounds` (300), and scores its
/// best round (``ModelTuner/earlyStoppingRounds``). `lgb.cv` stops all folds together on
/// the mean curve, Hone each fold on its own curve; `--early-stopping 0` trains every fold
/// for the full `--rounds`, as the tuner did before it could stop early.
struct TuneBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune", abstract: "Tune the GBDT by 5-fold CV on higgs_like_100k with TPE (JSON line).")

  @Option(help: "The anchors' data folder.")
  var data: String =
    (ProcessInfo.processInfo.environment["ANCHORS_DATA"] ?? NSHomeDirectory() + "/.cache/hone-anchors/data")
  @Option(help: "The data set name (<name>.f64, row-major float64, label last).") var name = "higgs_like_100k"
  @Option(help: "Trials.") var trials = 50
  @Option(help: "The most boosting rounds of every fold fit.") var rounds = 300
  @Option(help: "Stop a fold's fit after this many rounds without improvement of its AUC; 0 turns it off.")
  var earlyStopping = 20
  @Option(help: "Folds; fold k holds the rows whose index % folds == k.") var folds = 5
  @Option(help: "The TPE seed.") var seed: UInt64 = 0

  /// LightGBM's space in `bench_hpo.py`, mapped to Hone's names: learning_rate,
  /// num_leaves, min_data_in_leaf, feature_fraction, bagging_fraction, lambda_l2.
  static let space = SearchSpace([
    ("learningRate", .float(low: 0.02, high: 0.3, log: true, step: nil)),
    ("maxLeaves", .int(low: 8, high: 256, log: true, step: 1)),
    ("minDataInLeaf", .int(low: 5, high: 200, log: true, step: 1)),
    ("columnSubsample", .float(low: 0.4, high: 1, log: false, step: nil)),
    ("rowSubsample", .float(low: 0.4, high: 1, log: false, step: nil)),
    ("l2", .float(low: 1e-3, high: 10, log: true, step: nil)),
  ])

  func run() throws {
    let (train, _, _) = try loadSplit(folder: data, name: name, columns: 29)
    let table = try Self.table(train)
    // LightGBM's fixed parameters in `bench_hpo.py`: 255 bins, seed 0, bagging every
    // round; the rest (no depth limit, min_sum_hessian 1e-3, L1 0) are both defaults.
    let fixed = [
      "rounds": String(rounds), "maxBins": "255", "seed": "0", "baggingFrequency": "1",
      "minSumHessianInLeaf": "0.001", "l1": "0",
    ]
    let tuner = try ModelTuner(
      table: table, target: "label", task: .classification, kind: .gbdt, space: Self.space, fixed: fixed,
      splitter: IndexModuloSplitter(folds: folds), metric: .rocAUC, parallelism: .folds,
      earlyStoppingRounds: earlyStopping > 0 ? earlyStopping : nil)
    let study = Study(name: "higgs_like_100k", direction: tuner.direction, sampler: TPESampler(seed: seed))
    var result: TuningResult?
    let wall = try seconds { result = try tuner.run(study, trials: trials) }
    guard let result, let best = result.bestTrial, let bestValue = best.value else {
      throw ValidationError("no trial completed; the trials' errors: \(result?.trials.compactMap(\.error) ?? [])")
    }
    let values = result.trials.map { $0.value.map { "\($0)" } ?? "null" }
    let keptRounds = result.trials.map { $0.userAttributes[ModelTuner.bestRoundsAttribute] ?? "null" }
    // A fold trains its kept rounds plus the patience that confirmed them, within the cap.
    let trained = result.trials.compactMap { trial -> Double? in
      guard earlyStopping > 0 else { return Double(rounds) }
      guard let text = trial.userAttributes[ModelTuner.foldRoundsAttribute],
        let folds = try? JSONDecoder().decode([Int].self, from: Data(text.utf8)), !folds.isEmpty
      else { return nil }
      return Double(folds.map { Swift.min($0 + earlyStopping, rounds) }.reduce(0, +)) / Double(folds.count)
    }.sorted()
    let medianTrained =
      trained.isEmpty ? Double.nan : (trained[(trained.count - 1) / 2] + trained[trained.count / 2]) / 2
    let bestRounds = earlyStopping > 0 ? ModelTuner.refitRounds(of: best) ?? rounds : rounds
    let trialSeconds = result.trials.map { "\($0.seconds)" }
    let parameters = best.parameters.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.description)" }
    let fields: [(String, String)] = [
      ("library", "\"hone\""), ("version", "\"\(HoneVersion.current)\""), ("trials", "\(result.trials.count)"),
      ("rounds", "\(rounds)"), ("early_stopping", earlyStopping > 0 ? "true" : "false"),
      ("early_stopping_rounds", "\(earlyStopping)"),
      ("cores", "\(ProcessInfo.processInfo.activeProcessorCount)"),
      ("best_cv_auc", "\(bestValue)"), ("best_trial", "\(best.number)"),
      ("best_params", "{" + parameters.joined(separator: ",") + "}"), ("best_rounds", "\(bestRounds)"),
      ("wall_s", "\(wall)"), ("median_rounds_trained", "\(medianTrained)"),
      ("trial_auc", "[" + values.joined(separator: ",") + "]"),
      ("trial_s", "[" + trialSeconds.joined(separator: ",") + "]"),
      ("trial_mean_best_rounds", "[" + keptRounds.joined(separator: ",") + "]"),
    ]
    print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
  }

  /// The features as columns `f0…f27` and the label as `label`.
  static func table(_ data: Dataset) throws -> Table {
    let rows = data.features.rows
    let storage = data.features.storage
    var columns = (0..<data.features.columns).map { j in
      Column.float("f\(j)", Array(storage[(j * rows)..<((j + 1) * rows)]))
    }
    columns.append(.float("label", data.target))
    return try Table(columns)
  }
}

/// A fixed fold assignment: fold `k` tests the rows whose index is `k` modulo the fold
/// count, as the anchors' `folds = [(idx[idx % 5 != k], idx[idx % 5 == k])]`.
struct IndexModuloSplitter: Splitter {
  let folds: Int

  func splits(for data: SplitData) throws -> [Split] {
    guard folds >= 2, folds <= data.rowCount else {
      throw ValidationError("--folds must be between 2 and the row count (\(data.rowCount)), got \(folds)")
    }
    let rows = 0..<data.rowCount
    return (0..<folds).map { k in
      Split(train: rows.filter { $0 % folds != k }, test: rows.filter { $0 % folds == k })
    }
  }
}
