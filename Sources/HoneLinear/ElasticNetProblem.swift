import HoneCore
import HoneLinearAlgebra

/// The settings ``ElasticNet`` and ``Lasso`` share, validated once.
package struct ElasticNetSettings: Sendable {
  package var alpha: Double
  package var l1Ratio: Double
  package var fitIntercept: Bool
  package var standardize: Bool
  package var maxIterations: Int
  package var tolerance: Double
  package var positive: Bool
  package var solver: ElasticNet.Solver

  /// Throws unless every setting is usable (the penalty is checked separately, since a
  /// path ignores it).
  package func validate() throws {
    guard l1Ratio.isFinite, (0...1).contains(l1Ratio) else {
      throw LinearModelError("l1Ratio must be in [0, 1] (1 is the lasso, 0 a pure L2 penalty), got \(l1Ratio)")
    }
    guard maxIterations >= 1 else {
      throw LinearModelError("maxIterations must be at least 1, got \(maxIterations); the default is 1000")
    }
    guard tolerance.isFinite, tolerance > 0 else {
      throw LinearModelError("tolerance must be a finite number > 0, got \(tolerance); the default is 1e-4")
    }
  }
}

/// The data side of an elastic-net fit — the normal equations, or the transformed
/// design when p > n — prepared once and solved for any number of alphas, so a whole
/// regularisation path shares one Gram matrix.
package struct ElasticNetProblem: Sendable {
  private enum Storage: Sendable {
    /// Covariance updates on `G = X̃ᵀX̃`.
    case gram(NormalEquations)
    /// Naive updates on `X̃` itself.
    case design(Matrix, target: [Double], columnNorms: [Double])
  }

  private let storage: Storage
  /// `X̃ᵀỹ`, for the largest useful alpha.
  private let xty: [Double]
  private let xMean: [Double]
  private let yMean: Double
  private let xScale: [Double]
  /// `Σw`: the factor between scikit-learn's objective and the solver's.
  private let weightSum: Double

  /// The number of features.
  package var featureCount: Int { xty.count }

  /// Centres, weights and (optionally) standardises the data, and builds the Gram
  /// matrix unless the naive solver was chosen.
  ///
  /// - Complexity: O(n p²) for the Gram matrix, O(n p) for the design.
  package init(_ data: Dataset, settings: ElasticNetSettings) {
    let useGram =
      switch settings.solver {
      case .covariance: true
      case .naive: false
      // scikit-learn's `precompute="auto"` rule: the Gram matrix pays off once n > p.
      case .auto: data.rowCount >= data.featureCount
      }
    if useGram {
      let system = NormalEquations(
        features: data.features, target: data.target, weights: data.weights, fitIntercept: settings.fitIntercept,
        standardize: settings.standardize)
      storage = .gram(system)
      xty = system.xty
      (xMean, yMean, xScale, weightSum) = (system.xMean, system.yMean, system.xScale, system.weightSum)
    } else {
      let t = NormalEquations.transformedDesign(
        features: data.features, target: data.target, weights: data.weights, fitIntercept: settings.fitIntercept,
        standardize: settings.standardize)
      let (n, p) = (t.design.rows, t.design.columns)
      var norms = [Double](repeating: 0, count: p)
      var products = [Double](repeating: 0, count: p)
      t.design.withUnsafeBufferPointer { x in
        for j in 0..<p {
          for i in 0..<n {
            norms[j] += x[j * n + i] * x[j * n + i]
            products[j] += x[j * n + i] * t.target[i]
          }
        }
      }
      storage = .design(t.design, target: t.target, columnNorms: norms)
      xty = products
      (xMean, yMean, xScale, weightSum) = (t.xMean, t.yMean, t.xScale, t.weightSum)
    }
  }

  /// The smallest alpha at which every coefficient is zero, `max|X̃ᵀỹ| / (Σw·l1Ratio)`
  /// (`max(X̃ᵀỹ)` with the positivity constraint) — scikit-learn's `_alpha_grid`.
  package func alphaMax(l1Ratio: Double, positive: Bool) -> Double {
    let largest = positive ? Swift.max(0, xty.max() ?? 0) : xty.reduce(0) { Swift.max($0, Swift.abs($1)) }
    return largest / (weightSum * l1Ratio)
  }

  /// Transformed-space coefficients from original-scale ones (for warm starts).
  package func transformedCoefficients(_ coefficients: [Double]) -> [Double] {
    zip(coefficients, xScale).map { $0 * $1 }
  }

  /// Minimises the elastic-net objective at `alpha`, starting from and overwriting
  /// `beta` (transformed-space coefficients).
  package func solve(
    alpha: Double, beta: inout [Double], settings: ElasticNetSettings
  ) -> CoordinateDescent.Outcome {
    // scikit-learn's enet_path multiplies alpha by n_samples with weights rescaled to sum
    // to n; with Hone's unscaled weights the same objective needs Σw instead.
    let cd = CoordinateDescent.Settings(
      l1: alpha * settings.l1Ratio * weightSum, l2: alpha * (1 - settings.l1Ratio) * weightSum,
      maxIterations: settings.maxIterations, tolerance: settings.tolerance, positive: settings.positive)
    switch storage {
    case .gram(let system):
      return CoordinateDescent.solve(system, coefficients: &beta, settings: cd)
    case .design(let design, let target, let norms):
      return CoordinateDescent.solve(
        design: design, target: target, columnNorms: norms, coefficients: &beta, settings: cd)
    }
  }

  /// The model for transformed-space coefficients `beta`, with diagnostics on
  /// scikit-learn's objective scale.
  ///
  /// - Throws: ``LinearModelError`` when the coefficients are not finite.
  package func model(
    estimator: String, alpha: Double, beta: [Double], outcome: CoordinateDescent.Outcome,
    settings: ElasticNetSettings
  ) throws -> LinearModel {
    let (coefficients, intercept) = NormalEquations.originalScale(
      beta, xMean: xMean, yMean: yMean, xScale: xScale)
    guard intercept.isFinite, coefficients.allSatisfy(\.isFinite) else {
      throw LinearModelError(
        "coordinate descent produced non-finite coefficients at alpha = \(alpha); the features are probably on very large scales: set standardize to true or rescale them"
      )
    }
    var warnings: [String] = []
    if !outcome.converged {
      warnings.append(
        "coordinate descent did not converge in \(outcome.iterations) iterations at alpha = \(alpha): duality gap \(outcome.dualityGap / weightSum) > \(outcome.gapTolerance / weightSum) (tolerance × weighted target variance); raise maxIterations, loosen tolerance, set standardize to true or use a larger alpha"
      )
    }
    if alpha == 0 {
      warnings.append(
        "alpha = 0 is unpenalised least squares, where coordinate descent converges slowly; use LinearRegression")
    }
    let diagnostics = FitDiagnostics(
      solver: "coordinate-descent", iterations: outcome.iterations, converged: outcome.converged,
      dualityGap: outcome.dualityGap / weightSum, objective: outcome.primal / weightSum, warnings: warnings)
    return LinearModel(
      estimator: estimator, coefficients: coefficients, intercept: intercept, alpha: alpha, diagnostics: diagnostics)
  }

  /// Validates, prepares and solves one fit.
  ///
  /// - Parameters:
  ///   - warmStart: Original-scale coefficients to start from, or `nil` for zeros.
  package static func fit(
    _ data: Dataset, settings: ElasticNetSettings, estimator: String, warmStart: [Double]? = nil
  ) throws -> LinearModel {
    try LinearModelValidation.checkPenalty(settings.alpha, name: "alpha")
    try settings.validate()
    try LinearModelValidation.checkTraining(data)
    let problem = ElasticNetProblem(data, settings: settings)
    var beta = [Double](repeating: 0, count: problem.featureCount)
    if let warmStart {
      guard warmStart.count == problem.featureCount, warmStart.allSatisfy(\.isFinite) else {
        throw LinearModelError(
          "the warm start has \(warmStart.count) coefficients for \(problem.featureCount) features, or a non-finite one"
        )
      }
      beta = problem.transformedCoefficients(warmStart)
    }
    let outcome = problem.solve(alpha: settings.alpha, beta: &beta, settings: settings)
    return try problem.model(
      estimator: estimator, alpha: settings.alpha, beta: beta, outcome: outcome, settings: settings)
  }
}
