import Foundation
import HoneCore
import HoneLinearAlgebra

/// The logistic-regression training objective in the form the solvers minimise:
///
///     F(θ) = Σᵢ ωᵢ ℓᵢ(θ) + (λ₂/2)‖β̃‖² + λ₁‖β̃‖₁,     ωᵢ = wᵢ / Σⱼ wⱼ,
///
/// where `ℓᵢ` is the binomial or multinomial log loss of row `i`, `wᵢ` its sample weight
/// times its class weight, and `β̃` the coefficients without the intercepts.
/// With `λ₂ = (1 − r)/(C·Σw)` and `λ₁ = r/(C·Σw)` this is scikit-learn's objective
/// `C·Σ wᵢℓᵢ + r‖β‖₁ + (1 − r)/2·‖β‖²` divided by `C·Σw`: the same minimiser, and the
/// same scaling scikit-learn's lbfgs applies, so a gradient tolerance means the same in
/// both (`sklearn/linear_model/_logistic.py`, "IMPORTANT NOTE").
///
/// **Parameters.** `θ` holds one block of `stride = p (+1)` entries per score column:
/// `p` coefficients then the intercept. Binary problems have one block (the score of
/// the second class, the first class's score being 0, as scikit-learn's `coef_` of
/// shape `1 × p`); multinomial problems have one block per class (the symmetric softmax
/// parameterisation, scikit-learn's `K × p`).
///
/// **Standardisation without a copy.** When standardising, `θ` lives on the scale of
/// `x̃ = (x − μ)/σ`, but the design is never rewritten: scores use the original-scale
/// coefficients `β = β̃/σ` and intercept `b − μ·β`, and the gradient maps back as
/// `(Xᵀr − μ Σr)/σ`. A 10⁶ × 100 design therefore costs no extra 800 MB.
package struct LogisticObjective: Sendable {
  /// The design, `n × p`, as given.
  package let features: Matrix
  /// Each row's class, as an index into the model's classes.
  package let classIndex: [Int32]
  /// Each row's weight divided by the weight sum.
  package let weights: [Double]
  /// The number of classes `K ≥ 2`.
  package let classCount: Int
  /// Whether `θ` has intercepts.
  package let fitIntercept: Bool
  /// Feature means subtracted before scaling (zeros unless standardising with an intercept).
  package let mean: [Double]
  /// Feature divisors (ones unless standardising).
  package let scale: [Double]
  /// The scaled L2 strength `λ₂`.
  package let l2: Double
  /// The scaled L1 strength `λ₁`.
  package let l1: Double

  /// Rows per block when the Hessian is accumulated: big enough for level-3 BLAS to run
  /// near peak, small enough that a block of the transformed design stays in cache.
  private static let hessianBlockRows = 2048

  /// The number of features `p`.
  package var featureCount: Int { features.columns }
  /// The number of score columns: 1 for binary problems, `K` otherwise.
  package var blockCount: Int { classCount == 2 ? 1 : classCount }
  /// Entries of `θ` per block.
  package var stride: Int { featureCount + (fitIntercept ? 1 : 0) }
  /// The length of `θ`.
  package var parameterCount: Int { blockCount * stride }

  /// Creates the objective.
  package init(
    features: Matrix, classIndex: [Int32], weights: [Double], classCount: Int, fitIntercept: Bool,
    mean: [Double], scale: [Double], l2: Double, l1: Double
  ) {
    self.features = features
    self.classIndex = classIndex
    self.weights = weights
    self.classCount = classCount
    self.fitIntercept = fitIntercept
    self.mean = mean
    self.scale = scale
    self.l2 = l2
    self.l1 = l1
  }

  /// Whether `θ[index]` is a coefficient (penalised) rather than an intercept.
  package func isPenalized(_ index: Int) -> Bool { index % stride < featureCount }

  // MARK: Parameters on the original scale

  /// The coefficients on the original feature scale (`p × blockCount`, one column per
  /// score) and the intercepts.
  package func originalScale(_ theta: [Double]) -> (coefficients: Matrix, intercepts: [Double]) {
    let p = featureCount
    var coefficients = [Double](repeating: 0, count: p * blockCount)
    var intercepts = [Double](repeating: 0, count: blockCount)
    for k in 0..<blockCount {
      var intercept = fitIntercept ? theta[k * stride + p] : 0
      for j in 0..<p {
        let beta = theta[k * stride + j] / scale[j]
        coefficients[k * p + j] = beta
        intercept -= mean[j] * beta
      }
      intercepts[k] = intercept
    }
    return (Matrix(uncheckedRows: p, columns: blockCount, storage: coefficients), intercepts)
  }

  /// The scores: `n` values for a binary problem, else `K × n` column-major (each row's
  /// `K` scores contiguous, so the softmax reads memory in order).
  ///
  /// - Complexity: O(n p K), one `dgemv` or `dgemm`.
  package func scores(_ theta: [Double]) throws -> [Double] {
    let (coefficients, intercepts) = originalScale(theta)
    let n = features.rows
    if blockCount == 1 {
      var z = [Double](repeating: intercepts[0], count: n)
      try BLAS.gemv(features, coefficients.storage, &z, beta: 1)
      return z
    }
    let k = blockCount
    var storage = [Double](repeating: 0, count: k * n)
    for i in 0..<n {
      for c in 0..<k { storage[i * k + c] = intercepts[c] }
    }
    var z = Matrix(uncheckedRows: k, columns: n, storage: storage)
    // Zᵀ = βᵀXᵀ + b: the row-major score layout straight from one dgemm.
    try BLAS.gemm(coefficients, features, &z, transposeA: .transpose, transposeB: .transpose, beta: 1)
    return z.storage
  }

  // MARK: Value and gradient

  /// The smooth part `Σ ωᵢℓᵢ + (λ₂/2)‖β̃‖²` and its gradient.
  ///
  /// - Complexity: O(n p K): two `dgemv` (binary) or two `dgemm` (multinomial), plus one
  ///   `exp` and one `log1p` (binary) or `K` `exp` and one `log` per row.
  package func smoothValue(_ theta: [Double], gradient: inout [Double]) throws -> Double {
    var z = try scores(theta)
    let data = Self.lossAndResiduals(&z, classIndex: classIndex, weights: weights, blockCount: blockCount)
    let (n, p, k) = (features.rows, featureCount, blockCount)
    var raw = Matrix(rows: p, columns: k)
    var totals = [Double](repeating: 0, count: k)
    if k == 1 {
      var g = [Double](repeating: 0, count: p)
      try BLAS.gemv(features, z, &g, transpose: .transpose)
      raw = Matrix(uncheckedRows: p, columns: 1, storage: g)
      totals[0] = z.reduce(0, +)
    } else {
      let residuals = Matrix(uncheckedRows: k, columns: n, storage: z)
      try BLAS.gemm(features, residuals, &raw, transposeA: .transpose, transposeB: .transpose)
      z.withUnsafeBufferPointer { r in
        for i in 0..<n {
          for c in 0..<k { totals[c] += r[i * k + c] }
        }
      }
    }
    var squares = 0.0
    raw.withUnsafeBufferPointer { g in
      for c in 0..<k {
        for j in 0..<p {
          let t = theta[c * stride + j]
          gradient[c * stride + j] = (g[c * p + j] - mean[j] * totals[c]) / scale[j] + l2 * t
          squares += t * t
        }
        if fitIntercept { gradient[c * stride + p] = totals[c] }
      }
    }
    return data + 0.5 * l2 * squares
  }

  /// The smooth part `Σ ωᵢℓᵢ + (λ₂/2)‖β̃‖²` alone (line searches that need no gradient).
  ///
  /// - Complexity: O(n p K), one `dgemv` or `dgemm`.
  package func smoothValue(_ theta: [Double]) throws -> Double {
    var z = try scores(theta)
    let data = Self.lossAndResiduals(
      &z, classIndex: classIndex, weights: weights, blockCount: blockCount, residuals: false)
    var squares = 0.0
    for (index, t) in theta.enumerated() where isPenalized(index) { squares += t * t }
    return data + 0.5 * l2 * squares
  }

  /// `‖β̃‖₁` over the coefficients (not the intercepts).
  package func l1Norm(_ theta: [Double]) -> Double {
    var total = 0.0
    for (index, t) in theta.enumerated() where isPenalized(index) { total += abs(t) }
    return total
  }

  /// The whole objective `F(θ)`.
  package func value(_ theta: [Double]) throws -> Double {
    try smoothValue(theta) + l1 * l1Norm(theta)
  }

  /// The largest entry of the minimum-norm subgradient of `F` at `θ`, given the smooth
  /// part's gradient: the gradient itself without an L1 term. Zero exactly at the optimum;
  /// this is what ``LogisticRegression/Hyperparameters/tolerance`` bounds.
  package func optimality(_ theta: [Double], smoothGradient g: [Double]) -> Double {
    var worst = 0.0
    for i in theta.indices {
      let violation: Double
      if l1 > 0, isPenalized(i) {
        if theta[i] != 0 {
          violation = abs(g[i] + (theta[i] > 0 ? l1 : -l1))
        } else {
          violation = Swift.max(abs(g[i]) - l1, 0)
        }
      } else {
        violation = abs(g[i])
      }
      worst = Swift.max(worst, violation)
    }
    return worst
  }

  /// Replaces scores by weighted residuals `ωᵢ(pᵢ − yᵢ)` (when `residuals`) and returns
  /// `Σ ωᵢℓᵢ`.
  ///
  /// Binary: `ℓ = log(1 + eᶻ) − y·z = max(z, 0) + log1p(e^{−|z|}) − y·z`, and
  /// `σ(z)` from the same `e^{−|z|}`, so neither overflows for any finite score.
  /// Multinomial: `ℓ = logsumexp(z) − z_y` with the row maximum subtracted first.
  private static func lossAndResiduals(
    _ z: inout [Double], classIndex: [Int32], weights: [Double], blockCount k: Int, residuals: Bool = true
  ) -> Double {
    var loss = 0.0
    let n = classIndex.count
    z.withUnsafeMutableBufferPointer { z in
      classIndex.withUnsafeBufferPointer { labels in
        weights.withUnsafeBufferPointer { w in
          if k == 1 {
            for i in 0..<n {
              let score = z[i]
              let positive = labels[i] == 1
              let e = exp(-abs(score))
              loss += w[i] * (Swift.max(score, 0) + log1p(e) - (positive ? score : 0))
              if residuals {
                let probability = score >= 0 ? 1 / (1 + e) : e / (1 + e)
                z[i] = w[i] * (probability - (positive ? 1 : 0))
              }
            }
            return
          }
          for i in 0..<n {
            let base = i * k
            var largest = -Double.infinity
            for c in 0..<k { largest = Swift.max(largest, z[base + c]) }
            let label = Int(labels[i])
            let labelScore = z[base + label]
            var total = 0.0
            for c in 0..<k {
              let e = exp(z[base + c] - largest)
              z[base + c] = e
              total += e
            }
            loss += w[i] * (largest + log(total) - labelScore)
            if residuals {
              let factor = w[i] / total
              for c in 0..<k { z[base + c] *= factor }
              z[base + label] -= w[i]
            }
          }
        }
      }
    }
    return loss
  }

  // MARK: Hessian

  /// The Hessian of the smooth part, `X̃ᵀ D X̃ + λ₂ I` on the coefficients
  /// (`parameterCount × parameterCount`, full and symmetric), with `X̃` the transformed
  /// design with a column of ones when fitting intercepts.
  ///
  /// Binary: `D = diag(ωᵢ pᵢ (1 − pᵢ))`, accumulated with `dsyrk` on rows scaled by
  /// `√Dᵢᵢ`. Multinomial: block `(k, l)` is `X̃ᵀ diag(ωᵢ pᵢₖ(δₖₗ − pᵢₗ)) X̃`, one `dgemm`
  /// per block pair (the off-diagonal weights are negative, so no square-root form).
  /// Rows are processed in blocks so the transformed design is never held whole.
  ///
  /// - Complexity: O(n q² K(K+1)/2) with `q = p + 1`.
  package func hessian(_ theta: [Double]) throws -> Matrix {
    var probabilities = try scores(theta)
    Self.probabilitiesInPlace(&probabilities, blockCount: blockCount)
    let (n, p, q, k) = (features.rows, featureCount, stride, blockCount)
    let pairs = k == 1 ? [(0, 0)] : (0..<k).flatMap { a in (a..<k).map { b in (a, b) } }
    var blocks = [Matrix](repeating: Matrix(rows: q, columns: q), count: pairs.count)
    var start = 0
    while start < n {
      let rows = Swift.min(Self.hessianBlockRows, n - start)
      let design = transformedRows(start..<(start + rows))
      for (index, (a, b)) in pairs.enumerated() {
        var scaled = design
        var rowScale = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
          let i = start + r
          if k == 1 {
            let pi = probabilities[i]
            rowScale[r] = (weights[i] * pi * (1 - pi)).squareRoot()
          } else {
            let (pa, pb) = (probabilities[i * k + a], probabilities[i * k + b])
            rowScale[r] = weights[i] * pa * ((a == b ? 1 : 0) - pb)
          }
        }
        scaled.withUnsafeMutableBufferPointer { s in
          for j in 0..<q {
            for r in 0..<rows { s[j * rows + r] *= rowScale[r] }
          }
        }
        if k == 1 {
          try BLAS.syrk(scaled, &blocks[index], triangle: .lower, transpose: .transpose, beta: 1)
        } else {
          try BLAS.gemm(design, scaled, &blocks[index], transposeA: .transpose, beta: 1)
        }
      }
      start += rows
    }
    if k == 1 { blocks[0].mirrorLowerToUpper() }

    let d = parameterCount
    var hessian = Matrix(rows: d, columns: d)
    for (index, (a, b)) in pairs.enumerated() {
      for column in 0..<q {
        for row in 0..<q {
          let v = blocks[index][row, column]
          hessian[a * q + row, b * q + column] = v
          hessian[b * q + column, a * q + row] = v
        }
      }
    }
    for c in 0..<k {
      for j in 0..<p { hessian[c * q + j, c * q + j] += l2 }
    }
    return hessian
  }

  /// Rows `range` of `X̃ = [(X − μ)/σ, 1]` as a `rows × stride` matrix.
  private func transformedRows(_ range: Range<Int>) -> Matrix {
    let (n, p, rows) = (features.rows, featureCount, range.count)
    var out = [Double](repeating: 1, count: rows * stride)
    features.withUnsafeBufferPointer { x in
      for j in 0..<p {
        let (shift, inverse) = (mean[j], 1 / scale[j])
        for r in 0..<rows { out[j * rows + r] = (x[j * n + range.lowerBound + r] - shift) * inverse }
      }
    }
    return Matrix(uncheckedRows: rows, columns: stride, storage: out)
  }

  /// Turns scores into class probabilities in place: `σ(z)` for a binary problem (the
  /// second class), the softmax of each row otherwise.
  package static func probabilitiesInPlace(_ z: inout [Double], blockCount k: Int) {
    z.withUnsafeMutableBufferPointer { z in
      if k == 1 {
        for i in z.indices {
          let e = exp(-abs(z[i]))
          z[i] = z[i] >= 0 ? 1 / (1 + e) : e / (1 + e)
        }
        return
      }
      for base in Swift.stride(from: 0, to: z.count, by: k) {
        var largest = -Double.infinity
        for c in 0..<k { largest = Swift.max(largest, z[base + c]) }
        var total = 0.0
        for c in 0..<k {
          let e = exp(z[base + c] - largest)
          z[base + c] = e
          total += e
        }
        for c in 0..<k { z[base + c] /= total }
      }
    }
  }

  // MARK: Standardisation

  /// Weighted feature means (when centring) and standard deviations (when scaling), two
  /// passes per column for accuracy; constant columns keep scale 1. The same moments as
  /// ``NormalEquations``, from the sample weights only (class weights are a property of
  /// the loss, not of the features).
  package static func moments(
    _ x: Matrix, weights: [Double]?, center: Bool, standardize: Bool
  ) -> (mean: [Double], scale: [Double]) {
    let (n, p) = (x.rows, x.columns)
    var mean = [Double](repeating: 0, count: p)
    var scale = [Double](repeating: 1, count: p)
    guard center || standardize else { return (mean, scale) }
    let weightSum = weights?.reduce(0, +) ?? Double(n)
    x.withUnsafeBufferPointer { storage in
      for j in 0..<p {
        var total = 0.0
        for i in 0..<n { total += (weights?[i] ?? 1) * storage[j * n + i] }
        let m = total / weightSum
        if center { mean[j] = m }
        if standardize {
          var squares = 0.0
          for i in 0..<n {
            let d = storage[j * n + i] - m
            squares += (weights?[i] ?? 1) * d * d
          }
          let deviation = (squares / weightSum).squareRoot()
          scale[j] = deviation > 0 ? deviation : 1
        }
      }
    }
    return (mean, scale)
  }
}
