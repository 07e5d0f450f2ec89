import HoneCore

/// One trading feature to compute on an OHLCV table, as a value that configs can describe.
///
/// Each case names the input column where one is needed (usually `close`); OHLC and
/// volume features read the columns named by ``OHLCVColumns``. A spec encodes as a
/// one-key JSON object, for example `{"rollingZScore": {"column": "close", "window": 20}}`
/// or `{"calendar": {"field": "day_of_week"}}`.
///
/// The formulas, conventions and warm-ups are those of the ``Indicators`` functions each
/// case names; ``warmUpRows`` gives the number of leading NaN rows per symbol.
public enum FeatureSpec: Codable, Sendable, Equatable, Hashable {
  /// ``Indicators/simpleReturns(_:horizon:)``; column `<column>_return_<horizon>`.
  case simpleReturn(column: String, horizon: Int)
  /// ``Indicators/logReturns(_:horizon:)``; column `<column>_log_return_<horizon>`.
  case logReturn(column: String, horizon: Int)
  /// ``Indicators/lagged(_:by:)``; column `<column>_lag_<periods>`.
  case lag(column: String, periods: Int)
  /// ``Indicators/rollingMean(_:window:)``; column `<column>_mean_<window>`.
  case rollingMean(column: String, window: Int)
  /// ``Indicators/rollingStandardDeviation(_:window:)``; column `<column>_std_<window>`.
  case rollingStandardDeviation(column: String, window: Int)
  /// ``Indicators/rollingZScore(_:window:)``; column `<column>_zscore_<window>`.
  case rollingZScore(column: String, window: Int)
  /// ``Indicators/rollingMinimum(_:window:)``; column `<column>_min_<window>`.
  case rollingMinimum(column: String, window: Int)
  /// ``Indicators/rollingMaximum(_:window:)``; column `<column>_max_<window>`.
  case rollingMaximum(column: String, window: Int)
  /// ``Indicators/rollingSkewness(_:window:)``; column `<column>_skew_<window>`.
  case rollingSkewness(column: String, window: Int)
  /// ``Indicators/exponentialMovingAverage(_:period:)``; column `<column>_ema_<period>`.
  case exponentialMovingAverage(column: String, period: Int)
  /// ``Indicators/relativeStrengthIndex(_:period:)``; column `<column>_rsi_<period>`.
  case relativeStrengthIndex(column: String, period: Int)
  /// ``Indicators/macd(_:fast:slow:signal:)``; columns `<column>_macd_<f>_<s>_<g>`,
  /// `<column>_macd_signal_<f>_<s>_<g>` and `<column>_macd_histogram_<f>_<s>_<g>`.
  case macd(column: String, fast: Int, slow: Int, signal: Int)
  /// ``Indicators/bollingerBands(_:period:deviations:)``; columns
  /// `<column>_bollinger_percent_b_<period>_<deviations>` and `<column>_bollinger_width_<period>_<deviations>`.
  case bollingerBands(column: String, period: Int, deviations: Double)
  /// ``Indicators/averageTrueRange(high:low:close:period:)`` on the high, low and close
  /// columns; column `atr_<period>`.
  case averageTrueRange(period: Int)
  /// ``Indicators/onBalanceVolume(close:volume:)`` on the close and volume columns; column `obv`.
  case onBalanceVolume
  /// ``Indicators/volumeZScore(_:window:)`` on the volume column; column `volume_zscore_<window>`.
  case volumeZScore(window: Int)
  /// A ``CalendarField`` of the timestamp column; column named by ``CalendarField/columnName``.
  case calendar(field: CalendarField)

  /// The names of the columns this feature adds, in order.
  public var outputNames: [String] {
    switch self {
    case .simpleReturn(let c, let h): ["\(c)_return_\(h)"]
    case .logReturn(let c, let h): ["\(c)_log_return_\(h)"]
    case .lag(let c, let k): ["\(c)_lag_\(k)"]
    case .rollingMean(let c, let w): ["\(c)_mean_\(w)"]
    case .rollingStandardDeviation(let c, let w): ["\(c)_std_\(w)"]
    case .rollingZScore(let c, let w): ["\(c)_zscore_\(w)"]
    case .rollingMinimum(let c, let w): ["\(c)_min_\(w)"]
    case .rollingMaximum(let c, let w): ["\(c)_max_\(w)"]
    case .rollingSkewness(let c, let w): ["\(c)_skew_\(w)"]
    case .exponentialMovingAverage(let c, let p): ["\(c)_ema_\(p)"]
    case .relativeStrengthIndex(let c, let p): ["\(c)_rsi_\(p)"]
    case .macd(let c, let f, let s, let g):
      ["\(c)_macd_\(f)_\(s)_\(g)", "\(c)_macd_signal_\(f)_\(s)_\(g)", "\(c)_macd_histogram_\(f)_\(s)_\(g)"]
    case .bollingerBands(let c, let p, let d):
      ["\(c)_bollinger_percent_b_\(p)_\(Self.format(d))", "\(c)_bollinger_width_\(p)_\(Self.format(d))"]
    case .averageTrueRange(let p): ["atr_\(p)"]
    case .onBalanceVolume: ["obv"]
    case .volumeZScore(let w): ["volume_zscore_\(w)"]
    case .calendar(let field): [field.columnName]
    }
  }

