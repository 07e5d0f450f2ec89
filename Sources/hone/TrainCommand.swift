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
        hone train data.csv --target y --model ridge --param alpha=0.5 --output ridge.hone
      Feature columns default to every float or integer column except the target and weights.
      """)

  @Argument(help: "A .csv or .npy file.") var file: String
  @Option(help: "The target column.") var target: String
  @Option(help: "The model: \(TrainingCatalog.names.joined(separator: ", ")).") var model: String
  @Option(name: .customLong("param"), help: "A hyperparameter as name=value (repeatable).") var parameters: [String] =
    []
  @Option(help: "Comma-separated feature columns.") var features: String?
  @Option(help: "A column of sample weights.") var weights: String?
  @Option(help: "Where to save the model.") var output: String = "model.hone"
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
  }

  func run() throws {
    let table = try loadTable(file, csv: csv)
    let names = try featureNames(in: table)
    let data = try Dataset(table, target: target, features: names, weights: weights)
    let fitted = try TrainingCatalog.fit(model, data: data, parameters: parameters)
    let metadata = [
      "features": String(decoding: try JSONEncoder().encode(names), as: UTF8.self),
      "target": target,
      "trainingFile": file,
      "trainingRows": String(data.rowCount),
    ]
    try fitted.save(output, metadata)
    let report = Report(
      model: model, kind: type(of: fitted.model).kind, output: output, rows: data.rowCount, features: names,
      hyperparameters: fitted.hyperparameters, diagnostics: fitted.diagnostics,
      trainingMetrics: try trainingMetrics(fitted.model, data))
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
    print(
      report.trainingMetrics.keys.sorted().map { "\($0) = \(short(report.trainingMetrics[$0]))" }.joined(
        separator: ", "))
    print("saved \(output)")
  }

  /// The chosen feature columns, or every float/integer column but the target and weights.
  private func featureNames(in table: Table) throws -> [String] {
    if let features { return features.split(separator: ",").map(String.init) }
    let excluded = Set([target] + (weights.map { [$0] } ?? []))
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
