import HoneCore

/// Quasi-random search: trial `i` takes point `i` of a ``SobolSequence`` over the search
/// space, each coordinate mapped through its distribution's internal (linear or log)
/// scale and snapped to its grid — so the trials cover the space far more evenly than
/// independent draws (Sobol' 1967; Bergstra & Bengio 2012 on low-discrepancy search).
///
/// The search space is ``space`` when given (a configuration's declared space, sampled
/// from the first trial on); otherwise the space of the study's first finished trial,
/// which is itself sampled at random, as Optuna's `QMCSampler` learns it. Dimensions
/// follow the sorted parameter names. Parameters outside the space (conditional ones) and
/// dimensions beyond ``SobolSequence/maximumDimensions`` are drawn at random.
///
/// The point index is the trial's sampling index, so a resumed or parallel study
/// reproduces the same points.
public struct SobolSampler: Sampler {
  /// The seed of the scrambling and of the random fallback.
  public let seed: UInt64
  /// How the sequence is randomised. Default ``SobolSequence/Scrambling/owen``.
  public let scrambling: SobolSequence.Scrambling
  /// The declared search space, or `nil` to learn it from the first finished trial.
  public let space: [String: Distribution]?
  /// ``space``: a trial refuses to suggest one of its names with another distribution.
  public var declaredSpace: [String: Distribution]? { space }
  private let fallback: RandomSampler

  /// Creates a sampler.
  ///
  /// - Parameters:
  ///   - seed: Seeds the scrambling and the random fallback.
  ///   - scrambling: The randomisation of the sequence.
  ///   - space: The search space, or `nil` to learn it from the first finished trial.
  public init(seed: UInt64 = 0, scrambling: SobolSequence.Scrambling = .owen, space: [String: Distribution]? = nil) {
    self.seed = seed
    self.scrambling = scrambling
    self.space = space
    fallback = RandomSampler(seed: seed)
  }

  /// Point `trial` of the sequence over the search space.
  ///
  /// - Parameters:
  ///   - trial: The trial's sampling index: the point to take.
  ///   - history: The study's trials, to learn the space from when none was declared.
  ///   - direction: Unused: the sequence ignores values.
  /// - Returns: A value for every parameter of the space.
  public func sampleJointly(trial: Int, history: [FrozenTrial], direction: Direction)
    -> [String: (Distribution, ParameterValue)]
  {
    let space = self.space ?? learnedSearchSpace(history)
    let names = space.keys.sorted()
    let count = Swift.min(names.count, SobolSequence.maximumDimensions)
    guard count > 0, let sequence = try? SobolSequence(dimensions: count, scrambling: scrambling, seed: seed)
    else { return [:] }
    let point = sequence.point(trial)
    var out: [String: (Distribution, ParameterValue)] = [:]
    for (k, name) in names.prefix(count).enumerated() {
      guard let distribution = space[name] else { continue }
      out[name] = (distribution, distribution.value(atUnit: point[k]))
    }
    return out
  }

  /// A random value, for parameters outside the sequence's space.
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
}

/// The search space of the study's first complete or pruned trial (lowest number, with at
/// least one parameter): what a sampler without a declared space models, as Optuna's
/// `QMCSampler` and `CmaEsSampler` fix it after their first trial. A failed trial does
/// not count: it may have stopped before suggesting every parameter.
func learnedSearchSpace(_ history: [FrozenTrial]) -> [String: Distribution] {
  history.filter { ($0.state == .complete || $0.state == .pruned) && !$0.distributions.isEmpty }
    .min { $0.number < $1.number }?.distributions ?? [:]
}
