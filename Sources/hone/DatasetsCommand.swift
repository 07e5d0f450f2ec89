import ArgumentParser
import Hone

/// `hone datasets …`: Hone's deterministic data generators.
struct DatasetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets", abstract: "Generate Hone's deterministic datasets.", subcommands: [Market.self])

  /// `hone datasets market`: the synthetic regime-switching market.
  struct Market: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a synthetic daily OHLCV market with calm and turbulent regimes as CSV.",
      discussion: """
        With no options it writes the bundled file (\(SyntheticMarket.bundledPath)); \
        `--preset quickstart` writes the quickstart's market (\(SyntheticMarket.quickstartPath)). \
        Options given after a preset override it.
        """)

    @Option(help: "Start from a named configuration: bundled or quickstart.") var preset: String = "bundled"
    @Option(help: "The output CSV file (default: the preset's bundled path).") var output: String?
    @Option(help: "Comma-separated symbols.") var symbols: String?
    @Option(help: "Business days per symbol.") var days: Int?
    @Option(help: "Random seed.") var seed: UInt64?
    @Option(help: "Student-t degrees of freedom of the shocks (≥ 3; omit for Gaussian).")
    var tails: Int?
    @Option(help: "Loading on minus the past five-day return (a weak predictable component).")
    var reversal: Double?

    func run() throws {
      var configuration: SyntheticMarket.Configuration
      let defaultOutput: String
      switch preset {
      case "bundled":
        configuration = SyntheticMarket.Configuration()
        defaultOutput = SyntheticMarket.bundledPath
      case "quickstart":
        configuration = .quickstart
        defaultOutput = SyntheticMarket.quickstartPath
      default:
        throw ValidationError("unknown preset `\(preset)`; choose bundled or quickstart")
      }
      if let symbols { configuration.symbols = symbols.split(separator: ",").map(String.init) }
      if let days { configuration.days = days }
      if let seed { configuration.seed = seed }
      if let tails { configuration.tailDegreesOfFreedom = tails }
      if let reversal { configuration.reversal = reversal }
      let table = try SyntheticMarket.generate(configuration)
      let path = output ?? defaultOutput
      try CSV.write(table, to: path)
      print("wrote \(table.rowCount) rows to \(path)")
    }
  }
}
