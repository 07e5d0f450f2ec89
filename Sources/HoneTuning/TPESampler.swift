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
///
/// One departure from Optuna: the "below" density's numeric kernels are narrowed by
/// ``belowBandwidthFactor`` (0.4 by default). `l(x)` is both where candidates come from and
/// the numerator of the ratio, and the neighbour-distance widths — with their floor of
/// range / (n + 2), n the group's size, which the γ cap holds at 25 or fewer — keep its
/// kernels as wide as a density estimate of a handful of points needs, not as narrow as a
/// search around the best trials can use. The "above" density and the prior are unchanged,
/// so the ratio still penalises crowded regions and every point keeps a chance.
/// `docs/benchmarks.md` (tuning section) has the figures behind the default, chosen on
/// seeds and functions apart from the benchmark.
public struct TPESampler: Sampler {
  /// The default of ``belowBandwidthFactor``.
  public static let defaultBelowBandwidthFactor = 0.4
  /// The default of ``startupDesign``.
  public static let defaultStartupDesign = StartupDesign.random
  /// The seed.
  public let seed: UInt64
  /// Finished trials (complete or pruned) placed by ``startupDesign`` before the model
  /// takes over, counted over the whole study as in Optuna; a parameter no finished trial
  /// has reached yet also takes the start-up design's value. Default 10.
  public let startupTrials: Int
  /// Candidates drawn from `l(x)` per suggestion, at least 1 (smaller values count as 1).
  /// Default 24.
  public let candidates: Int
  /// Whether parameters shared by every finished trial are modelled jointly. Default `true`.
  public let multivariate: Bool
  /// Whether running trials count, with the worst value so far. Default `false`.
  public let constantLiar: Bool
  /// What the "below" density's numeric kernel widths are multiplied by, after the
  /// neighbour-distance rule and its clip. 1 is Optuna's estimator; the default,
  /// ``defaultBelowBandwidthFactor``, draws candidates closer to the best trials.
  public let belowBandwidthFactor: Double
  /// How the start-up trials are placed. Default ``defaultStartupDesign``.
  public let startupDesign: StartupDesign
  /// Finished trials' parameter positions, shared by copies of this sampler; entries are
  /// checked against the trials handed in, so sharing never changes a choice.
  private let historyCache = TPEHistoryCache()

  /// Creates a sampler whose "below" kernels have the default width factor,
  /// ``defaultBelowBandwidthFactor``.
  ///
  /// - Parameters:
  ///   - seed: The seed.
  ///   - startupTrials: Complete trials sampled at random before the model takes over.
  ///   - candidates: Draws from `l(x)` per suggestion.
  ///   - multivariate: Whether shared parameters are modelled jointly.
  ///   - constantLiar: Whether running trials count with the worst value so far.
  ///   - startupDesign: How the start-up trials are placed.
  public init(
    seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 24, multivariate: Bool = true,
    constantLiar: Bool = false, startupDesign: StartupDesign = defaultStartupDesign
  ) {
    self.init(
      seed: seed, startupTrials: startupTrials, candidates: candidates, multivariate: multivariate,
      constantLiar: constantLiar, checkedFactor: Self.defaultBelowBandwidthFactor, startupDesign: startupDesign)
  }

