/// What a ``Splitter`` knows about the rows it splits: how many there are and, for the
/// splitters that need them, class targets, groups and label intervals.
///
/// Each optional piece has one entry per row. Splitters ignore what they do not use and
/// throw ``SplitterError`` (kind ``SplitterError/Kind/missingInput``) when what they need is
/// absent: ``StratifiedKFold`` needs ``targets``, ``GroupKFold`` needs ``groups``,
/// ``PurgedKFold`` and ``CombinatorialPurgedKFold`` need ``labelIntervals``.
public struct SplitData: Sendable, Hashable {
  /// The number of rows.
  public let rowCount: Int
  /// Class labels for stratification, one per row (integral values, such as `0, 1, …`).
  public let targets: [Double]?
  /// Group labels, one per row; rows sharing a label always land on the same side of a
  /// split. Use a categorical column's codes or any integer key (a symbol, a date, a patient).
  public let groups: [Int]?
  /// Each row's label interval [t₀, t₁], for purging and embargo.
  public let labelIntervals: LabelIntervals?

  /// Creates split data, checking that every optional piece has one entry per row.
  ///
  /// - Parameters:
  ///   - rowCount: The number of rows, at least 0.
  ///   - targets: Class labels for stratification, or `nil`.
  ///   - groups: Group labels, or `nil`.
  ///   - labelIntervals: Label intervals for purged splitters, or `nil`.
  /// - Throws: ``SplitterError`` when `rowCount` is negative or a piece has the wrong length.
  public init(
    rowCount: Int, targets: [Double]? = nil, groups: [Int]? = nil, labelIntervals: LabelIntervals? = nil
  ) throws {
    guard rowCount >= 0 else {
      throw SplitterError(.invalidParameter, "SplitData: rowCount is \(rowCount); it must be 0 or more")
    }
    let pieces: [(String, Int?)] = [
      ("targets", targets?.count), ("groups", groups?.count), ("labelIntervals", labelIntervals?.count),
    ]
    for case let (name, count?) in pieces where count != rowCount {
      throw SplitterError(
        .lengthMismatch, "SplitData: \(name) has \(count) entries for \(rowCount) rows; give exactly one per row")
    }
    self.rowCount = rowCount
    self.targets = targets
    self.groups = groups
    self.labelIntervals = labelIntervals
  }
}
