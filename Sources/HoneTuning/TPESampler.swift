import Foundation
import HoneCore

/// The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl 2011):
/// after a few random trials, the finished trials are split into the best fraction γ
/// ("below") and the rest ("above"); each parameter gets a Parzen density from each
/// group, and the candidate with the largest ratio `l(x) / g(x)` among draws from `l` is
/// chosen. Univariate: each parameter is modelled on its own, which suits define-by-run
/// spaces.
///
/// Details: γ(n) = min(⌈0.1·n⌉, 25) as in Optuna; numeric densities are mixtures of
/// Gaussians truncated to the range, one per observation plus a prior centred on the
/// range, with bandwidths from the distance to the neighbouring observations clipped to
/// `[range / min(100, n + 1), range]` (Bergstra et al.'s heuristic); categorical densities
/// are smoothed category counts. Integer and stepped ranges are modelled on the widened
/// continuous range and snapped to the grid.
public struct TPESampler: Sampler {
  /// The seed.
  public let seed: UInt64
  /// Trials sampled at random before the model takes over. Default 10.
  public let startupTrials: Int
  /// Candidates drawn from `l(x)` per suggestion. Default 24.
  public let candidates: Int

  /// Creates a sampler.
  public init(seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 24) {
    self.seed = seed
    self.startupTrials = startupTrials
    self.candidates = candidates
  }

  /// The TPE choice, or a random one during start-up.
  public func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue {
    var rng = generator(seed: seed, trial: trial, name: name)
    let observed = history.filter { $0.state == .complete && $0.distributions[name] == distribution }
      .compactMap { t -> (Double, ParameterValue)? in
        guard let value = t.value, let parameter = t.parameters[name] else { return nil }
        return (value, parameter)
      }
    guard observed.count >= startupTrials, observed.count >= 2 else {
      return distribution.value(atUnit: rng.nextUnitDouble())
    }
    let sorted = observed.sorted { direction.isBetter($0.0, than: $1.0) }
    let belowCount = Swift.min(Int((0.1 * Double(sorted.count)).rounded(.up)), 25)
    let below = sorted[..<belowCount].map(\.1)
    let above = sorted[belowCount...].map(\.1)

    if case .categorical(let choices) = distribution {
      let l = categoricalWeights(below, choices)
      let g = categoricalWeights(above, choices)
      var best = 0
      var bestScore = -Double.infinity
      for _ in 0..<candidates {
        let k = draw(l, &rng)
        let score = log(l[k]) - log(g[k])
        if score > bestScore {
          bestScore = score
          best = k
        }
      }
      return .string(choices[best])
    }
    let bounds = distribution.internalBounds
    let l = ParzenEstimator(below.map { distribution.internalValue($0) }, bounds: bounds)
    let g = ParzenEstimator(above.map { distribution.internalValue($0) }, bounds: bounds)
    var best = l.sample(&rng)
    var bestScore = -Double.infinity
    for _ in 0..<candidates {
      let x = l.sample(&rng)
      let score = l.logDensity(x) - g.logDensity(x)
      if score > bestScore {
        bestScore = score
        best = x
      }
    }
    return distribution.value(atInternal: best)
  }

  /// Category probabilities from counts plus one pseudo-count each (the prior).
  private func categoricalWeights(_ values: [ParameterValue], _ choices: [String]) -> [Double] {
    var counts = [Double](repeating: 1, count: choices.count)
    for case .string(let x) in values { if let k = choices.firstIndex(of: x) { counts[k] += 1 } }
    let total = counts.reduce(0, +)
    return counts.map { $0 / total }
  }

  private func draw(_ weights: [Double], _ rng: inout Xoshiro256StarStar) -> Int {
    var u = rng.nextUnitDouble()
    for (k, w) in weights.enumerated() {
      u -= w
      if u < 0 { return k }
    }
    return weights.count - 1
  }
}

/// A mixture of Gaussians truncated to `bounds`, equally weighted: one component per
/// observation and one prior component covering the range.
struct ParzenEstimator {
  let means: [Double]
  let sigmas: [Double]
  let bounds: (low: Double, high: Double)

  init(_ observations: [Double], bounds: (low: Double, high: Double)) {
    self.bounds = bounds
    let range = bounds.high - bounds.low
    let prior = (bounds.low + bounds.high) / 2
    let points = (observations + [prior]).sorted()
    let minimum = range / Swift.min(100, Double(points.count))
    var sigmas: [Double] = []
    for (i, x) in points.enumerated() {
      let left = i > 0 ? x - points[i - 1] : x - bounds.low
      let right = i + 1 < points.count ? points[i + 1] - x : bounds.high - x
      sigmas.append(Swift.min(range, Swift.max(minimum, Swift.max(left, right))))
    }
    // The prior component is wide: it keeps some mass everywhere in the range.
    if let k = points.firstIndex(of: prior) { sigmas[k] = range }
    means = points
    self.sigmas = sigmas
  }

  /// A draw: a component uniformly, then a Gaussian truncated to the bounds (by rejection,
  /// with a clamp after a few tries so a component far outside cannot stall).
  func sample(_ rng: inout Xoshiro256StarStar) -> Double {
    let k = rng.nextInt(below: means.count)
    for _ in 0..<32 {
      let x = means[k] + sigmas[k] * rng.nextGaussian()
      if x >= bounds.low && x <= bounds.high { return x }
    }
    return Swift.min(bounds.high, Swift.max(bounds.low, means[k]))
  }

  /// The log density at `x`, each component renormalised for its truncation.
  func logDensity(_ x: Double) -> Double {
    var total = 0.0
    for (mean, sigma) in zip(means, sigmas) {
      let mass = normalCDF((bounds.high - mean) / sigma) - normalCDF((bounds.low - mean) / sigma)
      let z = (x - mean) / sigma
      total += exp(-0.5 * z * z) / (sigma * (2 * Double.pi).squareRoot() * Swift.max(mass, 1e-12))
    }
    return log(Swift.max(total / Double(means.count), 1e-300))
  }
}

/// The standard normal distribution function.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }
