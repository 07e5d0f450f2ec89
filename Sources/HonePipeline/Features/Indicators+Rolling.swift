import Foundation

extension Indicators {
  /// Applies `statistic` to every full trailing window `x[t − window + 1 ... t]` that has
  /// no NaN; other rows are NaN.
  ///
  /// Each window is summarised from scratch (two passes where a mean is involved) rather
  /// than by adding and removing values from running sums: that costs O(window) per row
  /// but gives the exact-as-possible answer with no drift along long series, and the
  /// value at a row never depends on how many rows came before it.
  private static func rolling(
    _ values: [Double], window: Int, minimumWindow: Int, name: String,
    _ statistic: (UnsafeBufferPointer<Double>, Double) -> Double
  ) throws -> [Double] {
    try require(window, atLeast: minimumWindow, "the window", in: name)
    try require(rows: values.count, atLeast: window, in: "\(name) over \(window) rows")
    var output = [Double](repeating: .nan, count: values.count)
    values.withUnsafeBufferPointer { x in
      var nanCount = 0
      for t in 0..<x.count {
        if x[t].isNaN { nanCount += 1 }
        if t >= window, x[t - window].isNaN { nanCount -= 1 }
        guard t >= window - 1, nanCount == 0 else { continue }
        output[t] = statistic(UnsafeBufferPointer(rebasing: x[(t - window + 1)...t]), x[t])
      }
    }
    return output
  }

  private static func mean(_ w: UnsafeBufferPointer<Double>) -> Double {
    var sum = 0.0
    for v in w { sum += v }
    return sum / Double(w.count)
  }

  /// The sum of squared deviations from `mean`.
  private static func squaredDeviations(_ w: UnsafeBufferPointer<Double>, mean: Double) -> Double {
    var sum = 0.0
    for v in w { sum += (v - mean) * (v - mean) }
    return sum
  }

  /// The trailing mean over `window` rows (the simple moving average; pandas
  /// `rolling(window).mean()`, TA-Lib `SMA`).
  ///
  /// Warm-up: the first `window − 1` rows are NaN.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - window: The number of rows averaged; at least 1.
  /// - Returns: One mean per row.
  /// - Throws: ``FeatureError`` when `window < 1` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func rollingMean(_ values: [Double], window: Int) throws -> [Double] {
    try rolling(values, window: window, minimumWindow: 1, name: "rolling mean") { w, _ in mean(w) }
  }

  /// The trailing sample standard deviation over `window` rows, with `window − 1` in the
  /// denominator (pandas `rolling(window).std()`, ddof = 1).
  ///
  /// Warm-up: the first `window − 1` rows are NaN.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - window: The number of rows; at least 2.
  /// - Returns: One standard deviation per row.
  /// - Throws: ``FeatureError`` when `window < 2` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func rollingStandardDeviation(_ values: [Double], window: Int) throws -> [Double] {
    try rolling(values, window: window, minimumWindow: 2, name: "rolling standard deviation") { w, _ in
      (squaredDeviations(w, mean: mean(w)) / Double(w.count - 1)).squareRoot()
    }
  }

  /// The z-score of each value against its own trailing window:
  /// `(x[t] − mean) / std`, with the mean and sample standard deviation (ddof = 1) of
  /// `x[t − window + 1 ... t]`, the window *including* row `t` (as
  /// `(x − x.rolling(w).mean()) / x.rolling(w).std()` in pandas).
  ///
  /// Warm-up: the first `window − 1` rows are NaN. A window with zero spread has no
  /// z-score and gives NaN (pandas gives ±inf or NaN there).
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - window: The number of rows; at least 2.
  /// - Returns: One z-score per row.
  /// - Throws: ``FeatureError`` when `window < 2` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func rollingZScore(_ values: [Double], window: Int) throws -> [Double] {
    try rolling(values, window: window, minimumWindow: 2, name: "rolling z-score") { w, last in
      let m = mean(w)
      let deviation = (squaredDeviations(w, mean: m) / Double(w.count - 1)).squareRoot()
      return deviation > 0 ? (last - m) / deviation : .nan
    }
  }

  /// The trailing minimum over `window` rows (pandas `rolling(window).min()`).
  ///
  /// Warm-up: the first `window − 1` rows are NaN.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - window: The number of rows; at least 1.
  /// - Returns: One minimum per row.
  /// - Throws: ``FeatureError`` when `window < 1` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func rollingMinimum(_ values: [Double], window: Int) throws -> [Double] {
    try rolling(values, window: window, minimumWindow: 1, name: "rolling minimum") { w, _ in
      w.reduce(Double.infinity) { Swift.min($0, $1) }
    }
  }

  /// The trailing maximum over `window` rows (pandas `rolling(window).max()`).
  ///
  /// Warm-up: the first `window − 1` rows are NaN.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - window: The number of rows; at least 1.
  /// - Returns: One maximum per row.
  /// - Throws: ``FeatureError`` when `window < 1` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func rollingMaximum(_ values: [Double], window: Int) throws -> [Double] {
    try rolling(values, window: window, minimumWindow: 1, name: "rolling maximum") { w, _ in
      w.reduce(-Double.infinity) { Swift.max($0, $1) }
    }
  }

  /// The trailing sample skewness over `window` rows: the adjusted Fisher–Pearson
  /// coefficient `G₁ = √(n(n−1)) / (n−2) · m₃ / m₂^{3/2}`, with `m₂`, `m₃` the biased
  /// central moments of the window — pandas `rolling(window).skew()` and
  /// `scipy.stats.skew(bias=False)`.
  ///
  /// Warm-up: the first `window − 1` rows are NaN. A window with zero spread has no
  /// skewness and gives NaN. The moments are taken about the window's own mean (two
  /// passes), where pandas uses running power sums; the two agree to about 1e-9 relative
  /// on price series and Hone's is the more accurate.
  ///
  /// - Parameters:
  ///   - values: The series, oldest first.
  ///   - window: The number of rows; at least 3.
  /// - Returns: One skewness per row.
  /// - Throws: ``FeatureError`` when `window < 3` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func rollingSkewness(_ values: [Double], window: Int) throws -> [Double] {
    try rolling(values, window: window, minimumWindow: 3, name: "rolling skewness") { w, _ in
      let m = mean(w)
      var m2 = 0.0
      var m3 = 0.0
      for v in w {
        let d = v - m
        m2 += d * d
        m3 += d * d * d
      }
      let n = Double(w.count)
      m2 /= n
      m3 /= n
      guard m2 > 0 else { return .nan }
      return (n * (n - 1)).squareRoot() / (n - 2) * m3 / (m2 * m2.squareRoot())
    }
  }
}
