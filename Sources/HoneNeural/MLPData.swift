import HoneCore
import HoneLinearAlgebra

/// Input checks and conversions shared by fitting and prediction.
enum MLPData {
  /// Throws unless every value is finite: a network has no notion of a missing value.
  static func checkFinite(_ features: Matrix, what: String) throws {
    let bad = features.withUnsafeBufferPointer { p in p.firstIndex { !$0.isFinite } }
    if let bad {
      let rows = Swift.max(1, features.rows)
      throw MLPError(
        "\(what) value \(features.storage[bad]) at row \(bad % rows), column \(bad / rows): a network needs finite values; impute or drop missing values first"
      )
    }
  }

  /// The per-column mean and standard deviation (population, as scikit-learn's
  /// `StandardScaler`) over `rows`; constant columns get scale 1 so they are only centred.
  static func moments(_ features: Matrix, rows: [Int]) -> (mean: [Double], scale: [Double]) {
    let n = features.rows
    var mean = [Double](repeating: 0, count: features.columns)
    var scale = [Double](repeating: 1, count: features.columns)
    let count = Double(rows.count)
    features.withUnsafeBufferPointer { x in
      for j in 0..<features.columns {
        let column = j * n
        var sum = 0.0
        for i in rows { sum += x[column + i] }
        let m = sum / count
        var squares = 0.0
        for i in rows {
          let d = x[column + i] - m
          squares += d * d
        }
        let sd = (squares / count).squareRoot()
        mean[j] = m
        scale[j] = sd > 0 ? sd : 1
      }
    }
    return (mean, scale)
  }

  /// The features standardised and converted to `T`, row-major: each sample's features
  /// contiguous, so a mini-batch column is one copy. This is the one transposed copy a
  /// fit makes, once, instead of strided reads every batch.
  static func rowMajor<T: NeuralScalar>(_ features: Matrix, mean: [Double]?, scale: [Double]?, as: T.Type) -> [T] {
    let (n, p) = (features.rows, features.columns)
    var out = [T](repeating: 0, count: n * p)
    features.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { o in
        for j in 0..<p {
          let (m, s) = (mean?[j] ?? 0, scale?[j] ?? 1)
          for i in 0..<n { o[i * p + j] = T((x[j * n + i] - m) / s) }
        }
      }
    }
    return out
  }
}
