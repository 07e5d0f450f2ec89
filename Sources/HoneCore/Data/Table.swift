import HoneLinearAlgebra

/// A columnar table: named, typed columns of equal length.
///
/// `Table` is how data enters Hone: ``CSV/read(contentsOf:options:)`` and the `.npy`
/// reader produce one, transformations select and filter it, and ``matrix(columns:)``
/// turns chosen columns into the dense ``Matrix`` models train on.
///
/// ```swift
/// let table = try CSV.read(contentsOf: "prices.csv")
/// let x = try table.matrix(columns: ["open", "high", "low", "close"])
/// let (train, test) = try table.trainTestSplit(testFraction: 0.2, seed: 42)
/// ```
///
/// `Table` is a value type; its column arrays are copy-on-write.
public struct Table: Sendable, Equatable {
  /// The columns in order.
  public private(set) var columns: [Column]
  /// The number of rows.
  public let rowCount: Int

  /// Creates a table from columns.
  ///
  /// - Throws: ``TableError`` when the columns differ in length or two share a name.
  public init(_ columns: [Column]) throws {
    let rowCount = columns.first?.count ?? 0
    var seen = Set<String>()
    for column in columns {
      guard column.count == rowCount else {
        throw TableError(
          "column `\(column.name)` has \(column.count) rows but `\(columns[0].name)` has \(rowCount); columns must have equal length"
        )
      }
      guard seen.insert(column.name).inserted else {
        throw TableError("two columns are named `\(column.name)`; column names must be unique")
      }
    }
    self.columns = columns
    self.rowCount = rowCount
  }

  /// Internal initializer for columns the caller has already validated.
  package init(uncheckedColumns columns: [Column], rowCount: Int) {
    self.columns = columns
    self.rowCount = rowCount
  }

  /// The number of columns.
  public var columnCount: Int { columns.count }

  /// The column names in order.
  public var columnNames: [String] { columns.map(\.name) }

  /// The names and types of the columns.
  public var schema: Schema { Schema(columns.map { Field(name: $0.name, type: $0.type) }) }

  /// The column named `name`, or `nil`.
  public subscript(name: String) -> Column? {
    columns.first { $0.name == name }
  }

  /// The column named `name`.
  ///
  /// - Throws: ``TableError`` listing the available names when there is no such column.
  public func column(named name: String) throws -> Column {
    guard let column = self[name] else { throw TableError.unknownColumn(name, available: columnNames) }
    return column
  }

  /// The index of the column named `name`.
  ///
  /// - Throws: ``TableError`` when there is no such column.
  public func columnIndex(of name: String) throws -> Int {
    guard let index = columns.firstIndex(where: { $0.name == name }) else {
      throw TableError.unknownColumn(name, available: columnNames)
    }
    return index
  }

  /// A copy with `column` added at the end, or replacing the column of the same name.
  ///
  /// - Throws: ``TableError`` when the column's length differs from the table's.
  public func setting(_ column: Column) throws -> Table {
    guard columns.isEmpty || column.count == rowCount else {
      throw TableError("column `\(column.name)` has \(column.count) rows but the table has \(rowCount)")
    }
    var copy = columns
    if let index = copy.firstIndex(where: { $0.name == column.name }) {
      copy[index] = column
    } else {
      copy.append(column)
    }
    return Table(uncheckedColumns: copy, rowCount: column.count)
  }
}
