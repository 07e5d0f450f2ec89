import Foundation
import HoneCore
import HoneTuning
import Testing

/// What the journal does with files and events it must not trust: a file that is not a
/// journal, a journal truncated or replaced while open, reports of a trial another process
/// already failed, and a configuration that kills its process every time it runs.
@Suite("Journal safety")
struct JournalSafetyTests {
  static func size(_ path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
  }

  /// `--storage train.csv` by mistake: refused, and the file is byte for byte as it was
  /// (journal lines used to be appended to it). A JSON-lines file of something else is
  /// refused too; an empty file, and one holding only a torn first write, are journals.
  @Test func aFileThatIsNotAJournalIsRefusedAndLeftAlone() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, text) in [("train.csv", "a,b\n1,2\n"), ("other.jsonl", "{\"a\": 1}\n{\"b\": 2}\n")] {
      let path = folder.appendingPathComponent(name).path
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      for readOnly in [false, true] {
        #expect(throws: FileError.self) { _ = try JournalStorage(path: path, readOnly: readOnly) }
      }
      #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
    let empty = folder.appendingPathComponent("empty.jsonl").path
    try Data().write(to: URL(fileURLWithPath: empty))
    let study = try Study(name: "s", storage: try JournalStorage(path: empty))
    try study.optimize(trials: 2) { try StorageTests.quadratic($0) }
    let torn = folder.appendingPathComponent("torn.jsonl").path
    try "{\"kind\":\"createSt".write(toFile: torn, atomically: true, encoding: .utf8)
    let resumed = try Study(name: "s", storage: try JournalStorage(path: torn))
    try resumed.optimize(trials: 1) { try StorageTests.quadratic($0) }
    #expect(try JournalStorage(path: torn).trials(inStudy: "s").count == 1)
  }

  /// A journal truncated under a process that has it open: its next write would land
  /// below what it had read, the trial numbers it hands out would repeat, so it stops.
  @Test func aJournalShrunkUnderAWriterIsRefused() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("shrunk.jsonl").path
    let storage = try JournalStorage(path: path)
    try storage.createStudy(named: "s", direction: .minimize)
    _ = try storage.createTrial(inStudy: "s")
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: 0)
    try handle.close()
    #expect(throws: FileError.self) { _ = try storage.createTrial(inStudy: "s") }
    #expect(try Self.size(path) == 0)
  }

  /// A journal replaced by a file of the same bytes (an editor's save, `sed -i`): the
  /// writer would go on appending to the old, deleted file and every result be lost.
  @Test func aJournalReplacedUnderAWriterIsRefused() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("replaced.jsonl").path
    let storage = try JournalStorage(path: path)
    try storage.createStudy(named: "s", direction: .minimize)
    _ = try storage.createTrial(inStudy: "s")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
    #expect(throws: FileError.self) { _ = try storage.createTrial(inStudy: "s") }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    // Reopened, the new file is the journal.
    #expect(try JournalStorage(path: path).createTrial(inStudy: "s") == 1)
  }

  /// A process paused past `staleAfter` finds its trial failed by another: its reports
  /// and heartbeats append nothing (each report used to append the whole record, which
  /// replay then dropped), and its final result is refused.
  @Test func aTrialFailedAsDeadTakesNoMoreWrites() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("late.jsonl").path
    let storage = try JournalStorage(path: path)
    try storage.createStudy(named: "s", direction: .minimize)
    _ = try storage.createTrial(inStudy: "s")
    Thread.sleep(forTimeInterval: 0.05)
    #expect(try JournalStorage(path: path).failStaleTrials(inStudy: "s", olderThan: 0.01).map(\.number) == [0])
    let before = try Self.size(path)
    try storage.updateTrial(FrozenTrial(number: 0, state: .running, intermediateValues: [0: 1]), inStudy: "s")
    try storage.heartbeat(trial: 0, inStudy: "s")
    #expect(try Self.size(path) == before)
    #expect(throws: TrialAlreadyFinished.self) {
      try storage.updateTrial(FrozenTrial(number: 0, state: .complete, value: 1), inStudy: "s")
    }
    let memory = InMemoryStorage()
    try memory.createStudy(named: "s", direction: .minimize)
    _ = try memory.createTrial(inStudy: "s")
    try memory.updateTrial(FrozenTrial(number: 0, state: .failed), inStudy: "s")
    try memory.updateTrial(FrozenTrial(number: 0, state: .running, intermediateValues: [0: 1]), inStudy: "s")
    #expect(try memory.trials(inStudy: "s")[0].intermediateValues.isEmpty)
  }

  /// A configuration that kills its process (out of memory, say) is run
  /// 1 + `retriesAfterDeath` times and then left failed: the next trial samples afresh,
  /// from the position after the dead ones (so not the killer's own position again).
  /// Before, every later process retried it first, for ever.
  @Test func aConfigurationThatKeepsKillingItsProcessIsRetriedTwice() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("killer.jsonl").path
    let runs = 1 + FrozenTrial.retriesAfterDeath
    for _ in 0..<runs {
      // A process that asks, suggests, and dies (its study object gone: no heartbeats).
      try {
        let doomed = try Study(
          name: "k", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path), staleAfter: 0.1)
        _ = try doomed.ask().suggestFloat("x", -5...5)
      }()
      Thread.sleep(forTimeInterval: 0.2)
    }
    let survivor = try Study(
      name: "k", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path), staleAfter: 0.1)
    try survivor.optimize(trials: 1) { try StorageTests.quadratic($0) }
    let trials = survivor.trials
    #expect(trials.count == runs + 1)
    let killer = trials[0].parameters["x"]
    for k in 0..<runs {
      #expect(trials[k].diedWithProcess && trials[k].parameters["x"] == killer)
      #expect(trials[k].attempt == k + 1)
    }
    #expect(trials[runs - 1].error?.contains("not retried again") == true)
    #expect(trials[runs].state == .complete && trials[runs].parameters["x"] != killer)
    // The fresh trial takes sampling position 1: position 0 was the killer's, shared by
    // its retries; the same seed's study run without deaths draws its trial 1 alike.
    let plain = Study(sampler: RandomSampler(seed: 3))
    try plain.optimize(trials: 2) { try StorageTests.quadratic($0) }
    #expect(plain.trials[0].parameters["x"] == killer)
    #expect(plain.trials[1].parameters == trials[runs].parameters)
  }
}
