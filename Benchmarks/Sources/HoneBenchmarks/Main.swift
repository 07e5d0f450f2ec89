import ArgumentParser

@main
struct HoneBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hone-bench",
    abstract: "Hone's benchmarks: each compares Hone with a reference measured in the same run.",
    subcommands: [
      BLASBenchmark.self, CSVBenchmark.self, GBDTBenchmark.self, HPOBenchmark.self, LinearBenchmark.self,
      MLPBenchmark.self, TuneBenchmark.self,
      RollingBenchmark.self,
    ]
  )
}
