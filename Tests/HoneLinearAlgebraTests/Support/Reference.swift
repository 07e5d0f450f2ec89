import Foundation
import HoneLinearAlgebra
import Testing

/// Double's unit roundoff; tolerances below are written as multiples of it.
let epsilon = Double.ulpOfOne

/// The largest absolute element.
func maxAbs(_ m: Matrix) -> Double {
  var worst = 0.0
  for i in 0..<m.rows {
    for j in 0..<m.columns { worst = max(worst, abs(m[i, j])) }
  }
  return worst
}

/// The largest absolute element-wise difference, or infinity when the shapes differ.
///
/// Written with subscripts rather than `Matrix.maxAbsDifference` so the comparison does not
/// depend on the code under test.
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
  guard a.rows == b.rows, a.columns == b.columns else { return .infinity }
  var worst = 0.0
  for i in 0..<a.rows {
    for j in 0..<a.columns { worst = max(worst, abs(a[i, j] - b[i, j])) }
  }
  return worst
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// The Frobenius norm, summed directly.
func frobenius(_ m: Matrix) -> Double {
  var sum = 0.0
  for i in 0..<m.rows {
    for j in 0..<m.columns { sum += m[i, j] * m[i, j] }
  }
  return sum.squareRoot()
}

/// The textbook triple-loop product, independent of BLAS, for checking identities.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
  precondition(a.columns == b.rows, "naiveProduct: inner dimensions differ")
  var c = Matrix(rows: a.rows, columns: b.columns)
  for i in 0..<a.rows {
    for j in 0..<b.columns {
      var sum = 0.0
      for k in 0..<a.columns { sum += a[i, k] * b[k, j] }
      c[i, j] = sum
    }
  }
  return c
}

/// The transpose, element by element, independent of `Matrix.transposed`'s blocking.
func naiveTranspose(_ a: Matrix) -> Matrix {
  var t = Matrix(rows: a.columns, columns: a.rows)
  for i in 0..<a.rows {
    for j in 0..<a.columns { t[j, i] = a[i, j] }
  }
  return t
}

/// Expects two matrices of one shape to agree element-wise within `tolerance`.
func expectClose(
  _ actual: Matrix, _ expected: Matrix, within tolerance: Double, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    actual.rows == expected.rows && actual.columns == expected.columns, comment,
    sourceLocation: sourceLocation)
  let difference = maxAbsDifference(actual, expected)
  #expect(difference <= tolerance, comment, sourceLocation: sourceLocation)
}

/// Expects two vectors of one length to agree element-wise within `tolerance`.
func expectClose(
  _ actual: [Double], _ expected: [Double], within tolerance: Double, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, comment, sourceLocation: sourceLocation)
  let difference = maxAbsDifference(actual, expected)
  #expect(difference <= tolerance, comment, sourceLocation: sourceLocation)
}

/// Expects `m` to have orthonormal columns: `mᵀm = I`.
func expectOrthonormalColumns(
  _ m: Matrix, within tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
  let gram = naiveProduct(naiveTranspose(m), m)
  expectClose(gram, .identity(m.columns), within: tolerance, sourceLocation: sourceLocation)
}

/// The test matrix `a[i, j] = sin(seed + 7i + 3j + 0.37·i·j)`: deterministic, entries in
/// [-1, 1], and of full rank (without the `i·j` term every column would be a shifted copy of
/// one sinusoid and the matrix would have rank 2).
func sineMatrix(rows: Int, columns: Int, seed: Double = 0) -> Matrix {
  var m = Matrix(rows: rows, columns: columns)
  for i in 0..<rows {
    for j in 0..<columns {
      let (x, y) = (Double(i), Double(j))
      m[i, j] = sin(seed + 7 * x + 3 * y + 0.37 * x * y)
    }
  }
  return m
}

/// The `LinearAlgebraError.Kind` thrown by `body`, or `nil` when it throws nothing (which
/// records a test failure) or a different error type.
func errorKind(
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> some Any
) -> LinearAlgebraError.Kind? {
  let error = #expect(throws: LinearAlgebraError.self, sourceLocation: sourceLocation) {
    _ = try body()
  }
  return error?.kind
}
