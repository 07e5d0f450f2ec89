import Foundation
import HoneLinearAlgebra
import Testing

/// Construction, element access, views and serialisation of `Matrix`. Everything here moves
/// or copies elements without arithmetic, so results are compared exactly.
@Suite struct MatrixTests {
  /// `a[i, j] = 10 i + j` on a 2 x 3 matrix, in every input layout.
  private let rowMajor: [Double] = [0, 1, 2, 10, 11, 12]
  private let columnMajor: [Double] = [0, 10, 1, 11, 2, 12]

  @Test func initialisersAgreeOnLayout() throws {
    let fromRowMajor = try Matrix(rows: 2, columns: 3, rowMajor: rowMajor)
    let fromColumnMajor = try Matrix(rows: 2, columns: 3, columnMajor: columnMajor)
    let fromRows = try Matrix([[0, 1, 2], [10, 11, 12]])
    let fromColumns = try Matrix(columnArrays: [[0, 10], [1, 11], [2, 12]])
    #expect(fromRowMajor.storage == columnMajor)
    #expect(fromColumnMajor == fromRowMajor)
    #expect(fromRows == fromRowMajor)
    #expect(fromColumns == fromRowMajor)
    #expect(fromRowMajor.rowMajorElements == rowMajor)
    #expect(fromRowMajor.rowArrays == [[0, 1, 2], [10, 11, 12]])
    #expect(fromRowMajor.rows == 2 && fromRowMajor.columns == 3 && fromRowMajor.count == 6)
    for i in 0..<2 {
      for j in 0..<3 { #expect(fromRowMajor[i, j] == Double(10 * i + j)) }
    }
  }

  @Test func filledAndSpecialMatrices() {
    let filled = Matrix(rows: 2, columns: 3, repeating: 1.5)
    #expect(filled.storage == [Double](repeating: 1.5, count: 6))
    #expect(Matrix.identity(3).rowArrays == [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    #expect(Matrix.diagonal([2, -1]).rowArrays == [[2, 0], [0, -1]])
    let vector = Matrix.columnVector([4, 5, 6])
    #expect(vector.rows == 3 && vector.columns == 1 && vector.storage == [4, 5, 6])
  }

  @Test func wrongElementCountsThrow() {
    #expect(errorKind { try Matrix(rows: 2, columns: 3, rowMajor: [1, 2, 3]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5, 6, 7]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix(rows: -1, columns: 3, columnMajor: []) } == .invalidArgument)
    #expect(errorKind { try Matrix([[1, 2], [3]]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix([[1, 2], [3, 4], [5, 6, 7]]) } == .dimensionMismatch)
    #expect(errorKind { try Matrix(columnArrays: [[1, 2], [3, 4, 5]]) } == .dimensionMismatch)
  }

  @Test func emptyShapes() throws {
    let none = try Matrix([])
    #expect(none.rows == 0 && none.columns == 0 && none.isEmpty && none.isSquare)
    let zeroByFour = Matrix(rows: 0, columns: 4)
    #expect(zeroByFour.isEmpty && !zeroByFour.isSquare && zeroByFour.count == 0)
    #expect(zeroByFour.transposed.rows == 4 && zeroByFour.transposed.columns == 0)
    let emptyRows = try Matrix([[], []])
    #expect(emptyRows.rows == 2 && emptyRows.columns == 0)
  }

  @Test func subscriptWritesColumnMajorStorage() throws {
    var m = Matrix(rows: 3, columns: 2)
    m[2, 1] = 7
    m[0, 1] = -1
    #expect(m.storage == [0, 0, 0, -1, 0, 7])
    #expect(m[2, 1] == 7)
  }

  @Test(arguments: [(1, 1), (3, 5), (5, 3), (32, 32), (33, 31), (70, 45), (45, 70)])
  func transposeMatchesElementwiseTranspose(rows: Int, columns: Int) {
    // 70 x 45 and 33 x 31 cross the 32-element blocking boundary in both directions.
    let a = sineMatrix(rows: rows, columns: columns)
    let t = a.transposed
    #expect(t == naiveTranspose(a))
    #expect(t.transposed == a)
  }

  @Test func rowAndColumnViews() throws {
    let m = try Matrix([[1, 2, 3], [4, 5, 6]])
    #expect(Array(m.column(1)) == [2, 5])
    #expect(Array(m.row(1)) == [4, 5, 6])
    #expect(m.row(0).count == 3 && m.row(0)[2] == 3)
    #expect(m.row(1).index == 1)
  }

  @Test func setColumnReplacesOneColumn() throws {
    var m = try Matrix([[1, 2], [3, 4]])
    try m.setColumn(1, to: [9, 8])
    #expect(m.rowArrays == [[1, 9], [3, 8]])
    #expect(errorKind { try m.setColumn(1, to: [1, 2, 3]) } == .dimensionMismatch)
    #expect(errorKind { try m.setColumn(2, to: [1, 2]) } == .dimensionMismatch)
  }

  @Test func selectingRowsAndColumns() throws {
    let m = try Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    #expect(try m.selectingRows([2, 0, 2]).rowArrays == [[7, 8, 9], [1, 2, 3], [7, 8, 9]])
    #expect(try m.selectingColumns([1, 1, 0]).rowArrays == [[2, 2, 1], [5, 5, 4], [8, 8, 7]])
    #expect(try m.selectingRows([]).rows == 0)
    #expect(try m.selectingColumns([]).columns == 0)
    #expect(errorKind { try m.selectingRows([3]) } == .dimensionMismatch)
    #expect(errorKind { try m.selectingRows([-1]) } == .dimensionMismatch)
    #expect(errorKind { try m.selectingColumns([0, 3]) } == .dimensionMismatch)
  }

  @Test func submatrixCopiesABlock() throws {
    let m = sineMatrix(rows: 6, columns: 5)
    let block = try m.submatrix(rows: 1..<4, columns: 2..<5)
    #expect(block.rows == 3 && block.columns == 3)
    for i in 0..<3 {
      for j in 0..<3 { #expect(block[i, j] == m[i + 1, j + 2]) }
    }
    #expect(try m.submatrix(rows: 2..<2, columns: 0..<5).rows == 0)
    #expect(errorKind { try m.submatrix(rows: 0..<7, columns: 0..<1) } == .dimensionMismatch)
    #expect(errorKind { try m.submatrix(rows: 0..<1, columns: 4..<6) } == .dimensionMismatch)
  }

  @Test func finiteness() throws {
    #expect(try Matrix([[1, 2]]).isFinite)
    #expect(try !Matrix([[1, .nan]]).isFinite)
    #expect(try !Matrix([[-.infinity, 2]]).isFinite)
  }

  @Test(arguments: [(0, 0), (0, 3), (1, 1), (4, 3)])
  func codableRoundTrip(rows: Int, columns: Int) throws {
    let m = sineMatrix(rows: rows, columns: columns, seed: 0.5)
    let data = try JSONEncoder().encode(m)
    // JSONEncoder writes the shortest representation that round-trips, so equality is exact.
    #expect(try JSONDecoder().decode(Matrix.self, from: data) == m)
  }

  @Test func decodingACorruptElementCountThrows() {
    let tooFew = #"{"rows":2,"columns":2,"columnMajor":[1,2,3]}"#
    let negative = #"{"rows":-1,"columns":-1,"columnMajor":[1]}"#
    for json in [tooFew, negative] {
      #expect(throws: DecodingError.self) {
        try JSONDecoder().decode(Matrix.self, from: Data(json.utf8))
      }
    }
  }

  @Test func decodingAnOverflowingShapeThrows() {
    // rows x columns overflows Int; decoding untrusted data must throw rather than trap.
    let json = #"{"rows":4611686018427387904,"columns":4,"columnMajor":[]}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Matrix.self, from: Data(json.utf8))
    }
  }

