import Foundation

/// A boosting objective: the per-row loss `ℓ(y, s)` of a raw score `s`, its gradient and
/// hessian with respect to `s`, and the constant score that minimises it.
///
/// Gradient boosting (Friedman 2001) fits each tree to the negative gradient; the
/// second-order variant of XGBoost and LightGBM (Chen & Guestrin 2016; Ke et al. 2017)
/// also uses the hessian, so a leaf's value is the Newton step `−ΣG / (ΣH + λ)`. For the
/// non-smooth losses (absolute, quantile, Huber's linear part) the hessian is the
/// constant 1, as in LightGBM, which turns the step into a (clipped) gradient step.
public enum Loss: Codable, Sendable, Equatable, Hashable {
  /// `½(s − y)²` (LightGBM `regression`, `l2`).
  case squaredError
  /// `|s − y|` (LightGBM `regression_l1`).
  case absoluteError
  /// Huber's loss with threshold `delta`: quadratic within `delta` of the target, linear
  /// outside (LightGBM `huber` with `alpha = delta`).
  case huber(delta: Double)
  /// The pinball loss of the `alpha` quantile, `0 < alpha < 1` (LightGBM `quantile`).
  case quantile(alpha: Double)
  /// Poisson deviance with a log link, for counts `y ≥ 0`: `exp(s) − y·s` (LightGBM `poisson`).
  case poisson
  /// Binary cross-entropy of `y ∈ {0, 1}` with a logit score (LightGBM `binary`).
  case binaryLogLoss
  /// Softmax cross-entropy over `classCount ≥ 3` classes, one raw score per class
  /// (LightGBM `multiclass`). Its scores are vectors, so it is computed by
  /// ``multiclassValue(label:scores:)`` and ``multiclassDerivatives(label:scores:into:)``;
  /// the scalar ``value(target:score:)`` and ``derivatives(target:score:)`` return NaN
  /// for it, and ``initialScore(targets:weights:)`` returns 0 because its per-class
  /// starting scores are added to the first round's trees.
  case multiclassSoftmax(classCount: Int)
  /// A user-supplied ``CustomObjective``, recorded by name: its closures are not encoded,
  /// so the scalar methods return NaN (``initialScore(targets:weights:)`` returns 0) and
  /// ``transform(_:)`` is the identity.
  case custom(name: String)

  /// The loss of one row.
  ///
  /// - Parameters:
  ///   - target: The target `y`.
  ///   - score: The raw score `s`.
  /// - Returns: `ℓ(y, s)`.
  public func value(target y: Double, score s: Double) -> Double {
    switch self {
    case .squaredError: return 0.5 * (s - y) * (s - y)
    case .absoluteError: return abs(s - y)
    case .huber(let delta):
      let r = abs(s - y)
      return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta)
    case .quantile(let alpha):
      let r = y - s
      return r >= 0 ? alpha * r : (alpha - 1) * r
    case .poisson: return exp(s) - y * s
    case .binaryLogLoss:
      // log(1 + e^s) − y·s, computed without overflow for large |s|.
      return max(s, 0) + log1p(exp(-abs(s))) - y * s
    case .multiclassSoftmax, .custom: return .nan
    }
  }

  /// The gradient `∂ℓ/∂s` and hessian `∂²ℓ/∂s²` (1 for the piecewise-linear losses).
  ///
  /// - Parameters:
  ///   - target: The target `y`.
  ///   - score: The raw score `s`.
  /// - Returns: The gradient and hessian.
  @inline(__always)
  public func derivatives(target y: Double, score s: Double) -> (gradient: Double, hessian: Double) {
    switch self {
    case .squaredError: return (s - y, 1)
    case .absoluteError: return (s > y ? 1 : (s < y ? -1 : 0), 1)
    case .huber(let delta):
      let r = s - y
      return (abs(r) <= delta ? r : (r > 0 ? delta : -delta), 1)
    case .quantile(let alpha): return (y > s ? -alpha : 1 - alpha, 1)
    case .poisson:
      let mu = exp(s)
      return (mu - y, mu)
    case .binaryLogLoss:
      let p = Loss.sigmoid(s)
      // A hessian floor keeps leaf values finite when every row is predicted with
      // certainty (LightGBM clamps the same way).
      return (p - y, max(p * (1 - p), 1e-16))
    case .multiclassSoftmax, .custom: return (.nan, .nan)
    }
  }

  /// The constant score minimising the weighted loss: the boosting's starting point
  /// (LightGBM's `boost_from_average`).
  ///
  /// - Parameters:
  ///   - targets: The targets.
  ///   - weights: Optional weights.
  /// - Returns: The weighted mean (squared error, and Huber as in LightGBM), the weighted
  ///   median (absolute error), the weighted `alpha` quantile (both as ``percentile(_:weights:alpha:)``), `log(mean)` (Poisson) or the log-odds of the
  ///   weighted mean (binary).
  public func initialScore(targets: [Double], weights: [Double]?) -> Double {
    func weightedMean() -> Double {
      var sum = 0.0
      var total = 0.0
      for i in targets.indices {
        let w = weights?[i] ?? 1
        sum += w * targets[i]
        total += w
      }
      return sum / total
    }
    switch self {
    // Huber starts from the mean, as LightGBM's `huber` (its optimum lies between the
    // mean and the median; the first trees close the gap).
    case .squaredError, .huber: return weightedMean()
    case .absoluteError:
      var values = targets
      return Loss.percentile(&values, weights: weights, alpha: 0.5)
    case .quantile(let alpha):
      var values = targets
      return Loss.percentile(&values, weights: weights, alpha: alpha)
    case .poisson: return log(max(weightedMean(), 1e-300))
    case .binaryLogLoss:
      let p = min(max(weightedMean(), 1e-15), 1 - 1e-15)
      return log(p / (1 - p))
    case .multiclassSoftmax, .custom: return 0
    }
  }

  /// Maps a raw score to the prediction scale: `exp` for Poisson, the probability for
  /// binary log-loss, the score itself otherwise.
  public func transform(_ score: Double) -> Double {
    switch self {
    case .poisson: return exp(score)
    case .binaryLogLoss: return Loss.sigmoid(score)
    default: return score
    }
  }

  /// The logistic function, stable for large `|s|`.
  @inline(__always)
  static func sigmoid(_ s: Double) -> Double {
    if s >= 0 { return 1 / (1 + exp(-s)) }
    let e = exp(s)
    return e / (1 + e)
  }

  /// The `alpha` quantile of `values`: the sorted values read at the fractional position
  /// `alpha · (n − 1)` (counting from 0), interpolated linearly between neighbours —
  /// NumPy's default `quantile` and what LightGBM 4's `regression_l1` and `quantile`
  /// objectives start from and refit leaves with. With weights, the value of rank `i`
  /// sits at `(Cᵢ − wᵢ) / (W − w_last)`, where `Cᵢ` is the weight up to and including it,
  /// `W` the total and `w_last` the largest value's weight, and `alpha` is read on that
  /// scale; equal weights give the unweighted answer, and values of weight 0 are skipped.
  ///
  /// - Parameters:
  ///   - values: The values; reordered in place.
  ///   - weights: Their weights, or `nil`.
  ///   - alpha: The level, in [0, 1].
  /// - Returns: The quantile, or NaN for no values.
  static func percentile(_ values: inout [Double], weights: [Double]?, alpha: Double) -> Double {
    let n = values.count
    guard n > 1 else { return values.first ?? .nan }
    guard let weights else {
      values.sort()
      let position = alpha * Double(n - 1)
      let k = min(max(Int(position.rounded(.down)), 0), n - 1)
      guard k < n - 1 else { return values[n - 1] }
      return values[k] + (values[k + 1] - values[k]) * (position - Double(k))
    }
    let order = (0..<n).filter { weights[$0] > 0 }.sorted { (values[$0], $0) < (values[$1], $1) }
    guard let last = order.last else { return .nan }
    let span = order.reduce(0) { $0 + weights[$1] } - weights[last]
    guard span > 0 else { return values[last] }
    let target = alpha * span
    var below = 0.0
    for (rank, index) in order.enumerated() where rank < order.count - 1 {
      let next = below + weights[index]
      if target < next {
        let fraction = (target - below) / weights[index]
        return values[index] + (values[order[rank + 1]] - values[index]) * fraction
      }
      below = next
    }
    return values[last]
  }

  /// The quantile the leaves of each new tree are refitted to, for losses whose Newton
  /// step is a poor leaf value: the median for absolute error, `alpha` for the quantile
  /// loss (their gradients are signs, so `−ΣG/ΣH` only counts rows). `nil` for the others.
  var leafRefitQuantile: Double? {
    switch self {
    case .absoluteError: return 0.5
    case .quantile(let alpha): return alpha
    default: return nil
    }
  }
}
