import Foundation

/// The three lines of a MACD indicator, one value per row.
public struct MACD: Sendable, Equatable {
  /// The fast EMA minus the slow EMA.
  public var line: [Double]
  /// The EMA of ``line``.
  public var signal: [Double]
  /// ``line`` minus ``signal``.
  public var histogram: [Double]
}

extension Indicators {
  /// The relative strength index of Wilder (1978), *New Concepts in Technical Trading
  /// Systems*, as TA-Lib `RSI`: average gains and losses over the first `period` changes
  /// are simple means, then Wilder-smoothed (`a[t] = (a[t−1]·(period − 1) + g[t]) /
  /// period`, an EMA with `α = 1/period`); `RSI = 100 · gain / (gain + loss)`.
  ///
  /// Warm-up: the first `period` rows are NaN (`period` changes need `period + 1` prices).
  ///
  /// Deliberate difference: when the average gain and loss are both zero (a flat stretch
  /// of `period` rows at the start), Hone reports 50 — neither overbought nor oversold —
  /// where TA-Lib reports 0 and pandas-ta NaN. Everywhere else the values agree with
  /// TA-Lib to rounding. pandas-ta's default (`talib=False`) seeds with `x[0]` instead of
  /// a simple mean and so differs in its first few hundred rows.
  ///
  /// - Parameters:
  ///   - values: The prices, oldest first.
  ///   - period: The smoothing period; at least 1.
  /// - Returns: One RSI in `[0, 100]` per row.
  /// - Throws: ``FeatureError`` when `period < 1` or the series has at most `period` rows.
  /// - Complexity: O(n).
  public static func relativeStrengthIndex(_ values: [Double], period: Int = 14) throws -> [Double] {
    try require(period, atLeast: 1, "the period", in: "relative strength index")
    try require(rows: values.count, atLeast: period + 1, in: "a relative strength index over \(period) rows")
    var output = [Double](repeating: .nan, count: values.count)
    let n = Double(period)
    var gain = 0.0
    var loss = 0.0
    func index(_ gain: Double, _ loss: Double) -> Double {
      let total = gain + loss
      if total.isNaN { return .nan }
      return total != 0 ? 100 * (gain / total) : 50
    }
    for t in 1...period {
      let change = values[t] - values[t - 1]
      if change < 0 { loss -= change } else { gain += change }
    }
    gain /= n
    loss /= n
    output[period] = index(gain, loss)
    for t in (period + 1)..<Swift.max(period + 1, values.count) {
      let change = values[t] - values[t - 1]
      // TA-Lib's order of operations, so results agree to the last bits.
      loss *= n - 1
      gain *= n - 1
      if change < 0 { loss -= change } else { gain += change }
      loss /= n
      gain /= n
      output[t] = index(gain, loss)
    }
    return output
  }

  /// Moving average convergence/divergence, devised by Gerald Appel in the late 1970s
  /// (Appel 2005, *Technical Analysis: Power Tools for Active Investors*), as TA-Lib
  /// `MACD`: the line is
  /// `EMA(fast) − EMA(slow)`, the signal is the EMA of the line over `signal` rows, the
  /// histogram is line − signal; every EMA is TA-Lib's (seeded with a simple mean, see
  /// ``exponentialMovingAverage(_:period:)``).
  ///
  /// As in TA-Lib, both averages start at row `slow − 1`: the fast EMA is seeded with the
  /// mean of the `fast` rows ending there, not of the first `fast` rows, so the line never
  /// mixes a converged and an unconverged average.
  ///
  /// Warm-up: the line is NaN for the first `slow − 1` rows; the signal and histogram for
  /// the first `slow + signal − 2`. Deliberate difference: TA-Lib hides the line until the
  /// signal exists; Hone reports it as soon as it is defined (the values agree).
  ///
  /// - Parameters:
  ///   - values: The prices, oldest first.
  ///   - fast: The fast span; at least 1.
  ///   - slow: The slow span; greater than `fast`.
  ///   - signal: The signal span; at least 1.
  /// - Returns: The line, signal and histogram.
  /// - Throws: ``FeatureError`` for a bad span or a series shorter than `slow + signal − 1`.
  /// - Complexity: O(n).
  public static func macd(_ values: [Double], fast: Int = 12, slow: Int = 26, signal: Int = 9) throws -> MACD {
    try require(fast, atLeast: 1, "the fast span", in: "MACD")
    try require(slow, atLeast: fast + 1, "the slow span", in: "MACD (it must exceed the fast span \(fast))")
    try require(signal, atLeast: 1, "the signal span", in: "MACD")
    try require(rows: values.count, atLeast: slow + signal - 1, in: "MACD(\(fast), \(slow), \(signal))")
    let start = slow - 1
    let fastAverage = exponentialMovingAverage(values, period: fast, seededAt: start)
    let slowAverage = exponentialMovingAverage(values, period: slow, seededAt: start)
    var line = [Double](repeating: .nan, count: values.count)
    for t in start..<values.count { line[t] = fastAverage[t] - slowAverage[t] }
    let signalLine = exponentialMovingAverage(line, period: signal, seededAt: start + signal - 1)
    let histogram = zip(line, signalLine).map { $0 - $1 }
    return MACD(line: line, signal: signalLine, histogram: histogram)
  }
}
