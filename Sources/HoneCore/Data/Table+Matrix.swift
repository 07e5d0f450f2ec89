import HoneLinearAlgebra

extension Table {
  /// The chosen columns as a dense `rowCount × names.count` ``Matrix`` (column-major, so
  /// each column is one contiguous copy).
  ///
  /// Values convert as ``Column/doubleValues`` does: missing values become NaN,
  /// categorical columns become their integer codes, timestamps become seconds since
  /// the epoch.
  ///
  /// - Parameter names: The columns, in the order they should appear; `nil` takes every column.
  /// - Throws: ``TableError`` for an unknown column.
  /// - Complexity: O(rowCount × names.count).
  public func matrix(columns names: [String]? = nil) throws -> Matrix {
    let chosen = try names.map { try $0.map { try column(named: $0) } } ?? columns
    var storage: [Double] = []
    storage.reserveCapacity(rowCount * chosen.count)
    for column in chosen {
      if case .float(let values) = column.values {
        storage.append(contentsOf: values)
      } else {
        storage.append(contentsOf: column.doubleValues)
      }
    }
    return try Matrix(rows: rowCount, columns: chosen.count, columnMajor: storage)
  }

  /// Creates a table of float columns from a matrix, one column per matrix column.
  ///
  /// - Parameters:
  ///   - matrix: The values.
  ///   - names: One name per column; `nil` names them `x0`, `x1`, ….
  /// - Throws: ``TableError`` when the names do not match the column count or repeat.
  public init(_ matrix: Matrix, names: [String]? = nil) throws {
    let names = names ?? (0..<matrix.columns).map { "x\($0)" }
    guard names.count == matrix.columns else {
      throw TableError("\(names.count) names for a matrix with \(matrix.columns) columns")
    }
    try self.init(names.enumerated().map { j, name in .float(name, Array(matrix.column(j))) })
  }
}
