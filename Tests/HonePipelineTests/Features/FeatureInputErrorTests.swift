import Foundation
import HoneCore
import HonePipeline
import Testing

/// Bad input throws a ``FeatureError`` of the right kind, with a message that says what to do.
@Suite("Feature input errors")
struct FeatureInputErrorTests {
  static func kind(of body: () throws -> Void) -> FeatureError.Kind? {
    do {
      try body()
      return nil
    } catch let error as FeatureError {
      #expect(!error.message.isEmpty)
      return error.kind
    } catch {
      return nil
    }
  }

  static let day: Int64 = 86_400 * 1_000_000_000

  static func ohlcv(rows: Int, timestamps: [Int64]? = nil, dropping: String? = nil) throws -> Table {
    let close = (0..<rows).map { 100 + Double($0 % 7) }
    var columns: [Column] = [
      .timestamp("timestamp", nanosecondsSinceEpoch: timestamps ?? (0..<rows).map { Int64($0) * day }),
      .float("open", close), .float("high", close.map { $0 + 1 }), .float("low", close.map { $0 - 1 }),
      .float("close", close), .integer("volume", (0..<rows).map { Int64(1000 + $0) }),
    ]
    columns.removeAll { $0.name == dropping }
    return try Table(columns)
  }

  @Test("timestamps out of order within a symbol throw, for features and labels")
  func unsortedTimestamps() throws {
    let table = try Self.ohlcv(rows: 30, timestamps: (0..<30).map { Int64($0 == 10 ? 3 : $0) * Self.day })
    #expect(Self.kind { _ = try FeatureSet([.onBalanceVolume]).apply(to: table) } == .unsortedTimestamps)
    #expect(Self.kind { _ = try ForwardReturnLabel(horizon: 1).labels(for: table) } == .unsortedTimestamps)
    // Interleaved symbols are fine when each symbol is in order, and not when one is not.
    let panel = try Table([
      .timestamp("timestamp", nanosecondsSinceEpoch: [0, 0, Self.day, Self.day, 3 * Self.day, 2 * Self.day]),
      .categorical("symbol", ["A", "B", "A", "B", "A", "B"]),
      .float("close", [1, 2, 3, 4, 5, 6]),
    ])
    let columns = OHLCVColumns(symbol: "symbol")
    #expect(throws: Never.self) {
      try FeatureSet([.lag(column: "close", periods: 1)], columns: columns).apply(to: panel)
    }
    let bad = try panel.setting(.timestamp("timestamp", nanosecondsSinceEpoch: [0, 0, 2 * Self.day, 3, Self.day, 4]))
    #expect(
      Self.kind { _ = try FeatureSet([.lag(column: "close", periods: 1)], columns: columns).apply(to: bad) }
        == .unsortedTimestamps)
  }

  @Test("a window longer than the data throws")
  func tooFewRows() throws {
    #expect(Self.kind { _ = try Indicators.rollingMean([1, 2, 3], window: 5) } == .tooFewRows)
    #expect(
      Self.kind { _ = try Indicators.relativeStrengthIndex([Double](repeating: 1, count: 14), period: 14) }
        == .tooFewRows)
    #expect(Self.kind { _ = try Indicators.macd([Double](repeating: 1, count: 30)) } == .tooFewRows)
    let table = try Self.ohlcv(rows: 10)
    #expect(Self.kind { _ = try FeatureSet([.averageTrueRange(period: 14)]).apply(to: table) } == .tooFewRows)
  }

  @Test("missing OHLCV columns throw and name the column", arguments: ["timestamp", "high", "low", "close", "volume"])
  func missingColumns(_ name: String) throws {
    let table = try Self.ohlcv(rows: 30, dropping: name)
    let set = FeatureSet([.averageTrueRange(period: 5), .volumeZScore(window: 5)])
    do {
      _ = try set.apply(to: table)
      Issue.record("no error without `\(name)`")
    } catch let error as FeatureError {
      #expect(error.kind == .missingColumn)
      #expect(error.message.contains("`\(name)`"))
    }
  }

  @Test("a symbol column that is named but absent throws; so does a non-numeric price")
  func wrongColumns() throws {
    let table = try Self.ohlcv(rows: 30)
    #expect(
      Self.kind { _ = try FeatureSet([.onBalanceVolume], columns: OHLCVColumns(symbol: "ticker")).apply(to: table) }
        == .missingColumn)
    #expect(
      Self.kind { _ = try FeatureSet([.lag(column: "timestamp", periods: 1)]).apply(to: table) }
        == .wrongColumnType)
  }

  @Test("label intervals that end before they start throw")
  func labelIntervals() throws {
    let times: [Int64] = [0, Self.day, 2 * Self.day]
    #expect(
      Self.kind {
        _ = try Labels(
          values: [1, 1, .nan], returns: [0, 0, .nan], endRows: [1, 0, nil], startTimes: times,
          endTimes: [Self.day, 0, .min])
      } == .invalidLabelInterval)
    #expect(
      Self.kind {
        _ = try Labels(
          values: [1, .nan, .nan], returns: [0, .nan, .nan], endRows: [1, nil, nil], startTimes: times,
          endTimes: [-Self.day, .min, .min])
      } == .invalidLabelInterval)
    let table = try Self.ohlcv(rows: 30)
    #expect(
      Self.kind { _ = try TripleBarrierLabel(profitTaking: 1, stopLoss: 1, maxHoldingRows: 0).labels(for: table) }
        == .invalidLabelInterval)
    #expect(
      Self.kind { _ = try TripleBarrierLabel(profitTaking: 1, stopLoss: 1, maxHoldingTime: -5).labels(for: table) }
        == .invalidLabelInterval)
    #expect(
      Self.kind { _ = try TripleBarrierLabel(profitTaking: 1, stopLoss: 1).labels(for: table) } == .invalidParameter)
  }

  @Test("non-positive prices under a logarithm throw")
  func nonPositivePrices() throws {
    #expect(Self.kind { _ = try Indicators.logReturns([1, 2, 0, 3]) } == .nonPositivePrice)
    let table = try Self.ohlcv(rows: 5).setting(.float("close", [1, 2, -3, 4, 5]))
    #expect(
      Self.kind { _ = try FeatureSet([.logReturn(column: "close", horizon: 1)]).apply(to: table) }
        == .nonPositivePrice)
    #expect(
      Self.kind { _ = try ForwardReturnLabel(horizon: 1, logarithmic: true).labels(for: table) }
        == .nonPositivePrice)
    // Simple returns are defined for any non-zero base: no throw.
    #expect(throws: Never.self) { try ForwardReturnLabel(horizon: 1).labels(for: table) }
  }

  @Test("bad parameters throw")
  func badParameters() throws {
    #expect(Self.kind { _ = try Indicators.rollingStandardDeviation([1, 2, 3], window: 1) } == .invalidParameter)
    #expect(Self.kind { _ = try Indicators.rollingSkewness([1, 2, 3], window: 2) } == .invalidParameter)
    #expect(Self.kind { _ = try Indicators.lagged([1, 2, 3], by: -1) } == .invalidParameter)
    #expect(
      Self.kind { _ = try Indicators.macd([Double](repeating: 1, count: 50), fast: 26, slow: 12) } == .invalidParameter)
    #expect(Self.kind { _ = try Indicators.bollingerBands([1, 2, 3], period: 2, deviations: 0) } == .invalidParameter)
    #expect(
      Self.kind { _ = try Indicators.averageTrueRange(high: [1, 2], low: [1], close: [1, 2], period: 1) }
        == .lengthMismatch)
    #expect(
      Self.kind { _ = try ThresholdLabel(horizon: 1, threshold: -0.1).labels(for: Self.ohlcv(rows: 5)) }
        == .invalidParameter)
    let duplicate = FeatureSet([.onBalanceVolume, .onBalanceVolume])
    #expect(Self.kind { _ = try duplicate.apply(to: Self.ohlcv(rows: 5)) } == .duplicateName)
    #expect(Self.kind { _ = try LookAhead.check({ $0 }, on: [1, 2, 3], stride: 0) } == .invalidParameter)
  }
}

