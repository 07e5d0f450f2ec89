import ArgumentParser
import Foundation
import Hone

/// `hone predict`: apply a saved model to a data file.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Predict with a saved model: reads the model's feature columns from a CSV or .npy file.",
    discussion: """
      Writes one prediction per row as CSV (a `prediction` column) or, with an .npy output, as a
      float64 array. Without --output the CSV goes to standard output.
      """)

  @Argument(help: "A .csv or .npy file with the model's feature columns.") var file: String
  @Option(help: "The model file written by `hone train`.") var model: String
  @Option(help: "Where to write predictions (.csv or .npy).") var output: String?
  @Flag(help: "Also write class probabilities (classifiers; CSV output), one `probability_<class>` column each.")
  var probabilities = false
  @OptionGroup var csv: CSVOptions

  func run() throws {
    let loaded = try ModelCatalog.load(from: model)
    let table = try loadTable(file, csv: csv)
    let predictions: [Double]
    let classified: (classes: [Double], probabilities: Matrix)?
    switch loaded {
    case .model(let fitted):
      let features = try featureMatrix(for: fitted, from: table)
      predictions = try fitted.predict(features)
      classified = try probabilities ? classProbabilities(of: fitted, features) : nil
    case .pipeline(let fitted):
      // A pipeline reads its own columns from the table and applies its fitted steps.
      predictions = try fitted.predict(table)
      if probabilities {
        guard let p = try fitted.predictProbabilities(table), let classes = fitted.classes else {
          throw ValidationError("--probabilities needs a classifier; \(model) holds a `\(fitted.kind)` model")
        }
        classified = (classes, p)
      } else {
        classified = nil
      }
    }
    var columns: [Column] = [.float("prediction", predictions)]
    if let classified {
      for (k, label) in classified.classes.enumerated() {
        columns.append(.float("probability_\(Self.label(label))", Array(classified.probabilities.column(k))))
      }
    }
    let result = try Table(columns)
    guard let output else { return print(try CSV.string(result), terminator: "") }
    if output.lowercased().hasSuffix(".npy") {
      if probabilities { throw ValidationError("--probabilities writes CSV; choose a .csv output") }
      try NPY.write(try NPYArray(shape: [predictions.count], values: .float64(predictions)), to: output)
    } else {
      try CSV.write(result, to: output)
    }
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