  /// The number of leading rows of each symbol that are NaN because the feature's window
  /// is not yet full (for MACD, the signal's warm-up; its line starts `signal − 1` rows
  /// earlier).
  public var warmUpRows: Int {
    switch self {
    case .simpleReturn(_, let h), .logReturn(_, let h): h
    case .lag(_, let k): k
    case .rollingMean(_, let w), .rollingStandardDeviation(_, let w), .rollingZScore(_, let w),
      .rollingMinimum(_, let w), .rollingMaximum(_, let w), .rollingSkewness(_, let w), .volumeZScore(let w):
      Swift.max(w - 1, 0)
    case .exponentialMovingAverage(_, let p), .bollingerBands(_, let p, _): Swift.max(p - 1, 0)
    case .relativeStrengthIndex(_, let p), .averageTrueRange(let p): p
    case .macd(_, _, let s, let g): Swift.max(s + g - 2, 0)
    case .onBalanceVolume, .calendar: 0
    }
  }

  /// `2` for 2.0, `2.5` for 2.5: the shortest text that names the multiple.
  private static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }

  /// Computes this feature's columns for every row of `table`, per symbol.
  ///
  /// - Parameters:
  ///   - table: An OHLCV table, in non-decreasing time order within each symbol.
  ///   - columns: Which columns hold the timestamp, symbol and prices.
  /// - Returns: The feature columns (float), named as ``outputNames``, one value per row.
  /// - Throws: ``FeatureError`` for a missing or non-numeric column, timestamps out of
  ///   order, a bad window, a non-positive price under a log, or no symbol with enough rows.
  /// - Complexity: O(n · window) for rolling statistics and Bollinger bands, O(n) otherwise.
  public func columns(for table: Table, columns: OHLCVColumns = OHLCVColumns()) throws -> [Column] {
    try compute(for: table, partition: SymbolPartition(table, columns: columns), layout: columns)
  }

  func compute(for table: Table, partition: SymbolPartition, layout: OHLCVColumns) throws -> [Column] {
    let names = outputNames
    let minimumRows = warmUpRows + 1
    let feature = names[0]
    func single(_ column: String, _ compute: @escaping ([Double]) throws -> [Double]) throws -> [[Double]] {
      let input = try SymbolPartition.numeric(column, role: "input", in: table)
      return try partition.map([input], outputs: 1, minimumRows: minimumRows, feature: feature) { [try compute($0[0])] }
    }
    let values: [[Double]]
    switch self {
    case .simpleReturn(let c, let h): values = try single(c) { try Indicators.simpleReturns($0, horizon: h) }
    case .logReturn(let c, let h): values = try single(c) { try Indicators.logReturns($0, horizon: h) }
    case .lag(let c, let k): values = try single(c) { try Indicators.lagged($0, by: k) }
    case .rollingMean(let c, let w): values = try single(c) { try Indicators.rollingMean($0, window: w) }
    case .rollingStandardDeviation(let c, let w):
      values = try single(c) { try Indicators.rollingStandardDeviation($0, window: w) }
    case .rollingZScore(let c, let w): values = try single(c) { try Indicators.rollingZScore($0, window: w) }
    case .rollingMinimum(let c, let w): values = try single(c) { try Indicators.rollingMinimum($0, window: w) }
    case .rollingMaximum(let c, let w): values = try single(c) { try Indicators.rollingMaximum($0, window: w) }
    case .rollingSkewness(let c, let w): values = try single(c) { try Indicators.rollingSkewness($0, window: w) }
    case .exponentialMovingAverage(let c, let p):
      values = try single(c) { try Indicators.exponentialMovingAverage($0, period: p) }
    case .relativeStrengthIndex(let c, let p):
      values = try single(c) { try Indicators.relativeStrengthIndex($0, period: p) }
    case .macd(let c, let f, let s, let g):
      let input = try SymbolPartition.numeric(c, role: "input", in: table)
      values = try partition.map([input], outputs: 3, minimumRows: minimumRows, feature: feature) {
        let result = try Indicators.macd($0[0], fast: f, slow: s, signal: g)
        return [result.line, result.signal, result.histogram]
      }
    case .bollingerBands(let c, let p, let d):
      let input = try SymbolPartition.numeric(c, role: "input", in: table)
      values = try partition.map([input], outputs: 2, minimumRows: minimumRows, feature: feature) {
        let bands = try Indicators.bollingerBands($0[0], period: p, deviations: d)
        return [bands.percentB, bands.width]
      }
    case .averageTrueRange(let p):
      let inputs = [
        try SymbolPartition.numeric(layout.high, role: "high", in: table),
        try SymbolPartition.numeric(layout.low, role: "low", in: table),
        try SymbolPartition.numeric(layout.close, role: "close", in: table),
      ]
      values = try partition.map(inputs, outputs: 1, minimumRows: minimumRows, feature: feature) {
        [try Indicators.averageTrueRange(high: $0[0], low: $0[1], close: $0[2], period: p)]
      }
    case .onBalanceVolume:
      let inputs = [
        try SymbolPartition.numeric(layout.close, role: "close", in: table),
        try SymbolPartition.numeric(layout.volume, role: "volume", in: table),
      ]
      values = try partition.map(inputs, outputs: 1, minimumRows: minimumRows, feature: feature) {
        [try Indicators.onBalanceVolume(close: $0[0], volume: $0[1])]
      }
    case .volumeZScore(let w):
      values = try single(layout.volume) { try Indicators.volumeZScore($0, window: w) }
    case .calendar(let field):
      values = [field.values(for: partition.timestamps)]
    }
    return zip(names, values).map { Column.float($0, $1) }
  }
}
