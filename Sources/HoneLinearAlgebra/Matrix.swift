/// A dense matrix of `Double` values in column-major order.
///
/// ## Storage order
///
/// Elements are stored column by column: element `(i, j)` lives at `i + j * rows`.
/// Column-major is LAPACK's native order, so every factorization runs on the storage as
/// it is (LAPACKE's row-major entry points transpose internally and ran `dpotrf` at half
/// speed on this project's machines). It also suits ML data held as one feature per
/// column: a `Table` column copies into a matrix column with one contiguous write, and
/// per-feature work (scaling, binning, statistics) reads contiguous memory. Rows are
/// available as strided views, and row-wise products use BLAS with a transpose flag,
/// which costs nothing.
///
/// `Matrix` is a value type with copy-on-write storage: copies are cheap until one of
/// them is mutated.
public struct Matrix: Sendable, Hashable, Codable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// The elements in column-major order (`rows * columns` values).
  public var storage: [Double] { _storage }

  @usableFromInline
  internal var _storage: [Double]

  /// Creates a matrix with every element set to `value`.
  ///
  /// - Parameters:
  ///   - rows: The number of rows (zero or more).
  ///   - columns: The number of columns (zero or more).
  ///   - value: The value of every element.
  /// - Precondition: `rows >= 0` and `columns >= 0`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must not be negative")
    self.rows = rows
    self.columns = columns
    self._storage = [Double](repeating: value, count: rows * columns)
  }

  /// Creates a matrix from elements in column-major order.
  ///
  /// - Parameters:
  ///   - rows: The number of rows.
  ///   - columns: The number of columns.
  ///   - columnMajor: `rows * columns` elements, column after column.
  /// - Throws: ``LinearAlgebraError`` when the element count does not match the shape.
  public init(rows: Int, columns: Int, columnMajor: [Double]) throws {
    guard rows >= 0, columns >= 0 else {
      throw LinearAlgebraError.invalidArgument(
        routine: "Matrix.init", message: "dimensions \(rows) x \(columns) must not be negative")
    }
    guard columnMajor.count == Matrix.elementCount(rows: rows, columns: columns) else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.init",
        message:
          "a \(rows) x \(columns) matrix needs \(rows) * \(columns) elements, got \(columnMajor.count)")
    }
    self.rows = rows
    self.columns = columns
    self._storage = columnMajor
  }

  /// Creates a matrix from elements in row-major order (as NumPy's default layout or a
  /// C array of rows), transposing them into column-major storage.
  ///
  /// - Throws: ``LinearAlgebraError`` when the element count does not match the shape.
  /// - Complexity: O(rows × columns).
  public init(rows: Int, columns: Int, rowMajor: [Double]) throws {
    guard rows >= 0, columns >= 0 else {
      throw LinearAlgebraError.invalidArgument(
        routine: "Matrix.init", message: "dimensions \(rows) x \(columns) must not be negative")
    }
    guard rowMajor.count == Matrix.elementCount(rows: rows, columns: columns) else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.init",
        message:
          "a \(rows) x \(columns) matrix needs \(rows) * \(columns) elements, got \(rowMajor.count)")
    }
    self.rows = rows
    self.columns = columns
    var storage = [Double](repeating: 0, count: rows * columns)
    for i in 0..<rows {
      for j in 0..<columns {
        storage[i + j * rows] = rowMajor[i * columns + j]
      }
    }
    self._storage = storage
  }

  /// Creates a matrix from an array of rows, as written on paper.
  ///
  /// ```swift
  /// let a = try Matrix([[4, 2], [2, 3]])
  /// ```
  ///
  /// - Throws: ``LinearAlgebraError`` when the rows have different lengths.
  public init(_ rowArrays: [[Double]]) throws {
    let columns = rowArrays.first?.count ?? 0
    for (index, row) in rowArrays.enumerated() where row.count != columns {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.init",
        message: "row \(index) has \(row.count) elements, row 0 has \(columns)")
    }
    try self.init(rows: rowArrays.count, columns: columns, rowMajor: rowArrays.flatMap { $0 })
  }

  /// Creates a matrix whose columns are the given arrays.
  ///
  /// - Throws: ``LinearAlgebraError`` when the columns have different lengths.
  public init(columnArrays: [[Double]]) throws {
    let rows = columnArrays.first?.count ?? 0
    for (index, column) in columnArrays.enumerated() where column.count != rows {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.init",
        message: "column \(index) has \(column.count) elements, column 0 has \(rows)")
    }
    var storage: [Double] = []
    storage.reserveCapacity(rows * columnArrays.count)
    for column in columnArrays { storage.append(contentsOf: column) }
    self.rows = rows
    self.columns = columnArrays.count
    self._storage = storage
  }

  /// The `n × n` identity matrix.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m._storage[i + i * n] = 1 }
    return m
  }

  /// A matrix with `values` on its diagonal and zeros elsewhere.
  public static func diagonal(_ values: [Double]) -> Matrix {
    var m = Matrix(rows: values.count, columns: values.count)
    for (i, v) in values.enumerated() { m._storage[i + i * values.count] = v }
    return m
  }

  /// A column vector (`count × 1` matrix) holding `values`.
  public static func columnVector(_ values: [Double]) -> Matrix {
    Matrix(uncheckedRows: values.count, columns: 1, storage: values)
  }

  /// Internal initializer for storage whose size the caller has already checked.
  package init(uncheckedRows rows: Int, columns: Int, storage: [Double]) {
    assert(storage.count == rows * columns)
    self.rows = rows
    self.columns = columns
    self._storage = storage
  }

  /// Whether the matrix has no elements.
  public var isEmpty: Bool { rows == 0 || columns == 0 }

  /// Whether the matrix is square.
  public var isSquare: Bool { rows == columns }

  /// The number of elements.
  public var count: Int { storage.count }

  /// The element at row `row` and column `column`.
  ///
  /// Like an array subscript, an index out of range is a programming error and traps.
  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
      return _storage[row + column * rows]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
      _storage[row + column * rows] = newValue
    }
  }

  /// The transpose of the matrix.
  ///
  /// - Complexity: O(rows × columns), blocked for cache locality.
  public var transposed: Matrix {
    var result = [Double](repeating: 0, count: storage.count)
    let (m, n) = (rows, columns)
    let block = 32
    storage.withUnsafeBufferPointer { src in
      result.withUnsafeMutableBufferPointer { dst in
        var jb = 0
        while jb < n {
          var ib = 0
          let jEnd = min(jb + block, n)
          while ib < m {
            let iEnd = min(ib + block, m)
            for j in jb..<jEnd {
              for i in ib..<iEnd { dst[j + i * n] = src[i + j * m] }
            }
            ib += block
          }
          jb += block
        }
      }
    }
    return Matrix(uncheckedRows: n, columns: m, storage: result)
  }

  /// The elements in row-major order (row after row), as NumPy's default layout.
  public var rowMajorElements: [Double] { transposed.storage }

  /// The matrix as an array of rows.
  public var rowArrays: [[Double]] {
    (0..<rows).map { i in (0..<columns).map { j in storage[i + j * rows] } }
  }

  /// Calls `body` with a pointer to the column-major elements.
  @inlinable
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
    try _storage.withUnsafeBufferPointer(body)
  }

  /// Calls `body` with a mutable pointer to the column-major elements.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
  ) rethrows -> R {
    try _storage.withUnsafeMutableBufferPointer(body)
  }

  /// The sub-matrix of the given rows and columns (a copy).
  ///
  /// - Throws: ``LinearAlgebraError`` when a range is out of bounds.
  public func submatrix(rows rowRange: Range<Int>, columns columnRange: Range<Int>) throws -> Matrix {
    guard rowRange.lowerBound >= 0, rowRange.upperBound <= rows, columnRange.lowerBound >= 0,
      columnRange.upperBound <= columns
    else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.submatrix",
        message: "rows \(rowRange) and columns \(columnRange) are not inside a \(rows) x \(columns) matrix")
    }
    var out: [Double] = []
    out.reserveCapacity(rowRange.count * columnRange.count)
    for j in columnRange {
      out.append(contentsOf: storage[(rowRange.lowerBound + j * rows)..<(rowRange.upperBound + j * rows)])
    }
    return Matrix(uncheckedRows: rowRange.count, columns: columnRange.count, storage: out)
  }

  /// The matrix made of the given rows, in the given order (a copy).
  ///
  /// - Throws: ``LinearAlgebraError`` when an index is out of range.
  /// - Complexity: O(indices.count × columns).
  public func selectingRows(_ indices: [Int]) throws -> Matrix {
    for index in indices where index < 0 || index >= rows {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "Matrix.selectingRows", message: "row \(index) is out of range 0..<\(rows)")
    }
    var out = [Double](repeating: 0, count: indices.count * columns)
    let m = rows
    let k = indices.count
    storage.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for j in 0..<columns {
          let base = j * m
          let outBase = j * k
          for (r, i) in indices.enumerated() { dst[outBase + r] = src[base + i] }
        }
      }
    }
    return Matrix(uncheckedRows: k, columns: columns, storage: out)
  }

  /// The matrix made of the given columns, in the given order (a copy).
  ///
  /// - Throws: ``LinearAlgebraError`` when an index is out of range.
  public func selectingColumns(_ indices: [Int]) throws -> Matrix {
    var out: [Double] = []
    out.reserveCapacity(indices.count * rows)
    for j in indices {
      guard j >= 0, j < columns else {
        throw LinearAlgebraError.dimensionMismatch(
          routine: "Matrix.selectingColumns", message: "column \(j) is out of range 0..<\(columns)")
      }
      out.append(contentsOf: storage[(j * rows)..<((j + 1) * rows)])
    }
    return Matrix(uncheckedRows: rows, columns: indices.count, storage: out)
  }

  /// Whether every element is finite (no NaN, no infinity).
  public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }
}

