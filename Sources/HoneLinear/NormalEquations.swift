import HoneCore
import HoneLinearAlgebra

/// The centred, weighted and optionally standardised normal equations of a linear
/// least-squares problem: `G = X̃ᵀX̃`, `X̃ᵀỹ` and `ỹᵀỹ`, where `X̃` and `ỹ` are the
/// features and target with their weighted means removed (when an intercept is fitted),
/// divided by the features' weighted standard deviations (when standardising), and
/// multiplied row by row by `√wᵢ`.
///
/// Solving in the centred space leaves the intercept unpenalised, as scikit-learn does:
/// the intercept is recovered as `ȳ − x̄·β`. The Gram matrix is accumulated over blocks
/// of rows with `dsyrk`, so `X̃` is never held whole: memory stays at one block.
package struct NormalEquations: Sendable {
  /// `X̃ᵀX̃`, full and symmetric (`p × p`).
  package let gram: Matrix
  /// `X̃ᵀỹ`.
  package let xty: [Double]
  /// `ỹᵀỹ`.
  package let yty: Double
  /// The weighted feature means (zeros without an intercept).
  package let xMean: [Double]
  /// The weighted target mean (zero without an intercept).
  package let yMean: Double
  /// The divisor of each feature (its weighted standard deviation when standardising,
  /// else 1; 1 for constant features).
  package let xScale: [Double]
  /// The sum of the weights (the row count without weights).
  package let weightSum: Double

  /// Rows per block when accumulating the Gram matrix.
  private static let blockRows = 4096

  /// Builds the normal equations.
  ///
  /// - Complexity: O(n p²) for the Gram matrix (BLAS level 3) plus O(n p) for the moments.
  package init(features x: Matrix, target y: [Double], weights: [Double]?, fitIntercept: Bool, standardize: Bool) {
    let (n, p) = (x.rows, x.columns)
    let stats = Self.moments(x, y, weights: weights, fitIntercept: fitIntercept, standardize: standardize)
    xMean = stats.xMean
    yMean = stats.yMean
    xScale = stats.xScale
    weightSum = stats.weightSum

    var gram = Matrix(rows: p, columns: p)
    var xty = [Double](repeating: 0, count: p)
    var yty = 0.0
    var blockStart = 0
    while blockStart < n {
      let rows = Swift.min(Self.blockRows, n - blockStart)
      let (block, target) = Self.block(
        x, y, weights: weights, rows: blockStart..<(blockStart + rows), xMean: xMean, yMean: yMean, xScale: xScale)
      // The shapes match by construction, so these BLAS calls cannot throw.
      try? BLAS.syrk(block, &gram, transpose: .transpose, beta: 1)
      try? BLAS.gemv(block, target, &xty, transpose: .transpose, beta: 1)
      yty += target.reduce(0) { $0 + $1 * $1 }
      blockStart += rows
    }
    gram.mirrorLowerToUpper()
    self.gram = gram
    self.xty = xty
    self.yty = yty
  }

  /// The whole transformed design `X̃` (`n × p`) and target `ỹ`, for solvers that need
  /// the rows rather than the Gram matrix (SVD paths, leave-one-out).
  package static func transformedDesign(
    features x: Matrix, target y: [Double], weights: [Double]?, fitIntercept: Bool, standardize: Bool
  ) -> (design: Matrix, target: [Double], xMean: [Double], yMean: Double, xScale: [Double], weightSum: Double) {
    let stats = moments(x, y, weights: weights, fitIntercept: fitIntercept, standardize: standardize)
    let (design, target) = block(
      x, y, weights: weights, rows: 0..<x.rows, xMean: stats.xMean, yMean: stats.yMean, xScale: stats.xScale)
    return (design, target, stats.xMean, stats.yMean, stats.xScale, stats.weightSum)
  }

  /// Coefficients and intercept on the original feature scale, from coefficients fitted
  /// in the transformed space.
  package func originalScale(_ beta: [Double]) -> (coefficients: [Double], intercept: Double) {
    Self.originalScale(beta, xMean: xMean, yMean: yMean, xScale: xScale)
  }

  /// See ``originalScale(_:)``.
  package static func originalScale(
    _ beta: [Double], xMean: [Double], yMean: Double, xScale: [Double]
  ) -> (coefficients: [Double], intercept: Double) {
    let coefficients = zip(beta, xScale).map { $0 / $1 }
    let intercept = yMean - zip(coefficients, xMean).reduce(0) { $0 + $1.0 * $1.1 }
    return (coefficients, intercept)
  }

  // MARK: Helpers

  private struct Moments {
    var xMean: [Double]
    var yMean: Double
    var xScale: [Double]
    var weightSum: Double
  }

  /// Weighted means (when fitting an intercept) and standard deviations (when
  /// standardising), two passes per column for accuracy.
  private static func moments(
    _ x: Matrix, _ y: [Double], weights: [Double]?, fitIntercept: Bool, standardize: Bool
  ) -> Moments {
    let (n, p) = (x.rows, x.columns)
    let weightSum = weights?.reduce(0, +) ?? Double(n)
    func mean(_ values: UnsafeBufferPointer<Double>) -> Double {
      var total = 0.0
      if let weights {
        for i in 0..<n { total += weights[i] * values[i] }
      } else {
        for i in 0..<n { total += values[i] }
      }
      return total / weightSum
    }
    var xMean = [Double](repeating: 0, count: p)
    var xScale = [Double](repeating: 1, count: p)
    x.withUnsafeBufferPointer { storage in
      for j in 0..<p {
        let column = UnsafeBufferPointer(rebasing: storage[(j * n)..<((j + 1) * n)])
        let m = mean(column)
        if fitIntercept { xMean[j] = m }
        if standardize {
          var squares = 0.0
          for i in 0..<n {
            let d = column[i] - m
            squares += (weights?[i] ?? 1) * d * d
          }
          let deviation = (squares / weightSum).squareRoot()
          xScale[j] = deviation > 0 ? deviation : 1
        }
      }
    }
    let yMean = fitIntercept ? y.withUnsafeBufferPointer { mean($0) } : 0
    return Moments(xMean: xMean, yMean: yMean, xScale: xScale, weightSum: weightSum)
  }

  /// Rows `range` of `X̃` and `ỹ`.
  private static func block(
    _ x: Matrix, _ y: [Double], weights: [Double]?, rows range: Range<Int>, xMean: [Double], yMean: Double,
    xScale: [Double]
  ) -> (Matrix, [Double]) {
    let (n, p, count) = (x.rows, x.columns, range.count)
    var out = [Double](repeating: 0, count: count * p)
    let rootWeights = weights.map { w in range.map { w[$0].squareRoot() } }
    x.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { destination in
        for j in 0..<p {
          let (shift, scale) = (xMean[j], 1 / xScale[j])
          let from = j * n + range.lowerBound
          let to = j * count
          if let rootWeights {
            for i in 0..<count { destination[to + i] = (source[from + i] - shift) * scale * rootWeights[i] }
          } else {
            for i in 0..<count { destination[to + i] = (source[from + i] - shift) * scale }
          }
        }
      }
    }
    let target = range.enumerated().map { k, i in (y[i] - yMean) * (rootWeights?[k] ?? 1) }
    return (Matrix(uncheckedRows: count, columns: p, storage: out), target)
  }
}
