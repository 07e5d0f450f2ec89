internal import CHoneBLAS

/// Whether a BLAS operand is used as stored or transposed.
public enum Transpose: Sendable, Equatable {
  /// Use the operand as stored.
  case none
  /// Use the transpose of the operand.
  case transpose

  var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Which triangle of a symmetric or triangular matrix an operation reads or writes.
public enum Triangle: Sendable, Equatable {
  /// The upper triangle.
  case upper
  /// The lower triangle.
  case lower

  var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
  var lapack: Int8 { self == .upper ? Int8(UInt8(ascii: "U")) : Int8(UInt8(ascii: "L")) }
}

/// The side a triangular matrix multiplies from in ``BLAS/trsm(_:_:triangle:side:transpose:unitDiagonal:alpha:)``.
public enum Side: Sendable, Equatable {
  /// Solve `op(A) X = alpha B`.
  case left
  /// Solve `X op(A) = alpha B`.
  case right

  var cblas: CBLAS_SIDE { self == .left ? CblasLeft : CblasRight }
}

/// Thin, checked wrappers over CBLAS (OpenBLAS) for vectors (`[Double]`) and ``Matrix``.
///
/// Each wrapper checks shapes and throws ``LinearAlgebraError`` on a mismatch, then makes
/// exactly one BLAS call on the operands' storage, without copying them. Names follow
/// BLAS, so the reference documentation applies: `dot`, `axpy`, `scal`, `nrm2`, `asum`
/// (level 1), `gemv`, `ger` (level 2), `gemm`, `syrk`, `trsm` (level 3).
///
/// Results of multithreaded BLAS calls can differ in the last bits between thread
/// counts; see ``BLASThreadPolicy``.
public enum BLAS {
  // MARK: Level 1

  /// The dot product `xᵀy`.
  ///
  /// - Throws: ``LinearAlgebraError`` when the lengths differ.
  /// - Complexity: O(n).
  public static func dot(_ x: [Double], _ y: [Double]) throws -> Double {
    try checkSameLength(x.count, y.count, routine: "ddot")
    return cblas_ddot(Int32(x.count), x, 1, y, 1)
  }

  /// `y ← alpha·x + y`.
  ///
  /// - Throws: ``LinearAlgebraError`` when the lengths differ.
  /// - Complexity: O(n).
  public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) throws {
    try checkSameLength(x.count, y.count, routine: "daxpy")
    let n = Int32(x.count)
    y.withUnsafeMutableBufferPointer { yp in cblas_daxpy(n, alpha, x, 1, yp.baseAddress, 1) }
  }

  /// `x ← alpha·x`.
  ///
  /// - Complexity: O(n).
  public static func scal(_ alpha: Double, _ x: inout [Double]) {
    let n = Int32(x.count)
    x.withUnsafeMutableBufferPointer { xp in cblas_dscal(n, alpha, xp.baseAddress, 1) }
  }

  /// The Euclidean norm `‖x‖₂`, computed without overflow for large elements.
  ///
  /// - Complexity: O(n).
  public static func nrm2(_ x: [Double]) -> Double {
    cblas_dnrm2(Int32(x.count), x, 1)
  }

  /// The sum of absolute values `Σ|xᵢ|`.
  ///
  /// - Complexity: O(n).
  public static func asum(_ x: [Double]) -> Double {
    cblas_dasum(Int32(x.count), x, 1)
  }

  // MARK: Level 2

