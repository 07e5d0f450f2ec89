import Foundation
import HoneCore
import HonePipeline
import Testing

/// Labels against a hand-worked example and the fixture script's independent loop
/// (López de Prado 2018 §3.4).
@Suite("Feature labels")
struct FeatureLabelTests {
  static let day: Int64 = 86_400 * 1_000_000_000

  static func dailyTable(_ close: [Double]) throws -> Table {
    try Table([
      .timestamp("timestamp", nanosecondsSinceEpoch: close.indices.map { Int64($0) * day }),
      .float("close", close),
    ])
  }

  @Test("triple barrier on a hand-worked path")
  func tripleBarrierByHand() throws {
    // σ = 2 % everywhere, barriers at ±2 %, at most 3 rows:
    // row 0 (100): 101 (+1 %), 103 (+3 %) → upper at row 2;
    // row 1 (101): 103 (+1.98 %), 99 (−1.98 %), 98 (−2.97 %) → lower at row 4 (= vertical; touch wins);
    // row 2 (103): 99 (−3.9 %) → lower at row 3;
    // row 3 (99): 98 (−1 %), 104 (+5.1 %) → upper at row 5, although its vertical barrier lies past the data;
    // row 4 (98): 104 (+6.1 %) → upper at row 5; row 5: no future, missing.
    let table = try Self.dailyTable([100, 101, 103, 99, 98, 104])
    let labels = try TripleBarrierLabel(
      profitTaking: 1, stopLoss: 1, maxHoldingRows: 3, volatility: .constant(value: 0.02)
    ).labels(for: table)
    #expect(labels.endRows == [2, 4, 3, 5, 5, nil])
    #expect(labels.values.prefix(5) == [1, -1, -1, 1, 1])
    #expect(labels.values[5].isNaN)
    #expect(abs(labels.returns[0] - 0.03) < 1e-15)
    #expect(labels.endTimes[0] == 2 * Self.day)
    #expect(labels.endTimes[5] == Column.missingTimestamp)

    // Two rows at most: row 1 reaches its vertical barrier at row 3 (−1.98 %) untouched.
    let short = TripleBarrierLabel(
      profitTaking: 1, stopLoss: 1, maxHoldingRows: 2, volatility: .constant(value: 0.02))
    let signed = try short.labels(for: table)
    #expect(signed.endRows[1] == 3)
    #expect(signed.values[1] == -1)
    var zero = short
    zero.verticalBarrierValue = .zero
    #expect(try zero.labels(for: table).values[1] == 0)
    // Row 3's vertical barrier (row 5) is inside the data now; row 4's (row 6) is not, but
    // it touches the upper barrier at row 5.
    #expect(signed.endRows[3] == 5)
    #expect(signed.endRows[4] == 5)
  }

  @Test("a time-limited vertical barrier ends at the first row at or after t0 + Δ")
  func timeBarrier() throws {
    // Rows on days 0, 1, 4, 5, 9: with Δ = 3 days, row 0's barrier is day 4 (row 2),
    // row 2's is day 9 (row 4), row 3's too; row 4 has no row after it.
    let days: [Int64] = [0, 1, 4, 5, 9]
    let table = try Table([
      .timestamp("timestamp", nanosecondsSinceEpoch: days.map { $0 * Self.day }),
      .float("close", [100, 100.5, 100.2, 99.9, 100.1]),
    ])
    let labels = try TripleBarrierLabel(
      profitTaking: 1, stopLoss: 1, maxHoldingTime: 3 * Self.day, volatility: .constant(value: 0.05),
      verticalBarrierValue: .zero
    ).labels(for: table)
    #expect(labels.endRows == [2, 2, 4, 4, nil])
    #expect(labels.values.prefix(4) == [0, 0, 0, 0])
  }

  static let generatorKeys = referenceLabelGenerators().map(\.0)

  @Test("labels match the reference on the synthetic series", arguments: generatorKeys)
  func syntheticMatches(_ key: String) throws {
    let fixtures = try FeatureReferenceTests.fixtures.get()
    let generator = try #require(referenceLabelGenerators().first { $0.0 == key }?.1)
    let labels = try generator.labels(for: try fixtures.syntheticTable())
    let expected = try #require(fixtures.synthetic.labels[key])
    #expect(labels.endRows == expected.end)
    // Same operations in the same order on both sides except the volatility's running
    // update, which agrees to ~1e-15 relative; 1e-12 leaves room and still fails on any
    // barrier touched at a different row (a return of a different day differs by ≥ 1e-4).
    #expect((scaledError(labels.values, expected.value) ?? .infinity) <= 1e-12)
    #expect((scaledError(labels.returns, expected.return) ?? .infinity) <= 1e-12)
  }

  @Test(
    "labels match the reference on AAPL", .enabled(if: SharedStocks.available, SharedStocks.skipMessage),
    arguments: generatorKeys)
  func realMatches(_ key: String) throws {
    let fixtures = try FeatureReferenceTests.fixtures.get()
    let generator = try #require(referenceLabelGenerators().first { $0.0 == key }?.1)
    let labels = try generator.labels(for: try SharedStocks.table("AAPL.csv"))
    let expected = try #require(fixtures.aapl.labels[key])
    let slice = fixtures.aapl.slice
    #expect(slice.map { labels.endRows[$0] } == expected.end)
    #expect((scaledError(slice.map { labels.values[$0] }, expected.value) ?? .infinity) <= 1e-12)
    #expect((scaledError(slice.map { labels.returns[$0] }, expected.return) ?? .infinity) <= 1e-12)
    #expect(labels.endRows.compactMap { $0 }.count == expected.defined)
    // Label values are ±1/0 (exact) or returns (each within 1e-12 relative): the sums
    // agree to 1e-9 absolute over ~5400 rows.
    let total = labels.values.filter { !$0.isNaN }.reduce(0, +)
    #expect(abs(total - (expected.valueSum ?? .nan)) <= 1e-9)
  }

  @Test("label columns carry t1 as a timestamp and its row as a float")
  func labelColumns() throws {
    let table = try Self.dailyTable([1, 2, 3, 4])
    let enriched = try ForwardReturnLabel(horizon: 2).labels(for: table).adding(to: table, named: "y")
    #expect(enriched.columnNames == ["timestamp", "close", "y", "y_return", "y_t1", "y_t1_row"])
    #expect(try enriched.column(named: "y_t1").values == .timestamp([2 * Self.day, 3 * Self.day, .min, .min]))
    let rows = try enriched.column(named: "y_t1_row").doubleValues
    #expect(rows[0] == 2 && rows[1] == 3 && rows[2].isNaN && rows[3].isNaN)
    #expect(try enriched.column(named: "y").doubleValues.prefix(2) == [2, 1])
  }
}
