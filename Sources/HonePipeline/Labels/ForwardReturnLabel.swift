import Foundation
import HoneCore

/// Labels each row with its forward return over the next `horizon` rows of the same
/// symbol: `close[i + horizon] / close[i] − 1`, or its logarithm.
///
/// The label ends at row `i + horizon` (`t1` is that row's timestamp). The last `horizon`
/// rows of each symbol have no label (NaN, no end), since their horizon runs past the data.
///
/// ```swift
/// let labels = try ForwardReturnLabel(horizon: 5).labels(for: prices)
/// ```
public struct ForwardReturnLabel: LabelGenerator, Codable, Equatable {
  /// The number of rows ahead; at least 1.
  public var horizon: Int
  /// Whether the label is the log return `ln(close[i + horizon] / close[i])`.
  public var logarithmic: Bool
  /// Which columns hold the timestamp, symbol and close.
  public var columns: OHLCVColumns

  /// Creates a forward-return labeller.
  ///
  /// - Parameters:
  ///   - horizon: The number of rows ahead; at least 1.
  ///   - logarithmic: Whether to label with log returns.
  ///   - columns: Which columns hold the timestamp, symbol and close.
  public init(horizon: Int, logarithmic: Bool = false, columns: OHLCVColumns = OHLCVColumns()) {
    self.horizon = horizon
    self.logarithmic = logarithmic
    self.columns = columns
  }

  /// Labels every row of `table`, per symbol.
  ///
  /// - Parameter table: An OHLCV table, in non-decreasing time order within each symbol.
  /// - Returns: The forward returns, with `returns` the simple return either way.
  /// - Throws: ``FeatureError`` when `horizon < 1`, the close column is missing or not
  ///   numeric, timestamps are out of order, or (for log returns) a price is not positive.
  /// - Complexity: O(n).
  public func labels(for table: Table) throws -> Labels {
    try Indicators.require(horizon, atLeast: 1, "the horizon", in: "forward-return label")
    let partition = try SymbolPartition(table, columns: columns)
    let prices = try SymbolPartition.numeric(columns.close, role: "close", in: table)
    if logarithmic, let bad = prices.firstIndex(where: { $0 <= 0 }) {
      throw FeatureError(
        .nonPositivePrice,
        "forward log-return label: the close at row \(bad) is \(prices[bad]); log returns need positive prices")
    }
    return try partition.labels(prices: prices) { _, prices, _ in
      Self.forwardReturns(prices, horizon: horizon).map { simple in
        guard let (r, end) = simple else { return (.nan, .nan, nil) }
        return (logarithmic ? log(prices[end] / prices[end - horizon]) : r, r, end)
      }
    }
  }

  /// The simple return and end row of each local row, or `nil` where the horizon runs
  /// past the data or a price is missing.
  static func forwardReturns(_ prices: [Double], horizon: Int) -> [(Double, Int)?] {
    prices.indices.map { i in
      let end = i + horizon
      guard end < prices.count else { return nil }
      let r = prices[end] / prices[i] - 1
      return r.isNaN ? nil : (r, end)
    }
  }
}

/// Labels each row `+1`, `−1` or `0` by whether its forward simple return over `horizon`
/// rows is above `threshold`, below `−threshold`, or in between (with `threshold = 0`,
/// the sign of the return, 0 only when it is exactly 0).
///
/// The interval and missing rows are those of ``ForwardReturnLabel``.
public struct ThresholdLabel: LabelGenerator, Codable, Equatable {
  /// The number of rows ahead; at least 1.
  public var horizon: Int
  /// The dead band half-width, as a simple return; at least 0.
  public var threshold: Double
  /// Which columns hold the timestamp, symbol and close.
  public var columns: OHLCVColumns

  /// Creates a threshold labeller.
  ///
  /// - Parameters:
  ///   - horizon: The number of rows ahead; at least 1.
  ///   - threshold: The dead band half-width; at least 0.
  ///   - columns: Which columns hold the timestamp, symbol and close.
  public init(horizon: Int, threshold: Double = 0, columns: OHLCVColumns = OHLCVColumns()) {
    self.horizon = horizon
    self.threshold = threshold
    self.columns = columns
  }

  /// Labels every row of `table`, per symbol.
  ///
  /// - Parameter table: An OHLCV table, in non-decreasing time order within each symbol.
  /// - Returns: The labels in {−1, 0, 1}, with the forward simple returns.
  /// - Throws: ``FeatureError`` when `horizon < 1`, `threshold` is negative or not finite,
  ///   the close column is missing or not numeric, or timestamps are out of order.
  /// - Complexity: O(n).
  public func labels(for table: Table) throws -> Labels {
    try Indicators.require(horizon, atLeast: 1, "the horizon", in: "threshold label")
    guard threshold >= 0, threshold.isFinite else {
      throw FeatureError(.invalidParameter, "threshold label: the threshold is \(threshold) but must be finite and ≥ 0")
    }
    let partition = try SymbolPartition(table, columns: columns)
    let prices = try SymbolPartition.numeric(columns.close, role: "close", in: table)
    return try partition.labels(prices: prices) { _, prices, _ in
      ForwardReturnLabel.forwardReturns(prices, horizon: horizon).map { simple in
        guard let (r, end) = simple else { return (.nan, .nan, nil) }
        let value: Double = r > threshold ? 1 : (r < -threshold ? -1 : 0)
        return (value, r, end)
      }
    }
  }
}
