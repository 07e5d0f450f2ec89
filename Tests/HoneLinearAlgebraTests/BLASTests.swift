import HoneLinearAlgebra
import Testing

/// The BLAS wrappers against NumPy products. Every fixture has inner dimensions of at most 100
/// and entries of order one, so each result element carries at most about 100·ε·Σ|aᵢbᵢ| of
/// rounding error; 1e-12 bounds that with room to spare while a wrong transpose, leading
/// dimension or scale factor shows up as an O(1) error.
@Suite struct BLASTests {
  private let productTolerance = 1e-12

  // MARK: Level 1

  @Test(arguments: try LinearAlgebraFixtures.load().vectors)
  func levelOneMatchesNumPy(_ fixture: VectorCase) throws {
    let scale = Double(fixture.x.count)
    #expect(abs(try BLAS.dot(fixture.x, fixture.y) - fixture.dot) <= productTolerance * scale)
    #expect(abs(BLAS.nrm2(fixture.x) - fixture.nrm2) <= productTolerance * scale)
    #expect(abs(BLAS.asum(fixture.x) - fixture.asum) <= productTolerance * scale)

    var y = fixture.y
    try BLAS.axpy(fixture.alpha, fixture.x, &y)
    // One multiply-add per element on values below 16 in magnitude: NumPy and BLAS may
    // round differently (fused or not), by at most one ulp of 16, i.e. 16ε.
    expectClose(y, fixture.axpy, within: 16 * epsilon)

    var x = fixture.x
    BLAS.scal(fixture.alpha, &x)
    expectClose(x, fixture.scal, within: 16 * epsilon)
  }

  @Test func levelOneClosedForms() throws {
    // Small integers: every operation below is exact.
    #expect(try BLAS.dot([1, 2, 3], [4, -5, 6]) == 12)
    #expect(try BLAS.dot([], []) == 0)
    #expect(BLAS.nrm2([3, 4]) == 5)
    #expect(BLAS.asum([-1, 2, -3]) == 6)
    #expect(BLAS.nrm2([]) == 0)
    // nrm2 scales to avoid overflow: squaring 1e200 directly would give infinity.
    #expect(abs(BLAS.nrm2([3e200, 4e200]) / 5e200 - 1) <= 4 * epsilon)
  }

  @Test func levelOneLengthMismatchThrows() {
    #expect(errorKind { try BLAS.dot([1, 2], [1]) } == .dimensionMismatch)
    var y: [Double] = [1, 2, 3]
    #expect(errorKind { try BLAS.axpy(1, [1, 2], &y) } == .dimensionMismatch)
    #expect(y == [1, 2, 3], "a rejected call must leave y untouched")
  }

  // MARK: Level 2

  @Test(arguments: try LinearAlgebraFixtures.load().gemv)
  func gemvMatchesNumPy(_ fixture: GemvCase) throws {
    var y = fixture.y
    try BLAS.gemv(
      Matrix(fixture.a), fixture.x, &y, transpose: fixture.transpose ? .transpose : .none, alpha: fixture.alpha,
      beta: fixture.beta)
    expectClose(y, fixture.result, within: productTolerance)
  }

  @Test(arguments: try LinearAlgebraFixtures.load().ger)
  func gerMatchesNumPy(_ fixture: GerCase) throws {
    var a = try Matrix(fixture.a)
    try BLAS.ger(fixture.x, fixture.y, &a, alpha: fixture.alpha)
    expectClose(a, try Matrix(fixture.result), within: productTolerance)
  }

  @Test func levelTwoShapeMismatchThrows() throws {
    let a = Matrix(rows: 3, columns: 2)
    var y2 = [Double](repeating: 0, count: 2)
    var y3 = [Double](repeating: 0, count: 3)
    #expect(errorKind { try BLAS.gemv(a, [1, 2, 3], &y3) } == .dimensionMismatch)
    #expect(errorKind { try BLAS.gemv(a, [1, 2], &y2) } == .dimensionMismatch)
    #expect(errorKind { try BLAS.gemv(a, [1, 2], &y2, transpose: .transpose) } == .dimensionMismatch)
    var target = a
    #expect(errorKind { try BLAS.ger([1, 2], [1, 2], &target) } == .dimensionMismatch)
  }

