/// An error from building or querying a ``Table``: an unknown column, mismatched lengths,
/// an index out of range, a value that cannot be converted.
public struct TableError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error with a message.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }

  static func unknownColumn(_ name: String, available: [String]) -> TableError {
    let list = available.prefix(20).map { "`\($0)`" }.joined(separator: ", ")
    let more = available.count > 20 ? ", …" : ""
    return TableError("no column named `\(name)`; the table has \(list)\(more)")
  }
}
