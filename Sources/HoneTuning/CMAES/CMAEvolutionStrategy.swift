import Foundation
import HoneCore
import HoneLinearAlgebra

/// The covariance matrix adaptation evolution strategy, `(μ/μ_W, λ)`-CMA-ES with negative
/// weights, as Hansen's tutorial states it ("The CMA Evolution Strategy: A Tutorial",
/// arXiv:1604.00772, 2016 revision; Hansen & Ostermeier 2001): an ask-and-tell minimiser
/// that samples a Gaussian `N(m, σ²C)` and moves `m`, `σ` and `C` towards the better
/// half of each generation.
///
/// One ``tell(_:)`` applies Table 1 and equations (38)–(47) of the tutorial once; the
/// default constants are those of its Appendix A (``populationSize`` λ = 4 + ⌊3 ln n⌋,
/// μ = ⌊λ/2⌋, α_cov = 2). `C` is decomposed by cyclic Jacobi rotations after each
/// update to give `B·D` for sampling and `C^(−1/2)` for the step-size path.
public struct CMAEvolutionStrategy: Sendable {
  /// The number of coordinates, n.
  public let dimension: Int
  /// Candidates per generation, λ.
  public let populationSize: Int
  /// Parents that move the mean, μ.
  public let parentCount: Int
  /// The recombination weights `w_1 … w_λ`: positive for the μ best, summing to 1, and
  /// negative for the rest ("active" CMA).
  public let weights: [Double]
  /// The variance-effective selection mass, μ_eff.
  public let effectiveSelectionMass: Double
  /// The learning rate of the step-size path, c_σ.
  public let stepSizeLearningRate: Double
  /// The step-size damping, d_σ.
  public let stepSizeDamping: Double
  /// The learning rate of the covariance path, c_c.
  public let pathLearningRate: Double
  /// The rank-one learning rate, c_1.
  public let rankOneLearningRate: Double
  /// The rank-μ learning rate, c_μ.
  public let rankMuLearningRate: Double

  /// The mean m.
  public private(set) var mean: [Double]
  /// The step size σ.
  public private(set) var sigma: Double
  /// The covariance matrix C.
  public private(set) var covariance: Matrix
  /// The evolution path of the covariance, p_c.
  public private(set) var covariancePath: [Double]
  /// The conjugate evolution path of the step size, p_σ.
  public private(set) var stepSizePath: [Double]
  /// Generations told so far, g.
  public private(set) var generation = 0
  /// The eigenvectors B of C, one per column.
  private var basis: Matrix
  /// The square roots D of C's eigenvalues.
  private var scales: [Double]

  /// Starts a search.
  ///
  /// - Parameters:
  ///   - mean: The initial mean m⁽⁰⁾, at least one coordinate.
  ///   - sigma: The initial step size σ⁽⁰⁾, positive.
  ///   - populationSize: λ, at least 2; `nil` for 4 + ⌊3 ln n⌋.
  /// - Throws: ``TuningError`` for an empty or non-finite mean, a non-positive σ, or λ < 2.
  public init(mean: [Double], sigma: Double, populationSize: Int? = nil) throws {
    guard !mean.isEmpty, mean.allSatisfy(\.isFinite) else {
      throw TuningError("CMA-ES needs a finite mean with at least one coordinate, got \(mean)")
    }
    guard sigma > 0, sigma.isFinite else { throw TuningError("CMA-ES needs sigma > 0, got \(sigma)") }
    let n = Double(mean.count)
    let lambda = populationSize ?? 4 + Int((3 * Foundation.log(n)).rounded(.down))
    guard lambda >= 2 else { throw TuningError("the CMA-ES population size must be at least 2, got \(lambda)") }
    let mu = lambda / 2
    // Table 1 / eq. (49)–(53): raw weights, their effective masses, then the scaled weights.
    let raw = (1...lambda).map { Foundation.log((Double(lambda) + 1) / 2) - Foundation.log(Double($0)) }
    let positive = raw.prefix(mu)
    let negative = raw.dropFirst(mu)
    let muEff = positive.reduce(0, +) * positive.reduce(0, +) / positive.reduce(0) { $0 + $1 * $1 }
    let negativeSquares = negative.reduce(0) { $0 + $1 * $1 }
    let muEffMinus = negativeSquares > 0 ? negative.reduce(0, +) * negative.reduce(0, +) / negativeSquares : 0
    let alphaCov = 2.0
    let cSigma = (muEff + 2) / (n + muEff + 5)
    let dSigma = 1 + 2 * Swift.max(0, ((muEff - 1) / (n + 1)).squareRoot() - 1) + cSigma
    let cC = (4 + muEff / n) / (n + 4 + 2 * muEff / n)
    let c1 = alphaCov / ((n + 1.3) * (n + 1.3) + muEff)
    let cMu = Swift.min(
      1 - c1, alphaCov * (0.25 + muEff + 1 / muEff - 2) / ((n + 2) * (n + 2) + alphaCov * muEff / 2))
    let alphaMuMinus = 1 + c1 / cMu
    let alphaMuEffMinus = 1 + 2 * muEffMinus / (muEff + 2)
    let alphaPosDefMinus = (1 - c1 - cMu) / (n * cMu)
    let positiveSum = positive.reduce(0, +)
    let negativeSum = Swift.max(-negative.reduce(0, +), .leastNonzeroMagnitude)
    let negativeScale = Swift.min(alphaMuMinus, alphaMuEffMinus, alphaPosDefMinus) / negativeSum
    weights = raw.map { $0 >= 0 ? $0 / positiveSum : $0 * negativeScale }
    dimension = mean.count
    self.populationSize = lambda
    parentCount = mu
    effectiveSelectionMass = muEff
    stepSizeLearningRate = cSigma
    stepSizeDamping = dSigma
    pathLearningRate = cC
    rankOneLearningRate = c1
    rankMuLearningRate = cMu
    self.mean = mean
    self.sigma = sigma
    covariance = .identity(mean.count)
    basis = .identity(mean.count)
    scales = [Double](repeating: 1, count: mean.count)
    covariancePath = [Double](repeating: 0, count: mean.count)
    stepSizePath = [Double](repeating: 0, count: mean.count)
  }

