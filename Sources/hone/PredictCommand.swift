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
    let fitted = try ModelCatalog.load(model)
    let header = try ModelFile.header(at: model)
    let table = try loadTable(file, csv: csv)
    let names: [String]
    if let text = header.metadata["features"] {
      names = try JSONDecoder().decode([String].self, from: Data(text.utf8))
    } else {
      names = Array(table.columnNames.prefix(fitted.featureCount))
    }
    guard names.count == fitted.featureCount else {
      throw ValidationError("the model has \(fitted.featureCount) features but its file names \(names.count)")
    }
    let features = try table.matrix(columns: names)
    let predictions = try fitted.predict(features)
    var columns: [Column] = [.float("prediction", predictions)]
    if probabilities {
      let p: Matrix
      let classes: [Int]
      if let logistic = fitted as? LogisticModel {
        (p, classes) = (try logistic.predictProbabilities(features), logistic.classes)
      } else if let mlp = fitted as? MLPModel, mlp.task == .classification {
        (p, classes) = (try mlp.predictProbabilities(features), mlp.classes)
      } else if let trees = fitted as? GradientBoostingModel, !trees.classes.isEmpty {
        (p, classes) = (try trees.predictProbabilities(features), trees.classes)
      } else {
        throw ValidationError("--probabilities needs a classifier; \(model) holds a `\(type(of: fitted).kind)` model")
      }
      for (k, label) in classes.enumerated() {
        columns.append(.float("probability_\(label)", Array(p.column(k))))
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
}