extension Matrix: CustomStringConvertible {
  /// A readable rendering; large matrices are abbreviated.
  public var description: String {
    let maxShown = 8
    var lines = ["Matrix \(rows) x \(columns)"]
    for i in 0..<min(rows, maxShown) {
      var cells = (0..<min(columns, maxShown)).map { j in String(format: self[i, j]) }
      if columns > maxShown { cells.append("...") }
      lines.append("  [" + cells.joined(separator: ", ") + "]")
    }
    if rows > maxShown { lines.append("  ...") }
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate init(format value: Double) {
    self = value.description
  }
}

extension Matrix {
  private enum CodingKeys: String, CodingKey {
    case rows, columns
    case storage = "columnMajor"
  }

  /// Decodes a matrix, checking that the element count matches the shape.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when the shape and element count disagree.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let rows = try container.decode(Int.self, forKey: .rows)
    let columns = try container.decode(Int.self, forKey: .columns)
    let storage = try container.decode([Double].self, forKey: .storage)
    guard storage.count == Matrix.elementCount(rows: rows, columns: columns) else {
      throw DecodingError.dataCorruptedError(
        forKey: .storage, in: container,
        debugDescription: "a \(rows) x \(columns) matrix needs \(rows) * \(columns) elements, found \(storage.count)")
    }
    self.init(uncheckedRows: rows, columns: columns, storage: storage)
  }

  /// `rows * columns`, or `nil` when a dimension is negative or the product overflows, so
  /// that a corrupt shape from a file or a caller throws instead of trapping.
  private static func elementCount(rows: Int, columns: Int) -> Int? {
    guard rows >= 0, columns >= 0 else { return nil }
    let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
    return overflow ? nil : count
  }

  /// Encodes the shape and the column-major elements.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(rows, forKey: .rows)
    try container.encode(columns, forKey: .columns)
    try container.encode(_storage, forKey: .storage)
  }
}
