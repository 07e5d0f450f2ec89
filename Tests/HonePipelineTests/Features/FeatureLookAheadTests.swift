import Foundation
import HoneCore
import HonePipeline
import Testing

/// Every feature and label generator passes the look-ahead check on the real stock files
/// and on a multi-symbol SyntheticMarket panel; and the check catches leaks it is shown.
@Suite("Feature look-ahead")
struct FeatureLookAheadTests {
  static let panelColumns = OHLCVColumns(symbol: "symbol")
  static let panelSet = FeatureSet(referenceFeatureSet.features, columns: panelColumns)

  @Test(
    "every feature on every stock file", .enabled(if: SharedStocks.available, SharedStocks.skipMessage),
    arguments: SharedStocks.files)
  func featuresOnStocks(_ file: String) throws {
    let table = try SharedStocks.table(file)
    // A prime stride moves the cuts across every window phase; the first cut is where
    // every feature is defined, and the last cut (second-to-last row) is always checked.
    let report = try LookAhead.check(
      { try referenceFeatureSet.apply(to: $0) }, on: table, startingAt: referenceFeatureSet.warmUpRows, stride: 397)
    #expect(report.passed, "\(file): \(report)")
    #expect(report.truncationsChecked >= 10)
  }

  @Test("every feature on a SyntheticMarket panel, at every cut")
  func featuresOnPanel() throws {
    let panel = try syntheticPanel()
    let report = try LookAhead.check(
      { try Self.panelSet.apply(to: $0) }, on: panel, startingAt: 3 * Self.panelSet.warmUpRows + 2, stride: 1)
    #expect(report.passed, "\(report)")
    #expect(report.truncationsChecked == panel.rowCount - 1 - (3 * Self.panelSet.warmUpRows + 2))
  }

  @Test(
    "every series indicator, at every cut",
    arguments: [
      "return", "log return", "lag", "mean", "std", "zscore", "min", "max", "skew", "ema", "rsi", "macd line",
      "macd signal", "bollinger", "atr", "obv", "ewm std",
    ])
  func seriesIndicators(_ name: String) throws {
    let panel = try syntheticPanel(days: 90)
    let close = try panel.rows(at: Array(Swift.stride(from: 0, to: panel.rowCount, by: 3)))
    let x = try close.column(named: "close").doubleValues
    let h = try close.column(named: "high").doubleValues
    let l = try close.column(named: "low").doubleValues
    let v = try close.column(named: "volume").doubleValues
    func take(_ s: [Double], _ n: Int) -> [Double] { Array(s.prefix(n)) }
    let indicator: ([Double]) throws -> [Double] =
      switch name {
      case "return": { try Indicators.simpleReturns($0, horizon: 3) }
      case "log return": { try Indicators.logReturns($0, horizon: 2) }
      case "lag": { try Indicators.lagged($0, by: 2) }
      case "mean": { try Indicators.rollingMean($0, window: 5) }
      case "std": { try Indicators.rollingStandardDeviation($0, window: 5) }
      case "zscore": { try Indicators.rollingZScore($0, window: 5) }
      case "min": { try Indicators.rollingMinimum($0, window: 5) }
      case "max": { try Indicators.rollingMaximum($0, window: 5) }
      case "skew": { try Indicators.rollingSkewness($0, window: 6) }
      case "ema": { try Indicators.exponentialMovingAverage($0, period: 6) }
      case "rsi": { try Indicators.relativeStrengthIndex($0, period: 6) }
      case "macd line": { try Indicators.macd($0, fast: 3, slow: 7, signal: 4).line }
      case "macd signal": { try Indicators.macd($0, fast: 3, slow: 7, signal: 4).histogram }
      case "bollinger": { try Indicators.bollingerBands($0, period: 5, deviations: 2).percentB }
      case "atr":
        { try Indicators.averageTrueRange(high: take(h, $0.count), low: take(l, $0.count), close: $0, period: 5) }
      case "obv": { try Indicators.onBalanceVolume(close: $0, volume: take(v, $0.count)) }
      default: { try Indicators.exponentialStandardDeviation($0, span: 8, minimumPeriods: 3) }
      }
    let report = try LookAhead.check(indicator, on: x, startingAt: 12, stride: 1)
    #expect(report.passed, "\(name): \(report)")
  }

