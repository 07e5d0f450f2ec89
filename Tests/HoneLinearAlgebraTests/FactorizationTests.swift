import Foundation
import HoneLinearAlgebra
import Testing

/// `Matrix.solve`, `LUFactorization` and what is built on it (inverse, determinant,
/// condition number), and `CholeskyFactorization`.
///
/// Tolerances follow the standard bounds for backward-stable factorizations: the backward
/// error is a small multiple of n·ε·‖A‖, so a forward quantity (a solution, an inverse, a
/// determinant) is off by at most about n·ε·κ(A) relative to its size. The fixtures are
/// small (n <= 12) and the constant 100 in `forwardTolerance` covers growth factors and the
/// difference between NumPy's and OpenBLAS's blocking.
@Suite struct FactorizationTests {
  /// The relative forward-error allowance for an n x n problem with condition number `kappa`.
  private static func forwardTolerance(order n: Int, condition kappa: Double) -> Double {
    100 * Double(n) * epsilon * kappa
  }

  /// `[[1, 2, 3], [0, 0, 4], [0, 0, 5]]`: LU needs no row swap in column 1 and then finds
  /// column 2 zero below the diagonal, so `U(2, 2) = 0` exactly and LAPACK reports pivot 2.
  private static let singularAtPivotTwo: [[Double]] = [[1, 2, 3], [0, 0, 4], [0, 0, 5]]

  // MARK: solve

  @Test(arguments: try LinearAlgebraFixtures.load().solve)
  func solveMatchesNumPy(_ fixture: SolveCase) throws {
    let a = try Matrix(fixture.a)
    let b = try Matrix(fixture.b)
    let expected = try Matrix(fixture.x)
    let x = try a.solve(b)
    let tolerance = Self.forwardTolerance(order: a.rows, condition: fixture.conditionOne) * max(1, maxAbs(expected))
    expectClose(x, expected, within: tolerance)
    // The residual depends only on backward stability, not on conditioning.
    let residual = naiveProduct(a, x) - b
    #expect(maxAbs(residual) <= 100 * Double(a.rows) * epsilon * maxAbs(a) * max(1, maxAbs(x)))
    if b.columns == 1 {
      expectClose(try a.solve(b.storage), expected.storage, within: tolerance)
    }
  }

  @Test func solveClosedForm() throws {
    // 2x + y = 3, x + 3y = 5 → x = 0.8, y = 1.4; a few ulps of rounding.
    let x = try Matrix([[2, 1], [1, 3]]).solve([3, 5])
    expectClose(x, [0.8, 1.4], within: 8 * epsilon)
    #expect(try Matrix([[4]]).solve([8]) == [2], "one division, exact for powers of two")
  }

  @Test func solveEmptySystems() throws {
    let x = try Matrix(rows: 0, columns: 0).solve(Matrix(rows: 0, columns: 3))
    #expect(x.rows == 0 && x.columns == 3)
    let none = try Matrix.identity(2).solve(Matrix(rows: 2, columns: 0))
    #expect(none.rows == 2 && none.columns == 0)
  }

  @Test func solveRejectsBadInput() throws {
    let a = try Matrix(Self.singularAtPivotTwo)
    #expect(errorKind { try a.solve([1, 2, 3]) } == .singular(pivot: 2))
    #expect(errorKind { try Matrix(rows: 3, columns: 3).solve([1, 2, 3]) } == .singular(pivot: 1))
    #expect(errorKind { try Matrix(rows: 2, columns: 3).solve([1, 2]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix.identity(3).solve([1, 2]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix([[1, .nan], [0, 1]]).solve([1, 2]) } == .nonFinite)
    #expect(errorKind { try Matrix.identity(2).solve([1, .infinity]) } == .nonFinite)
  }

  // MARK: LU and what it gives

  @Test(arguments: try LinearAlgebraFixtures.load().lu)
  func luMatchesSciPy(_ fixture: LUCase) throws {
    let a = try Matrix(fixture.a)
    let n = a.rows
    let lu = try LUFactorization(a)
    // Partial pivoting picks the same rows in both libraries (no ties in random data or in
    // the Hilbert matrix), so pivots agree exactly.
    #expect(lu.pivots.map(Int.init) == fixture.pivots)
    // The factors are computed in a different order by each library; |L| <= 1 and U is of
    // the size of A, so agreement to the forward bound is expected.
    let factorTolerance = Self.forwardTolerance(order: n, condition: fixture.conditionOne) * maxAbs(a)
    expectClose(lu.packed, try Matrix(fixture.packed), within: factorTolerance)

    let relative = Self.forwardTolerance(order: n, condition: fixture.conditionOne)
    let determinant = try a.determinant()
    #expect(abs(determinant - fixture.determinant) <= relative * abs(fixture.determinant))
    let (sign, logAbs) = try a.logAbsDeterminant()
    #expect(sign == fixture.sign)
    // log|det| absorbs a relative error r as an absolute error of about r.
    #expect(abs(logAbs - fixture.logAbsDeterminant) <= relative)
    #expect(lu.logAbsDeterminant.sign == sign && lu.logAbsDeterminant.logAbs == logAbs)
  }

