import HoneCore

/// Chooses hyperparameter values for a trial, one parameter at a time (define-by-run).
///
/// Samplers are deterministic functions of their seed, the trial number, the parameter
/// name and the history they are given, so a seeded study reproduces exactly — also with
/// parallel trials, whose history is frozen when each trial is asked for.
///
/// The history holds the study's other trials in every state: a sampler that learns from
/// values filters on ``FrozenTrial/state`` (running trials have none; a constant liar
/// gives them one).
public protocol Sampler: Sendable {
  /// A value for parameter `name` of trial `trial`.
  ///
  /// - Parameters:
  ///   - name: The parameter.
  ///   - distribution: Its (validated) distribution.
  ///   - trial: The trial's sampling index (its number, less earlier trials that died
  ///     with their process), which seeds its randomness.
  ///   - history: The trials this trial may learn from.
  ///   - direction: Whether smaller or larger objective values are better.
  func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue

  /// Values for several parameters at once, chosen jointly before the trial's first
  /// suggestion (multivariate samplers); the trial takes a parameter's value from here
  /// when its name and distribution match. The default chooses none.
  func sampleJointly(trial: Int, history: [FrozenTrial], direction: Direction) -> [String: (
    Distribution, ParameterValue
  )]

  /// User attributes to record on trial `trial` when it is asked for, from the history
  /// its joint choices come from — what a stateless sampler needs to know later about
  /// how the trial was drawn (``CMAESSampler``: the generation). The default records none.
  func trialAttributes(trial: Int, history: [FrozenTrial], direction: Direction) -> [String: String]

  /// The search space the sampler was given, if any. A trial refuses to suggest one of
  /// its names with another distribution: the sampler could not model the parameter and
  /// would draw it at random for the whole study without a word. The default is `nil`.
  var declaredSpace: [String: Distribution]? { get }
}

extension Sampler {
  /// No joint choices: every parameter is sampled on its own.
  public func sampleJointly(trial: Int, history: [FrozenTrial], direction: Direction)
    -> [String: (Distribution, ParameterValue)]
  { [:] }

  /// No attributes.
  public func trialAttributes(trial: Int, history: [FrozenTrial], direction: Direction) -> [String: String] { [:] }

  /// No declared space.
  public var declaredSpace: [String: Distribution]? { nil }
}

/// A generator seeded by the study seed, the trial number and the parameter name, with
/// a name hash (FNV-1a) that is the same in every process — Swift's `Hasher` is not.
func generator(seed: UInt64, trial: Int, name: String) -> Xoshiro256StarStar {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in name.utf8 {
    hash ^= UInt64(byte)
    hash = hash &* 0x0000_0100_0000_01B3
  }
  var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: trial) &* 0x9E37_79B9_7F4A_7C15))
  return Xoshiro256StarStar(seed: mixer.next() ^ hash)
}

/// Independent uniform sampling on each distribution's scale (log scales uniform in the
/// logarithm).
public struct RandomSampler: Sampler {
  /// The seed.
  public let seed: UInt64

  /// Creates a sampler.
  public init(seed: UInt64 = 0) { self.seed = seed }

  /// A uniform draw.
  public func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue {
    var rng = generator(seed: seed, trial: trial, name: name)
    return distribution.value(atUnit: rng.nextUnitDouble())
  }
}

/// Every combination of a grid, in order: trial `k` takes combination `k` (cycling when
/// there are more trials than combinations). Parameters not in the grid are sampled at
/// random. A listed value outside the distribution the objective suggests fails that
/// trial with an error naming both (an integer for a real parameter is taken as that real).
public struct GridSampler: Sampler {
  /// The values of each parameter.
  public let grid: [String: [ParameterValue]]
  private let names: [String]
  private let fallback: RandomSampler

  /// Creates a grid sampler.
  ///
  /// - Throws: ``TuningError`` for a parameter with no values, or more combinations than
  ///   an `Int` counts.
  public init(_ grid: [String: [ParameterValue]], seed: UInt64 = 0) throws {
    var combinations = 1
    for name in grid.keys.sorted() {
      let count = grid[name]?.count ?? 0
      guard count > 0 else { throw TuningError("grid parameter `\(name)` has no values") }
      let (product, overflow) = combinations.multipliedReportingOverflow(by: count)
      guard !overflow else {
        throw TuningError(
          "the grid has more combinations than can be counted; search fewer values or use another sampler")
      }
      combinations = product
    }
    self.grid = grid
    names = grid.keys.sorted()
    fallback = RandomSampler(seed: seed)
  }

  /// The number of combinations.
  public var combinationCount: Int { names.reduce(1) { $0 * (grid[$1]?.count ?? 1) } }

  /// Combination `trial mod combinationCount`'s value of `name`.
  public func sample(
    _ name: String, _ distribution: Distribution, trial: Int, history: [FrozenTrial], direction: Direction
  ) -> ParameterValue {
    guard let values = grid[name], let position = names.firstIndex(of: name) else {
      return fallback.sample(name, distribution, trial: trial, history: history, direction: direction)
    }
    // Mixed-radix digits of the combination index, last name fastest.
    var index = trial % combinationCount
    for later in names[(position + 1)...] { index /= grid[later]?.count ?? 1 }
    return values[index % values.count]
  }
}