  /// Creates a sampler with a chosen width for the "below" density's kernels.
  ///
  /// - Parameters:
  ///   - seed: The seed.
  ///   - startupTrials: Complete trials sampled at random before the model takes over.
  ///   - candidates: Draws from `l(x)` per suggestion.
  ///   - multivariate: Whether shared parameters are modelled jointly.
  ///   - constantLiar: Whether running trials count with the worst value so far.
  ///   - belowBandwidthFactor: What the "below" density's numeric kernel widths are
  ///     multiplied by: positive and finite; 1 reproduces Optuna's estimator.
  ///   - startupDesign: How the start-up trials are placed.
  /// - Throws: ``TuningError`` when `belowBandwidthFactor` is not positive and finite.
  public init(
    seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 24, multivariate: Bool = true,
    constantLiar: Bool = false, belowBandwidthFactor: Double, startupDesign: StartupDesign = defaultStartupDesign
  ) throws {
    guard belowBandwidthFactor > 0, belowBandwidthFactor.isFinite else {
      throw TuningError(
        "TPESampler's belowBandwidthFactor must be positive and finite, got \(belowBandwidthFactor); "
          + "use 1 for Optuna's kernel widths or leave it out for the default \(Self.defaultBelowBandwidthFactor)")
    }
    self.init(
      seed: seed, startupTrials: startupTrials, candidates: candidates, multivariate: multivariate,
      constantLiar: constantLiar, checkedFactor: belowBandwidthFactor, startupDesign: startupDesign)
  }

  private init(
    seed: UInt64, startupTrials: Int, candidates: Int, multivariate: Bool, constantLiar: Bool, checkedFactor: Double,
    startupDesign: StartupDesign
  ) {
    self.seed = seed
    self.startupTrials = startupTrials
    self.candidates = Swift.max(1, candidates)
    self.multivariate = multivariate
    self.constantLiar = constantLiar
    belowBandwidthFactor = checkedFactor
    self.startupDesign = startupDesign
  }

  /// The model's rows best first: the `complete` keys ordered by `values`, then the
  /// `pruned` keys (see ``prunedOrder(_:history:direction:)``), then (with the liar) the
  /// `running` keys by trial number, which carry the worst complete value; and how many of
  /// them form the "below" group — complete trials first, pruned ones only when there are
  /// too few, running ones never (as Optuna splits them). Keys index `values` and
  /// `numbers`, so the sort moves integers rather than trials.
  private func ranked(
    complete: [Int], pruned: [Int] = [], running: [Int], values: [Double], numbers: [Int], direction: Direction,
    history: [FrozenTrial]
  ) -> (order: [Int], below: Int) {
    var order = complete.sorted { direction.isBetter(values[$0], than: values[$1]) }
    order += Self.prunedOrder(pruned, history: history, direction: direction)
    if constantLiar, !order.isEmpty {
      order += running.sorted { numbers[$0] < numbers[$1] }
    }
    let below = Swift.min(Int((0.1 * Double(order.count)).rounded(.up)), 25, complete.count + pruned.count)
    return (order, below)
  }

  /// Pruned trials (positions in `history`) best first, as Optuna ranks them: those that
  /// got further (a later last step) first, then by their value at that step (NaN last),
  /// trials without intermediate values after every other, ties by trial number.
  static func prunedOrder(_ pruned: [Int], history: [FrozenTrial], direction: Direction) -> [Int] {
    guard !pruned.isEmpty else { return [] }
    let keys = pruned.map { i -> (Int, Double, Int) in
      let trial = history[i]
      guard let step = trial.intermediateValues.keys.max(), let value = trial.intermediateValues[step] else {
        return (1, 0, trial.number)
      }
      return (-step, value.isNaN ? .infinity : direction == .minimize ? value : -value, trial.number)
    }
    return pruned.indices.sorted { keys[$0] < keys[$1] }.map { pruned[$0] }
  }

  /// The joint TPE choice over the parameters every complete trial shares.
  ///
  /// - Parameters:
  ///   - trial: The trial's sampling index.
  ///   - history: The study's trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: A value per shared parameter; none during start-up, or without
  ///   `multivariate` and `constantLiar`.
  /// - Complexity: For *n* trials and *d* shared parameters, asked in sequence: O(*d*)
  ///   dictionary reads and O(*d*·log *n*) comparisons per trial finished since the
  ///   previous ask (positions, value order and per-dimension position orders are kept),
  ///   O(*n*·*d*) arithmetic to derive the groups' bandwidths and weights, and
  ///   O(*c*·*n*·*d*) for *c* candidates' densities. With running trials to lie about,
  ///   the model is rebuilt: one sort of *n* integers and *d* sorts of positions.
  public func sampleJointly(trial: Int, history: [FrozenTrial], direction: Direction)
    -> [String: (Distribution, ParameterValue)]
  {
    guard multivariate || constantLiar else { return [:] }
    // One pass over the history; later steps read these arrays, indexed by position in
    // `history`, instead of the trials' dictionaries.
    var complete: [Int] = []
    var pruned: [Int] = []
    var running: [Int] = []
    var values = [Double](repeating: 0, count: history.count)
    var numbers = [Int](repeating: 0, count: history.count)
    for i in history.indices {
      numbers[i] = history[i].number
      switch history[i].state {
      case .complete:
        guard let value = history[i].value else { continue }
        values[i] = value
        complete.append(i)
      case .pruned: pruned.append(i)
      case .running: running.append(i)
      default: continue
      }
    }
    // Pruned trials count for start-up and join the model, ranked after every complete
    // one (Optuna's rule): what a pruned trial tried is information too.
    let modelled = complete + pruned
    guard modelled.count >= Swift.max(startupTrials, 2), let firstIndex = modelled.first else { return [:] }
    let first = history[firstIndex].distributions
    // The intersection search space: names with the same distribution in every complete
    // and pruned trial; each kept name's column holds the internal positions of its values.
    // A parameter with a single value is left out, as in Optuna: it needs no model, and
    // its zero-width kernels would make every density NaN.
    let keys = first.keys.sorted().filter { first[$0]?.singleValue == nil }
    let keyDistributions = keys.compactMap { first[$0] }
    // Without running trials to lie about, the model comes from the state kept between
    // asks, which the next ask extends by the trials finished since.
    if multivariate, !constantLiar || running.isEmpty, pruned.isEmpty,
      let (l, g) = historyCache.jointEstimators(
        names: keys, distributions: keyDistributions, direction: direction, history: history, complete: complete,
        values: values, belowBandwidthFactor: belowBandwidthFactor)
    {
      return choose(trial: trial, names: keys, distributions: keyDistributions, below: l, above: g)
    }
    var names: [String] = []
    var distributions: [Distribution] = []
    var columns: [[Double]] = []
    if multivariate, pruned.isEmpty,
      let cached = historyCache.columns(
        names: keys, distributions: keyDistributions, history: history, complete: complete)
    {
      // Every complete trial has every parameter of the first: the common case, served
      // from the rows kept between asks.
      (names, distributions, columns) = (keys, keyDistributions, cached)
    } else {
      for name in keys {
        guard let d = first[name] else { continue }
        var column = [Double](repeating: 0, count: multivariate ? history.count : 0)
        var shared = true
        for i in modelled {
          guard history[i].distributions[name] == d, let value = history[i].parameters[name] else {
            shared = false
            break
          }
          if multivariate { column[i] = d.internalValue(value) }
        }
        guard shared else { continue }
        names.append(name)
        distributions.append(d)
        columns.append(column)
      }
    }
    guard !names.isEmpty else { return [:] }
    guard multivariate else {
      // Univariate choices made up front, so the wave's later trials can lie about them.
      var out: [String: (Distribution, ParameterValue)] = [:]
      for (name, d) in zip(names, distributions) {
        out[name] = (d, sample(name, d, trial: trial, history: history, direction: direction))
      }
      return out
    }
    // Running trials join the liar's rows only when they carry every shared parameter.
    var lied: [Int] = []
    if constantLiar {
      for i in running {
        var values: [Double] = []
        values.reserveCapacity(names.count)
        for (name, d) in zip(names, distributions) {
          guard let value = history[i].parameters[name], history[i].distributions[name] == d else { break }
          values.append(d.internalValue(value))
        }
        guard values.count == names.count else { continue }
        for j in names.indices { columns[j][i] = values[j] }
        lied.append(i)
      }
    }
    let (order, belowCount) = ranked(
      complete: complete, pruned: pruned, running: lied, values: values, numbers: numbers, direction: direction,
      history: history)
    let l = JointParzenEstimator(
      columns: columns, rows: order[..<belowCount], distributions: distributions,
      trials: order[..<belowCount].map { numbers[$0] }, bandwidthFactor: belowBandwidthFactor)
    let g = JointParzenEstimator(
      columns: columns, rows: order[belowCount...], distributions: distributions,
      trials: order[belowCount...].map { numbers[$0] })
    return choose(trial: trial, names: names, distributions: distributions, below: l, above: g)
  }

  /// The best of ``candidates`` draws from `below` by the ratio of the two densities.
  private func choose(
    trial: Int, names: [String], distributions: [Distribution], below l: JointParzenEstimator,
    above g: JointParzenEstimator
  ) -> [String: (Distribution, ParameterValue)] {
    var rng = generator(seed: seed, trial: trial, name: "\u{0}joint")
    var scratch = [Double](repeating: 0, count: Swift.max(l.components, g.components))
    var x = [Double](repeating: 0, count: names.count)
    l.sample(&rng, into: &x)
    var best = x
    var bestScore = -Double.infinity
    for _ in 0..<candidates {
      l.sample(&rng, into: &x)
      let score = l.logDensity(x, scratch: &scratch) - g.logDensity(x, scratch: &scratch)
      if score > bestScore {
        bestScore = score
        best = x
      }
    }
    var out: [String: (Distribution, ParameterValue)] = [:]
    for (k, name) in names.enumerated() { out[name] = (distributions[k], distributions[k].value(atInternal: best[k])) }
    return out
  }

  /// The TPE choice, or during start-up the ``startupDesign``'s.
  public func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue {
    var rng = generator(seed: seed, trial: trial, name: name)
    // Every complete and pruned trial takes part in the split into "below" and "above",
    // as in Optuna, whether it has `name` or not; those that carry `name` under
    // `distribution` then give the observations. A conditional parameter (one branch's)
    // is so modelled once the study's start-up is over, from where the better and the
    // worse of the trials that reached it put it. Running trials (the liar's) count only
    // when they carry it. Read once into arrays indexed by position in `history`.
    var complete: [Int] = []
    var pruned: [Int] = []
    var running: [Int] = []
    var values = [Double](repeating: 0, count: history.count)
    var numbers = [Int](repeating: 0, count: history.count)
    var observed = [ParameterValue?](repeating: nil, count: history.count)
    for i in history.indices {
      numbers[i] = history[i].number
      if history[i].distributions[name] == distribution { observed[i] = history[i].parameters[name] }
      switch history[i].state {
      case .complete:
        guard let objective = history[i].value else { continue }
        values[i] = objective
        complete.append(i)
      case .pruned: pruned.append(i)
      case .running: if observed[i] != nil { running.append(i) }
      default: continue
      }
    }
    guard complete.count + pruned.count >= startupTrials, complete.count + pruned.count >= 2 else {
      return startupValue(name, distribution, trial: trial) ?? distribution.value(atUnit: rng.nextUnitDouble())
    }
    let (order, belowCount) = ranked(
      complete: complete, pruned: pruned, running: running, values: values, numbers: numbers, direction: direction,
      history: history)
    let belowRows = order[..<belowCount].filter { observed[$0] != nil }
    let aboveRows = order[belowCount...].filter { observed[$0] != nil }
    let below = belowRows.compactMap { observed[$0] }
    let above = aboveRows.compactMap { observed[$0] }
    // A parameter no trial has reached yet has nothing to model: the start-up design's
    // value, as for the first trials.
    guard !below.isEmpty || !above.isEmpty else {
      return startupValue(name, distribution, trial: trial) ?? distribution.value(atUnit: rng.nextUnitDouble())
    }

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
      below.map { distribution.internalValue($0) }, bounds: bounds, trials: belowRows.map { numbers[$0] },
      bandwidthFactor: belowBandwidthFactor)
    let g = ParzenEstimator(
      above.map { distribution.internalValue($0) }, bounds: bounds, trials: aboveRows.map { numbers[$0] })
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

  /// An estimator over `observations` (trial numbers `trials`), the observations' kernel
  /// widths multiplied by `bandwidthFactor` (the prior's is not).
  init(_ observations: [Double], bounds: (low: Double, high: Double), trials: [Int], bandwidthFactor: Double = 1) {
    self.bounds = bounds
    means = observations + [(bounds.low + bounds.high) / 2]
    sigmas = neighborBandwidths(observations, bounds: bounds).map { $0 * bandwidthFactor } + [bounds.high - bounds.low]
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
      // Far components underflow to exactly 0; skipping them changes no bit of the sum.
      let exponent = -0.5 * z * z
      if exponent > -746 { total += scales[k] * exp(exponent) }
    }
    return log(Swift.max(total, 1e-300))
  }
}

/// A product-kernel Parzen estimator over several parameters: one component per
/// observation (a point in every dimension) plus a prior component; numeric dimensions
/// use truncated Gaussians with per-dimension bandwidths as in ``ParzenEstimator``,
/// categorical dimensions put most of the mass on the observed choice.
///
/// Components are stored flat by dimension (`points[j * components + k]`), so a density
/// evaluation sweeps each dimension over all components in contiguous memory — a loop
/// the compiler vectorises — while each component still sums its squares in dimension
/// order, as the per-component loop did.
struct JointParzenEstimator {
  /// Component count: the observations plus the prior.
  let components: Int
  let points: [Double]
  let sigmas: [Double]
  /// `1 / sigmas`: a density evaluation multiplies where it would divide, and a division
  /// takes several multiplications' time in a loop over every candidate, component and
  /// dimension.
  let inverseSigmas: [Double]
  let weights: [Double]
  let distributions: [Distribution]
  let bounds: [(low: Double, high: Double)]
  /// Per component: its log weight minus the log normalisers of its truncated numeric
  /// kernels, computed once rather than at every candidate (the normal CDFs and logs
  /// were most of the sampler's cost at 1,000 trials).
  let logConstants: [Double]
  /// The numeric dimensions, and the categorical ones with their choice counts.
  let numeric: [Int]
  let categorical: [(dimension: Int, choices: Int)]

  /// An estimator from its parts: `points` and `sigmas` flat by dimension, one entry per
  /// component (the prior last), and each component's `logConstants`.
  init(
    points: [Double], sigmas: [Double], weights: [Double], distributions: [Distribution], logConstants: [Double]
  ) {
    components = weights.count
    self.points = points
    self.sigmas = sigmas
    inverseSigmas = sigmas.map { 1 / $0 }
    self.weights = weights
    self.distributions = distributions
    bounds = distributions.map(\.internalBounds)
    self.logConstants = logConstants
    var numeric: [Int] = []
    var categorical: [(dimension: Int, choices: Int)] = []
    for (j, d) in distributions.enumerated() {
      if case .categorical(let choices) = d {
        categorical.append((j, choices.count))
      } else {
        numeric.append(j)
      }
    }
    self.numeric = numeric
    self.categorical = categorical
  }

  /// An estimator over the observations `rows` of `columns` (one column per dimension,
  /// indexed by row), whose trial numbers are `trials`; the observations' numeric kernel
  /// widths are multiplied by `bandwidthFactor` (the prior's are not).
  init(
    columns: [[Double]], rows: ArraySlice<Int>, distributions: [Distribution], trials: [Int],
    bandwidthFactor: Double = 1
  ) {
    let components = rows.count + 1
    let prior = components - 1
    let bounds = distributions.map(\.internalBounds)
    let weights = componentWeights(trials: trials)
    var points = [Double](repeating: 0, count: components * distributions.count)
    var sigmas = [Double](repeating: 1, count: components * distributions.count)
    var numeric: [Int] = []
    for (j, d) in distributions.enumerated() {
      let base = j * components
      let column = rows.map { columns[j][$0] }
      for (k, x) in column.enumerated() { points[base + k] = x }
      if case .categorical = d {
        points[base + prior] = -1  // the prior component is uniform over choices
        continue
      }
      numeric.append(j)
      let b = bounds[j]
      points[base + prior] = (b.low + b.high) / 2
      let bandwidths = neighborBandwidths(column, bounds: b)
      for (k, sigma) in bandwidths.enumerated() { sigmas[base + k] = sigma * bandwidthFactor }
      sigmas[base + prior] = b.high - b.low
    }
    let logConstants = (0..<components).map { k in
      var constant = log(weights[k])
      for j in numeric {
        constant -= truncatedKernelLogNormalizer(
          mean: points[j * components + k], sigma: sigmas[j * components + k], bounds: bounds[j])
      }
      return constant
    }
    self.init(
      points: points, sigmas: sigmas, weights: weights, distributions: distributions, logConstants: logConstants)
  }

  /// A draw into `x`: a component by weight, then each dimension from its kernel.
  func sample(_ rng: inout Xoshiro256StarStar, into x: inout [Double]) {
    let k = pickComponent(weights, &rng)
    for (j, d) in distributions.enumerated() {
      let cell = j * components + k
      x[j] = draw(dimension: j, distribution: d, mean: points[cell], sigma: sigmas[cell], &rng)
    }
  }

  private func draw(
    dimension j: Int, distribution d: Distribution, mean: Double, sigma: Double, _ rng: inout Xoshiro256StarStar
  ) -> Double {
    if case .categorical(let choices) = d {
      // Three quarters on the component's own choice; the prior component is uniform.
      if mean >= 0 && rng.nextUnitDouble() < 0.75 { return mean }
      return Double(rng.nextInt(below: choices.count))
    }
    let b = bounds[j]
    for _ in 0..<32 {
      let x = mean + sigma * rng.nextGaussian()
      if x >= b.low && x <= b.high { return x }
    }
    return Swift.min(b.high, Swift.max(b.low, mean))
  }

  /// The log density at `x`, summed stably from the largest component down; `scratch`
  /// holds at least ``components`` values so no evaluation allocates.
  func logDensity(_ x: [Double], scratch: inout [Double]) -> Double {
    let components = components
    return points.withUnsafeBufferPointer { points in
      inverseSigmas.withUnsafeBufferPointer { inverseSigmas in
        logConstants.withUnsafeBufferPointer { constants in
          scratch.withUnsafeMutableBufferPointer { logs in
            // Squared standardised distances, one dimension at a time over every component.
            for k in 0..<components { logs[k] = 0 }
            for j in numeric {
              let value = x[j]
              let cells = (j * components)..<((j + 1) * components)
              // Rebased slices index from 0 without an overflow check per element, which
              // lets the compiler vectorise the loop.
              let means = UnsafeBufferPointer(rebasing: points[cells])
              let inverses = UnsafeBufferPointer(rebasing: inverseSigmas[cells])
              for k in 0..<components {
                let z = (value - means[k]) * inverses[k]
                logs[k] += z * z
              }
            }
            for k in 0..<components { logs[k] = constants[k] - 0.5 * logs[k] }
            for (j, count) in categorical {
              let value = x[j]
              let base = j * components
              let uniform = 1 / Double(count)
              for k in 0..<components {
                let own = points[base + k]
                logs[k] += log(own < 0 ? uniform : (own == value ? 0.75 : 0) + 0.25 * uniform)
              }
            }
            var top = logs[0]
            var topIndex = 0
            for k in 1..<components where logs[k] > top {
              top = logs[k]
              topIndex = k
            }
            // The sum runs in component order, as it always has, but skips the terms that
            // cannot change a bit of it. exp underflows to exactly 0 below about -745.1.
            // A term below half an ulp of the running sum rounds away: with the sum at
            // least 2^e, that holds for exp(gap) with gap below e·ln 2 − 38 (e⁻³⁸ ≈
            // 3.1e-17 < 2⁻⁵³), so the cut-off rises as the sum grows — from the top term
            // (exactly 1) on, to at least -38. Before the top, the terms' sum is added to 1
            // in one rounding, so they may all be skipped when each is below 2⁻⁵³ divided
            // by their count.
            let negligible = -40 - log(Double(Swift.max(topIndex, 1)))
            var before = false
            for k in 0..<topIndex where logs[k] - top >= negligible {
              before = true
              break
            }
            var sum = 0.0
            var cutoff = -746.0
            if before {
              for k in 0..<topIndex {
                let gap = logs[k] - top
                guard gap > cutoff else { continue }
                sum += exp(gap)
                if sum >= Double.leastNormalMagnitude {
                  cutoff = Swift.max(-746, Double(sum.exponent) * 0.693_147_180_559_945_3 - 38)
                }
              }
            }
            // From the top term on the sum is at least 1, so -38 is at or below the exact
            // cut-off: a term between the two is added and rounds away, the same bits
            // either way, and the loop need not wait on the sum's exponent at every term.
            cutoff = Swift.max(cutoff, -38)
            for k in topIndex..<components {
              let gap = logs[k] - top
              if gap > cutoff { sum += exp(gap) }
            }
            return top + log(sum)
          }
        }
      }
    }
  }
}

/// Mixture weights: observations weigh 1, except that with 25 or more the older ones
/// ramp down linearly from 1/n (Optuna's default weights, which let a long study forget
/// its early exploration); the prior component weighs 1; the weights sum to 1.
func componentWeights(trials: [Int]) -> [Double] {
  componentWeights(
    oldestFirst: trials.count >= 25 ? trials.indices.sorted { trials[$0] < trials[$1] } : Array(trials.indices))
}

/// ``componentWeights(trials:)`` given the observations' order by trial number:
/// `oldestFirst` lists the indices 0..<n from the smallest trial number up (its order
/// matters only from n = 25 on, where the ramp starts).
func componentWeights(oldestFirst order: [Int]) -> [Double] {
  let n = order.count
  var weights = [Double](repeating: 1, count: n)
  if n >= 25 {
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
  let order = values.indices.sorted { values[$0] < values[$1] }
  let bySorted = neighborBandwidths(sorted: order.map { values[$0] }, bounds: bounds)
  var out = [Double](repeating: 0, count: values.count)
  for (k, i) in order.enumerated() { out[i] = bySorted[k] }
  return out
}

/// ``neighborBandwidths(_:bounds:)`` of observations already in ascending order, in that
/// order; the incremental joint model keeps its observations sorted and calls this directly.
func neighborBandwidths(sorted: [Double], bounds: (low: Double, high: Double)) -> [Double] {
  let range = bounds.high - bounds.low
  let count = sorted.count
  let minimum = range / Swift.min(100, Double(count) + 2)
  var out = [Double](repeating: 0, count: count)
  for k in 0..<count {
    let width: Double
    if count >= 2 && k == 0 {
      width = sorted[1] - sorted[0]
    } else if count >= 2 && k == count - 1 {
      width = sorted[k] - sorted[k - 1]
    } else {
      // The ends of the range stand in for missing neighbours.
      let left = sorted[k] - (k == 0 ? bounds.low : sorted[k - 1])
      let right = (k == count - 1 ? bounds.high : sorted[k + 1]) - sorted[k]
      width = Swift.max(left, right)
    }
    out[k] = Swift.min(range, Swift.max(minimum, width))
  }
  return out
}

/// The logarithm of a Gaussian kernel's normaliser once truncated to `bounds`: σ·√(2π)
/// times the mass left inside (floored, so a kernel far outside stays finite).
func truncatedKernelLogNormalizer(mean: Double, sigma: Double, bounds: (low: Double, high: Double)) -> Double {
  let mass = normalCDF((bounds.high - mean) / sigma) - normalCDF((bounds.low - mean) / sigma)
  return log(sigma * (2 * Double.pi).squareRoot() * Swift.max(mass, 1e-12))
}

/// The standard normal distribution function.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }
