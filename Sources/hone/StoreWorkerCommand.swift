import ArgumentParser
import Foundation
import Hone

/// `hone store-worker`: stores artifacts and registers them as model versions in a loop.
///
/// Hidden: it exists so the tests can kill a real process with SIGKILL in the middle of a
/// save and check that the registry never points at a partial artifact, and so two
/// processes can register into one store at once.
struct StoreWorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "store-worker",
    abstract: "Store and register artifacts in a loop (for tests).",
    shouldDisplay: false)

  @Option(help: "The store directory (created if missing).") var store: String
  @Option(help: "The model to register versions of.") var model = "worker"
  @Option(help: "How many versions to register.") var count = 10
  @Option(help: "Bytes per artifact.") var bytes = 1 << 20
  @Option(help: "Seed for the artifacts' content.") var seed: UInt64 = 0
  @Option(help: "Milliseconds to sleep halfway through writing each artifact.") var pauseMidWrite = 0
  @Flag(help: "Track a run per version (id MODEL-SEED-ITERATION) with parameters, a metric and the artifact.")
  var track = false

  func validate() throws {
    guard count >= 0 else { throw ValidationError("--count must be ≥ 0, got \(count)") }
    guard bytes >= 0 else { throw ValidationError("--bytes must be ≥ 0, got \(bytes)") }
    guard pauseMidWrite >= 0 else { throw ValidationError("--pause-mid-write must be ≥ 0, got \(pauseMidWrite)") }
  }

  /// `bytes` bytes from a SplitMix64 stream seeded by the worker's seed and the iteration,
  /// so every artifact differs and the test can recompute any of them.
  static func content(bytes: Int, seed: UInt64, iteration: Int) -> Data {
    var generator = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(iteration))
    var data = Data(count: bytes)
    data.withUnsafeMutableBytes { raw in
      var offset = 0
      while offset < raw.count {
        var word = generator.next()
        for _ in 0..<min(8, raw.count - offset) {
          raw[offset] = UInt8(truncatingIfNeeded: word)
          word >>= 8
          offset += 1
        }
      }
    }
    return data
  }

  func run() throws {
    let store = try HoneStore(root: store)
    for iteration in 0..<count {
      let data = Self.content(bytes: bytes, seed: seed, iteration: iteration)
      let artifact = try store.artifacts.put(data, kind: .model, pausingMidWrite: Double(pauseMidWrite) / 1000)
      var runID: String?
      if track {
        let run = try store.runs.startRun(name: "worker \(iteration)", id: "\(model)-\(seed)-\(iteration)")
        try store.runs.logParameters(["seed": String(seed), "iteration": String(iteration)], for: run.id)
        try store.runs.logMetric("score", Double(iteration) / 4, for: run.id)
        try store.runs.logArtifact(artifact, named: "model", for: run.id)
        try store.runs.finishRun(run.id)
        runID = run.id
      }
      let version = try store.registry.register(
        ModelRegistration(
          name: model, artifact: artifact, modelKind: "worker", metrics: ["iteration": Double(iteration)],
          lineage: ModelLineage(parentRunID: runID), description: "seed \(seed) iteration \(iteration)"))
      print("registered \(version.reference)")
      fflush(nil)  // one line per version even when stdout is a pipe
    }
  }
}
