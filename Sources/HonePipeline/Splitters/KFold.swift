import HoneCore

/// K-fold cross-validation: the rows are cut into `folds` blocks and each block is the test
/// set once, with every other row training.
///
/// Fold sizes follow scikit-learn's `KFold`: with *n* rows, the first `n % folds` folds hold
/// `n / folds + 1` rows and the rest `n / folds`. Without a shuffle seed the blocks are
/// contiguous and the splits equal scikit-learn's exactly. With a seed the rows are first
/// permuted by `Xoshiro256StarStar` (Fisher–Yates), so fold sizes agree with
/// scikit-learn but the rows in each fold do not (NumPy shuffles with a different
/// generator); the result is the same on every platform for a given seed.
///
/// Do not shuffle time-ordered data whose labels overlap in time — use ``PurgedKFold``.
///
/// Yields `folds` splits, in fold order.
public struct KFold: Splitter, Hashable, Codable {
  /// The number of folds, at least 2 and at most the row count.
  public var folds: Int
  /// The seed of the row shuffle, or `nil` for contiguous folds in row order.
  public var shuffleSeed: UInt64?

  /// Creates a k-fold splitter.
  ///
  /// - Parameters:
  ///   - folds: The number of folds (and splits); at least 2.
  ///   - shuffleSeed: A seed to shuffle rows before cutting folds, or `nil` not to shuffle.
  public init(folds: Int = 5, shuffleSeed: UInt64? = nil) {
    self.folds = folds
    self.shuffleSeed = shuffleSeed
  }

  /// The `folds` splits.
  ///
  /// - Parameter data: The rows; only ``SplitData/rowCount`` is used.
  /// - Returns: `folds` splits; split *f* tests fold *f*.
  /// - Throws: ``SplitterError`` when `folds < 2` or `folds > rowCount`.
  /// - Complexity: O(`folds` × *n*).
  public func splits(for data: SplitData) throws -> [Split] {
    try Self.validateFolds(folds, rowCount: data.rowCount, splitter: "KFold")
    var order = Array(0..<data.rowCount)
    if let shuffleSeed {
      var generator = Xoshiro256StarStar(seed: shuffleSeed)
      generator.shuffle(&order)
    }
    var foldOfRow = [Int](repeating: 0, count: data.rowCount)
    for (fold, block) in Self.contiguousBlocks(rowCount: data.rowCount, folds: folds).enumerated() {
      for position in block { foldOfRow[order[position]] = fold }
    }
    return Self.splits(fromFoldOfRow: foldOfRow, folds: folds)
  }
}
