import HoneLinearAlgebra
import Testing

/// QR, symmetric eigendecomposition and SVD.
///
/// None of these factorizations is unique: each column of Q (row of R), each eigenvector and
/// each pair of singular vectors may flip sign between libraries. So the tests check the
/// defining identities directly and compare the factors to NumPy only up to those signs.
///
/// The identities hold to the backward error of Householder-based algorithms, a small
/// multiple of n·ε·‖A‖; `identityTolerance` uses 100·n·ε·‖A‖_F, which for n <= 12 is about
/// 3e-13·‖A‖_F, far below the O(‖A‖) error of any real mistake.
@Suite struct DecompositionTests {
  private static func identityTolerance(_ a: Matrix) -> Double {
    100 * Double(max(a.rows, a.columns, 1)) * epsilon * max(1, frobenius(a))
  }

  /// `diag(signs)·m`, flipping the rows whose sign is negative.
  private static func flippingRows(_ m: Matrix, signs: [Double]) -> Matrix {
    var out = m
    for i in 0..<m.rows {
      for j in 0..<m.columns { out[i, j] *= signs[i] }
    }
    return out
  }

  /// `m·diag(signs)`, flipping the columns whose sign is negative.
  private static func flippingColumns(_ m: Matrix, signs: [Double]) -> Matrix {
    naiveTranspose(flippingRows(naiveTranspose(m), signs: signs))
  }

  /// For each column pair, the sign of `mᵢ·referenceᵢ`, to align `m` with a reference.
  private static func columnSigns(_ m: Matrix, _ reference: Matrix) -> [Double] {
    (0..<m.columns).map { j in
      let dot = (0..<m.rows).reduce(0) { $0 + m[$1, j] * reference[$1, j] }
      return dot < 0 ? -1 : 1
    }
  }

  // MARK: QR

