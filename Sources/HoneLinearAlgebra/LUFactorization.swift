internal import CHoneLAPACKE
import Foundation

/// The LU factorization `P·A = L·U` of a square matrix with partial pivoting (LAPACK
/// `dgetrf`), reusable for many solves.
public struct LUFactorization: Sendable {
  /// `L` (unit diagonal, below the diagonal) and `U` (on and above it), packed in one matrix.
  public let packed: Matrix
  /// LAPACK's 1-based pivot indices: row `i` was swapped with row `pivots[i]`.
  public let pivots: [Int32]

  /// Factorizes `a`.
  ///
  /// - Throws: ``LinearAlgebraError`` with kind `.singular(pivot:)` when `U` has an exact
  ///   zero on its diagonal (the matrix is singular), `.dimensionMismatch` when `a` is
  ///   not square, `.nonFinite` for NaN or infinity.
  /// - Complexity: O(n³).
  public init(_ a: Matrix) throws {
    try LAPACK.requireSquare(a, routine: "dgetrf")
    try LAPACK.requireFinite(a, routine: "dgetrf")
    var lu = a
    var ipiv = [hone_lapack_int](repeating: 0, count: a.rows)
    let n = Int32(a.rows)
    let info =
      a.rows == 0
      ? 0
      : lu.withUnsafeMutableBufferPointer { p in
        LAPACKE_dgetrf(LAPACK.columnMajor, n, n, p.baseAddress, n, &ipiv)
      }
    let code = try LAPACK.check(info, routine: "dgetrf")
    if code > 0 {
      throw LinearAlgebraError(
        kind: .singular(pivot: code), routine: "dgetrf", info: code,
        message: "matrix is singular: U(\(code),\(code)) is exactly zero")
    }
    packed = lu
    pivots = ipiv
  }

  /// Solves `A·X = B` with the stored factors (LAPACK `dgetrs`).
  ///
  /// - Throws: ``LinearAlgebraError`` when `B` has the wrong number of rows or non-finite values.
  /// - Complexity: O(n² × k).
  public func solve(_ b: Matrix) throws -> Matrix {
    guard b.rows == packed.rows else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dgetrs", message: "A is \(packed.rows) x \(packed.rows) but B has \(b.rows) rows")
    }
    try LAPACK.requireFinite(b, routine: "dgetrs", name: "B")
    if b.isEmpty { return b }
    var x = b
    let n = Int32(packed.rows)
    let info = packed.withUnsafeBufferPointer { a in
      x.withUnsafeMutableBufferPointer { bp in
        LAPACKE_dgetrs(
          LAPACK.columnMajor, Int8(UInt8(ascii: "N")), n, Int32(b.columns), a.baseAddress, n, pivots,
          bp.baseAddress, n)
      }
    }
    _ = try LAPACK.check(info, routine: "dgetrs")
    return x
  }

  /// The sign and natural log of `|det A|`.
  public var logAbsDeterminant: (sign: Double, logAbs: Double) {
    var sign = 1.0
    var logAbs = 0.0
    for i in 0..<packed.rows {
      let u = packed[i, i]
      if u < 0 { sign = -sign }
      if pivots[i] != Int32(i + 1) { sign = -sign }
      logAbs += log(abs(u))
    }
    return (sign, logAbs)
  }

  /// The reciprocal condition number estimate in the 1-norm (LAPACK `dgecon`).
  ///
  /// - Parameter oneNorm: `‖A‖₁` of the matrix that was factorized.
  func reciprocalCondition(oneNorm: Double) throws -> Double {
    var rcond = 0.0
    let n = Int32(packed.rows)
    let info = packed.withUnsafeBufferPointer { a in
      LAPACKE_dgecon(LAPACK.columnMajor, Int8(UInt8(ascii: "1")), n, a.baseAddress, n, oneNorm, &rcond)
    }
    _ = try LAPACK.check(info, routine: "dgecon")
    return rcond
  }
}
