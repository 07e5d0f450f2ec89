import ArgumentParser
import Foundation
import Hone

/// `hone run CONFIG`: the whole model-selection pipeline from one configuration file.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract:
      "Run a configuration end to end: data, features, tuning with CV, selection, holdout, backtest, registry, report.",
    discussion: """
      Finished stages are stored under their content key in the store (default .hone), so \
      rerunning an unchanged configuration reuses them, and an interrupted run resumes its \
      tuning where it stopped. Progress goes to standard error; the leaderboard and the \
      report's path to standard output.

      Example: hone run Examples/quickstart.yaml --set tuning.trials=10
      """)

  @Argument(help: "The run configuration (YAML or JSON).") var config: String
  @Option(name: .customLong("set"), help: "Override a value: path=value (e.g. tuning.trials=10); repeatable.")
  var overrides: [String] = []
  @Option(help: "The store folder (default: the configuration's output.store, .hone).") var store: String?
  @Flag(help: "Print the result as JSON.") var json = false
  @Flag(help: "No progress lines on standard error.") var quiet = false

  func run() throws {
    let loader = ConfigurationLoader(environment: ProcessInfo.processInfo.environment, overrides: overrides)
    let resolved = try loader.load(file: config)
    try resolved.validate { kind, task in
      (try? ModelCatalog.entry(kind, task: task)).map { Set($0.hyperparameterNames) }
    }
    let configuration = resolved.configuration
    let honeStore = try HoneStore(root: store ?? configuration.output.store)
    let quiet = self.quiet
    let orchestrator = RunOrchestrator(
      configuration: configuration, configurationText: resolved.explain(), configurationHash: configuration.hash,
      store: honeStore,
      log: { line in
        guard !quiet else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
      })
    let result = try orchestrator.run()
    if json {
      try printJSON(RunSummary(result))
      return
    }
    print("Leaderboard (\(result.metric), cross-validated on the training rows):")
    let rows = result.leaderboard.map { entry in
      [
        entry.name + (entry.isWinner ? " (winner)" : ""), entry.kind.rawValue, short(entry.score),
        short(entry.scoreStandardDeviation),
        String(entry.complete), String(entry.pruned), String(entry.failed), String(format: "%.1f", entry.seconds),
      ]
    }
    print(
      textTable(
        header: ["candidate", "kind", result.metric, "std", "trials", "pruned", "failed", "seconds"], rows: rows))
    print()
    let holdout = result.holdoutMetrics.sorted { $0.key < $1.key }.map { "\($0.key) \(short($0.value, digits: 4))" }
    print("Holdout: " + (holdout.isEmpty ? "no holdout rows" : holdout.joined(separator: ", ")))
    if let backtest = result.backtest {
      let keys = ["sharpeRatio", "annualisedReturn", "maximumDrawdown"]
      print(
        "Backtest: "
          + keys.compactMap { key in backtest.metrics[key].map { "\(key) \(short($0, digits: 4))" } }
          .joined(separator: ", "))
    }
    if let selection = result.selection {
      print(
        "Selection: deflated Sharpe \(short(selection.deflatedSharpeRatio, digits: 3)), "
          + "PBO \(short(selection.probabilityOfBacktestOverfitting, digits: 3))")
    }
    print("Registered: \(result.modelVersion.reference) (\(result.modelVersion.aliases.joined(separator: ", ")))")
    if !result.reusedStages.isEmpty { print("Reused: \(result.reusedStages.joined(separator: ", "))") }
    print("Report: \(result.reportPath)")
  }
}

/// `hone run --json`'s output.
struct RunSummary: Encodable {
  let runID: String
  let metric: String
  let winner: String
  let leaderboard: [LeaderboardEntry]
  let holdoutMetrics: [String: Double]
  let backtestMetrics: [String: Double]?
  let deflatedSharpeRatio: Double?
  let probabilityOfBacktestOverfitting: Double?
  let model: String
  let aliases: [String]
  let reportPath: String
  let runDirectory: String
  let reusedStages: [String]

  init(_ result: RunResult) {
    runID = result.runID
    metric = result.metric
    winner = result.winner
    leaderboard = result.leaderboard
    holdoutMetrics = result.holdoutMetrics
    backtestMetrics = result.backtest?.metrics
    deflatedSharpeRatio = result.selection?.deflatedSharpeRatio
    probabilityOfBacktestOverfitting = result.selection?.probabilityOfBacktestOverfitting
    model = result.modelVersion.reference
    aliases = result.modelVersion.aliases
    reportPath = result.reportPath
    runDirectory = result.runDirectory
    reusedStages = result.reusedStages
  }
}