  @Test(arguments: try LinearAlgebraFixtures.load().qr)
  func reducedQRMatchesNumPy(_ fixture: QRCase) throws {
    let a = try Matrix(fixture.a)
    let (m, n) = (a.rows, a.columns)
    let k = min(m, n)
    let qr = try QRDecomposition(a)
    #expect(qr.q.rows == m && qr.q.columns == k)
    #expect(qr.r.rows == k && qr.r.columns == n)
    let tolerance = Self.identityTolerance(a)
    expectClose(naiveProduct(qr.q, qr.r), a, within: tolerance, "A = QR")
    expectOrthonormalColumns(qr.q, within: tolerance)
    for i in 0..<k {
      for j in 0..<min(i, n) { #expect(qr.r[i, j] == 0, "R is upper triangular") }
    }
    // R is unique up to the sign of each row once A has full rank (all random fixtures do);
    // Q's columns flip with R's rows. The fixtures are well conditioned, so the factors
    // agree to the same order as the identities.
    let signs = (0..<k).map { i in qr.r[i, i] * fixture.r[i][i] < 0 ? -1.0 : 1.0 }
    expectClose(Self.flippingRows(qr.r, signs: signs), try Matrix(fixture.r), within: 10 * tolerance)
    expectClose(Self.flippingColumns(qr.q, signs: signs), try Matrix(fixture.q), within: 10 * tolerance)
  }

  @Test(arguments: try LinearAlgebraFixtures.load().qr)
  func completeQRIsSquareAndOrthogonal(_ fixture: QRCase) throws {
    let a = try Matrix(fixture.a)
    let (m, n) = (a.rows, a.columns)
    let qr = try QRDecomposition(a, mode: .complete)
    #expect(qr.q.rows == m && qr.q.columns == m)
    #expect(qr.r.rows == m && qr.r.columns == n)
    let tolerance = Self.identityTolerance(a)
    expectClose(naiveProduct(qr.q, qr.r), a, within: tolerance, "A = QR")
    expectOrthonormalColumns(qr.q, within: tolerance)
    for i in 0..<m {
      for j in 0..<min(i, n) { #expect(qr.r[i, j] == 0, "R is upper trapezoidal") }
    }
  }

  @Test func qrEdgeCases() throws {
    let noRows = try QRDecomposition(Matrix(rows: 0, columns: 3))
    #expect(noRows.q.rows == 0 && noRows.q.columns == 0 && noRows.r.rows == 0 && noRows.r.columns == 3)
    let noColumns = try QRDecomposition(Matrix(rows: 3, columns: 0), mode: .complete)
    #expect(noColumns.q == Matrix.identity(3) && noColumns.r.rows == 3 && noColumns.r.columns == 0)
    // A 1 x 1 matrix is its own R up to sign, with Q = ±1.
    let one = try QRDecomposition(Matrix([[-3]]))
    #expect(abs(one.r[0, 0]) == 3 && abs(one.q[0, 0]) == 1 && one.q[0, 0] * one.r[0, 0] == -3)
    #expect(errorKind { try QRDecomposition(Matrix([[1, .nan]])) } == .nonFinite)
  }

  // MARK: Symmetric eigendecomposition

  @Test(arguments: try LinearAlgebraFixtures.load().eigen)
  func eigendecompositionMatchesNumPy(_ fixture: EigenCase) throws {
    let a = try Matrix(fixture.a)
    let n = a.rows
    let eigen = try SymmetricEigendecomposition(a)
    let tolerance = Self.identityTolerance(a)
    // Eigenvalues of a symmetric matrix are perfectly conditioned (Weyl): each moves by at
    // most the backward error.
    expectClose(eigen.values, fixture.values, within: tolerance)
    #expect(eigen.values == eigen.values.sorted(), "ascending order")
    let v = eigen.vectors
    expectOrthonormalColumns(v, within: tolerance)
    expectClose(naiveProduct(a, v), naiveProduct(v, .diagonal(eigen.values)), within: tolerance, "A·V = V·Λ")
    // An eigenvector moves by about (backward error) / (gap to the nearest other eigenvalue).
    let gaps = (0..<n).map { i in
      (0..<n).filter { $0 != i }.map { abs(fixture.values[$0] - fixture.values[i]) }.min() ?? .infinity
    }
    let reference = try Matrix(fixture.vectors)
    let aligned = Self.flippingColumns(v, signs: Self.columnSigns(v, reference))
    for j in 0..<n {
      let allowed = 10 * tolerance / min(gaps[j], 1)
      let drift = (0..<n).map { abs(aligned[$0, j] - reference[$0, j]) }.max() ?? 0
      #expect(drift <= allowed, "eigenvector \(j)")
    }
  }

  @Test(arguments: try LinearAlgebraFixtures.load().eigen)
  func eigendecompositionReadsOnlyTheLowerTriangle(_ fixture: EigenCase) throws {
    let a = try Matrix(fixture.a)
    var scrambled = a
    for i in 0..<a.rows {
      for j in (i + 1)..<a.columns { scrambled[i, j] = 1e6 }
    }
    // dsyevd with uplo = "L" never reads the strictly upper triangle: identical arithmetic.
    #expect(try SymmetricEigendecomposition(scrambled).values == SymmetricEigendecomposition(a).values)
  }

  @Test func eigendecompositionClosedForms() throws {
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, ∓1)/√2.
    let eigen = try SymmetricEigendecomposition(Matrix([[2, 1], [1, 2]]))
    expectClose(eigen.values, [1, 3], within: 8 * epsilon * 3)
    let half = 0.5.squareRoot()
    #expect(abs(abs(eigen.vectors[0, 1]) - half) <= 8 * epsilon)
    #expect(abs(eigen.vectors[0, 0] + eigen.vectors[1, 0]) <= 8 * epsilon, "(1, -1) direction")
    #expect(try SymmetricEigendecomposition(Matrix([[-4]])).values == [-4])
    let empty = try SymmetricEigendecomposition(Matrix(rows: 0, columns: 0))
    #expect(empty.values.isEmpty && empty.vectors.isEmpty)
    #expect(errorKind { try SymmetricEigendecomposition(Matrix(rows: 2, columns: 3)) } == .dimensionMismatch)
    #expect(errorKind { try SymmetricEigendecomposition(Matrix([[1, 0], [.infinity, 1]])) } == .nonFinite)
  }

  // MARK: SVD

  @Test(arguments: try LinearAlgebraFixtures.load().svd)
  func svdMatchesNumPy(_ fixture: SVDCase) throws {
    let a = try Matrix(fixture.a)
    let (m, n) = (a.rows, a.columns)
    let k = min(m, n)
    let svd = try SingularValueDecomposition(a)
    #expect(svd.u.rows == m && svd.u.columns == k && svd.vt.rows == k && svd.vt.columns == n)
    let tolerance = Self.identityTolerance(a)
    // Singular values are perfectly conditioned: each moves by at most the backward error.
    expectClose(svd.singularValues, fixture.singularValues, within: tolerance)
    #expect(svd.singularValues == svd.singularValues.sorted(by: >), "decreasing order")
    let usv = naiveProduct(naiveProduct(svd.u, .diagonal(svd.singularValues)), svd.vt)
    expectClose(usv, a, within: tolerance, "A = U·Σ·Vᵀ")
    expectOrthonormalColumns(svd.u, within: tolerance)
    expectOrthonormalColumns(naiveTranspose(svd.vt), within: tolerance)

    // uᵢ and vᵢ may flip sign together; align by uᵢ and the same flip must align vᵢ.
    let referenceU = try Matrix(fixture.u)
    let referenceV = naiveTranspose(try Matrix(fixture.vt))
    let signs = Self.columnSigns(svd.u, referenceU)
    let s = fixture.singularValues
    for j in 0..<k {
      let gap = (0..<k).filter { $0 != j }.map { abs(s[$0] - s[j]) }.min() ?? .infinity
      let allowed = 10 * tolerance / min(gap, 1)
      let u = (0..<m).map { signs[j] * svd.u[$0, j] - referenceU[$0, j] }
      let v = (0..<n).map { signs[j] * svd.vt[j, $0] - referenceV[$0, j] }
      #expect((u + v).map(abs).max() ?? 0 <= allowed, "singular vector pair \(j)")
    }
  }

  @Test(arguments: try LinearAlgebraFixtures.load().svd)
  func completeSVDHasSquareOrthogonalFactors(_ fixture: SVDCase) throws {
    let a = try Matrix(fixture.a)
    let (m, n) = (a.rows, a.columns)
    let svd = try SingularValueDecomposition(a, mode: .complete)
    #expect(svd.u.rows == m && svd.u.columns == m && svd.vt.rows == n && svd.vt.columns == n)
    let tolerance = Self.identityTolerance(a)
    expectOrthonormalColumns(svd.u, within: tolerance)
    expectOrthonormalColumns(svd.vt, within: tolerance)
    var sigma = Matrix(rows: m, columns: n)
    for (i, s) in svd.singularValues.enumerated() { sigma[i, i] = s }
    expectClose(naiveProduct(naiveProduct(svd.u, sigma), svd.vt), a, within: tolerance, "A = U·Σ·Vᵀ")
  }

  @Test func svdClosedFormsAndEdgeCases() throws {
    // A 1 x 1 matrix: σ = |a|, and u·v carries the sign.
    let one = try SingularValueDecomposition(Matrix([[-3]]))
    #expect(one.singularValues == [3])
    #expect(one.u[0, 0] * one.vt[0, 0] == -1)
    // A rank-one outer product x·yᵀ has σ₁ = ‖x‖·‖y‖ = 5·√2 and σ₂ = 0.
    let rankOne = try SingularValueDecomposition(Matrix([[3, 3], [4, 4]]))
    expectClose(rankOne.singularValues, [5 * 2.0.squareRoot(), 0], within: 16 * epsilon * 10)
    let wide = try SingularValueDecomposition(Matrix(rows: 0, columns: 3), mode: .complete)
    #expect(wide.singularValues.isEmpty && wide.u.rows == 0 && wide.vt == Matrix.identity(3))
    let tall = try SingularValueDecomposition(Matrix(rows: 2, columns: 0))
    #expect(tall.u.rows == 2 && tall.u.columns == 0 && tall.vt.rows == 0 && tall.vt.columns == 0)
    #expect(errorKind { try SingularValueDecomposition(Matrix([[.nan]])) } == .nonFinite)
  }
}
