/// An error from fitting or using a multilayer perceptron: invalid hyperparameters,
/// invalid data, a diverging fit, or input that does not match the fitted model.
public struct MLPError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameter message: What went wrong, where, and how to fix it.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
