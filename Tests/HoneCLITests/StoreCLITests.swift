import Foundation
import HoneCore
import HoneOps
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `hone registry` and `hone runs` through the built binary, and real processes writing
/// one store: killed with SIGKILL mid-save, or registering two at a time. Every wait is
/// bounded, and a child is killed if a test gives up.
@Suite("Store commands and processes")
struct StoreCLITests {
  typealias Result = HoneCLITests.Result

  static func run(_ arguments: [String]) throws -> Result { try HoneCLITests.runHone(arguments) }

  /// Runs `hone` and decodes its JSON output.
  static func json(_ arguments: [String]) throws -> Any {
    let result = try run(arguments)
    try #require(result.status == 0, "hone \(arguments.joined(separator: " ")): \(result.error)")
    return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
  }

  /// Starts `hone store-worker`; its standard error goes to `errors` when given, so a
  /// failing test can show why a worker stopped.
  static func worker(_ arguments: [String], errors: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = HoneCLITests.executable
    process.arguments = ["store-worker"] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    if let errors {
      try Data().write(to: errors)
      process.standardError = try FileHandle(forWritingTo: errors)
    }
    try process.run()
    return process
  }

  static func sha256sum(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
  }

  @Test func registryCommandsListShowPromoteRollbackAndExport() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store").path
    let made = try Self.run(["store-worker", "--store", store, "--model", "m", "--count", "3", "--bytes", "5000"])
    try #require(made.status == 0, "\(made.error)")

    let models = try #require(try Self.json(["registry", "list", "--store", store, "--json"]) as? [[String: Any]])
    #expect(models.count == 1)
    #expect(models.first?["name"] as? String == "m")
    #expect(models.first?["versionCount"] as? Int == 3)
    #expect(models.first?["latestVersion"] as? Int == 3)

