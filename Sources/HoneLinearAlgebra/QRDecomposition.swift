internal import CHoneLAPACKE

/// The QR decomposition `A = Q·R` (LAPACK `dgeqrf` + `dorgqr`).
///
/// In the reduced form (the default) `Q` is `m × k` with orthonormal columns and `R` is
/// `k × n` upper triangular (upper trapezoidal when `m < n`), where `k = min(m, n)`. In
/// the complete form `Q` is `m × m` orthogonal and `R` is `m × n`.
public struct QRDecomposition: Sendable {
  /// Which shape of `Q` and `R` to compute.
  public enum Mode: Sendable {
    /// `Q` is `m × min(m, n)`.
    case reduced
    /// `Q` is `m × m`.
    case complete
  }

  /// The factor with orthonormal columns.
  public let q: Matrix
  /// The upper-triangular factor.
  public let r: Matrix

  /// Decomposes `a`.
  ///
  /// - Throws: ``LinearAlgebraError`` with kind `.nonFinite` for NaN or infinity.
  /// - Complexity: O(m n²) for `m ≥ n`.
  public init(_ a: Matrix, mode: Mode = .reduced) throws {
    try LAPACK.requireFinite(a, routine: "dgeqrf")
    let (m, n) = (a.rows, a.columns)
    let k = Swift.min(m, n)
    let qColumns = mode == .reduced ? k : m
    if m == 0 || n == 0 {
      q = mode == .complete ? .identity(m) : Matrix(rows: m, columns: 0)
      r = Matrix(rows: qColumns, columns: n)
      return
    }
    var factored = a
    var tau = [Double](repeating: 0, count: k)
    let lda = LAPACK.leadingDimension(m)
    let info = factored.withUnsafeMutableBufferPointer { p in
      LAPACKE_dgeqrf(LAPACK.columnMajor, Int32(m), Int32(n), p.baseAddress, lda, &tau)
    }
    _ = try LAPACK.check(info, routine: "dgeqrf")

    var upper = Matrix(rows: qColumns, columns: n)
    for j in 0..<n {
      for i in 0...Swift.min(j, qColumns - 1) { upper[i, j] = factored[i, j] }
    }
    // dorgqr forms Q from the Householder reflectors stored below R's diagonal.
    var qStorage = [Double](repeating: 0, count: m * qColumns)
    let copied = Swift.min(n, qColumns)
    factored.withUnsafeBufferPointer { src in
      for i in 0..<(m * copied) { qStorage[i] = src[i] }
    }
    let infoQ = qStorage.withUnsafeMutableBufferPointer { p in
      LAPACKE_dorgqr(LAPACK.columnMajor, Int32(m), Int32(qColumns), Int32(k), p.baseAddress, lda, tau)
    }
    _ = try LAPACK.check(infoQ, routine: "dorgqr")
    q = Matrix(uncheckedRows: m, columns: qColumns, storage: qStorage)
    r = upper
  }
}
