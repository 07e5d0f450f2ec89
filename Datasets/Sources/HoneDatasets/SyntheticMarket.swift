import Foundation
import HoneCore

/// A deterministic synthetic market: daily OHLCV bars for several symbols whose returns
/// switch between a calm and a turbulent regime.
///
/// The regime follows a two-state Markov chain shared by all symbols. Each day a common
/// market return is drawn with the regime's drift and volatility; each symbol's return is
/// its beta times the market return plus idiosyncratic noise. Open, high and low are
/// built around the close so that `low ≤ open, close ≤ high` always holds, and volume
/// rises with the size of the move. The `regime` column is the hidden state, kept so
/// that regime-aware models and tests can check themselves.
///
/// The same configuration always gives the same table (prices are rounded to 4
/// decimals), so the file in `Datasets/market/` can be regenerated and checked:
///
/// ```swift
/// let table = SyntheticMarket.generate()
/// try CSV.write(table, to: "Datasets/market/synthetic_market.csv")
/// ```
public enum SyntheticMarket {
  /// What to generate.
  public struct Configuration: Codable, Sendable, Equatable {
    /// The symbols, one price path each.
    public var symbols: [String]
    /// The number of business days.
    public var days: Int
    /// The random seed.
    public var seed: UInt64
    /// The first day (a business day is used as given; weekends are skipped after it).
    public var startDate: String

    /// The configuration of the bundled file: two symbols, 750 business days, seed 7.
    public init(
      symbols: [String] = ["ALPHA", "BETA"], days: Int = 750, seed: UInt64 = 7, startDate: String = "2020-01-02"
    ) {
      self.symbols = symbols
      self.days = days
      self.seed = seed
      self.startDate = startDate
    }
  }

  /// One regime's daily market drift and volatility, and its chance of persisting.
  private struct Regime {
    let name: String
    let drift: Double
    let volatility: Double
    let persistence: Double
  }

  private static let regimes = [
    Regime(name: "calm", drift: 0.0005, volatility: 0.008, persistence: 0.985),
    Regime(name: "turbulent", drift: -0.0010, volatility: 0.024, persistence: 0.95),
  ]

  /// Generates the table: columns `timestamp, symbol, open, high, low, close, volume,
  /// regime`, ordered by day and then symbol.
  ///
  /// - Throws: ``TableError`` when the configuration is invalid (no symbols, a negative
  ///   day count, a start date that is not `YYYY-MM-DD`).
  public static func generate(_ configuration: Configuration = Configuration()) throws -> Table {
    guard !configuration.symbols.isEmpty, configuration.days >= 0 else {
      throw TableError("a synthetic market needs at least one symbol and a non-negative day count")
    }
    guard var day = Timestamp.parse(configuration.startDate) else {
      throw TableError("start date `\(configuration.startDate)` is not a YYYY-MM-DD date")
    }
    var rng = Xoshiro256StarStar(seed: configuration.seed)
    let symbolCount = configuration.symbols.count
    let betas = (0..<symbolCount).map { 0.7 + 0.6 * Double($0) / Double(Swift.max(1, symbolCount - 1)) }
    var closes = (0..<symbolCount).map { 50 + 50 * Double($0) }
    var regime = 0

    var timestamps: [Int64] = []
    var symbols: [String?] = []
    var open: [Double] = []
    var high: [Double] = []
    var low: [Double] = []
    var close: [Double] = []
    var volume: [Int64] = []
    var regimeNames: [String?] = []
    let nanosecondsPerDay: Int64 = 86_400 * 1_000_000_000

    for _ in 0..<configuration.days {
      if rng.nextUnitDouble() > regimes[regime].persistence { regime = 1 - regime }
      let state = regimes[regime]
      let market = state.drift + state.volatility * rng.nextGaussian()
      for s in 0..<symbolCount {
        let idiosyncratic = 0.6 * state.volatility * rng.nextGaussian()
        let gap = 0.25 * state.volatility * rng.nextGaussian()
        let dayReturn = betas[s] * market + idiosyncratic
        let opening = closes[s] * exp(gap)
        let closing = closes[s] * exp(gap + dayReturn)
        let upper = Swift.max(opening, closing) * exp(abs(rng.nextGaussian()) * 0.4 * state.volatility)
        let lower = Swift.min(opening, closing) * exp(-abs(rng.nextGaussian()) * 0.4 * state.volatility)
        let shares = 1_000_000 * exp(0.3 * rng.nextGaussian()) * (1 + 25 * abs(dayReturn))
        timestamps.append(day)
        symbols.append(configuration.symbols[s])
        open.append(round4(opening))
        high.append(round4(upper))
        low.append(round4(lower))
        close.append(round4(closing))
        volume.append(Int64(shares.rounded()))
        regimeNames.append(state.name)
        closes[s] = round4(closing)
      }
      day += nanosecondsPerDay
      while isWeekend(day) { day += nanosecondsPerDay }
    }
    return try Table([
      .timestamp("timestamp", nanosecondsSinceEpoch: timestamps),
      .categorical("symbol", symbols),
      .float("open", open),
      .float("high", high),
      .float("low", low),
      .float("close", close),
      .integer("volume", volume),
      .categorical("regime", regimeNames),
    ])
  }

  /// The bundled file's path relative to the repository root.
  public static let bundledPath = "Datasets/market/synthetic_market.csv"

  private static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

  /// Whether the UTC day starting at `nanoseconds` is a Saturday or Sunday
  /// (1970-01-01 was a Thursday).
  private static func isWeekend(_ nanoseconds: Int64) -> Bool {
    let days = Int(nanoseconds / (86_400 * 1_000_000_000))
    let weekday = ((days % 7) + 7 + 3) % 7  // 0 = Monday
    return weekday >= 5
  }
}
