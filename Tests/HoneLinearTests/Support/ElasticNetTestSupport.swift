import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// The scikit-learn reference fits in `Fixtures/enet_fixtures.json`, written by
/// `Fixtures/make_enet_fixtures.py`.
struct ElasticNetFixtures: Decodable {
  struct Synthetic: Decodable {
    let features: [[Double]]
    let target: [Double]
  }

  struct Fit: Decodable, CustomTestStringConvertible {
    let name: String
    let dataset: String
    let alpha: Double
    let l1Ratio: Double
    let weighted: Bool
    let positive: Bool
    let fitIntercept: Bool
    let standardize: Bool
    let coef: [Double]
    let intercept: Double
    let objective: Double
    let dualGap: Double
    let nIter: Int

    var testDescription: String { name }
  }

  struct Path: Decodable, CustomTestStringConvertible {
    let name: String
    let dataset: String
    let l1Ratio: Double
    let weighted: Bool
    let positive: Bool
    let count: Int
    let epsilon: Double
    let alphas: [Double]
    let coefs: [[Double]]
    let intercepts: [Double]

    var testDescription: String { name }
  }

  let sklearn: String
  let synthetic: [String: Synthetic]
  let fits: [Fit]
  let paths: [Path]

  /// The fixtures, or an empty set when the file is missing (the tests then fail on
  /// `#require`, not at load time).
  static let shared: ElasticNetFixtures = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    guard let url = Bundle.module.url(forResource: "enet_fixtures", withExtension: "json", subdirectory: "Fixtures"),
      let data = try? Data(contentsOf: url),
      let fixtures = try? decoder.decode(ElasticNetFixtures.self, from: data)
    else { return ElasticNetFixtures(sklearn: "missing", synthetic: [:], fits: [], paths: []) }
    return fixtures
  }()

  static let realDatasets: Set<String> = ["concrete", "wine_red"]
}

/// The weights the fixture script uses: wᵢ = 1 + (i mod 4).
func fixtureWeights(_ count: Int) -> [Double] { (0..<count).map { Double(1 + $0 % 4) } }

/// A fixture dataset by name: the real CSVs from the shared folder, or the synthetic
/// problems stored in the JSON.
func fixtureDataset(_ name: String, weighted: Bool) throws -> Dataset {
  let base: Dataset
  switch name {
  case "concrete", "wine_red":
    let directory = try #require(SharedDatasets.directory)
    let (file, target) =
      name == "concrete"
      ? ("concrete/concrete.csv", "compressive_strength") : ("wine_quality/winequality-red.csv", "quality")
    base = try Dataset(CSV.read(contentsOf: directory.appendingPathComponent(file).path), target: target)
  default:
    let synthetic = try #require(ElasticNetFixtures.shared.synthetic[name])
    base = try Dataset(features: Matrix(synthetic.features), target: synthetic.target)
  }
  guard weighted else { return base }
  return try Dataset(features: base.features, target: base.target, weights: fixtureWeights(base.rowCount))
}

/// Weighted means, and weighted population standard deviations (1 for a constant
/// column), computed here independently of `NormalEquations`.
func weightedMoments(_ data: Dataset) -> (xMean: [Double], xScale: [Double], yMean: Double, weightSum: Double) {
  let w = data.weights ?? [Double](repeating: 1, count: data.rowCount)
  let total = w.reduce(0, +)
  let x = data.features
  var means: [Double] = []
  var scales: [Double] = []
  for j in 0..<x.columns {
    let mean = (0..<x.rows).reduce(0) { $0 + w[$1] * x[$1, j] } / total
    let variance = (0..<x.rows).reduce(0) { $0 + w[$1] * (x[$1, j] - mean) * (x[$1, j] - mean) } / total
    means.append(mean)
    scales.append(variance > 0 ? variance.squareRoot() : 1)
  }
  let yMean = zip(w, data.target).reduce(0) { $0 + $1.0 * $1.1 } / total
  return (means, scales, yMean, total)
}

/// scikit-learn's objective `1/(2Σw)·Σwᵢrᵢ² + α·l1Ratio·‖β‖₁ + ½α(1 − l1Ratio)‖β‖²`,
/// evaluated from the model's predictions; `scale` puts β on the standardised scale.
func elasticNetObjective(
  _ model: LinearModel, _ data: Dataset, alpha: Double, l1Ratio: Double, scale: [Double]? = nil
) throws -> Double {
  let w = data.weights ?? [Double](repeating: 1, count: data.rowCount)
  let predictions = try model.predict(data.features)
  var loss = 0.0
  for i in 0..<data.rowCount {
    let r = data.target[i] - predictions[i]
    loss += w[i] * r * r
  }
  let beta = zip(model.coefficients, scale ?? model.coefficients.map { _ in 1 }).map { $0 * $1 }
  let l1 = beta.reduce(0) { $0 + abs($1) }
  let l2 = beta.reduce(0) { $0 + $1 * $1 }
  return 0.5 * loss / w.reduce(0, +) + alpha * l1Ratio * l1 + 0.5 * alpha * (1 - l1Ratio) * l2
}

/// The largest absolute value, or 0.
func maxAbs(_ values: [Double]) -> Double { values.reduce(0) { max($0, abs($1)) } }

/// The largest absolute elementwise difference.
func maxDifference(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } }
