import Foundation
import HoneLinearAlgebra

/// The sample statistics of a return series that the probabilistic and deflated Sharpe
/// ratios need.
public struct SharpeRatioStatistics: Sendable, Equatable, Codable {
  /// The per-period (not annualised) Sharpe ratio, `mean / sd` with the sample standard
  /// deviation (divisor n − 1).
  public let sharpeRatio: Double

  /// The number of returns, n.
  public let observations: Int

  /// The skewness γ₃ = m₃ / m₂^{3/2} from central moments with divisor n (the paper's
  /// sample moments; scipy's `skew(bias=True)`).
  public let skewness: Double

  /// The (non-excess) kurtosis γ₄ = m₄ / m₂², 3 for a normal distribution (scipy's
  /// `kurtosis(fisher=False, bias=True)`).
  public let kurtosis: Double

  /// Creates the statistics from known values, for worked examples and published numbers.
  ///
  /// - Parameters:
  ///   - sharpeRatio: The per-period Sharpe ratio.
  ///   - observations: The number of returns; at least 2.
  ///   - skewness: γ₃.
  ///   - kurtosis: γ₄ (normal = 3).
  /// - Throws: ``MetricError`` for non-finite values or fewer than 2 observations.
  public init(sharpeRatio: Double, observations: Int, skewness: Double, kurtosis: Double) throws {
    let metric = "SharpeRatioStatistics"
    try MetricValidation.requireFinite(
      [sharpeRatio, skewness, kurtosis], "[sharpeRatio, skewness, kurtosis]", metric: metric)
    guard observations >= 2 else {
      throw MetricError(.insufficientData, "\(metric): observations is \(observations); pass at least 2.")
    }
    self.sharpeRatio = sharpeRatio
    self.observations = observations
    self.skewness = skewness
    self.kurtosis = kurtosis
  }

  /// Computes the statistics of a return series.
  ///
  /// - Parameter returns: Per-period returns (excess returns if a risk-free rate matters).
  /// - Throws: ``MetricError`` for fewer than two or non-finite returns, or constant returns.
  /// - Complexity: O(n).
  public init(returns: [Double]) throws {
    let metric = "SharpeRatioStatistics"
    guard returns.count >= 2 else {
      throw MetricError(.insufficientData, "\(metric): \(returns.count) return(s); pass at least 2.")
    }
    try MetricValidation.requireFinite(returns, "returns", metric: metric)
    let count = Double(returns.count)
    let mean = returns.reduce(0, +) / count
    var m2 = 0.0
    var m3 = 0.0
    var m4 = 0.0
    for r in returns {
      let d = r - mean
      m2 += d * d
      m3 += d * d * d
      m4 += d * d * d * d
    }
    // Tested exactly, not by m₂ > 0: the rounded mean of equal values can be an ulp off.
    guard !TradingMetrics.isConstant(returns) else {
      throw MetricError(.undefined, "\(metric): the returns are constant; the Sharpe ratio is undefined.")
    }
    let sampleVariance = m2 / (count - 1)
    m2 /= count
    m3 /= count
    m4 /= count
    try self.init(
      sharpeRatio: mean / sampleVariance.squareRoot(), observations: returns.count,
      skewness: m3 / (m2 * m2.squareRoot()), kurtosis: m4 / (m2 * m2))
  }
}

/// What CSCV ranks trials by within each half of the sample.
public enum CSCVPerformance: String, Sendable, Hashable, Codable, CaseIterable {
  /// The per-period Sharpe ratio, `mean / sd` (sample deviation), as in the paper.
  case sharpeRatio
  /// The mean return.
  case meanReturn
}

/// The result of combinatorially symmetric cross-validation (CSCV).
public struct BacktestOverfitting: Sendable, Equatable, Codable {
  /// The probability of backtest overfitting: the fraction of combinations whose logit is
  /// at most 0, that is whose in-sample best trial ranks at or below the out-of-sample
  /// median.
  public let probability: Double

  /// The logit λ_c = ln(ω̄_c / (1 − ω̄_c)) for each combination c, in the order of
  /// ``combinations``.
  public let logits: [Double]

  /// The relative out-of-sample rank ω̄_c = rank / (N + 1) of the in-sample best trial, with
  /// ranks 1...N ascending and ties at their average rank.
  public let relativeRanks: [Double]

