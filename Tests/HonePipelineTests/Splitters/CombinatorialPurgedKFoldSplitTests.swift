import HonePipeline
import Testing

/// Combinatorial purged CV on hand-worked examples and its counting identities
/// (López de Prado 2018, §12.4).
@Suite struct CombinatorialPurgedKFoldSplitTests {
  /// The ten rows of ``PurgedKFoldSplitTests`` (t₀ = i, t₁ below) in N = 5 groups of two rows
  /// and k = 2 test groups, C(5, 2) = 10 splits. Each group is purged on its own.
  ///
  ///     row   0  1 | 2  3 | 4  5 | 6  7 | 8  9
  ///     t₁    2  1 | 3  5 | 8  5 | 7  7 | 9  9
  ///
  /// Worked, e.g. for test groups {0, 3} (rows 0, 1, 6, 7): group 0's labels reach t = 2,
  /// so row 2 is purged; group 3 starts at t = 6, so row 4 ([4, 8]) is purged. Rows 3 and
  /// 5 lie between the test groups but overlap neither and train — one purge over the
  /// hull [0, 7] of the union would have dropped them. For {0, 2}: row 3 ([3, 5]) reaches
  /// group 2 and rows 6–8 start before group 2's labels end at t = 8; only row 9 trains.
  @Test func splitsByHand() throws {
    let intervals = try LabelIntervals(endRows: [2, 1, 3, 5, 8, 5, 7, 7, 9, 9])
    let data = try SplitData(rowCount: 10, labelIntervals: intervals)
    let splitter = CombinatorialPurgedKFold(groupCount: 5, testGroupCount: 2)
    #expect(
      try splitter.testGroupCombinations() == [
        [0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4],
      ])
    #expect(
      try splitter.splits(for: data) == [
        Split(train: [6, 7, 8, 9], test: [0, 1, 2, 3]),
        Split(train: [9], test: [0, 1, 4, 5]),
        Split(train: [3, 5, 8, 9], test: [0, 1, 6, 7]),
        Split(train: [3, 5, 6, 7], test: [0, 1, 8, 9]),
        Split(train: [1, 9], test: [2, 3, 4, 5]),
        Split(train: [1, 8, 9], test: [2, 3, 6, 7]),
        Split(train: [1, 6, 7], test: [2, 3, 8, 9]),
        Split(train: [0, 1, 2, 9], test: [4, 5, 6, 7]),
        Split(train: [0, 1, 2], test: [4, 5, 8, 9]),
        Split(train: [0, 1, 2, 3, 5], test: [6, 7, 8, 9]),
      ])

  }

  /// Embargo per test group, on twelve rows in N = 4 groups of three (k = 2) with an
  /// embargo of 0.05 × 12 → 1 row:
  ///
  ///     row   0  1  2 | 3  4  5 | 6  7  8 | 9 10 11
  ///     t₁    1  1  2 | 4  4  5 | 9  7  8 | 9 10 11
  ///
  /// Group 2's first label, [6, 9], reaches past its last row's [8, 8], so after group 2
  /// row 9 is purged and the embargo takes row 10; group 3 starts at t = 9, which purges
  /// row 6 before it. Group 0's embargo takes row 3 and group 1's row 6 — unless those rows
  /// are tested, when the embargo removes nothing.
  @Test func embargoPerTestGroupByHand() throws {
    let intervals = try LabelIntervals(endRows: [1, 1, 2, 4, 4, 5, 9, 7, 8, 9, 10, 11])
    let data = try SplitData(rowCount: 12, labelIntervals: intervals)
    let splits = try CombinatorialPurgedKFold(groupCount: 4, testGroupCount: 2, embargo: 0.05).splits(for: data)
    #expect(
      splits == [
        Split(train: [7, 8, 9, 10, 11], test: [0, 1, 2, 3, 4, 5]),
        Split(train: [4, 5, 11], test: [0, 1, 2, 6, 7, 8]),
        Split(train: [4, 5, 7, 8], test: [0, 1, 2, 9, 10, 11]),
        Split(train: [0, 1, 2, 11], test: [3, 4, 5, 6, 7, 8]),
        Split(train: [0, 1, 2, 7, 8], test: [3, 4, 5, 9, 10, 11]),
        Split(train: [0, 1, 2, 3, 4, 5], test: [6, 7, 8, 9, 10, 11]),
      ])
    let unembargoed = try CombinatorialPurgedKFold(groupCount: 4, testGroupCount: 2).splits(for: data)
    #expect(unembargoed[1] == Split(train: [3, 4, 5, 10, 11], test: [0, 1, 2, 6, 7, 8]))
  }

  /// φ = C(4, 1) = 4 paths. Splits testing each group, in order:
  /// group 0: 0, 1, 2, 3; group 1: 0, 4, 5, 6; group 2: 1, 4, 7, 8; group 3: 2, 5, 7, 9;
  /// group 4: 3, 6, 8, 9. Path p takes the p-th entry of each list.
  @Test func pathsByHand() throws {
    let paths = try CombinatorialPurgedKFold(groupCount: 5, testGroupCount: 2).backtestPaths()
    #expect(
      paths.map(\.splitForGroup) == [
        [0, 0, 1, 2, 3],
        [1, 4, 4, 5, 6],
        [2, 5, 7, 7, 8],
        [3, 6, 8, 9, 9],
      ])
  }

  static func binomial(_ n: Int, _ k: Int) -> Int {
    k < 0 || k > n ? 0 : (0..<k).reduce(1) { $0 * (n - $1) / ($1 + 1) }
  }

  /// C(N, k) splits; every group tested in C(N − 1, k − 1) of them; φ = (k / N)·C(N, k)
  /// paths, each covering every group once with a split that tests it; and every
  /// (split, test group) pair used by exactly one path.
  @Test(arguments: [(2, 1), (4, 2), (5, 2), (6, 2), (6, 3), (7, 1), (8, 4), (10, 3)])
  func countingIdentities(groups: Int, testGroups: Int) throws {
    let splitter = CombinatorialPurgedKFold(groupCount: groups, testGroupCount: testGroups)
    let combinations = try splitter.testGroupCombinations()
    #expect(combinations.count == Self.binomial(groups, testGroups))
    #expect(Set(combinations).count == combinations.count)
    for group in 0..<groups {
      #expect(combinations.count(where: { $0.contains(group) }) == Self.binomial(groups - 1, testGroups - 1))
    }
    let paths = try splitter.backtestPaths()
    #expect(paths.count * groups == testGroups * combinations.count, "φ = (k / N)·C(N, k)")
    var used: [[Int]: Int] = [:]
    for path in paths {
      #expect(path.splitForGroup.count == groups)
      for (group, split) in path.splitForGroup.enumerated() {
        #expect(combinations[split].contains(group))
        used[[split, group], default: 0] += 1
      }
    }
    #expect(used.count == combinations.count * testGroups)
    #expect(used.values.allSatisfy { $0 == 1 })
  }

  /// Every row appears in the test sets of exactly C(N − 1, k − 1) splits.
  @Test(arguments: [(23, 5, 2), (40, 6, 3), (9, 9, 4)])
  func rowsTestedEquallyOften(rows: Int, groups: Int, testGroups: Int) throws {
    let data = try SplitData(rowCount: rows, labelIntervals: LabelIntervals(endRows: Array(0..<rows)))
    let splits = try CombinatorialPurgedKFold(groupCount: groups, testGroupCount: testGroups).splits(for: data)
    var tested = [Int](repeating: 0, count: rows)
    for split in splits { for row in split.test { tested[row] += 1 } }
    #expect(tested.allSatisfy { $0 == Self.binomial(groups - 1, testGroups - 1) })
  }

  /// Each path's predictions, assembled from per-split test predictions, cover every row
  /// once, each from the split the path names for the row's group.
  /// C(40, 20) ≈ 1.4e11 splits (and a model fitted for each) is refused before anything
  /// is allocated; C(14, 7) = 3432 is built.
  @Test func tooManySplitsAreRefused() throws {
    #expect(throws: SplitterError.self) {
      try CombinatorialPurgedKFold(groupCount: 40, testGroupCount: 20).testGroupCombinations()
    }
    #expect(try CombinatorialPurgedKFold(groupCount: 14, testGroupCount: 7).testGroupCombinations().count == 3432)
  }

  @Test func pathPredictionsAssembleEachRowOnce() throws {
    let rows = 17
    let splitter = CombinatorialPurgedKFold(groupCount: 5, testGroupCount: 2)
    let data = try SplitData(rowCount: rows, labelIntervals: LabelIntervals(endRows: Array(0..<rows)))
    let splits = try splitter.splits(for: data)
    // A prediction that records which split made it for which row.
    let predictions = splits.enumerated().map { index, split in split.test.map { [index, $0] } }
    let series = try splitter.pathPredictions(predictions, rowCount: rows)
    let paths = try splitter.backtestPaths()
    let ranges = try splitter.groupRanges(rowCount: rows)
    #expect(series.count == paths.count)
    for (path, values) in zip(paths, series) {
      #expect(values.map { $0[1] } == Array(0..<rows))
      for (group, range) in ranges.enumerated() {
        #expect(range.allSatisfy { values[$0][0] == path.splitForGroup[group] })
      }
    }
    #expect(throws: SplitterError.self) { try splitter.pathPredictions(predictions.dropLast(), rowCount: rows) }
  }

  /// With one test group CPCV is purged k-fold, with a single path.
  @Test func oneTestGroupIsPurgedKFold() throws {
    let intervals = try LabelIntervals(endRows: [2, 1, 3, 5, 8, 5, 7, 7, 9, 9])
    let data = try SplitData(rowCount: 10, labelIntervals: intervals)
    let cpcv = CombinatorialPurgedKFold(groupCount: 3, testGroupCount: 1, embargo: 0.1)
    #expect(try cpcv.splits(for: data) == PurgedKFold(folds: 3, embargo: 0.1).splits(for: data))
    #expect(try cpcv.backtestPaths() == [BacktestPath(splitForGroup: [0, 1, 2])])
  }
}
