import Foundation
import HonePipeline

/// How a model's predictions become positions in a backtest.
public enum PositionRule: String, Codable, Sendable, Hashable, CaseIterable {
  /// Long when the signal is above the threshold, short when below minus it, flat between.
  case sign
  /// Long only when the signal is above the threshold, flat otherwise (no shorting).
  case threshold
  /// Per period, long the symbols whose signal ranks in the top quantile and short those in
  /// the bottom quantile (cross-sectional; needs several symbols).
  case rank
}

/// What a backtest trades and what it costs.
public struct BacktestSettings: Codable, Sendable, Equatable {
  /// How signals become positions.
  public var positions: PositionRule
  /// The dead band for ``PositionRule/sign`` and the entry level for
  /// ``PositionRule/threshold``, in signal units (a probability's signal is `p − 0.5`).
  public var threshold: Double
  /// The top and bottom fraction of symbols ``PositionRule/rank`` trades each period.
  public var quantile: Double
  /// The commission per unit of traded notional, in basis points.
  public var costBasisPoints: Double
  /// The slippage per unit of traded notional, in basis points.
  public var slippageBasisPoints: Double
  /// Periods in a year, for annualised figures (252 trading days).
  public var periodsPerYear: Double

  /// Settings with the defaults a daily equity backtest uses: sign positions, no dead band,
  /// quintiles for ranks, 1 bp commission and 1 bp slippage, 252 periods a year.
  public init(
    positions: PositionRule = .sign, threshold: Double = 0, quantile: Double = 0.2, costBasisPoints: Double = 1,
    slippageBasisPoints: Double = 1, periodsPerYear: Double = 252
  ) {
    self.positions = positions
    self.threshold = threshold
    self.quantile = quantile
    self.costBasisPoints = costBasisPoints
    self.slippageBasisPoints = slippageBasisPoints
    self.periodsPerYear = periodsPerYear
  }
}

/// A backtest's outcome: the per-period portfolio, its equity curve and trading metrics.
public struct BacktestResult: Codable, Sendable, Equatable {
  /// The period of each portfolio return (nanoseconds since the epoch, or the period's
  /// index when the data has no timestamps), in time order.
  public var periods: [Int64]
  /// Portfolio returns before costs, one per period.
  public var grossReturns: [Double]
  /// Portfolio returns after commission and slippage.
  public var netReturns: [Double]
  /// Growth of one unit of capital after each period, compounding net returns.
  public var equity: [Double]
  /// The fall from the running peak of `equity` after each period, as a fraction (≤ 0).
  public var drawdown: [Double]
  /// The position taken on each input row (0 for rows without a forward return).
  public var positions: [Double]
  /// Summary figures: `annualisedReturn`, `annualisedVolatility`, `sharpeRatio`,
  /// `sortinoRatio`, `maximumDrawdown`, `calmarRatio`, `hitRate`, `turnover` (mean
  /// traded notional per period), `totalCost` (sum of per-period cost returns),
  /// `periods`. A figure that is undefined for the series (a constant return, no losing
  /// period) is left out rather than reported as a number.
  public var metrics: [String: Double]
}

/// Errors from a backtest's inputs.
public struct BacktestError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What is wrong and how to fix it.
  public let description: String
  init(_ description: String) { self.description = description }
}

