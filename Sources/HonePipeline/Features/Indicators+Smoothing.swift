import Foundation

extension Indicators {
  /// The exponential moving average over `period` rows, as TA-Lib `EMA`: smoothing
  /// factor `α = 2 / (period + 1)`, seeded at row `period − 1` with the simple mean of the
  /// first `period` values, then `e[t] = e[t−1] + α (x[t] − e[t−1])`.
  ///
  /// Warm-up: the first `period − 1` rows are NaN. Seeding with a simple mean is TA-Lib's
  /// choice; pandas `ewm(span: period, adjust: false)` instead starts from `x[0]` and
  /// reports every row, so its early values differ while the two converge geometrically
  /// (by a factor `1 − α` per row).
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - period: The span; at least 1.
  /// - Returns: One average per row.
  /// - Throws: ``FeatureError`` when `period < 1` or the series is shorter than `period`.
  /// - Complexity: O(n).
  public static func exponentialMovingAverage(_ values: [Double], period: Int) throws -> [Double] {
    try require(period, atLeast: 1, "the period", in: "exponential moving average")
    try require(rows: values.count, atLeast: period, in: "an exponential moving average over \(period) rows")
    return exponentialMovingAverage(values, period: period, seededAt: period - 1)
  }

  /// The TA-Lib EMA whose simple-mean seed is the `period` values ending at row `seedRow`
  /// (`period − 1` for a plain EMA; MACD seeds its fast average later, see ``macd(_:fast:slow:signal:)``).
  /// Rows before `seedRow` are NaN. The caller has checked `period − 1 ≤ seedRow < count`.
  static func exponentialMovingAverage(_ values: [Double], period: Int, seededAt seedRow: Int) -> [Double] {
    var output = [Double](repeating: .nan, count: values.count)
    guard seedRow < values.count else { return output }
    let alpha = 2 / Double(period + 1)
    var sum = 0.0
    for t in (seedRow - period + 1)...seedRow { sum += values[t] }
    var average = sum / Double(period)
    output[seedRow] = average
    for t in (seedRow + 1)..<Swift.max(seedRow + 1, values.count) {
      // TA-Lib's update order, kept so results agree to the last bits.
      average = (values[t] - average) * alpha + average
      output[t] = average
    }
    return output
  }

  /// The exponentially weighted standard deviation with span `span`, exactly as pandas
  /// `Series.ewm(span: span, min_periods: minimumPeriods).std()` (adjust = true, bias =
  /// false): weights `(1 − α)^{t−s}` with `α = 2 / (span + 1)` on every past observation
  /// and the unbiased correction `(Σw)² / ((Σw)² − Σw²)`.
  ///
  /// This is the volatility estimate of López de Prado (2018), *Advances in Financial
  /// Machine Learning*, §3.3 (`getDailyVol`), used to scale triple-barrier labels.
  ///
  /// Warm-up: NaN until `minimumPeriods` non-NaN values have been seen, and always at the
  /// first one (one value has no spread). NaN inputs are skipped as pandas does with
  /// `ignore_na = false`: they still age the older weights.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first (typically one-row returns).
  ///   - span: The span; at least 1.
  ///   - minimumPeriods: Observations needed before a value is reported; at least 1.
  /// - Returns: One standard deviation per row.
  /// - Throws: ``FeatureError`` when `span < 1` or `minimumPeriods < 1`.
  /// - Complexity: O(n).
  public static func exponentialStandardDeviation(
    _ values: [Double], span: Int, minimumPeriods: Int = 1
  ) throws -> [Double] {
    try require(span, atLeast: 1, "the span", in: "exponential standard deviation")
    try require(minimumPeriods, atLeast: 1, "the minimum number of periods", in: "exponential standard deviation")
    var output = [Double](repeating: .nan, count: values.count)
    guard let first = values.first else { return output }
    let alpha = 2 / Double(span + 1)
    let decay = 1 - alpha
    // pandas' online update (window/aggregations.pyx, ewmcov with x = y), followed step
    // by step so that the two agree to rounding.
    var mean = first
    var observations = first.isNaN ? 0 : 1
    var sumOfWeights = 1.0
    var sumOfSquaredWeights = 1.0
    var oldWeight = 1.0
    var covariance = 0.0
    for t in 1..<Swift.max(1, values.count) {
      let x = values[t]
      let isObservation = !x.isNaN
      if isObservation { observations += 1 }
      if !mean.isNaN {
        sumOfWeights *= decay
        sumOfSquaredWeights *= decay * decay
        oldWeight *= decay
        if isObservation {
          let oldMean = mean
          if mean != x { mean = (oldWeight * oldMean + x) / (oldWeight + 1) }
          covariance =
            (oldWeight * (covariance + (oldMean - mean) * (oldMean - mean)) + (x - mean) * (x - mean))
            / (oldWeight + 1)
          sumOfWeights += 1
          sumOfSquaredWeights += 1
          oldWeight += 1
        }
      } else if isObservation {
        mean = x
      }
      guard observations >= minimumPeriods else { continue }
      let numerator = sumOfWeights * sumOfWeights
      let denominator = numerator - sumOfSquaredWeights
      guard denominator > 0 else { continue }
      let variance = numerator / denominator * covariance
      output[t] = variance > 0 ? variance.squareRoot() : 0
    }
    return output
  }
}
