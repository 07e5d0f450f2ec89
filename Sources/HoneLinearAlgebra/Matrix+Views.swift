extension Matrix {
  /// The elements of column `j`, as a contiguous slice that shares the matrix's storage.
  ///
  /// - Complexity: O(1); no elements are copied.
  public func column(_ j: Int) -> ArraySlice<Double> {
    precondition(j >= 0 && j < columns, "Matrix column index out of range")
    return storage[(j * rows)..<((j + 1) * rows)]
  }

  /// The elements of row `i`, as a strided view that shares the matrix's storage.
  ///
  /// - Complexity: O(1); no elements are copied. Iterating reads with stride `rows`.
  public func row(_ i: Int) -> Row {
    precondition(i >= 0 && i < rows, "Matrix row index out of range")
    return Row(matrix: self, index: i)
  }

  /// A view of one row of a ``Matrix``: `columns` elements read with stride `rows`.
  public struct Row: RandomAccessCollection, Sendable {
    let matrix: Matrix
    /// The row's index in the matrix.
    public let index: Int

    /// The first position, `0`.
    public var startIndex: Int { 0 }
    /// One past the last position, the matrix's column count.
    public var endIndex: Int { matrix.columns }

    /// The element in column `position`.
    public subscript(position: Int) -> Double {
      matrix.storage[index + position * matrix.rows]
    }
  }

  /// Replaces column `j` with `values`.
  ///
  /// - Throws: ``LinearAlgebraError`` when `values.count != rows` or `j` is out of range.
  public mutating func setColumn(_ j: Int, to values: some Collection<Double>) throws {
    guard j >= 0, j < columns, values.count == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.setColumn",
        message: "column \(j) of a \(rows) x \(columns) matrix cannot take \(values.count) values")
    }
    let base = j * rows
    for (offset, v) in values.enumerated() { _storage[base + offset] = v }
  }
}
