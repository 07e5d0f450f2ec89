internal import CHoneLAPACKE
import Foundation

/// The Cholesky factorization `A = L·Lᵀ` of a symmetric positive-definite matrix (LAPACK
/// `dpotrf`), reusable for many solves (`dpotrs`).
///
/// Only the lower triangle of the input is read, so a matrix built by ``BLAS/syrk(_:_:triangle:transpose:alpha:beta:)``
/// into its lower triangle can be factorized directly.
///
/// ```swift
/// let chol = try CholeskyFactorization(x.gram())
/// let beta = try chol.solve(xty)
/// ```
public struct CholeskyFactorization: Sendable {
  /// The lower-triangular factor `L`; the strictly upper triangle is zero.
  public let lower: Matrix

  /// Factorizes `a`.
  ///
  /// - Throws: ``LinearAlgebraError`` with kind `.notPositiveDefinite(leadingMinor:)`
  ///   naming the first leading minor that is not positive (add a ridge penalty or check
  ///   for collinear columns), `.dimensionMismatch` when `a` is not square, `.nonFinite`
  ///   for NaN or infinity.
  /// - Complexity: O(n³ / 3).
  public init(_ a: Matrix) throws {
    try LAPACK.requireSquare(a, routine: "dpotrf")
    try LAPACK.requireFinite(a, routine: "dpotrf")
    var l = a
    let n = Int32(a.rows)
    let info =
      a.rows == 0
      ? 0
      : l.withUnsafeMutableBufferPointer { p in
        LAPACKE_dpotrf(LAPACK.columnMajor, Triangle.lower.lapack, n, p.baseAddress, n)
      }
    let code = try LAPACK.check(info, routine: "dpotrf")
    if code > 0 {
      throw LinearAlgebraError(
        kind: .notPositiveDefinite(leadingMinor: code), routine: "dpotrf", info: code,
        message:
          "matrix is not positive definite: leading minor \(code) is not positive (collinear or constant columns? add a ridge penalty)"
      )
    }
    // LAPACK leaves the strictly upper triangle untouched; clear it so `lower` is exactly L.
    let size = a.rows
    l.withUnsafeMutableBufferPointer { p in
      for j in 0..<size {
        for i in 0..<j { p[i + j * size] = 0 }
      }
    }
    lower = l
  }

  /// Solves `A·X = B` with the stored factor.
  ///
  /// - Throws: ``LinearAlgebraError`` when `B` has the wrong number of rows or non-finite values.
  /// - Complexity: O(n² × k).
  public func solve(_ b: Matrix) throws -> Matrix {
    guard b.rows == lower.rows else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dpotrs", message: "A is \(lower.rows) x \(lower.rows) but B has \(b.rows) rows")
    }
    try LAPACK.requireFinite(b, routine: "dpotrs", name: "B")
    if b.isEmpty { return b }
    var x = b
    let n = Int32(lower.rows)
    let info = lower.withUnsafeBufferPointer { a in
      x.withUnsafeMutableBufferPointer { bp in
        LAPACKE_dpotrs(
          LAPACK.columnMajor, Triangle.lower.lapack, n, Int32(b.columns), a.baseAddress, n,
          bp.baseAddress, n)
      }
    }
    _ = try LAPACK.check(info, routine: "dpotrs")
    return x
  }

  /// Solves `A·x = b` for one right-hand side.
  ///
  /// - Throws: ``LinearAlgebraError`` as ``solve(_:)-(Matrix)``.
  public func solve(_ b: [Double]) throws -> [Double] {
    try solve(Matrix.columnVector(b)).storage
  }

  /// `log det A = 2 Σ log Lᵢᵢ`, which does not overflow.
  public var logDeterminant: Double {
    (0..<lower.rows).reduce(0) { $0 + 2 * log(lower[$1, $1]) }
  }
}
