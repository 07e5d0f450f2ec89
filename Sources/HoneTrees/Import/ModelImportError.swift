/// An error importing a LightGBM or XGBoost model, or predicting with one.
///
/// The message says what went wrong, where (file and line for LightGBM text, file and
/// JSON path for XGBoost JSON) and what to do.
public struct ModelImportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The file cannot be read.
    case io
    /// The file is not a well-formed model file: a missing or unreadable field, counts
    /// that disagree, a child index out of range.
    case malformed
    /// The file is well formed but uses something Hone does not import yet (an objective,
    /// linear trees, DART, XGBoost categorical splits).
    case unsupported
    /// The input to a prediction has the wrong number of features.
    case featureCountMismatch(expected: Int, found: Int)
    /// The call does not apply to this model (probabilities from a regressor).
    case notApplicable
  }

  /// What went wrong.
  public let kind: Kind
  /// Where: `file:line` for LightGBM text, `file: $.json.path` for XGBoost JSON; `nil`
  /// for prediction errors.
  public let location: String?
  /// What went wrong and what to do.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: What went wrong.
  ///   - location: Where in the input, when known.
  ///   - message: What went wrong and what to do.
  public init(kind: Kind, location: String?, message: String) {
    self.kind = kind
    self.location = location
    self.message = message
  }

  /// `location: message`.
  public var description: String { (location.map { "\($0): " } ?? "") + message }

  static func malformed(_ location: String, _ message: String) -> ModelImportError {
    ModelImportError(kind: .malformed, location: location, message: message)
  }

  static func unsupported(_ location: String, _ message: String) -> ModelImportError {
    ModelImportError(kind: .unsupported, location: location, message: message)
  }

  static func featureCount(expected: Int, found: Int) -> ModelImportError {
    ModelImportError(
      kind: .featureCountMismatch(expected: expected, found: found), location: nil,
      message:
        "the model reads \(expected) features but the input has \(found) columns; pass the columns the model was trained on, in the same order"
    )
  }
}
