/// An error from fitting or using a linear model: invalid hyperparameters, data a
/// solver cannot handle, or a shape that does not match the fitted model.
public struct LinearModelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
