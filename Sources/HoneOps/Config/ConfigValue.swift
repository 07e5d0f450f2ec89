/// A position in a configuration source: file, 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// The file, or a label such as `--set` or `HONE__tuning__trials`, or `nil`.
  public var file: String?
  /// The line, from 1.
  public var line: Int
  /// The column, from 1 (in Unicode scalars).
  public var column: Int

  /// Creates a location.
  ///
  /// - Parameters:
  ///   - file: The file or source label.
  ///   - line: The line, from 1.
  ///   - column: The column, from 1.
  public init(file: String?, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column`, or `line:column` without a file.
  public var description: String { "\(file.map { "\($0):" } ?? "")\(line):\(column)" }
}

/// A parsed configuration document: the small tree both YAML and JSON read into, with
/// each node's source location, before it is decoded into typed sections.
///
/// Object keys keep their file order. Equality compares content only, not locations,
/// so the same document read from YAML and from JSON compares equal.
public struct ConfigValue: Sendable, CustomStringConvertible {
  /// The node's content.
  public enum Content: Sendable {
    /// An explicit null (`null`, `~`, or an empty YAML value).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number written without a fraction or exponent.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// Text.
    case string(String)
    /// A list.
    case array([ConfigValue])
    /// A mapping with keys in file order.
    case object([Member])
  }

  /// One key and value of an object.
  public struct Member: Sendable {
    /// The key.
    public var key: String
    /// The value.
    public var value: ConfigValue
    /// Where the key is written.
    public var keyLocation: SourceLocation?

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    ///   - keyLocation: Where the key is written.
    public init(key: String, value: ConfigValue, keyLocation: SourceLocation? = nil) {
      self.key = key
      self.value = value
      self.keyLocation = keyLocation
    }
  }

  /// The node's content.
  public var content: Content
  /// Where the node starts in its source, when known.
  public var location: SourceLocation?

  /// Creates a node.
  ///
  /// - Parameters:
  ///   - content: The content.
  ///   - location: Where it starts.
  public init(_ content: Content, location: SourceLocation? = nil) {
    self.content = content
    self.location = location
  }

  /// The value of `key` in an object, or `nil` (also for non-objects).
  ///
  /// - Parameter key: The key.
  public subscript(key: String) -> ConfigValue? {
    guard case .object(let members) = content else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// What kind of node this is, for messages (`a string`, `a list`, …).
  public var kindDescription: String {
    switch content {
    case .null: "null"
    case .bool: "a boolean"
    case .int: "an integer"
    case .double: "a number"
    case .string: "a string"
    case .array: "a list"
    case .object: "a mapping"
    }
  }

  /// The node as compact flow text (`{a: 1, b: [x, y]}`), for messages.
  public var description: String {
    switch content {
    case .null: "null"
    case .bool(let b): String(b)
    case .int(let i): String(i)
    case .double(let d): String(d)
    case .string(let s): "\"\(s)\""
    case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .object(let members): "{" + members.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
  }
}

extension ConfigValue: Equatable {
  /// Whether two trees hold the same content, ignoring source locations.
  ///
  /// - Parameters:
  ///   - lhs: A tree.
  ///   - rhs: Another tree.
  /// - Returns: `true` for equal content with keys in the same order.
  public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
    switch (lhs.content, rhs.content) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.int(let a), .int(let b)): a == b
    case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: false
    }
  }
}
