extension Indicators {
  /// On-balance volume of Granville (1963), *Granville's New Key to Stock Market
  /// Profits*, as TA-Lib `OBV`: starts at the first row's volume, then adds the volume on
  /// an up close, subtracts it on a down close and carries it on an unchanged close.
  ///
  /// Warm-up: none; row 0 is `volume[0]` (TA-Lib's convention; pandas-ta also starts from
  /// the first volume). Only differences of OBV are meaningful, so the starting level
  /// does not matter to models that use changes.
  ///
  /// - Parameters:
  ///   - close: The closes.
  ///   - volume: The volumes.
  /// - Returns: One running total per row.
  /// - Throws: ``FeatureError`` when the arrays differ in length or are empty.
  /// - Complexity: O(n).
  public static func onBalanceVolume(close: [Double], volume: [Double]) throws -> [Double] {
    try require(sameLength: [("close", close.count), ("volume", volume.count)], in: "on-balance volume")
    try require(rows: close.count, atLeast: 1, in: "on-balance volume")
    var output = [Double](repeating: .nan, count: close.count)
    var total = volume[0]
    output[0] = total
    for t in 1..<Swift.max(1, close.count) {
      if close[t].isNaN || close[t - 1].isNaN {
        total = .nan
      } else if close[t] > close[t - 1] {
        total += volume[t]
      } else if close[t] < close[t - 1] {
        total -= volume[t]
      }
      output[t] = total
    }
    return output
  }

  /// The volume's z-score against its trailing window: ``rollingZScore(_:window:)`` of
  /// the volume (window includes the current row; sample standard deviation).
  ///
  /// Warm-up: the first `window − 1` rows are NaN.
  ///
  /// - Parameters:
  ///   - volume: The volumes.
  ///   - window: The window; at least 2.
  /// - Returns: One z-score per row.
  /// - Throws: ``FeatureError`` when `window < 2` or the series is shorter than `window`.
  /// - Complexity: O(n · window).
  public static func volumeZScore(_ volume: [Double], window: Int = 20) throws -> [Double] {
    try rollingZScore(volume, window: window)
  }
}
