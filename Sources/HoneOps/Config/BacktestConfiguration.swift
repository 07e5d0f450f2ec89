/// How the holdout's predictions become positions, and the costs of trading them.
///
/// ```yaml
/// backtest:
///   enabled: true
///   positions: rank      # sign | threshold | rank
///   quantile: 0.2        # rank: long the top, short the bottom 20 % of each period
///   costBps: 1
///   slippageBps: 1
///   periodsPerYear: 252
/// ```
public struct BacktestConfiguration: Codable, Sendable, Equatable {
  /// How a prediction becomes a position.
  public enum Positions: String, Codable, Sendable, CaseIterable {
    /// +1 for a positive prediction (or a positive class), −1 for a negative one.
    case sign
    /// +1 above ``BacktestConfiguration/threshold``, −1 below its negative, else flat.
    case threshold
    /// Per period, long the top ``BacktestConfiguration/quantile`` of predictions across
    /// symbols and short the bottom one.
    case rank
  }

  /// Whether to backtest the holdout. Default `false`.
  public var enabled: Bool
  /// How predictions become positions. Default ``Positions/sign``.
  public var positions: Positions
  /// The dead band for ``Positions/threshold``, at least 0. Default 0.
  public var threshold: Double
  /// The fraction long and short for ``Positions/rank``, in `(0, 0.5]`. Default 0.2.
  public var quantile: Double
  /// Commission per unit of turnover, in basis points, at least 0. Default 1.
  public var costBps: Double
  /// Slippage per unit of turnover, in basis points, at least 0. Default 1.
  public var slippageBps: Double
  /// Periods per year for annualising (252 trading days). Default 252.
  public var periodsPerYear: Double
  /// The column holding each row's realised forward return, or `nil` for the label's own
  /// return (label targets only). Default `nil`.
  public var returns: String?

  /// Creates a backtest section.
  ///
  /// - Parameters:
  ///   - enabled: Whether to backtest.
  ///   - positions: How predictions become positions.
  ///   - threshold: The threshold dead band.
  ///   - quantile: The rank quantile.
  ///   - costBps: Commission in basis points.
  ///   - slippageBps: Slippage in basis points.
  ///   - periodsPerYear: Periods per year.
  ///   - returns: The realised-return column, or `nil` for the label's return.
  public init(
    enabled: Bool = false, positions: Positions = .sign, threshold: Double = 0, quantile: Double = 0.2,
    costBps: Double = 1, slippageBps: Double = 1, periodsPerYear: Double = 252, returns: String? = nil
  ) {
    self.enabled = enabled
    self.positions = positions
    self.threshold = threshold
    self.quantile = quantile
    self.costBps = costBps
    self.slippageBps = slippageBps
    self.periodsPerYear = periodsPerYear
    self.returns = returns
  }
}
