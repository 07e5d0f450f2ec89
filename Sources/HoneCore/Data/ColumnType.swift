/// The type of a ``Column`` in a ``Table``.
public enum ColumnType: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
  /// 64-bit floating point; NaN means missing.
  case float
  /// 64-bit signed integers, with no missing values (a column with missing integers is
  /// read as ``float``, as in pandas).
  case integer
  /// Strings stored as integer codes into a dictionary of distinct values; missing is
  /// code `-1`.
  case categorical
  /// Instants in time, as nanoseconds since 1970-01-01T00:00:00Z; missing is `Int64.min`.
  case timestamp

  /// The name used in schemas and error messages (`float`, `integer`, …).
  public var description: String { rawValue }
}

/// A column's name and type.
public struct Field: Sendable, Hashable, Codable {
  /// The column name.
  public var name: String
  /// The column type.
  public var type: ColumnType

  /// Creates a field.
  public init(name: String, type: ColumnType) {
    self.name = name
    self.type = type
  }
}

/// The names and types of a table's columns, in order.
public struct Schema: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The fields in column order.
  public var fields: [Field]

  /// Creates a schema.
  public init(_ fields: [Field]) { self.fields = fields }

  /// The column names in order.
  public var names: [String] { fields.map(\.name) }

  /// The type of the column named `name`, or `nil` when there is none.
  public func type(of name: String) -> ColumnType? { fields.first { $0.name == name }?.type }

  /// One `name: type` line per column.
  public var description: String { fields.map { "\($0.name): \($0.type)" }.joined(separator: "\n") }
}
