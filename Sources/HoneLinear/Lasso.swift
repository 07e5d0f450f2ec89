import HoneCore
import HoneLinearAlgebra

/// The lasso: least squares with an L1 penalty, which sets some coefficients exactly to
/// zero (Tibshirani 1996, "Regression shrinkage and selection via the lasso", JRSS B
/// 58(1)). Fitted by coordinate descent.
///
/// The objective is scikit-learn's `Lasso` objective,
///
///     1/(2·Σw) · Σᵢ wᵢ (yᵢ − xᵢβ − b)² + alpha·‖β‖₁,
///
/// with the intercept `b` unpenalised. It is ``ElasticNet`` with `l1Ratio = 1`; see there
/// for the solver, the stopping rule and sample weights.
///
/// ```swift
/// let model = try Lasso(alpha: 0.1).fit(data)
/// let selected = model.coefficients.indices.filter { model.coefficients[$0] != 0 }
///
/// // Where each feature enters: the path from alpha_max down to alpha_max / 1000.
/// let path = try Lasso().path(data, count: 100)
/// ```
public struct Lasso: Estimator {
  /// How coordinate descent reads the data; see ``ElasticNet/Solver``.
  public typealias Solver = ElasticNet.Solver

  /// Lasso hyperparameters (scikit-learn names in parentheses where they differ).
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The L1 penalty strength, ≥ 0. Default 1.
    public var alpha: Double = 1
    /// Whether to fit an unpenalised intercept. Default `true` (`fit_intercept`).
    public var fitIntercept: Bool = true
    /// Whether to scale features to unit weighted standard deviation before fitting (the
    /// penalty then applies on that scale); coefficients are reported on the original
    /// scale. Default `false`.
    public var standardize: Bool = false
    /// The most coordinate-descent sweeps, ≥ 1. Default 1000 (`max_iter`).
    public var maxIterations: Int = 1000
    /// The stopping tolerance, > 0: the fit stops when the duality gap is at most
    /// `tolerance` times the weighted variance of the target. Default 1e-4 (`tol`).
    public var tolerance: Double = 1e-4
    /// Whether to constrain every coefficient to be ≥ 0. Default `false`.
    public var positive: Bool = false
    /// How coordinate descent reads the data. Default `.auto` (`precompute`).
    public var solver: Solver = .auto

    /// Creates hyperparameters; every parameter has the documented default.
    public init(
      alpha: Double = 1, fitIntercept: Bool = true, standardize: Bool = false, maxIterations: Int = 1000,
      tolerance: Double = 1e-4, positive: Bool = false, solver: Solver = .auto
    ) {
      self.alpha = alpha
      self.fitIntercept = fitIntercept
      self.standardize = standardize
      self.maxIterations = maxIterations
      self.tolerance = tolerance
      self.positive = positive
      self.solver = solver
    }
  }

  /// The hyperparameters.
  public var hyperparameters: Hyperparameters

  /// Creates an estimator.
  ///
  /// - Parameter hyperparameters: The hyperparameters; defaults as documented.
  public init(_ hyperparameters: Hyperparameters = Hyperparameters()) { self.hyperparameters = hyperparameters }

  /// Creates an estimator with the given penalty and defaults for the rest.
  ///
  /// - Parameter alpha: The L1 penalty strength, ≥ 0.
  public init(alpha: Double) { self.init(Hyperparameters(alpha: alpha)) }

  var settings: ElasticNetSettings {
    let h = hyperparameters
    return ElasticNetSettings(
      alpha: h.alpha, l1Ratio: 1, fitIntercept: h.fitIntercept, standardize: h.standardize,
      maxIterations: h.maxIterations, tolerance: h.tolerance, positive: h.positive, solver: h.solver)
  }

  /// Fits the model.
  ///
  /// - Parameter data: Features, target and optional sample weights.
  /// - Returns: A ``LinearModel`` with estimator `"lasso"` and ``FitDiagnostics`` for
  ///   solver `"coordinate-descent"` (sweeps, convergence, duality gap, objective).
  /// - Throws: ``LinearModelError`` for a negative or non-finite alpha,
  ///   maxIterations < 1, a tolerance ≤ 0, non-finite features, or coefficients that
  ///   overflowed.
  /// - Complexity: O(n p²) to build the Gram matrix, then O(p²) per sweep (covariance
  ///   updates), or O(n p) per sweep (naive updates).
  public func fit(_ data: Dataset) throws -> LinearModel {
    try ElasticNetProblem.fit(data, settings: settings, estimator: "lasso")
  }

  /// Fits the model starting coordinate descent from `warmStart` instead of zeros.
  package func fit(_ data: Dataset, warmStart: [Double]?) throws -> LinearModel {
    try ElasticNetProblem.fit(data, settings: settings, estimator: "lasso", warmStart: warmStart)
  }

  /// Computes the lasso path: one warm-started fit per alpha, from the largest down,
  /// all sharing one Gram matrix (scikit-learn's `lasso_path`). The hyperparameters'
  /// `alpha` is ignored.
  ///
  /// - Parameters:
  ///   - data: Features, target and optional sample weights.
  ///   - alphas: The penalties to fit, each finite and ≥ 0, fitted in decreasing order;
  ///     `nil` for `count` values spaced evenly on a log scale from
  ///     `alpha_max = max|X̃ᵀỹ| / Σw` down to `epsilon·alpha_max`.
  ///   - count: The grid size when `alphas` is `nil`, ≥ 1. Default 100.
  ///   - epsilon: `alpha_min / alpha_max` for the grid, in (0, 1]. Default 1e-3.
  /// - Returns: Coefficients, intercepts, duality gaps and iterations per alpha.
  /// - Throws: ``LinearModelError`` for invalid hyperparameters or grid settings,
  ///   non-finite features, or coefficients that overflowed.
  /// - Complexity: O(n p²) once for the Gram matrix, then O(p²) per sweep per alpha.
  public func path(_ data: Dataset, alphas: [Double]? = nil, count: Int = 100, epsilon: Double = 1e-3) throws
    -> RegularizationPath
  {
    try RegularizationPath.compute(
      data, settings: settings, estimator: "lasso", alphas: alphas, count: count, epsilon: epsilon)
  }
}