  @Test(
    "every label generator on every stock file",
    .enabled(if: SharedStocks.available, SharedStocks.skipMessage), arguments: SharedStocks.files)
  func labelsOnStocks(_ file: String) throws {
    let table = try SharedStocks.table(file)
    for (key, generator) in referenceLabelGenerators() {
      let report = try LookAhead.checkLabels({ try generator.labels(for: $0) }, on: table, stride: 487)
      #expect(report.passed, "\(file) \(key): \(report)")
      #expect(report.truncationsChecked > 0)
    }
  }

  @Test("every label generator on a SyntheticMarket panel, at every row")
  func labelsOnPanel() throws {
    let panel = try syntheticPanel(days: 80)
    for (key, generator) in referenceLabelGenerators(columns: Self.panelColumns) {
      let report = try LookAhead.checkLabels({ try generator.labels(for: $0) }, on: panel, stride: 1)
      #expect(report.passed, "\(key): \(report)")
      #expect(report.truncationsChecked > panel.rowCount)
    }
  }

  // MARK: - The check can fail

  @Test("a centred moving average is caught at the first row that reads ahead")
  func catchesCentredWindow() throws {
    let table = try FeatureLabelTests.dailyTable((0..<30).map { Double($0 * $0 % 17) })
    let report = try LookAhead.check(
      { input in
        let x = try input.column(named: "close").doubleValues
        let centred = x.indices.map { i in i >= 1 && i + 1 < x.count ? (x[i - 1] + x[i] + x[i + 1]) / 3 : .nan }
        return try input.setting(.float("centred", centred))
      }, on: table)
    let violation = try #require(report.violation)
    // Cut after row 1: row 1's value needed row 2, so it becomes NaN there.
    #expect(violation.column == "centred")
    #expect(violation.row == 1)
    #expect(violation.lastRowKept == 1)
    #expect(violation.truncatedValue == nil)
  }

  @Test("a feature normalised by the whole series is caught")
  func catchesGlobalNormalisation() throws {
    let x = (0..<40).map { sin(Double($0)) + Double($0) / 10 }
    let report = try LookAhead.check(
      { s in
        let mean = s.reduce(0, +) / Double(s.count)
        return s.map { $0 - mean }
      }, on: x, stride: 5)
    #expect(!report.passed)
    #expect(report.violation?.row == 0)
  }

  @Test("a label that peeks one row past its t1 is caught; so is an overstated t1")
  func catchesLeakyLabels() throws {
    let table = try FeatureLabelTests.dailyTable([10, 11, 9, 12, 8, 13, 7, 14])
    func leaky(_ t: Table) throws -> Labels {
      let x = try t.column(named: "close").doubleValues
      let ts = try t.column(named: "timestamp")
      guard case .timestamp(let times) = ts.values else { throw FeatureError(.wrongColumnType, "timestamps") }
      // Claims to end at i + 1 but reads i + 2.
      let n = x.count
      return try Labels(
        values: x.indices.map { $0 + 2 < n ? x[$0 + 2] - x[$0] : .nan },
        returns: [Double](repeating: .nan, count: n),
        endRows: x.indices.map { $0 + 2 < n ? $0 + 1 : nil }, startTimes: times,
        endTimes: x.indices.map { $0 + 2 < n ? times[$0 + 1] : .min })
    }
    let report = try LookAhead.checkLabels(leaky, on: table)
    #expect(report.violation?.column == "value")
    #expect(report.violation?.row == 0)
    #expect(report.violation?.lastRowKept == 1)

    func overstated(_ t: Table) throws -> Labels {
      // A forward return that claims to end one row later than it does, whenever that
      // row exists.
      let labels = try ForwardReturnLabel(horizon: 1).labels(for: t)
      let n = labels.count
      let ends = labels.endRows.map { $0.map { $0 + 1 < n ? $0 + 1 : $0 } }
      let times = try t.column(named: "timestamp")
      guard case .timestamp(let stamps) = times.values else { throw FeatureError(.wrongColumnType, "timestamps") }
      return try Labels(
        values: labels.values, returns: labels.returns, endRows: ends, startTimes: labels.startTimes,
        endTimes: ends.map { $0.map { stamps[$0] } ?? .min })
    }
    let tight = try LookAhead.checkLabels(overstated, on: table)
    #expect(tight.violation?.column == "t1_row")
    #expect(tight.violation?.row == 0)
  }

  @Test("a transform that drops rows is refused")
  func refusesRowChanges() throws {
    let table = try FeatureLabelTests.dailyTable([1, 2, 3, 4])
    #expect(throws: FeatureError.self) {
      try LookAhead.check({ try $0.rows(0..<1) }, on: table)
    }
  }
}
