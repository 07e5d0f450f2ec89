import HoneCore
import HoneLinearAlgebra

/// What a logistic-regression solver returns: the parameters in the objective's layout
/// and how the iterations went.
struct LogisticSolution {
  var theta: [Double]
  var iterations: Int
  var converged: Bool
  /// The final largest entry of the (minimum-norm sub)gradient of the scaled objective.
  var optimality: Double
  var warnings: [String] = []
}

extension LogisticRegression {
  /// Advice appended to every not-converged warning.
  private static let convergenceAdvice =
    "increase maxIterations, scale the features (standardize: true) or loosen tolerance"

  // MARK: L-BFGS

  /// Minimises the smooth objective (L2 or no penalty) with ``LBFGS`` from `θ = 0`.
  static func solveLBFGS(_ objective: LogisticObjective, tolerance: Double, maxIterations: Int) throws
    -> LogisticSolution
  {
    let minimizer = LBFGS(maxIterations: maxIterations, gradientTolerance: tolerance)
    let result = try minimizer.minimize(from: [Double](repeating: 0, count: objective.parameterCount)) {
      theta, gradient in
      try objective.smoothValue(theta, gradient: &gradient)
    }
    let optimality = objective.optimality(result.x, smoothGradient: result.gradient)
    var solution = LogisticSolution(
      theta: result.x, iterations: result.iterations, converged: true, optimality: optimality)
    switch result.status {
    case .gradientTolerance, .relativeReduction:
      break
    case .maxIterations:
      solution.converged = false
      solution.warnings.append(
        "lbfgs did not converge in \(maxIterations) iterations: the largest gradient entry is \(optimality), above tolerance \(tolerance); \(convergenceAdvice)"
      )
    case .lineSearchFailed:
      solution.converged = optimality <= tolerance
      if !solution.converged {
        solution.warnings.append(
          "lbfgs stopped after \(result.iterations) iterations because the line search found no further decrease (largest gradient entry \(optimality), tolerance \(tolerance)): the objective is flat to rounding error; \(convergenceAdvice)"
        )
      }
    }
    return solution
  }

  // MARK: Newton (IRLS)

  /// Newton's method for binary problems with L2 or no penalty: iteratively reweighted
  /// least squares. Each step forms `H = X̃ᵀDX̃ + λ₂I` (``LogisticObjective/hessian(_:)``,
  /// `dsyrk` on weighted rows) and solves `HΔ = −∇F` by Cholesky; a backtracking Armijo
  /// search on the step length keeps every step a descent step far from the optimum,
  /// where the full step can overshoot. Convergence is quadratic near the optimum.
  static func solveNewton(_ objective: LogisticObjective, tolerance: Double, maxIterations: Int) throws
    -> LogisticSolution
  {
    let d = objective.parameterCount
    var theta = [Double](repeating: 0, count: d)
    var gradient = [Double](repeating: 0, count: d)
    var value = try objective.smoothValue(theta, gradient: &gradient)
    var optimality = objective.optimality(theta, smoothGradient: gradient)
    var iteration = 0
    while optimality > tolerance {
      if iteration >= maxIterations {
        return LogisticSolution(
          theta: theta, iterations: iteration, converged: false, optimality: optimality,
          warnings: [
            "newton did not converge in \(maxIterations) iterations: the largest gradient entry is \(optimality), above tolerance \(tolerance); \(convergenceAdvice)"
          ])
      }
      let hessian = try objective.hessian(theta)
      let step: [Double]
      do {
        step = try CholeskyFactorization(hessian).solve(gradient.map { -$0 })
      } catch let error as LinearAlgebraError {
        return LogisticSolution(
          theta: theta, iterations: iteration, converged: false, optimality: optimality,
          warnings: [
            "newton stopped at iteration \(iteration): the Hessian is singular (\(error.message)); without a penalty this happens when the classes are separable or columns are collinear; use penalty l2 or the lbfgs solver"
          ])
      }
      let slope = zip(step, gradient).reduce(0) { $0 + $1.0 * $1.1 }
      guard
        let accepted = try backtrack(
          from: theta, value: value, direction: step, expectedDecrease: slope, objective: objective,
          includeL1: false)
      else {
        return LogisticSolution(
          theta: theta, iterations: iteration, converged: false, optimality: optimality,
          warnings: [
            "newton stopped at iteration \(iteration): no step along the Newton direction lowers the objective (largest gradient entry \(optimality), tolerance \(tolerance)); the objective is flat to rounding error; loosen tolerance"
          ])
      }
      iteration += 1
      theta = accepted.theta
      value = try objective.smoothValue(theta, gradient: &gradient)
      optimality = objective.optimality(theta, smoothGradient: gradient)
    }
    return LogisticSolution(theta: theta, iterations: iteration, converged: true, optimality: optimality)
  }

