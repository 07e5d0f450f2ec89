/// An error from computing a metric: inputs that do not line up, values a metric cannot
/// use, or a metric that is undefined on the data given.
///
/// The ``message`` says what went wrong, where (the metric and the offending index), and
/// what to do; ``kind`` lets callers react to a category without parsing the message.
public struct MetricError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The category of a metric error.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// Two inputs that must be aligned row by row have different lengths.
    case lengthMismatch
    /// An input has no rows (or no positive total weight).
    case emptyInput
    /// An input holds NaN or an infinity.
    case nonFiniteValue
    /// A metric that compares two classes saw only one.
    case singleClass
    /// A probability lies outside [0, 1] or a row of probabilities does not sum to 1.
    case invalidProbability
    /// A parameter (weights, alpha, block count, class list, ...) is out of range.
    case invalidParameter
    /// There are too few rows, periods or trials for the statistic.
    case insufficientData
    /// The metric is mathematically undefined on these inputs (for example a zero
    /// standard deviation in a ratio).
    case undefined
    /// A metric name did not parse.
    case unknownMetric
    /// The prediction kind (values or probabilities) does not fit the metric.
    case unsupportedPrediction
  }

  /// The category of the error.
  public let kind: Kind

  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The category of the error.
  ///   - message: What went wrong, where, and how to fix it.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
