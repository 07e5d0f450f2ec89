/// Combinatorial purged cross-validation (CPCV): the rows are cut into *N* contiguous groups
/// and every choice of *k* of them is a test set, purged and embargoed like
/// ``PurgedKFold`` (López de Prado 2018, *Advances in Financial Machine Learning*, §12.4).
///
/// There are C(*N*, *k*) splits, listed in lexicographic order of their test groups
/// (``testGroupCombinations()``). Each group is tested in C(*N* − 1, *k* − 1) of them, so
/// the out-of-sample predictions assemble into φ = (*k* / *N*) · C(*N*, *k*) = C(*N* − 1, *k* − 1)
/// complete backtest paths (``backtestPaths()``): path *p* takes, for each group *g*, the
/// *p*-th split (in split order) that tests *g*. Every (split, test group) pair is used by
/// exactly one path.
///
/// Groups are sized as ``KFold`` folds (the first `n % N` one row longer). Purging and the
/// embargo are applied for each test group separately, so a training group lying between
/// two test groups loses only the rows that overlap or follow its neighbours — a single
/// purge over the union's hull would discard it entirely. The rows must be in time order.
///
/// With *N* = `folds` and *k* = 1 this is ``PurgedKFold`` with one path.
///
/// Yields C(*N*, *k*) splits.
public struct CombinatorialPurgedKFold: Splitter, Hashable, Codable {
  /// The number of groups *N*, at least 2 and at most the row count.
  public var groupCount: Int
  /// The number of test groups per split *k*, in `1..<groupCount`.
  public var testGroupCount: Int
  /// The embargo as a fraction of the row count, in `[0, 1)`.
  public var embargo: Double

  /// Creates a combinatorial purged splitter.
  ///
  /// - Parameters:
  ///   - groupCount: The number of contiguous groups *N*; at least 2.
  ///   - testGroupCount: The test groups per split *k*, in `1..<groupCount`.
  ///   - embargo: The fraction of all rows embargoed after each test group, in `[0, 1)`,
  ///     rounded up to whole times as in ``PurgedKFold``.
  public init(groupCount: Int = 6, testGroupCount: Int = 2, embargo: Double = 0) {
    self.groupCount = groupCount
    self.testGroupCount = testGroupCount
    self.embargo = embargo
  }

  /// The test groups of each split, in split order: all *k*-subsets of `0..<N` in
  /// lexicographic order, each sorted ascending.
  ///
  /// - Returns: C(*N*, *k*) sorted lists of *k* group indices.
  /// - Throws: ``SplitterError`` when *N* < 2, *k* is outside `1..<N`, or C(*N*, *k*)
  ///   exceeds ``maximumSplits``.
  /// - Complexity: O(C(*N*, *k*) × *k*).
  public func testGroupCombinations() throws -> [[Int]] {
    try validateCounts()
    let n = groupCount
    let k = testGroupCount
    var combinations: [[Int]] = []
    combinations.reserveCapacity(try Self.binomial(n, k))
    var current = Array(0..<k)
    while true {
      combinations.append(current)
      // Advance the rightmost position that can still move right, then reset the rest.
      var position = k - 1
      while position >= 0, current[position] == n - k + position { position -= 1 }
      if position < 0 { break }
      current[position] += 1
      for later in (position + 1)..<k { current[later] = current[later - 1] + 1 }
    }
    return combinations
  }

  /// The φ = C(*N* − 1, *k* − 1) backtest paths: for each path, which split's test
  /// predictions fill each group.
  ///
  /// - Returns: φ paths; path *p* uses, for group *g*, the *p*-th split in split order
  ///   whose test groups contain *g*.
  /// - Throws: ``SplitterError`` for the same invalid counts as ``testGroupCombinations()``.
  /// - Complexity: O(C(*N*, *k*) × *k*).
  public func backtestPaths() throws -> [BacktestPath] {
    let combinations = try testGroupCombinations()
    var splitsTesting = [[Int]](repeating: [], count: groupCount)
    for (split, groups) in combinations.enumerated() {
      for group in groups { splitsTesting[group].append(split) }
    }
    let pathCount = try Self.binomial(groupCount - 1, testGroupCount - 1)
    return (0..<pathCount).map { path in
      BacktestPath(splitForGroup: splitsTesting.map { $0[path] })
    }
  }

  /// The rows of each group: *N* contiguous ranges covering `0..<rowCount`, the first
  /// `rowCount % N` one row longer.
  ///
  /// - Parameter rowCount: The number of rows, at least `groupCount`.
  /// - Returns: `groupCount` row ranges in order.
  /// - Throws: ``SplitterError`` when *N* < 2 or *N* > `rowCount`.
  public func groupRanges(rowCount: Int) throws -> [Range<Int>] {
    try Self.validateFolds(groupCount, name: "groupCount", rowCount: rowCount, splitter: "CombinatorialPurgedKFold")
    return Self.contiguousBlocks(rowCount: rowCount, folds: groupCount)
  }

