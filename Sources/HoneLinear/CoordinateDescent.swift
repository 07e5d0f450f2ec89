import HoneLinearAlgebra

/// Cyclic coordinate descent for the elastic net in the solver's scale,
///
///     P(β) = ½‖ỹ − X̃β‖² + l1·‖β‖₁ + ½·l2·‖β‖²,
///
/// where `X̃`, `ỹ` are the centred, weighted (and optionally standardised) design and
/// target of ``NormalEquations``. The estimators call it with `l1 = alpha·l1Ratio·Σw` and
/// `l2 = alpha·(1 − l1Ratio)·Σw`, which makes `P/Σw` scikit-learn's objective.
///
/// Each coordinate update is the closed-form minimiser along `βⱼ` — a soft-thresholded
/// partial residual correlation (Friedman, Hastie & Tibshirani 2010, "Regularization
/// paths for generalized linear models via coordinate descent", J. Stat. Softw. 33(1),
/// eq. 5). Two kernels supply the residual correlation `X̃ⱼᵀr`:
///
/// - ``GramKernel`` ("covariance updates", Friedman et al. 2010 §2.2): keeps `Gβ` with
///   `G = X̃ᵀX̃`, so an update costs O(p) whatever n is. scikit-learn's
///   `enet_coordinate_descent_gram`.
/// - ``ResidualKernel`` ("naive updates"): keeps `r = ỹ − X̃β`, O(n) per update and no
///   p × p matrix, which is the better choice when p > n. scikit-learn's
///   `enet_coordinate_descent`.
///
/// Stopping follows scikit-learn 1.9 exactly: after a sweep whose largest coefficient
/// change is at most `tolerance` times the largest coefficient (or on the last allowed
/// sweep), compute the duality gap and stop when it is ≤ `tolerance·‖ỹ‖²`. The gap uses
/// the dual point `v = r·min(1, l1/‖X̃ᵀr − l2β‖∞)` (Fercoq, Gramfort & Salmon 2015, "Mind
/// the duality gap: safer rules for the Lasso", ICML), and for `l1 = 0, l2 > 0` the
/// ridge-type dual of Dünner et al. 2016 ("Primal-dual rates and certificates", ICML,
/// §5.2.3). scikit-learn's gap-safe screening is not implemented: it only skips work on
/// coordinates that are provably zero and leaves the solution unchanged.
package enum CoordinateDescent {
  /// The penalty and stopping rule, in the solver's scale.
  package struct Settings: Sendable {
    /// The L1 weight `l1 = alpha·l1Ratio·Σw`.
    package var l1: Double
    /// The L2 weight `l2 = alpha·(1 − l1Ratio)·Σw`.
    package var l2: Double
    /// The most sweeps over the coordinates.
    package var maxIterations: Int
    /// Relative tolerance: of the coefficient change, and of the gap against `‖ỹ‖²`.
    package var tolerance: Double
    /// Whether coefficients are constrained to be ≥ 0.
    package var positive: Bool
  }

  /// The end state of one solve.
  package struct Outcome: Sendable {
    /// Sweeps done (0 when the start point already met the tolerance).
    package var iterations: Int
    /// Whether the duality gap met the tolerance.
    package var converged: Bool
    /// The last duality gap computed, in the solver's scale.
    package var dualityGap: Double
    /// The gap the solver had to reach, `tolerance·‖ỹ‖²`.
    package var gapTolerance: Double
    /// `P(β)` at the returned coefficients, in the solver's scale.
    package var primal: Double
  }

  /// What the coordinate loop needs from the data: the diagonal of `X̃ᵀX̃`, the residual
  /// correlation of one feature, and a way to move one coefficient.
  package protocol Kernel {
    /// The number of coefficients.
    var featureCount: Int { get }
    /// `‖ỹ‖²`.
    var targetNormSquared: Double { get }
    /// `‖X̃ⱼ‖²`, the diagonal of the Gram matrix.
    func columnNormSquared(_ j: Int) -> Double
    /// `X̃ⱼᵀ(ỹ − X̃β)` for the current coefficients.
    func residualCorrelation(_ j: Int) -> Double
    /// Records that `βⱼ` moved by `delta`.
    mutating func shift(_ j: Int, by delta: Double)
    /// Writes `X̃ᵀr` into `correlations` and returns `‖r‖²` and `rᵀỹ`, for the gap.
    func residualSummary(
      _ coefficients: UnsafeBufferPointer<Double>, correlations: UnsafeMutableBufferPointer<Double>
    ) -> (residualNormSquared: Double, residualDotTarget: Double)
  }

  /// Covariance updates on `G = X̃ᵀX̃` and `q = X̃ᵀỹ`, keeping `Gβ` current.
  package struct GramKernel: Kernel {
    /// `G`, column-major and symmetric, so column `j` is also row `j` and contiguous.
    let gram: UnsafeBufferPointer<Double>
    /// `q = X̃ᵀỹ`.
    let xty: UnsafeBufferPointer<Double>
    /// `Gβ`, updated with each coefficient move.
    let gramTimesCoefficients: UnsafeMutableBufferPointer<Double>
    package let featureCount: Int
    package let targetNormSquared: Double

    package func columnNormSquared(_ j: Int) -> Double { gram[j * featureCount + j] }

    package func residualCorrelation(_ j: Int) -> Double { xty[j] - gramTimesCoefficients[j] }

    package mutating func shift(_ j: Int, by delta: Double) {
      let column = j * featureCount
      for i in 0..<featureCount { gramTimesCoefficients[i] += delta * gram[column + i] }
    }

    package func residualSummary(
      _ coefficients: UnsafeBufferPointer<Double>, correlations: UnsafeMutableBufferPointer<Double>
    ) -> (residualNormSquared: Double, residualDotTarget: Double) {
      var (qDotBeta, betaGBeta) = (0.0, 0.0)
      for j in 0..<featureCount {
        correlations[j] = xty[j] - gramTimesCoefficients[j]
        qDotBeta += xty[j] * coefficients[j]
        betaGBeta += coefficients[j] * gramTimesCoefficients[j]
      }
      // ‖r‖² = ‖ỹ‖² − 2qᵀβ + βᵀGβ without forming r; the cancellation costs a few ulps of
      // ‖ỹ‖², far below any gap tolerance the estimators accept.
      return (targetNormSquared - 2 * qDotBeta + betaGBeta, targetNormSquared - qDotBeta)
    }
  }

  /// Naive updates on the design `X̃` (column-major, n × p), keeping `r = ỹ − X̃β` current.
  package struct ResidualKernel: Kernel {
    let design: UnsafeBufferPointer<Double>
    let target: UnsafeBufferPointer<Double>
    let residual: UnsafeMutableBufferPointer<Double>
    let columnNorms: UnsafeBufferPointer<Double>
    let rowCount: Int
    package let featureCount: Int
    package let targetNormSquared: Double

    package func columnNormSquared(_ j: Int) -> Double { columnNorms[j] }

    package func residualCorrelation(_ j: Int) -> Double {
      let column = j * rowCount
      var total = 0.0
      for i in 0..<rowCount { total += design[column + i] * residual[i] }
      return total
    }

    package mutating func shift(_ j: Int, by delta: Double) {
      let column = j * rowCount
      for i in 0..<rowCount { residual[i] -= delta * design[column + i] }
    }

    package func residualSummary(
      _ coefficients: UnsafeBufferPointer<Double>, correlations: UnsafeMutableBufferPointer<Double>
    ) -> (residualNormSquared: Double, residualDotTarget: Double) {
      for j in 0..<featureCount { correlations[j] = residualCorrelation(j) }
      var (rr, ry) = (0.0, 0.0)
      for i in 0..<rowCount {
        rr += residual[i] * residual[i]
        ry += residual[i] * target[i]
      }
      return (rr, ry)
    }
  }

  /// Minimises `P(β)` over the normal equations, starting from `coefficients`.
  ///
  /// - Parameters:
  ///   - system: `G`, `X̃ᵀỹ` and `‖ỹ‖²`.
  ///   - coefficients: The start point on entry (zeros, or the previous solution on a
  ///     path); the solution on return.
  ///   - settings: Penalties and stopping rule.
  /// - Returns: How the solve ended.
  /// - Complexity: O(p²) to form `Gβ`, then O(p²) per sweep.
  package static func solve(
    _ system: NormalEquations, coefficients: inout [Double], settings: Settings
  ) -> Outcome {
    let p = system.xty.count
    // Gβ for the start point; one O(p²) pass, zero for a cold start.
    var gBeta = [Double](repeating: 0, count: p)
    system.gram.withUnsafeBufferPointer { g in
      for j in 0..<p where coefficients[j] != 0 {
        for i in 0..<p { gBeta[i] += coefficients[j] * g[j * p + i] }
      }
    }
    return system.gram.withUnsafeBufferPointer { g in
      system.xty.withUnsafeBufferPointer { q in
        gBeta.withUnsafeMutableBufferPointer { gb in
          coefficients.withUnsafeMutableBufferPointer { beta in
            var kernel = GramKernel(
              gram: g, xty: q, gramTimesCoefficients: gb, featureCount: p, targetNormSquared: system.yty)
            return run(&kernel, beta, settings)
          }
        }
      }
    }
  }

  /// Minimises `P(β)` over the design rows, starting from `coefficients`.
  ///
  /// - Parameters:
  ///   - design: `X̃`, n × p.
  ///   - target: `ỹ`.
  ///   - columnNorms: `‖X̃ⱼ‖²` for each column (computed once per path).
  ///   - coefficients: The start point on entry; the solution on return.
  ///   - settings: Penalties and stopping rule.
  /// - Returns: How the solve ended.
  /// - Complexity: O(n p) per sweep.
  package static func solve(
    design: Matrix, target: [Double], columnNorms: [Double], coefficients: inout [Double], settings: Settings
  ) -> Outcome {
    let (n, p) = (design.rows, design.columns)
    var residual = target
    design.withUnsafeBufferPointer { x in
      for j in 0..<p where coefficients[j] != 0 {
        for i in 0..<n { residual[i] -= coefficients[j] * x[j * n + i] }
      }
    }
    let yty = target.reduce(0) { $0 + $1 * $1 }
    return design.withUnsafeBufferPointer { x in
      target.withUnsafeBufferPointer { y in
        columnNorms.withUnsafeBufferPointer { norms in
          residual.withUnsafeMutableBufferPointer { r in
            coefficients.withUnsafeMutableBufferPointer { beta in
              var kernel = ResidualKernel(
                design: x, target: y, residual: r, columnNorms: norms, rowCount: n, featureCount: p,
                targetNormSquared: yty)
              return run(&kernel, beta, settings)
            }
          }
        }
      }
    }
  }

  /// The coordinate loop shared by both kernels (scikit-learn 1.9's
  /// `enet_coordinate_descent[_gram]` without screening and with cyclic order).
  static func run<K: Kernel>(
    _ kernel: inout K, _ beta: UnsafeMutableBufferPointer<Double>, _ settings: Settings
  ) -> Outcome {
    let p = kernel.featureCount
    let (l1, l2, positive) = (settings.l1, settings.l2, settings.positive)
    let gapTolerance = settings.tolerance * kernel.targetNormSquared
    var correlations = [Double](repeating: 0, count: p)
    return correlations.withUnsafeMutableBufferPointer { xtr in
      var (gap, primal) = dualityGap(kernel, UnsafeBufferPointer(beta), xtr, settings)
      // A negative gap is rounding on a singular G, not convergence (as scikit-learn).
      if gap >= 0 && gap <= gapTolerance {
        return Outcome(iterations: 0, converged: true, dualityGap: gap, gapTolerance: gapTolerance, primal: primal)
      }
      var iterations = 0
      var converged = false
      for sweep in 0..<settings.maxIterations {
        var (largestChange, largestCoefficient) = (0.0, 0.0)
        for j in 0..<p {
          let diagonal = kernel.columnNormSquared(j)
          // A zero column (constant feature after centring) has no effect on the loss,
          // so the penalty keeps its coefficient at 0.
          if diagonal == 0 { continue }
          let old = beta[j]
          let partial = kernel.residualCorrelation(j) + old * diagonal
          let new: Double
          if positive && partial < 0 {
            new = 0
          } else {
            let shrunk = Swift.max(Swift.abs(partial) - l1, 0)
            new = (partial < 0 ? -shrunk : shrunk) / (diagonal + l2)
          }
          if new != old {
            kernel.shift(j, by: new - old)
            beta[j] = new
          }
          largestChange = Swift.max(largestChange, Swift.abs(new - old))
          largestCoefficient = Swift.max(largestCoefficient, Swift.abs(new))
        }
        iterations = sweep + 1
        // The gap costs a pass over the data, so it is checked only once the
        // coefficients have stopped moving much (or on the last allowed sweep).
        if largestCoefficient == 0 || largestChange / largestCoefficient <= settings.tolerance
          || sweep == settings.maxIterations - 1
        {
          (gap, primal) = dualityGap(kernel, UnsafeBufferPointer(beta), xtr, settings)
          if gap <= gapTolerance {
            converged = true
            break
          }
        }
      }
      // Without convergence the last sweep computed the gap, so gap and primal describe
      // the returned coefficients either way.
      return Outcome(
        iterations: iterations, converged: converged, dualityGap: gap, gapTolerance: gapTolerance, primal: primal)
    }
  }

  /// The duality gap and primal value at `beta` (scikit-learn's `gap_enet` /
  /// `gap_enet_gram`).
  ///
  /// - `l1 > 0`: formulation A (Fercoq et al. 2015), the dual at the residual scaled
  ///   into the feasible set, `D = −½s²(‖r‖² + l2‖β‖²) + s·rᵀỹ` with
  ///   `s = min(1, l1 / ‖X̃ᵀr − l2β‖∞)` (the largest entry instead of `‖·‖∞` when
  ///   positive).
  /// - `l1 = 0, l2 > 0`: formulation B (Dünner et al. 2016), which needs no feasibility
  ///   scaling.
  /// - `l1 = l2 = 0`: least squares has no useful dual here; like scikit-learn, the
  ///   "gap" is the squared gradient norm `‖X̃ᵀr‖²`.
  static func dualityGap<K: Kernel>(
    _ kernel: K, _ beta: UnsafeBufferPointer<Double>, _ xtr: UnsafeMutableBufferPointer<Double>, _ settings: Settings
  ) -> (gap: Double, primal: Double) {
    let (l1, l2) = (settings.l1, settings.l2)
    let (rr, ry) = kernel.residualSummary(beta, correlations: xtr)
    var (l1Norm, l2NormSquared) = (0.0, 0.0)
    for b in beta {
      l1Norm += Swift.abs(b)
      l2NormSquared += b * b
    }
    let primal = 0.5 * (rr + l2 * l2NormSquared) + l1 * l1Norm
    if l1 == 0 {
      let gradientNormSquared = xtr.reduce(0) { $0 + $1 * $1 }
      if l2 == 0 { return (gradientNormSquared, primal) }
      return (rr + 0.5 * l2 * l2NormSquared - ry + gradientNormSquared / (2 * l2), primal)
    }
    var dualNorm = settings.positive ? -Double.infinity : 0
    for j in 0..<kernel.featureCount {
      let a = xtr[j] - l2 * beta[j]
      dualNorm = settings.positive ? Swift.max(dualNorm, a) : Swift.max(dualNorm, Swift.abs(a))
    }
    let scale = dualNorm > l1 ? l1 / dualNorm : 1
    let dual = -0.5 * scale * scale * (rr + l2 * l2NormSquared) + scale * ry
    return (primal - dual, primal)
  }
}
