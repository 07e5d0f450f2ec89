/// An error from the registry and tracking database: what failed, in which store, and
/// what to do about it.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The broad reason, for callers that react differently to each.
  public enum Kind: String, Sendable, Equatable {
    /// SQLite refused an operation (locked too long, damaged file, constraint, I/O).
    case database
    /// A model, version, alias or run that the request named does not exist.
    case notFound
    /// The request itself is malformed (a bad name, a bad reference, a run already finished).
    case invalidRequest
    /// The store's database was written by a newer Hone than this one.
    case incompatible
  }

  /// The broad reason.
  public let kind: Kind
  /// The database file or store directory the error concerns.
  public let path: String
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The broad reason.
  ///   - path: The database file or store directory concerned.
  ///   - message: What went wrong and how to fix it.
  public init(kind: Kind, path: String, message: String) {
    self.kind = kind
    self.path = path
    self.message = message
  }

  /// `path: message`.
  public var description: String { "\(path): \(message)" }
}