  @Test(arguments: try LinearAlgebraFixtures.load().lu)
  func inverseMatchesNumPy(_ fixture: LUCase) throws {
    let a = try Matrix(fixture.a)
    let inverse = try a.inverse()
    let expected = try Matrix(fixture.inverse)
    let relative = Self.forwardTolerance(order: a.rows, condition: fixture.conditionOne)
    expectClose(inverse, expected, within: relative * maxAbs(expected))
    // inverse·A = I holds to about ε·κ(A), since the inverse is only accurate to that.
    expectClose(naiveProduct(inverse, a), .identity(a.rows), within: relative * maxAbs(a) * maxAbs(expected))
  }

  @Test(arguments: try LinearAlgebraFixtures.load().lu)
  func conditionNumberEstimateBracketsTheExactValue(_ fixture: LUCase) throws {
    let estimate = try Matrix(fixture.a).conditionNumber()
    // dgecon estimates ‖A⁻¹‖₁ with Hager's method as refined by Higham (LAPACK dlacn2): it
    // evaluates ‖A⁻¹x‖₁ for unit vectors x, so it is a lower bound up to rounding (the
    // 1.0001 factor), and in practice within a factor of 3 of the exact value (Higham 1988);
    // it is not exact, so an equality test would be wrong.
    #expect(estimate <= fixture.conditionOne * 1.0001)
    #expect(estimate >= fixture.conditionOne / 3)
  }

  @Test func luSolveReusesTheFactorization() throws {
    let a = try Matrix([[4, 3], [6, 3]])
    let lu = try LUFactorization(a)
    // Row 2 has the larger first element, so partial pivoting swaps rows 1 and 2.
    #expect(lu.pivots == [2, 2])
    // [[4, 3], [6, 3]]·[1, 1] = [7, 9] and ·[2, -1] = [5, 9]; a few ulps of rounding.
    let x = try lu.solve(Matrix([[7, 5], [9, 9]]))
    expectClose(x, try Matrix([[1, 2], [1, -1]]), within: 8 * epsilon)
    #expect(errorKind { try lu.solve(Matrix(rows: 3, columns: 1)) } == .dimensionMismatch)
  }

  @Test func singularMatrices() throws {
    let a = try Matrix(Self.singularAtPivotTwo)
    #expect(errorKind { try LUFactorization(a) } == .singular(pivot: 2))
    #expect(errorKind { try a.inverse() } == .singular(pivot: 2))
    #expect(try a.determinant() == 0)
    let (sign, logAbs) = try a.logAbsDeterminant()
    #expect(sign == 0 && logAbs == -.infinity)
    #expect(try a.conditionNumber() == .infinity)
  }

  @Test func closedFormDeterminants() throws {
    // Products of small integers are exact, and exp(log) loses at most a few ulps.
    #expect(abs(try Matrix([[2, 1], [1, 3]]).determinant() - 5) <= 8 * epsilon * 5)
    #expect(abs(try Matrix([[0, 1], [1, 0]]).determinant() + 1) <= 8 * epsilon)
    #expect(abs(try Matrix.diagonal([2, -3, 4]).determinant() + 24) <= 8 * epsilon * 24)
    #expect(try Matrix([[-7]]).logAbsDeterminant().sign == -1)
    // The 1-norm condition number of a diagonal matrix is max|dᵢ| / min|dᵢ|; dgecon is exact here.
    #expect(abs(try Matrix.diagonal([2, -8, 4]).conditionNumber() - 4) <= 8 * epsilon * 4)
  }

  @Test func oneByOneAndEmptyMatrices() throws {
    let one = try Matrix([[4]])
    #expect(try one.inverse() == Matrix([[0.25]]), "1/4 is exact")
    #expect(try one.conditionNumber() == 1)
    let empty = Matrix(rows: 0, columns: 0)
    #expect(try empty.determinant() == 1)
    #expect(try empty.logAbsDeterminant() == (1, 0))
    #expect(try empty.conditionNumber() == 1)
    #expect(try empty.inverse() == empty)
    #expect(try LUFactorization(empty).pivots.isEmpty)
  }

