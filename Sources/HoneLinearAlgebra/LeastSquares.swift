internal import CHoneLAPACKE

/// How ``Matrix/leastSquares(_:method:)`` solves `min ‖A·X − B‖₂`.
public enum LeastSquaresMethod: Sendable, Equatable {
  /// QR factorization (LAPACK `dgels`): fast, for matrices of full column rank (or full
  /// row rank when underdetermined, giving the minimum-norm solution). A rank-deficient
  /// matrix throws.
  case qr
  /// SVD with divide and conquer (LAPACK `gelsd`): handles any rank. Singular values
  /// below `rcond × σ_max` are treated as zero; `nil` uses machine precision. Returns the
  /// minimum-norm solution, the effective rank and the singular values.
  case svd(rcond: Double? = nil)
}

/// The result of a least-squares solve.
public struct LeastSquaresSolution: Sendable {
  /// The solution `X`, of shape `A.columns × B.columns`.
  public let solution: Matrix
  /// The effective rank of `A`: from the SVD for `.svd`, `min(m, n)` for `.qr`.
  public let rank: Int
  /// The singular values of `A` in decreasing order (`.svd` only; empty for `.qr`).
  public let singularValues: [Double]
}

extension Matrix {
  /// Solves the least-squares problem `min ‖self·X − B‖₂` (or the minimum-norm solution of
  /// an underdetermined system).
  ///
  /// ```swift
  /// let fit = try x.leastSquares(y, method: .svd())
  /// print(fit.solution, fit.rank)
  /// ```
  ///
  /// - Parameters:
  ///   - b: The right-hand sides, one per column (`rows × k`).
  ///   - method: ``LeastSquaresMethod/qr`` or ``LeastSquaresMethod/svd(rcond:)``.
  /// - Throws: ``LinearAlgebraError`` with kind `.rankDeficient` when `.qr` meets a
  ///   matrix without full rank, `.notConverged` when the SVD fails, `.dimensionMismatch`
  ///   when `b.rows != rows`, `.nonFinite` for NaN or infinity.
  /// - Complexity: O(m n² ) for `m ≥ n`; the SVD path costs a few times more than QR.
  public func leastSquares(_ b: Matrix, method: LeastSquaresMethod = .qr) throws -> LeastSquaresSolution {
    let routine = method == .qr ? "dgels" : "dgelsd"
    guard b.rows == rows else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: routine, message: "A has \(rows) rows but B has \(b.rows)")
    }
    try LAPACK.requireFinite(self, routine: routine, name: "A")
    try LAPACK.requireFinite(b, routine: routine, name: "B")
    let (m, n, nrhs) = (rows, columns, b.columns)
    if m == 0 || n == 0 || nrhs == 0 {
      return LeastSquaresSolution(solution: Matrix(rows: n, columns: nrhs), rank: 0, singularValues: [])
    }
    // LAPACK overwrites B with X, so B's storage must hold max(m, n) rows.
    let ldb = Swift.max(m, n)
    var work = [Double](repeating: 0, count: ldb * nrhs)
    for j in 0..<nrhs {
      for i in 0..<m { work[i + j * ldb] = b[i, j] }
    }
    var a = self
    var rank = Swift.min(m, n)
    var singular: [Double] = []
    switch method {
    case .qr:
      let info = a.withUnsafeMutableBufferPointer { ap in
        work.withUnsafeMutableBufferPointer { bp in
          LAPACKE_dgels(
            LAPACK.columnMajor, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), Int32(nrhs), ap.baseAddress,
            Int32(m), bp.baseAddress, Int32(ldb))
        }
      }
      let code = try LAPACK.check(info, routine: "dgels")
      if code > 0 {
        throw LinearAlgebraError(
          kind: .rankDeficient, routine: "dgels", info: code,
          message:
            "matrix does not have full rank: diagonal element \(code) of the triangular factor is zero; use method: .svd() for rank-deficient problems"
        )
      }
      // dgels only notices an exactly zero diagonal element. Collinear columns (one-hot
      // columns plus an intercept, a duplicated feature) leave one at rounding level instead,
      // and the solve then returns values of order 1e15. dgels leaves R (or L when m < n) in
      // `a`; treat |Rᵢᵢ| <= max(m, n)·ε·max|Rⱼⱼ| as zero, the tolerance NumPy's matrix_rank
      // applies to singular values.
      let diagonal = (0..<Swift.min(m, n)).map { Swift.abs(a[$0, $0]) }
      let cutoff = Double(Swift.max(m, n)) * Double.ulpOfOne * (diagonal.max() ?? 0)
      if let index = diagonal.firstIndex(where: { $0 <= cutoff }) {
        throw LinearAlgebraError(
          kind: .rankDeficient, routine: "dgels",
          message:
            "matrix does not have full rank: diagonal element \(index + 1) of the triangular factor is \(diagonal[index]), at rounding level (collinear columns?); use method: .svd() for rank-deficient problems"
        )
      }
    case .svd(let rcond):
      var s = [Double](repeating: 0, count: Swift.min(m, n))
      var effectiveRank: hone_lapack_int = 0
      let info = a.withUnsafeMutableBufferPointer { ap in
        work.withUnsafeMutableBufferPointer { bp in
          LAPACKE_dgelsd(
            LAPACK.columnMajor, Int32(m), Int32(n), Int32(nrhs), ap.baseAddress, Int32(m),
            bp.baseAddress, Int32(ldb), &s, rcond ?? -1, &effectiveRank)
        }
      }
      let code = try LAPACK.check(info, routine: "dgelsd")
      if code > 0 {
        throw LinearAlgebraError(
          kind: .notConverged(count: code), routine: "dgelsd", info: code,
          message: "the SVD did not converge: \(code) off-diagonal elements did not reach zero")
      }
      rank = Int(effectiveRank)
      singular = s
    }
    var x = Matrix(rows: n, columns: nrhs)
    for j in 0..<nrhs {
      for i in 0..<n { x[i, j] = work[i + j * ldb] }
    }
    return LeastSquaresSolution(solution: x, rank: rank, singularValues: singular)
  }

  /// Solves `min ‖self·x − b‖₂` for one right-hand side.
  ///
  /// - Throws: ``LinearAlgebraError`` as ``leastSquares(_:method:)-(Matrix,_)``.
  public func leastSquares(_ b: [Double], method: LeastSquaresMethod = .qr) throws -> LeastSquaresSolution {
    try leastSquares(Matrix.columnVector(b), method: method)
  }
}