/// A vectorised, equal-weight backtest of per-row signals.
///
/// Each input row is one symbol at one period: its signal is known at the period's close,
/// and its forward return is what holding the symbol from that close to the next one earns.
/// Positions are in {−1, 0, +1} per symbol; a period's portfolio return is the mean of
/// `position × forward return` over the symbols present that period. Trading costs are
/// charged on the change of each symbol's position since its previous period, at
/// `(commission + slippage) / 10⁴` per unit traded, divided by the same symbol count.
///
/// ```swift
/// let result = try Backtest.run(
///   signals: predictions, forwardReturns: nextDayReturns, periods: timestamps, symbols: tickers,
///   settings: BacktestSettings(positions: .sign, costBasisPoints: 2))
/// print(result.metrics["sharpeRatio"] ?? .nan, result.equity.last ?? 1)
/// ```
public enum Backtest {
  /// Runs the backtest.
  ///
  /// - Parameters:
  ///   - signals: One signal per row: a regression prediction, or a classifier's
  ///     probability of the positive class minus 0.5.
  ///   - forwardReturns: The simple return from this row's period to the next for its
  ///     symbol; NaN where unknown (the last period), and such rows are not traded.
  ///   - periods: The period of each row (any increasing key, e.g. timestamps).
  ///   - symbols: The symbol of each row, or `nil` for a single instrument.
  ///   - settings: Position rule and costs.
  /// - Returns: The per-period portfolio, equity, drawdown and metrics.
  /// - Throws: ``BacktestError`` when the arrays differ in length, are empty, hold a
  ///   non-finite signal, a forward return below −1, a symbol twice in one period, or the
  ///   settings are out of range (negative costs, a quantile outside (0, 0.5]).
  public static func run(
    signals: [Double], forwardReturns: [Double], periods: [Int64], symbols: [String]? = nil,
    settings: BacktestSettings = BacktestSettings()
  ) throws -> BacktestResult {
    let n = signals.count
    guard n > 0 else { throw BacktestError("backtest: no rows to trade") }
    guard forwardReturns.count == n, periods.count == n, symbols.map({ $0.count == n }) ?? true else {
      throw BacktestError(
        "backtest: signals (\(n)), forward returns (\(forwardReturns.count)), periods (\(periods.count))"
          + (symbols.map { " and symbols (\($0.count))" } ?? "") + " must have one entry per row")
    }
    try validate(settings)
    if let bad = signals.firstIndex(where: { !$0.isFinite }) {
      throw BacktestError("backtest: the signal of row \(bad) is \(signals[bad]); predictions must be finite")
    }
    if let bad = forwardReturns.firstIndex(where: { $0 < -1 || $0 == .infinity }) {
      throw BacktestError(
        "backtest: the forward return of row \(bad) is \(forwardReturns[bad]); a simple return cannot be below −1")
    }

    // Rows grouped by period, periods in increasing order, rows in input order within one.
    let order = (0..<n).sorted { periods[$0] != periods[$1] ? periods[$0] < periods[$1] : $0 < $1 }
    var groups: [[Int]] = []
    for i in order {
      if let last = groups.last?.last, periods[last] == periods[i] {
        groups[groups.count - 1].append(i)
      } else {
        groups.append([i])
      }
    }

    var positions = [Double](repeating: 0, count: n)
    var previous: [String: Double] = [:]
    var result = BacktestResult(
      periods: [], grossReturns: [], netReturns: [], equity: [], drawdown: [], positions: [], metrics: [:])
    let costRate = (settings.costBasisPoints + settings.slippageBasisPoints) / 10_000
    var wealth = 1.0
    var peak = 1.0
    var traded = 0.0
    var totalCost = 0.0
    for group in groups {
      let tradable = group.filter { forwardReturns[$0].isFinite }
      guard !tradable.isEmpty else { continue }
      var seen = Set<String>()
      for i in tradable {
        let symbol = symbols?[i] ?? ""
        guard seen.insert(symbol).inserted else {
          throw BacktestError(
            "backtest: symbol `\(symbol)` appears twice in period \(periods[i]); give one row per symbol and period")
        }
      }
      let chosen = position(for: tradable.map { signals[$0] }, settings: settings)
      var gross = 0.0
      var turnover = 0.0
      for (k, i) in tradable.enumerated() {
        let symbol = symbols?[i] ?? ""
        positions[i] = chosen[k]
        gross += chosen[k] * forwardReturns[i]
        turnover += abs(chosen[k] - (previous[symbol] ?? 0))
        previous[symbol] = chosen[k]
      }
      // Symbols absent this period are closed out: their old position is traded away.
      let present = Set(tradable.map { symbols?[$0] ?? "" })
      for (symbol, held) in previous where !present.contains(symbol) && held != 0 {
        turnover += abs(held)
        previous[symbol] = 0
      }
      let count = Double(tradable.count)
      let cost = costRate * turnover / count
      let net = gross / count - cost
      wealth *= 1 + net
      peak = Swift.max(peak, wealth)
      traded += turnover / count
      totalCost += cost
      result.periods.append(periods[tradable[0]])
      result.grossReturns.append(gross / count)
      result.netReturns.append(net)
      result.equity.append(wealth)
      result.drawdown.append(wealth / peak - 1)
    }
    result.positions = positions
    result.metrics = metrics(
      result.netReturns, turnover: traded, totalCost: totalCost, periodsPerYear: settings.periodsPerYear)
    return result
  }

