import HoneCore
import HoneLinearAlgebra

/// Elastic-net regression: least squares with a mix of L1 and L2 penalties, fitted by
/// cyclic coordinate descent.
///
/// The objective is scikit-learn's `ElasticNet` objective,
///
///     1/(2·Σw) · Σᵢ wᵢ (yᵢ − xᵢβ − b)² + alpha·l1Ratio·‖β‖₁ + ½·alpha·(1 − l1Ratio)·‖β‖²,
///
/// with the intercept `b` unpenalised (handled by weighted centring). Scaling the
/// weights leaves it unchanged, which is why scikit-learn can rescale them to sum to
/// `n_samples`: fits match scikit-learn's with or without sample weights. `l1Ratio = 1`
/// is the ``Lasso``; `l1Ratio = 0` is a pure L2 penalty — allowed, but ``Ridge`` solves
/// that directly, and scikit-learn warns that coordinate descent is unreliable for
/// `l1Ratio ≤ 0.01` (here it converges, slowly, using the ridge duality gap).
///
/// ```swift
/// let model = try ElasticNet(alpha: 0.1, l1Ratio: 0.5).fit(data)
/// if !model.diagnostics.converged { print(model.diagnostics.warnings) }
/// let predictions = try model.predict(x)
///
/// // The warm-started path from the all-zero alpha down to alpha_max / 1000:
/// let path = try ElasticNet(l1Ratio: 0.5).path(data, count: 50)
/// ```
///
/// The solver is cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010,
/// "Regularization paths for generalized linear models via coordinate descent", J. Stat.
/// Softw. 33(1)) with scikit-learn 1.9's duality-gap stopping rule: the fit stops when
/// the gap is at most `tolerance` times the weighted variance of the target. With
/// ``Solver/auto`` it uses covariance updates on the Gram matrix `X̃ᵀX̃` (O(p) per
/// update) when n ≥ p and naive residual updates (O(n) per update, no p × p matrix)
/// otherwise. A fit that reaches `maxIterations` returns the model with
/// `diagnostics.converged == false` and a warning, as scikit-learn does.
public struct ElasticNet: Estimator {
  /// How coordinate descent gets each feature's correlation with the residual.
  public enum Solver: String, Codable, Sendable, CaseIterable {
    /// `.covariance` when n ≥ p, else `.naive` (scikit-learn's `precompute="auto"`).
    case auto
    /// Covariance updates on the Gram matrix, built once with `dsyrk` over row blocks:
    /// O(n p²) to build, O(p) per coordinate update (scikit-learn's `precompute=True`).
    case covariance
    /// Naive updates on the centred design and the residual: O(n) per coordinate update
    /// and O(n p) memory (scikit-learn's `precompute=False`).
    case naive
  }

  /// Elastic-net hyperparameters (scikit-learn names in parentheses where they differ).
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The overall penalty strength, ≥ 0. Default 1.
    public var alpha: Double = 1
    /// The L1 share of the penalty, in [0, 1]: 1 is the lasso, 0 a pure L2 penalty.
    /// Default 0.5 (`l1_ratio`).
    public var l1Ratio: Double = 0.5
    /// Whether to fit an unpenalised intercept. Default `true` (`fit_intercept`).
    public var fitIntercept: Bool = true
    /// Whether to scale features to unit weighted standard deviation before fitting (the
    /// penalty then applies on that scale); coefficients are reported on the original
    /// scale. Default `false` (scikit-learn has no equivalent; use a `StandardScaler`).
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
      alpha: Double = 1, l1Ratio: Double = 0.5, fitIntercept: Bool = true, standardize: Bool = false,
      maxIterations: Int = 1000, tolerance: Double = 1e-4, positive: Bool = false, solver: Solver = .auto
    ) {
      self.alpha = alpha
      self.l1Ratio = l1Ratio
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
  /// - Parameters:
  ///   - alpha: The overall penalty strength, ≥ 0.
  ///   - l1Ratio: The L1 share of the penalty, in [0, 1].
  public init(alpha: Double = 1, l1Ratio: Double) { self.init(Hyperparameters(alpha: alpha, l1Ratio: l1Ratio)) }

  var settings: ElasticNetSettings {
    let h = hyperparameters
    return ElasticNetSettings(
      alpha: h.alpha, l1Ratio: h.l1Ratio, fitIntercept: h.fitIntercept, standardize: h.standardize,
      maxIterations: h.maxIterations, tolerance: h.tolerance, positive: h.positive, solver: h.solver)
  }

  /// Fits the model.
  ///
  /// - Parameter data: Features, target and optional sample weights.
  /// - Returns: A ``LinearModel`` with estimator `"elasticnet"` and
  ///   ``FitDiagnostics`` for solver `"coordinate-descent"`: sweeps used, whether the
  ///   gap met the tolerance, the final duality gap and the objective above (on the
  ///   standardised scale when `standardize` is set).
  /// - Throws: ``LinearModelError`` for a negative or non-finite alpha, an l1Ratio
  ///   outside [0, 1], maxIterations < 1, a tolerance ≤ 0, non-finite features, or
  ///   coefficients that overflowed.
  /// - Complexity: O(n p²) to build the Gram matrix, then O(p²) per sweep (covariance
  ///   updates), or O(n p) per sweep (naive updates).
  public func fit(_ data: Dataset) throws -> LinearModel {
    try ElasticNetProblem.fit(data, settings: settings, estimator: "elasticnet")
  }

  /// Fits the model starting coordinate descent from `warmStart` instead of zeros.
  package func fit(_ data: Dataset, warmStart: [Double]?) throws -> LinearModel {
    try ElasticNetProblem.fit(data, settings: settings, estimator: "elasticnet", warmStart: warmStart)
  }

  /// Computes the regularisation path: one warm-started fit per alpha, from the
  /// largest down, all sharing one Gram matrix (scikit-learn's `enet_path`). The
  /// hyperparameters' `alpha` is ignored.
  ///
  /// ```swift
  /// let path = try ElasticNet(l1Ratio: 0.5).path(data, count: 100, epsilon: 1e-3)
  /// let sparsest = try path.model(at: 0)  // all zeros at alpha_max
  /// ```
  ///
  /// - Parameters:
  ///   - data: Features, target and optional sample weights.
  ///   - alphas: The penalties to fit, each finite and ≥ 0, fitted in decreasing order;
  ///     `nil` for scikit-learn's grid: `count` values spaced evenly on a log scale from
  ///     `alpha_max = max|X̃ᵀỹ| / (Σw·l1Ratio)`, the smallest alpha with all
  ///     coefficients zero, down to `epsilon·alpha_max`.
  ///   - count: The grid size when `alphas` is `nil`, ≥ 1. Default 100 (`n_alphas`).
  ///   - epsilon: `alpha_min / alpha_max` for the grid, in (0, 1]. Default 1e-3 (`eps`).
  /// - Returns: Coefficients, intercepts, duality gaps and iterations per alpha.
  /// - Throws: ``LinearModelError`` for invalid hyperparameters or grid settings,
  ///   non-finite features, an automatic grid with `l1Ratio = 0` (alpha_max is
  ///   infinite: pass `alphas`), or coefficients that overflowed.
  /// - Complexity: O(n p²) once for the Gram matrix, then O(p²) per sweep per alpha.
  public func path(_ data: Dataset, alphas: [Double]? = nil, count: Int = 100, epsilon: Double = 1e-3) throws
    -> RegularizationPath
  {
    try RegularizationPath.compute(
      data, settings: settings, estimator: "elasticnet", alphas: alphas, count: count, epsilon: epsilon)
  }
}
