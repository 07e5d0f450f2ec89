import Foundation
import HoneCore
import HonePipeline
import Testing

/// Features against TA-Lib, pandas and two-pass numpy references
/// (`Fixtures/make_feature_fixtures.py`).
///
/// Tolerance: 1e-10 of each feature's largest reference value. Both sides evaluate the
/// same formulas in IEEE doubles; they differ only in summation order — TA-Lib keeps
/// running sums for its SMA and takes the Bollinger variance as E[x²] − mean², losing
/// about `window · ε · mean²/σ²` ≈ 1e-12 on daily prices. A convention error (another
/// EMA seed, ddof, smoothing factor or skew bias) moves values by 1e-3 or more, so the
/// bound separates the two by seven orders of magnitude. Measured: EMA, MACD, OBV,
/// returns and calendar fields agree exactly; RSI, ATR, means and deviations to 1e-15;
/// skewness to 2e-14; Bollinger %b and width to 5e-13. NaN patterns (warm-ups) must
/// match exactly.
@Suite("Feature references")
struct FeatureReferenceTests {
  static let fixtures = Result { try FeatureFixtures.load() }
  static let tolerance = 1e-10

  @Test("synthetic series: every feature matches its reference on every row")
  func syntheticMatches() throws {
    let fixtures = try Self.fixtures.get()
    let table = try referenceFeatureSet.apply(to: try fixtures.syntheticTable())
    for name in referenceFeatureSet.outputNames {
      let expected = try #require(fixtures.synthetic.features[name], "no reference for \(name)")
      let error = scaledError(try table.column(named: name).doubleValues, expected)
      #expect((error ?? .infinity) <= Self.tolerance, "\(name): scaled error \(String(describing: error))")
    }
    let returns = try Indicators.simpleReturns(fixtures.synthetic.close)
    let volatility = try Indicators.exponentialStandardDeviation(returns, span: 50, minimumPeriods: 20)
    let error = scaledError(volatility, try #require(fixtures.synthetic.features["ewm_std_returns_50_20"]))
    #expect((error ?? .infinity) <= Self.tolerance, "ewm std: \(String(describing: error))")
  }

  @Test(
    "AAPL: every feature matches on the stored rows, and in count and sum over the file",
    .enabled(if: SharedStocks.available, SharedStocks.skipMessage))
  func realMatches() throws {
    let fixtures = try Self.fixtures.get()
    let source = try SharedStocks.table("AAPL.csv")
    #expect(source.rowCount == fixtures.aapl.rows)
    let table = try referenceFeatureSet.apply(to: source)
    var all: [String: [Double]] = [:]
    for name in referenceFeatureSet.outputNames { all[name] = try table.column(named: name).doubleValues }
    let close = try source.column(named: "close").doubleValues
    all["ewm_std_returns_50_20"] = try Indicators.exponentialStandardDeviation(
      try Indicators.simpleReturns(close), span: 50, minimumPeriods: 20)
    for (name, values) in all.sorted(by: { $0.key < $1.key }) {
      let expected = try #require(fixtures.aapl.features[name], "no reference for \(name)")
      let error = scaledError(fixtures.aapl.slice.map { values[$0] }, expected)
      #expect((error ?? .infinity) <= Self.tolerance, "\(name): scaled error \(String(describing: error))")
      let summary = try #require(fixtures.aapl.summary[name])
      let defined = values.filter { !$0.isNaN }
      #expect(defined.count == summary.defined, "\(name): defined count")
      // Per-value error ≤ 1e-10 of the scale plus a left-to-right sum's n·ε·Σ|x| (n ≈ 5400,
      // ≈ 6e-13 Σ|x|): 1e-10 of Σ|x| bounds both.
      let total = defined.reduce(0, +)
      #expect(abs(total - summary.sum) <= 1e-10 * max(summary.absSum, 1), "\(name): sum \(total) vs \(summary.sum)")
    }
  }

  @Test("MACD line starts at row slow − 1, its signal and histogram at slow + signal − 2")
  func macdWarmUp() throws {
    let values: [Double] = (0..<60).map { (i: Int) -> Double in
      let t = Double(i)
      return 100 + 5 * sin(t / 3) + t / 10
    }
    let macd = try Indicators.macd(values, fast: 12, slow: 26, signal: 9)
    #expect(macd.line.firstIndex { !$0.isNaN } == 25)
    #expect(macd.signal.firstIndex { !$0.isNaN } == 33)
    #expect(macd.histogram.firstIndex { !$0.isNaN } == 33)
  }

  @Test("RSI of a flat start is 50, and of a steadily rising series 100")
  func rsiClosedForms() throws {
    let flat = try Indicators.relativeStrengthIndex([Double](repeating: 10, count: 20), period: 14)
    #expect(flat[14] == 50)
    let rising = try Indicators.relativeStrengthIndex((0..<20).map(Double.init), period: 14)
    #expect(rising[14...].allSatisfy { $0 == 100 })
    #expect(rising[..<14].allSatisfy { $0.isNaN })
  }

  @Test("EMA of a constant is that constant; Wilder smoothing of a step has the closed form")
  func smoothingClosedForms() throws {
    let ema = try Indicators.exponentialMovingAverage([Double](repeating: 3, count: 10), period: 4)
    #expect(ema[3...].allSatisfy { $0 == 3 })
    // ATR with a constant true range of 2 after a seed of 2s stays 2; a true range of 8 at
    // row 7 (high 17, low 9, previous close 10) moves it by (8 − 2)/period, the definition
    // of Wilder's smoothing.
    let close = [Double](repeating: 10, count: 8)
    var high = close.map { $0 + 1 }
    let low = close.map { $0 - 1 }
    high[7] = 17
    let atr = try Indicators.averageTrueRange(high: high, low: low, close: close, period: 4)
    #expect(atr[4] == 2)
    #expect(atr[6] == 2)
    #expect(atr[7] == 2 + 6.0 / 4)
  }

  @Test("calendar fields across 1969/1970 and a leap year, against hand-checked dates")
  func calendarFields() {
    // 1969-12-31T23:59:00Z (Wednesday, ISO week 1 of 1970), 2024-02-29T13:45:00Z
    // (Thursday, week 9), 2021-01-03T00:00:00Z (Sunday, ISO week 53 of 2020).
    let timestamps: [Int64] = [-60_000_000_000, 1_709_214_300_000_000_000, 1_609_632_000_000_000_000]
    func values(_ field: CalendarField) -> [Double] { field.values(for: timestamps) }
    #expect(values(.dayOfWeek) == [2, 3, 6])
    #expect(values(.dayOfMonth) == [31, 29, 3])
    #expect(values(.dayOfYear) == [365, 60, 3])
    #expect(values(.isoWeek) == [1, 9, 53])
    #expect(values(.month) == [12, 2, 1])
    #expect(values(.quarter) == [4, 1, 1])
    #expect(values(.year) == [1969, 2024, 2021])
    #expect(values(.hour) == [23, 13, 0])
    #expect(values(.minute) == [59, 45, 0])
  }

  @Test("a panel gives each symbol exactly what that symbol alone gives")
  func panelEqualsPerSymbol() throws {
    let panel = try syntheticPanel()
    let set = FeatureSet(referenceFeatureSet.features, columns: OHLCVColumns(symbol: "symbol"))
    let enriched = try set.apply(to: panel)
    for symbol in ["AAA", "BBB", "CCC"] {
      let mask = (0..<panel.rowCount).map { try? panel.column(named: "symbol").text(at: $0) == symbol }
      let rows = mask.indices.filter { mask[$0] == true }
      let alone = try referenceFeatureSet.apply(to: try panel.rows(at: rows))
      for name in set.outputNames {
        let fromPanel = try enriched.column(named: name).doubleValues
        let single = try alone.column(named: name).doubleValues
        let same = zip(rows.map { fromPanel[$0] }, single).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        #expect(same, "\(symbol) \(name)")
      }
    }
  }
}
