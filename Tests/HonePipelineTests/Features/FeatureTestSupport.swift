import Foundation
import HoneCore
import HoneDatasets
import HonePipeline
import Testing

/// The reference values written by `Fixtures/make_feature_fixtures.py`.
struct FeatureFixtures: Decodable {
  struct Summary: Decodable {
    let defined: Int
    let sum: Double
    let absSum: Double
  }
  struct LabelReference: Decodable {
    let value: [Double?]
    let `return`: [Double?]
    let end: [Int?]
    let defined: Int?
    let valueSum: Double?
  }
  struct Real: Decodable {
    let file: String
    let rows: Int
    let slice: [Int]
    let features: [String: [Double?]]
    let summary: [String: Summary]
    let labels: [String: LabelReference]
  }
  struct Synthetic: Decodable {
    let timestamp: [Int64]
    let open: [Double]
    let high: [Double]
    let low: [Double]
    let close: [Double]
    let volume: [Double]
    let features: [String: [Double?]]
    let labels: [String: LabelReference]
  }
  let aapl: Real
  let synthetic: Synthetic

  static func load() throws -> FeatureFixtures {
    let url = try #require(
      Bundle.module.url(forResource: "feature_fixtures", withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(FeatureFixtures.self, from: Data(contentsOf: url))
  }

  /// The synthetic series as an OHLCV table.
  func syntheticTable() throws -> Table {
    try Table([
      .timestamp("timestamp", nanosecondsSinceEpoch: synthetic.timestamp),
      .float("open", synthetic.open), .float("high", synthetic.high), .float("low", synthetic.low),
      .float("close", synthetic.close), .float("volume", synthetic.volume),
    ])
  }
}

/// Every feature the fixture script computes, under the names Hone gives them.
let referenceFeatureSet = FeatureSet(
  [
    .simpleReturn(column: "close", horizon: 1), .simpleReturn(column: "close", horizon: 5),
    .logReturn(column: "close", horizon: 1), .logReturn(column: "close", horizon: 5),
    .lag(column: "close", periods: 1), .lag(column: "close", periods: 3),
    .rollingMean(column: "close", window: 20), .rollingStandardDeviation(column: "close", window: 20),
    .rollingZScore(column: "close", window: 20), .rollingMinimum(column: "close", window: 20),
    .rollingMaximum(column: "close", window: 20), .rollingSkewness(column: "close", window: 20),
    .exponentialMovingAverage(column: "close", period: 12), .relativeStrengthIndex(column: "close", period: 14),
    .macd(column: "close", fast: 12, slow: 26, signal: 9), .bollingerBands(column: "close", period: 20, deviations: 2),
    .averageTrueRange(period: 14), .onBalanceVolume, .volumeZScore(window: 20),
  ] + CalendarField.allCases.map { .calendar(field: $0) })

/// The label generators the fixture script mirrors, by fixture key.
func referenceLabelGenerators(columns: OHLCVColumns = OHLCVColumns()) -> [(String, any LabelGenerator)] {
  let volatility = TripleBarrierLabel.Volatility.exponentialStandardDeviation(span: 50, minimumPeriods: 20)
  return [
    ("forward_5", ForwardReturnLabel(horizon: 5, columns: columns)),
    ("forward_log_5", ForwardReturnLabel(horizon: 5, logarithmic: true, columns: columns)),
    ("threshold_5_0.01", ThresholdLabel(horizon: 5, threshold: 0.01, columns: columns)),
    (
      "triple_barrier_rows",
      TripleBarrierLabel(profitTaking: 2, stopLoss: 1, maxHoldingRows: 10, volatility: volatility, columns: columns)
    ),
    (
      "triple_barrier_time",
      TripleBarrierLabel(
        profitTaking: 1, stopLoss: 2, maxHoldingTime: 14 * 86_400 * 1_000_000_000, volatility: volatility,
        verticalBarrierValue: .zero, columns: columns)
    ),
  ]
}

/// The shared real datasets: `$HONE_DATASETS` (relative to the package root), else
/// `../shared/datasets` beside the package.
enum SharedStocks {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let directory: URL? = {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    let url =
      configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
    let stocks = url.appendingPathComponent("stocks_daily")
    return FileManager.default.fileExists(atPath: stocks.path) ? stocks : nil
  }()

  static var available: Bool { directory != nil }
  static let skipMessage: Comment = "shared datasets not found: set HONE_DATASETS or add ../shared/datasets"

  /// The stock files present (empty when the datasets are absent).
  static let files: [String] = {
    guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
      return []
    }
    return names.filter { $0.hasSuffix(".csv") }.sorted()
  }()

  static func table(_ file: String) throws -> Table {
    let directory = try #require(directory)
    return try CSV.read(contentsOf: directory.appendingPathComponent(file).path)
  }
}

/// A multi-symbol SyntheticMarket panel, rows ordered by day then symbol.
func syntheticPanel(days: Int = 120, seed: UInt64 = 11) throws -> Table {
  try SyntheticMarket.generate(.init(symbols: ["AAA", "BBB", "CCC"], days: days, seed: seed))
}

/// The largest absolute difference over rows where the reference is defined, divided by
/// the reference's largest absolute value there; `nil` when the NaN patterns differ.
func scaledError(_ actual: [Double], _ expected: [Double?]) -> Double? {
  guard actual.count == expected.count else { return nil }
  var worst = 0.0
  var scale = 0.0
  for (a, e) in zip(actual, expected) {
    guard let e else {
      if !a.isNaN { return nil }
      continue
    }
    if a.isNaN { return nil }
    worst = max(worst, abs(a - e))
    scale = max(scale, abs(e))
  }
  return scale > 0 ? worst / scale : worst
}
