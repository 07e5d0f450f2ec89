import HoneTuning

/// The tuning budget and algorithms, shared by every candidate.
///
/// ```yaml
/// tuning:
///   trials: 30
///   timeout: 600               # seconds per candidate; null for none
///   parallelism: 2
///   earlyStoppingRounds: 20    # gbdt folds stop after 20 rounds without improvement; null for off
///   sampler: tpe               # random | grid | sobol | cmaes
///                              # {tpe: {startupTrials: 10, candidates: 24, multivariate: true, constantLiar: false,
///                              #        belowBandwidthFactor: 0.4, startupDesign: random}}
///                              #   startupDesign: random | sobol | {sobol: {scramble: owen}}
///                              # {sobol: {scramble: owen}}   # owen | digitalShift | none
///                              # {cmaes: {sigma0: 0.1667, populationSize: null, restarts: 0}}
///   pruner: none               # median | wilcoxon
///                              # {percentile: {percentile: 25, startupTrials: 5, warmupSteps: 0}}
///                              # {successiveHalving: {minResource: 1, reductionFactor: 4, minEarlyStoppingRate: 0}}
///                              # {hyperband: {minResource: 1, maxResource: 4, reductionFactor: 3}}
///                              # {wilcoxon: {pThreshold: 0.1, startupSteps: 2}}
/// ```
public struct TuningConfiguration: Codable, Sendable, Equatable {
  /// How trials pick parameters.
  public enum SamplerChoice: Codable, Sendable, Equatable {
    /// ``TPESampler`` (Bergstra et al. 2011) with its options; `constantLiar` lets parallel
    /// trials of one wave steer apart; `belowBandwidthFactor` scales the "below" density's
    /// kernel widths (`nil`: the sampler's default; 1: Optuna's estimator); `startupDesign`
    /// places the start-up trials (`nil`: the sampler's default, random draws).
    case tpe(
      startupTrials: Int, candidates: Int, multivariate: Bool, constantLiar: Bool = false,
      belowBandwidthFactor: Double? = nil, startupDesign: TPESampler.StartupDesign? = nil)
    /// ``RandomSampler``.
    case random
    /// ``GridSampler`` over the space's grid: every choice, every integer step, every step
    /// of a float with a `step`.
    case grid
    /// ``SobolSampler`` over the candidate's space (Sobol' 1967, Joe & Kuo 2008).
    case sobol(scrambling: SobolSequence.Scrambling)
    /// ``CMAESSampler`` over the numeric parameters of the candidate's space (Hansen 2016);
    /// `sigma0` on the unit cube, `populationSize` `nil` for 4 + ⌊3 ln n⌋.
    case cmaes(sigma0: Double, populationSize: Int?, restarts: Int)

    /// TPE with HoneTuning's defaults (10 start-up trials, 24 candidates, multivariate).
    public static let tpeDefault = SamplerChoice.tpe(startupTrials: 10, candidates: 24, multivariate: true)
    /// Sobol with Owen scrambling.
    public static let sobolDefault = SamplerChoice.sobol(scrambling: .owen)
    /// CMA-ES with Optuna's σ₀ = 1/6 of each range, the default population and no restarts.
    public static let cmaesDefault = SamplerChoice.cmaes(sigma0: 1.0 / 6, populationSize: nil, restarts: 0)
    /// The sampler names as a config writes them.
    public static let names = ["tpe", "random", "grid", "sobol", "cmaes"]
  }

  /// When trials stop early on bad intermediate (per-fold) scores.
  public enum PrunerChoice: Codable, Sendable, Equatable {
    /// ``NoPruner``.
    case none
    /// ``MedianPruner`` at the 50th percentile.
    case median(startupTrials: Int, warmupSteps: Int)
    /// ``MedianPruner`` at another percentile of completed trials.
    case percentile(percentile: Double, startupTrials: Int, warmupSteps: Int)
    /// ``SuccessiveHalvingPruner`` (asynchronous successive halving, Li et al. 2018).
    case successiveHalving(minResource: Int, reductionFactor: Int, minEarlyStoppingRate: Int)
    /// ``HyperbandPruner`` (Li et al. 2018) up to step `maxResource`.
    case hyperband(minResource: Int, maxResource: Int, reductionFactor: Int)
    /// ``WilcoxonPruner``: a signed-rank test of per-fold scores against the best trial's.
    case wilcoxon(pThreshold: Double, startupSteps: Int)

    /// The pruner names as a config writes them.
    public static let names = ["none", "median", "percentile", "successiveHalving", "hyperband", "wilcoxon"]