/// ``FeatureSet`` as a config value.
@Suite("Feature set configs")
struct FeatureSetConfigTests {
  @Test("a feature set survives a JSON round trip")
  func roundTrip() throws {
    let set = FeatureSet(referenceFeatureSet.features, columns: OHLCVColumns(symbol: "symbol", close: "adjusted_close"))
    let decoded = try JSONDecoder().decode(FeatureSet.self, from: JSONEncoder().encode(set))
    #expect(decoded == set)
  }

  @Test("a hand-written config decodes, with defaults for the columns it leaves out")
  func handWritten() throws {
    let json = """
      {"features": [{"rollingZScore": {"column": "close", "window": 20}},
                    {"macd": {"column": "close", "fast": 12, "slow": 26, "signal": 9}},
                    {"onBalanceVolume": {}},
                    {"calendar": {"field": "day_of_week"}}],
       "columns": {"symbol": "ticker"}}
      """
    let set = try JSONDecoder().decode(FeatureSet.self, from: Data(json.utf8))
    #expect(set.columns == OHLCVColumns(symbol: "ticker"))
    #expect(
      set.outputNames == [
        "close_zscore_20", "close_macd_12_26_9", "close_macd_signal_12_26_9", "close_macd_histogram_12_26_9", "obv",
        "day_of_week",
      ])
    #expect(set.warmUpRows == 33)
  }

  @Test("label generators survive a JSON round trip")
  func labelRoundTrip() throws {
    let barrier = TripleBarrierLabel(
      profitTaking: 2, stopLoss: 1, maxHoldingRows: 10, volatility: .column(name: "vol"), verticalBarrierValue: .zero)
    #expect(try JSONDecoder().decode(TripleBarrierLabel.self, from: JSONEncoder().encode(barrier)) == barrier)
  }
}