  /// The trial (column) with the best in-sample performance in each combination; ties go
  /// to the lowest index.
  public let selectedTrials: [Int]

  /// The in-sample blocks of each combination, ascending, in lexicographic order (that of
  /// Python's `itertools.combinations(range(S), S // 2)`); the out-of-sample half is the
  /// complement.
  public let combinations: [[Int]]
}

/// Statistics that correct a backtest for selection bias and non-normal returns (Bailey &
/// López de Prado 2012, 2014; Bailey, Borwein, López de Prado & Zhu 2017).
public enum OverfittingStatistics {
  /// The Euler–Mascheroni constant γ, in the expected maximum of Gaussian Sharpe ratios.
  static let eulerMascheroni = 0.577_215_664_901_532_9

  /// The largest supported CSCV block count: C(24, 12) = 2,704,156 combinations.
  public static let maximumBlockCount = 24

  /// The probabilistic Sharpe ratio (Bailey & López de Prado 2012, "The Sharpe ratio
  /// efficient frontier", *Journal of Risk* 15(2), eq. 11): the probability that the true
  /// Sharpe ratio exceeds `benchmarkSharpeRatio`, given the estimate's sampling error under
  /// skewed, fat-tailed returns,
  ///
  ///     PSR(SR*) = Φ( (SR − SR*) √(n − 1) / √(1 − γ₃ SR + (γ₄ − 1)/4 · SR²) ).
  ///
  /// - Parameters:
  ///   - statistics: The per-period Sharpe ratio, observations, skewness and kurtosis.
  ///   - benchmarkSharpeRatio: SR*, per period (not annualised); 0 by default.
  /// - Returns: A probability in [0, 1].
  /// - Throws: ``MetricError`` for a non-finite benchmark, or moments that make the
  ///   variance term non-positive (impossible for real data, since γ₄ ≥ 1 + γ₃²).
  /// - Complexity: O(1).
  public static func probabilisticSharpeRatio(
    _ statistics: SharpeRatioStatistics, benchmarkSharpeRatio: Double = 0
  ) throws -> Double {
    let metric = "probabilisticSharpeRatio"
    guard benchmarkSharpeRatio.isFinite else {
      throw MetricError(.nonFiniteValue, "\(metric): benchmarkSharpeRatio is \(benchmarkSharpeRatio); pass a number.")
    }
    let sr = statistics.sharpeRatio
    let variance = 1 - statistics.skewness * sr + (statistics.kurtosis - 1) / 4 * sr * sr
    guard variance > 0 else {
      throw MetricError(
        .undefined,
        "\(metric): 1 − γ₃·SR + (γ₄ − 1)/4·SR² is \(variance) for SR \(sr), skewness \(statistics.skewness), "
          + "kurtosis \(statistics.kurtosis); check that kurtosis is the non-excess value (3 for normal).")
    }
    let z = (sr - benchmarkSharpeRatio) * Double(statistics.observations - 1).squareRoot() / variance.squareRoot()
    return NormalDistribution.cdf(z)
  }

  /// The probabilistic Sharpe ratio of a return series.
  ///
  /// - Parameters:
  ///   - returns: Per-period returns.
  ///   - benchmarkSharpeRatio: SR*, per period; 0 by default.
  /// - Returns: A probability in [0, 1].
  /// - Throws: ``MetricError`` as ``SharpeRatioStatistics/init(returns:)`` and
  ///   the ``SharpeRatioStatistics`` overload of `probabilisticSharpeRatio`.
  /// - Complexity: O(n).
  public static func probabilisticSharpeRatio(_ returns: [Double], benchmarkSharpeRatio: Double = 0) throws -> Double {
    try probabilisticSharpeRatio(SharpeRatioStatistics(returns: returns), benchmarkSharpeRatio: benchmarkSharpeRatio)
  }

  /// The expected maximum of N Sharpe ratios whose true value is zero (Bailey & López de
  /// Prado 2014, "The deflated Sharpe ratio", *Journal of Portfolio Management* 40(5),
  /// eq. 2, from the false strategy theorem):
  ///
  ///     E[max SR] ≈ √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))),
  ///
  /// with γ the Euler–Mascheroni constant and V the variance of the trials' Sharpe ratios.
  ///
  /// - Parameters:
  ///   - trials: N, the number of independent trials; at least 2.
  ///   - sharpeRatioVariance: V, in the squared units of the Sharpe ratios (per period for
  ///     the DSR).
  /// - Returns: The expected maximum Sharpe ratio, in the units of √V.
  /// - Throws: ``MetricError`` for fewer than 2 trials or a negative or non-finite variance.
  /// - Complexity: O(1).
  public static func expectedMaximumSharpeRatio(trials: Int, sharpeRatioVariance: Double) throws -> Double {
    let metric = "expectedMaximumSharpeRatio"
    guard trials >= 2 else {
      throw MetricError(
        .invalidParameter, "\(metric): trials is \(trials); the selection correction needs at least 2 trials.")
    }
    guard sharpeRatioVariance.isFinite && sharpeRatioVariance >= 0 else {
      throw MetricError(
        .invalidParameter, "\(metric): sharpeRatioVariance is \(sharpeRatioVariance); pass a finite value ≥ 0.")
    }
    let n = Double(trials)
    let gamma = eulerMascheroni
    let z =
      (1 - gamma) * NormalDistribution.quantile(1 - 1 / n) + gamma * NormalDistribution.quantile(1 - 1 / (n * M_E))
    return sharpeRatioVariance.squareRoot() * z
  }

  /// The deflated Sharpe ratio (Bailey & López de Prado 2014): the probabilistic Sharpe
  /// ratio against the Sharpe ratio the best of N worthless trials would be expected to
  /// reach, `DSR = PSR(E[max SR])`.
  ///
  /// - Parameters:
  ///   - statistics: The selected strategy's per-period statistics.
  ///   - trials: N, the number of independent trials tried; at least 2.
  ///   - sharpeRatioVariance: The variance of the trials' per-period Sharpe ratios.
  /// - Returns: A probability in [0, 1].
  /// - Throws: ``MetricError`` as ``expectedMaximumSharpeRatio(trials:sharpeRatioVariance:)``
  ///   and the ``SharpeRatioStatistics`` overload of `probabilisticSharpeRatio`.
  /// - Complexity: O(1).
  public static func deflatedSharpeRatio(
    _ statistics: SharpeRatioStatistics, trials: Int, sharpeRatioVariance: Double
  ) throws -> Double {
    let benchmark = try expectedMaximumSharpeRatio(trials: trials, sharpeRatioVariance: sharpeRatioVariance)
    return try probabilisticSharpeRatio(statistics, benchmarkSharpeRatio: benchmark)
  }

  /// The deflated Sharpe ratio of a return series.
  ///
  /// - Parameters:
  ///   - returns: The selected strategy's per-period returns.
  ///   - trials: N, the number of independent trials tried; at least 2.
  ///   - sharpeRatioVariance: The variance of the trials' per-period Sharpe ratios.
  /// - Returns: A probability in [0, 1].
  /// - Throws: ``MetricError`` as the ``SharpeRatioStatistics`` overload of `deflatedSharpeRatio`.
  /// - Complexity: O(n).
  public static func deflatedSharpeRatio(_ returns: [Double], trials: Int, sharpeRatioVariance: Double) throws -> Double
  {
    try deflatedSharpeRatio(
      SharpeRatioStatistics(returns: returns), trials: trials, sharpeRatioVariance: sharpeRatioVariance)
  }

  /// The deflated Sharpe ratio of a return series, with N and V taken from the per-period
  /// Sharpe ratios of every trial (N = their count, V = their sample variance, divisor
  /// N − 1).
  ///
  /// - Parameters:
  ///   - returns: The selected strategy's per-period returns.
  ///   - trialSharpeRatios: The per-period Sharpe ratio of every trial, the selected one
  ///     included.
  /// - Returns: A probability in [0, 1].
  /// - Throws: ``MetricError`` for fewer than two or non-finite trial Sharpe ratios, and as
  ///   the ``SharpeRatioStatistics`` overload of `deflatedSharpeRatio`.
  /// - Complexity: O(n + N).
  public static func deflatedSharpeRatio(_ returns: [Double], trialSharpeRatios: [Double]) throws -> Double {
    let metric = "deflatedSharpeRatio"
    guard trialSharpeRatios.count >= 2 else {
      throw MetricError(
        .insufficientData,
        "\(metric): \(trialSharpeRatios.count) trial Sharpe ratio(s); pass every trial's, at least 2.")
    }
    try MetricValidation.requireFinite(trialSharpeRatios, "trialSharpeRatios", metric: metric)
    let variance = TradingMetrics.standardDeviation(trialSharpeRatios)
    return try deflatedSharpeRatio(
      SharpeRatioStatistics(returns: returns), trials: trialSharpeRatios.count,
      sharpeRatioVariance: variance * variance)
  }

  /// The probability of backtest overfitting by combinatorially symmetric cross-validation
  /// (Bailey, Borwein, López de Prado & Zhu 2017, "The probability of backtest
  /// overfitting", *Journal of Computational Finance* 20(4)).
  ///
  /// The T rows are cut into S contiguous blocks (sizes differ by at most one, the first
  /// `T mod S` blocks one row longer, as NumPy's `array_split`). For each of the C(S, S/2)
  /// ways to choose S/2 blocks as the in-sample half (rows kept in time order), the trial
  /// with the best in-sample performance is found, its out-of-sample rank ω̄ among the N
  /// trials is taken, and its logit λ = ln(ω̄ / (1 − ω̄)) recorded. PBO is the fraction of
  /// combinations with λ ≤ 0.
  ///
  /// - Parameters:
  ///   - trialReturns: A T × N matrix: one row per period, one column per trial
  ///     (strategy configuration).
  ///   - blockCount: S, even, between 2 and ``maximumBlockCount``; 16 by default, as in the
  ///     paper.
  ///   - performance: How trials are ranked in each half; the Sharpe ratio by default.
  /// - Returns: PBO, the logits and, per combination, the selected trial and its rank.
  /// - Throws: ``MetricError`` for an odd or out-of-range S, fewer than 2 trials, too few
  ///   rows for every half to hold two, non-finite returns, or a trial whose returns are
  ///   constant within a half (Sharpe ratio undefined).
  /// - Complexity: O(T N + C(S, S/2) · N · S): each half's statistics are merged from
  ///   per-block means and centred sums of squares rather than recomputed from the rows.
  public static func probabilityOfBacktestOverfitting(
    trialReturns: Matrix, blockCount: Int = 16, performance: CSCVPerformance = .sharpeRatio
  ) throws -> BacktestOverfitting {
    let metric = "probabilityOfBacktestOverfitting"
    let rows = trialReturns.rows
    let trials = trialReturns.columns
    guard blockCount >= 2, blockCount.isMultiple(of: 2), blockCount <= maximumBlockCount else {
      throw MetricError(
        .invalidParameter,
        "\(metric): blockCount is \(blockCount); CSCV splits the sample into two equal halves of blocks, so it "
          + "must be even, from 2 to \(maximumBlockCount) (16 is customary).")
    }
    guard trials >= 2 else {
      throw MetricError(
        .insufficientData, "\(metric): \(trials) trial(s); ranking the selected trial needs at least 2 columns.")
    }
    // The smallest half is S/2 blocks of ⌊T/S⌋ rows; a sample standard deviation needs 2.
    let smallestHalf = blockCount / 2 * (rows / blockCount)
    guard smallestHalf >= 2 else {
      let minimumRows = blockCount * ((4 + blockCount - 1) / blockCount)
      throw MetricError(
        .insufficientData,
        "\(metric): \(rows) rows in \(blockCount) blocks leave \(smallestHalf) row(s) in the smallest half; "
          + "pass at least \(minimumRows) rows or fewer blocks.")
    }
    try MetricValidation.requireFinite(trialReturns, "trialReturns", metric: metric)

    let blocks = blockSummaries(trialReturns, blockCount: blockCount)
    let half = blockCount / 2
    var combination = Array(0..<half)
    var combinations: [[Int]] = []
    var logits: [Double] = []
    var relativeRanks: [Double] = []
    var selected: [Int] = []
    var inSample = Array(repeating: 0.0, count: trials)
    var outOfSample = Array(repeating: 0.0, count: trials)
    while true {
      let complement = (0..<blockCount).filter { !combination.contains($0) }
      for trial in 0..<trials {
        inSample[trial] = try score(
          merge(blocks[trial], combination), performance: performance, trial: trial, combination: combination)
        outOfSample[trial] = try score(
          merge(blocks[trial], complement), performance: performance, trial: trial, combination: combination)
      }
      // The first maximum, as NumPy's argmax.
      var best = 0
      for trial in 1..<trials where inSample[trial] > inSample[best] { best = trial }
      let value = outOfSample[best]
      let below = outOfSample.filter { $0 < value }.count
      let tied = outOfSample.filter { $0 == value }.count
      let rank = Double(below) + Double(tied + 1) / 2
      let omega = rank / Double(trials + 1)
      combinations.append(combination)
      selected.append(best)
      relativeRanks.append(omega)
      logits.append(log(omega / (1 - omega)))
      guard advance(&combination, upperBound: blockCount) else { break }
    }
    let overfit = logits.filter { $0 <= 0 }.count
    return BacktestOverfitting(
      probability: Double(overfit) / Double(logits.count), logits: logits, relativeRanks: relativeRanks,
      selectedTrials: selected, combinations: combinations)
  }

