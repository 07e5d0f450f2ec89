internal import CHoneLAPACKE
import Foundation

/// Shared plumbing for the LAPACK wrappers: argument checks and `info` translation.
enum LAPACK {
  /// LAPACKE's layout flag for column-major storage, the layout ``Matrix`` uses.
  static let columnMajor = Int32(LAPACK_COL_MAJOR)

  /// Throws unless `matrix` is square.
  static func requireSquare(_ matrix: Matrix, routine: String) throws {
    guard matrix.isSquare else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: routine, message: "needs a square matrix, got \(matrix.rows) x \(matrix.columns)")
    }
  }

  /// Throws unless every element is finite: LAPACK's behaviour on NaN and infinity is
  /// undefined (it can return garbage or fail to converge), so inputs are checked first.
  static func requireFinite(_ matrix: Matrix, routine: String, name: String = "the matrix") throws {
    let finite = matrix.withUnsafeBufferPointer { p in
      var ok = true
      for v in p where !v.isFinite {
        ok = false
        break
      }
      return ok
    }
    guard finite else {
      throw LinearAlgebraError(
        kind: .nonFinite, routine: routine,
        message: "\(name) contains NaN or infinity; remove or impute non-finite values first")
    }
  }

  /// The leading dimension for a matrix with `rows` rows (LAPACK wants at least 1).
  static func leadingDimension(_ rows: Int) -> Int32 { Int32(Swift.max(1, rows)) }

  /// Turns a negative `info` into an error; returns positive values for the caller to
  /// interpret, since their meaning depends on the routine.
  static func check(_ info: Int32, routine: String) throws -> Int {
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, info: info) }
    return Int(info)
  }
}

extension Matrix {
  /// Solves `self · X = B` for a square `self` by LU factorization with partial pivoting
  /// (LAPACK `dgesv`).
  ///
  /// - Parameter b: The right-hand sides, one per column (`rows × k`).
  /// - Returns: `X`, of shape `columns × k`.
  /// - Throws: ``LinearAlgebraError`` with kind `.singular(pivot:)` when the matrix is
  ///   exactly singular, `.dimensionMismatch` for a non-square matrix or a `b` with the
  ///   wrong row count, `.nonFinite` for NaN or infinity.
  /// - Complexity: O(n³ + n²k).
  public func solve(_ b: Matrix) throws -> Matrix {
    try LAPACK.requireSquare(self, routine: "dgesv")
    guard b.rows == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dgesv", message: "A is \(rows) x \(columns) but B has \(b.rows) rows")
    }
    try LAPACK.requireFinite(self, routine: "dgesv", name: "A")
    try LAPACK.requireFinite(b, routine: "dgesv", name: "B")
    if rows == 0 { return Matrix(rows: 0, columns: b.columns) }
    var lu = self
    var x = b
    var pivots = [hone_lapack_int](repeating: 0, count: rows)
    let n = Int32(rows)
    let info = lu.withUnsafeMutableBufferPointer { a in
      x.withUnsafeMutableBufferPointer { bp in
        LAPACKE_dgesv(
          LAPACK.columnMajor, n, Int32(b.columns), a.baseAddress, n, &pivots, bp.baseAddress, n)
      }
    }
    let code = try LAPACK.check(info, routine: "dgesv")
    if code > 0 {
      throw LinearAlgebraError(
        kind: .singular(pivot: code), routine: "dgesv", info: code,
        message:
          "matrix is singular: U(\(code),\(code)) is exactly zero, so the system has no unique solution; use leastSquares(_:method: .svd()) for a minimum-norm solution"
      )
    }
    return x
  }

  /// Solves `self · x = b` for one right-hand side. See ``solve(_:)-(Matrix)``.
  ///
  /// - Throws: ``LinearAlgebraError`` as ``solve(_:)-(Matrix)``.
  public func solve(_ b: [Double]) throws -> [Double] {
    try solve(Matrix.columnVector(b)).storage
  }

  /// The inverse, computed by LU factorization and a solve against the identity.
  ///
  /// Prefer ``solve(_:)-(Matrix)`` to multiplying by an inverse: it is faster and more
  /// accurate.
  ///
  /// - Throws: ``LinearAlgebraError`` with kind `.singular(pivot:)` when no inverse exists.
  /// - Complexity: O(n³).
  public func inverse() throws -> Matrix {
    try LAPACK.requireSquare(self, routine: "inverse")
    return try LUFactorization(self).solve(.identity(rows))
  }

  /// The determinant, from the LU factorization (the product of `U`'s diagonal, with the
  /// sign of the row permutation).
  ///
  /// Returns `0` for an exactly singular matrix and `1` for a 0 × 0 matrix. For large
  /// matrices the determinant easily overflows; ``logAbsDeterminant()`` does not.
  ///
  /// - Throws: ``LinearAlgebraError`` for a non-square or non-finite matrix.
  /// - Complexity: O(n³).
  public func determinant() throws -> Double {
    let (sign, logAbs) = try logAbsDeterminant()
    return sign == 0 ? 0 : sign * exp(logAbs)
  }

  /// The sign and the natural log of the absolute value of the determinant.
  ///
  /// - Returns: `sign` is `-1`, `0` or `1`; `logAbs` is `-infinity` when `sign` is `0`.
  /// - Throws: ``LinearAlgebraError`` for a non-square or non-finite matrix.
  public func logAbsDeterminant() throws -> (sign: Double, logAbs: Double) {
    try LAPACK.requireSquare(self, routine: "determinant")
    let lu: LUFactorization
    do {
      lu = try LUFactorization(self)
    } catch let error as LinearAlgebraError {
      if case .singular = error.kind { return (0, -.infinity) }
      throw error
    }
    return lu.logAbsDeterminant
  }

  /// An estimate of the condition number in the 1-norm, `‖A‖₁ · ‖A⁻¹‖₁`, from LAPACK
  /// `dgecon` on the LU factorization.
  ///
  /// Large values (say above 1e12) mean solves lose most of their digits. Returns
  /// infinity for an exactly singular matrix and 1 for a 0 × 0 matrix.
  ///
  /// - Throws: ``LinearAlgebraError`` for a non-square or non-finite matrix.
  /// - Complexity: O(n³) for the factorization, O(n²) for the estimate.
  public func conditionNumber() throws -> Double {
    try LAPACK.requireSquare(self, routine: "dgecon")
    if rows == 0 { return 1 }
    let lu: LUFactorization
    do {
      lu = try LUFactorization(self)
    } catch let error as LinearAlgebraError {
      if case .singular = error.kind { return .infinity }
      throw error
    }
    let rcond = try lu.reciprocalCondition(oneNorm: oneNorm)
    return rcond == 0 ? .infinity : 1 / rcond
  }
}
