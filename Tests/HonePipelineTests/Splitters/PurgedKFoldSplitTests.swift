import HonePipeline
import Testing

/// Purged k-fold with embargo on hand-worked examples (López de Prado 2018, ch. 7).
///
/// The ten rows below start at their own row (t₀ = i) and end at t₁:
///
///     row   0  1  2  3  4  5  6  7  8  9
///     t₀    0  1  2  3  4  5  6  7  8  9
///     t₁    2  1  3  5  8  5  7  7  9  9
///
/// Three folds test rows 0–3, 4–6 and 7–9 (sizes 4, 3, 3 as scikit-learn's KFold).
@Suite struct PurgedKFoldSplitTests {
  static let ends: [Int] = [2, 1, 3, 5, 8, 5, 7, 7, 9, 9]

  static func data(scale: Int64 = 1, offset: Int64 = 0) throws -> SplitData {
    let intervals = try LabelIntervals(
      starts: (0..<10).map { Int64($0) * scale + offset }, ends: ends.map { Int64($0) * scale + offset })
    return try SplitData(rowCount: 10, labelIntervals: intervals)
  }

  /// Without embargo:
  /// - fold 0 tests 0–3, whose labels reach t = 5 (row 3): rows 4 and 5 start by then and
  ///   are purged; 6–9 train.
  /// - fold 1 tests 4–6. The subtle case: the last test row ends at 7, but row 4's label
  ///   reaches 8, so rows 7 **and 8** are purged (purging to the last row's end would keep
  ///   row 8, whose label [8, 9] shares t = 8 with row 4's). Before the block, row 3
  ///   ([3, 5]) reaches into it and is purged. Train: 0, 1, 2, 9.
  /// - fold 2 tests 7–9 (starting at 7): rows 4 ([4, 8]) and 6 ([6, 7]) end at or after 7
  ///   and are purged; row 5 ([5, 5]) is not. Train: 0, 1, 2, 3, 5.
  @Test func purgeWithoutEmbargo() throws {
    let splits = try PurgedKFold(folds: 3).splits(for: Self.data())
    #expect(
      splits == [
        Split(train: [6, 7, 8, 9], test: [0, 1, 2, 3]),
        Split(train: [0, 1, 2, 9], test: [4, 5, 6]),
        Split(train: [0, 1, 2, 3, 5], test: [7, 8, 9]),
      ])
  }

  /// Embargo 0.1 of 10 rows = 1 row, counted after the purged region that follows each
  /// test block:
  /// - fold 0: purge stops before row 6, so row 6 is embargoed. Train: 7, 8, 9.
  /// - fold 1: purge stops before row 9, so row 9 is embargoed. Train: 0, 1, 2. An embargo
  ///   counted from the block's last row (6) would land on the already-purged row 7 and
  ///   keep row 9, right after the test labels end.
  /// - fold 2: nothing follows the block; rows before a block are never embargoed.
  @Test func embargoFollowsThePurgedRegion() throws {
    let splits = try PurgedKFold(folds: 3, embargo: 0.1).splits(for: Self.data())
    #expect(
      splits == [
        Split(train: [7, 8, 9], test: [0, 1, 2, 3]),
        Split(train: [0, 1, 2], test: [4, 5, 6]),
        Split(train: [0, 1, 2, 3, 5], test: [7, 8, 9]),
      ])
  }

  /// Embargo 0.2 = 2 rows: fold 0 also loses row 7; fold 1's embargo runs off the end.
  @Test func embargoStopsAtTheLastRow() throws {
    let splits = try PurgedKFold(folds: 3, embargo: 0.2).splits(for: Self.data())
    #expect(splits.map(\.train) == [[8, 9], [0, 1, 2], [0, 1, 2, 3, 5]])
  }

  /// The same labels on a daily nanosecond clock (as triple-barrier end times would be):
  /// purging compares times, so the splits are unchanged.
  @Test func timestampsPurgeLikeRowPositions() throws {
    let day: Int64 = 86_400_000_000_000
    let stamped = try Self.data(scale: day, offset: 1_700_000_000_000_000_000)
    for embargo in [0, 0.1, 0.2] {
      let splitter = PurgedKFold(folds: 3, embargo: embargo)
      #expect(try splitter.splits(for: stamped) == splitter.splits(for: Self.data()))
    }
  }

  /// Several rows can share a start time (two symbols on one bar): a row after a test block
  /// that starts with the block's last row overlaps it and is purged.
  @Test func tiedStartsArePurged() throws {
    let intervals = try LabelIntervals(starts: [0, 0, 1, 1, 2, 2, 3, 3], ends: [0, 0, 1, 1, 2, 2, 3, 3])
    let data = try SplitData(rowCount: 8, labelIntervals: intervals)
    // Folds of 3 rows (0–2), 3 rows (3–5) and 2 rows (6–7); row 3 shares t = 1 with row 2.
    let splits = try PurgedKFold(folds: 3).splits(for: data)
    #expect(splits.map(\.train) == [[4, 5, 6, 7], [0, 1, 6, 7], [0, 1, 2, 3, 4, 5]])
  }

  /// A panel of three symbols over six times (rows in time order, symbols within a time),
  /// labels ending where they start. Embargo 0.1 of 18 rows = 2 rows, and the row after
  /// them shares their time, so three rows — one whole time — are embargoed: fold 0 tests
  /// times 0–1 (rows 0–5), embargoes time 2 (rows 6–8) and trains on 9–17. Counted in rows
  /// alone, the embargo would train on row 8, the third symbol of an embargoed time.
  @Test func anEmbargoCoversWholeTimes() throws {
    let starts = (0..<18).map { Int64($0 / 3) }
    let data = try SplitData(rowCount: 18, labelIntervals: try LabelIntervals(starts: starts, ends: starts))
    let splits = try PurgedKFold(folds: 3, embargo: 0.1).splits(for: data)
    #expect(splits.map(\.train) == [Array(9..<18), Array(0..<6) + Array(15..<18), Array(0..<12)])
    let combinatorial = try CombinatorialPurgedKFold(groupCount: 3, testGroupCount: 1, embargo: 0.1).splits(for: data)
    #expect(combinatorial == splits)
  }

  /// Labels that do not span time (t₁ = t₀) and no embargo reduce purged k-fold to k-fold.
  @Test func pointLabelsGiveKFold() throws {
    let intervals = try LabelIntervals(endRows: Array(0..<23))
    let data = try SplitData(rowCount: 23, labelIntervals: intervals)
    #expect(try PurgedKFold(folds: 5).splits(for: data) == KFold(folds: 5).splits(for: data))
  }

  /// ceil(embargo × n), with exact-looking products taken at face value.
  @Test func embargoRows() {
    #expect(PurgedKFold(embargo: 0.07).embargoRows(rowCount: 100) == 7, "0.07 × 100 is 7.000000000000001 in binary")
    #expect(PurgedKFold(embargo: 0.01).embargoRows(rowCount: 250) == 3, "2.5 rounds up")
    #expect(PurgedKFold(embargo: 0.001).embargoRows(rowCount: 10) == 1, "any positive embargo drops a row")
    #expect(PurgedKFold(embargo: 0).embargoRows(rowCount: 10) == 0)
  }
}
