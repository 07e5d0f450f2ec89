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
/// Two options make the market harder and more realistic, and are what the quickstart
/// uses (``Configuration/quickstart``): Student-t shocks (`tailDegreesOfFreedom`, fat tails
/// scaled to the regime's volatility) and a weak short-term reversal (`reversal`): each
/// symbol's close-to-close log return carries `-reversal` times its own past five-day
/// return over √5 (a term `reversal` times the size of a typical daily move), a signal a
/// model can find from past prices alone and which is small next to the noise (an
/// information coefficient near `reversal`).
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

    /// The degrees of freedom of Student-t shocks (at least 3, so the variance exists), or
    /// `nil` for Gaussian shocks.
    public var tailDegreesOfFreedom: Int?
    /// The loading of each return on minus the symbol's past five-day return over √5
    /// (0 = no predictable component).
    public var reversal: Double

    /// The configuration of the bundled file: two symbols, 750 business days, seed 7,
    /// Gaussian shocks, no predictable component.
    public init(
      symbols: [String] = ["ALPHA", "BETA"], days: Int = 750, seed: UInt64 = 7, startDate: String = "2020-01-02",
      tailDegreesOfFreedom: Int? = nil, reversal: Double = 0
    ) {
      self.symbols = symbols
      self.days = days
      self.seed = seed
      self.startDate = startDate
      self.tailDegreesOfFreedom = tailDegreesOfFreedom
      self.reversal = reversal
    }

    /// The quickstart's market (`Datasets/market/quickstart_market.csv`): four symbols,
    /// 1,000 business days, Student-t shocks with 4 degrees of freedom and a reversal
    /// loading of 0.1.
    public static let quickstart = Configuration(
      symbols: ["ALPHA", "BETA", "GAMMA", "DELTA"], days: 1000, seed: 11, startDate: "2021-01-04",
      tailDegreesOfFreedom: 4, reversal: 0.1)

    private enum CodingKeys: String, CodingKey {
      case symbols, days, seed, startDate, tailDegreesOfFreedom, reversal
    }

    /// Decodes a configuration; the two optional fields may be left out.
    ///
    /// - Throws: `DecodingError` for a missing required field or a wrong type.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        symbols: try container.decode([String].self, forKey: .symbols),
        days: try container.decode(Int.self, forKey: .days),
        seed: try container.decode(UInt64.self, forKey: .seed),
        startDate: try container.decode(String.self, forKey: .startDate),
        tailDegreesOfFreedom: try container.decodeIfPresent(Int.self, forKey: .tailDegreesOfFreedom),
        reversal: try container.decodeIfPresent(Double.self, forKey: .reversal) ?? 0)
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
  ///   day count, a start date that is not `YYYY-MM-DD`, fewer than 3 degrees of freedom,
  ///   a reversal loading that is not finite).
  public static func generate(_ configuration: Configuration = Configuration()) throws -> Table {
    guard !configuration.symbols.isEmpty, configuration.days >= 0 else {
      throw TableError("a synthetic market needs at least one symbol and a non-negative day count")
    }
    if let nu = configuration.tailDegreesOfFreedom, nu < 3 {
      throw TableError("tailDegreesOfFreedom must be at least 3 so the shocks have a variance, got \(nu)")
    }
    guard configuration.reversal.isFinite else {
      throw TableError("reversal must be a finite number, got \(configuration.reversal)")
    }
    let shock: (inout Xoshiro256StarStar) -> Double
    if let nu = configuration.tailDegreesOfFreedom {
      // t = z / sqrt(χ²_ν / ν), scaled by sqrt((ν − 2) / ν) to unit variance.
      let scale = (Double(nu - 2) / Double(nu)).squareRoot()
      shock = { rng in
        let z = rng.nextGaussian()
        var chiSquare = 0.0
        for _ in 0..<nu {
          let g = rng.nextGaussian()
          chiSquare += g * g
        }
        return scale * z / (chiSquare / Double(nu)).squareRoot()
      }
    } else {
      shock = { rng in rng.nextGaussian() }
    }
    let reversalWindow = 5
    guard var day = Timestamp.parse(configuration.startDate) else {
      throw TableError("start date `\(configuration.startDate)` is not a YYYY-MM-DD date")
    }
    var rng = Xoshiro256StarStar(seed: configuration.seed)
    let symbolCount = configuration.symbols.count
    let betas = (0..<symbolCount).map { 0.7 + 0.6 * Double($0) / Double(Swift.max(1, symbolCount - 1)) }
    var closes = (0..<symbolCount).map { 50 + 50 * Double($0) }
    var regime = 0
    // Each symbol's last five daily log returns (newest last), for the reversal term.
    var recentReturns = [[Double]](repeating: [], count: symbolCount)

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
      let market = state.drift + state.volatility * shock(&rng)
      for s in 0..<symbolCount {
        let idiosyncratic = 0.6 * state.volatility * shock(&rng)
        let gap = 0.25 * state.volatility * rng.nextGaussian()
        var dayReturn = betas[s] * market + idiosyncratic
        if configuration.reversal != 0 {
          let past = recentReturns[s].reduce(0, +)
          dayReturn -= configuration.reversal * past / Double(reversalWindow).squareRoot()
          recentReturns[s].append(gap + dayReturn)
          if recentReturns[s].count > reversalWindow { recentReturns[s].removeFirst() }
        }
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

  /// The quickstart's file (``Configuration/quickstart``), relative to the repository root.
  public static let quickstartPath = "Datasets/market/quickstart_market.csv"

  private static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

  /// Whether the UTC day starting at `nanoseconds` is a Saturday or Sunday
  /// (1970-01-01 was a Thursday).
  private static func isWeekend(_ nanoseconds: Int64) -> Bool {
    let days = Int(nanoseconds / (86_400 * 1_000_000_000))
    let weekday = ((days % 7) + 7 + 3) % 7  // 0 = Monday
    return weekday >= 5
  }
}
