internal import CHoneBLAS

/// Unchecked, pointer-level `gemm` for inner loops that own preallocated buffers (the
/// neural-network training loop): no shape checks and no `Matrix` wrapper, so a
/// mini-batch step allocates nothing. Callers inside the package guarantee the shapes.
extension BLAS {
  /// Column-major `C ← alpha·op(A)·op(B) + beta·C` in `Double` (`dgemm`).
  ///
  /// - Precondition: the pointers hold `lda × (k or m)`, `ldb × (n or k)` and `ldc × n`
  ///   elements for the chosen transposes; `m, n, k ≥ 1`.
  package static func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Double,
    _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int, beta: Double,
    _ c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasColMajor, transposeA.cblas, transposeB.cblas, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b,
      Int32(ldb), beta, c, Int32(ldc))
  }

  /// Column-major `C ← alpha·op(A)·op(B) + beta·C` in `Float` (`sgemm`).
  ///
  /// - Precondition: as the `Double` overload.
  package static func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
    _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasColMajor, transposeA.cblas, transposeB.cblas, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b,
      Int32(ldb), beta, c, Int32(ldc))
  }
}