  /// `y ← alpha·op(A)·x + beta·y`.
  ///
  /// ```swift
  /// try BLAS.gemv(a, x, &y)                          // y = A·x
  /// try BLAS.gemv(a, r, &g, transpose: .transpose)   // g = Aᵀ·r
  /// ```
  ///
  /// - Parameters:
  ///   - a: The matrix.
  ///   - x: A vector of length `op(A).columns`.
  ///   - y: A vector of length `op(A).rows`, overwritten with the result.
  ///   - transpose: Whether to use `A` or `Aᵀ`.
  ///   - alpha: Scale of the product.
  ///   - beta: Scale of the existing `y`; with `0`, `y`'s contents are ignored.
  /// - Throws: ``LinearAlgebraError`` when the shapes do not fit.
  /// - Complexity: O(rows × columns).
  public static func gemv(
    _ a: Matrix, _ x: [Double], _ y: inout [Double], transpose: Transpose = .none, alpha: Double = 1,
    beta: Double = 0
  ) throws {
    let (opRows, opColumns) = transpose == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    guard x.count == opColumns, y.count == opRows else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dgemv",
        message:
          "op(A) is \(opRows) x \(opColumns), x has \(x.count) elements and y has \(y.count); expected \(opColumns) and \(opRows)"
      )
    }
    if opRows == 0 { return }
    if opColumns == 0 {
      scal(beta, &y)
      return
    }
    a.withUnsafeBufferPointer { ap in
      y.withUnsafeMutableBufferPointer { yp in
        cblas_dgemv(
          CblasColMajor, transpose.cblas, Int32(a.rows), Int32(a.columns), alpha, ap.baseAddress,
          Int32(Swift.max(1, a.rows)), x, 1, beta, yp.baseAddress, 1)
      }
    }
  }

  /// The rank-one update `A ← alpha·x·yᵀ + A`.
  ///
  /// - Throws: ``LinearAlgebraError`` when `x.count != A.rows` or `y.count != A.columns`.
  /// - Complexity: O(rows × columns).
  public static func ger(_ x: [Double], _ y: [Double], _ a: inout Matrix, alpha: Double = 1) throws {
    guard x.count == a.rows, y.count == a.columns else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dger",
        message: "A is \(a.rows) x \(a.columns) but x has \(x.count) and y has \(y.count) elements")
    }
    if a.isEmpty { return }
    let (m, n) = (Int32(a.rows), Int32(a.columns))
    a.withUnsafeMutableBufferPointer { ap in
      cblas_dger(CblasColMajor, m, n, alpha, x, 1, y, 1, ap.baseAddress, m)
    }
  }

  // MARK: Level 3

  /// The general matrix product `C ← alpha·op(A)·op(B) + beta·C`.
  ///
  /// ```swift
  /// try BLAS.gemm(a, b, &c)                                  // C = A·B
  /// try BLAS.gemm(x, x, &g, transposeA: .transpose)          // G = XᵀX (see also Matrix.gram())
  /// ```
  ///
  /// - Parameters:
  ///   - a: Left operand.
  ///   - b: Right operand.
  ///   - c: The result, of shape `op(A).rows × op(B).columns`.
  ///   - transposeA: Whether to use `A` or `Aᵀ`.
  ///   - transposeB: Whether to use `B` or `Bᵀ`.
  ///   - alpha: Scale of the product.
  ///   - beta: Scale of the existing `C`; with `0`, `C`'s contents are ignored.
  /// - Throws: ``LinearAlgebraError`` when the shapes do not fit.
  /// - Complexity: O(m × n × k).
  public static func gemm(
    _ a: Matrix, _ b: Matrix, _ c: inout Matrix, transposeA: Transpose = .none, transposeB: Transpose = .none,
    alpha: Double = 1, beta: Double = 0
  ) throws {
    let (m, k) = transposeA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    let (kb, n) = transposeB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
    guard k == kb, c.rows == m, c.columns == n else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dgemm",
        message:
          "op(A) is \(m) x \(k), op(B) is \(kb) x \(n) and C is \(c.rows) x \(c.columns); they must be m x k, k x n and m x n"
      )
    }
    if m == 0 || n == 0 { return }
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          cblas_dgemm(
            CblasColMajor, transposeA.cblas, transposeB.cblas, Int32(m), Int32(n), Int32(k), alpha,
            ap.baseAddress, Int32(Swift.max(1, a.rows)), bp.baseAddress, Int32(Swift.max(1, b.rows)),
            beta, cp.baseAddress, Int32(Swift.max(1, m)))
        }
      }
    }
  }

  /// The symmetric rank-k update `C ← alpha·A·Aᵀ + beta·C` (or `alpha·Aᵀ·A + beta·C` with
  /// `transpose: .transpose`), writing only `triangle` of `C`.
  ///
  /// `syrk` does half the work of `gemm` for a Gram matrix such as `XᵀX`. Use
  /// ``Matrix/gram()`` for the full symmetric result.
  ///
  /// - Throws: ``LinearAlgebraError`` when `C` is not square of the right size.
  /// - Complexity: O(n² × k).
  public static func syrk(
    _ a: Matrix, _ c: inout Matrix, triangle: Triangle = .lower, transpose: Transpose = .none, alpha: Double = 1,
    beta: Double = 0
  ) throws {
    let (n, k) = transpose == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    guard c.rows == n, c.columns == n else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dsyrk", message: "op(A) is \(n) x \(k), so C must be \(n) x \(n), not \(c.rows) x \(c.columns)")
    }
    if n == 0 { return }
    a.withUnsafeBufferPointer { ap in
      c.withUnsafeMutableBufferPointer { cp in
        cblas_dsyrk(
          CblasColMajor, triangle.cblas, transpose.cblas, Int32(n), Int32(k), alpha, ap.baseAddress,
          Int32(Swift.max(1, a.rows)), beta, cp.baseAddress, Int32(n))
      }
    }
  }

  /// Solves a triangular system with many right-hand sides in place:
  /// `op(A)·X = alpha·B` (`side: .left`) or `X·op(A) = alpha·B` (`side: .right`); `B` is
  /// overwritten by `X`.
  ///
  /// Only `triangle` of `A` is read. A zero on the diagonal gives infinities, as in BLAS;
  /// check the diagonal first when it can be zero.
  ///
  /// - Throws: ``LinearAlgebraError`` when `A` is not square or does not fit `B`.
  /// - Complexity: O(n² × m).
  public static func trsm(
    _ a: Matrix, _ b: inout Matrix, triangle: Triangle, side: Side = .left, transpose: Transpose = .none,
    unitDiagonal: Bool = false, alpha: Double = 1
  ) throws {
    let needed = side == .left ? b.rows : b.columns
    guard a.isSquare, a.rows == needed else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: "dtrsm",
        message: "A is \(a.rows) x \(a.columns) but B is \(b.rows) x \(b.columns); A must be square of order \(needed)")
    }
    if b.isEmpty { return }
    let (m, n) = (Int32(b.rows), Int32(b.columns))
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeMutableBufferPointer { bp in
        cblas_dtrsm(
          CblasColMajor, side.cblas, triangle.cblas, transpose.cblas,
          unitDiagonal ? CblasUnit : CblasNonUnit, m, n, alpha, ap.baseAddress,
          Int32(Swift.max(1, a.rows)), bp.baseAddress, m)
      }
    }
  }

  private static func checkSameLength(_ a: Int, _ b: Int, routine: String) throws {
    guard a == b else {
      throw LinearAlgebraError.dimensionMismatch(
        routine: routine, message: "vectors have different lengths: \(a) and \(b)")
    }
  }
}
