internal import CHoneLAPACKE

/// The singular value decomposition `A = U·diag(σ)·Vᵀ` (LAPACK `dgesdd`, divide and conquer).
///
/// In the reduced form (the default) `U` is `m × k` and `Vᵀ` is `k × n` with
/// `k = min(m, n)`; in the complete form `U` is `m × m` and `Vᵀ` is `n × n`.
public struct SingularValueDecomposition: Sendable {
  /// Which shape of `U` and `Vᵀ` to compute.
  public enum Mode: Sendable {
    /// `U` is `m × min(m, n)`, `Vᵀ` is `min(m, n) × n`.
    case reduced
    /// `U` is `m × m`, `Vᵀ` is `n × n`.
    case complete
  }

  /// The left singular vectors, one per column.
  public let u: Matrix
  /// The singular values in decreasing order, all non-negative.
  public let singularValues: [Double]
  /// The right singular vectors, one per row.
  public let vt: Matrix

  /// Decomposes `a`.
  ///
  /// - Throws: ``LinearAlgebraError`` with kind `.notConverged` when the algorithm fails,
  ///   `.nonFinite` for NaN or infinity.
  /// - Complexity: O(m n min(m, n)).
  public init(_ a: Matrix, mode: Mode = .reduced) throws {
    try LAPACK.requireFinite(a, routine: "dgesdd")
    let (m, n) = (a.rows, a.columns)
    let k = Swift.min(m, n)
    let (uColumns, vtRows) = mode == .reduced ? (k, k) : (m, n)
    if m == 0 || n == 0 {
      u = mode == .complete ? .identity(m) : Matrix(rows: m, columns: 0)
      singularValues = []
      vt = mode == .complete ? .identity(n) : Matrix(rows: 0, columns: n)
      return
    }
    var work = a
    var s = [Double](repeating: 0, count: k)
    var uStorage = [Double](repeating: 0, count: m * uColumns)
    var vtStorage = [Double](repeating: 0, count: vtRows * n)
    let job = Int8(UInt8(ascii: mode == .reduced ? "S" : "A"))
    let info = work.withUnsafeMutableBufferPointer { ap in
      uStorage.withUnsafeMutableBufferPointer { up in
        vtStorage.withUnsafeMutableBufferPointer { vp in
          LAPACKE_dgesdd(
            LAPACK.columnMajor, job, Int32(m), Int32(n), ap.baseAddress, Int32(m), &s, up.baseAddress,
            Int32(m), vp.baseAddress, Int32(vtRows))
        }
      }
    }
    let code = try LAPACK.check(info, routine: "dgesdd")
    if code > 0 {
      throw LinearAlgebraError(
        kind: .notConverged(count: code), routine: "dgesdd", info: code,
        message: "the SVD did not converge (info \(code))")
    }
    u = Matrix(uncheckedRows: m, columns: uColumns, storage: uStorage)
    singularValues = s
    vt = Matrix(uncheckedRows: vtRows, columns: n, storage: vtStorage)
  }
}
