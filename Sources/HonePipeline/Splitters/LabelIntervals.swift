/// The span of time each row's label looks at: row *i*'s label is decided by information
/// in the closed interval `[starts[i], ends[i]]` (López de Prado 2018, *Advances in
/// Financial Machine Learning*, §7.4: t₀ and t₁ of each observation).
///
/// The values are `Int64` so the same type holds either timestamps (nanoseconds since the
/// epoch, as `Table` stores them, and as triple-barrier labels report their end time `t1`)
/// or row positions (a label whose horizon ends 5 rows later has `ends[i] = i + 5`). Purging
/// only compares starts with ends, so any monotone clock works as long as both use it.
///
/// ```swift
/// // Forward returns over 3 bars, as row positions:
/// let intervals = try LabelIntervals(endRows: (0..<n).map { min($0 + 3, n - 1) })
/// // Triple-barrier labels with timestamp end times:
/// let intervals = try LabelIntervals(starts: timestamps, ends: barrierTouchTimes)
/// ```
public struct LabelIntervals: Sendable, Hashable, Codable {
  /// When each row's label starts (t₀), one value per row.
  public let starts: [Int64]
  /// When each row's label ends (t₁, inclusive), one value per row.
  public let ends: [Int64]

  /// The number of rows.
  public var count: Int { starts.count }

  /// Creates label intervals from start and end times.
  ///
  /// Starts need not be sorted here; splitters that rely on time order (``PurgedKFold``,
  /// ``CombinatorialPurgedKFold``) check it themselves.
  ///
  /// - Parameters:
  ///   - starts: The start time t₀ of each row's label.
  ///   - ends: The end time t₁ of each row's label, at or after its start.
  /// - Throws: ``SplitterError`` when the counts differ, an end is missing
  ///   (`Int64.min`, `Table`'s missing timestamp) or an interval ends before it starts.
  /// - Complexity: O(*n*).
  public init(starts: [Int64], ends: [Int64]) throws {
    guard starts.count == ends.count else {
      throw SplitterError(
        .lengthMismatch,
        "LabelIntervals: \(starts.count) start times but \(ends.count) end times; give one start and one end per row")
    }
    for row in starts.indices {
      if starts[row] == Int64.min || ends[row] == Int64.min {
        let which = starts[row] == Int64.min ? "start" : "end"
        throw SplitterError(
          .invalidLabelInterval,
          "LabelIntervals: the label \(which) at row \(row) is missing; drop rows whose label is undefined (such as the last rows of a forward-looking label) before splitting"
        )
      }
      guard ends[row] >= starts[row] else {
        throw SplitterError(
          .invalidLabelInterval,
          "LabelIntervals: the label at row \(row) ends at \(ends[row]), before it starts at \(starts[row]); a label's end time t1 must be at or after its start t0 — check that the two columns are not swapped"
        )
      }
    }
    self.starts = starts
    self.ends = ends
  }

  /// Creates label intervals in row positions: row *i*'s label starts at row *i* and ends
  /// at row `endRows[i]`.
  ///
  /// - Parameter endRows: The last row each label looks at, at or after the row itself.
  /// - Throws: ``SplitterError`` when some `endRows[i] < i`.
  /// - Complexity: O(*n*).
  public init(endRows: [Int]) throws {
    try self.init(starts: endRows.indices.map { Int64($0) }, ends: endRows.map { Int64($0) })
  }

  /// Decodes label intervals, validating them as ``init(starts:ends:)`` does.
  ///
  /// - Parameter decoder: The decoder, holding `starts` and `ends` arrays.
  /// - Throws: A `DecodingError`, or ``SplitterError`` for invalid intervals.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      starts: container.decode([Int64].self, forKey: .starts), ends: container.decode([Int64].self, forKey: .ends))
  }

  /// Throws unless the starts never decrease, naming the first row where they do.
  func validateSortedStarts(splitter: String) throws {
    for row in starts.indices.dropFirst() where starts[row] < starts[row - 1] {
      throw SplitterError(
        .unsortedLabelStarts,
        "\(splitter): label start times must be in time order, but row \(row) starts at \(starts[row]), before row \(row - 1) at \(starts[row - 1]); sort the rows by timestamp first, since contiguous test blocks only mean 'a period of time' on time-ordered rows"
      )
    }
  }
}
