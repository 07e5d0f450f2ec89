/// An error from the model catalog: an unsupported kind and task, a model file of an
/// unknown kind, a table without features.
public struct ModelCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameter message: What went wrong and how to fix it.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