  /// The C(*N*, *k*) purged and embargoed splits.
  ///
  /// - Parameter data: The rows, with ``SplitData/labelIntervals`` in time order.
  /// - Returns: C(*N*, *k*) splits, aligned with ``testGroupCombinations()``; each test set
  ///   is the union of its *k* groups.
  /// - Throws: ``SplitterError`` when label intervals are missing, their starts decrease,
  ///   *N* < 2, *N* > `rowCount`, *k* is outside `1..<N`, the embargo is outside `[0, 1)`,
  ///   C(*N*, *k*) overflows, or purging and embargo leave a split with no training row.
  /// - Complexity: O(C(*N*, *k*) × *k* × *n*).
  public func splits(for data: SplitData) throws -> [Split] {
    let name = "CombinatorialPurgedKFold"
    guard let intervals = data.labelIntervals else {
      throw SplitterError.missing(
        name, "label intervals", hint: "pass each row's label start and end as SplitData(rowCount:labelIntervals:)")
    }
    let ranges = try groupRanges(rowCount: data.rowCount)
    let combinations = try testGroupCombinations()
    try Purging.validateEmbargo(embargo, splitter: name)
    try intervals.validateSortedStarts(splitter: name)
    let h = Purging.embargoRows(fraction: embargo, rowCount: data.rowCount)
    return try combinations.enumerated().map { split, groups in
      let blocks = groups.map { ranges[$0] }
      let train = Purging.trainingRows(testBlocks: blocks, intervals: intervals, embargoRows: h)
      guard !train.isEmpty else {
        throw SplitterError.noTraining(
          name, split: split,
          hint:
            "with test groups \(groups), purging and an embargo of \(h) rows remove every training row; use more groups, fewer test groups, a smaller embargo or shorter labels"
        )
      }
      return Split(sortedTrain: train, sortedTest: blocks.flatMap { Array($0) })
    }
  }

  /// Assembles per-split test predictions into one full-length prediction series per
  /// backtest path.
  ///
  /// - Parameters:
  ///   - predictions: For each split (in split order), one prediction per test row, aligned
  ///     with that split's ``Split/test``.
  ///   - rowCount: The number of rows the splits were made for.
  /// - Returns: For each path in ``backtestPaths()`` order, `rowCount` predictions: row *r*
  ///   in group *g* takes the prediction of split `path.splitForGroup[g]` for row *r*.
  /// - Throws: ``SplitterError`` for invalid counts, or when `predictions` does not hold one
  ///   array per split of the right length.
  /// - Complexity: O(φ × *n* + C(*N*, *k*) × *k* × *n* / *N*).
  public func pathPredictions<Value>(_ predictions: [[Value]], rowCount: Int) throws -> [[Value]] {
    let name = "CombinatorialPurgedKFold"
    let ranges = try groupRanges(rowCount: rowCount)
    let combinations = try testGroupCombinations()
    guard predictions.count == combinations.count else {
      throw SplitterError(
        .lengthMismatch,
        "\(name): \(predictions.count) prediction arrays for \(combinations.count) splits; give one array per split, in split order"
      )
    }
    // Where each group's rows start inside each split's test list.
    var offset = [[Int]](repeating: [Int](repeating: -1, count: groupCount), count: combinations.count)
    for (split, groups) in combinations.enumerated() {
      let expected = groups.reduce(0) { $0 + ranges[$1].count }
      guard predictions[split].count == expected else {
        throw SplitterError(
          .lengthMismatch,
          "\(name): split \(split) has \(expected) test rows but \(predictions[split].count) predictions; give one prediction per test row, in Split.test order"
        )
      }
      var position = 0
      for group in groups {
        offset[split][group] = position
        position += ranges[group].count
      }
    }
    return try backtestPaths().map { path in
      var series: [Value] = []
      series.reserveCapacity(rowCount)
      for (group, split) in path.splitForGroup.enumerated() {
        let start = offset[split][group]
        series.append(contentsOf: predictions[split][start..<(start + ranges[group].count)])
      }
      return series
    }
  }

  private func validateCounts() throws {
    let name = "CombinatorialPurgedKFold"
    guard groupCount >= 2 else { throw SplitterError.invalidFolds(name, "groupCount", groupCount) }
    guard testGroupCount >= 1, testGroupCount < groupCount else {
      throw SplitterError(
        .invalidParameter,
        "\(name): testGroupCount is \(testGroupCount) with groupCount \(groupCount); it must be in 1..<\(groupCount) so every split keeps a training group"
      )
    }
    // Every split is built (and a model fitted per split): C(N, k) beyond a few thousand
    // is a mistake in the counts, not a study — refused before anything is allocated.
    let splits = try Self.binomial(groupCount, testGroupCount)
    guard splits <= Self.maximumSplits else {
      throw SplitterError(
        .tooManySplits,
        "\(name): C(\(groupCount), \(testGroupCount)) = \(splits) splits, more than the \(Self.maximumSplits) it builds; "
          + "use fewer groups or fewer test groups (López de Prado's examples use N = 6, k = 2: 15 splits)")
    }
  }

  /// The most splits the splitter builds.
  public static let maximumSplits = 10_000

  /// C(n, k), throwing when it overflows `Int`.
  static func binomial(_ n: Int, _ k: Int) throws -> Int {
    var result = 1
    // result × (n − i) is divisible by (i + 1) after each step: it is C(n, i + 1) × (i + 1).
    for i in 0..<min(k, n - k) {
      let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
      guard !overflow else {
        throw SplitterError(
          .tooManySplits,
          "CombinatorialPurgedKFold: C(\(n), \(k)) splits overflow Int; use fewer groups or a different testGroupCount")
      }
      result = product / (i + 1)
    }
    return result
  }
}
