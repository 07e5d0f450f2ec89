import Foundation
import HoneLinearAlgebra

/// How a per-period mean return is turned into an annual figure.
public enum AnnualisationConvention: String, Sendable, Hashable, Codable, CaseIterable {
  /// Geometric: `(Π (1 + rₜ))^(P / n) − 1`, the constant annual rate that compounds to the
  /// same final wealth (CAGR). Use it to report what an investor earned.
  case compounded
  /// Arithmetic: `P · mean(r)`, the convention behind the annualised Sharpe ratio. It
  /// exceeds the compounded figure by roughly half the annual variance.
  case arithmetic
}

/// The drawdowns of a return series.
///
/// Indices count periods elapsed on the wealth path `W₀ = 1, Wₜ = Π_{s<t} (1 + r_s)`:
/// index 0 is the starting capital and index `t` the wealth after `returns[t − 1]`.
public struct DrawdownSummary: Sendable, Equatable, Codable {
  /// The largest fall from a running peak, `max_t (1 − Wₜ / max_{s≤t} W_s)`, as a positive
  /// fraction (0.25 is a 25 % loss from the peak); 0 when wealth never falls.
  public let maximumDrawdown: Double

  /// The wealth index of the peak before the deepest drawdown.
  public let peakIndex: Int

  /// The wealth index of the deepest point.
  public let troughIndex: Int

  /// The first wealth index at or above the peak after the trough, or `nil` if the series
  /// ends before recovering.
  public let recoveryIndex: Int?

  /// The number of periods from the peak of the deepest drawdown to its recovery (or to
  /// the end of the series if it never recovers).
  public let maximumDrawdownDuration: Int

  /// The longest time, in periods, spent below a previous peak by any drawdown (peak to
  /// recovery, or to the end of the series).
  public let longestDrawdownDuration: Int
}

/// Performance metrics of a strategy from its per-period simple returns (0.01 is +1 %).
///
/// Conventions, stated once: standard deviations use the sample divisor n − 1; ratios are
/// annualised by `periodsPerYear` (252 trading days by default; 52 weekly, 12 monthly) with
/// the mean scaled by P and the deviation by √P (the usual i.i.d. scaling, Lo 2002); a
/// zero deviation or drawdown in a denominator throws rather than returning infinity.
public enum TradingMetrics {
  /// The annualised return.
  ///
  /// - Parameters:
  ///   - returns: Per-period simple returns, each at least −1.
  ///   - periodsPerYear: Periods in a year, P; 252 by default.
  ///   - convention: ``AnnualisationConvention/compounded`` (CAGR, default) or
  ///     ``AnnualisationConvention/arithmetic`` (`P · mean`).
  /// - Returns: The annual return as a fraction.
  /// - Throws: ``MetricError`` for empty or non-finite returns, a return below −1 (more than
  ///   a total loss), or a non-positive `periodsPerYear`.
  /// - Complexity: O(n).
  public static func annualisedReturn(
    _ returns: [Double], periodsPerYear: Double = 252, convention: AnnualisationConvention = .compounded
  ) throws -> Double {
    let metric = "annualisedReturn"
    try validate(returns, periodsPerYear: periodsPerYear, minimumCount: 1, metric: metric)
    switch convention {
    case .arithmetic:
      return periodsPerYear * mean(returns)
    case .compounded:
      // Sum of log(1 + r) rather than a running product: no under/overflow on long series.
      var logWealth = 0.0
      for r in returns {
        guard r > -1 else { return -1 }
        logWealth += log1p(r)
      }
      return expm1(logWealth * periodsPerYear / Double(returns.count))
    }
  }

  /// The annualised volatility, `sd(r) · √P` with the sample standard deviation.
  ///
  /// - Parameters:
  ///   - returns: Per-period simple returns.
  ///   - periodsPerYear: Periods in a year, P; 252 by default.
  /// - Returns: The annual volatility as a fraction.
  /// - Throws: ``MetricError`` for fewer than two or non-finite returns or a non-positive
  ///   `periodsPerYear`.
  /// - Complexity: O(n).
  public static func annualisedVolatility(_ returns: [Double], periodsPerYear: Double = 252) throws -> Double {
    try validate(returns, periodsPerYear: periodsPerYear, minimumCount: 2, metric: "annualisedVolatility")
    return standardDeviation(returns) * periodsPerYear.squareRoot()
  }

  /// The annualised Sharpe ratio, `mean(r − r_f) / sd(r − r_f) · √P` (Sharpe 1966, 1994).
  ///
  /// Pass `periodsPerYear: 1` for the per-period ratio that the probabilistic and deflated
  /// Sharpe ratios use.
  ///
  /// - Parameters:
  ///   - returns: Per-period simple returns.
  ///   - riskFreeRate: The risk-free return per period (not per year); 0 by default.
  ///   - periodsPerYear: Periods in a year, P; 252 by default.
  /// - Returns: The Sharpe ratio.
  /// - Throws: ``MetricError`` for fewer than two or non-finite returns, a non-positive
  ///   `periodsPerYear`, or constant excess returns (zero deviation).
  /// - Complexity: O(n).
  public static func sharpeRatio(
    _ returns: [Double], riskFreeRate: Double = 0, periodsPerYear: Double = 252
  ) throws -> Double {
    let metric = "sharpeRatio"
    try validate(returns, periodsPerYear: periodsPerYear, minimumCount: 2, metric: metric)
    let excess = returns.map { $0 - riskFreeRate }
    // Tested exactly: the rounded mean of equal values can differ from them by an ulp, which
    // would turn a constant series into a huge ratio instead of an error.
    guard !isConstant(returns) else {
      throw MetricError(.undefined, "\(metric): the excess returns are constant (zero deviation); Sharpe is undefined.")
    }
    return mean(excess) / standardDeviation(excess) * periodsPerYear.squareRoot()
  }