  /// The positions for one period's signals under `settings`.
  static func position(for signals: [Double], settings: BacktestSettings) -> [Double] {
    switch settings.positions {
    case .sign:
      return signals.map { $0 > settings.threshold ? 1 : ($0 < -settings.threshold ? -1 : 0) }
    case .threshold:
      return signals.map { $0 > settings.threshold ? 1 : 0 }
    case .rank:
      // k = ⌊q·m⌋ names on each side; ties broken by input order so results are stable.
      let m = signals.count
      let k = Int((settings.quantile * Double(m)).rounded(.down))
      guard k >= 1 else { return [Double](repeating: 0, count: m) }
      let ranked = (0..<m).sorted { signals[$0] != signals[$1] ? signals[$0] > signals[$1] : $0 < $1 }
      var out = [Double](repeating: 0, count: m)
      for i in ranked.prefix(k) { out[i] = 1 }
      for i in ranked.suffix(k) { out[i] = -1 }
      return out
    }
  }

  static func validate(_ settings: BacktestSettings) throws {
    guard settings.costBasisPoints >= 0, settings.slippageBasisPoints >= 0,
      settings.costBasisPoints.isFinite, settings.slippageBasisPoints.isFinite
    else {
      throw BacktestError("backtest: costs must be finite and non-negative basis points")
    }
    guard settings.threshold >= 0, settings.threshold.isFinite else {
      throw BacktestError("backtest: the threshold must be finite and non-negative, got \(settings.threshold)")
    }
    guard settings.quantile > 0, settings.quantile <= 0.5 else {
      throw BacktestError("backtest: the rank quantile must be in (0, 0.5], got \(settings.quantile)")
    }
    guard settings.periodsPerYear > 0, settings.periodsPerYear.isFinite else {
      throw BacktestError("backtest: periodsPerYear must be positive, got \(settings.periodsPerYear)")
    }
  }

  /// The summary figures; each undefined one (too few periods, zero deviation) is omitted.
  static func metrics(_ returns: [Double], turnover: Double, totalCost: Double, periodsPerYear: Double)
    -> [String: Double]
  {
    var out: [String: Double] = ["periods": Double(returns.count), "totalCost": totalCost]
    guard !returns.isEmpty else { return out }
    out["turnover"] = turnover / Double(returns.count)
    let p = periodsPerYear
    out["annualisedReturn"] = try? TradingMetrics.annualisedReturn(returns, periodsPerYear: p)
    out["annualisedVolatility"] = try? TradingMetrics.annualisedVolatility(returns, periodsPerYear: p)
    out["sharpeRatio"] = try? TradingMetrics.sharpeRatio(returns, periodsPerYear: p)
    out["sortinoRatio"] = try? TradingMetrics.sortinoRatio(returns, periodsPerYear: p)
    out["maximumDrawdown"] = try? TradingMetrics.maximumDrawdown(returns)
    out["calmarRatio"] = try? TradingMetrics.calmarRatio(returns, periodsPerYear: p)
    out["hitRate"] = try? TradingMetrics.hitRate(returns, ignoringZeroReturns: true)
    return out
  }
}