  // MARK: Proximal Newton

  /// Proximal Newton for L1 and elastic-net penalties (Lee, Sun & Saunders 2014,
  /// "Proximal Newton-type methods for minimizing composite functions"; the GLMNET
  /// scheme of Friedman, Hastie & Tibshirani 2010 and Yuan, Ho & Lin 2012 "An improved
  /// GLMNET for L1-regularized logistic regression").
  ///
  /// Each outer step builds the quadratic model of the smooth part at `θ` (gradient `g`
  /// and exact Hessian `H`) and minimises `gᵀd + ½dᵀHd + λ₁‖θ + d‖₁` by cyclic
  /// coordinate descent with soft-thresholding, keeping `Hd` up to date; then a
  /// backtracking search along `d` with the Armijo rule of Tseng & Yun (2009) makes the
  /// step descend on the full, non-smooth objective. The outer iteration converges
  /// quadratically near the optimum, so the tight tolerances needed to reproduce
  /// scikit-learn's saga answers cost a handful of Hessians rather than thousands of
  /// first-order steps (FISTA's rate is O(1/k²)).
  static func solveProximalNewton(_ objective: LogisticObjective, tolerance: Double, maxIterations: Int) throws
    -> LogisticSolution
  {
    let d = objective.parameterCount
    var theta = [Double](repeating: 0, count: d)
    var gradient = [Double](repeating: 0, count: d)
    var value = try objective.smoothValue(theta, gradient: &gradient) + objective.l1 * objective.l1Norm(theta)
    var optimality = objective.optimality(theta, smoothGradient: gradient)
    var iteration = 0
    while optimality > tolerance {
      if iteration >= maxIterations {
        return LogisticSolution(
          theta: theta, iterations: iteration, converged: false, optimality: optimality,
          warnings: [
            "proximal newton did not converge in \(maxIterations) iterations: the largest subgradient entry is \(optimality), above tolerance \(tolerance); \(convergenceAdvice)"
          ])
      }
      let hessian = try objective.hessian(theta)
      let step = quadraticModelMinimizer(objective, theta: theta, gradient: gradient, hessian: hessian)
      var decrease = 0.0
      for i in 0..<d { decrease += gradient[i] * step[i] }
      for i in 0..<d where objective.isPenalized(i) {
        decrease += objective.l1 * (abs(theta[i] + step[i]) - abs(theta[i]))
      }
      guard
        decrease < 0,
        let accepted = try backtrack(
          from: theta, value: value, direction: step, expectedDecrease: decrease, objective: objective,
          includeL1: true)
      else {
        return LogisticSolution(
          theta: theta, iterations: iteration, converged: false, optimality: optimality,
          warnings: [
            "proximal newton stopped at iteration \(iteration): no step lowers the objective (largest subgradient entry \(optimality), tolerance \(tolerance)); the objective is flat to rounding error; loosen tolerance"
          ])
      }
      iteration += 1
      theta = accepted.theta
      value = accepted.value
      _ = try objective.smoothValue(theta, gradient: &gradient)
      optimality = objective.optimality(theta, smoothGradient: gradient)
    }
    return LogisticSolution(theta: theta, iterations: iteration, converged: true, optimality: optimality)
  }

  /// Sweeps of coordinate descent allowed on one quadratic model.
  private static let maxModelSweeps = 1000

  /// Minimises `gᵀd + ½dᵀHd + λ₁‖θ + d‖₁` over `d` by cyclic coordinate descent
  /// (Friedman, Hastie & Tibshirani 2010), until no coordinate moves by more than a
  /// relative 1e-12 — the model is cheap next to the Hessian (O(d²) per sweep), and an
  /// exact inner solve keeps the outer iteration's quadratic convergence.
  private static func quadraticModelMinimizer(
    _ objective: LogisticObjective, theta: [Double], gradient: [Double], hessian: Matrix
  ) -> [Double] {
    let d = theta.count
    let lambda = objective.l1
    var step = [Double](repeating: 0, count: d)
    var product = [Double](repeating: 0, count: d)  // H·step
    hessian.withUnsafeBufferPointer { h in
      for _ in 0..<maxModelSweeps {
        var largestMove = 0.0
        var largestCoordinate = 0.0
        for j in 0..<d {
          let curvature = h[j * d + j]
          // A zero diagonal means an all-zero column: its gradient is zero too, so the
          // coordinate has nothing to move for.
          guard curvature > 0 else { continue }
          let slope = gradient[j] + product[j]
          let move: Double
          if lambda > 0, objective.isPenalized(j) {
            let current = theta[j] + step[j]
            let target = current - slope / curvature
            let threshold = lambda / curvature
            let shrunk = target > threshold ? target - threshold : (target < -threshold ? target + threshold : 0)
            move = shrunk - current
          } else {
            move = -slope / curvature
          }
          largestCoordinate = Swift.max(largestCoordinate, abs(theta[j] + step[j]))
          guard move != 0 else { continue }
          step[j] += move
          // Column j of the symmetric H is row j: contiguous in column-major storage.
          for i in 0..<d { product[i] += move * h[j * d + i] }
          largestMove = Swift.max(largestMove, abs(move))
        }
        if largestMove <= 1e-12 * Swift.max(1, largestCoordinate) { break }
      }
    }
    return step
  }

  /// Backtracking (Armijo) search along `direction`: the first of `1, ½, ¼, …` whose
  /// decrease is at least `10⁻⁴ · step · expectedDecrease` (Nocedal & Wright §3.1; Tseng
  /// & Yun 2009 with the L1 term). `nil` when 60 halvings find none, which happens only
  /// when the objective is flat to rounding at `θ`.
  ///
  /// Near the optimum the predicted decrease falls below the rounding error of the
  /// objective itself (at a gradient of 1e-8 a Newton step lowers an O(1) objective by
  /// about 1e-16), so the Armijo test becomes a coin toss. There the full step is taken
  /// when the objective does not rise by more than that rounding: the quadratic model
  /// is accurate so close, and the gradient, not the value, still measures progress —
  /// the same fallback as scikit-learn's `NewtonSolver.line_search`.
  private static func backtrack(
    from theta: [Double], value: Double, direction: [Double], expectedDecrease: Double,
    objective: LogisticObjective, includeL1: Bool
  ) throws -> (theta: [Double], value: Double)? {
    let rounding = 64 * Double.ulpOfOne * Swift.max(1, abs(value))
    var length = 1.0
    for attempt in 0..<60 {
      var trial = theta
      for i in trial.indices { trial[i] += length * direction[i] }
      let trialValue = includeL1 ? try objective.value(trial) : try objective.smoothValue(trial)
      if trialValue.isFinite, trialValue <= value + 1e-4 * length * expectedDecrease {
        return (trial, trialValue)
      }
      if attempt == 0, abs(expectedDecrease) <= rounding, trialValue <= value + rounding {
        return (trial, trialValue)
      }
      length *= 0.5
    }
    return nil
  }
}