  /// The annualised Sortino ratio, `mean(r − τ) / DD · √P` with downside deviation
  /// `DD = √(Σ min(rₜ − τ, 0)² / n)` over all n periods (Sortino & Price 1994; the divisor
  /// is n, not the number of losing periods, as in Sortino's definition and empyrical).
  ///
  /// - Parameters:
  ///   - returns: Per-period simple returns.
  ///   - target: The minimum acceptable return per period, τ; 0 by default.
  ///   - periodsPerYear: Periods in a year, P; 252 by default.
  /// - Returns: The Sortino ratio.
  /// - Throws: ``MetricError`` for fewer than two or non-finite returns, a non-positive
  ///   `periodsPerYear`, or no return below the target (zero downside deviation).
  /// - Complexity: O(n).
  public static func sortinoRatio(_ returns: [Double], target: Double = 0, periodsPerYear: Double = 252) throws
    -> Double
  {
    let metric = "sortinoRatio"
    try validate(returns, periodsPerYear: periodsPerYear, minimumCount: 2, metric: metric)
    let shortfalls = returns.map { min($0 - target, 0) }
    let downside = (shortfalls.reduce(0) { $0 + $1 * $1 } / Double(returns.count)).squareRoot()
    guard downside > 0 else {
      throw MetricError(
        .undefined, "\(metric): no return is below the target \(target), so the downside deviation is zero.")
    }
    return (mean(returns) - target) / downside * periodsPerYear.squareRoot()
  }

  /// The drawdowns of the compounded wealth path: the deepest, its peak, trough, recovery
  /// and duration, and the longest time under water.
  ///
  /// - Parameter returns: Per-period simple returns, each at least −1.
  /// - Returns: The drawdown summary.
  /// - Throws: ``MetricError`` for empty or non-finite returns or a return below −1.
  /// - Complexity: O(n).
  public static func drawdown(_ returns: [Double]) throws -> DrawdownSummary {
    try validate(returns, periodsPerYear: 1, minimumCount: 1, metric: "drawdown")
    var wealth = 1.0
    var peak = 1.0
    var peakIndex = 0
    var isUnderwater = false
    var deepest = (depth: 0.0, peak: 0, trough: 0)
    var deepestRecovery: Int?
    var longest = 0
    for (offset, r) in returns.enumerated() {
      let index = offset + 1
      wealth *= 1 + r
      if wealth >= peak {
        if isUnderwater {
          longest = max(longest, index - peakIndex)
          // The deepest drawdown so far started at this peak exactly when its peak index
          // is the current one: a later peak always has a larger index.
          if deepest.peak == peakIndex { deepestRecovery = index }
        }
        isUnderwater = false
        peak = wealth
        peakIndex = index
      } else {
        isUnderwater = true
        let depth = 1 - wealth / peak
        if depth > deepest.depth {
          deepest = (depth, peakIndex, index)
          deepestRecovery = nil
        }
      }
    }
    if isUnderwater { longest = max(longest, returns.count - peakIndex) }
    let deepestDuration =
      deepest.depth > 0 ? (deepestRecovery ?? returns.count) - deepest.peak : 0
    return DrawdownSummary(
      maximumDrawdown: deepest.depth, peakIndex: deepest.peak, troughIndex: deepest.trough,
      recoveryIndex: deepestRecovery, maximumDrawdownDuration: deepestDuration, longestDrawdownDuration: longest)
  }

  /// The maximum drawdown, as a positive fraction of the running peak.
  ///
  /// - Parameter returns: Per-period simple returns, each at least −1.
  /// - Returns: `max_t (1 − Wₜ / max_{s≤t} W_s)`, in [0, 1].
  /// - Throws: ``MetricError`` as ``drawdown(_:)``.
  /// - Complexity: O(n).
  public static func maximumDrawdown(_ returns: [Double]) throws -> Double {
    try drawdown(returns).maximumDrawdown
  }

  /// The Calmar ratio: compounded annualised return over maximum drawdown (Young 1991).
  /// Computed over the whole series, not the trailing 36 months of the original definition.
  ///
  /// - Parameters:
  ///   - returns: Per-period simple returns, each at least −1.
  ///   - periodsPerYear: Periods in a year, P; 252 by default.
  /// - Returns: The Calmar ratio.
  /// - Throws: ``MetricError`` as ``annualisedReturn(_:periodsPerYear:convention:)``, or when
  ///   wealth never falls (zero drawdown).
  /// - Complexity: O(n).
  public static func calmarRatio(_ returns: [Double], periodsPerYear: Double = 252) throws -> Double {
    let annual = try annualisedReturn(returns, periodsPerYear: periodsPerYear, convention: .compounded)
    let drawdown = try maximumDrawdown(returns)
    guard drawdown > 0 else {
      throw MetricError(.undefined, "calmarRatio: wealth never falls below a previous peak; the ratio is undefined.")
    }
    return annual / drawdown
  }

