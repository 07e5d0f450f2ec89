import ArgumentParser
import Foundation
import Hone

/// `hone import`: bring a LightGBM or XGBoost model into a Hone model file.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Convert a LightGBM text model or an XGBoost JSON model into a Hone model file for `hone predict`.",
    discussion: """
      The format is chosen by the extension (.json: XGBoost, anything else: LightGBM's text
      format) or by --format. Feature names stored in the model become the columns
      `hone predict` reads; pass --features when the model has none.
      """)

  @Argument(help: "The LightGBM (.txt) or XGBoost (.json) model file.") var model: String
  @Option(help: "lightgbm or xgboost (default: from the extension).") var format: String?
  @Option(help: "Comma-separated feature column names, overriding the model's.") var features: String?
  @Option(help: "Where to write the Hone model file.") var output: String = "model.hone"

  func run() throws {
    let kind = format ?? (model.lowercased().hasSuffix(".json") ? "xgboost" : "lightgbm")
    let names: [String]
    let featureCount: Int
    switch kind {
    case "lightgbm":
      let imported = try LightGBMModel.load(contentsOf: model)
      names = try featureNames(imported.featureNames, count: imported.featureCount)
      featureCount = imported.featureCount
      try ModelFile.save(imported, to: output, metadata: metadata(names))
    case "xgboost":
      let imported = try XGBoostModel.load(contentsOf: model)
      names = try featureNames(imported.featureNames, count: imported.featureCount)
      featureCount = imported.featureCount
      try ModelFile.save(imported, to: output, metadata: metadata(names))
    default:
      throw ValidationError("--format must be lightgbm or xgboost, got `\(kind)`")
    }
    print("imported a \(kind) model with \(featureCount) features into \(output)")
  }

  private func featureNames(_ stored: [String], count: Int) throws -> [String] {
    if let features {
      let names = features.split(separator: ",").map(String.init)
      guard names.count == count else {
        throw ValidationError("--features names \(names.count) columns but the model has \(count) features")
      }
      return names
    }
    return stored.count == count ? stored : (0..<count).map { "f\($0)" }
  }

  private func metadata(_ names: [String]) throws -> [String: String] {
    ["features": String(decoding: try JSONEncoder().encode(names), as: UTF8.self), "importedFrom": model]
  }
}
