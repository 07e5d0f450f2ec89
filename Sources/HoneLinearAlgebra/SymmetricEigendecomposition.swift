internal import CHoneLAPACKE

/// The eigendecomposition `A = V·diag(λ)·Vᵀ` of a real symmetric matrix (LAPACK `dsyevd`,
/// divide and conquer).
public struct SymmetricEigendecomposition: Sendable {
  /// The eigenvalues in ascending order.
  public let values: [Double]
  /// The orthonormal eigenvectors, one per column, in the order of ``values``.
  public let vectors: Matrix

  /// Decomposes `a`, reading only its lower triangle.
  ///
  /// - Throws: ``LinearAlgebraError`` with kind `.notConverged` when the algorithm fails,
  ///   `.dimensionMismatch` for a non-square matrix, `.nonFinite` for NaN or infinity.
  /// - Complexity: O(n³).
  public init(_ a: Matrix) throws {
    try LAPACK.requireSquare(a, routine: "dsyevd")
    try LAPACK.requireFinite(a, routine: "dsyevd")
    let n = a.rows
    var v = a
    var w = [Double](repeating: 0, count: n)
    if n > 0 {
      let info = v.withUnsafeMutableBufferPointer { p in
        LAPACKE_dsyevd(
          LAPACK.columnMajor, Int8(UInt8(ascii: "V")), Triangle.lower.lapack, Int32(n), p.baseAddress,
          Int32(n), &w)
      }
      let code = try LAPACK.check(info, routine: "dsyevd")
      if code > 0 {
        throw LinearAlgebraError(
          kind: .notConverged(count: code), routine: "dsyevd", info: code,
          message: "the eigenvalue algorithm failed to converge (info \(code))")
      }
    }
    values = w
    vectors = v
  }
}
