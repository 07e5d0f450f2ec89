import Foundation
import HoneCore
import HoneTuning
import Synchronization
import Testing

@Suite("Study storage")
struct StorageTests {
  /// A fresh folder for one test's journal, removed by the caller's `defer`.
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static func quadratic(_ trial: Trial) throws -> Double {
    let x = try trial.suggestFloat("x", -5...5)
    let kind = try trial.suggestCategorical("kind", ["a", "b"])
    trial.report(x * x, step: 0)
    if kind == "b" && x > 4 { throw TrialPruned() }
    return (x - 2) * (x - 2) + (kind == "a" ? 0 : 1)
  }

  @Test(arguments: ["memory", "journal"])
  func storagesAgreeOnTheRules(kind: String) throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let storage: any StudyStorage =
      kind == "memory" ? InMemoryStorage() : try JournalStorage(path: folder.appendingPathComponent("j.jsonl").path)
    #expect(throws: TuningError.self) { try storage.createTrial(inStudy: "s") }
    try storage.createStudy(named: "s", direction: .maximize)
    try storage.createStudy(named: "s", direction: .maximize)
    #expect(throws: TuningError.self) { try storage.createStudy(named: "s", direction: .minimize) }
    #expect(try storage.createTrial(inStudy: "s") == 0)
    #expect(try storage.createTrial(inStudy: "s") == 1)
    try storage.updateTrial(FrozenTrial(number: 0, state: .complete, value: 3), inStudy: "s")
    // A finished trial is final: a late result from a slow process changes nothing, and
    // is refused so that process knows.
    #expect(throws: TrialAlreadyFinished.self) {
      try storage.updateTrial(FrozenTrial(number: 0, state: .failed), inStudy: "s")
    }
    #expect(throws: TuningError.self) {
      try storage.updateTrial(FrozenTrial(number: 5, state: .complete), inStudy: "s")
    }
    #expect(try storage.failStaleTrials(inStudy: "s", olderThan: 3600).isEmpty)
    Thread.sleep(forTimeInterval: 0.05)
    let failed = try storage.failStaleTrials(inStudy: "s", olderThan: 0.01)
    #expect(failed.map(\.number) == [1])
    let trials = try storage.trials(inStudy: "s")
    #expect(trials.map(\.state) == [.complete, .failed])
    #expect(trials[0].value == 3)
  }

  @Test(arguments: [1, 2])
  func aJournalRoundTripsAStudy(parallelism: Int) throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("study.jsonl").path
    let study = try Study(
      name: "q", sampler: RandomSampler(seed: 4), storage: try JournalStorage(path: path))
    try study.optimize(trials: 12, parallelism: parallelism) { try Self.quadratic($0) }
    let finished = study.trials
    #expect(finished.count == 12)
    #expect(finished.allSatisfy { $0.state != .running })
    // A second process opening the file sees exactly the same trials.
    let reopened = try JournalStorage(path: path)
    #expect(try reopened.trials(inStudy: "q") == finished)
    #expect(reopened.ignoredLines.isEmpty)
    // Resuming continues the numbering.
    let resumed = try Study(name: "q", sampler: RandomSampler(seed: 5), storage: reopened)
    try resumed.optimize(trials: 3) { try Self.quadratic($0) }
    #expect(resumed.trials.map(\.number) == Array(0..<15))
    #expect(Array(resumed.trials.prefix(12)) == finished)
    // The first study object reads the same file, so it sees the resumed trials too.
    #expect(study.trials.count == 15)
  }

  @Test func aTornLastLineIsIgnoredAndReported() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("torn.jsonl").path
    let study = try Study(name: "t", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    try study.optimize(trials: 4) { try Self.quadratic($0) }
    let before = study.trials
    // A crash in the middle of `write(2)`: half an event, no line end.
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(#"{"kind":"createTrial","number":4,"stu"#.utf8))
    try handle.close()
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count

    let reopened = try JournalStorage(path: path)
    #expect(try reopened.trials(inStudy: "t") == before)
    #expect(reopened.ignoredLines.map(\.line) == [lines])
    #expect(reopened.ignoredLines.first?.reason.contains("incomplete") == true)
    // Appending after the torn line keeps the new events readable.
    let resumed = try Study(name: "t", sampler: RandomSampler(seed: 2), storage: reopened)
    try resumed.optimize(trials: 2) { try Self.quadratic($0) }
    let again = try JournalStorage(path: path)
    #expect(try again.trials(inStudy: "t").map(\.number) == Array(0..<6))
    #expect(try again.trials(inStudy: "t").allSatisfy { $0.state != .running })
    #expect(again.ignoredLines.map(\.line) == [lines])
  }

  /// A damaged line in the middle that created a trial: the trial is recreated from its
  /// own later lines and every later trial still applies (before, every later creation
  /// was rejected, so all later trials vanished and their numbers were given out again).
  @Test func aDamagedCreationLineInTheMiddleLosesNoTrial() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("damaged.jsonl").path
    let study = try Study(name: "d", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    try study.optimize(trials: 5) { try Self.quadratic($0) }
    let before = study.trials
    // Damage the line that created trial 2.
    var lines = try String(contentsOfFile: path, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    let target = try #require(lines.firstIndex { $0.contains(#""kind":"createTrial""#) && $0.contains(#""number":2"#) })
    lines[target] = "{garbage"
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

    let reopened = try JournalStorage(path: path)
    #expect(try reopened.trials(inStudy: "d") == before)
    #expect(reopened.ignoredLines.map(\.line) == [target + 1])
    #expect(try reopened.createTrial(inStudy: "d") == 5)
  }

  /// A journal opened read-only is read like any other, follows what a writer appends,
  /// refuses every write with a file error, leaves the file as it was, and is never
  /// created when missing.
  @Test func aReadOnlyJournalReadsAndNeverWrites() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("j.jsonl").path
    let study = try Study(name: "r", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    try study.optimize(trials: 3) { try Self.quadratic($0) }
    let reader = try JournalStorage(path: path, readOnly: true)
    #expect(try reader.trials(inStudy: "r") == study.trials)
    #expect(try reader.studies().map(\.name) == ["r"])
    try study.optimize(trials: 2) { try Self.quadratic($0) }
    #expect(try reader.trials(inStudy: "r") == study.trials)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: FileError.self) { try reader.createTrial(inStudy: "r") }
    #expect(throws: TuningError.self) { try reader.createStudy(named: "new", direction: .minimize) }
    #expect(throws: FileError.self) { try reader.heartbeat(trial: 0, inStudy: "r") }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    let missing = folder.appendingPathComponent("missing.jsonl").path
    #expect(throws: FileError.self) { try JournalStorage(path: missing, readOnly: true) }
    #expect(!FileManager.default.fileExists(atPath: missing))
  }

  /// A study opened on a read-only journal reads its trials even when a worker died with
  /// a trial running (it is left as recorded, not failed), refuses to ask for a trial, and
  /// a study the journal lacks is named as missing rather than refused as a write.
  @Test func aStudyOnAReadOnlyJournalReadsPastADeadWorker() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("j.jsonl").path
    do {
      let worker = try Study(name: "w", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
      try worker.optimize(trials: 2) { try Self.quadratic($0) }
      // Asked for and never told: once the study object is gone it beats no more.
      _ = try worker.ask()
    }
    Thread.sleep(forTimeInterval: 0.05)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let reader = try JournalStorage(path: path, readOnly: true)
    let study = try Study.load(name: "w", storage: reader, staleAfter: 0.01)
    #expect(study.trials.map(\.state) == [.complete, .complete, .running])
    #expect(throws: FileError.self) { try study.ask() }
    let missing = try #require(throws: TuningError.self) { try Study(name: "x", storage: reader) }
    #expect(missing.message.contains("no study named `x`"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
  }

  /// Two storages on one file stand for two processes (the CLI tests use real ones): their
  /// threads allocate numbers concurrently and no number is lost or given twice.
  @Test func twoStoragesOnOneFileNeverShareANumber() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("shared.jsonl").path
    let a = try JournalStorage(path: path)
    let b = try JournalStorage(path: path)
    try a.createStudy(named: "s", direction: .minimize)
    try b.createStudy(named: "s", direction: .minimize)
    let numbers = Mutex<[Int]>([])
    let errors = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { k in
      let storage = k % 2 == 0 ? a : b
      for _ in 0..<25 {
        do {
          let n = try storage.createTrial(inStudy: "s")
          try storage.updateTrial(FrozenTrial(number: n, state: .complete, value: Double(n)), inStudy: "s")
          numbers.withLock { $0.append(n) }
        } catch {
          errors.withLock { $0.append("\(error)") }
        }
      }
    }
    #expect(errors.withLock { $0 } == [])
    #expect(numbers.withLock { $0.sorted() } == Array(0..<100))
    let trials = try JournalStorage(path: path).trials(inStudy: "s")
    #expect(trials.map(\.number) == Array(0..<100))
    #expect(trials.allSatisfy { $0.state == .complete && $0.value == Double($0.number) })
  }

  @Test func aDeadTrialIsFailedAndRetriedOnResume() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("dead.jsonl").path
    // A trial asked and never told: its process "died" after suggesting. The study
    // object goes away with its trial, and with it the heartbeat timer.
    let orphanParameters = try {
      let first = try Study(name: "d", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path))
      try first.optimize(trials: 3) { try Self.quadratic($0) }
      let orphan = try first.ask()
      _ = try Self.quadratic(orphan)
      return orphan.snapshot.parameters
    }()
    Thread.sleep(forTimeInterval: 0.2)

    let resumed = try Study(
      name: "d", sampler: RandomSampler(seed: 9), storage: try JournalStorage(path: path), staleAfter: 0.1)
    let dead = try #require(resumed.trials.first { $0.number == 3 })
    #expect(dead.state == .failed)
    #expect(dead.error?.contains("heartbeat") == true)
    #expect(dead.parameters == orphanParameters)
    try resumed.optimize(trials: 1) { try Self.quadratic($0) }
    let retry = try #require(resumed.trials.last)
    #expect(retry.number == 4)
    #expect(retry.parameters == orphanParameters)
    #expect(retry.state != .running)
  }

  /// A trial of another process that dies while this study runs: left alone while its
  /// heartbeat is fresh, failed and retried by this study's next ask once it is stale —
  /// not only when a study is next opened.
  @Test func aTrialThatDiesWhileAStudyRunsIsRetriedByIt() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("live.jsonl").path
    let live = try Study(
      name: "l", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path), heartbeatInterval: 0.05,
      staleAfter: 0.4)
    try live.optimize(trials: 2) { try Self.quadratic($0) }
    // The other process asks for trial 2, suggests, and dies (its study object, and with
    // it the heartbeat timer, goes away).
    let orphanParameters = try {
      let other = try Study(name: "l", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path))
      let orphan = try other.ask()
      _ = try Self.quadratic(orphan)
      return orphan.snapshot.parameters
    }()
    try live.optimize(trials: 1) { try Self.quadratic($0) }
    let fresh = try #require(live.trials.first { $0.number == 2 })
    #expect(fresh.state == .running)
    Thread.sleep(forTimeInterval: 0.6)
    try live.optimize(trials: 1) { try Self.quadratic($0) }
    let trials = live.trials
    let dead = try #require(trials.first { $0.number == 2 })
    #expect(dead.state == .failed)
    #expect(dead.error?.contains("heartbeat") == true)
    let retry = try #require(trials.last)
    #expect(retry.number == 4)
    #expect(retry.parameters == orphanParameters)
    #expect(retry.state != .running)
  }

  /// A death found only after later trials began: the retry takes the dead trial's
  /// position in the sampler's stream and the next new trial the next free one, so no two
  /// trials share a position (a retry used to take the position of the trial before it,
  /// and drew that trial's values for what the dead one had not suggested).
  @Test func aLateFoundDeathLeavesEveryTrialItsOwnSamplingPosition() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("positions.jsonl").path
    let sampler = RandomSampler(seed: 1)
    let live = try Study(
      name: "p", sampler: sampler, storage: try JournalStorage(path: path), heartbeatInterval: 0.05, staleAfter: 0.3)
    let objective: @Sendable (Trial) throws -> Double = { trial in
      let x = try trial.suggestFloat("x", 0...1)
      let y = try trial.suggestFloat("y", 0...1)
      return x + y
    }
    try live.optimize(trials: 2, objective)
    // Trial 2, in another process, suggests x and dies before y.
    try {
      let other = try Study(name: "p", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path))
      _ = try other.ask().suggestFloat("x", 0...1)
    }()
    try live.optimize(trials: 1, objective)
    Thread.sleep(forTimeInterval: 0.5)
    try live.optimize(trials: 2, objective)
    let trials = live.trials
    #expect(trials.map(\.number) == Array(0..<6))
    #expect(trials[2].state == .failed)
    let positions = trials.map { $0.userAttributes[FrozenTrial.samplingIndexAttribute].flatMap { Int($0) } }
    #expect(positions == [0, 1, 2, 3, 2, 4])
    // The retry keeps the dead trial's x and draws y where trial 2 would have; trial 5
    // draws at position 4, which no trial had.
    let y = Distribution.float(low: 0, high: 1, log: false, step: nil)
    #expect(trials[4].parameters["x"] == trials[2].parameters["x"])
    #expect(trials[4].parameters["y"] == sampler.sample("y", y, trial: 2, history: [], direction: .minimize))
    #expect(trials[4].parameters["y"] != trials[3].parameters["y"])
    #expect(trials[5].parameters["y"] == sampler.sample("y", y, trial: 4, history: [], direction: .minimize))
  }

  /// A result for a trial another process already failed as dead is refused out loud (it
  /// used to be dropped while `updateTrial` returned), in memory and in a journal; a late
  /// running-state update (a report) is still dropped quietly, as replay drops it.
  @Test(arguments: ["memory", "journal"])
  func aResultForATrialFailedElsewhereIsRefused(kind: String) throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let storage: any StudyStorage =
      kind == "memory" ? InMemoryStorage() : try JournalStorage(path: folder.appendingPathComponent("j.jsonl").path)
    try storage.createStudy(named: "f", direction: .minimize)
    let number = try storage.createTrial(inStudy: "f")
    _ = try storage.failStaleTrials(inStudy: "f", olderThan: -1)
    try storage.updateTrial(FrozenTrial(number: number, state: .running, intermediateValues: [0: 1]), inStudy: "f")
    let error = try #require(throws: TrialAlreadyFinished.self) {
      try storage.updateTrial(FrozenTrial(number: number, state: .complete, value: 0.5), inStudy: "f")
    }
    #expect(error.number == number && error.storedState == .failed && error.refusedState == .complete)
    #expect(error.description.contains("was already failed"))
    #expect(try storage.trials(inStudy: "f").first?.state == .failed)
  }

  /// A trial another process fails as dead while this one is paused: inside `optimize`
  /// the refused late result does not stop the study (it used to, as a storage error).
  /// The dead record stands, the other process retries its parameters, and this study
  /// runs the rest of its trials.
  @Test func optimizeGoesOnPastAResultRefusedAsLate() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("late.jsonl").path
    let paused = try Study(
      name: "p", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path), heartbeatInterval: 60)
    let other = try Study(
      name: "p", sampler: RandomSampler(seed: 2), storage: try JournalStorage(path: path), heartbeatInterval: 60,
      staleAfter: 0.05)
    try paused.optimize(trials: 3) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      if trial.number == 0 {
        // No heartbeat for longer than the other study's staleAfter: it takes trial 0 for
        // dead and retries it.
        Thread.sleep(forTimeInterval: 0.3)
        let retry = try other.ask()
        try other.tell(retry, value: try retry.suggestFloat("x", 0...1))
      }
      return x
    }
    let trials = try JournalStorage(path: path).trials(inStudy: "p")
    #expect(trials.map(\.number) == [0, 1, 2, 3])
    #expect(trials[0].state == .failed)
    #expect(trials[0].error?.contains("heartbeat") == true)
    #expect(trials[1].state == .complete)
    #expect(trials[1].parameters == trials[0].parameters)
    #expect(trials[2].state == .complete && trials[3].state == .complete)
    #expect(paused.trials.count == 4)
  }

  /// Queued configurations live in the journal: another process takes the next one, a
  /// reopened study still has what is left, each runs exactly once, and `skipIfExists`
  /// sees what another process queued.
  @Test func queuedConfigurationsAreSharedAndSurviveAReopen() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("queue.jsonl").path
    let first = try Study(name: "q", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    for x in [0.125, 0.25, 0.5] { try first.enqueue(["x": .double(x)]) }
    let other = try Study(name: "q", sampler: RandomSampler(seed: 2), storage: try JournalStorage(path: path))
    #expect(try !other.enqueue(["x": .double(0.25)], skipIfExists: true), "queued by the first process")
    try other.optimize(trials: 1) { try Self.quadratic($0) }
    #expect(try JournalStorage(path: path).queued(inStudy: "q") == [["x": .double(0.25)], ["x": .double(0.5)]])
    try first.optimize(trials: 1) { try Self.quadratic($0) }
    let reopened = try Study(name: "q", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path))
    try reopened.optimize(trials: 2) { try Self.quadratic($0) }
    let x = try JournalStorage(path: path).trials(inStudy: "q").map { $0.parameters["x"] }
    #expect(Array(x.prefix(3)) == [.double(0.125), .double(0.25), .double(0.5)])
    #expect(x.count == 4 && x[3] != .double(0.5), "the queue is empty: trial 3 is sampled")
    #expect(try JournalStorage(path: path).queued(inStudy: "q").isEmpty)
  }

  /// A process that takes a queued configuration and dies before suggesting leaves it
  /// waiting: the next trial, in another process, runs it.
  @Test func aQueuedConfigurationWhoseTakerDiedIsTakenAgain() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("taker.jsonl").path
    try {
      let doomed = try Study(name: "d", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
      try doomed.enqueue(["x": .double(0.75)])
      _ = try doomed.ask()
    }()
    Thread.sleep(forTimeInterval: 0.3)
    let survivor = try Study(
      name: "d", sampler: RandomSampler(seed: 2), storage: try JournalStorage(path: path), staleAfter: 0.1)
    try survivor.optimize(trials: 1) { try Self.quadratic($0) }
    let trials = survivor.trials
    #expect(trials.map(\.state) == [.failed, .complete])
    #expect(trials[0].parameters.isEmpty)
    #expect(trials[1].parameters["x"] == .double(0.75))
  }

  /// A retry runs the dead trial's values, so it records the CMA-ES generation they were
  /// drawn from (0), not the one current when the retry is asked (1): trial 1 dies in
  /// generation 0; trials 0 and 2 complete it, trial 3 starts generation 1; trial 4
  /// retries trial 1.
  @Test func aRetryKeepsTheDeadTrialsGeneration() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("cma.jsonl").path
    let space: [String: Distribution] = ["x": .float(low: -5, high: 5, log: false, step: nil)]
    let sampler = try CMAESSampler(seed: 1, populationSize: 2, space: space)
    let objective: @Sendable (Trial) throws -> Double = { try $0.suggestFloat("x", -5...5) }
    let live = try Study(name: "c", sampler: sampler, storage: try JournalStorage(path: path))
    try live.optimize(trials: 1, objective)
    try {
      let doomed = try Study(name: "c", sampler: sampler, storage: try JournalStorage(path: path))
      _ = try objective(try doomed.ask())
    }()
    try live.optimize(trials: 2, objective)
    Thread.sleep(forTimeInterval: 0.3)
    let resumed = try Study(name: "c", sampler: sampler, storage: try JournalStorage(path: path), staleAfter: 0.1)
    try resumed.optimize(trials: 1, objective)
    let trials = resumed.trials
    let generation = trials.map { $0.userAttributes[CMAESSampler.generationAttribute] }
    #expect(generation == ["0", "0", "0", "1", "0"])
    #expect(trials[1].diedWithProcess && trials[4].parameters == trials[1].parameters)
  }

  /// A trial that took a queued configuration and died after suggesting part of it is
  /// retried with all of it: the values it suggested and the queued ones it had not.
  @Test func aRetryOfAQueuedTrialRunsTheWholeConfiguration() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("partial.jsonl").path
    try {
      let doomed = try Study(name: "p", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
      try doomed.enqueue(["x": .double(0.5), "kind": .string("b")])
      _ = try doomed.ask().suggestFloat("x", -5...5)
    }()
    Thread.sleep(forTimeInterval: 0.3)
    let survivor = try Study(
      name: "p", sampler: RandomSampler(seed: 2), storage: try JournalStorage(path: path), staleAfter: 0.1)
    try survivor.optimize(trials: 1) { try Self.quadratic($0) }
    let trials = survivor.trials
    #expect(trials.map(\.state) == [.failed, .complete])
    #expect(trials[1].parameters == ["x": .double(0.5), "kind": .string("b")])
  }

  /// A queued configuration a trial has taken but not yet suggested from still counts as
  /// existing for `skipIfExists`: the trial's record names it from the ask on.
  @Test func aTakenConfigurationCountsAsExistingAtOnce() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("taken.jsonl").path
    let study = try Study(name: "t", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    try study.enqueue(["x": .double(1)])
    let trial = try study.ask()
    let rerun = try Study(name: "t", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    #expect(try !rerun.enqueue(["x": .double(1)], skipIfExists: true))
    try study.tell(trial, value: try trial.suggestFloat("x", -5...5))
  }

  /// Claims name the queued configuration they take, not its position: a damaged line
  /// that queued the first of two costs that one only, and the claim of it does not fall
  /// on the second.
  @Test func aDamagedQueueLineCostsOnlyItsOwnConfiguration() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("queue-damage.jsonl").path
    let storage = try JournalStorage(path: path)
    try storage.createStudy(named: "q", direction: .minimize)
    _ = try storage.enqueue(["x": .double(1)], inStudy: "q", skipIfExists: false)
    _ = try storage.enqueue(["x": .double(2)], inStudy: "q", skipIfExists: false)
    let number = try storage.createTrial(inStudy: "q")
    #expect(try storage.claimQueued(inStudy: "q", for: number) == ["x": .double(1)])
    var lines = try String(contentsOfFile: path, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    let first = try #require(lines.firstIndex { $0.contains(#""kind":"enqueue""#) })
    lines[first] = "{garbage"
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try JournalStorage(path: path).queued(inStudy: "q") == [["x": .double(2)]])
  }

  /// A trial reporting many steps writes each step once: 1,000 reports add about a
  /// thousand short lines, not a thousand growing copies of the record (≈ 10 MB), and a
  /// fresh reader replays the same values, NaN included.
  @Test func reportsAreWrittenAsTheirNewStepsOnly() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("steps.jsonl").path
    let study = try Study(name: "k", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path))
    try study.optimize(trials: 1) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      for step in 0..<1000 { trial.report(step == 500 ? .nan : x * Double(step), step: step) }
      return x
    }
    let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    #expect(bytes < 200_000, "\(bytes) bytes")
    let reread = try JournalStorage(path: path).trials(inStudy: "k")
    let original = study.trials
    #expect(reread.count == 1)
    #expect(reread[0].intermediateValues.count == 1000)
    #expect(reread[0].intermediateValues[500]?.isNaN == true)
    #expect(
      reread[0].intermediateValues.filter { $0.key != 500 } == original[0].intermediateValues.filter { $0.key != 500 })
    #expect(reread[0].state == .complete && reread[0].value == original[0].value)
  }

  /// A retry whose own trial dies before suggesting anything is owed again: trial 1
  /// claims dead trial 0's retry and dies at once, so trial 2 takes it up (before, trial 0
  /// counted as retried and its values never ran again).
  @Test func aRetryWhoseClaimerDiesBeforeSuggestingIsOwedAgain() throws {
    let storage = InMemoryStorage()
    try storage.createStudy(named: "r", direction: .minimize)
    let x = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let dead = try storage.createTrial(inStudy: "r")
    try storage.updateTrial(
      FrozenTrial(number: dead, state: .running, parameters: ["x": .double(0.25)], distributions: ["x": x]),
      inStudy: "r")
    _ = try storage.failStaleTrials(inStudy: "r", olderThan: -1)
    let claimer = try storage.createTrial(inStudy: "r")
    #expect(try storage.claimRetry(inStudy: "r", for: claimer)?.number == dead)
    _ = try storage.failStaleTrials(inStudy: "r", olderThan: -1)
    let next = try storage.createTrial(inStudy: "r")
    let retried = try storage.claimRetry(inStudy: "r", for: next)
    #expect(retried?.number == dead)
    #expect(retried?.parameters["x"] == .double(0.25))
    // Taken up once: a further trial owes nothing.
    let last = try storage.createTrial(inStudy: "r")
    #expect(try storage.claimRetry(inStudy: "r", for: last) == nil)
  }

  /// A process that resumes a study, fails a dead trial and then dies itself before
  /// retrying it does not lose the retry: the next process to resume takes it up. Before
  /// the retry was claimed in the storage, it lived in the dying process's memory.
  @Test func aRetryOwedByAProcessThatDiedIsTakenUpByTheNext() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("twice.jsonl").path
    let orphanParameters = try {
      let first = try Study(name: "t", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path))
      try first.optimize(trials: 2) { try Self.quadratic($0) }
      let orphan = try first.ask()
      _ = try Self.quadratic(orphan)
      return orphan.snapshot.parameters
    }()
    Thread.sleep(forTimeInterval: 0.2)
    // The second process fails the dead trial, then dies before asking for a trial.
    try {
      let second = try Study(
        name: "t", sampler: RandomSampler(seed: 5), storage: try JournalStorage(path: path), staleAfter: 0.1)
      #expect(second.trials.filter(\.diedWithProcess).map(\.number) == [2])
    }()
    let third = try Study(
      name: "t", sampler: RandomSampler(seed: 7), storage: try JournalStorage(path: path), staleAfter: 0.1)
    try third.optimize(trials: 2) { try Self.quadratic($0) }
    let trials = third.trials
    #expect(trials.count == 5)
    #expect(trials[3].parameters == orphanParameters)
    #expect(trials[3].state == .complete)
    // The retry is owed once: the trial after it samples afresh.
    #expect(trials[4].parameters != orphanParameters)
  }

  /// Two processes resuming the same study after a death: exactly one of them retries
  /// the dead trial.
  @Test func twoResumingProcessesRetryADeadTrialOnce() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("shared.jsonl").path
    let orphanParameters = try {
      let first = try Study(name: "s", sampler: RandomSampler(seed: 3), storage: try JournalStorage(path: path))
      let orphan = try first.ask()
      _ = try Self.quadratic(orphan)
      return orphan.snapshot.parameters
    }()
    Thread.sleep(forTimeInterval: 0.2)
    let a = try Study(
      name: "s", sampler: RandomSampler(seed: 5), storage: try JournalStorage(path: path), staleAfter: 0.1)
    let b = try Study(
      name: "s", sampler: RandomSampler(seed: 7), storage: try JournalStorage(path: path), staleAfter: 0.1)
    let fromA = try a.ask()
    let fromB = try b.ask()
    try a.tell(fromA, value: try Self.quadratic(fromA))
    try b.tell(fromB, value: try Self.quadratic(fromB))
    let retries = a.trials.filter { $0.number > 0 && $0.parameters == orphanParameters }
    #expect(retries.map(\.number) == [1])
  }

  /// A study resumed after a trial died with its process ends with the trials an
  /// uninterrupted study makes: the retry takes over the dead trial's parameters and its
  /// place in the sampler's stream, so every later trial samples the same values (TPE,
  /// whose draws depend on the trial index and the history).
  @Test func aResumedStudyMatchesAnUninterruptedOne() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sampler = TPESampler(seed: 5, startupTrials: 3)
    let reference = try Study(
      name: "r", sampler: sampler, storage: try JournalStorage(path: folder.appendingPathComponent("r.jsonl").path))
    try reference.optimize(trials: 8) { try Self.quadratic($0) }

    let path = folder.appendingPathComponent("crash.jsonl").path
    try {
      let first = try Study(name: "r", sampler: sampler, storage: try JournalStorage(path: path))
      try first.optimize(trials: 4) { try Self.quadratic($0) }
      let orphan = try first.ask()
      _ = try Self.quadratic(orphan)
    }()
    Thread.sleep(forTimeInterval: 0.2)
    let resumed = try Study(name: "r", sampler: sampler, storage: try JournalStorage(path: path), staleAfter: 0.1)
    try resumed.optimize(trials: 4) { try Self.quadratic($0) }

    let finished = resumed.trials.filter { !$0.diedWithProcess }
    #expect(resumed.trials.filter(\.diedWithProcess).map(\.number) == [4])
    let expected = reference.trials
    #expect(finished.count == expected.count)
    for (a, b) in zip(finished, expected) {
      #expect(a.parameters == b.parameters)
      #expect(a.value == b.value && a.state == b.state)
    }
  }

  /// A long objective that neither suggests nor reports stays alive through the timer's
  /// heartbeats: a resuming process does not fail it. Without the timer the trial's last
  /// sign of life is its suggestion, 0.6 s before the check, older than the 0.4 s limit;
  /// with beats every 0.05 s the margin is eightfold, wide enough for a loaded machine.
  @Test func theHeartbeatTimerKeepsALongTrialAlive() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("alive.jsonl").path
    let study = try Study(
      name: "h", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path), heartbeatInterval: 0.05)
    let failedMeanwhile = Mutex<[FrozenTrial]?>(nil)
    try study.optimize(trials: 1) { trial in
      let x = try trial.suggestFloat("x", -1...1)
      Thread.sleep(forTimeInterval: 0.6)
      let other = try JournalStorage(path: path)
      let failed = try other.failStaleTrials(inStudy: "h", olderThan: 0.4)
      failedMeanwhile.withLock { $0 = failed }
      Thread.sleep(forTimeInterval: 0.1)
      return x
    }
    #expect(failedMeanwhile.withLock { $0 } == [])
    #expect(study.trials.map(\.state) == [.complete])
  }

  /// The same for a trial of the ask-and-tell interface: the timer beats from `ask` to
  /// `tell`, and stops once nothing runs (the journal gains no heartbeat after the tell).
  @Test func anAskedTrialBeatsUntilItIsTold() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("asked.jsonl").path
    let study = try Study(
      name: "a", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path), heartbeatInterval: 0.05)
    let trial = try study.ask()
    let x = try trial.suggestFloat("x", -1...1)
    Thread.sleep(forTimeInterval: 0.6)
    #expect(try JournalStorage(path: path).failStaleTrials(inStudy: "a", olderThan: 0.4) == [])
    try study.tell(trial, value: x)
    #expect(study.trials.map(\.state) == [.complete])
    func beats() throws -> Int {
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { $0.contains("heartbeat") }
        .count
    }
    let afterTell = try beats()
    #expect(afterTell >= 4)
    Thread.sleep(forTimeInterval: 0.3)
    #expect(try beats() == afterTell)
  }

  /// A study object that is gone stops beating, as a dead process does, so its trial is
  /// failed by the next process that resumes the study.
  @Test func aStudyThatIsGoneStopsBeating() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("gone.jsonl").path
    try {
      let study = try Study(
        name: "g", sampler: RandomSampler(seed: 1), storage: try JournalStorage(path: path), heartbeatInterval: 0.05)
      let trial = try study.ask()
      _ = try trial.suggestFloat("x", -1...1)
      Thread.sleep(forTimeInterval: 0.2)
    }()
    Thread.sleep(forTimeInterval: 0.6)
    let failed = try JournalStorage(path: path).failStaleTrials(inStudy: "g", olderThan: 0.4)
    #expect(failed.map(\.number) == [0])
  }

  @Test func resumingWithTheOtherDirectionThrows() throws {
    let storage = InMemoryStorage()
    _ = try Study(name: "m", direction: .maximize, storage: storage)
    #expect(throws: TuningError.self) { try Study(name: "m", direction: .minimize, storage: storage) }
    #expect(throws: TuningError.self) { try Study(name: "n", storage: storage, heartbeatInterval: 0) }
  }

  /// A back end that loses its connection after `healthyUpdates` updates, written outside
  /// the package the way a database back end would be.
  final class FlakyStorage: StudyStorage {
    struct Disconnected: Error {}
    let base = InMemoryStorage()
    let updates = Mutex(0)
    let creates = Mutex(0)
    let healthyUpdates: Int
    let healthyCreates: Int
    /// One update (counted from 1) that fails while the others go through.
    let failingUpdate: Int?
    /// Whether the first claim of a queued configuration is written and then reported
    /// as failed (a line written whose flush failed).
    let failingClaim = Mutex(false)
    init(healthyUpdates: Int, healthyCreates: Int = .max, failingUpdate: Int? = nil) {
      self.healthyUpdates = healthyUpdates
      self.healthyCreates = healthyCreates
      self.failingUpdate = failingUpdate
    }

    func createStudy(named name: String, direction: Direction) throws {
      try base.createStudy(named: name, direction: direction)
    }
    func createTrial(inStudy study: String) throws -> Int {
      let count = creates.withLock {
        $0 += 1
        return $0
      }
      guard count <= healthyCreates else { throw Disconnected() }
      return try base.createTrial(inStudy: study)
    }
    func updateTrial(_ trial: FrozenTrial, inStudy study: String) throws {
      let count = updates.withLock {
        $0 += 1
        return $0
      }
      guard count <= healthyUpdates, count != failingUpdate else { throw Disconnected() }
      try base.updateTrial(trial, inStudy: study)
    }
    func trials(inStudy study: String) throws -> [FrozenTrial] { try base.trials(inStudy: study) }
    func heartbeat(trial number: Int, inStudy study: String) throws {
      try base.heartbeat(trial: number, inStudy: study)
    }
    func failStaleTrials(inStudy study: String, olderThan seconds: Double) throws -> [FrozenTrial] {
      try base.failStaleTrials(inStudy: study, olderThan: seconds)
    }
    func claimRetry(inStudy study: String, for number: Int) throws -> FrozenTrial? {
      try base.claimRetry(inStudy: study, for: number)
    }
    func enqueue(_ parameters: [String: ParameterValue], inStudy study: String, skipIfExists: Bool) throws -> Bool {
      try base.enqueue(parameters, inStudy: study, skipIfExists: skipIfExists)
    }
    func queued(inStudy study: String) throws -> [[String: ParameterValue]] { try base.queued(inStudy: study) }
    func claimQueued(inStudy study: String, for number: Int) throws -> [String: ParameterValue]? {
      let claimed = try base.claimQueued(inStudy: study, for: number)
      let failing = failingClaim.withLock { failing in
        defer { failing = false }
        return failing
      }
      if failing { throw Disconnected() }
      return claimed
    }
  }

  /// An ask whose claim of a queued configuration fails after the trial was created
  /// leaves that trial failed, not running without heartbeats for ever, and the claim
  /// that reached the storage does not cost the configuration: the next trial runs it.
  @Test func anAskWhoseClaimFailsLeavesNoTrialRunningAndKeepsTheQueue() throws {
    let storage = FlakyStorage(healthyUpdates: .max)
    let study = try Study(name: "c", sampler: RandomSampler(seed: 1), storage: storage)
    try study.enqueue(["x": .double(1.5)])
    storage.failingClaim.withLock { $0 = true }
    #expect(throws: FlakyStorage.Disconnected.self) { _ = try study.ask() }
    #expect(study.trials.map(\.state) == [.failed])
    try study.optimize(trials: 1) { try Self.quadratic($0) }
    #expect(study.trials[1].state != .running && study.trials[1].parameters["x"] == .double(1.5))
  }

  /// Under ask-and-tell, a suggestion of trial A the storage failed to record is thrown by
  /// A's tell, not by B's (B's tell used to throw it, and a retry of B's tell was then
  /// refused as already finished). A report after a trial was told changes nothing and
  /// throws nowhere.
  @Test func aSuggestionErrorBelongsToItsTrial() throws {
    let study = try Study(
      name: "m", sampler: RandomSampler(seed: 1), storage: FlakyStorage(healthyUpdates: .max, failingUpdate: 1))
    let a = try study.ask()
    _ = try a.suggestFloat("x", 0...1)
    let b = try study.ask()
    try study.tell(b, value: 1)
    #expect(throws: FlakyStorage.Disconnected.self) { try study.tell(a, value: 2) }
    b.report(5, step: 0)
    let c = try study.ask()
    try study.tell(c, value: 3)
    #expect(study.trials[1].intermediateValues.isEmpty && study.trials[2].state == .complete)
  }

  /// A final record the storage refuses once is recorded failed at the next attempt:
  /// the trial is not left running for this object's next ask to fail as dead and run
  /// again. (Each trial makes four updates: two suggestions, a report, the final record.)
  @Test func aLostFinalRecordIsRecordedFailedNotRetried() throws {
    let study = try Study(
      name: "l", sampler: RandomSampler(seed: 1), storage: FlakyStorage(healthyUpdates: .max, failingUpdate: 4),
      heartbeatInterval: 0.02, staleAfter: 0.1)
    #expect(throws: FlakyStorage.Disconnected.self) { try study.optimize(trials: 1) { try Self.quadratic($0) } }
    #expect(study.trials.map(\.state) == [.failed])
    #expect(study.trials[0].error?.contains("could not be stored") == true && !study.trials[0].diedWithProcess)
    Thread.sleep(forTimeInterval: 0.3)
    try study.optimize(trials: 1) { try Self.quadratic($0) }
    #expect(study.trials[1].attempt == 1 && study.trials[1].parameters != study.trials[0].parameters)
  }

  /// A storage that cannot record stops the study instead of losing trials silently,
  /// whether it fails on a suggestion (inside the objective) or on the final record.
  @Test(arguments: [0, 3, 4, 5, 9])
  func aFailingStorageStopsTheStudy(healthyUpdates: Int) throws {
    // Each trial makes four updates: two suggestions, a report, then the final record.
    let study = try Study(
      name: "f", sampler: RandomSampler(seed: 1), storage: FlakyStorage(healthyUpdates: healthyUpdates))
    #expect(throws: FlakyStorage.Disconnected.self) {
      try study.optimize(trials: 10) { try Self.quadratic($0) }
    }
    #expect(study.trials.filter { $0.state == .complete }.count == healthyUpdates / 4)
  }

  /// A back end written before the queue (no `enqueue`, `queued`, `claimQueued`) still
  /// runs studies; enqueuing on it is refused, naming it.
  @Test func aBackEndWithoutAQueueRunsStudiesAndRefusesToEnqueue() throws {
    final class Queueless: MinimalStorage, @unchecked Sendable {}
    let study = try Study(name: "n", sampler: RandomSampler(seed: 1), storage: Queueless())
    try study.optimize(trials: 2) { try Self.quadratic($0) }
    #expect(study.trials.count == 2)
    let refusal = try #require(throws: TuningError.self) { try study.enqueue(["x": .double(1)]) }
    #expect(refusal.message.contains("Queueless keeps no queued configurations"))
  }

  /// An ask whose trial cannot be stored with the queued configuration it took fails that
  /// trial (rather than leaving it running and beating) and throws; the next ask works.
  @Test func anAskThatCannotStoreItsTrialFailsIt() throws {
    let study = try Study(
      name: "a", sampler: RandomSampler(seed: 1), storage: FlakyStorage(healthyUpdates: .max, failingUpdate: 1))
    try study.enqueue(["x": .double(1)])
    #expect(throws: FlakyStorage.Disconnected.self) { _ = try study.ask() }
    #expect(study.trials.map(\.state) == [.failed])
    #expect(study.trials.first?.error?.contains("could not be stored") == true)
    try study.optimize(trials: 1) { try Self.quadratic($0) }
    #expect(study.trials.map(\.state) == [.failed, .complete])
  }

  /// A wave whose second ask fails: the trial already asked for is failed, not left
  /// running and beating for the life of the study, and the error reaches the caller.
  @Test func aWaveThatCannotStartLeavesNoTrialRunning() throws {
    let study = try Study(
      name: "w", sampler: RandomSampler(seed: 1), storage: FlakyStorage(healthyUpdates: .max, healthyCreates: 4))
    #expect(throws: FlakyStorage.Disconnected.self) {
      try study.optimize(trials: 6, parallelism: 3) { try Self.quadratic($0) }
    }
    let trials = study.trials
    #expect(trials.count == 4)
    #expect(!trials.contains { $0.state == .running })
    #expect(trials[3].state == .failed)
    #expect(trials[3].error?.contains("wave") == true)
  }
}
