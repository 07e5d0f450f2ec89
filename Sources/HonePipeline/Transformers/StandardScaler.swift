import HoneCore

/// Standardises numeric columns to zero mean and unit variance: `(x − mean) / std`, with
/// the population standard deviation (scikit-learn's `StandardScaler`). Missing values
/// are ignored when fitting and stay missing.
public struct StandardScaler: Transformer, Equatable {
  /// The columns to scale. Default: every float and integer column.
  public var columns: ColumnChoice
  /// Whether to subtract the mean. Default `true`.
  public var withMean: Bool
  /// Whether to divide by the standard deviation. Default `true`.
  public var withStd: Bool

  /// Creates a scaler.
  public init(columns: ColumnChoice = .numeric, withMean: Bool = true, withStd: Bool = true) {
    self.columns = columns
    self.withMean = withMean
    self.withStd = withStd
  }

  /// Learns each column's mean and standard deviation.
  ///
  /// - Throws: ``TransformerError`` for a missing or non-numeric column.
  /// - Complexity: O(rows × columns).
  public func fit(_ table: Table, target: [Double]? = nil) throws -> FittedAffineScaler {
    let names = try columns.resolve(in: table)
    var centers: [Double] = []
    var scales: [Double] = []
    for name in names {
      let values = presentValues(try table.numericValues(name, for: "StandardScaler"))
      let count = Double(values.count)
      let mean = values.isEmpty ? 0 : values.reduce(0, +) / count
      let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
      centers.append(withMean ? mean : 0)
      scales.append(withStd ? safeScale(variance.squareRoot()) : 1)
    }
    return FittedAffineScaler(
      columns: names, centers: centers, scales: scales, offsets: [Double](repeating: 0, count: names.count))
  }
}

/// Scales numeric columns to a range, `[0, 1]` by default (scikit-learn's `MinMaxScaler`).
/// Missing values are ignored when fitting and stay missing.
public struct MinMaxScaler: Transformer, Equatable {
  /// The columns to scale. Default: every float and integer column.
  public var columns: ColumnChoice
  /// The target range's lower end. Default 0.
  public var lower: Double
  /// The target range's upper end. Default 1.
  public var upper: Double

  /// Creates a scaler.
  public init(columns: ColumnChoice = .numeric, lower: Double = 0, upper: Double = 1) {
    self.columns = columns
    self.lower = lower
    self.upper = upper
  }

  /// Learns each column's minimum and maximum.
  ///
  /// - Throws: ``TransformerError`` for a missing or non-numeric column, or `lower ≥ upper`.
  public func fit(_ table: Table, target: [Double]? = nil) throws -> FittedAffineScaler {
    guard lower < upper else { throw TransformerError("MinMaxScaler: lower (\(lower)) must be below upper (\(upper))") }
    let names = try columns.resolve(in: table)
    var centers: [Double] = []
    var scales: [Double] = []
    for name in names {
      let values = presentValues(try table.numericValues(name, for: "MinMaxScaler"))
      let (low, high) = (values.min() ?? 0, values.max() ?? 0)
      centers.append(low)
      scales.append(safeScale((high - low) / (upper - lower)))
    }
    return FittedAffineScaler(
      columns: names, centers: centers, scales: scales, offsets: [Double](repeating: lower, count: names.count))
  }
}

/// Scales numeric columns by statistics that outliers do not move: `(x − median) / IQR`
/// (scikit-learn's `RobustScaler`, quantiles with linear interpolation as NumPy's default).
public struct RobustScaler: Transformer, Equatable {
  /// The columns to scale. Default: every float and integer column.
  public var columns: ColumnChoice
  /// The quantile range in percent. Default 25 to 75.
  public var quantileRange: ClosedRange<Double>
  /// Whether to subtract the median. Default `true`.
  public var withCentering: Bool
  /// Whether to divide by the quantile range. Default `true`.
  public var withScaling: Bool

  /// Creates a scaler.
  public init(
    columns: ColumnChoice = .numeric, quantileRange: ClosedRange<Double> = 25...75, withCentering: Bool = true,
    withScaling: Bool = true
  ) {
    self.columns = columns
    self.quantileRange = quantileRange
    self.withCentering = withCentering
    self.withScaling = withScaling
  }

  /// Learns each column's median and quantile range.
  ///
  /// - Throws: ``TransformerError`` for a missing or non-numeric column or a quantile
  ///   range outside `0...100`.
  public func fit(_ table: Table, target: [Double]? = nil) throws -> FittedAffineScaler {
    guard quantileRange.lowerBound >= 0, quantileRange.upperBound <= 100,
      quantileRange.lowerBound < quantileRange.upperBound
    else {
      throw TransformerError("RobustScaler: the quantile range must lie inside 0...100, got \(quantileRange)")
    }
    let names = try columns.resolve(in: table)
    var centers: [Double] = []
    var scales: [Double] = []
    for name in names {
      let sorted = presentValues(try table.numericValues(name, for: "RobustScaler")).sorted()
      centers.append(withCentering ? percentile(sorted, 50) : 0)
      let spread = percentile(sorted, quantileRange.upperBound) - percentile(sorted, quantileRange.lowerBound)
      scales.append(withScaling ? safeScale(spread) : 1)
    }
    return FittedAffineScaler(
      columns: names, centers: centers, scales: scales, offsets: [Double](repeating: 0, count: names.count))
  }
}

/// The `q`-th percentile of sorted values with linear interpolation between closest ranks
/// (NumPy's default `method="linear"`); 0 for no values.
func percentile(_ sorted: [Double], _ q: Double) -> Double {
  guard let first = sorted.first else { return 0 }
  guard sorted.count > 1 else { return first }
  let position = q / 100 * Double(sorted.count - 1)
  let below = Int(position.rounded(.down))
  let above = Swift.min(below + 1, sorted.count - 1)
  let fraction = position - Double(below)
  return sorted[below] + (sorted[above] - sorted[below]) * fraction
}