  // MARK: - CSCV helpers

  /// Count, mean and centred sum of squares of one trial over a set of rows.
  private struct Moments {
    var count: Double
    var mean: Double
    var sumOfSquares: Double
    // The extremes say exactly whether the rows are constant; a rounded mean of equal
    // values can leave a tiny positive sum of squares.
    var minimum: Double
    var maximum: Double
  }

  /// Per-trial, per-block moments, computed once from the rows.
  private static func blockSummaries(_ returns: Matrix, blockCount: Int) -> [[Moments]] {
    let base = returns.rows / blockCount
    let longer = returns.rows % blockCount
    var starts = [0]
    for block in 0..<blockCount { starts.append(starts[block] + base + (block < longer ? 1 : 0)) }
    return (0..<returns.columns).map { trial in
      (0..<blockCount).map { block in
        let range = starts[block]..<starts[block + 1]
        let count = Double(range.count)
        let mean = range.reduce(0) { $0 + returns[$1, trial] } / count
        let sumOfSquares = range.reduce(0) { $0 + (returns[$1, trial] - mean) * (returns[$1, trial] - mean) }
        let values = range.map { returns[$0, trial] }
        return Moments(
          count: count, mean: mean, sumOfSquares: sumOfSquares, minimum: values.min() ?? mean,
          maximum: values.max() ?? mean)
      }
    }
  }

  /// Merges block moments with Chan, Golub & LeVeque's (1979) pairwise update, which stays
  /// accurate where raw sums of squares would cancel.
  private static func merge(_ blocks: [Moments], _ chosen: [Int]) -> Moments {
    var total = Moments(count: 0, mean: 0, sumOfSquares: 0, minimum: .infinity, maximum: -.infinity)
    for index in chosen {
      let block = blocks[index]
      let count = total.count + block.count
      let delta = block.mean - total.mean
      total.sumOfSquares += block.sumOfSquares + delta * delta * total.count * block.count / count
      total.mean += delta * block.count / count
      total.count = count
      total.minimum = min(total.minimum, block.minimum)
      total.maximum = max(total.maximum, block.maximum)
    }
    return total
  }

  private static func score(
    _ moments: Moments, performance: CSCVPerformance, trial: Int, combination: [Int]
  ) throws -> Double {
    switch performance {
    case .meanReturn:
      return moments.mean
    case .sharpeRatio:
      guard moments.minimum < moments.maximum else {
        throw MetricError(
          .undefined,
          "probabilityOfBacktestOverfitting: trial \(trial) has constant returns in a half of combination "
            + "\(combination), so its Sharpe ratio is undefined; drop constant trials or use performance "
            + "meanReturn.")
      }
      return moments.mean / (moments.sumOfSquares / (moments.count - 1)).squareRoot()
    }
  }

  /// Steps to the next S/2-subset in lexicographic order; `false` after the last.
  private static func advance(_ combination: inout [Int], upperBound: Int) -> Bool {
    let k = combination.count
    var position = k - 1
    while position >= 0 && combination[position] == upperBound - k + position { position -= 1 }
    guard position >= 0 else { return false }
    combination[position] += 1
    for next in (position + 1)..<k { combination[next] = combination[next - 1] + 1 }
    return true
  }
}
