import HoneLinearAlgebra
import HonePipeline
import Testing

/// Trading metrics on tiny series worked by hand, and on a 500-period series against the
/// NumPy formulas in `Fixtures/make_metric_fixtures.py`.
@Suite("Trading metrics")
struct TradingMetricsTests {
  /// r = [0.10, −0.20, 0.05, 0.10] with P = 4 periods a year.
  /// Wealth 1 → 1.1 → 0.88 → 0.924 → 1.0164. Mean 0.0125; deviations
  /// [0.0875, −0.2125, 0.0375, 0.0875], Σd² = 0.061875, sample variance 0.020625.
  /// Compounded: 1.0164^(4/4) − 1 = 0.0164; arithmetic: 4 · 0.0125 = 0.05.
  /// Volatility √0.020625 · 2; Sharpe 0.0125 / √0.020625 · 2 = 0.17408.
  /// Sortino: shortfalls [0, −0.2, 0, 0], DD = √(0.04 / 4) = 0.1 → 0.0125 / 0.1 · 2 = 0.25.
  /// Drawdown: peak 1.1 (index 1), trough 0.88 (index 2), 1 − 0.88/1.1 = 0.2, never
  /// recovered, so 4 − 1 = 3 periods under water. Calmar 0.0164 / 0.2 = 0.082.
  @Test func handWorkedSeries() throws {
    let r = [0.10, -0.20, 0.05, 0.10]
    // Each value is a few operations on short decimals: a handful of roundings of ε.
    let tolerance = 1e-14
    #expect(abs(try TradingMetrics.annualisedReturn(r, periodsPerYear: 4) - 0.0164) < tolerance)
    #expect(
      abs(try TradingMetrics.annualisedReturn(r, periodsPerYear: 4, convention: .arithmetic) - 0.05) < tolerance)
    #expect(abs(try TradingMetrics.annualisedVolatility(r, periodsPerYear: 4) - 0.020625.squareRoot() * 2) < tolerance)
    #expect(abs(try TradingMetrics.sharpeRatio(r, periodsPerYear: 4) - 0.0125 / 0.020625.squareRoot() * 2) < tolerance)
    #expect(abs(try TradingMetrics.sortinoRatio(r, periodsPerYear: 4) - 0.25) < tolerance)
    #expect(abs(try TradingMetrics.calmarRatio(r, periodsPerYear: 4) - 0.082) < tolerance)
    let drawdown = try TradingMetrics.drawdown(r)
    #expect(abs(drawdown.maximumDrawdown - 0.2) < tolerance)
    #expect(drawdown.peakIndex == 1)
    #expect(drawdown.troughIndex == 2)
    #expect(drawdown.recoveryIndex == nil)
    #expect(drawdown.maximumDrawdownDuration == 3)
    #expect(drawdown.longestDrawdownDuration == 3)
    #expect(try TradingMetrics.hitRate(r) == 0.75)
    // A risk-free rate is subtracted per period: mean 0.0025, same deviation.
    #expect(
      abs(try TradingMetrics.sharpeRatio(r, riskFreeRate: 0.01, periodsPerYear: 4) - 0.0025 / 0.020625.squareRoot() * 2)
        < tolerance)
  }

  /// r = [−0.75, 3, −0.25, 0, 0.25] (exact in binary): wealth 1 → 0.25 → 1 → 0.75 → 0.75 →
  /// 0.9375. The deepest drawdown (75 %) runs from index 0 to its recovery at index 2
  /// (2 periods); the second, shallower one starts at the peak at index 2 and is still
  /// open at the end, 5 − 2 = 3 periods: the longest.
  @Test func deepestAndLongestDrawdownsDiffer() throws {
    let r = [-0.75, 3, -0.25, 0, 0.25]
    let drawdown = try TradingMetrics.drawdown(r)
    #expect(drawdown.maximumDrawdown == 0.75)
    #expect(drawdown.peakIndex == 0)
    #expect(drawdown.troughIndex == 1)
    #expect(drawdown.recoveryIndex == 2)
    #expect(drawdown.maximumDrawdownDuration == 2)
    #expect(drawdown.longestDrawdownDuration == 3)
    // Hits: 3 and 0.25 → 2 of 5, or 2 of 4 when the flat period is ignored.
    #expect(try TradingMetrics.hitRate(r) == 0.4)
    #expect(try TradingMetrics.hitRate(r, ignoringZeroReturns: true) == 0.5)
    #expect(try TradingMetrics.hitRate(r, weights: [1, 1, 1, 1, 4]) == 5.0 / 8)
    // Wealth that only rises has no drawdown.
    let rising = try TradingMetrics.drawdown([0.01, 0.02])
    #expect(rising.maximumDrawdown == 0)
    #expect(rising.longestDrawdownDuration == 0)
  }

  /// Positions [0, 1, 1, −1, 0.5]: changes 1, 0, 2, 1.5 → 4.5 / 4 = 1.125. Two assets
  /// [[0.5, 0.5], [1, 0], [0, 1]]: changes 0.5 + 0.5 and 1 + 1 → 3 / 2 = 1.5.
  @Test func turnover() throws {
    #expect(try TradingMetrics.turnover(positions: [0, 1, 1, -1, 0.5]) == 1.125)
    #expect(try TradingMetrics.turnover(positions: Matrix([[0.5, 0.5], [1, 0], [0, 1]])) == 1.5)
  }

  /// A 500-period fat-tailed series against NumPy. Tolerance 1e-12 relative, except the
  /// compounded return: Hone sums log1p and NumPy multiplies, two roundings of 500 terms
  /// that agree to ~n·ε in log-wealth and so to ~1e-13 relative in a CAGR of ~10 %; 1e-11.
  @Test func matchesNumPyFormulas() throws {
    let reference = try MetricFixtures.load().trading
    let r = reference.returns
    let p = reference.periods_per_year
    let pairs: [(String, Double, Double, Double)] = [
      (
        "compounded", try TradingMetrics.annualisedReturn(r, periodsPerYear: p), reference.annualised_return_compounded,
        1e-11
      ),
      (
        "arithmetic", try TradingMetrics.annualisedReturn(r, periodsPerYear: p, convention: .arithmetic),
        reference.annualised_return_arithmetic, 1e-12
      ),
      (
        "volatility", try TradingMetrics.annualisedVolatility(r, periodsPerYear: p), reference.annualised_volatility,
        1e-12
      ),
      ("sharpe", try TradingMetrics.sharpeRatio(r, periodsPerYear: p), reference.sharpe, 1e-12),
      ("sortino", try TradingMetrics.sortinoRatio(r, periodsPerYear: p), reference.sortino, 1e-12),
      ("maxDrawdown", try TradingMetrics.maximumDrawdown(r), reference.max_drawdown, 1e-12),
    ]
    var worst = 0.0
    for (name, mine, theirs, tolerance) in pairs {
      worst = max(worst, relativeDifference(mine, theirs))
      #expect(isClose(mine, theirs, tolerance: tolerance), "\(name): \(mine) vs \(theirs)")
    }
    reportAgreement("trading (500 periods)", worst)
  }

  @Test func badInputThrows() {
    let empty = #expect(throws: MetricError.self) { try TradingMetrics.annualisedReturn([]) }
    #expect(empty?.kind == .emptyInput)
    let constant = #expect(throws: MetricError.self) { try TradingMetrics.sharpeRatio([0.01, 0.01, 0.01]) }
    #expect(constant?.kind == .undefined)
    let noDownside = #expect(throws: MetricError.self) { try TradingMetrics.sortinoRatio([0.01, 0.02]) }
    #expect(noDownside?.kind == .undefined)
    let noDrawdown = #expect(throws: MetricError.self) { try TradingMetrics.calmarRatio([0.01, 0.02]) }
    #expect(noDrawdown?.kind == .undefined)
    let beyondTotalLoss = #expect(throws: MetricError.self) { try TradingMetrics.drawdown([0.1, -1.5]) }
    #expect(beyondTotalLoss?.kind == .invalidParameter)
    let periods = #expect(throws: MetricError.self) {
      try TradingMetrics.annualisedVolatility([0.1, 0.2], periodsPerYear: 0)
    }
    #expect(periods?.kind == .invalidParameter)
    let nan = #expect(throws: MetricError.self) { try TradingMetrics.sharpeRatio([0.1, .nan]) }
    #expect(nan?.kind == .nonFiniteValue)
    let onePeriod = #expect(throws: MetricError.self) { try TradingMetrics.turnover(positions: [1]) }
    #expect(onePeriod?.kind == .insufficientData)
  }
}
