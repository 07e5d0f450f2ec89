import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

/// The reference models and predictions in `Fixtures/import`, made by
/// `Fixtures/import/make_import_fixtures.py` with lightgbm 4.7.0 and xgboost 3.2.0.
enum ImportFixtures {
  struct Entry: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let library: String
    let model: String
    let data: String
    var testDescription: String { name }
  }

  struct Manifest: Decodable {
    let lightgbm: String
    let xgboost: String
    let models: [Entry]
  }

  /// Raw scores and the library's `predict` output, one row per test row.
  struct Predictions: Decodable {
    let raw: [[Double]]
    let transformed: [[Double]]
  }

  private struct SyntheticRows: Decodable {
    let features: Int
    let rows: [[Double?]]
  }

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let directory = packageRoot.appendingPathComponent("Tests/HoneTreesTests/Fixtures/import")

  static let manifest: Manifest? = {
    guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")) else { return nil }
    return try? JSONDecoder().decode(Manifest.self, from: data)
  }()

  static func entries(library: String, data: String) -> [Entry] {
    (manifest?.models ?? []).filter { $0.library == library && ($0.data == "synthetic") == (data == "synthetic") }
  }

  static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

  static func predictions(_ entry: Entry) throws -> Predictions {
    let data = try Data(contentsOf: directory.appendingPathComponent("\(entry.name).predictions.json"))
    return try JSONDecoder().decode(Predictions.self, from: data)
  }

  /// The synthetic test rows (NaN where the JSON has `null`).
  static func syntheticRows() throws -> Matrix {
    let data = try Data(contentsOf: directory.appendingPathComponent("synthetic_test.json"))
    let decoded = try JSONDecoder().decode(SyntheticRows.self, from: data)
    return try Matrix(decoded.rows.map { row in row.map { $0 ?? .nan } })
  }

  /// The shared datasets: `$HONE_DATASETS` (relative to the package root), else
  /// `../shared/datasets` beside the package.
  static let datasetsDirectory: URL? = {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    let url =
      configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
    let file = url.appendingPathComponent("lightgbm/binary_test.csv")
    return FileManager.default.fileExists(atPath: file.path) ? url : nil
  }()

  static let skipMessage: Comment = "shared datasets not found: set HONE_DATASETS or add ../shared/datasets"

  /// The features of `lightgbm/binary_test.csv` (every column but `label`).
  static func realTestFeatures() throws -> Matrix {
    let directory = try #require(datasetsDirectory)
    let table = try CSV.read(contentsOf: directory.appendingPathComponent("lightgbm/binary_test.csv").path)
    return try table.matrix(columns: table.columnNames.filter { $0 != "label" })
  }

  /// The largest `|actual − expected| / |expected|` over all entries (an exact zero
  /// expected value needs an exact zero).
  static func maxRelativeError(_ actual: Matrix, _ expected: [[Double]]) throws -> Double {
    try #require(actual.rows == expected.count)
    var worst = 0.0
    for i in 0..<actual.rows {
      try #require(expected[i].count == actual.columns)
      for c in 0..<actual.columns {
        let (a, e) = (actual[i, c], expected[i][c])
        let error = a == e ? 0 : abs(a - e) / Swift.max(abs(e), .leastNonzeroMagnitude)
        worst = Swift.max(worst, error.isNaN ? .infinity : error)
      }
    }
    return worst
  }
}
