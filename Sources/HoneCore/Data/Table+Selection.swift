extension Table {
  /// The table made of the named columns, in the given order.
  ///
  /// - Throws: ``TableError`` for an unknown name.
  public func selecting(_ names: [String]) throws -> Table {
    Table(uncheckedColumns: try names.map { try column(named: $0) }, rowCount: rowCount)
  }

  /// The table made of the columns whose type is in `types`, in table order.
  public func selecting(types: Set<ColumnType>) -> Table {
    Table(uncheckedColumns: columns.filter { types.contains($0.type) }, rowCount: rowCount)
  }

  /// The table without the named columns.
  ///
  /// - Throws: ``TableError`` for an unknown name.
  public func dropping(_ names: [String]) throws -> Table {
    for name in names where self[name] == nil { throw TableError.unknownColumn(name, available: columnNames) }
    let drop = Set(names)
    return Table(uncheckedColumns: columns.filter { !drop.contains($0.name) }, rowCount: rowCount)
  }

  /// The rows in `range`.
  ///
  /// - Throws: ``TableError`` when the range is outside `0..<rowCount`.
  /// - Complexity: O(range.count × columnCount).
  public func rows(_ range: Range<Int>) throws -> Table {
    guard range.lowerBound >= 0, range.upperBound <= rowCount else {
      throw TableError("rows \(range) are outside the table's 0..<\(rowCount)")
    }
    return Table(uncheckedColumns: columns.map { $0.slicing(range) }, rowCount: range.count)
  }

  /// The rows at `indices`, in that order (indices may repeat, as in a bootstrap sample).
  ///
  /// - Throws: ``TableError`` when an index is outside `0..<rowCount`.
  /// - Complexity: O(indices.count × columnCount).
  public func rows(at indices: [Int]) throws -> Table {
    if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) {
      throw TableError("row index \(bad) is outside the table's 0..<\(rowCount)")
    }
    return Table(uncheckedColumns: columns.map { $0.taking(indices) }, rowCount: indices.count)
  }

  /// The rows where `mask` is `true`.
  ///
  /// - Throws: ``TableError`` when `mask.count != rowCount`.
  public func filter(mask: [Bool]) throws -> Table {
    guard mask.count == rowCount else {
      throw TableError("the mask has \(mask.count) entries but the table has \(rowCount) rows")
    }
    return try rows(at: mask.indices.filter { mask[$0] })
  }

  /// The rows whose value in column `name`, read as `Double` (see ``Column/doubleValues``),
  /// satisfies `predicate`.
  ///
  /// ```swift
  /// let adults = try table.filter(column: "age") { $0 >= 18 }
  /// ```
  ///
  /// - Throws: ``TableError`` for an unknown column; rethrows the predicate's errors.
  public func filter(column name: String, _ predicate: (Double) throws -> Bool) throws -> Table {
    let values = try column(named: name).doubleValues
    var indices: [Int] = []
    for (i, v) in values.enumerated() where try predicate(v) { indices.append(i) }
    return try rows(at: indices)
  }
}
