import HoneCore
import HoneLinearAlgebra

/// Ridge regression: least squares with an L2 penalty,
/// `min ‖y − Xβ − b‖²_W + alpha·‖β‖²` (scikit-learn's `Ridge` objective; the intercept
/// `b` is not penalised).
///
/// ```swift
/// let model = try Ridge(alpha: 1).fit(data)
/// let predictions = try model.predict(x)
/// ```
///
/// Solvers: `.cholesky` forms the centred normal equations with `dsyrk` over row blocks
/// and solves `(X̃ᵀX̃ + αI)β = X̃ᵀỹ` with `dpotrf`/`dpotrs` — O(n p²), the fast path when
/// n ≫ p. `.svd` factorises the centred design `X̃ = UΣVᵀ` (`dgesdd`) and uses
/// `β = V diag(σ/(σ² + α)) Uᵀỹ`, which also handles p ≥ n and α = 0 on rank-deficient
/// data. `.auto` picks Cholesky when n ≥ p and α > 0, else SVD.
public struct Ridge: Estimator {
  /// The solver for the penalised normal equations.
  public enum Solver: String, Codable, Sendable, CaseIterable {
    /// Cholesky when n ≥ p and alpha > 0, otherwise SVD.
    case auto
    /// `dsyrk` + `dpotrf`/`dpotrs` on the normal equations.
    case cholesky
    /// `dgesdd` on the centred design.
    case svd
  }

  /// Ridge hyperparameters (scikit-learn names in parentheses where they differ).
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The L2 penalty strength, ≥ 0. Default 1.
    public var alpha: Double = 1
    /// Whether to fit an unpenalised intercept. Default `true` (`fit_intercept`).
    public var fitIntercept: Bool = true
    /// Whether to scale features to unit weighted standard deviation before fitting (the
    /// penalty then applies on that scale); coefficients are reported on the original
    /// scale. Default `false`.
    public var standardize: Bool = false
    /// The solver. Default `.auto`.
    public var solver: Solver = .auto

    /// Creates hyperparameters; every parameter has the documented default.
    public init(alpha: Double = 1, fitIntercept: Bool = true, standardize: Bool = false, solver: Solver = .auto) {
      self.alpha = alpha
      self.fitIntercept = fitIntercept
      self.standardize = standardize
      self.solver = solver
    }
  }

  /// The hyperparameters.
  public var hyperparameters: Hyperparameters

  /// Creates an estimator.
  public init(_ hyperparameters: Hyperparameters = Hyperparameters()) { self.hyperparameters = hyperparameters }

  /// Creates an estimator with the given penalty and defaults for the rest.
  public init(alpha: Double) { self.init(Hyperparameters(alpha: alpha)) }

  /// Fits the model.
  ///
  /// - Throws: ``LinearModelError`` for a negative or non-finite alpha, non-finite
  ///   features, or a singular system with the Cholesky solver (α = 0 with collinear
  ///   columns: use `.svd` or α > 0); ``DatasetError`` comes from building the data.
  /// - Complexity: O(n p²) (Cholesky) or O(n p min(n, p)) (SVD).
  public func fit(_ data: Dataset) throws -> LinearModel {
    let h = hyperparameters
    try LinearModelValidation.checkPenalty(h.alpha, name: "alpha")
    try LinearModelValidation.checkTraining(data)
    let useCholesky =
      h.solver == .cholesky || (h.solver == .auto && data.rowCount >= data.featureCount && h.alpha > 0)
    if useCholesky {
      let system = NormalEquations(
        features: data.features, target: data.target, weights: data.weights, fitIntercept: h.fitIntercept,
        standardize: h.standardize)
      let beta = try Self.solveCholesky(system, alpha: h.alpha)
      let (coefficients, intercept) = system.originalScale(beta)
      return LinearModel(
        estimator: "ridge", coefficients: coefficients, intercept: intercept, alpha: h.alpha,
        diagnostics: FitDiagnostics(solver: "cholesky", rank: data.featureCount))
    }
    let t = NormalEquations.transformedDesign(
      features: data.features, target: data.target, weights: data.weights, fitIntercept: h.fitIntercept,
      standardize: h.standardize)
    let svd = try SingularValueDecomposition(t.design)
    let beta = try Self.solveSVD(svd, target: t.target, alpha: h.alpha)
    let (coefficients, intercept) = NormalEquations.originalScale(
      beta, xMean: t.xMean, yMean: t.yMean, xScale: t.xScale)
    let largest = svd.singularValues.first ?? 0
    let rank = svd.singularValues.filter {
      $0 > largest * Double(Swift.max(t.design.rows, t.design.columns)) * .ulpOfOne
    }
    .count
    return LinearModel(
      estimator: "ridge", coefficients: coefficients, intercept: intercept, alpha: h.alpha,
      diagnostics: FitDiagnostics(solver: "svd", rank: rank))
  }

  /// Solves `(G + αI)β = X̃ᵀỹ` by Cholesky.
  package static func solveCholesky(_ system: NormalEquations, alpha: Double) throws -> [Double] {
    var a = system.gram
    for j in 0..<a.columns { a[j, j] += alpha }
    func singular(at feature: Int) -> LinearModelError {
      LinearModelError(
        "the penalised normal equations are singular at feature \(feature) (collinear or constant columns with alpha = \(alpha)); use a larger alpha or the svd solver"
      )
    }
    let factorization: CholeskyFactorization
    do {
      factorization = try CholeskyFactorization(a)
    } catch let error as LinearAlgebraError {
      if case .notPositiveDefinite(let minor) = error.kind { throw singular(at: minor - 1) }
      throw error
    }
    // dpotrf only stops at a pivot ≤ 0. An exactly collinear column usually leaves a pivot
    // at rounding level instead, of either sign, and the solve then returns an arbitrary
    // split between the collinear columns. The pivot Lⱼⱼ² is the part of Aⱼⱼ that the
    // earlier columns do not explain, computed with an error of about p·ε·Aⱼⱼ; at or below
    // that it is numerically zero. Relative to Aⱼⱼ so that feature scale does not matter.
    let cutoff = Double(a.columns) * .ulpOfOne
    let lower = factorization.lower
    if let j = (0..<a.columns).first(where: { lower[$0, $0] * lower[$0, $0] <= cutoff * a[$0, $0] }) {
      throw singular(at: j)
    }
    return try factorization.solve(system.xty)
  }

  /// `β = V diag(σ/(σ² + α)) Uᵀỹ`; singular values below the rank cutoff count as zero
  /// when α = 0 (the minimum-norm least-squares solution).
  package static func solveSVD(_ svd: SingularValueDecomposition, target: [Double], alpha: Double) throws -> [Double] {
    let uty = try svd.u.multiplied(by: target, transposingSelf: true)
    let largest = svd.singularValues.first ?? 0
    let cutoff = largest * Double(Swift.max(svd.u.rows, svd.vt.columns)) * .ulpOfOne
    let scaled = zip(svd.singularValues, uty).map { s, c in
      alpha == 0 ? (s > cutoff ? c / s : 0) : c * s / (s * s + alpha)
    }
    return try svd.vt.multiplied(by: scaled, transposingSelf: true)
  }
}
