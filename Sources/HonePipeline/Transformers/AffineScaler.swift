import HoneCore

/// A fitted per-column affine map `x ↦ (x − center) / scale`, the fitted form of
/// ``StandardScaler``, ``MinMaxScaler`` and ``RobustScaler``. NaN stays NaN.
public struct FittedAffineScaler: FittedTransformer, Equatable {
  /// The transformed columns.
  public let columns: [String]
  /// What is subtracted from each column.
  public let centers: [Double]
  /// What each column is divided by after centring (1 for a constant column).
  public let scales: [Double]
  /// Added after scaling (the lower end of a min-max range; 0 otherwise).
  public let offsets: [Double]

  /// Applies the map to the fitted columns; other columns pass through.
  ///
  /// - Throws: ``TransformerError`` when a fitted column is missing or not numeric.
  public func transform(_ table: Table) throws -> Table {
    let transformed = try columns.indices.map { j -> Column in
      let values = try table.numericValues(columns[j], for: "scaler")
      let (center, scale, offset) = (centers[j], scales[j], offsets[j])
      return .float(columns[j], values.map { ($0 - center) / scale + offset })
    }
    return try table.replacing(transformed)
  }

  /// Maps scaled values of column `name` back to the original scale.
  ///
  /// - Throws: ``TransformerError`` when the scaler did not fit `name`.
  public func inverse(_ values: [Double], column name: String) throws -> [Double] {
    guard let j = columns.firstIndex(of: name) else {
      throw TransformerError("the scaler was not fitted on column `\(name)`")
    }
    return values.map { ($0 - offsets[j]) * scales[j] + centers[j] }
  }
}

/// Finite (non-NaN) values of a column, for fitting statistics that ignore missing values.
func presentValues(_ values: [Double]) -> [Double] { values.filter { !$0.isNaN } }

/// A scale that is 0 or not finite (a constant column) becomes 1, as in scikit-learn, so
/// constant columns are centred but not blown up.
func safeScale(_ scale: Double) -> Double { scale.isFinite && scale > 0 ? scale : 1 }
