/// Walk-forward validation: a training window followed, after an optional gap, by a test
/// window, both moving forward through time by `step` rows per split.
///
/// With a rolling window the training set is always the latest `size` rows before the gap;
/// with an expanding window it starts at row 0 and grows by `step` rows per split. For
/// training size *w* (the rolling size or the expanding minimum), test size *t*, gap *g*
/// and step *s*, split *i* (from 0) trains on rows ending at `e = w + i·s` (exclusive) and
/// tests rows `[e + g, e + g + t)`. Only whole test windows are produced, so with *n* rows
/// there are `(n − w − g − t) / s + 1` splits. A step below *t* makes test windows
/// overlap; above *t* leaves rows untested.
///
/// The rows must be in time order. As with ``TimeSeriesSplit``, choose `gap` at least the
/// label horizon (in rows) so no training label reaches into the test window; ``PurgedKFold``
/// does this from the label intervals themselves.
///
/// Yields `(n − w − g − t) / s + 1` splits, oldest first.
public struct WalkForwardSplit: Splitter, Hashable, Codable {
  /// How the training window moves.
  public enum Window: Sendable, Hashable, Codable {
    /// The latest `size` rows before the gap train.
    case rolling(size: Int)
    /// All rows from the first up to the gap train; the first split has `minimumSize` rows.
    case expanding(minimumSize: Int)

    /// The first split's training rows.
    var initialSize: Int {
      switch self {
      case .rolling(let size): size
      case .expanding(let minimumSize): minimumSize
      }
    }
  }

  /// How the training window moves, and its size.
  public var window: Window
  /// The rows per test window, at least 1.
  public var testSize: Int
  /// Rows by which both windows advance per split, at least 1 (default: `testSize`, so test
  /// windows tile the series).
  public var step: Int
  /// Rows left out between the end of training and the start of testing, at least 0.
  public var gap: Int

  /// Creates a walk-forward splitter.
  ///
  /// - Parameters:
  ///   - window: A rolling window of fixed size or an expanding window with a minimum size.
  ///   - testSize: The rows per test window; at least 1.
  ///   - step: The rows both windows advance per split, or `nil` for `testSize`.
  ///   - gap: Rows dropped between training and testing; at least 0.
  public init(window: Window, testSize: Int, step: Int? = nil, gap: Int = 0) {
    self.window = window
    self.testSize = testSize
    self.step = step ?? testSize
    self.gap = gap
  }

  /// The walk-forward splits.
  ///
  /// - Parameter data: The rows; only ``SplitData/rowCount`` is used.
  /// - Returns: `(n − w − g − t) / s + 1` splits, test windows in time order.
  /// - Throws: ``SplitterError`` when a size or step is below 1, the gap is negative, or the
  ///   rows cannot hold one training window, the gap and one test window.
  /// - Complexity: O(splits × (*w* + *t*)) for the rolling window, O(splits × *n*) for the
  ///   expanding one.
  public func splits(for data: SplitData) throws -> [Split] {
    let name = "WalkForwardSplit"
    let n = data.rowCount
    let trainSize = window.initialSize
    for (parameter, value) in [("window size", trainSize), ("testSize", testSize), ("step", step)] where value < 1 {
      throw SplitterError(.invalidParameter, "\(name): \(parameter) is \(value); it must be at least 1 row")
    }
    guard gap >= 0 else {
      throw SplitterError(.invalidParameter, "\(name): gap is \(gap); it must be 0 or more rows")
    }
    // Sizes are user input; compare without risking overflow.
    guard trainSize <= n, gap <= n - trainSize, testSize <= n - trainSize - gap else {
      throw SplitterError(
        .tooFewRows,
        "\(name): a training window of \(trainSize) rows, a gap of \(gap) and a test window of \(testSize) need more than the \(n) rows available; shrink the windows or the gap"
      )
    }
    let count = (n - trainSize - gap - testSize) / step + 1
    return (0..<count).map { split in
      let trainEnd = trainSize + split * step
      let trainStart: Int
      switch window {
      case .rolling(let size): trainStart = trainEnd - size
      case .expanding: trainStart = 0
      }
      let testStart = trainEnd + gap
      return Split(sortedTrain: Array(trainStart..<trainEnd), sortedTest: Array(testStart..<(testStart + testSize)))
    }
  }
}
