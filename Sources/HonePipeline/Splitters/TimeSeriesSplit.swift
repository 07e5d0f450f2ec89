/// Time-series cross-validation: test blocks at the end of the series, each trained on the
/// rows before it (an expanding window, optionally capped), as scikit-learn's
/// `TimeSeriesSplit`.
///
/// With *n* rows, *s* splits and test size *t* (default `n / (s + 1)`), split *i* (from 0)
/// tests rows `[n − (s − i)·t, n − (s − i − 1)·t)` and trains on the rows before the test
/// block minus the last `gap` of them; with `maxTrainSize`, only the latest `maxTrainSize`
/// of those train. The splits equal scikit-learn 1.9's exactly. The rows must be in time
/// order; `gap` should cover the label horizon so no training label reaches into the test
/// block (or use ``PurgedKFold`` with label intervals).
///
/// Yields `splits` splits, oldest test block first.
public struct TimeSeriesSplit: Splitter, Hashable, Codable {
  /// The number of splits, at least 2.
  public var splits: Int
  /// The most training rows per split (the latest ones), or `nil` for all earlier rows.
  public var maxTrainSize: Int?
  /// The rows per test block, or `nil` for `rowCount / (splits + 1)`.
  public var testSize: Int?
  /// Rows left out between the end of training and the start of the test block.
  public var gap: Int

  /// Creates a time-series splitter.
  ///
  /// - Parameters:
  ///   - splits: The number of splits; at least 2.
  ///   - maxTrainSize: A cap on the training rows per split (at least 1), or `nil`.
  ///   - testSize: The rows per test block (at least 1), or `nil` for `rowCount / (splits + 1)`.
  ///   - gap: Rows dropped from the end of each training set, at least 0.
  public init(splits: Int = 5, maxTrainSize: Int? = nil, testSize: Int? = nil, gap: Int = 0) {
    self.splits = splits
    self.maxTrainSize = maxTrainSize
    self.testSize = testSize
    self.gap = gap
  }

  /// The `splits` time-ordered splits.
  ///
  /// - Parameter data: The rows; only ``SplitData/rowCount`` is used.
  /// - Returns: `splits` splits with test blocks in time order.
  /// - Throws: ``SplitterError`` when `splits < 2`, `maxTrainSize` or `testSize` is below 1,
  ///   `gap` is negative, `splits + 1 > rowCount`, or the test blocks and gap leave no
  ///   training row (`rowCount − gap − splits × testSize ≤ 0`).
  /// - Complexity: O(`splits` × *n*).
  public func splits(for data: SplitData) throws -> [Split] {
    let name = "TimeSeriesSplit"
    let n = data.rowCount
    guard splits >= 2 else { throw SplitterError.invalidFolds(name, "splits", splits) }
    if let maxTrainSize, maxTrainSize < 1 {
      throw SplitterError(
        .invalidParameter, "\(name): maxTrainSize is \(maxTrainSize); use a positive size, or nil for no cap")
    }
    if let testSize, testSize < 1 {
      throw SplitterError(
        .invalidParameter, "\(name): testSize is \(testSize); use a positive size, or nil for rowCount / (splits + 1)")
    }
    guard gap >= 0 else {
      throw SplitterError(.invalidParameter, "\(name): gap is \(gap); it must be 0 or more rows")
    }
    guard splits + 1 <= n else {
      throw SplitterError(
        .tooFewRows,
        "\(name): \(splits) splits need at least \(splits + 1) rows (one training block and one test block each), but there are \(n); use fewer splits"
      )
    }
    let size = testSize ?? n / (splits + 1)
    let (testRows, overflow) = size.multipliedReportingOverflow(by: splits)
    // Compared, not subtracted: n − gap − testRows can overflow for absurd gaps.
    guard !overflow, gap < n, testRows < n - gap else {
      throw SplitterError(
        .emptyTrainingSet,
        "\(name): \(splits) test blocks of \(size) rows plus a gap of \(gap) leave no training rows out of \(n); use fewer splits, a smaller testSize or a smaller gap"
      )
    }
    return (0..<splits).map { split in
      let testStart = n - (splits - split) * size
      let trainEnd = testStart - gap
      let trainStart = maxTrainSize.map { max(0, trainEnd - $0) } ?? 0
      return Split(sortedTrain: Array(trainStart..<trainEnd), sortedTest: Array(testStart..<(testStart + size)))
    }
  }
}
