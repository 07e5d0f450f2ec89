extension Matrix {
  /// The product `op(self) · op(other)` through BLAS `dgemm`.
  ///
  /// ```swift
  /// let xtx = try x.multiplied(by: x, transposingSelf: true)  // XᵀX
  /// ```
  ///
  /// - Throws: ``LinearAlgebraError`` when the inner dimensions differ.
  /// - Complexity: O(m × n × k).
  public func multiplied(
    by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
  ) throws -> Matrix {
    let m = transposingSelf ? columns : rows
    let n = transposingOther ? other.rows : other.columns
    var c = Matrix(rows: m, columns: n)
    try BLAS.gemm(
      self, other, &c, transposeA: transposingSelf ? .transpose : .none,
      transposeB: transposingOther ? .transpose : .none)
    return c
  }

  /// The matrix-vector product `op(self) · x` through BLAS `dgemv`.
  ///
  /// - Throws: ``LinearAlgebraError`` when `x` has the wrong length.
  public func multiplied(by x: [Double], transposingSelf: Bool = false) throws -> [Double] {
    var y = [Double](repeating: 0, count: transposingSelf ? columns : rows)
    try BLAS.gemv(self, x, &y, transpose: transposingSelf ? .transpose : .none)
    return y
  }

  /// The Gram matrix `selfᵀ · self` (columns × columns), computed with `dsyrk` (half
  /// the work of `gemm`) and mirrored into a full symmetric matrix.
  ///
  /// - Complexity: O(rows × columns²).
  public func gram() -> Matrix {
    var c = Matrix(rows: columns, columns: columns)
    // Shapes fit by construction, so the call cannot throw.
    do { try BLAS.syrk(self, &c, transpose: .transpose) } catch { return c }
    c.mirrorLowerToUpper()
    return c
  }

  /// Copies the lower triangle onto the upper one, making the matrix symmetric.
  package mutating func mirrorLowerToUpper() {
    let n = rows
    withUnsafeMutableBufferPointer { p in
      for j in 0..<n {
        for i in (j + 1)..<n { p[j + i * n] = p[i + j * n] }
      }
    }
  }

  /// The element-wise sum.
  ///
  /// - Precondition: Both matrices have the same shape (as with array arithmetic, a
  ///   mismatch is a programming error).
  public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix shapes differ in +")
    var out = lhs
    out.withUnsafeMutableBufferPointer { o in
      rhs.withUnsafeBufferPointer { r in for i in 0..<r.count { o[i] += r[i] } }
    }
    return out
  }

  /// The element-wise difference.
  ///
  /// - Precondition: Both matrices have the same shape.
  public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix shapes differ in -")
    var out = lhs
    out.withUnsafeMutableBufferPointer { o in
      rhs.withUnsafeBufferPointer { r in for i in 0..<r.count { o[i] -= r[i] } }
    }
    return out
  }

  /// Every element multiplied by `scalar`.
  public static func * (scalar: Double, matrix: Matrix) -> Matrix {
    var out = matrix
    out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] *= scalar } }
    return out
  }

  /// The largest absolute element-wise difference between two matrices of one shape, or
  /// infinity when the shapes differ. Useful for comparing results with a tolerance.
  public func maxAbsDifference(_ other: Matrix) -> Double {
    guard rows == other.rows, columns == other.columns else { return .infinity }
    var worst = 0.0
    for (a, b) in zip(storage, other.storage) { worst = Swift.max(worst, Swift.abs(a - b)) }
    return worst
  }

  /// The Frobenius norm `sqrt(Σ aᵢⱼ²)`.
  public var frobeniusNorm: Double { BLAS.nrm2(storage) }

  /// The 1-norm: the largest column sum of absolute values (as LAPACK's `dlange('1')`).
  public var oneNorm: Double {
    var best = 0.0
    for j in 0..<columns { best = Swift.max(best, column(j).reduce(0) { $0 + Swift.abs($1) }) }
    return best
  }
}
