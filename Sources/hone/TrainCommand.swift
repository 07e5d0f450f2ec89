import ArgumentParser
import Foundation
import Hone

/// `hone train`: fit a model to a data file and save it.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Fit a model to a CSV or .npy file and save it as a Hone model file.",
    discussion: """
      Hyperparameters are set by name with --param, for example:
        hone train data.csv --target y --model ridge --param alpha=0.5 \\
          --output ridge.hone
      Boosted trees (gbdt, gbdtregressor) also take LightGBM's names, score
      --valid files every round and print progress on standard error:
        hone train --data train.csv --target label --model gbdt \\
          --valid valid.csv --param num_leaves=63 \\
          --param metric=auc,binary_logloss --param early_stopping_round=50 \\
          --out model.hone
      With gbdt, objective=regression (or l1, huber, quantile, poisson)
      trains a regressor. Feature columns default to every float or integer
      column except the target, the weights and the --ignore columns.
      """)

  @Argument(help: "A .csv or .npy file (or give it with --data).") var file: String?
  @Option(name: .customLong("data"), help: "The training file, instead of the argument.") var dataFile: String?
  @Option(help: "The target column.") var target: String
  @Option(help: "The model: \(TrainingCatalog.names.joined(separator: ", ")).") var model: String
  @Option(name: .customLong("param"), help: "A hyperparameter as name=value (repeatable).") var parameters: [String] =
    []
  @Option(help: "Comma-separated feature columns.") var features: String?
  @Option(help: "Comma-separated columns to leave out of the features.") var ignore: String?
  @Option(help: "A column of sample weights.") var weights: String?
  @Option(
    name: .customLong("valid"),
    help: "A validation file with the training columns, scored every round (gbdt; repeatable; named by file name).")
  var validationFiles: [String] = []
  @Option(name: .customLong("log-every"), help: "Print a progress line every N boosting rounds; 0 for none.")
  var logEvery: Int = 10
  @Option(name: [.customLong("output"), .customLong("out")], help: "Where to save the model.") var output: String =
    "model.hone"
  @OptionGroup var csv: CSVOptions
  @Flag(help: "Print a JSON report instead of text.") var json = false

  struct Report: Codable {
    var model: String
    var kind: String
    var output: String
    var rows: Int
    var features: [String]
    var hyperparameters: String
    var diagnostics: FitDiagnostics?
    var trainingMetrics: [String: Double]
    /// Boosting rounds run (boosted trees).
    var rounds: Int?
    /// The round early stopping kept, from 1.
    var bestIteration: Int?
    /// Each set's metrics at the kept round, by set name then metric name (boosted trees).
    var metrics: [String: [String: Double]]?
    var seconds: Double
  }

  func validate() throws {
    guard (file == nil) != (dataFile == nil) else {
      throw ValidationError("give the training file once: as the argument or with --data")
    }
    guard logEvery >= 0 else { throw ValidationError("--log-every is \(logEvery); use 0 or a positive count") }
  }

  func run() throws {
    let start = Date()
    let path = file ?? dataFile ?? ""
    let table = try loadTable(path, csv: csv)
    let names = try featureNames(in: table)
    let data = try Dataset(table, target: target, features: names, weights: weights)
    // Categorical features are trained on this file's codes; the model file records the
    // category lists so validation and scoring files are encoded the same way.
    // A text target's classes are coded in order of first appearance: the same goes for it.
    let categories = table.categoryLists.filter { names.contains($0.key) }
    let validation = try validationSets(
      features: names, categories: table.categoryLists.filter { names.contains($0.key) || $0.key == target })
    let logging = logEvery > 0 && model.hasPrefix("gbdt")
    let fitted = try TrainingCatalog.fit(
      model, data: data, parameters: parameters, validation: validation, logging: logging ? logEvery : nil
    ) { round in
      if logging && round.iteration % logEvery == 0 { printError(Self.progress(round)) }
      return .proceed
    }
    var metadata = [
      "features": String(decoding: try JSONEncoder().encode(names), as: UTF8.self),
      "target": target,
      "trainingFile": path,
      "trainingRows": String(data.rowCount),
    ]
    if !categories.isEmpty {
      let encoder = JSONEncoder()
      encoder.outputFormatting = .sortedKeys
      metadata["categories"] = String(decoding: try encoder.encode(categories), as: UTF8.self)
    }
    try fitted.save(output, metadata)
    var report = Report(
      model: model, kind: type(of: fitted.model).kind, output: output, rows: data.rowCount, features: names,
      hyperparameters: fitted.hyperparameters, diagnostics: fitted.diagnostics,
      trainingMetrics: try trainingMetrics(fitted.model, data), seconds: 0)
    if let trees = fitted.model as? GradientBoostingModel {
      report.rounds = trees.history.count
      report.bestIteration = trees.bestIteration
      let kept = trees.bestIteration.map { trees.history[$0 - 1] } ?? trees.history.last
      var metrics: [String: [String: Double]] = [:]
      for entry in kept?.evaluations ?? [] { metrics[entry.set, default: [:]][entry.metric] = entry.value }
      report.metrics = metrics
    }
    report.seconds = Date().timeIntervalSince(start)
    if json { return try printJSON(report) }
    print("Trained \(model) on \(report.rows) rows x \(names.count) features (\(fitted.hyperparameters))")
    if let d = report.diagnostics {
      var line = "solver \(d.solver), \(d.iterations) iteration(s), \(d.converged ? "converged" : "NOT converged")"
      if let rank = d.rank { line += ", rank \(rank)" }
      if let gap = d.dualityGap { line += ", duality gap \(short(gap))" }
      if let gradient = d.gradientNorm { line += ", gradient norm \(short(gradient))" }
      print(line)
      for warning in d.warnings { printError("warning: \(warning)") }
    }
    for set in (report.metrics ?? [:]).keys.sorted() {
      let values = report.metrics?[set] ?? [:]
      print("\(set): " + values.keys.sorted().map { "\($0) = \(short(values[$0]))" }.joined(separator: ", "))
    }
    print(
      report.trainingMetrics.keys.sorted().map { "\($0) = \(short(report.trainingMetrics[$0]))" }.joined(
        separator: ", "))
    print("saved \(output) in \(String(format: "%.2f", report.seconds)) s")
  }

  /// One progress line: the round, each set's metrics, the seconds since the fit began.
  static func progress(_ round: BoostingRound) -> String {
    var sets: [(name: String, values: [String])] = []
    for entry in round.evaluations {
      let text = "\(entry.metric) \(short(entry.value))"
      if sets.last?.name == entry.set {
        sets[sets.count - 1].values.append(text)
      } else {
        sets.append((entry.set, [text]))
      }
    }
    let metrics = sets.map { "\($0.name): \($0.values.joined(separator: " "))" }
    return (["[\(round.iteration)]"] + metrics + [String(format: "%.2fs", round.elapsedSeconds)]).joined(
      separator: "  ")
  }

  /// The `--valid` files as named validation sets with the training columns, each named by
  /// its file name without the extension.
  private func validationSets(features names: [String], categories: [String: [String]]) throws -> [ValidationSet] {
    var sets: [ValidationSet] = []
    for path in validationFiles {
      let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
      if sets.contains(where: { $0.name == name }) {
        throw ValidationError("two --valid files are named `\(name)`; give each validation file its own name")
      }
      let (table, unseen) = try loadTable(path, csv: csv).encodingCategories(categories)
      for column in unseen.keys.sorted() {
        printError(
          "note: \(unseen[column] ?? 0) row(s) of `\(column)` in \(path) hold categories the training file lacks; they are treated as missing"
        )
      }
      do {
        sets.append(ValidationSet(name, try Dataset(table, target: target, features: names, weights: weights)))
      } catch {
        throw ValidationError("validation file \(path): \(error)")
      }
    }
    return sets
  }

  /// The chosen feature columns, or every float/integer column but the target and weights.
  private func featureNames(in table: Table) throws -> [String] {
    let ignored = ignore.map { $0.split(separator: ",").map(String.init) } ?? []
    for name in ignored where !table.columnNames.contains(name) {
      throw ValidationError(
        "--ignore names `\(name)`, which is not a column; the columns are \(table.columnNames.joined(separator: ", "))")
    }
    if let features { return features.split(separator: ",").map(String.init).filter { !ignored.contains($0) } }
    let excluded = Set([target] + (weights.map { [$0] } ?? []) + ignored)
    let names = table.columns.filter { !excluded.contains($0.name) && ($0.type == .float || $0.type == .integer) }
      .map(\.name)
    let skipped = table.columns.filter { !excluded.contains($0.name) && !($0.type == .float || $0.type == .integer) }
    if !skipped.isEmpty {
      printError(
        "note: skipping non-numeric columns \(skipped.map { "`\($0.name)` (\($0.type))" }.joined(separator: ", ")); name features with --features"
      )
    }
    guard !names.isEmpty else { throw ValidationError("no numeric feature columns; name them with --features") }
    return names
  }

  /// Metrics on the training rows: accuracy and log-loss for classifiers, R² and RMSE
  /// for regressors.
  private func trainingMetrics(_ model: any Model, _ data: Dataset) throws -> [String: Double] {
    let y = data.target
    let classifier: (classes: [Int], probabilities: Matrix, labels: [Double])?
    if let logistic = model as? LogisticModel {
      classifier = (
        logistic.classes, try logistic.predictProbabilities(data.features), try logistic.predict(data.features)
      )
    } else if let mlp = model as? MLPModel, mlp.task == .classification {
      classifier = (mlp.classes, try mlp.predictProbabilities(data.features), try mlp.predict(data.features))
    } else if let trees = model as? GradientBoostingModel, !trees.classes.isEmpty {
      classifier = (trees.classes, try trees.predictProbabilities(data.features), try trees.predict(data.features))
    } else {
      classifier = nil
    }
    if let classifier {
      let (probabilities, labels) = (classifier.probabilities, classifier.labels)
      let accuracy = Double(zip(labels, y).filter { $0 == $1 }.count) / Double(y.count)
      var logLoss = 0.0
      for (i, label) in y.enumerated() {
        guard let k = classifier.classes.firstIndex(of: Int(label)) else { continue }
        logLoss -= log(max(probabilities[i, k], 1e-300))
      }
      return ["accuracy": accuracy, "logLoss": logLoss / Double(y.count)]
    }
    let predictions = try model.predict(data.features)
    let mean = y.reduce(0, +) / Double(y.count)
    let residual = zip(y, predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return ["r2": total > 0 ? 1 - residual / total : .nan, "rmse": (residual / Double(y.count)).squareRoot()]
  }
}

/// Prints a line on standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
