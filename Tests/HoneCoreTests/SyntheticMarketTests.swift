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

  /// The committed file is exactly what the generator makes with its default configuration.
  @Test func theBundledFileMatchesTheGenerator() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let path = root.appendingPathComponent(SyntheticMarket.bundledPath).path
    let onDisk = try CSV.read(contentsOf: path)
    let generated = try SyntheticMarket.generate()
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

  @Test func invalidConfigurationsThrow() {
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(symbols: [])) }
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(days: -1)) }
    #expect(throws: TableError.self) { try SyntheticMarket.generate(.init(startDate: "02/01/2020")) }
  }
}
