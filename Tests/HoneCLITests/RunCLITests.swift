import Foundation
import HoneCore
import HoneDatasets
import HoneTuning
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `hone run` as a process: the quickstart-shaped pipeline, killed with SIGKILL while it
/// tunes and resumed, must end exactly where an uninterrupted run ends.
@Suite("hone run across processes", .serialized)
struct RunCLITests {
  struct Summary: Decodable, Equatable {
    struct Entry: Decodable, Equatable {
      let name: String
      let score: Double?
      let complete: Int
      let pruned: Int
      let failed: Int
    }
    let winner: String
    let leaderboard: [Entry]
    let holdoutMetrics: [String: Double]
    let backtestMetrics: [String: Double]?
    let model: String
    let reusedStages: [String]
  }

  static let yaml = """
    name: resumable
    seed: 11
    data: {path: market.csv, timestamp: timestamp, symbol: symbol, ignore: [regime]}
    target:
      forwardReturn: {price: close, horizon: 2}
    features:
      columns: none
      recipes:
        - logReturn: {column: close, horizon: 1}
        - logReturn: {column: close, horizon: 5}
        - rollingZScore: {column: close, window: 10}
    split:
      purged: {folds: 3, embargo: 0.01}
    holdout: {fraction: 0.2}
    models:
      - kind: gbdt
        params: {rounds: 40}
      - kind: ridge
    tuning: {trials: 12, sampler: tpe, pruner: none}
    selection: {metric: rmse}
    backtest: {enabled: true}
    """

  static func run(_ arguments: [String], in folder: URL) throws -> (Int32, String, String) {
    let result = try HoneCLITests.runHone(arguments, in: folder)
    return (result.status, result.output, result.error)
  }

  static func summary(_ text: String) throws -> Summary {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(Summary.self, from: Data(text.utf8))
  }

  /// Complete trials of the `gbdt` study in a store, read from its journal.
  static func finishedTrials(store: URL) -> [FrozenTrial] {
    allTrials(store: store).filter { $0.state == .complete }
  }

  /// Every trial of the `gbdt` study in a store, read from its journal.
  static func allTrials(store: URL) -> [FrozenTrial] {
    let folder = store.appendingPathComponent("studies")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
    for name in names where name.hasSuffix(".jsonl") {
      if let trials = try? JournalStorage(path: folder.appendingPathComponent(name).path).trials(inStudy: "gbdt") {
        return trials
      }
    }
    return []
  }

  @Test func aRunKilledWhileTuningResumesToTheUninterruptedResult() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-run-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let market = try SyntheticMarket.generate(
      .init(symbols: ["A", "B"], days: 220, seed: 2, tailDegreesOfFreedom: 5, reversal: 0.1))
    try CSV.write(market, to: folder.appendingPathComponent("market.csv").path)
    try Self.yaml.write(to: folder.appendingPathComponent("run.yaml"), atomically: true, encoding: .utf8)

    let (status, output, error) = try Self.run(
      ["run", "run.yaml", "--store", "reference", "--json", "--quiet"], in: folder)
    #expect(status == 0, "\(error)")
    let reference = try Self.summary(output)
    #expect(reference.leaderboard.map { $0.complete + $0.failed } == [12, 12])

    // Start the same run in another store and kill it in the middle of a gbdt trial, once
    // three are done.
    let process = Process()
    process.executableURL = HoneCLITests.executable
    process.arguments = ["run", "run.yaml", "--store", "interrupted", "--quiet"]
    process.currentDirectoryURL = folder
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    let store = folder.appendingPathComponent("interrupted")
    let deadline = Date().addingTimeInterval(120)
    func midTrial() -> Bool {
      let trials = Self.allTrials(store: store)
      return trials.filter { $0.state == .complete }.count >= 3 && trials.last?.state == .running
    }
    while process.isRunning && Date() < deadline && !midTrial() { Thread.sleep(forTimeInterval: 0.005) }
    try #require(process.isRunning, "the run finished before it could be interrupted")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let before = Self.finishedTrials(store: store)
    #expect(before.count >= 3 && before.count < 12)

    let (again, resumedOutput, resumedError) = try Self.run(
      ["run", "run.yaml", "--store", "interrupted", "--json", "--quiet"], in: folder)
    #expect(again == 0, "\(resumedError)")
    let resumed = try Self.summary(resumedOutput)
    // Trials finished before the kill are kept as they were.
    let after = Self.finishedTrials(store: store)
    for trial in before {
      #expect(after.first { $0.number == trial.number } == trial)
    }
    // The trial cut short was failed as dead and retried; it does not count.
    #expect(Self.allTrials(store: store).filter(\.diedWithProcess).count == 1)
    #expect(resumed.winner == reference.winner)
    #expect(resumed.leaderboard.map(\.name) == reference.leaderboard.map(\.name))
    #expect(resumed.leaderboard.map(\.score) == reference.leaderboard.map(\.score))
    #expect(resumed.leaderboard.map(\.complete) == reference.leaderboard.map(\.complete))
    #expect(resumed.holdoutMetrics == reference.holdoutMetrics)
    #expect(resumed.backtestMetrics == reference.backtestMetrics)
  }

  @Test func anInvalidConfigurationNamesTheFieldAndExitsNonZero() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-run-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.yaml.replacingOccurrences(of: "sampler: tpe", with: "sampler: tpee").write(
      to: folder.appendingPathComponent("run.yaml"), atomically: true, encoding: .utf8)
    let (status, _, error) = try Self.run(["run", "run.yaml"], in: folder)
    #expect(status != 0)
    #expect(error.contains("tuning.sampler") && error.contains("did you mean \"tpe\""), "\(error)")
  }
}
