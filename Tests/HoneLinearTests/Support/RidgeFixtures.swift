import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// The scikit-learn references written by `Fixtures/make_ridge_fixtures.py`.
struct RidgeFixtures: Decodable, Sendable {
  /// A data set: synthetic ones carry their values; real ones name a CSV in the shared
  /// datasets folder, which the tests read in place.
  struct DataSource: Decodable, Sendable {
    let csv: String?
    let target: String?
    let features: [String]?
    let x: [[Double]]?
    let y: [Double]?
    let weights: [Double]
  }

  struct OLSCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let dataset: String
    let weighted: Bool
    let fitIntercept: Bool
    let rcond: Double
    let coef: [Double]
    let intercept: Double
    let rank: Int
    let objective: Double
    var testDescription: String { name }
  }

  struct RidgeCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let dataset: String
    let weighted: Bool
    let fitIntercept: Bool
    let standardize: Bool
    let solver: String
    let alpha: Double
    let coef: [Double]
    let intercept: Double
    let objective: Double
    var testDescription: String { name }
  }

  struct RidgeCVCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let dataset: String
    let weighted: Bool
    let fitIntercept: Bool
    let standardize: Bool
    let alphas: [Double]
    let alpha: Double
    let coef: [Double]
    let intercept: Double
    let mse: [Double]
    let objective: Double
    var testDescription: String { name }
  }

  let versions: [String: String]
  let datasets: [String: DataSource]
  let ols: [OLSCase]
  let ridge: [RidgeCase]
  let ridgecv: [RidgeCVCase]

  /// The decoded fixture file, or `nil` when it is missing (``fixturesLoad`` then fails).
  static let shared: RidgeFixtures? = try? load()

  static func load() throws -> RidgeFixtures {
    guard let url = Bundle.module.url(forResource: "ridge_fixtures", withExtension: "json", subdirectory: "Fixtures")
    else { throw FixtureError("ridge_fixtures.json is not in the test bundle; run Fixtures/make_ridge_fixtures.py") }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(RidgeFixtures.self, from: Data(contentsOf: url))
  }

  /// Whether a case's data are stored in the fixture (rather than read from a shared CSV).
  static func isSynthetic(_ dataset: String) -> Bool { shared?.datasets[dataset]?.csv == nil }

  /// The cases on synthetic data, and those on shared real data sets.
  static func split<C>(_ cases: [C], dataset: (C) -> String) -> (synthetic: [C], real: [C]) {
    (cases.filter { isSynthetic(dataset($0)) }, cases.filter { !isSynthetic(dataset($0)) })
  }

  /// The data set `name`, with or without its weights.
  static func dataset(_ name: String, weighted: Bool) throws -> Dataset {
    let fixtures = try #require(shared)
    let source = try #require(fixtures.datasets[name], "unknown dataset \(name)")
    let weights = weighted ? source.weights : nil
    if let csv = source.csv, let target = source.target {
      let directory = try #require(SharedDatasets.directory, "shared datasets not found")
      let table = try CSV.read(contentsOf: directory.appendingPathComponent(csv).path)
      let plain = try Dataset(table, target: target, features: source.features)
      return try Dataset(features: plain.features, target: plain.target, weights: weights)
    }
    let x = try Matrix(try #require(source.x))
    return try Dataset(features: x, target: try #require(source.y), weights: weights)
  }
}

struct FixtureError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// The shared real datasets: `$HONE_DATASETS` (relative paths from the package root), else
/// `../shared/datasets` beside the package.
enum SharedDatasets {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let directory: URL? = {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    let url =
      configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }()

  static let skipMessage: Comment = "shared datasets not found: set HONE_DATASETS or add ../shared/datasets"

  static var available: Bool { directory != nil }
}

// MARK: - Independent arithmetic

/// The largest absolute element-wise difference divided by the reference's largest
/// absolute element (or 1 when that is below 1e-300).
func relativeError(_ actual: [Double], _ expected: [Double]) -> Double {
  guard actual.count == expected.count else { return .infinity }
  let scale = max(expected.map(abs).max() ?? 0, 1e-300)
  return zip(actual, expected).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

/// The error of an intercept relative to the size of the terms it is computed from,
/// `b = ȳ − x̄·β`: with features of magnitude 1000 (concrete) a coefficient error of δ moves
/// the intercept by about 1000·δ, so it is measured against `|b| + Σⱼ |x̄ⱼ βⱼ|`.
func interceptError(_ actual: Double, _ expected: Double, coefficients: [Double], data: Dataset) -> Double {
  let means = (0..<data.featureCount).map { j in data.features.column(j).reduce(0, +) / Double(data.rowCount) }
  let scale = abs(expected) + zip(means, coefficients).reduce(0) { $0 + abs($1.0 * $1.1) }
  return abs(actual - expected) / max(scale, 1e-300)
}

/// `Σᵢ wᵢ (yᵢ − xᵢ·β − b)² + α Σⱼ (sⱼ βⱼ)²`, with `sⱼ` the weighted population standard
/// deviation of feature j when `standardize` (the penalty on the standardised scale), else 1.
/// Loops over the raw data, independent of the code under test.
func ridgeObjective(
  _ data: Dataset, coefficients: [Double], intercept: Double, alpha: Double, standardize: Bool
) -> Double {
  let (n, p) = (data.rowCount, data.featureCount)
  let w = data.weights ?? [Double](repeating: 1, count: n)
  let totalWeight = w.reduce(0, +)
  var loss = 0.0
  for i in 0..<n {
    var r = data.target[i] - intercept
    for j in 0..<p { r -= data.features[i, j] * coefficients[j] }
    loss += w[i] * r * r
  }
  var penalty = 0.0
  for j in 0..<p {
    var scale = 1.0
    if standardize {
      let column = Array(data.features.column(j))
      let mean = zip(w, column).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
      let variance = zip(w, column).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) } / totalWeight
      scale = variance > 0 ? variance.squareRoot() : 1
    }
    penalty += (scale * coefficients[j]) * (scale * coefficients[j])
  }
  return loss + alpha * penalty
}

/// Prints measured agreement when `HONE_REPORT_AGREEMENT` is set, for the notes that
/// accompany a fixture change; silent otherwise.
func reportAgreement(_ label: String, _ values: [String: Double]) {
  guard ProcessInfo.processInfo.environment["HONE_REPORT_AGREEMENT"] != nil else { return }
  let parts = values.keys.sorted().map { "\($0)=\(String(format: "%.2e", values[$0] ?? .nan))" }
  print("AGREEMENT \(label): \(parts.joined(separator: " "))")
}
