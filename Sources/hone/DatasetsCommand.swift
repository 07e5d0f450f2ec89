import ArgumentParser
import Hone

/// `hone datasets …`: Hone's deterministic data generators.
struct DatasetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets", abstract: "Generate Hone's deterministic datasets.", subcommands: [Market.self])

  /// `hone datasets market`: the synthetic regime-switching market.
  struct Market: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a synthetic daily OHLCV market with calm and turbulent regimes as CSV.")

    @Option(help: "The output CSV file.") var output: String = SyntheticMarket.bundledPath
    @Option(help: "Comma-separated symbols.") var symbols: String = "ALPHA,BETA"
    @Option(help: "Business days per symbol.") var days: Int = 750
    @Option(help: "Random seed.") var seed: UInt64 = 7

    func run() throws {
      let configuration = SyntheticMarket.Configuration(
        symbols: symbols.split(separator: ",").map(String.init), days: days, seed: seed)
      let table = try SyntheticMarket.generate(configuration)
      try CSV.write(table, to: output)
      print("wrote \(table.rowCount) rows to \(output)")
    }
  }
}
