/// How a linear model's fit went: the solver, its iterations and final optimality
/// measure, and whether it converged.
///
/// Iterative solvers that stop at their iteration limit return the model with
/// `converged == false` and a warning, as scikit-learn does, rather than throwing: the
/// coefficients are usually still useful. Check ``converged`` (the `hone` tool prints the
/// warnings).
public struct FitDiagnostics: Codable, Sendable, Equatable {
  /// The solver that ran (`"cholesky"`, `"svd"`, `"qr"`, `"coordinate-descent"`, `"lbfgs"`, …).
  public var solver: String
  /// Iterations used (passes over the coordinates, optimizer steps); 1 for direct solvers.
  public var iterations: Int
  /// Whether the stopping criterion was met.
  public var converged: Bool
  /// The final gradient norm (gradient-based solvers).
  public var gradientNorm: Double?
  /// The final duality gap (coordinate descent).
  public var dualityGap: Double?
  /// The numerical rank of the design (direct least-squares solvers).
  public var rank: Int?
  /// The final value of the training objective, in the solver's documented form.
  public var objective: Double?
  /// Human-readable warnings (not converged, rank deficient, separable classes).
  public var warnings: [String]

  /// Creates diagnostics.
  public init(
    solver: String, iterations: Int = 1, converged: Bool = true, gradientNorm: Double? = nil,
    dualityGap: Double? = nil, rank: Int? = nil, objective: Double? = nil, warnings: [String] = []
  ) {
    self.solver = solver
    self.iterations = iterations
    self.converged = converged
    self.gradientNorm = gradientNorm
    self.dualityGap = dualityGap
    self.rank = rank
    self.objective = objective
    self.warnings = warnings
  }
}
