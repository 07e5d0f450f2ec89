import HoneLinearAlgebra
import Testing

/// `Matrix.leastSquares` with QR (`dgels`) and SVD (`dgelsd`). The full-rank fixtures have
/// condition numbers below 10, so the least-squares forward error, about
/// ε·(κ + κ²·‖r‖/‖A‖‖x‖), stays near 1e-14; 1e-11 relative leaves room for the two
/// libraries' different orderings while any wrong row, column or leading dimension shows up
/// as an O(1) error.
@Suite struct LeastSquaresTests {
  private let relativeTolerance = 1e-11

  @Test(arguments: try LinearAlgebraFixtures.load().leastSquares)
  func svdMatchesNumPy(_ fixture: LeastSquaresCase) throws {
    let a = try Matrix(fixture.a)
    let fit = try a.leastSquares(Matrix(fixture.b), method: .svd(rcond: fixture.rcond))
    let expected = try Matrix(fixture.x)
    // For the rank-deficient fixture the discarded singular values are ~1e-16 against a
    // cutoff of 1e-10·σ₁, and the kept ones are well separated, so the minimum-norm solution
    // is as well determined as in the full-rank cases.
    expectClose(fit.solution, expected, within: relativeTolerance * max(1, maxAbs(expected)))
    #expect(fit.rank == fixture.rank)
    expectClose(fit.singularValues, fixture.singularValues, within: relativeTolerance * fixture.singularValues[0])
  }

  @Test(arguments: try LinearAlgebraFixtures.load().leastSquares.filter(\.fullRank))
  func qrMatchesNumPyOnFullRankProblems(_ fixture: LeastSquaresCase) throws {
    let a = try Matrix(fixture.a)
    let b = try Matrix(fixture.b)
    let fit = try a.leastSquares(b, method: .qr)
    let expected = try Matrix(fixture.x)
    expectClose(fit.solution, expected, within: relativeTolerance * max(1, maxAbs(expected)))
    #expect(fit.rank == min(a.rows, a.columns))
    #expect(fit.singularValues.isEmpty)
    if a.rows >= a.columns {
      // The residual of a least-squares solution is orthogonal to A's columns: Aᵀ(AX − B) = 0,
      // up to rounding of the size ε·‖A‖²·‖X‖.
      let residual = naiveProduct(a, fit.solution) - b
      let normal = naiveProduct(naiveTranspose(a), residual)
      #expect(maxAbs(normal) <= 1e-12 * frobenius(a) * frobenius(a) * max(1, maxAbs(expected)))
    } else {
      // An underdetermined full-row-rank system is solved exactly: AX = B.
      expectClose(naiveProduct(a, fit.solution), b, within: 1e-12 * max(1, maxAbs(b)))
    }
    if b.columns == 1 {
      let vectorFit = try a.leastSquares(b.storage, method: .qr)
      expectClose(vectorFit.solution, fit.solution, within: 0)
    }
  }

  @Test func qrRefusesAnExactlyRankDeficientMatrix() throws {
    // A zero column stays exactly zero under Householder reflections, so R has an exact zero
    // on its diagonal and dgels reports it.
    var a = sineMatrix(rows: 8, columns: 4)
    try a.setColumn(2, to: [Double](repeating: 0, count: 8))
    let b = sineMatrix(rows: 8, columns: 1, seed: 5)
    #expect(errorKind { try a.leastSquares(b, method: .qr) } == .rankDeficient)
    let fit = try a.leastSquares(b, method: .svd())
    #expect(fit.rank == 3)
    // The minimum-norm solution puts nothing on the zero column; σ = 0 there is dropped
    // outright, so the component is exactly zero.
    #expect(fit.solution[2, 0] == 0)
  }

  @Test(arguments: try LinearAlgebraFixtures.load().leastSquares.filter { !$0.fullRank })
  func qrRefusesANumericallyRankDeficientMatrix(_ fixture: LeastSquaresCase) throws {
    // A product of 12 x 3 and 3 x 5 factors: its last two singular values are ~1e-16·σ₁
    // rather than exactly zero, which dgels alone does not notice.
    let a = try Matrix(fixture.a)
    #expect(errorKind { try a.leastSquares(Matrix(fixture.b), method: .qr) } == .rankDeficient)
  }

  @Test func svdRankFollowsRcond() throws {
    // diag(1, 1e-6, 0) padded with a zero row: the cutoff decides whether 1e-6 counts.
    var a = Matrix(rows: 4, columns: 3)
    a[0, 0] = 1
    a[1, 1] = 1e-6
    let b = try Matrix([[1], [1], [1], [1]])
    let strict = try a.leastSquares(b, method: .svd(rcond: 1e-3))
    let loose = try a.leastSquares(b, method: .svd(rcond: 1e-9))
    #expect(strict.rank == 1 && loose.rank == 2)
    // Dividing by 1 and by 1e-6 are correctly rounded, so a few ulps at most.
    expectClose(strict.solution.storage, [1, 0, 0], within: 4 * epsilon)
    expectClose(loose.solution.storage, [1, 1e6, 0], within: 4 * epsilon * 1e6)
  }

  @Test func emptyAndMismatchedProblems() throws {
    let noRows = try Matrix(rows: 0, columns: 3).leastSquares(Matrix(rows: 0, columns: 2))
    #expect(noRows.solution == Matrix(rows: 3, columns: 2), "the minimum-norm solution of no equations is zero")
    #expect(noRows.rank == 0)
    let noRightHandSides = try Matrix.identity(2).leastSquares(Matrix(rows: 2, columns: 0), method: .svd())
    #expect(noRightHandSides.solution.rows == 2 && noRightHandSides.solution.columns == 0)
    #expect(errorKind { try Matrix.identity(3).leastSquares([1, 2]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix.identity(3).leastSquares([1, 2], method: .svd()) } == .dimensionMismatch)
    #expect(errorKind { try Matrix([[1, .nan], [0, 1]]).leastSquares([1, 2]) } == .nonFinite)
    #expect(errorKind { try Matrix.identity(2).leastSquares([.nan, 2], method: .svd()) } == .nonFinite)
  }
}
