import Foundation

/// Bollinger bands and the two features derived from them, one value per row.
public struct BollingerBands: Sendable, Equatable {
  /// The simple moving average.
  public var middle: [Double]
  /// The middle band plus `deviations` standard deviations.
  public var upper: [Double]
  /// The middle band minus `deviations` standard deviations.
  public var lower: [Double]
  /// Where the value sits between the bands: `(x − lower) / (upper − lower)`; 0 at the
  /// lower band, 1 at the upper.
  public var percentB: [Double]
  /// The band width relative to the middle: `(upper − lower) / middle`.
  public var width: [Double]
}

extension Indicators {
  /// Bollinger bands (Bollinger 2001, *Bollinger on Bollinger Bands*), as TA-Lib `BBANDS`
  /// with a simple moving average: `middle ± deviations · σ`, where σ is the *population*
  /// standard deviation (divide by `period`, as TA-Lib and pandas-ta, and as Bollinger
  /// specifies) of the trailing `period` values.
  ///
  /// Warm-up: the first `period − 1` rows are NaN. %b is NaN where the bands coincide
  /// (a window with zero spread) and the width is NaN where the middle band is 0.
  ///
  /// Deliberate difference: the width is a fraction, `(upper − lower) / middle`;
  /// pandas-ta's `BBB` is the same number times 100. σ is computed about the window mean
  /// (two passes); TA-Lib subtracts squared sums, which loses about `mean² / σ² · ε`
  /// relative precision, so the two agree to about 1e-10 on daily prices.
  ///
  /// - Parameters:
  ///   - values: The prices, oldest first.
  ///   - period: The window; at least 1.
  ///   - deviations: The band half-width in standard deviations; positive.
  /// - Returns: The bands, %b and width.
  /// - Throws: ``FeatureError`` for a bad window or multiple, or a series shorter than `period`.
  /// - Complexity: O(n · period).
  public static func bollingerBands(_ values: [Double], period: Int = 20, deviations: Double = 2) throws
    -> BollingerBands
  {
    try require(period, atLeast: 1, "the period", in: "Bollinger bands")
    guard deviations > 0, deviations.isFinite else {
      throw FeatureError(
        .invalidParameter, "Bollinger bands: the band width is \(deviations) standard deviations but must be positive")
    }
    let middle = try rollingMean(values, window: period)
    let count = values.count
    var upper = [Double](repeating: .nan, count: count)
    var lower = upper
    var percentB = upper
    var width = upper
    for t in (period - 1)..<count where !middle[t].isNaN {
      var squares = 0.0
      for s in (t - period + 1)...t { squares += (values[s] - middle[t]) * (values[s] - middle[t]) }
      let halfWidth = deviations * (squares / Double(period)).squareRoot()
      upper[t] = middle[t] + halfWidth
      lower[t] = middle[t] - halfWidth
      let span = upper[t] - lower[t]
      percentB[t] = span > 0 ? (values[t] - lower[t]) / span : .nan
      width[t] = middle[t] != 0 ? span / middle[t] : .nan
    }
    return BollingerBands(middle: middle, upper: upper, lower: lower, percentB: percentB, width: width)
  }

  /// The true range of Wilder (1978): `max(high − low, |high − prevClose|, |low − prevClose|)`,
  /// as TA-Lib `TRANGE`.
  ///
  /// Warm-up: row 0 is NaN (it has no previous close).
  ///
  /// - Parameters:
  ///   - high: The highs.
  ///   - low: The lows.
  ///   - close: The closes.
  /// - Returns: One true range per row.
  /// - Throws: ``FeatureError`` when the arrays differ in length or have fewer than 2 rows.
  /// - Complexity: O(n).
  public static func trueRange(high: [Double], low: [Double], close: [Double]) throws -> [Double] {
    try require(sameLength: [("high", high.count), ("low", low.count), ("close", close.count)], in: "true range")
    try require(rows: close.count, atLeast: 2, in: "true range")
    var output = [Double](repeating: .nan, count: close.count)
    for t in 1..<close.count {
      let previous = close[t - 1]
      // NaN-propagating maximum: Swift.max would drop a NaN operand.
      let candidates = [high[t] - low[t], abs(previous - high[t]), abs(previous - low[t])]
      output[t] = candidates.contains { $0.isNaN } ? .nan : candidates.reduce(-Double.infinity) { Swift.max($0, $1) }
    }
    return output
  }

  /// The average true range of Wilder (1978), *New Concepts in Technical Trading Systems*,
  /// as TA-Lib `ATR`: the simple mean of the first `period` true ranges (rows `1...period`),
  /// then Wilder smoothing `a[t] = (a[t−1]·(period − 1) + TR[t]) / period`.
  ///
  /// Warm-up: the first `period` rows are NaN.
  ///
  /// - Parameters:
  ///   - high: The highs.
  ///   - low: The lows.
  ///   - close: The closes.
  ///   - period: The smoothing period; at least 1.
  /// - Returns: One ATR per row.
  /// - Throws: ``FeatureError`` for `period < 1`, arrays of different lengths, or at most
  ///   `period` rows.
  /// - Complexity: O(n).
  public static func averageTrueRange(high: [Double], low: [Double], close: [Double], period: Int = 14) throws
    -> [Double]
  {
    try require(period, atLeast: 1, "the period", in: "average true range")
    try require(
      sameLength: [("high", high.count), ("low", low.count), ("close", close.count)], in: "average true range")
    try require(rows: close.count, atLeast: period + 1, in: "an average true range over \(period) rows")
    let ranges = try trueRange(high: high, low: low, close: close)
    var output = [Double](repeating: .nan, count: close.count)
    let n = Double(period)
    var average = 0.0
    for t in 1...period { average += ranges[t] }
    average /= n
    output[period] = average
    for t in (period + 1)..<Swift.max(period + 1, close.count) {
      // TA-Lib's order of operations, so results agree to the last bits.
      average *= n - 1
      average += ranges[t]
      average /= n
      output[t] = average
    }
    return output
  }
}
