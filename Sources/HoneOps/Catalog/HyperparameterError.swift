/// An error setting hyperparameters by name: which name or value, and what is accepted.
public struct HyperparameterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameter message: What went wrong and how to fix it.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