  /// The hit rate: the (weighted) fraction of periods with a strictly positive return.
  ///
  /// - Parameters:
  ///   - returns: Per-period returns.
  ///   - ignoringZeroReturns: Whether periods with a return of exactly 0 (typically flat,
  ///     no position) are left out of the denominator; `false` by default.
  ///   - weights: Optional non-negative weights per period.
  /// - Returns: A fraction in [0, 1].
  /// - Throws: ``MetricError`` for empty or non-finite returns, invalid weights, or no
  ///   period left once zero returns are ignored.
  /// - Complexity: O(n).
  public static func hitRate(
    _ returns: [Double], ignoringZeroReturns: Bool = false, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "hitRate"
    try validate(returns, periodsPerYear: 1, minimumCount: 1, metric: metric, requiresSimpleReturns: false)
    try MetricValidation.requireValidWeights(weights, count: returns.count, metric: metric)
    var hits = 0.0
    var total = 0.0
    for (i, r) in returns.enumerated() where !(ignoringZeroReturns && r == 0) {
      let weight = weights?[i] ?? 1
      total += weight
      if r > 0 { hits += weight }
    }
    guard total > 0 else {
      throw MetricError(.emptyInput, "\(metric): every period has a zero return (or zero weight); nothing to count.")
    }
    return hits / total
  }

  /// The mean turnover of one position series: `Σ_{t≥1} |wₜ − wₜ₋₁| / (T − 1)`, the
  /// average absolute change in position per period (buys plus sells; halve it for the
  /// one-way convention). The initial entry from flat is not counted.
  ///
  /// - Parameter positions: The position (portfolio weight) held in each period.
  /// - Returns: The average absolute change per period.
  /// - Throws: ``MetricError`` for fewer than two or non-finite positions.
  /// - Complexity: O(T).
  public static func turnover(positions: [Double]) throws -> Double {
    try turnover(positions: Matrix(rows: positions.count, columns: 1, columnMajor: positions))
  }

  /// The mean turnover of a portfolio: `Σ_{t≥1} Σᵢ |w_{t,i} − w_{t−1,i}| / (T − 1)` over a
  /// T × N matrix of weights (one row per period, one column per asset).
  ///
  /// - Parameter positions: Portfolio weights, periods down the rows.
  /// - Returns: The average total absolute change in weights per period.
  /// - Throws: ``MetricError`` for fewer than two periods, no assets, or non-finite weights.
  /// - Complexity: O(T N).
  public static func turnover(positions: Matrix) throws -> Double {
    let metric = "turnover"
    guard positions.rows >= 2, positions.columns >= 1 else {
      throw MetricError(
        .insufficientData,
        "\(metric): positions has \(positions.rows) period(s) and \(positions.columns) asset(s); turnover needs "
          + "at least 2 periods of at least 1 asset.")
    }
    try MetricValidation.requireFinite(positions, "positions", metric: metric)
    var total = 0.0
    for column in 0..<positions.columns {
      for row in 1..<positions.rows { total += abs(positions[row, column] - positions[row - 1, column]) }
    }
    return total / Double(positions.rows - 1)
  }

  // MARK: - Helpers

  static func isConstant(_ values: [Double]) -> Bool { values.allSatisfy { $0 == values[0] } }

  static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

  /// The sample standard deviation (divisor n − 1), from centred values.
  static func standardDeviation(_ values: [Double]) -> Double {
    let center = mean(values)
    let sum = values.reduce(0) { $0 + ($1 - center) * ($1 - center) }
    return (sum / Double(values.count - 1)).squareRoot()
  }

  private static func validate(
    _ returns: [Double], periodsPerYear: Double, minimumCount: Int, metric: String, requiresSimpleReturns: Bool = true
  ) throws {
    guard returns.count >= minimumCount else {
      if returns.isEmpty { throw MetricError(.emptyInput, "\(metric): returns is empty; pass at least one period.") }
      throw MetricError(
        .insufficientData, "\(metric): \(returns.count) period(s); this metric needs at least \(minimumCount).")
    }
    try MetricValidation.requireFinite(returns, "returns", metric: metric)
    guard periodsPerYear.isFinite && periodsPerYear > 0 else {
      throw MetricError(
        .invalidParameter, "\(metric): periodsPerYear is \(periodsPerYear); pass a positive number such as 252.")
    }
    if requiresSimpleReturns, let index = returns.firstIndex(where: { $0 < -1 }) {
      throw MetricError(
        .invalidParameter,
        "\(metric): returns[\(index)] is \(returns[index]), a loss of more than 100 %; pass simple returns "
          + "(log returns must be converted with exp(r) − 1).")
    }
  }
}
