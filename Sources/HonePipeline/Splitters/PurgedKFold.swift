/// K-fold cross-validation for labels that span time: contiguous test blocks, with
/// training rows whose labels overlap the test period purged and the rows after each test
/// block embargoed (López de Prado 2018, *Advances in Financial Machine Learning*, ch. 7).
///
/// A label on row *i* is decided by information in `[t₀ᵢ, t₁ᵢ]` (``LabelIntervals``). When a
/// training label's interval overlaps a test label's, the model is trained on an outcome
/// the test period also decides, and the test score is inflated — leakage. For each fold:
///
/// 1. **Test**: the fold's contiguous block of rows, sized as ``KFold`` (the first
///    `n % folds` blocks one row longer).
/// 2. **Purge** (§7.4.1): drop every training row whose interval `[t₀ᵢ, t₁ᵢ]` overlaps the
///    interval of any test row. Before the block this drops rows with `t₁ᵢ ≥ t₀` of the
///    block's first row; after the block, rows with `t₀ᵢ ≤ max t₁` over the whole block —
///    the maximum, since a test row before the last may have the label reaching furthest.
/// 3. **Embargo** (§7.4.2): drop the next `h = ceil(embargo × n)` rows after the purged
///    region that follows the block, because features of the rows just after the test
///    period are serially correlated with the test labels — and with them any further
///    rows that start at the same time as the last of them, so in a panel (one row per
///    symbol and time) the embargo covers whole times. Rows before a test block are not
///    embargoed: their information precedes the test period.
///
/// The rows must be in time order (``LabelIntervals/starts`` never decreasing). López de
/// Prado computes `h` with a floor; Hone uses the ceiling so that any positive embargo
/// drops at least one row.
///
/// Yields `folds` splits, test blocks in time order.
public struct PurgedKFold: Splitter, Hashable, Codable {
  /// The number of folds, at least 2 and at most the row count.
  public var folds: Int
  /// The embargo as a fraction of the row count, in `[0, 1)`.
  public var embargo: Double

  /// Creates a purged k-fold splitter.
  ///
  /// - Parameters:
  ///   - folds: The number of folds (and splits); at least 2.
  ///   - embargo: The fraction of all rows embargoed after each test block, in `[0, 1)`,
  ///     rounded up to whole times; López de Prado suggests about 0.01.
  public init(folds: Int = 5, embargo: Double = 0) {
    self.folds = folds
    self.embargo = embargo
  }

  /// The embargo in rows for `rowCount` rows: `ceil(embargo × rowCount)`, with products
  /// within 1e-9 of an integer taken as that integer (0.07 × 100 embargoes 7 rows, not 8).
  /// A split embargoes more when the rows after these start at the same time as the last
  /// of them.
  ///
  /// - Parameter rowCount: The number of rows.
  /// - Returns: The rows embargoed after each test block.
  public func embargoRows(rowCount: Int) -> Int {
    Purging.embargoRows(fraction: embargo, rowCount: rowCount)
  }

  /// The `folds` purged and embargoed splits.
  ///
  /// - Parameter data: The rows, with ``SplitData/labelIntervals`` in time order.
  /// - Returns: `folds` splits; split *f* tests the *f*-th block of rows.
  /// - Throws: ``SplitterError`` when label intervals are missing, their starts decrease,
  ///   `folds < 2`, `folds > rowCount`, the embargo is outside `[0, 1)`, or purging and
  ///   embargo leave some split with no training row.
  /// - Complexity: O(`folds` × *n*).
  public func splits(for data: SplitData) throws -> [Split] {
    let name = "PurgedKFold"
    guard let intervals = data.labelIntervals else {
      throw SplitterError.missing(
        name, "label intervals",
        hint:
          "pass each row's label start and end as SplitData(rowCount:labelIntervals:), or use KFold for labels that do not span time"
      )
    }
    try Self.validateFolds(folds, rowCount: data.rowCount, splitter: name)
    try Purging.validateEmbargo(embargo, splitter: name)
    try intervals.validateSortedStarts(splitter: name)
    let h = embargoRows(rowCount: data.rowCount)
    return try Self.contiguousBlocks(rowCount: data.rowCount, folds: folds).enumerated().map { fold, block in
      let train = Purging.trainingRows(testBlocks: [block], intervals: intervals, embargoRows: h)
      guard !train.isEmpty else {
        throw SplitterError.noTraining(
          name, split: fold,
          hint:
            "the label intervals of rows \(block.lowerBound)..<\(block.upperBound) overlap every other row's, or the embargo (\(h) rows) covers the rest; use fewer folds, a smaller embargo or shorter labels"
        )
      }
      return Split(sortedTrain: train, sortedTest: Array(block))
    }
  }
}
