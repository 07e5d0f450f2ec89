import Foundation
import HoneCore
import HoneLinearAlgebra

@testable import HoneNeural

/// Helpers shared by the neural-network tests.
enum NeuralTestSupport {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `$HONE_DATASETS` (relative to the package root) or `../shared/datasets`, if present.
  static var datasetsDirectory: URL? {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    let url =
      configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
    let probe = url.appendingPathComponent("lightgbm/binary_train.csv")
    return FileManager.default.fileExists(atPath: probe.path) ? url : nil
  }

  /// A matrix of standard normal draws.
  static func gaussianMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var random = Xoshiro256StarStar(seed: seed)
    let values = (0..<(rows * columns)).map { _ in random.nextGaussian() }
    return Matrix(uncheckedRows: rows, columns: columns, storage: values)
  }

  /// The area under the ROC curve by its definition: the share of (positive, negative)
  /// pairs ranked correctly, ties counting one half. O(n²), independent of the library's
  /// rank-based implementation.
  static func pairwiseAUC(scores: [Double], labels: [Double]) -> Double {
    var correct = 0.0
    var pairs = 0.0
    for i in scores.indices where labels[i] == 1 {
      for j in scores.indices where labels[j] == 0 {
        pairs += 1
        if scores[i] > scores[j] { correct += 1 } else if scores[i] == scores[j] { correct += 0.5 }
      }
    }
    return correct / pairs
  }

  /// Reads a LightGBM example CSV (label first) into a dataset.
  static func lightGBM(_ name: String, in directory: URL) throws -> Dataset {
    let table = try CSV.read(contentsOf: directory.appendingPathComponent("lightgbm/\(name)").path)
    return try Dataset(table, target: "label")
  }
}
