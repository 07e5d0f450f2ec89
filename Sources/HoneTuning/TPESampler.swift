import Foundation
import HoneCore

/// The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl 2011):
/// after a few random trials, the finished trials are split into the best fraction γ
/// ("below") and the rest ("above"); each parameter gets a Parzen density from each
/// group, and the candidate with the largest ratio `l(x) / g(x)` among draws from `l` is
/// chosen. Univariate: each parameter is modelled on its own, which suits define-by-run
/// spaces.
///
/// With `multivariate` (the default, as in Optuna 5) the parameters that every finished
/// trial shares are modelled jointly (Falkner, Klein & Hutter 2018): each observation is
/// one component of a product kernel over all those parameters, so correlated parameters
/// are sampled together; parameters outside that shared space fall back to the
/// univariate model.
///
/// With `constantLiar` (for parallel trials, as Optuna's `constant_liar`; Ginsbourger,
/// Le Riche & Carraro 2010) running trials join the model with the worst value so far, as
/// members of the "above" group, so the trials of one wave do not crowd onto the same
/// promising point. Running trials of the same ``Study`` show the parameters their
/// sampler chose jointly when they were asked for; univariate sampling with the liar
/// therefore makes its choices for the parameters every trial shares up front, too.
///
/// Details: γ(n) = min(⌈0.1·n⌉, 25) as in Optuna, n counting lied-about trials; numeric densities are mixtures of
/// Gaussians truncated to the range, one per observation plus a prior spanning the range,
/// with bandwidths from the distance to the neighbouring observations (see
/// ``neighborBandwidths(_:bounds:)``); categorical densities are smoothed category counts. Integer and stepped ranges are modelled on the widened
/// continuous range and snapped to the grid.
public struct TPESampler: Sampler {
  /// The seed.
  public let seed: UInt64
  /// Trials sampled at random before the model takes over. Default 10.
  public let startupTrials: Int
  /// Candidates drawn from `l(x)` per suggestion. Default 24.
  public let candidates: Int
  /// Whether parameters shared by every finished trial are modelled jointly. Default `true`.
  public let multivariate: Bool
  /// Whether running trials count, with the worst value so far. Default `false`.
  public let constantLiar: Bool

  /// Creates a sampler.
  ///
  /// - Parameters:
  ///   - seed: The seed.
  ///   - startupTrials: Complete trials sampled at random before the model takes over.
  ///   - candidates: Draws from `l(x)` per suggestion.
  ///   - multivariate: Whether shared parameters are modelled jointly.
  ///   - constantLiar: Whether running trials count with the worst value so far.
  public init(
    seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 24, multivariate: Bool = true,
    constantLiar: Bool = false
  ) {
    self.seed = seed
    self.startupTrials = startupTrials
    self.candidates = candidates
    self.multivariate = multivariate
    self.constantLiar = constantLiar
  }

  /// Complete trials best first, then (with the liar) running trials that have every one of
  /// `names` under the same distributions, all carrying the worst complete value; and how
  /// many of them form the "below" group.
  private func ranked(_ history: [FrozenTrial], names: [String], direction: Direction)
    -> (trials: [(trial: FrozenTrial, value: Double)], below: Int)
  {
    let complete = history.filter { $0.state == .complete && $0.value != nil }
    var sorted = complete.map { ($0, $0.value ?? 0) }.sorted { direction.isBetter($0.1, than: $1.1) }
    if constantLiar, let worst = sorted.last?.1, let first = complete.first {
      let running = history.filter { t in
        t.state == .running
          && names.allSatisfy { t.parameters[$0] != nil && t.distributions[$0] == first.distributions[$0] }
      }
      sorted += running.sorted { $0.number < $1.number }.map { ($0, worst) }
    }
    let below = Swift.min(Int((0.1 * Double(sorted.count)).rounded(.up)), 25, complete.count)
    return (sorted, below)
  }

  /// The joint TPE choice over the parameters every complete trial shares.
  ///
  /// - Parameters:
  ///   - trial: The trial's sampling index.
  ///   - history: The study's trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: A value per shared parameter; none during start-up, or without
  ///   `multivariate` and `constantLiar`.
  public func sampleJointly(trial: Int, history: [FrozenTrial], direction: Direction)
    -> [String: (Distribution, ParameterValue)]
  {
    guard multivariate || constantLiar else { return [:] }
    let complete = history.filter { $0.state == .complete && $0.value != nil }
    guard complete.count >= Swift.max(startupTrials, 2), let first = complete.first else { return [:] }
    // The intersection search space: names with the same distribution in every trial.
    let names = first.distributions.keys.sorted().filter { name in
      complete.allSatisfy { $0.distributions[name] == first.distributions[name] && $0.parameters[name] != nil }
    }
    guard !names.isEmpty else { return [:] }
    let distributions = names.compactMap { first.distributions[$0] }
    guard multivariate else {
      // Univariate choices made up front, so the wave's later trials can lie about them.
      var out: [String: (Distribution, ParameterValue)] = [:]
      for (name, d) in zip(names, distributions) {
        out[name] = (d, sample(name, d, trial: trial, history: history, direction: direction))
      }
      return out
    }
    let (ranking, belowCount) = ranked(history, names: names, direction: direction)
    let sorted = ranking.map(\.trial)
    func points(_ trials: ArraySlice<FrozenTrial>) -> [[Double]] {
      trials.map { t in zip(names, distributions).map { name, d in d.internalValue(t.parameters[name] ?? .int(0)) } }
    }
    let l = JointParzenEstimator(
      points(sorted[..<belowCount]), distributions: distributions, trials: sorted[..<belowCount].map(\.number))
    let g = JointParzenEstimator(
      points(sorted[belowCount...]), distributions: distributions, trials: sorted[belowCount...].map(\.number))
    var rng = generator(seed: seed, trial: trial, name: "\u{0}joint")
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
    var out: [String: (Distribution, ParameterValue)] = [:]
    for (k, name) in names.enumerated() { out[name] = (distributions[k], distributions[k].value(atInternal: best[k])) }
    return out
  }

