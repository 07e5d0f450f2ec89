/// An error from computing trading features or labels, or from a look-ahead check: a bad
/// parameter, too few rows, a missing or mistyped column, timestamps out of order, a price
/// that cannot be logged, or a label interval that ends before it starts.
///
/// The ``message`` says what went wrong, where (column, symbol, row) and what to do; the
/// ``kind`` lets code and tests tell the cases apart without parsing text.
public struct FeatureError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of problem this is.
  public enum Kind: String, Sendable, Equatable {
    /// A window, horizon, period or multiple is outside its allowed range.
    case invalidParameter
    /// The series (or every symbol's series) is shorter than the feature's warm-up.
    case tooFewRows
    /// A column the computation needs is not in the table.
    case missingColumn
    /// A column has a type the computation cannot read (a timestamp where prices are
    /// expected, prices where a timestamp is expected).
    case wrongColumnType
    /// Timestamps decrease within a symbol, or one is missing.
    case unsortedTimestamps
    /// A price is zero or negative where its logarithm is taken.
    case nonPositivePrice
    /// Arrays that must have one value per row differ in length.
    case lengthMismatch
    /// A label interval `[t0, t1]` ends before it starts.
    case invalidLabelInterval
    /// Two features would write a column of the same name.
    case duplicateName
    /// A transform under a look-ahead check broke its contract (changed the row count,
    /// dropped a checked column).
    case invalidTransform
  }

  /// What kind of problem this is.
  public let kind: Kind
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The kind of problem.
  ///   - message: What went wrong, where, and how to fix it.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
