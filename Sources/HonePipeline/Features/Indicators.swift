import Foundation

/// Trading indicators on one time-ordered series (`[Double]`, oldest first).
///
/// Every indicator is *trailing*: the value at row `t` is computed from rows `0...t` only,
/// so appending rows never changes an earlier value (``LookAhead`` checks this). Rows
/// before an indicator is defined — its *warm-up*, documented on each function — are NaN.
///
/// Missing inputs (NaN) propagate: a windowed indicator is NaN at every row whose window
/// contains a NaN, and a recursive smoother (EMA, RSI, MACD, ATR, OBV) is NaN from the
/// first NaN on, because its state is no longer defined. Clean or split series before
/// computing features if that is not what you want.
///
/// Conventions follow TA-Lib (EMA, RSI, MACD, Bollinger bands, ATR, OBV) and pandas
/// (returns, lags, rolling statistics) wherever those are leak-free; every deliberate
/// difference is stated on the function. For many symbols in one table use
/// ``FeatureSet``, which runs these functions per symbol.
public enum Indicators {
  // MARK: - Validation shared by the indicators

  /// Throws unless `value >= minimum`.
  static func require(_ value: Int, atLeast minimum: Int, _ name: String, in function: String) throws {
    guard value >= minimum else {
      throw FeatureError(.invalidParameter, "\(function): \(name) is \(value) but must be at least \(minimum)")
    }
  }

  /// Throws unless the series has at least `needed` rows, so the indicator is defined
  /// somewhere; a feature that is NaN on every row is almost always a mistaken window.
  static func require(rows count: Int, atLeast needed: Int, in function: String) throws {
    guard count >= needed else {
      throw FeatureError(
        .tooFewRows,
        "\(function) needs at least \(needed) rows to produce a value but the series has \(count); "
          + "use a shorter window or more data")
    }
  }

  /// Throws unless every array has `count` elements.
  static func require(sameLength arrays: [(String, Int)], in function: String) throws {
    guard let first = arrays.first else { return }
    for (name, count) in arrays where count != first.1 {
      throw FeatureError(
        .lengthMismatch,
        "\(function): `\(name)` has \(count) values but `\(first.0)` has \(first.1); pass one value per row")
    }
  }

  // MARK: - Returns and lags

  /// Simple returns over `horizon` rows: `x[t] / x[t − horizon] − 1`, as pandas
  /// `pct_change(horizon)` without filling.
  ///
  /// Warm-up: the first `horizon` rows are NaN.
  ///
  /// - Parameters:
  ///   - prices: The prices, oldest first.
  ///   - horizon: How many rows back to compare with; at least 1.
  /// - Returns: One return per row.
  /// - Throws: ``FeatureError`` when `horizon < 1` or the series has at most `horizon` rows.
  /// - Complexity: O(n).
  public static func simpleReturns(_ prices: [Double], horizon: Int = 1) throws -> [Double] {
    try require(horizon, atLeast: 1, "horizon", in: "simple returns")
    try require(rows: prices.count, atLeast: horizon + 1, in: "simple returns over \(horizon) rows")
    var output = [Double](repeating: .nan, count: prices.count)
    for t in horizon..<prices.count { output[t] = prices[t] / prices[t - horizon] - 1 }
    return output
  }

  /// Log returns over `horizon` rows: `ln(x[t] / x[t − horizon])`.
  ///
  /// Warm-up: the first `horizon` rows are NaN.
  ///
  /// - Parameters:
  ///   - prices: The prices, oldest first; all positive (NaN is allowed and propagates).
  ///   - horizon: How many rows back to compare with; at least 1.
  /// - Returns: One log return per row.
  /// - Throws: ``FeatureError`` when `horizon < 1`, the series has at most `horizon` rows,
  ///   or a price is zero or negative (its logarithm is undefined).
  /// - Complexity: O(n).
  public static func logReturns(_ prices: [Double], horizon: Int = 1) throws -> [Double] {
    try require(horizon, atLeast: 1, "horizon", in: "log returns")
    try require(rows: prices.count, atLeast: horizon + 1, in: "log returns over \(horizon) rows")
    if let bad = prices.firstIndex(where: { $0 <= 0 }) {
      throw FeatureError(
        .nonPositivePrice,
        "log returns: the price at row \(bad) is \(prices[bad]); log returns need positive prices "
          + "(use simple returns, or remove or repair that row)")
    }
    var output = [Double](repeating: .nan, count: prices.count)
    for t in horizon..<prices.count { output[t] = log(prices[t] / prices[t - horizon]) }
    return output
  }

  /// The series shifted `periods` rows into the past: `x[t − periods]`, as pandas
  /// `shift(periods)`.
  ///
  /// Warm-up: the first `periods` rows are NaN.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - periods: How many rows back; at least 1. A negative shift would read the future,
  ///     so it is refused: use a label (``ForwardReturnLabel``) for forward values.
  /// - Returns: One lagged value per row.
  /// - Throws: ``FeatureError`` when `periods < 1` or the series has at most `periods` rows.
  /// - Complexity: O(n).
  public static func lagged(_ values: [Double], by periods: Int) throws -> [Double] {
    try require(periods, atLeast: 1, "the lag", in: "lag")
    try require(rows: values.count, atLeast: periods + 1, in: "a lag of \(periods) rows")
    var output = [Double](repeating: .nan, count: values.count)
    for t in periods..<values.count { output[t] = values[t - periods] }
    return output
  }
}
