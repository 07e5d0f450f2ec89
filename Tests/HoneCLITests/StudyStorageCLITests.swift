import Foundation
import HoneCore
import HoneTuning
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Real processes sharing a study journal: one killed with SIGKILL mid-trial, two
/// appending at once. Every wait is bounded, and the child is killed if a test gives up.
@Suite("Study storage across processes")
struct StudyStorageCLITests {
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-journal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static func worker(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = HoneCLITests.executable
    process.arguments = ["study-worker"] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Waits up to `seconds` for `process` to exit; kills it and returns `false` if it does not.
  static func waitForExit(_ process: Process, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    guard process.isRunning else { return true }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return false
  }

  @Test func aKilledStudyResumesWithEveryFinishedTrialAndRetriesTheDeadOne() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("study.jsonl").path
    let child = try Self.worker([
      "--journal", path, "--study", "s", "--trials", "50", "--sleep", "150", "--heartbeat", "0.1", "--seed", "1",
    ])
    defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }

    // Kill the child once two trials are finished and a third has suggested its
    // parameters and is sleeping in the objective.
    let deadline = Date().addingTimeInterval(30)
    var midTrial = false
    while !midTrial && Date() < deadline && child.isRunning {
      Thread.sleep(forTimeInterval: 0.02)
      guard FileManager.default.fileExists(atPath: path),
        let trials = try? JournalStorage(path: path).trials(inStudy: "s"), let last = trials.last
      else { continue }
      midTrial =
        trials.filter { $0.state == .complete }.count >= 2 && last.state == .running && !last.parameters.isEmpty
    }
    try #require(midTrial, "the worker never reached the middle of its third trial")
    kill(child.processIdentifier, SIGKILL)
    child.waitUntilExit()
    #expect(child.terminationReason == .uncaughtSignal)

    let beforeResume = try JournalStorage(path: path).trials(inStudy: "s")
    let finished = beforeResume.filter { $0.state != .running }
    let dead = try #require(beforeResume.last)
    #expect(dead.state == .running)
    #expect(finished.count == beforeResume.count - 1)
    // The child beat every 0.1 s; a second of silence is ten missed heartbeats.
    Thread.sleep(forTimeInterval: 1)

    let study = try Study(
      name: "s", sampler: RandomSampler(seed: 2), storage: try JournalStorage(path: path), staleAfter: 0.5)
    let resumed = study.trials
    #expect(Array(resumed.prefix(finished.count)) == finished)
    let failed = try #require(resumed.last)
    #expect(failed.number == dead.number)
    #expect(failed.state == .failed)
    #expect(failed.parameters == dead.parameters)
    try study.optimize(trials: 2) { trial in
      let x = try trial.suggestFloat("x", -5...5)
      return x * x
    }
    let after = study.trials
    #expect(after.count == resumed.count + 2)
    let retry = try #require(after.first { $0.number == dead.number + 1 })
    #expect(retry.state == .complete)
    #expect(retry.parameters == dead.parameters)
    #expect(Array(after.prefix(finished.count)) == finished)
  }

  @Test func twoProcessesSharingAJournalNeverLoseOrDuplicateATrial() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("shared.jsonl").path
    let perProcess = 15
    let workers = try (1...2).map { seed in
      try Self.worker([
        "--journal", path, "--study", "shared", "--trials", "\(perProcess)", "--sleep", "20", "--seed", "\(seed)",
      ])
    }
    for worker in workers {
      #expect(Self.waitForExit(worker, seconds: 60), "a worker did not finish within a minute")
      #expect(worker.terminationStatus == 0)
    }
    let storage = try JournalStorage(path: path)
    let trials = try storage.trials(inStudy: "shared")
    #expect(trials.map(\.number) == Array(0..<(2 * perProcess)))
    #expect(trials.allSatisfy { $0.state == .complete })
    #expect(storage.ignoredLines.isEmpty)
    // Each process's seeded sampler gives its own values, so both processes' trials are
    // all present: no trial of one overwrote a trial of the other.
    let values = Set(trials.compactMap { $0.parameters["x"] })
    #expect(values.count == 2 * perProcess)
  }
}