    _ = try Self.json(["registry", "promote", "m", "1", "--store", store, "--json"])
    let second = try #require(
      try Self.json(["registry", "promote", "m", "3", "--alias", "champion", "--store", store, "--json"])
        as? [String: Any])
    #expect(second["previousVersion"] as? Int == 1)
    #expect(second["changed"] as? Bool == true)
    let repeated = try #require(
      try Self.json(["registry", "promote", "m", "3", "--store", store, "--json"]) as? [String: Any])
    #expect(repeated["changed"] as? Bool == false)
    #expect(repeated["previousVersion"] as? Int == 3)
    _ = try Self.json(["registry", "promote", "m", "2", "--alias", "challenger", "--store", store, "--json"])
    let back = try #require(
      try Self.json(["registry", "rollback", "m", "--alias", "champion", "--store", store, "--json"]) as? [String: Any])
    #expect(back["version"] as? Int == 1)
    #expect(back["previousVersion"] as? Int == 3)
    #expect(back["action"] as? String == "rollback")

    let shown = try #require(try Self.json(["registry", "show", "m", "--store", store, "--json"]) as? [String: Any])
    let versions = try #require(shown["versions"] as? [[String: Any]])
    #expect(versions.compactMap { $0["version"] as? Int } == [1, 2, 3])
    #expect(versions.compactMap { $0["aliases"] as? [String] } == [["champion"], ["challenger"], []])
    #expect((shown["aliasHistory"] as? [Any])?.count == 4)

    let champion = try #require(
      try Self.json(["registry", "show", "m:champion", "--store", store, "--json"]) as? [String: Any])
    #expect(champion["version"] as? Int == 1)
    let artifact = try #require(champion["artifact"] as? [String: Any])
    let sha256 = try #require(artifact["sha256"] as? String)
    #expect(artifact["byteCount"] as? Int == 5000)

    let out = folder.appendingPathComponent("champion.bin").path
    let exported = try #require(
      try Self.json(["registry", "export", "m:champion", "--out", out, "--store", store, "--json"]) as? [String: Any])
    #expect(exported["reference"] as? String == "m@1")
    #expect(try Self.sha256sum(out) == sha256)
    let object = "\(store)/artifacts/sha256/\(sha256.prefix(2))/\(sha256)"
    #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: object))

    let text = try Self.run(["registry", "list", "--store", store])
    #expect(text.status == 0)
    #expect(text.output.contains("champion=1, challenger=2") || text.output.contains("challenger=2, champion=1"))
  }

  @Test(arguments: [
    (["registry", "list"], "no Hone store"),
    (["registry", "show", "nope"], "no model named `nope`; known models: m"),
    (["registry", "show", "m@9"], "`m` has no version 9; its versions are 1 to 1"),
    (["registry", "show", "m:champion"], "`m` has no alias `champion`"),
    (["registry", "promote", "m", "4"], "`m` has no version 4"),
    (["registry", "rollback", "m", "--alias", "challenger"], "`m` has no alias `challenger`"),
    (["registry", "export", "ghost", "--out", "x.bin"], "no model named `ghost`"),
    (["runs", "show", "r-404"], "no run with id `r-404`"),
    (["runs", "compare", "m-0-0", "r-404"], "no run with id `r-404`"),
  ])
  func missingThingsFailWithAClearMessage(_ arguments: [String], _ message: String) throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store").path
    if message != "no Hone store" {
      let made = try Self.run([
        "store-worker", "--store", store, "--model", "m", "--count", "1", "--bytes", "10", "--track",
      ])
      try #require(made.status == 0, "\(made.error)")
    }
    let result = try Self.run(arguments + ["--store", store])
    #expect(result.status != 0)
    #expect(result.error.contains(message), "\(result.error)")
    #expect(result.error.contains(store))
  }

  @Test func runsCommandsListShowAndCompare() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store").path
    let made = try Self.run([
      "store-worker", "--store", store, "--model", "m", "--count", "3", "--bytes", "100", "--seed", "7", "--track",
    ])
    try #require(made.status == 0, "\(made.error)")

    let runs = try #require(try Self.json(["runs", "list", "--store", store, "--json"]) as? [[String: Any]])
    #expect(runs.compactMap { $0["id"] as? String } == ["m-7-2", "m-7-1", "m-7-0"])
    #expect(runs.allSatisfy { $0["status"] as? String == "finished" })

    let shown = try #require(try Self.json(["runs", "show", "m-7-1", "--store", store, "--json"]) as? [String: Any])
    #expect(shown["parameters"] as? [String: String] == ["seed": "7", "iteration": "1"])
    let metrics = try #require(shown["metrics"] as? [[String: Any]])
    #expect(metrics.count == 1)
    #expect(metrics.first?["value"] as? Double == 0.25)
    let artifacts = try #require(shown["artifacts"] as? [String: [String: Any]])
    let version = try #require(
      try Self.json(["registry", "show", "m@2", "--store", store, "--json"]) as? [String: Any])
    #expect(artifacts["model"]?["sha256"] as? String == (version["artifact"] as? [String: Any])?["sha256"] as? String)
    #expect((version["lineage"] as? [String: Any])?["parentRunID"] as? String == "m-7-1")

    let table = try #require(
      try Self.json(["runs", "compare", "m-7-0", "m-7-2", "--store", store, "--json"]) as? [String: Any])
    #expect(table["runIDs"] as? [String] == ["m-7-0", "m-7-2"])
    let metricRows = try #require(table["metrics"] as? [[String: Any]])
    #expect(metricRows.count == 1)
    #expect(metricRows.first?["key"] as? String == "score")
    #expect(metricRows.first?["values"] as? [Double] == [0, 0.5])
    let parameterRows = try #require(table["parameters"] as? [[String: Any]])
    #expect(parameterRows.compactMap { $0["key"] as? String } == ["iteration", "seed"])
    #expect(parameterRows.first?["values"] as? [String] == ["0", "2"])

    let text = try Self.run(["runs", "compare", "m-7-0", "m-7-2", "--store", store])
    #expect(text.status == 0)
    #expect(text.output.contains("metric score"))
  }

  /// Waits up to `seconds` for `process` to exit; kills it and returns `false` if it does not.
  static func waitForExit(_ process: Process, seconds: Double) -> Bool {
    StudyStorageCLITests.waitForExit(process, seconds: seconds)
  }

  static func registeredCount(_ store: String) -> Int {
    guard let opened = try? HoneStore(root: store, create: false),
      let models = try? opened.registry.models()
    else { return 0 }
    return models.first?.versionCount ?? 0
  }

  /// Kills the worker once `versions` versions are registered and `delay` more
  /// milliseconds have passed, so the kill lands in different phases of a save: hashing,
  /// writing the temporary file, renaming, or inside the registry transaction.
  @Test(arguments: [(1, 0), (2, 15), (3, 40), (4, 90)])
  func aSaveInterruptedBySIGKILLNeverLeavesTheRegistryPointingAtAPartialFile(_ versions: Int, _ delay: Int) throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store").path
    let child = try Self.worker(["--store", store, "--count", "500", "--bytes", "\(3 << 20)", "--seed", "\(versions)"])
    defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
    let deadline = Date().addingTimeInterval(60)
    while child.isRunning && Date() < deadline && Self.registeredCount(store) < versions {
      Thread.sleep(forTimeInterval: 0.01)
    }
    try #require(child.isRunning, "the worker stopped before it could be killed")
    try #require(Self.registeredCount(store) >= versions, "the worker never registered \(versions) versions")
    Thread.sleep(forTimeInterval: Double(delay) / 1000)
    kill(child.processIdentifier, SIGKILL)
    child.waitUntilExit()
    #expect(child.terminationReason == .uncaughtSignal)

    let reopened = try HoneStore(root: store, create: false)
    let registered = try reopened.registry.versions("worker")
    #expect(registered.map(\.version) == Array(1...registered.count))
    for version in registered { try reopened.artifacts.verify(version.artifact) }
    // Every complete object on disk is intact: a partial write only ever exists as a
    // temporary file.
    for entry in try reopened.artifacts.list() {
      try reopened.artifacts.verify(ArtifactReference(sha256: entry.sha256, byteCount: entry.byteCount, kind: .model))
    }
    let report = try reopened.garbageCollect()
    #expect(report.keptReferenced == registered.count)
    #expect(report.removedObjects.count <= 1, "at most the one stored but not yet registered artifact")
    #expect(Set(try reopened.artifacts.list().map(\.sha256)) == Set(registered.map(\.artifact.sha256)))
    let objects = URL(fileURLWithPath: store).appendingPathComponent("artifacts/sha256")
    let leftovers = try FileManager.default.subpathsOfDirectory(atPath: objects.path).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)

    // The store still works: a new worker carries on numbering.
    let resumed = try Self.run(["store-worker", "--store", store, "--count", "2", "--bytes", "64", "--seed", "99"])
    #expect(resumed.status == 0, "\(resumed.error)")
    #expect(try reopened.registry.versions("worker").map(\.version) == Array(1...(registered.count + 2)))
  }

  /// Kills the worker while half an artifact sits in a temporary file (the worker pauses
  /// there for a second), the one moment a partial file exists on disk.
  @Test func aKillMidWriteLeavesOnlyATemporaryFileThatGarbageCollectionRemoves() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store").path
    let bytes = 200_000
    let child = try Self.worker([
      "--store", store, "--count", "100", "--bytes", "\(bytes)", "--pause-mid-write", "1000",
    ])
    defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
    let objects = URL(fileURLWithPath: store).appendingPathComponent("artifacts/sha256").path
    func temporaryFiles() -> [String] {
      ((try? FileManager.default.subpathsOfDirectory(atPath: objects)) ?? []).filter { $0.contains(".tmp-") }
    }
    let deadline = Date().addingTimeInterval(60)
    while child.isRunning && Date() < deadline && (Self.registeredCount(store) < 2 || temporaryFiles().isEmpty) {
      Thread.sleep(forTimeInterval: 0.01)
    }
    try #require(child.isRunning && !temporaryFiles().isEmpty, "the worker never paused mid-write")
    kill(child.processIdentifier, SIGKILL)
    child.waitUntilExit()

    let partial = try #require(temporaryFiles().first)
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: objects + "/" + partial)[.size] as? NSNumber)
    #expect(size.intValue < bytes)
    let reopened = try HoneStore(root: store, create: false)
    let registered = try reopened.registry.versions("worker")
    #expect(registered.count >= 2)
    for version in registered { try reopened.artifacts.verify(version.artifact) }
    // The interrupted object never got its final name, so nothing can point at it.
    #expect(Set(try reopened.artifacts.list().map(\.sha256)) == Set(registered.map(\.artifact.sha256)))
    let report = try reopened.garbageCollect()
    #expect(report.removedTemporaryFiles == [objects + "/" + partial])
    #expect(report.removedObjects.isEmpty)
    #expect(temporaryFiles().isEmpty)
  }

  @Test func twoProcessesRegisteringAtOnceNeverLoseOrDuplicateAVersion() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store").path
    let perProcess = 15
    let logs = (1...2).map { folder.appendingPathComponent("worker\($0).stderr") }
    let workers = try (1...2).map { seed in
      try Self.worker(
        ["--store", store, "--count", "\(perProcess)", "--bytes", "2000", "--seed", "\(seed)"],
        errors: logs[seed - 1])
    }
    for (worker, log) in zip(workers, logs) {
      #expect(Self.waitForExit(worker, seconds: 120), "a worker did not finish within two minutes")
      let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      #expect(worker.terminationStatus == 0, "a worker failed: \(errors)")
    }
    let versions = try HoneStore(root: store, create: false).registry.versions("worker")
    #expect(versions.map(\.version) == Array(1...(2 * perProcess)))
    #expect(Set(versions.map(\.artifact.sha256)).count == 2 * perProcess)
    for seed in 1...2 {
      let mine = versions.filter { $0.description.hasPrefix("seed \(seed) ") }
      #expect(mine.count == perProcess)
      // Each process registers its own versions in its own order.
      #expect(mine.map(\.metrics["iteration"]) == (0..<perProcess).map { Double($0) })
    }
  }
}