  @Test func nonSquareAndNonFiniteInputThrow() throws {
    let wide = Matrix(rows: 2, columns: 3)
    #expect(errorKind { try LUFactorization(wide) } == .dimensionMismatch)
    #expect(errorKind { try wide.inverse() } == .dimensionMismatch)
    #expect(errorKind { try wide.determinant() } == .dimensionMismatch)
    #expect(errorKind { try wide.conditionNumber() } == .dimensionMismatch)
    #expect(errorKind { try Matrix(rows: 0, columns: 3).determinant() } == .dimensionMismatch)
    let nan = try Matrix([[1, 0], [.nan, 1]])
    #expect(errorKind { try LUFactorization(nan) } == .nonFinite)
    #expect(errorKind { try nan.determinant() } == .nonFinite)
    #expect(errorKind { try nan.conditionNumber() } == .nonFinite)
  }

  // MARK: Cholesky

  @Test(arguments: try LinearAlgebraFixtures.load().cholesky)
  func choleskyMatchesNumPy(_ fixture: CholeskyCase) throws {
    let a = try Matrix(fixture.a)
    let n = a.rows
    let chol = try CholeskyFactorization(a)
    let l = chol.lower
    // The fixtures are M·Mᵀ + n·I, whose condition number is below 10 for these sizes, and
    // Cholesky is backward stable without pivoting: 100·n·ε relative covers it.
    let scale = 100 * Double(n) * epsilon
    expectClose(l, try Matrix(fixture.lower), within: scale * maxAbs(l))
    expectClose(naiveProduct(l, naiveTranspose(l)), a, within: scale * maxAbs(a))
    for i in 0..<n {
      for j in (i + 1)..<n { #expect(l[i, j] == 0, "strictly upper triangle must be exactly zero") }
    }
    let expected = try Matrix(fixture.x)
    expectClose(try chol.solve(Matrix(fixture.b)), expected, within: 10 * scale * max(1, maxAbs(expected)))
    if expected.columns == 1 {
      expectClose(try chol.solve(Matrix(fixture.b).storage), expected.storage, within: 10 * scale * maxAbs(expected))
    }
    #expect(abs(chol.logDeterminant - fixture.logDeterminant) <= scale * max(1, abs(fixture.logDeterminant)))
  }

  @Test(arguments: try LinearAlgebraFixtures.load().cholesky)
  func choleskyReadsOnlyTheLowerTriangle(_ fixture: CholeskyCase) throws {
    let a = try Matrix(fixture.a)
    var scrambled = a
    for i in 0..<a.rows {
      for j in (i + 1)..<a.columns { scrambled[i, j] = 1e6 * Double(i - j) }
    }
    // dpotrf never reads the strictly upper triangle, so the arithmetic is identical.
    #expect(try CholeskyFactorization(scrambled).lower == CholeskyFactorization(a).lower)
  }

  @Test(arguments: 0..<5)
  func notPositiveDefiniteNamesTheLeadingMinor(negativeAt index: Int) throws {
    // diag(1, …, 1, -1, 1, …): the first k x k leading minor with k = index + 1 is the
    // first one that is not positive.
    var diagonal = [Double](repeating: 1, count: 5)
    diagonal[index] = -1
    #expect(
      errorKind { try CholeskyFactorization(.diagonal(diagonal)) } == .notPositiveDefinite(leadingMinor: index + 1))
  }

  @Test func semidefiniteMatrixFailsAtTheZeroPivot() throws {
    // [[1, 1], [1, 1]] has l₁₁ = 1, l₂₁ = 1 and then 1 - 1·1 = 0 exactly: minor 2 is not positive.
    #expect(
      errorKind { try CholeskyFactorization(Matrix([[1, 1], [1, 1]])) } == .notPositiveDefinite(leadingMinor: 2))
  }

  @Test func choleskyClosedFormAndEdgeCases() throws {
    // [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]], exactly representable.
    let chol = try CholeskyFactorization(Matrix([[4, 2], [2, 5]]))
    #expect(chol.lower == (try Matrix([[2, 0], [1, 2]])))
    // log det = log 16, up to the rounding of two logarithms.
    #expect(abs(chol.logDeterminant - log(16)) <= 8 * epsilon * log(16))
    #expect(try CholeskyFactorization(Matrix([[9]])).lower == Matrix([[3]]))
    let empty = try CholeskyFactorization(Matrix(rows: 0, columns: 0))
    #expect(empty.lower.rows == 0 && empty.logDeterminant == 0)
    #expect(errorKind { try CholeskyFactorization(Matrix(rows: 2, columns: 3)) } == .dimensionMismatch)
    #expect(errorKind { try CholeskyFactorization(Matrix([[1, 0], [.nan, 1]])) } == .nonFinite)
    #expect(errorKind { try chol.solve([1, 2, 3]) } == .dimensionMismatch)
    #expect(errorKind { try chol.solve([1, .nan]) } == .nonFinite)
  }
}
