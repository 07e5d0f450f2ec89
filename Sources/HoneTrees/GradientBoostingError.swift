/// An error fitting or using a gradient-boosted model: invalid data, hyperparameters or
/// prediction input, with what to change.
public struct GradientBoostingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong and what to do.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameter message: What went wrong and what to do.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
