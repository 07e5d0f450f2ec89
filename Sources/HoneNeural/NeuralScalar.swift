import Foundation
import HoneLinearAlgebra

/// The floating-point types a network computes in: `Float` for speed, `Double` for
/// gradient checks and bit-for-bit comparisons with float64 references.
///
/// Each conforming type supplies its BLAS `gemm` and the elementary functions the
/// activations and losses need, so the training loop is written once and specialised
/// for each type by the optimiser (the generic code is internal to the module).
package protocol NeuralScalar: BinaryFloatingPoint, Sendable {
  /// Column-major `C ← alpha·op(A)·op(B) + beta·C`.
  static func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Self, _ a: UnsafePointer<Self>,
    lda: Int, _ b: UnsafePointer<Self>, ldb: Int, beta: Self, _ c: UnsafeMutablePointer<Self>, ldc: Int)
  /// `eˣ`.
  static func exponential(_ x: Self) -> Self
  /// `ln x`.
  static func logarithm(_ x: Self) -> Self
  /// `ln(1 + x)`, accurate near 0.
  static func logarithmOnePlus(_ x: Self) -> Self
  /// The hyperbolic tangent.
  static func hyperbolicTangent(_ x: Self) -> Self
  /// The error function.
  static func errorFunction(_ x: Self) -> Self
  /// The ReLU backward pass `out[i] = pre[i] > 0 ? g[i]·mask[i] : 0` (mask 1 when `nil`).
  ///
  /// A requirement (not a generic function) so each type gets its own compiled loop:
  /// the naive `pre > 0 ? g : 0` compiled to a branch on the sign of `pre`, mispredicted
  /// half the time, which took 40% of an epoch.
  static func reluBackward(
    pre: UnsafePointer<Self>, gradient: UnsafePointer<Self>, mask: UnsafePointer<Self>?,
    into out: UnsafeMutablePointer<Self>, count: Int)
}

/// The shared body of ``NeuralScalar/reluBackward(pre:gradient:mask:into:count:)``,
/// inlined into each concrete type. Both operands are loaded unconditionally and the
/// sign test becomes a 0/1 factor, so the compiler emits a select rather than a branch
/// (a conditional load forces the branch).
@inline(__always)
private func reluBackwardBody<T: BinaryFloatingPoint>(
  pre: UnsafePointer<T>, gradient: UnsafePointer<T>, mask: UnsafePointer<T>?, into out: UnsafeMutablePointer<T>,
  count: Int
) {
  if let mask {
    for i in 0..<count {
      let g = gradient[i] * mask[i]
      let keep: T = pre[i] > 0 ? 1 : 0
      out[i] = g * keep
    }
  } else {
    for i in 0..<count {
      let g = gradient[i]
      let keep: T = pre[i] > 0 ? 1 : 0
      out[i] = g * keep
    }
  }
}

extension Double: NeuralScalar {
  package static func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Double,
    _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int, beta: Double,
    _ c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    BLAS.gemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
  }
  package static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
  package static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
  package static func logarithmOnePlus(_ x: Double) -> Double { Foundation.log1p(x) }
  package static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
  package static func errorFunction(_ x: Double) -> Double { Foundation.erf(x) }
  package static func reluBackward(
    pre: UnsafePointer<Double>, gradient: UnsafePointer<Double>, mask: UnsafePointer<Double>?,
    into out: UnsafeMutablePointer<Double>, count: Int
  ) {
    reluBackwardBody(pre: pre, gradient: gradient, mask: mask, into: out, count: count)
  }
}

extension Float: NeuralScalar {
  package static func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
    _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLAS.gemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
  }
  package static func exponential(_ x: Float) -> Float { Foundation.expf(x) }
  package static func logarithm(_ x: Float) -> Float { Foundation.logf(x) }
  package static func logarithmOnePlus(_ x: Float) -> Float { Foundation.log1pf(x) }
  package static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanhf(x) }
  package static func errorFunction(_ x: Float) -> Float { Foundation.erff(x) }
  package static func reluBackward(
    pre: UnsafePointer<Float>, gradient: UnsafePointer<Float>, mask: UnsafePointer<Float>?,
    into out: UnsafeMutablePointer<Float>, count: Int
  ) {
    reluBackwardBody(pre: pre, gradient: gradient, mask: mask, into: out, count: count)
  }
}
