import HonePipeline
import Testing

/// Information coefficients against SciPy's `pearsonr` / `spearmanr` and a pandas groupby
/// (`Fixtures/make_metric_fixtures.py`).
///
/// Tolerance 1e-12 relative: correlations of ≤ 300 values computed from centred sums in a
/// different order than SciPy; rounding is of order n·ε ≈ 7e-14, and a tie convention
/// other than average ranks moves the rank IC in the third decimal.
@Suite("Signal metrics vs SciPy")
struct SignalMetricsTests {
  @Test func informationCoefficients() throws {
    let reference = try MetricFixtures.load().signal
    let pearson = try SignalMetrics.pearsonIC(signal: reference.signal, returns: reference.returns)
    let spearman = try SignalMetrics.spearmanIC(signal: reference.signal, returns: reference.returns)
    reportAgreement(
      "signal pearson/spearman",
      max(relativeDifference(pearson, reference.pearson), relativeDifference(spearman, reference.spearman)))
    #expect(isClose(pearson, reference.pearson, tolerance: 1e-12))
    #expect(isClose(spearman, reference.spearman, tolerance: 1e-12))
  }

  @Test func perPeriodRankIC() throws {
    let reference = try MetricFixtures.load().signal.rank_ic
    let summary = try SignalMetrics.rankIC(
      signal: reference.signal, returns: reference.returns, periods: reference.periods)
    #expect(summary.values.map(\.period) == reference.periods_with_ic)
    #expect(summary.skippedPeriods == reference.skipped)
    var worst = 0.0
    for (mine, theirs) in zip(summary.ics, reference.ics) {
      worst = max(worst, relativeDifference(mine, theirs))
      #expect(isClose(mine, theirs, tolerance: 1e-12))
    }
    for (mine, theirs) in [
      (summary.mean, reference.mean), (summary.standardDeviation, reference.standard_deviation),
      (summary.tStatistic, reference.t_statistic),
    ] {
      worst = max(worst, relativeDifference(mine, theirs))
      // The mean of ~18 ICs near 0.3 can cancel a little; still far inside 1e-11.
      #expect(isClose(mine, theirs, tolerance: 1e-11))
    }
    reportAgreement("signal rank IC", worst)
  }

  /// Worked by hand: signal [1, 2, 2, 3] has average ranks [1, 2.5, 2.5, 4]; returns
  /// [10, 30, 20, 40] have ranks [1, 3, 2, 4]. Centred: [−1.5, 0, 0, 1.5] and
  /// [−1.5, 0.5, −0.5, 1.5]; Σxy = 4.5, Σx² = 4.5, Σy² = 5 → ρ = 4.5 / √22.5 = 0.9487.
  @Test func handWorkedSpearmanWithTies() throws {
    let rho = try SignalMetrics.spearmanIC(signal: [1, 2, 2, 3], returns: [10, 30, 20, 40])
    // A few exact operations and one square root: last-bit rounding only.
    #expect(abs(rho - 4.5 / 22.5.squareRoot()) < 1e-15)
  }

  @Test func badInputThrows() {
    let constant = #expect(throws: MetricError.self) {
      try SignalMetrics.pearsonIC(signal: [1, 1, 1], returns: [1, 2, 3])
    }
    #expect(constant?.kind == .undefined)
    let short = #expect(throws: MetricError.self) { try SignalMetrics.spearmanIC(signal: [1], returns: [1]) }
    #expect(short?.kind == .insufficientData)
    let onePeriod = #expect(throws: MetricError.self) {
      try SignalMetrics.rankIC(signal: [1, 2, 3], returns: [3, 2, 1], periods: [0, 0, 0])
    }
    #expect(onePeriod?.kind == .insufficientData)
    let nan = #expect(throws: MetricError.self) {
      try SignalMetrics.rankIC(signal: [1, .nan], returns: [1, 2], periods: [0, 1])
    }
    #expect(nan?.kind == .nonFiniteValue)
  }
}