  /// E‖N(0, I)‖ ≈ √n (1 − 1/(4n) + 1/(21n²)).
  var expectedNormLength: Double {
    let n = Double(dimension)
    return n.squareRoot() * (1 - 1 / (4 * n) + 1 / (21 * n * n))
  }

  /// The candidate `m + σ·B·D·z` for a standard normal vector `z` (eq. 38–40).
  ///
  /// - Parameter z: `dimension` standard normal numbers.
  /// - Returns: The candidate.
  public func candidate(standardNormal z: [Double]) -> [Double] {
    (0..<dimension).map { i in
      var y = 0.0
      for j in 0..<dimension { y += basis[i, j] * scales[j] * z[j] }
      return mean[i] + sigma * y
    }
  }

  /// A candidate drawn with `generator`.
  ///
  /// - Parameter generator: The random source.
  /// - Returns: A draw from `N(m, σ²C)`.
  public func sample(_ generator: inout some SeededRandomNumberGenerator) -> [Double] {
    candidate(standardNormal: (0..<dimension).map { _ in generator.nextGaussian() })
  }

  /// Updates the distribution from one generation of evaluated candidates (minimising).
  ///
  /// - Parameter solutions: Exactly ``populationSize`` candidates with their values,
  ///   smaller is better.
  /// - Throws: ``TuningError`` for a wrong count, a wrong dimension or a non-finite value;
  ///   the eigendecomposition's error if `C` stops being a finite matrix.
  public mutating func tell(_ solutions: [(point: [Double], value: Double)]) throws {
    guard solutions.count == populationSize else {
      throw TuningError("CMA-ES expects \(populationSize) candidates per generation, got \(solutions.count)")
    }
    guard solutions.allSatisfy({ $0.point.count == dimension && $0.point.allSatisfy(\.isFinite) && $0.value.isFinite })
    else { throw TuningError("CMA-ES candidates need \(dimension) finite coordinates and a finite value") }
    let n = dimension
    let ranked = solutions.sorted { $0.value < $1.value }
    // y_{i:λ} = (x_{i:λ} − m) / σ, with the old mean and step size.
    let steps = ranked.map { s in (0..<n).map { (s.point[$0] - mean[$0]) / sigma } }
    var weightedStep = [Double](repeating: 0, count: n)
    for i in 0..<parentCount { for j in 0..<n { weightedStep[j] += weights[i] * steps[i][j] } }
    // Eq. (41): the mean, with c_m = 1.
    for j in 0..<n { mean[j] += sigma * weightedStep[j] }
    // Eq. (43)–(44): the step-size path through C^(−1/2) = B·D⁻¹·Bᵀ, then σ.
    let whitenedStep = inverseSquareRoot(weightedStep)
    let cSigma = stepSizeLearningRate
    let sigmaFactor = (cSigma * (2 - cSigma) * effectiveSelectionMass).squareRoot()
    for j in 0..<n { stepSizePath[j] = (1 - cSigma) * stepSizePath[j] + sigmaFactor * whitenedStep[j] }
    let pathLength = stepSizePath.reduce(0) { $0 + $1 * $1 }.squareRoot()
    // Eq. (45): the Heaviside stall of p_c when p_σ is long, at generation g + 1.
    let decay = 1 - Foundation.pow(1 - cSigma, 2 * Double(generation + 1))
    let stalled = pathLength / decay.squareRoot() >= (1.4 + 2 / (Double(n) + 1)) * expectedNormLength
    let cC = pathLearningRate
    let pathFactor = stalled ? 0 : (cC * (2 - cC) * effectiveSelectionMass).squareRoot()
    for j in 0..<n { covariancePath[j] = (1 - cC) * covariancePath[j] + pathFactor * weightedStep[j] }
    // Eq. (46)–(47): negative weights are rescaled by n / ‖C^(−1/2) y‖².
    let c1 = rankOneLearningRate
    let cMu = rankMuLearningRate
    let adjusted = (0..<populationSize).map { i -> Double in
      guard weights[i] < 0 else { return weights[i] }
      let w = inverseSquareRoot(steps[i])
      return weights[i] * Double(n) / Swift.max(w.reduce(0) { $0 + $1 * $1 }, .leastNormalMagnitude)
    }
    let delta = stalled ? cC * (2 - cC) : 0
    let keep = 1 + c1 * delta - c1 - cMu * weights.reduce(0, +)
    var next = Matrix(rows: n, columns: n)
    for r in 0..<n {
      for c in 0...r {
        var rankMu = 0.0
        for i in 0..<populationSize { rankMu += adjusted[i] * steps[i][r] * steps[i][c] }
        let value = keep * covariance[r, c] + c1 * covariancePath[r] * covariancePath[c] + cMu * rankMu
        next[r, c] = value
        next[c, r] = value
      }
    }
    sigma *= Foundation.exp(cSigma / stepSizeDamping * (pathLength / expectedNormLength - 1))
    covariance = next
    generation += 1
    try decompose()
  }