  // MARK: Arithmetic helpers

  @Test func elementwiseArithmetic() throws {
    let a = try Matrix([[1, 2], [3, 4]])
    let b = try Matrix([[0.5, -1], [2, 0]])
    // Sums and products of small binary fractions are exact in Double.
    #expect((a + b).rowArrays == [[1.5, 1], [5, 4]])
    #expect((a - b).rowArrays == [[0.5, 3], [1, 4]])
    #expect((2 * a).rowArrays == [[2, 4], [6, 8]])
    #expect(a.maxAbsDifference(b) == 4, "|4 - 0| is the largest difference")
    #expect(a.maxAbsDifference(Matrix(rows: 2, columns: 3)) == .infinity)
    #expect(a.oneNorm == 6)
    #expect(try Matrix([[3, 0], [0, 4]]).frobeniusNorm == 5)
  }

  @Test func multipliedMatchesNaiveProduct() throws {
    let a = sineMatrix(rows: 6, columns: 4, seed: 1)
    let b = sineMatrix(rows: 4, columns: 5, seed: 2)
    // Inner dimension 4 with |entries| <= 1: rounding error is at most 4·ε·Σ|aᵢₖbₖⱼ| <= 16ε.
    let tolerance = 16 * epsilon
    expectClose(try a.multiplied(by: b), naiveProduct(a, b), within: tolerance)
    expectClose(
      try a.multiplied(by: a, transposingSelf: true), naiveProduct(naiveTranspose(a), a), within: 4 * tolerance)
    expectClose(
      try a.multiplied(by: a, transposingOther: true), naiveProduct(a, naiveTranspose(a)), within: 4 * tolerance)
    let x: [Double] = [1, -2, 0.5, 3]
    let ax = naiveProduct(a, .columnVector(x)).storage
    expectClose(try a.multiplied(by: x), ax, within: 4 * tolerance)
    #expect(errorKind { try a.multiplied(by: a) } == .dimensionMismatch)
    #expect(errorKind { try a.multiplied(by: [1, 2]) } == .dimensionMismatch)
  }

  @Test(arguments: [(7, 4), (3, 6), (1, 1), (0, 3)])
  func gramIsSymmetricAndMatchesNaiveProduct(rows: Int, columns: Int) {
    let a = sineMatrix(rows: rows, columns: columns, seed: 3)
    let gram = a.gram()
    // Inner dimension <= 7 with |entries| <= 1: rounding error is at most 7·ε·7.
    expectClose(gram, naiveProduct(naiveTranspose(a), a), within: 64 * epsilon)
    #expect(gram == gram.transposed, "mirroring the lower triangle must give exact symmetry")
  }
}
