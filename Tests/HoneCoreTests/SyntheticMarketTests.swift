import Foundation
import HoneCore
import HoneDatasets
import Testing

@Suite("Synthetic market generator")
struct SyntheticMarketTests {
  @Test func theSameSeedGivesTheSameTable() throws {
    let configuration = SyntheticMarket.Configuration(days: 60, seed: 11)
    #expect(try SyntheticMarket.generate(configuration) == SyntheticMarket.generate(configuration))
    let other = SyntheticMarket.Configuration(days: 60, seed: 12)
    #expect(try SyntheticMarket.generate(configuration) != SyntheticMarket.generate(other))
  }

  @Test func barsAreConsistentAndDaysAreBusinessDays() throws {
    let table = try SyntheticMarket.generate(.init(symbols: ["A", "B", "C"], days: 300, seed: 3))
    #expect(table.rowCount == 900)
    let open = try table.column(named: "open").doubleValues
    let high = try table.column(named: "high").doubleValues
    let low = try table.column(named: "low").doubleValues
    let close = try table.column(named: "close").doubleValues
    for i in 0..<table.rowCount {
      #expect(low[i] <= min(open[i], close[i]) && max(open[i], close[i]) <= high[i] && low[i] > 0)
    }
    guard case .timestamp(let stamps) = try table.column(named: "timestamp").values else {
      Issue.record("timestamp column has the wrong type")
      return
    }
    for stamp in stamps {
      // 1970-01-01 was a Thursday: (days + 3) mod 7 gives 0 for Monday.
      let weekday = (Int(stamp / 86_400_000_000_000) + 3) % 7
      #expect(weekday < 5)
    }
  }

  @Test func bothRegimesOccurAndTurbulenceIsMoreVolatile() throws {
    let table = try SyntheticMarket.generate(.init(symbols: ["A"], days: 2000, seed: 5))
    let close = try table.column(named: "close").doubleValues
    guard case .categorical(let codes, let names) = try table.column(named: "regime").values else {
      Issue.record("regime column has the wrong type")
      return
    }
    var returns: [String: [Double]] = [:]
    for i in 1..<close.count { returns[names[Int(codes[i])], default: []].append(log(close[i] / close[i - 1])) }
    func std(_ v: [Double]) -> Double {
      let m = v.reduce(0, +) / Double(v.count)
      return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }
    let calm = try #require(returns["calm"])
    let turbulent = try #require(returns["turbulent"])
    #expect(calm.count > 100 && turbulent.count > 100)
    // Configured daily volatilities are about 0.011 and 0.033 (market plus idiosyncratic
    // parts); a factor of 2 separates them with a wide margin for sampling noise.
    #expect(std(turbulent) > 2 * std(calm))
  }

  /// The committed files are exactly what the generator makes with their configurations.
  @Test(arguments: [
    (SyntheticMarket.bundledPath, SyntheticMarket.Configuration()),
    (SyntheticMarket.quickstartPath, SyntheticMarket.Configuration.quickstart),
  ])
  func theBundledFilesMatchTheGenerator(file: String, configuration: SyntheticMarket.Configuration) throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let path = root.appendingPathComponent(file).path
    let onDisk = try CSV.read(contentsOf: path)
    let generated = try SyntheticMarket.generate(configuration)
    #expect(onDisk.schema == generated.schema)
    #expect(onDisk.rowCount == generated.rowCount)
    for name in ["open", "high", "low", "close"] {
      let a = try onDisk.column(named: name).doubleValues
      let b = try generated.column(named: name).doubleValues
      // Prices are rounded to 4 decimals; a last-bit difference in the C library's
      // exp/log on another machine could move a rounding by one unit, never more.
      #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1.0001e-4 })
    }
  }

  /// Student-t shocks with 4 degrees of freedom have an infinite fourth moment, so the
  /// sample excess kurtosis of calm-regime returns is far above a Gaussian's 0; with the
  /// same seed and Gaussian shocks it stays near 0 (its standard error is about
  /// sqrt(24 / n) ≈ 0.11 for the ~2,000 calm days here, so 0.6 is over five of them).
  @Test func studentShocksGiveFatTails() throws {
    func calmExcessKurtosis(_ tails: Int?) throws -> Double {
      let table = try SyntheticMarket.generate(
        .init(symbols: ["A"], days: 3000, seed: 9, tailDegreesOfFreedom: tails))
      let close = try table.column(named: "close").doubleValues
      guard case .categorical(let codes, let names) = try table.column(named: "regime").values else { return .nan }
      var r: [Double] = []
      for i in 1..<close.count where names[Int(codes[i])] == "calm" { r.append(log(close[i] / close[i - 1])) }
      let n = Double(r.count)
      let mean = r.reduce(0, +) / n
      let m2 = r.reduce(0) { $0 + pow($1 - mean, 2) } / n
      let m4 = r.reduce(0) { $0 + pow($1 - mean, 4) } / n
      return m4 / (m2 * m2) - 3
    }
    #expect(try calmExcessKurtosis(4) > 1.5)
    #expect(try abs(calmExcessKurtosis(nil)) < 0.6)
  }

  /// The reversal term makes minus the past five-day return predict the next day's return
  /// with a correlation near the loading; without it the correlation is noise. With about
  /// 12,000 pairs a correlation's standard error is about 0.009.
  @Test func theReversalLoadingIsAWeakButRealSignal() throws {
    func informationCoefficient(_ reversal: Double) throws -> Double {
      let symbols = ["A", "B", "C"]
      let table = try SyntheticMarket.generate(
        .init(symbols: symbols, days: 4000, seed: 13, tailDegreesOfFreedom: 4, reversal: reversal))
      let close = try table.column(named: "close").doubleValues
      var signal: [Double] = []
      var next: [Double] = []
      for s in 0..<symbols.count {
        let prices = stride(from: s, to: close.count, by: symbols.count).map { close[$0] }
        for t in 5..<(prices.count - 1) {
          signal.append(-log(prices[t] / prices[t - 5]))
          next.append(log(prices[t + 1] / prices[t]))
        }
      }
      let n = Double(signal.count)
      let ms = signal.reduce(0, +) / n
      let mn = next.reduce(0, +) / n
      var sxy = 0.0
      var sxx = 0.0
      var syy = 0.0
      for i in signal.indices {
        sxy += (signal[i] - ms) * (next[i] - mn)
        sxx += (signal[i] - ms) * (signal[i] - ms)
        syy += (next[i] - mn) * (next[i] - mn)
      }
      return sxy / (sxx * syy).squareRoot()
    }
    let withSignal = try informationCoefficient(0.1)
    #expect(withSignal > 0.05 && withSignal < 0.15)
    #expect(try abs(informationCoefficient(0)) < 0.03)
  }

  @Test func invalidConfigurationsThrow() {
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(tailDegreesOfFreedom: 2)) }
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(reversal: .nan)) }
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(symbols: [])) }
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(days: -1)) }
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(startDate: "02/01/2020")) }
  }
}