  /// The condition number of C (largest over smallest eigenvalue).
  public var conditionNumber: Double {
    let squares = scales.map { $0 * $0 }
    return (squares.max() ?? 1) / Swift.max(squares.min() ?? 1, .leastNormalMagnitude)
  }

  /// σ times the largest standard deviation of C: how far the search still reaches.
  public var reach: Double { sigma * (scales.max() ?? 0) }

  private func inverseSquareRoot(_ v: [Double]) -> [Double] {
    let n = dimension
    var projected = [Double](repeating: 0, count: n)
    for k in 0..<n {
      var s = 0.0
      for i in 0..<n { s += basis[i, k] * v[i] }
      projected[k] = s / scales[k]
    }
    return (0..<n).map { i in (0..<n).reduce(0) { $0 + basis[i, $1] * projected[$1] } }
  }

  private mutating func decompose() throws {
    // Cyclic Jacobi in Swift rather than LAPACK's dsyevd: OpenBLAS's result can change in
    // the last bits with its thread count, which other code (parallel folds and trials)
    // sets process-wide at any moment, and a sampler must give the same candidates for
    // the same history whatever runs beside it. C is small (one row per parameter).
    let (values, vectors) = try Self.jacobiEigendecomposition(covariance)
    basis = vectors
    // Round-off can leave a tiny negative eigenvalue on a nearly singular C.
    scales = values.map { Swift.max($0, 1e-300).squareRoot() }
  }

  /// Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi
  /// rotations (Golub & Van Loan, *Matrix Computations*, §8.5), sweeping until the
  /// off-diagonal mass is negligible; deterministic and independent of any thread count.
  ///
  /// - Throws: ``TuningError`` for a non-finite matrix.
  static func jacobiEigendecomposition(_ matrix: Matrix) throws -> (values: [Double], vectors: Matrix) {
    let n = matrix.rows
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        let value = matrix[i, j]
        guard value.isFinite else { throw TuningError("CMA-ES: the covariance matrix has a non-finite entry") }
        a[i * n + j] = value
      }
    }
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
      var off = 0.0
      var diagonal = 0.0
      for i in 0..<n {
        diagonal += a[i * n + i] * a[i * n + i]
        for j in (i + 1)..<Swift.max(i + 1, n) { off += a[i * n + j] * a[i * n + j] }
      }
      if off <= 1e-30 * Swift.max(diagonal, .leastNormalMagnitude) { break }
      for p in 0..<n {
        for q in (p + 1)..<Swift.max(p + 1, n) {
          let apq = a[p * n + q]
          if apq == 0 { continue }
          let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<n {
            let akp = a[k * n + p]
            let akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
          }
          for k in 0..<n {
            let apk = a[p * n + k]
            let aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
          }
          for k in 0..<n {
            let vkp = v[k * n + p]
            let vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
          }
        }
      }
    }
    // Ascending eigenvalues, as LAPACK orders them.
    let order = (0..<n).sorted { a[$0 * n + $0] != a[$1 * n + $1] ? a[$0 * n + $0] < a[$1 * n + $1] : $0 < $1 }
    var vectors = Matrix(rows: n, columns: n)
    for (column, k) in order.enumerated() { for i in 0..<n { vectors[i, column] = v[i * n + k] } }
    return (order.map { a[$0 * n + $0] }, vectors)
  }
}
