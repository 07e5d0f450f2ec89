import HoneTuning

/// The tuning budget and algorithms, shared by every candidate.
///
/// ```yaml
/// tuning:
///   trials: 30
///   timeout: 600               # seconds per candidate; null for none
///   parallelism: 2
///   sampler: tpe               # random | grid | {tpe: {startupTrials: 10, candidates: 24, multivariate: true}}
///   pruner: none               # median | {percentile: {percentile: 25, startupTrials: 5, warmupSteps: 0}}
/// ```
public struct TuningConfiguration: Codable, Sendable, Equatable {
  /// How trials pick parameters.
  public enum SamplerChoice: Codable, Sendable, Equatable {
    /// ``TPESampler`` (Bergstra et al. 2011) with its options.
    case tpe(startupTrials: Int, candidates: Int, multivariate: Bool)
    /// ``RandomSampler``.
    case random
    /// ``GridSampler`` over the space's grid: every choice, every integer step, every step
    /// of a float with a `step`.
    case grid

    /// TPE with HoneTuning's defaults (10 start-up trials, 24 candidates, multivariate).
    public static let tpeDefault = SamplerChoice.tpe(startupTrials: 10, candidates: 24, multivariate: true)
    /// The sampler names as a config writes them.
    public static let names = ["tpe", "random", "grid"]
  }

  /// When trials stop early on bad intermediate (per-fold) scores.
  public enum PrunerChoice: Codable, Sendable, Equatable {
    /// ``NoPruner``.
    case none
    /// ``MedianPruner`` at the 50th percentile.
    case median(startupTrials: Int, warmupSteps: Int)
    /// ``MedianPruner`` at another percentile of finished trials.
    case percentile(percentile: Double, startupTrials: Int, warmupSteps: Int)

    /// The pruner names as a config writes them.
    public static let names = ["none", "median", "percentile"]

    /// The pruner this choice describes.
    public func makePruner() -> any Pruner {
      switch self {
      case .none: NoPruner()
      case .median(let startup, let warmup): MedianPruner(startupTrials: startup, warmupSteps: warmup)
      case .percentile(let p, let startup, let warmup):
        MedianPruner(startupTrials: startup, warmupSteps: warmup, percentile: p)
      }
    }
  }

  /// Trials per candidate, at least 1. Default 50.
  public var trials: Int
  /// Seconds per candidate after which no new trial starts, or `nil` for none. Default `nil`.
  public var timeout: Double?
  /// Trials run at once, at least 1. Default 1.
  public var parallelism: Int
  /// How trials pick parameters. Default TPE with its defaults.
  public var sampler: SamplerChoice
  /// When trials stop early. Default ``PrunerChoice/none``.
  public var pruner: PrunerChoice
  /// The sampler's seed, or `nil` for the run's seed. Default `nil`.
  public var seed: UInt64?

  /// Creates a tuning section.
  ///
  /// - Parameters:
  ///   - trials: Trials per candidate.
  ///   - timeout: Seconds per candidate, or `nil`.
  ///   - parallelism: Trials at once.
  ///   - sampler: How trials pick parameters.
  ///   - pruner: When trials stop early.
  ///   - seed: The sampler's seed, or `nil` for the run's.
  public init(
    trials: Int = 50, timeout: Double? = nil, parallelism: Int = 1, sampler: SamplerChoice = .tpeDefault,
    pruner: PrunerChoice = .none, seed: UInt64? = nil
  ) {
    self.trials = trials
    self.timeout = timeout
    self.parallelism = parallelism
    self.sampler = sampler
    self.pruner = pruner
    self.seed = seed
  }

  /// The sampler for one candidate's study.
  ///
  /// - Parameters:
  ///   - space: The candidate's searched distributions (a grid sampler enumerates them).
  ///   - runSeed: The run's seed, used when ``seed`` is `nil`.
  /// - Returns: The sampler.
  /// - Throws: ``TuningError`` for a grid over a float range without a step, or from
  ///   ``GridSampler``.
  public func makeSampler(space: [String: Distribution], runSeed: UInt64) throws -> any Sampler {
    let seed = self.seed ?? runSeed
    switch sampler {
    case .tpe(let startup, let candidates, let multivariate):
      return TPESampler(seed: seed, startupTrials: startup, candidates: candidates, multivariate: multivariate)
    case .random:
      return RandomSampler(seed: seed)
    case .grid:
      var grid: [String: [ParameterValue]] = [:]
      for (name, distribution) in space { grid[name] = try Self.gridPoints(of: distribution, name: name) }
      return try GridSampler(grid, seed: seed)
    }
  }

  private static func gridPoints(of distribution: Distribution, name: String) throws -> [ParameterValue] {
    switch distribution {
    case .categorical(let choices): return choices.map { .string($0) }
    case .int(let low, let high, _, let step): return stride(from: low, through: high, by: step).map { .int($0) }
    case .float(let low, let high, _, let step):
      guard let step else {
        throw TuningError("`\(name)`: a grid search needs a step on a float range; add `step:` or use a choice")
      }
      let count = Int(((high - low) / step + 1e-9).rounded(.down))
      return (0...count).map { .double(low + Double($0) * step) }
    }
  }
}
