/// An error from a ``Splitter``: a bad parameter, input the splitter needs but did not get,
/// malformed label intervals, or a split that would leave no training data.
///
/// The ``message`` says what went wrong, where (which splitter, parameter, row or fold) and
/// what to do about it; ``kind`` lets code and tests tell the cases apart.
public struct SplitterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The class of problem.
  public enum Kind: Sendable, Equatable {
    /// A parameter is out of range (folds below 2, a negative gap, an embargo outside
    /// `[0, 1)`, …).
    case invalidParameter
    /// There are fewer rows than the splitter's parameters need.
    case tooFewRows
    /// The splitter needs targets, groups or label intervals that ``SplitData`` lacks.
    case missingInput
    /// Targets, groups or label intervals do not have one entry per row.
    case lengthMismatch
    /// There are fewer distinct groups than folds.
    case tooFewGroups
    /// No class has as many members as there are folds, or a target is not a class label.
    case invalidTargets
    /// A label interval is missing its end or ends before it starts.
    case invalidLabelInterval
    /// Label start times decrease somewhere, but the splitter relies on time order.
    case unsortedLabelStarts
    /// Purging, embargo or a gap leave a split without any training row.
    case emptyTrainingSet
    /// The number of splits would overflow `Int`.
    case tooManySplits
  }

  /// The class of problem.
  public let kind: Kind
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The class of problem.
  ///   - message: What went wrong, where, and how to fix it.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The message.
  public var description: String { message }
}

extension SplitterError {
  static func invalidFolds(_ splitter: String, _ name: String, _ value: Int) -> SplitterError {
    SplitterError(
      .invalidParameter,
      "\(splitter): \(name) is \(value), but cross-validation needs at least 2 folds; use \(name) >= 2")
  }

  static func moreFoldsThanRows(_ splitter: String, _ name: String, folds: Int, rows: Int) -> SplitterError {
    SplitterError(
      .tooFewRows,
      "\(splitter): \(name) = \(folds) is greater than the number of rows (\(rows)); every fold needs at least one row, so use \(name) <= \(rows)"
    )
  }

  static func missing(_ splitter: String, _ input: String, hint: String) -> SplitterError {
    SplitterError(.missingInput, "\(splitter) needs \(input), but SplitData has none; \(hint)")
  }

  static func noTraining(_ splitter: String, split: Int, hint: String) -> SplitterError {
    SplitterError(.emptyTrainingSet, "\(splitter): split \(split) has no training rows left; \(hint)")
  }
}
