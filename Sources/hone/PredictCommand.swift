import ArgumentParser
import Foundation
import Hone

/// `hone predict`: apply a saved model to a data file.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Predict with a saved model: reads the model's feature columns from a CSV or .npy file.",
    discussion: """
      Writes one prediction per row as CSV with a header — a `prediction` column, and for a
      binary classifier a `probability` column with the positive class's probability — or, with
      an .npy output, the predictions as a float64 array. Without --output the CSV goes to
      standard output.
      """)

  @Argument(help: "A .csv or .npy file with the model's feature columns (or give it with --data).") var file: String?
  @Option(name: .customLong("data"), help: "The data file, instead of the argument.") var dataFile: String?
  @Option(help: "The model file written by `hone train`.") var model: String
  @Option(name: [.customLong("output"), .customLong("out")], help: "Where to write predictions (.csv or .npy).")
  var output: String?
  @Flag(
    help: "Write every class's probability instead (classifiers; CSV output), one `probability_<class>` column each.")
  var probabilities = false
  @Flag(help: "Print a JSON summary on standard output (needs --output).") var json = false
  @OptionGroup var csv: CSVOptions

  struct Report: Codable {
    var model: String
    var kind: String
    var data: String
    var rows: Int
    var columns: [String]
    var output: String
    var seconds: Double
  }

  func validate() throws {
    guard (file == nil) != (dataFile == nil) else {
      throw ValidationError("give the data file once: as the argument or with --data")
    }
    if json && output == nil {
      throw ValidationError("--json prints the summary on standard output; write the predictions with --output")
    }
  }

  func run() throws {
    let start = Date()
    let file = self.file ?? dataFile ?? ""
    let loaded = try ModelCatalog.load(from: model)
    let table = try loadTable(file, csv: csv)
    let kind: String
    let predictions: [Double]
    let classified: (classes: [Double], probabilities: Matrix)?
    switch loaded {
    case .model(let fitted):
      kind = type(of: fitted).kind
      let features = try featureMatrix(for: fitted, from: table)
      predictions = try fitted.predict(features)
      let binary = (fitted as? any ProbabilisticModel)?.classes.count == 2
      classified = try probabilities || binary ? classProbabilities(of: fitted, features) : nil
    case .pipeline(let fitted):
      kind = fitted.kind
      // A pipeline reads its own columns from the table and applies its fitted steps.
      predictions = try fitted.predict(table)
      if probabilities || fitted.classes?.count == 2 {
        if let p = try fitted.predictProbabilities(table), let classes = fitted.classes {
          classified = (classes, p)
        } else if probabilities {
          throw ValidationError("--probabilities needs a classifier; \(model) holds a `\(fitted.kind)` model")
        } else {
          classified = nil
        }
      } else {
        classified = nil
      }
    }
    var columns: [Column] = [.float("prediction", predictions)]
    if let classified, probabilities {
      for (k, label) in classified.classes.enumerated() {
        columns.append(.float("probability_\(Self.label(label))", Array(classified.probabilities.column(k))))
      }
    } else if let classified, classified.classes.count == 2 {
      // A binary classifier's score is the positive (larger) class's probability.
      columns.append(.float("probability", Array(classified.probabilities.column(1))))
    }
    let result = try Table(columns)
    guard let output else { return print(try CSV.string(result), terminator: "") }
    if output.lowercased().hasSuffix(".npy") {
      if probabilities { throw ValidationError("--probabilities writes CSV; choose a .csv output") }
      try NPY.write(try NPYArray(shape: [predictions.count], values: .float64(predictions)), to: output)
    } else {
      try CSV.write(result, to: output)
    }
    let report = Report(
      model: model, kind: kind, data: file, rows: predictions.count,
      columns: output.lowercased().hasSuffix(".npy") ? ["prediction"] : result.columnNames, output: output,
      seconds: Date().timeIntervalSince(start))
    if json { return try printJSON(report) }
    printError("wrote \(predictions.count) predictions to \(output)")
  }

  /// The model's feature columns, named in the file's `features` metadata or else the
  /// table's first columns.
  private func featureMatrix(for fitted: any Model, from table: Table) throws -> Matrix {
    let header = try ModelFile.header(at: model)
    let names: [String]
    if let text = header.metadata["features"] {
      names = try JSONDecoder().decode([String].self, from: Data(text.utf8))
    } else {
      names = Array(table.columnNames.prefix(fitted.featureCount))
    }
    guard names.count == fitted.featureCount else {
      throw ValidationError("the model has \(fitted.featureCount) features but its file names \(names.count)")
    }
    var table = table
    if let text = header.metadata["categories"] {
      // Re-encode this file's categories with the codes the model was trained on.
      let lists = try JSONDecoder().decode([String: [String]].self, from: Data(text.utf8))
      let (encoded, unseen) = try table.encodingCategories(lists)
      table = encoded
      for name in unseen.keys.sorted() {
        printError(
          "note: \(unseen[name] ?? 0) row(s) of `\(name)` hold categories the model never saw; they are treated as missing"
        )
      }
    }
    return try table.matrix(columns: names)
  }

  private func classProbabilities(of fitted: any Model, _ features: Matrix) throws -> ([Double], Matrix) {
    // Every classifier is a ProbabilisticModel; a regressor has no classes.
    guard let classifier = fitted as? any ProbabilisticModel, !classifier.classes.isEmpty else {
      throw ValidationError("--probabilities needs a classifier; \(model) holds a `\(type(of: fitted).kind)` model")
    }
    return (classifier.classes.map(Double.init), try classifier.predictProbabilities(features))
  }

  /// A class label as the column suffix: integral labels without a decimal point.
  private static func label(_ value: Double) -> String {
    if value.rounded() == value, let whole = Int64(exactly: value) { return String(whole) }
    return value.description
  }
}