  @Test func gemvWithNoColumnsScalesY() throws {
    // op(A) is 2 x 0, so the product is empty and y becomes beta·y (exact for beta = 3).
    var y: [Double] = [1, -2]
    try BLAS.gemv(Matrix(rows: 2, columns: 0), [], &y, beta: 3)
    #expect(y == [3, -6])
  }

  // MARK: Level 3

  @Test(arguments: try LinearAlgebraFixtures.load().gemm)
  func gemmMatchesNumPy(_ fixture: GemmCase) throws {
    var c = try Matrix(fixture.c)
    try BLAS.gemm(
      Matrix(fixture.a), Matrix(fixture.b), &c, transposeA: fixture.transposeA ? .transpose : .none,
      transposeB: fixture.transposeB ? .transpose : .none, alpha: fixture.alpha, beta: fixture.beta)
    expectClose(c, try Matrix(fixture.result), within: productTolerance)
  }

  @Test func gemmShapeMismatchThrows() {
    let a = Matrix(rows: 3, columns: 2)
    let b = Matrix(rows: 3, columns: 4)
    var c = Matrix(rows: 3, columns: 4)
    #expect(errorKind { try BLAS.gemm(a, b, &c) } == .dimensionMismatch)
    var c24 = Matrix(rows: 2, columns: 4)
    // Aᵀ·B fits (2 x 3 times 3 x 4) but C has the wrong shape.
    #expect(errorKind { try BLAS.gemm(a, b, &c, transposeA: .transpose) } == .dimensionMismatch)
    #expect(throws: Never.self) { try BLAS.gemm(a, b, &c24, transposeA: .transpose) }
  }

  @Test func gemmWithEmptyInnerDimensionScalesC() throws {
    // k = 0: the product is a zero matrix, so C becomes beta·C (exact for beta = 0.5).
    var c = try Matrix([[2, 4], [6, 8]])
    try BLAS.gemm(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), &c, beta: 0.5)
    #expect(c.rowArrays == [[1, 2], [3, 4]])
  }

  @Test(arguments: try LinearAlgebraFixtures.load().syrk)
  func syrkWritesOnlyTheLowerTriangle(_ fixture: SyrkCase) throws {
    var c = try Matrix(fixture.c)
    try BLAS.syrk(
      Matrix(fixture.a), &c, transpose: fixture.transpose ? .transpose : .none, alpha: fixture.alpha,
      beta: fixture.beta)
    // The fixture's strictly upper triangle is the untouched input C.
    expectClose(c, try Matrix(fixture.result), within: productTolerance)
  }

  @Test func syrkShapeMismatchThrows() {
    var c = Matrix(rows: 3, columns: 3)
    #expect(errorKind { try BLAS.syrk(Matrix(rows: 4, columns: 2), &c) } == .dimensionMismatch)
    #expect(errorKind { try BLAS.syrk(Matrix(rows: 3, columns: 2), &c, transpose: .transpose) } == .dimensionMismatch)
  }

  @Test(arguments: try LinearAlgebraFixtures.load().trsm)
  func trsmMatchesNumPy(_ fixture: TrsmCase) throws {
    let a = try Matrix(fixture.a)
    var b = try Matrix(fixture.b)
    let original = b
    try BLAS.trsm(
      a, &b, triangle: fixture.triangle == "lower" ? .lower : .upper, side: fixture.side == "left" ? .left : .right,
      transpose: fixture.transpose ? .transpose : .none, unitDiagonal: fixture.unitDiagonal, alpha: fixture.alpha)
    // The triangles have diagonals >= 3 against off-diagonal noise of order one, so they are
    // well conditioned and substitution loses only a few ulps per element.
    expectClose(b, try Matrix(fixture.result), within: productTolerance)
    #expect(maxAbsDifference(b, original) > 0.1, "B must be overwritten with X")
  }

  @Test func trsmShapeMismatchThrows() {
    var b = Matrix(rows: 3, columns: 2)
    #expect(
      errorKind { try BLAS.trsm(Matrix(rows: 2, columns: 2), &b, triangle: .lower) } == .dimensionMismatch)
    #expect(
      errorKind { try BLAS.trsm(Matrix(rows: 3, columns: 3), &b, triangle: .lower, side: .right) }
        == .dimensionMismatch)
    #expect(
      errorKind { try BLAS.trsm(Matrix(rows: 3, columns: 2), &b, triangle: .upper) } == .dimensionMismatch)
  }
}
