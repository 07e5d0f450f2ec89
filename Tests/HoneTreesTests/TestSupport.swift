import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

/// The shared real datasets: `$HONE_DATASETS` (relative to the package root), else
/// `../shared/datasets` beside the package.
enum SharedDatasets {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let directory: URL = {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    return configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
  }()

  static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

  static var lightGBMBinaryAvailable: Bool {
    FileManager.default.fileExists(atPath: path("lightgbm/binary_train.csv"))
      && FileManager.default.fileExists(atPath: path("lightgbm/binary_test.csv"))
  }

  /// LightGBM's example data: `label` first, then 28 features.
  static func lightGBMBinary(_ name: String) throws -> Dataset {
    let table = try CSV.read(contentsOf: path("lightgbm/\(name)"))
    return try Dataset(table, target: "label")
  }
}

/// Loads a committed fixture.
func fixtureJSON(_ name: String) throws -> [String: Any] {
  let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
  let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
  return try #require(object as? [String: Any])
}

/// A dataset from rows of features.
func dataset(_ rows: [[Double]], _ target: [Double], weights: [Double]? = nil) throws -> Dataset {
  try Dataset(features: try Matrix(rows), target: target, weights: weights)
}

/// Hyperparameters for tiny hand-checkable data: no size limits, no shrinkage.
func tinyHyperparameters(leaves: Int = 2, rounds: Int = 1, learningRate: Double = 1, l2: Double = 0)
  -> GradientBoostingHyperparameters
{
  var h = GradientBoostingHyperparameters()
  h.rounds = rounds
  h.learningRate = learningRate
  h.maxLeaves = leaves
  h.minDataInLeaf = 1
  h.minSumHessianInLeaf = 0
  h.l2 = l2
  h.threads = 1
  return h
}

/// Synthetic data with a nonlinear signal, NaNs and a noise feature, from a seed.
func syntheticData(rows: Int, seed: UInt64, classification: Bool) throws -> Dataset {
  var random = Xoshiro256StarStar(seed: seed)
  var x = [Double](repeating: 0, count: rows * 4)
  var y = [Double](repeating: 0, count: rows)
  for i in 0..<rows {
    let a = random.nextGaussian()
    let b = random.nextGaussian()
    let c = random.nextUnitDouble()
    x[i] = a
    x[rows + i] = random.nextUnitDouble() < 0.1 ? .nan : b
    x[2 * rows + i] = c
    x[3 * rows + i] = random.nextGaussian()
    let signal = sin(2 * a) + (b > 0.3 ? 1 : -0.5) + 2 * c * c + 0.3 * random.nextGaussian()
    y[i] = classification ? (signal > 0.8 ? 1 : 0) : signal
  }
  return try Dataset(features: try Matrix(rows: rows, columns: 4, columnMajor: x), target: y)
}

/// The area under the ROC curve (Mann–Whitney with average ranks for ties), computed here
/// independently of the library.
func areaUnderCurve(_ scores: [Double], _ labels: [Double]) -> Double {
  let order = scores.indices.sorted { scores[$0] < scores[$1] }
  var rankSum = 0.0
  var positives = 0.0
  var i = 0
  while i < order.count {
    var j = i
    while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
    for k in i...j where labels[order[k]] == 1 {
      rankSum += Double(i + j + 2) / 2
      positives += 1
    }
    i = j + 1
  }
  let negatives = Double(order.count) - positives
  return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}
