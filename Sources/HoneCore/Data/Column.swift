/// One named, typed column of a ``Table``.
///
/// Values are stored in one contiguous array per column. Missing values are NaN for
/// ``ColumnType/float``, code `-1` for ``ColumnType/categorical`` and `Int64.min` for
/// ``ColumnType/timestamp``; ``ColumnType/integer`` columns have none.
public struct Column: Sendable, Equatable {
  /// The typed values.
  public enum Values: Sendable, Equatable {
    /// Floating-point values; NaN is missing.
    case float([Double])
    /// Integer values.
    case integer([Int64])
    /// Dictionary-encoded strings: `codes[i]` indexes `categories`, `-1` is missing.
    case categorical(codes: [Int32], categories: [String])
    /// Nanoseconds since the Unix epoch (UTC); `Int64.min` is missing.
    case timestamp([Int64])
  }

  /// The value `Int64.min` marks a missing timestamp.
  public static let missingTimestamp = Int64.min

  /// The column name.
  public var name: String
  /// The values.
  public var values: Values

  /// Creates a column from typed values.
  ///
  /// - Throws: ``TableError`` when categorical codes are out of range of the categories.
  public init(name: String, values: Values) throws {
    if case .categorical(let codes, let categories) = values {
      let limit = Int32(categories.count)
      if let bad = codes.firstIndex(where: { $0 < -1 || $0 >= limit }) {
        throw TableError(
          "column `\(name)`: categorical code \(codes[bad]) at row \(bad) is outside 0..<\(limit) (or -1 for missing)"
        )
      }
    }
    self.name = name
    self.values = values
  }

  /// Internal initializer for values the caller has already validated.
  package init(uncheckedName name: String, values: Values) {
    self.name = name
    self.values = values
  }

  /// A floating-point column; NaN marks missing values.
  public static func float(_ name: String, _ values: [Double]) -> Column {
    Column(uncheckedName: name, values: .float(values))
  }

  /// An integer column.
  public static func integer(_ name: String, _ values: [Int64]) -> Column {
    Column(uncheckedName: name, values: .integer(values))
  }

  /// A timestamp column of nanoseconds since the Unix epoch; `Int64.min` marks missing.
  public static func timestamp(_ name: String, nanosecondsSinceEpoch values: [Int64]) -> Column {
    Column(uncheckedName: name, values: .timestamp(values))
  }

  /// A categorical column built from strings; `nil` marks missing. Categories are
  /// numbered in order of first appearance.
  public static func categorical(_ name: String, _ values: [String?]) -> Column {
    var dictionary: [String: Int32] = [:]
    var categories: [String] = []
    let codes = values.map { value -> Int32 in
      guard let value else { return -1 }
      if let code = dictionary[value] { return code }
      let code = Int32(categories.count)
      dictionary[value] = code
      categories.append(value)
      return code
    }
    return Column(uncheckedName: name, values: .categorical(codes: codes, categories: categories))
  }

  /// The column type.
  public var type: ColumnType {
    switch values {
    case .float: .float
    case .integer: .integer
    case .categorical: .categorical
    case .timestamp: .timestamp
    }
  }

  /// The number of rows.
  public var count: Int {
    switch values {
    case .float(let v): v.count
    case .integer(let v): v.count
    case .categorical(let codes, _): codes.count
    case .timestamp(let v): v.count
    }
  }

  /// Whether the value in `row` is missing.
  public func isMissing(_ row: Int) -> Bool {
    switch values {
    case .float(let v): v[row].isNaN
    case .integer: false
    case .categorical(let codes, _): codes[row] < 0
    case .timestamp(let v): v[row] == Column.missingTimestamp
    }
  }

  /// The number of missing values.
  public var missingCount: Int {
    switch values {
    case .float(let v): v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
    case .integer: 0
    case .categorical(let codes, _): codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    case .timestamp(let v): v.reduce(0) { $0 + ($1 == Column.missingTimestamp ? 1 : 0) }
    }
  }

  /// The values as `Double`, with NaN for missing: floats as they are, integers
  /// converted, categorical values as their codes, timestamps as seconds since the epoch.
  ///
  /// This is the conversion ``Table/matrix(columns:)`` uses; models that treat a column
  /// as categorical read the codes from it.
  public var doubleValues: [Double] {
    switch values {
    case .float(let v): v
    case .integer(let v): v.map { Double($0) }
    case .categorical(let codes, _): codes.map { $0 < 0 ? .nan : Double($0) }
    case .timestamp(let v): v.map { $0 == Column.missingTimestamp ? .nan : Double($0) / 1e9 }
    }
  }

  /// The value in `row` as text, `nil` when missing (categories as their strings,
  /// timestamps in ISO 8601).
  public func text(at row: Int) -> String? {
    switch values {
    case .float(let v): v[row].isNaN ? nil : v[row].description
    case .integer(let v): String(v[row])
    case .categorical(let codes, let categories): codes[row] < 0 ? nil : categories[Int(codes[row])]
    case .timestamp(let v): v[row] == Column.missingTimestamp ? nil : Timestamp.iso8601(nanoseconds: v[row])
    }
  }

  /// The rows at `indices`, in that order. Indices must be valid (checked by the caller).
  func taking(_ indices: [Int]) -> Column {
    switch values {
    case .float(let v): return Column(uncheckedName: name, values: .float(indices.map { v[$0] }))
    case .integer(let v): return Column(uncheckedName: name, values: .integer(indices.map { v[$0] }))
    case .categorical(let codes, let categories):
      return Column(uncheckedName: name, values: .categorical(codes: indices.map { codes[$0] }, categories: categories))
    case .timestamp(let v): return Column(uncheckedName: name, values: .timestamp(indices.map { v[$0] }))
    }
  }

  /// The rows in `range`. The range must be valid (checked by the caller).
  func slicing(_ range: Range<Int>) -> Column {
    switch values {
    case .float(let v): return Column(uncheckedName: name, values: .float(Array(v[range])))
    case .integer(let v): return Column(uncheckedName: name, values: .integer(Array(v[range])))
    case .categorical(let codes, let categories):
      return Column(uncheckedName: name, values: .categorical(codes: Array(codes[range]), categories: categories))
    case .timestamp(let v): return Column(uncheckedName: name, values: .timestamp(Array(v[range])))
    }
  }
}