    /// The pruner this choice describes.
    ///
    /// - Parameter seed: Seeds Hyperband's assignment of trials to brackets. Default 0.
    /// - Returns: The pruner.
    /// - Throws: ``TuningError`` for options out of range (a decoded configuration has
    ///   been checked already; a value built in code may not have been).
    public func makePruner(seed: UInt64 = 0) throws -> any Pruner {
      switch self {
      case .none: return NoPruner()
      case .median(let startup, let warmup): return MedianPruner(startupTrials: startup, warmupSteps: warmup)
      case .percentile(let p, let startup, let warmup):
        return try MedianPruner(startupTrials: startup, warmupSteps: warmup, percentile: p)
      case .successiveHalving(let minResource, let factor, let rate):
        return try SuccessiveHalvingPruner(
          minResource: minResource, reductionFactor: factor, minEarlyStoppingRate: rate)
      case .hyperband(let minResource, let maxResource, let factor):
        return try HyperbandPruner(
          minResource: minResource, maxResource: maxResource, reductionFactor: factor, seed: seed)
      case .wilcoxon(let threshold, let startup):
        return try WilcoxonPruner(pThreshold: threshold, startupSteps: startup)
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
  /// Rounds without improvement after which each cross-validation fold's fit stops, for
  /// candidates that train in rounds (gbdt trees, mlp epochs); the refit then trains the
  /// best trial's mean kept rounds (``ModelTuner/earlyStoppingRounds``). Other candidates ignore it. At
  /// least 1, or `nil` for off. Default `nil`. Each fold stops on its own test rows, so the
  /// scores of the candidates it applies to lean a little optimistic against the others'
  /// (the run says so under its leaderboard).
  public var earlyStoppingRounds: Int?

  /// Creates a tuning section.
  ///
  /// - Parameters:
  ///   - trials: Trials per candidate.
  ///   - timeout: Seconds per candidate, or `nil`.
  ///   - parallelism: Trials at once.
  ///   - sampler: How trials pick parameters.
  ///   - pruner: When trials stop early.
  ///   - seed: The sampler's seed, or `nil` for the run's.
  ///   - earlyStoppingRounds: Patience of early stopping inside folds, or `nil` for off.
  public init(
    trials: Int = 50, timeout: Double? = nil, parallelism: Int = 1, sampler: SamplerChoice = .tpeDefault,
    pruner: PrunerChoice = .none, seed: UInt64? = nil, earlyStoppingRounds: Int? = nil
  ) {
    self.trials = trials
    self.timeout = timeout
    self.parallelism = parallelism
    self.sampler = sampler
    self.pruner = pruner
    self.seed = seed
    self.earlyStoppingRounds = earlyStoppingRounds
  }

  /// The sampler for one candidate's study.
  ///
  /// - Parameters:
  ///   - space: The candidate's searched distributions (a grid sampler enumerates them).
  ///   - runSeed: The run's seed, used when ``seed`` is `nil`.
  /// - Returns: The sampler.
  /// - Throws: ``TuningError`` for a grid over a float range without a step, or from
  ///   ``GridSampler`` and ``CMAESSampler`` for options out of range.
  public func makeSampler(space: [String: Distribution], runSeed: UInt64) throws -> any Sampler {
    let seed = self.seed ?? runSeed
    switch sampler {
    case .tpe(let startup, let candidates, let multivariate, let liar, let factor, let design):
      let design = design ?? TPESampler.defaultStartupDesign
      guard let factor else {
        return TPESampler(
          seed: seed, startupTrials: startup, candidates: candidates, multivariate: multivariate, constantLiar: liar,
          startupDesign: design)
      }
      return try TPESampler(
        seed: seed, startupTrials: startup, candidates: candidates, multivariate: multivariate, constantLiar: liar,
        belowBandwidthFactor: factor, startupDesign: design)
    case .random:
      return RandomSampler(seed: seed)
    case .sobol(let scrambling):
      return SobolSampler(seed: seed, scrambling: scrambling, space: space)
    case .cmaes(let sigma0, let populationSize, let restarts):
      return try CMAESSampler(
        seed: seed, sigma0: sigma0, populationSize: populationSize, restarts: restarts, space: space)
    case .grid:
      var grid: [String: [ParameterValue]] = [:]
      for (name, distribution) in space { grid[name] = try distribution.gridPoints(name: name) }
      return try GridSampler(grid, seed: seed)
    }
  }

}
