/// A limited-memory BFGS minimiser for smooth functions (Nocedal & Wright 2006,
/// *Numerical Optimization*, 2nd ed., Algorithm 7.4 with the two-loop recursion of
/// Algorithm 7.5), with a line search that satisfies the strong Wolfe conditions
/// (Algorithms 3.5 and 3.6, cubic interpolation in the zoom phase).
///
/// It stops when the largest gradient entry is at most ``gradientTolerance``: the
/// `gtol` rule of L-BFGS-B as scikit-learn drives it (Byrd, Lu, Nocedal & Zhu 1995;
/// `scipy.optimize.minimize(method="L-BFGS-B")` with `gtol = tol`), so a tolerance means
/// the same in both. scipy also stops when an iteration lowers `f` by at most
/// `ftol = 64 ε` relative; that rule is available (``relativeReductionTolerance``) but
/// off by default, because on ill-conditioned problems it fires while the gradient is
/// still far above a tight tolerance (on 5,000 adult rows it leaves scikit-learn's own
/// lbfgs 2e-6 away from the optimum at `tol = 1e-10`). To keep making progress once `f`
/// changes by no more than its rounding error, the line search also accepts Hager &
/// Zhang's (2005) approximate Wolfe conditions, which test the derivative instead of
/// the value.
package struct LBFGS: Sendable {
  /// Why the minimiser stopped.
  package enum Status: Sendable, Equatable {
    /// `‖∇f‖∞ ≤ gradientTolerance`.
    case gradientTolerance
    /// `(f_k − f_{k+1}) ≤ relativeReductionTolerance · max(|f_k|, |f_{k+1}|, 1)`.
    case relativeReduction
    /// The iteration limit was reached.
    case maxIterations
    /// The line search found no acceptable step (usually rounding at the optimum, or a
    /// function that is not smooth).
    case lineSearchFailed
  }

  /// The minimiser's answer.
  package struct Result: Sendable {
    /// The last accepted point.
    package var x: [Double]
    /// `f(x)`.
    package var value: Double
    /// `∇f(x)`.
    package var gradient: [Double]
    /// Iterations taken (accepted steps).
    package var iterations: Int
    /// Function and gradient evaluations, line searches included.
    package var evaluations: Int
    /// Why it stopped.
    package var status: Status
  }

  /// Correction pairs kept (scipy's `maxcor`, default 10).
  package var memory = 10
  /// The iteration limit.
  package var maxIterations: Int
  /// Stop when the largest absolute gradient entry is at most this.
  package var gradientTolerance: Double
  /// Stop when an iteration's relative decrease of `f` is at most this (scipy's `ftol`;
  /// scikit-learn passes `64 ε`); `nil`, the default, stops on the gradient alone.
  package var relativeReductionTolerance: Double? = nil
  /// Evaluations allowed per line search (scikit-learn passes `maxls = 50`).
  package var maxLineSearchEvaluations = 50

  /// Sufficient-decrease constant `c₁` of the Wolfe conditions.
  private static let sufficientDecrease = 1e-4
  /// Curvature constant `c₂`: 0.9 is the usual choice for quasi-Newton methods, which
  /// need few function evaluations per step (Nocedal & Wright §3.1).
  private static let curvature = 0.9

  /// The relative error assumed in a computed value of `f`: a sum of many rounded terms
  /// loses a few digits, so this is set well above ε.
  private static let valueRounding = 1e-12

  /// Creates a minimiser.
  package init(maxIterations: Int, gradientTolerance: Double) {
    self.maxIterations = maxIterations
    self.gradientTolerance = gradientTolerance
  }

  /// Minimises `f` from `start`.
  ///
  /// - Parameters:
  ///   - start: The initial point.
  ///   - function: Returns `f(x)` and writes `∇f(x)` into its second argument (already
  ///     sized like `x`). A non-finite value tells the line search to step back.
  /// - Returns: The last accepted point, its value and gradient, and why it stopped.
  /// - Throws: Whatever `function` throws.
  /// - Complexity: Per iteration, one or a few evaluations plus O(memory · n).
  package func minimize(
    from start: [Double], _ function: (_ x: [Double], _ gradient: inout [Double]) throws -> Double
  ) rethrows -> Result {
    let n = start.count
    var x = start
    var gradient = [Double](repeating: 0, count: n)
    var value = try function(x, &gradient)
    var evaluations = 1
    var steps: [[Double]] = []
    var gradientChanges: [[Double]] = []
    var curvatures: [Double] = []
    var iteration = 0

    while true {
      if Self.maxAbs(gradient) <= gradientTolerance {
        return Result(
          x: x, value: value, gradient: gradient, iterations: iteration, evaluations: evaluations,
          status: .gradientTolerance)
      }
      if iteration >= maxIterations {
        return Result(
          x: x, value: value, gradient: gradient, iterations: iteration, evaluations: evaluations,
          status: .maxIterations)
      }
      var direction = Self.twoLoop(gradient, steps, gradientChanges, curvatures)
      var slope = Self.dot(direction, gradient)
      if !(slope < 0) {
        // Rounding can spoil the curvature pairs; restart from steepest descent.
        steps.removeAll()
        gradientChanges.removeAll()
        curvatures.removeAll()
        direction = gradient.map { -$0 }
        slope = -Self.dot(gradient, gradient)
      }
      // The first step has no curvature information to scale it: take a unit-length
      // step, as L-BFGS-B does; afterwards the quasi-Newton step of length 1 is natural.
      let initialStep = steps.isEmpty ? Swift.min(1, 1 / Self.norm(direction)) : 1
      let search = try lineSearch(
        x: x, value: value, direction: direction, slope: slope, initialStep: initialStep, function)
      evaluations += search.evaluations
      guard let accepted = search.point else {
        return Result(
          x: x, value: value, gradient: gradient, iterations: iteration, evaluations: evaluations,
          status: .lineSearchFailed)
      }
      iteration += 1
      var step = [Double](repeating: 0, count: n)
      var change = [Double](repeating: 0, count: n)
      for i in 0..<n {
        step[i] = accepted.x[i] - x[i]
        change[i] = accepted.gradient[i] - gradient[i]
      }
      let sy = Self.dot(step, change)
      // Keep the pair only when it keeps the inverse-Hessian approximation positive
      // definite (Nocedal & Wright §7.2); a flat or concave stretch would break it.
      if sy > Double.ulpOfOne * Self.dot(change, change) {
        if steps.count == memory {
          steps.removeFirst()
          gradientChanges.removeFirst()
          curvatures.removeFirst()
        }
        steps.append(step)
        gradientChanges.append(change)
        curvatures.append(sy)
      }
      let previous = value
      x = accepted.x
      value = accepted.value
      gradient = accepted.gradient
      if let ftol = relativeReductionTolerance, previous - value <= ftol * Swift.max(abs(previous), abs(value), 1) {
        let status: Status = Self.maxAbs(gradient) <= gradientTolerance ? .gradientTolerance : .relativeReduction
        return Result(
          x: x, value: value, gradient: gradient, iterations: iteration, evaluations: evaluations, status: status)
      }
    }
  }

  // MARK: Two-loop recursion

  /// `−H·g` for the L-BFGS inverse-Hessian approximation `H` (Nocedal & Wright
  /// Algorithm 7.4), with the initial scaling `γ = sᵀy / yᵀy` of equation (7.20).
  private static func twoLoop(
    _ gradient: [Double], _ steps: [[Double]], _ changes: [[Double]], _ curvatures: [Double]
  ) -> [Double] {
    var q = gradient
    var alphas = [Double](repeating: 0, count: steps.count)
    for k in stride(from: steps.count - 1, through: 0, by: -1) {
      let a = dot(steps[k], q) / curvatures[k]
      alphas[k] = a
      axpy(-a, changes[k], &q)
    }
    if let last = changes.last, let sy = curvatures.last {
      let gamma = sy / dot(last, last)
      for i in q.indices { q[i] *= gamma }
    }
    for k in steps.indices {
      let b = dot(changes[k], q) / curvatures[k]
      axpy(alphas[k] - b, steps[k], &q)
    }
    for i in q.indices { q[i] = -q[i] }
    return q
  }

  // MARK: Line search

  private struct Point {
    var step: Double
    var x: [Double]
    var value: Double
    var gradient: [Double]
    var slope: Double
  }

  /// Finds a step satisfying the strong Wolfe conditions along `direction`
  /// (Nocedal & Wright Algorithm 3.5, with the zoom of Algorithm 3.6). When the
  /// evaluation budget runs out it returns the best point that satisfies sufficient
  /// decrease, if any, so progress is never thrown away.
  private func lineSearch(
    x: [Double], value: Double, direction: [Double], slope: Double, initialStep: Double,
    _ function: ([Double], inout [Double]) throws -> Double
  ) rethrows -> (point: Point?, evaluations: Int) {
    var evaluations = 0
    func evaluate(_ step: Double) throws -> Point {
      evaluations += 1
      var trial = x
      for i in trial.indices { trial[i] += step * direction[i] }
      var gradient = [Double](repeating: 0, count: x.count)
      let v = try function(trial, &gradient)
      return Point(step: step, x: trial, value: v, gradient: gradient, slope: Self.dot(gradient, direction))
    }
    let c1 = Self.sufficientDecrease
    let c2 = Self.curvature
    // Hager & Zhang (2005), "A new conjugate gradient method with guaranteed descent and
    // an efficient line search", eq. (4.3): within rounding of f(x), accept a point whose
    // slope shows the sufficient decrease that the values can no longer resolve.
    let rounding = Self.valueRounding * Swift.max(1, abs(value))
    func decreasesEnough(_ p: Point) -> Bool {
      guard p.value.isFinite else { return false }
      if p.value <= value + c1 * p.step * slope { return true }
      return p.value <= value + rounding && p.slope <= (2 * c1 - 1) * slope
    }
    var best: Point? = nil
    func remember(_ p: Point) {
      if decreasesEnough(p), p.value < (best?.value ?? .infinity) { best = p }
    }

    var previous = Point(step: 0, x: x, value: value, gradient: [], slope: slope)
    var step = initialStep
    var low: Point
    var high: Point
    var first = true
    while true {
      if evaluations >= maxLineSearchEvaluations { return (best, evaluations) }
      let current = try evaluate(step)
      remember(current)
      if !decreasesEnough(current) || (!first && current.value > previous.value + rounding) {
        (low, high) = (previous, current)
        break
      }
      if abs(current.slope) <= -c2 * slope { return (current, evaluations) }
      if current.slope >= 0 {
        (low, high) = (current, previous)
        break
      }
      previous = current
      first = false
      // Extrapolate: the minimiser along the line lies beyond the current step.
      step *= 4
    }

    // Zoom: `low` satisfies sufficient decrease and has the lowest value so far;
    // the minimiser lies between `low` and `high`.
    while evaluations < maxLineSearchEvaluations {
      let width = abs(high.step - low.step)
      if width <= Double.ulpOfOne * Swift.max(abs(low.step), abs(high.step)) { break }
      let trialStep = Self.cubicMinimizer(low, high)
      let trial = try evaluate(trialStep)
      remember(trial)
      // Values within rounding of each other cannot order the points; the slope can.
      if !decreasesEnough(trial) || trial.value > low.value + rounding
        || (trial.value >= low.value && trial.slope > 0)
      {
        high = trial
      } else {
        if abs(trial.slope) <= -c2 * slope { return (trial, evaluations) }
        if trial.slope * (high.step - low.step) >= 0 { high = low }
        low = trial
      }
    }
    return (best, evaluations)
  }

  /// The minimiser of the cubic through two points with their slopes (Nocedal & Wright
  /// equation 3.59), kept at least 10% of the interval away from either end so the
  /// interval shrinks; bisection when the cubic is unusable (an infinite value, or no
  /// real minimiser).
  private static func cubicMinimizer(_ a: Point, _ b: Point) -> Double {
    let (lo, hi) = (Swift.min(a.step, b.step), Swift.max(a.step, b.step))
    let margin = 0.1 * (hi - lo)
    let midpoint = 0.5 * (lo + hi)
    guard a.value.isFinite, b.value.isFinite, a.slope.isFinite, b.slope.isFinite else { return midpoint }
    let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
    let discriminant = d1 * d1 - a.slope * b.slope
    guard discriminant >= 0 else { return midpoint }
    let d2 = (b.step > a.step ? 1.0 : -1.0) * discriminant.squareRoot()
    let denominator = b.slope - a.slope + 2 * d2
    guard denominator != 0 else { return midpoint }
    let candidate = b.step - (b.step - a.step) * (b.slope + d2 - d1) / denominator
    guard candidate.isFinite else { return midpoint }
    return Swift.min(Swift.max(candidate, lo + margin), hi - margin)
  }

  // MARK: Small vector helpers

  // These vectors have as many entries as the model has parameters (hundreds at most),
  // so plain loops are as fast as BLAS calls and need no shape checks.

  private static func dot(_ a: [Double], _ b: [Double]) -> Double {
    var total = 0.0
    for i in a.indices { total += a[i] * b[i] }
    return total
  }

  private static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += alpha * x[i] }
  }

  private static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

  private static func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { Swift.max($0, abs($1)) } }
}
