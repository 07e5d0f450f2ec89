import HoneCore
import HoneLinearAlgebra

/// Ordinary least squares, `min ‖y − Xβ − b‖²_W`.
///
/// ```swift
/// let model = try LinearRegression().fit(data)
/// print(model.coefficients, model.intercept, model.diagnostics.rank ?? 0)
/// ```
///
/// Solvers work on the centred (and weighted) design, so the intercept is exact:
/// `.qr` (LAPACK `dgels`) is the fast path and throws when the design is numerically
/// rank deficient; `.svd` (`dgelsd`) handles any rank, returning the minimum-norm
/// solution and the detected rank (singular values below `rcond · σ_max` count as zero;
/// by default `rcond = max(n, p)·ε`, NumPy's `lstsq` default. scikit-learn 1.9 passes its
/// `tol = 1e-6` instead, which only differs on designs with a condition number above 10⁶).
public struct LinearRegression: Estimator {
  /// The least-squares solver.
  public enum Solver: String, Codable, Sendable, CaseIterable {
    /// QR factorisation (`dgels`); throws on a rank-deficient design.
    case qr
    /// SVD (`dgelsd`); any rank, minimum-norm solution.
    case svd
  }

  /// Least-squares hyperparameters.
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// Whether to fit an intercept. Default `true`.
    public var fitIntercept: Bool = true
    /// The solver. Default `.svd`, which never fails on collinear columns (as
    /// scikit-learn's `LinearRegression`, which also uses `gelsd`).
    public var solver: Solver = .svd
    /// Relative cutoff for small singular values with `.svd`; `nil` uses `max(n, p)·ε`.
    /// Machine precision alone is too small: the null singular value of an exactly
    /// collinear centred design comes out a few ε·σ_max above zero.
    public var rcond: Double? = nil

    /// Creates hyperparameters; every parameter has the documented default.
    public init(fitIntercept: Bool = true, solver: Solver = .svd, rcond: Double? = nil) {
      self.fitIntercept = fitIntercept
      self.solver = solver
      self.rcond = rcond
    }
  }

  /// The hyperparameters.
  public var hyperparameters: Hyperparameters

  /// Creates an estimator.
  public init(_ hyperparameters: Hyperparameters = Hyperparameters()) { self.hyperparameters = hyperparameters }

  /// Fits the model.
  ///
  /// - Throws: ``LinearModelError`` for non-finite features, or a rank-deficient design
  ///   with the `.qr` solver.
  /// - Complexity: O(n p²).
  public func fit(_ data: Dataset) throws -> LinearModel {
    let h = hyperparameters
    try LinearModelValidation.checkTraining(data)
    let t = NormalEquations.transformedDesign(
      features: data.features, target: data.target, weights: data.weights, fitIntercept: h.fitIntercept,
      standardize: false)
    let solution: LeastSquaresSolution
    do {
      let rcond = h.rcond ?? Double(Swift.max(data.rowCount, data.featureCount)) * .ulpOfOne
      solution = try t.design.leastSquares(t.target, method: h.solver == .qr ? .qr : .svd(rcond: rcond))
    } catch let error as LinearAlgebraError where error.kind == .rankDeficient {
      throw LinearModelError(
        "the design is rank deficient (collinear or constant columns), so the QR solver has no unique solution; use solver svd for the minimum-norm solution"
      )
    }
    let (coefficients, intercept) = NormalEquations.originalScale(
      solution.solution.storage, xMean: t.xMean, yMean: t.yMean, xScale: t.xScale)
    var warnings: [String] = []
    if solution.rank < data.featureCount {
      warnings.append(
        "the design has rank \(solution.rank) < \(data.featureCount) features: the minimum-norm solution is returned")
    }
    return LinearModel(
      estimator: "ols", coefficients: coefficients, intercept: intercept,
      diagnostics: FitDiagnostics(solver: h.solver.rawValue, rank: solution.rank, warnings: warnings))
  }
}
