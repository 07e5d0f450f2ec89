import Foundation
import HoneLinearAlgebra
import Testing

@testable import HonePipeline

/// PSR, DSR and PBO against the published formulas (Bailey & López de Prado 2012, 2014;
/// Bailey, Borwein, López de Prado & Zhu 2017): intermediate values from SciPy, the DSR
/// paper's numerical example, hand-worked numbers, and CSCV by direct enumeration.
@Suite("Overfitting statistics")
struct OverfittingMetricsTests {
  /// Hand-worked PSR. Choose SR = 0.2, n = 101, γ₃ = 0.2, γ₄ = 5, so the variance term is
  /// 1 − 0.2·0.2 + (5 − 1)/4 · 0.04 = 1 − 0.04 + 0.04 = 1 and z = (SR − SR*) · √100.
  /// Against SR* = 0: z = 2, PSR = Φ(2) = 0.97724986805182; against SR* = 0.1: z = 1,
  /// PSR = Φ(1) = 0.84134474606854 (standard normal table values).
  @Test func handWorkedProbabilisticSharpeRatio() throws {
    let statistics = try SharpeRatioStatistics(sharpeRatio: 0.2, observations: 101, skewness: 0.2, kurtosis: 5)
    // z is 2 or 1 up to a rounding in 0.2 − 0.1 and the products; Φ' ≤ 0.4, so 1e-14.
    #expect(abs(try OverfittingStatistics.probabilisticSharpeRatio(statistics) - 0.977_249_868_051_82) < 1e-14)
    #expect(
      abs(
        try OverfittingStatistics.probabilisticSharpeRatio(statistics, benchmarkSharpeRatio: 0.1) - 0.841_344_746_068_54
      )
        < 1e-14)
  }

  /// Bailey & López de Prado (2014), "A numerical example": SR 2.5 a year over 1250 days
  /// (250 a year), γ₃ = −3, γ₄ = 10, N = 100 trials with Sharpe variance ½ a year. The
  /// paper prints E[max SR] ≈ 0.1132 and DSR ≈ 0.9004, rounded to 4 decimals, so they
  /// agree within 5e-5; SciPy's unrounded values agree to 1e-12.
  @Test func deflatedSharpeRatioPaperExample() throws {
    let reference = try #require(try MetricFixtures.load().sharpe.first { $0.name == "paper_example" })
    let statistics = try SharpeRatioStatistics(
      sharpeRatio: 2.5 / 250.0.squareRoot(), observations: 1250, skewness: -3, kurtosis: 10)
    let expectedMaximum = try OverfittingStatistics.expectedMaximumSharpeRatio(
      trials: 100, sharpeRatioVariance: 0.5 / 250)
    let dsr = try OverfittingStatistics.deflatedSharpeRatio(statistics, trials: 100, sharpeRatioVariance: 0.5 / 250)
    #expect(abs(expectedMaximum - 0.1132) < 5e-5)
    #expect(abs(dsr - 0.9004) < 5e-5)
    #expect(isClose(expectedMaximum, reference.expected_maximum, tolerance: 1e-12))
    #expect(isClose(dsr, reference.dsr, tolerance: 1e-12))
    reportAgreement(
      "DSR paper example vs SciPy",
      max(relativeDifference(expectedMaximum, reference.expected_maximum), relativeDifference(dsr, reference.dsr)))
  }

  /// A 750-day series with negative jumps: sample moments, PSR at two benchmarks and the
  /// DSR from 50 trial Sharpe ratios, each against SciPy. Tolerance 1e-12 relative: sums
  /// of 750 terms (n·ε ≈ 2e-13) and Φ / Φ⁻¹ accurate to ~1e-16.
  @Test func sharpeStatisticsMatchSciPy() throws {
    let reference = try #require(try MetricFixtures.load().sharpe.first { $0.name == "jumps" })
    let returns = try #require(reference.returns)
    let statistics = try SharpeRatioStatistics(returns: returns)
    let psr0 = try OverfittingStatistics.probabilisticSharpeRatio(returns)
    let psr1 = try OverfittingStatistics.probabilisticSharpeRatio(returns, benchmarkSharpeRatio: 0.02)
    let emax = try OverfittingStatistics.expectedMaximumSharpeRatio(
      trials: reference.trials, sharpeRatioVariance: reference.sharpe_ratio_variance)
    let dsr = try OverfittingStatistics.deflatedSharpeRatio(
      returns, trialSharpeRatios: try #require(reference.trial_sharpe_ratios))
    let pairs: [(String, Double, Double?)] = [
      ("sharpe", statistics.sharpeRatio, reference.sharpe_ratio),
      ("skewness", statistics.skewness, reference.skewness),
      ("kurtosis", statistics.kurtosis, reference.kurtosis),
      ("psr(0)", psr0, reference.psr_benchmark_0),
      ("psr(0.02)", psr1, reference.psr_benchmark_0_02),
      ("E[max]", emax, reference.expected_maximum),
      ("dsr", dsr, reference.dsr),
    ]
    var worst = 0.0
    for (name, mine, theirs) in pairs {
      let theirs = try #require(theirs)
      worst = max(worst, relativeDifference(mine, theirs))
      #expect(isClose(mine, theirs, tolerance: 1e-12), "\(name): \(mine) vs \(theirs)")
    }
    reportAgreement("PSR/DSR vs SciPy", worst)
    // The returns are skewed left and fat-tailed, the case the PSR corrects for.
    #expect(statistics.skewness < -0.5)
    #expect(statistics.kurtosis > 4)
  }

  /// The standard normal quantile and CDF behind PSR and DSR, against SciPy across both
  /// tails. AS 241 is accurate to ~1e-16 relative; 1e-14 leaves room for SciPy's own
  /// error and still rejects a lower-order approximation (Acklam's is ~1e-9). Φ is checked
  /// down to Φ(−30) ≈ 5e-198, where only a tail form based on erfc keeps relative accuracy.
  @Test func normalQuantilesAndCDFMatchSciPy() throws {
    let fixtures = try MetricFixtures.load()
    var worst = 0.0
    for pair in fixtures.normal_quantiles {
      let quantile = NormalDistribution.quantile(pair[0])
      worst = max(worst, relativeDifference(quantile, pair[1]))
      #expect(isClose(quantile, pair[1], tolerance: 1e-14), "Φ⁻¹(\(pair[0])): \(quantile) vs \(pair[1])")
    }
    for pair in fixtures.normal_cdf {
      let cdf = NormalDistribution.cdf(pair[0])
      worst = max(worst, relativeDifference(cdf, pair[1]))
      // Φ's relative condition number in the lower tail is ≈ x², and SciPy's erfc (Cephes)
      // and glibc's are different few-ulp approximations: scale the bound by max(1, x²).
      #expect(
        relativeDifference(cdf, pair[1]) < 1e-14 * max(1, pair[0] * pair[0]), "Φ(\(pair[0])): \(cdf) vs \(pair[1])")
    }
    reportAgreement("normal CDF / quantile vs SciPy", worst)
  }

  /// CSCV against a direct enumeration in Python (rows concatenated per half, NumPy
  /// statistics, SciPy average ranks). Selected trials and PBO must match exactly: they
  /// are discrete. The logits are logs of the same rationals, so 1e-15 absolute.
  @Test(arguments: MetricFixtures.cscvCases)
  func probabilityOfBacktestOverfittingMatchesEnumeration(_ reference: MetricFixtures.CSCVCase) throws {
    let stored = try #require(try MetricFixtures.load().cscv.matrices[reference.matrix])
    let matrix = try Matrix(rows: stored.rows, columns: stored.columns, rowMajor: stored.row_major)
    let performance = try #require(CSCVPerformance(rawValue: reference.performance))
    let result = try OverfittingStatistics.probabilityOfBacktestOverfitting(
      trialReturns: matrix, blockCount: reference.blocks, performance: performance)
    #expect(result.selectedTrials == reference.selected)
    #expect(result.probability == reference.pbo)
    #expect(result.logits.count == reference.logits.count)
    let worst = zip(result.logits, reference.logits).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < 1e-15)
    reportAgreement("CSCV \(reference.name) (absolute, logits)", worst)
  }

  /// CSCV enumerated by hand: S = 4 blocks of one row, N = 3 trials, ranked by mean return
  /// (a half's mean is its two-row sum over 2, so sums rank the same).
  ///
  ///     row   A  B  C
  ///      0    3  0  1
  ///      1    0  2  1
  ///      2    0  1  2
  ///      3    0  0  2
  ///
  /// In-sample {0,1}: A 3, B 2, C 2 → A; out {2,3}: A 0, B 1, C 4 → A rank 1, ω = ¼, λ < 0.
  /// {0,2}: A 3, B 1, C 3 → tie, first wins: A; out {1,3}: A 0 → rank 1, λ < 0.
  /// {0,3}: A 3 → A; out {1,2}: A 0, B 3, C 3 → rank 1, λ < 0.
  /// {1,2}: A 0, B 3, C 3 → B; out {0,3}: A 3, B 0, C 3 → rank 1, λ < 0.
  /// {1,3}: A 0, B 2, C 3 → C; out {0,2}: A 3, B 1, C 3 → C ties A for ranks 2 and 3:
  ///        rank 2.5, ω = 2.5/4 = 0.625, λ = ln(5/3) > 0.
  /// {2,3}: A 0, B 1, C 4 → C; out {0,1}: A 3, B 2, C 2 → C ties B for ranks 1 and 2:
  ///        rank 1.5, ω = 0.375, λ = ln(0.6) < 0.
  /// Five of six logits are ≤ 0: PBO = 5/6.
  @Test func handEnumeratedCSCV() throws {
    let matrix = try Matrix([[3, 0, 1], [0, 2, 1], [0, 1, 2], [0, 0, 2]])
    let result = try OverfittingStatistics.probabilityOfBacktestOverfitting(
      trialReturns: matrix, blockCount: 4, performance: .meanReturn)
    #expect(result.combinations == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
    #expect(result.selectedTrials == [0, 0, 0, 1, 2, 2])
    #expect(result.relativeRanks == [0.25, 0.25, 0.25, 0.25, 0.625, 0.375])
    #expect(result.probability == 5.0 / 6)
    let expectedLogits = [-log(3.0), -log(3.0), -log(3.0), -log(3.0), log(5.0 / 3), log(0.6)]
    for (mine, theirs) in zip(result.logits, expectedLogits) { #expect(abs(mine - theirs) < 1e-15) }
  }

  @Test func badInputThrows() throws {
    let matrix = try Matrix(rows: 40, columns: 3, rowMajor: (0..<120).map { sin(Double($0)) })
    let odd = #expect(throws: MetricError.self) {
      try OverfittingStatistics.probabilityOfBacktestOverfitting(trialReturns: matrix, blockCount: 5)
    }
    #expect(odd?.kind == .invalidParameter)
    let tooMany = #expect(throws: MetricError.self) {
      try OverfittingStatistics.probabilityOfBacktestOverfitting(trialReturns: matrix, blockCount: 26)
    }
    #expect(tooMany?.kind == .invalidParameter)
    let short = try Matrix(rows: 3, columns: 3, rowMajor: Array(repeating: 0.1, count: 9))
    let fewRows = #expect(throws: MetricError.self) {
      try OverfittingStatistics.probabilityOfBacktestOverfitting(trialReturns: short, blockCount: 4)
    }
    #expect(fewRows?.kind == .insufficientData)
    let oneTrial = try Matrix(rows: 40, columns: 1, rowMajor: (0..<40).map { sin(Double($0)) })
    #expect(throws: MetricError.self) {
      try OverfittingStatistics.probabilityOfBacktestOverfitting(trialReturns: oneTrial, blockCount: 4)
    }
    var flat = matrix
    for row in 0..<40 { flat[row, 1] = 0.01 }
    let constant = #expect(throws: MetricError.self) {
      try OverfittingStatistics.probabilityOfBacktestOverfitting(trialReturns: flat, blockCount: 4)
    }
    #expect(constant?.kind == .undefined)
    let oneTrialDSR = #expect(throws: MetricError.self) {
      try OverfittingStatistics.expectedMaximumSharpeRatio(trials: 1, sharpeRatioVariance: 1)
    }
    #expect(oneTrialDSR?.kind == .invalidParameter)
    let excessKurtosis = #expect(throws: MetricError.self) {
      // Excess kurtosis passed by mistake (−2 for a two-point law) makes the variance term negative.
      try OverfittingStatistics.probabilisticSharpeRatio(
        SharpeRatioStatistics(sharpeRatio: 2, observations: 10, skewness: 0, kurtosis: -2))
    }
    #expect(excessKurtosis?.kind == .undefined)
  }
}