  /// The TPE choice, or a random one during start-up.
  public func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue {
    var rng = generator(seed: seed, trial: trial, name: name)
    let relevant = history.filter { $0.distributions[name] == distribution && $0.parameters[name] != nil }
    let completeCount = relevant.filter { $0.state == .complete && $0.value != nil }.count
    guard completeCount >= startupTrials, completeCount >= 2 else {
      return distribution.value(atUnit: rng.nextUnitDouble())
    }
    let (ranking, belowCount) = ranked(relevant, names: [name], direction: direction)
    let sorted = ranking.map { ($0.value, $0.trial.parameters[name] ?? .int(0), $0.trial.number) }
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
    let l = ParzenEstimator(
      below.map { distribution.internalValue($0) }, bounds: bounds, trials: sorted[..<belowCount].map(\.2))
    let g = ParzenEstimator(
      above.map { distribution.internalValue($0) }, bounds: bounds, trials: sorted[belowCount...].map(\.2))
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
  let weights: [Double]
  let bounds: (low: Double, high: Double)
  /// Each component's weight over its truncated normaliser, computed once: the density
  /// is evaluated at every candidate, and the normal CDFs dominated the sampler's cost.
  let scales: [Double]

  init(_ observations: [Double], bounds: (low: Double, high: Double), trials: [Int]) {
    self.bounds = bounds
    means = observations + [(bounds.low + bounds.high) / 2]
    sigmas = neighborBandwidths(observations, bounds: bounds) + [bounds.high - bounds.low]
    weights = componentWeights(trials: trials)
    scales = means.indices.map { [means, sigmas, weights] k in
      let (mean, sigma) = (means[k], sigmas[k])
      let mass = normalCDF((bounds.high - mean) / sigma) - normalCDF((bounds.low - mean) / sigma)
      return weights[k] / (sigma * (2 * Double.pi).squareRoot() * Swift.max(mass, 1e-12))
    }
  }

  /// A draw: a component uniformly, then a Gaussian truncated to the bounds (by rejection,
  /// with a clamp after a few tries so a component far outside cannot stall).
  func sample(_ rng: inout Xoshiro256StarStar) -> Double {
    let k = pickComponent(weights, &rng)
    for _ in 0..<32 {
      let x = means[k] + sigmas[k] * rng.nextGaussian()
      if x >= bounds.low && x <= bounds.high { return x }
    }
    return Swift.min(bounds.high, Swift.max(bounds.low, means[k]))
  }

  /// The log density at `x`, each component renormalised for its truncation.
  func logDensity(_ x: Double) -> Double {
    var total = 0.0
    for k in means.indices {
      let z = (x - means[k]) / sigmas[k]
      total += scales[k] * exp(-0.5 * z * z)
    }
    return log(Swift.max(total, 1e-300))
  }
}

/// A product-kernel Parzen estimator over several parameters: one component per
/// observation (a point in every dimension) plus a prior component; numeric dimensions
/// use truncated Gaussians with per-dimension bandwidths as in ``ParzenEstimator``,
/// categorical dimensions put most of the mass on the observed choice.
struct JointParzenEstimator {
  let points: [[Double]]
  let sigmas: [[Double]]
  let weights: [Double]
  let distributions: [Distribution]
  /// Per component: its log weight minus the log normalisers of its truncated numeric
  /// kernels, computed once rather than at every candidate (the normal CDFs and logs
  /// were most of the sampler's cost at 1,000 trials).
  let logConstants: [Double]
  /// The numeric dimensions, and the categorical ones with their choice counts.
  let numeric: [Int]
  let categorical: [(dimension: Int, choices: Int)]

  init(_ observations: [[Double]], distributions: [Distribution], trials: [Int]) {
    self.distributions = distributions
    weights = componentWeights(trials: trials)
    let prior = distributions.map { d -> Double in
      let b = d.internalBounds
      if case .categorical = d { return -1 }  // the prior component is uniform over choices
      return (b.low + b.high) / 2
    }
    var points = observations
    points.append(prior)
    var sigmas = [[Double]](repeating: [Double](repeating: 1, count: distributions.count), count: points.count)
    for (j, d) in distributions.enumerated() {
      if case .categorical = d { continue }
      let b = d.internalBounds
      let bandwidths = neighborBandwidths(observations.map { $0[j] }, bounds: b)
      for i in observations.indices { sigmas[i][j] = bandwidths[i] }
      sigmas[points.count - 1][j] = b.high - b.low
    }
    self.points = points
    self.sigmas = sigmas
    var numeric: [Int] = []
    var categorical: [(dimension: Int, choices: Int)] = []
    for (j, d) in distributions.enumerated() {
      if case .categorical(let choices) = d { categorical.append((j, choices.count)) } else { numeric.append(j) }
    }
    self.numeric = numeric
    self.categorical = categorical
    let weights = self.weights
    logConstants = points.indices.map { k in
      var constant = log(weights[k])
      for j in numeric {
        let b = distributions[j].internalBounds
        let (mean, sigma) = (points[k][j], sigmas[k][j])
        let mass = normalCDF((b.high - mean) / sigma) - normalCDF((b.low - mean) / sigma)
        constant -= log(sigma * (2 * Double.pi).squareRoot() * Swift.max(mass, 1e-12))
      }
      return constant
    }
  }

  func sample(_ rng: inout Xoshiro256StarStar) -> [Double] {
    let k = pickComponent(weights, &rng)
    return distributions.enumerated().map { j, d in
      let b = d.internalBounds
      if case .categorical(let choices) = d {
        let own = points[k][j]
        // Three quarters on the component's own choice; the prior component is uniform.
        if own >= 0 && rng.nextUnitDouble() < 0.75 { return own }
        return Double(rng.nextInt(below: choices.count))
      }
      for _ in 0..<32 {
        let x = points[k][j] + sigmas[k][j] * rng.nextGaussian()
        if x >= b.low && x <= b.high { return x }
      }
      return Swift.min(b.high, Swift.max(b.low, points[k][j]))
    }
  }

  func logDensity(_ x: [Double]) -> Double {
    var logs: [Double] = []
    logs.reserveCapacity(points.count)
    for k in points.indices {
      let point = points[k]
      let sigma = sigmas[k]
      var squares = 0.0
      for j in numeric {
        let z = (x[j] - point[j]) / sigma[j]
        squares += z * z
      }
      var total = logConstants[k] - 0.5 * squares
      for (j, count) in categorical {
        let own = point[j]
        let uniform = 1 / Double(count)
        total += log(own < 0 ? uniform : (own == x[j] ? 0.75 : 0) + 0.25 * uniform)
      }
      logs.append(total)
    }
    let top = logs.max() ?? 0
    return top + log(logs.reduce(0) { $0 + exp($1 - top) })
  }
}

/// Mixture weights: observations weigh 1, except that with 25 or more the older ones
/// ramp down linearly from 1/n (Optuna's default weights, which let a long study forget
/// its early exploration); the prior component weighs 1; the weights sum to 1.
func componentWeights(trials: [Int]) -> [Double] {
  let n = trials.count
  var weights = [Double](repeating: 1, count: n)
  if n >= 25 {
    let order = trials.indices.sorted { trials[$0] < trials[$1] }
    let ramp = n - 25
    for (rank, i) in order.enumerated() where rank < ramp {
      weights[i] = ramp == 1 ? 1 / Double(n) : 1 / Double(n) + (1 - 1 / Double(n)) * Double(rank) / Double(ramp - 1)
    }
  }
  weights.append(1)
  let total = weights.reduce(0, +)
  return weights.map { $0 / total }
}

/// A component index drawn in proportion to `weights`.
func pickComponent(_ weights: [Double], _ rng: inout Xoshiro256StarStar) -> Int {
  var u = rng.nextUnitDouble()
  for (k, w) in weights.enumerated() {
    u -= w
    if u < 0 { return k }
  }
  return weights.count - 1
}

/// Bandwidths from the distance to the neighbouring observations, as Optuna's Parzen
/// estimator computes them (Bergstra et al.'s heuristic): each observation's distance to
/// the farther of its two neighbours in sorted order, the range's ends counting as
/// neighbours except for the outermost observations, clipped to
/// `[range / min(100, n + 2), range]` ("magic clip"; n + 1 kernels with the prior).
func neighborBandwidths(_ values: [Double], bounds: (low: Double, high: Double)) -> [Double] {
  let range = bounds.high - bounds.low
  let order = values.indices.sorted { values[$0] < values[$1] }
  let sorted = order.map { values[$0] }
  let padded = [bounds.low] + sorted + [bounds.high]
  var bySorted: [Double] = []
  for k in 0..<sorted.count {
    let left: Double = padded[k + 1] - padded[k]
    let right: Double = padded[k + 2] - padded[k + 1]
    bySorted.append(Swift.max(left, right))
  }
  if sorted.count >= 2 {
    bySorted[0] = padded[2] - padded[1]
    bySorted[sorted.count - 1] = padded[sorted.count] - padded[sorted.count - 1]
  }
  let minimum = range / Swift.min(100, Double(values.count) + 2)
  var out = [Double](repeating: 0, count: values.count)
  for (k, i) in order.enumerated() { out[i] = Swift.min(range, Swift.max(minimum, bySorted[k])) }
  return out
}

/// The standard normal distribution function.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }
