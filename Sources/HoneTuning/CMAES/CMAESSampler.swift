import HoneCore

/// CMA-ES over the numeric parameters of a search space (Hansen's tutorial, see
/// ``CMAEvolutionStrategy``), with optional IPOP restarts (Auger & Hansen 2005).
///
/// Coordinates live in the unit cube of each distribution's internal scale (log ranges in
/// the logarithm, integer and stepped ranges widened by half a step); values are mapped
/// back to the nearest grid point, so integers are handled by rounding. Categorical
/// parameters, parameters outside the space and the first trial when no space is declared
/// are sampled at random. A declared parameter that a complete trial did not suggest (a
/// conditional one, or one the objective never uses) is not modelled from then on —
/// declare only the parameters every trial suggests.
///
/// **Stateless by replay.** The strategy's state is not stored: each trial rebuilds it
/// from the study's complete trials, told in trial-number order in generations of λ, and
/// then draws its candidate with a generator seeded by the seed and its sampling index.
/// The same history and seed therefore give the same candidates in every process, also
/// after a resume. Each trial records the generation it was drawn from
/// (``generationAttribute``, as Optuna's sampler does), and a generation is told exactly
/// the first λ complete trials drawn from it: in a parallel study a trial that fails or
/// is pruned is replaced by a later draw from the same generation, and candidates drawn
/// from a generation that has since been told are left out rather than told to the next
/// one. (Trials of a study from before the attribute are told first, λ at a time in
/// trial-number order; the recorded generations continue from there.)
///
/// Candidates outside the cube are redrawn (up to 100 times, then clipped), as Optuna's
/// `CmaEsSampler` does through the `cmaes` package. Should the covariance ever stop being
/// a finite matrix, the trial is sampled at random rather than failed.
public struct CMAESSampler: Sampler {
  /// The seed.
  public let seed: UInt64
  /// The initial step size in unit-cube coordinates. Default 1/6, as Optuna.
  public let sigma0: Double
  /// λ for the first run, or `nil` for 4 + ⌊3 ln n⌋.
  public let populationSize: Int?
  /// How many times the search restarts with a doubled population after it converges
  /// or stalls (IPOP-CMA-ES). Default 0.
  public let restarts: Int
  /// The declared search space, or `nil` to learn it from the first finished trial.
  public let space: [String: Distribution]?
  /// ``space``: a trial refuses to suggest one of its names with another distribution.
  public var declaredSpace: [String: Distribution]? { space }
  private let fallback: RandomSampler

  /// The largest population the sampler takes, and the most an IPOP restart doubles it
  /// to: a generation is told only once that many trials have completed.
  public static let largestPopulation = 1 << 20

  /// The user attribute recording which generation a trial was drawn from: the number of
  /// generations told, over every restart, when it was asked for.
  public static let generationAttribute = "hone.cmaes.generation"

  /// Creates a sampler.
  ///
  /// - Parameters:
  ///   - seed: The seed.
  ///   - sigma0: The initial step size on the unit cube, in `(0, 1]`.
  ///   - populationSize: λ, from 2 to ``largestPopulation``, or `nil` for the default.
  ///   - restarts: IPOP restarts allowed, at least 0.
  ///   - space: The search space, or `nil` to learn it from the first finished trial.
  /// - Throws: ``TuningError`` for a value out of range or a malformed distribution in
  ///   `space`.
  public init(
    seed: UInt64 = 0, sigma0: Double = 1.0 / 6, populationSize: Int? = nil, restarts: Int = 0,
    space: [String: Distribution]? = nil
  ) throws {
    guard sigma0 > 0, sigma0 <= 1 else {
      throw TuningError("sigma0 must be in (0, 1] (unit-cube scale), got \(sigma0)")
    }
    if let populationSize, !(2...Self.largestPopulation).contains(populationSize) {
      throw TuningError(
        "the CMA-ES population size must be from 2 to \(Self.largestPopulation), got \(populationSize)")
    }
    guard restarts >= 0 else { throw TuningError("restarts must be at least 0, got \(restarts)") }
    for (name, distribution) in (space ?? [:]).sorted(by: { $0.key < $1.key }) {
      try distribution.validate(name: name)
    }
    self.seed = seed
    self.sigma0 = sigma0
    self.populationSize = populationSize
    self.restarts = restarts
    self.space = space
    fallback = RandomSampler(seed: seed)
  }

  /// The candidate of trial `trial` for every numeric parameter of the space.
  ///
  /// - Parameters:
  ///   - trial: The trial's sampling index, which seeds its draw.
  ///   - history: The study's trials; the complete ones are replayed.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: A value for every numeric parameter, or none before the space is known.
  public func sampleJointly(trial: Int, history: [FrozenTrial], direction: Direction)
    -> [String: (Distribution, ParameterValue)]
  {
    let (names, distributions) = modelled(history)
    guard !names.isEmpty, let (strategy, _) = try? replay(history, names: names, distributions, direction) else {
      return [:]
    }
    var rng = generator(seed: seed, trial: trial, name: "\u{0}cmaes")
    var x = strategy.sample(&rng)
    for _ in 0..<100 where !x.allSatisfy({ $0 >= 0 && $0 <= 1 }) { x = strategy.sample(&rng) }
    var out: [String: (Distribution, ParameterValue)] = [:]
    for (k, name) in names.enumerated() {
      let d = distributions[k]
      let b = d.internalBounds
      let u = Swift.min(1, Swift.max(0, x[k]))
      out[name] = (d, d.value(atInternal: b.low + u * (b.high - b.low)))
    }
    return out
  }

  /// The generation trial `trial` is drawn from (``generationAttribute``), or `none`
  /// for a trial drawn at random before the space is known — which no generation is then
  /// told, and which is not taken for a trial from before the attribute.
  ///
  /// - Parameters:
  ///   - trial: The trial's sampling index.
  ///   - history: The study's trials, as given to ``sampleJointly(trial:history:direction:)``.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: The attribute.
  public func trialAttributes(trial: Int, history: [FrozenTrial], direction: Direction) -> [String: String] {
    let (names, distributions) = modelled(history)
    guard !names.isEmpty, let (_, told) = try? replay(history, names: names, distributions, direction) else {
      return [Self.generationAttribute: "none"]
    }
    return [Self.generationAttribute: String(told)]
  }

  /// The numeric parameters of the declared or learned space, by name. Once trials have
  /// completed, a declared parameter one of them did not suggest is left out (the
  /// intersection of their spaces, as Optuna's sampler takes): modelled, it would make
  /// that trial unusable for the replay — and a parameter the objective never suggests,
  /// every trial, so that the search would draw from its first generation all study long.
  /// The set only shrinks as trials complete, so a trial usable once stays usable.
  private func modelled(_ history: [FrozenTrial]) -> (names: [String], distributions: [Distribution]) {
    let space = self.space ?? learnedSearchSpace(history)
    var names = space.keys.sorted().filter { name in
      if case .categorical = space[name] { return false }
      return space[name] != nil
    }
    if self.space != nil {
      // The trials the replay can tell: those drawn from a generation, and those from
      // before the first that was (an older study, records added first) — not one added
      // later, which the replay ignores and which must not shrink the model either.
      let firstRecorded =
        history.lazy.filter { $0.userAttributes[Self.generationAttribute] != nil }.map(\.number).min() ?? Int.max
      let complete = history.indices.filter {
        history[$0].state == .complete
          && (history[$0].userAttributes[Self.generationAttribute] != nil || history[$0].number < firstRecorded)
      }
      if !complete.isEmpty {
        names = names.filter { name in complete.allSatisfy { history[$0].parameters[name] != nil } }
      }
    }
    return (names, names.compactMap { space[$0] })
  }

  /// A random value, for parameters CMA-ES does not model.
  ///
  /// - Parameters:
  ///   - name: The parameter.
  ///   - distribution: Its distribution.
  ///   - trial: The trial's sampling index.
  ///   - history: Unused.
  ///   - direction: Unused.
  /// - Returns: A uniform draw on the distribution's internal scale.
  public func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue {
    fallback.sample(name, distribution, trial: trial, history: history, direction: direction)
  }

  /// The strategy after telling every full generation of complete trials, restarting
  /// when a run has converged or stalled and restarts remain, and how many generations
  /// it told. Complete trials without the attribute numbered below every trial with it
  /// (a study from before the attribute) are told first, λ at a time in number order;
  /// then generation *g* is told the first λ complete trials (by number) drawn from it.
  /// Other trials without it (run by another sampler) and those drawn before the space
  /// was known are told to no generation.
  func replay(_ history: [FrozenTrial], names: [String], _ distributions: [Distribution], _ direction: Direction)
    throws -> (strategy: CMAEvolutionStrategy, told: Int)
  {
    let solutions = history.filter { $0.state == .complete }.sorted { $0.number < $1.number }.compactMap {
      t -> (number: Int, point: [Double], value: Double, recorded: Bool, generation: Int?)? in
      guard let value = t.value, value.isFinite else { return nil }
      var point: [Double] = []
      for (name, d) in zip(names, distributions) {
        guard t.distributions[name] == d, let parameter = t.parameters[name] else { return nil }
        let b = d.internalBounds
        let width = b.high - b.low
        point.append(width > 0 ? (d.internalValue(parameter) - b.low) / width : 0.5)
      }
      let recorded = t.userAttributes[Self.generationAttribute]
      return (t.number, point, direction == .minimize ? value : -value, recorded != nil, recorded.flatMap { Int($0) })
    }
    // Trials from before the attribute come first, λ at a time in number order (they are
    // the older ones); the generations that recorded trials name continue from there.
    let firstRecorded =
      history.lazy.filter { $0.userAttributes[Self.generationAttribute] != nil }.map(\.number).min() ?? Int.max
    let unrecorded = solutions.filter { !$0.recorded && $0.number < firstRecorded }
    let center = [Double](repeating: 0.5, count: names.count)
    var strategy = try CMAEvolutionStrategy(mean: center, sigma: sigma0, populationSize: populationSize)
    var restartsLeft = restarts
    var restartCount = 0
    var told = 0
    var unrecordedOffset = 0
    while true {
      var batch: [(point: [Double], value: Double)] = unrecorded.dropFirst(unrecordedOffset)
        .prefix(strategy.populationSize).map { ($0.point, $0.value) }
      if batch.count == strategy.populationSize {
        unrecordedOffset += batch.count
      } else {
        batch = solutions.lazy.filter { $0.generation == told }.prefix(strategy.populationSize).map {
          ($0.point, $0.value)
        }
      }
      guard batch.count == strategy.populationSize else { break }
      try strategy.tell(batch)
      told += 1
      guard restartsLeft > 0, Self.hasConverged(strategy, values: batch.map(\.value)) else { continue }
      // IPOP: a fresh run from a random mean with twice the population.
      restartsLeft -= 1
      restartCount += 1
      var rng = generator(seed: seed, trial: restartCount, name: "\u{0}cmaes-restart")
      let mean = center.map { _ in rng.nextUnitDouble() }
      strategy = try CMAEvolutionStrategy(
        mean: mean, sigma: sigma0, populationSize: Swift.min(strategy.populationSize * 2, Self.largestPopulation))
    }
    return (strategy, told)
  }

  /// Whether a run is done: its reach fell below 1e-12 of the cube, C's condition number
  /// passed 1e14, or a whole generation scored the same (a plateau, common once integer
  /// parameters round to one point) — Hansen's TolX, ConditionCov and TolFun, simplified.
  static func hasConverged(_ strategy: CMAEvolutionStrategy, values: [Double]) -> Bool {
    let spread = (values.max() ?? 0) - (values.min() ?? 0)
    return strategy.reach < 1e-12 || strategy.conditionNumber > 1e14
      || spread <= 1e-12 * Swift.max(1, abs(values.first ?? 0))
  }
}
