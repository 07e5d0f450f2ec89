import Foundation
import HoneTuning
import Synchronization
import Testing

/// `optimize`'s per-trial callback and `stop()`, and `addTrial` — Optuna's `callbacks`,
/// `study.stop()` and `study.add_trial`.
@Suite("Study callbacks, stop and added trials")
struct StudyControlTests {
  static func quadratic(_ trial: Trial) throws -> Double {
    let x = try trial.suggestFloat("x", -5...5)
    let n = try trial.suggestInt("n", 1...9)
    return (x - 1) * (x - 1) + Double(n)
  }

  @Test(arguments: [1, 3])
  func theCallbackSeesEachFinishedTrialInOrder(parallelism: Int) throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    var seen: [FrozenTrial] = []
    let onTrial = { (record: FrozenTrial) in seen.append(record) }
    try study.optimize(trials: 7, parallelism: parallelism, onTrial: onTrial) { trial in
      let value = try Self.quadratic(trial)
      if trial.number == 2 { throw TrialPruned() }
      if trial.number == 4 { throw TuningError("boom") }
      return value
    }
    #expect(seen == study.trials)
    #expect(seen.map(\.number) == Array(0..<7))
    #expect(seen.map(\.state) == [.complete, .complete, .pruned, .complete, .failed, .complete, .complete])
  }

  /// Trial k scores k: a callback that stops at the trial scoring 4 ends a sequential study
  /// at 5 trials and a study in waves of 3 at the end of the wave holding it, 6 trials.
  @Test(arguments: [(1, 5), (3, 6)])
  func stopEndsTheStudyAfterTheWaveInProgress(parallelism: Int, expected: Int) throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    let stopAtFour = { (record: FrozenTrial) in if record.value == 4 { study.stop() } }
    try study.optimize(trials: 20, parallelism: parallelism, onTrial: stopAtFour) { trial in
      _ = try trial.suggestFloat("x", 0...1)
      return Double(trial.number)
    }
    #expect(study.trials.count == expected)
    #expect(study.trials.allSatisfy { $0.state == .complete })
    // A later call runs normally, and stop() from inside the objective works too.
    try study.optimize(trials: 3) { _ in 1 }
    #expect(study.trials.count == expected + 3)
    try study.optimize(trials: 10) { trial in
      if trial.number == expected + 4 { study.stop() }
      return 1
    }
    #expect(study.trials.count == expected + 5)
  }

  /// stop() with no optimize running does nothing: the next call runs in full.
  @Test func stopOutsideOptimizeDoesNothing() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    study.stop()
    try study.optimize(trials: 4) { _ in 1 }
    #expect(study.trials.count == 4)
  }

  /// One optimize at a time per study object: called from `onTrial` it throws out of the
  /// study; called from the objective it fails that trial, and the study goes on.
  @Test func aNestedOptimizeIsRefused() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    let nested = { (_: FrozenTrial) throws in try study.optimize(trials: 1) { _ in 0 } }
    #expect(throws: TuningError.self) { try study.optimize(trials: 3, onTrial: nested) { _ in 0 } }
    #expect(study.trials.count == 1)
    try study.optimize(trials: 2) { trial in
      if trial.number == 1 { try study.optimize(trials: 1) { _ in 0 } }
      return 0
    }
    #expect(study.trials.map(\.state) == [.complete, .failed, .complete])
    #expect(study.trials[1].error?.contains("already optimizing") == true)
  }

  /// `onTrial` gets the record as stored: a trial another process failed as dead while
  /// this one ran it stays failed (and is retried), whatever the objective returned.
  @Test func theCallbackSeesTheStoredRecordNotTheToldOne() throws {
    let storage = InMemoryStorage()
    let study = try Study(name: "s", sampler: RandomSampler(seed: 1), storage: storage)
    var seen: [FrozenTrial] = []
    let onTrial = { (record: FrozenTrial) in seen.append(record) }
    try study.optimize(trials: 3, onTrial: onTrial) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      // Another process finding this trial's heartbeat stale: every running trial is.
      if trial.number == 1 { _ = try storage.failStaleTrials(inStudy: "s", olderThan: -1) }
      return x
    }
    #expect(seen == study.trials.prefix(3).map { $0 })
    #expect(seen[1].state == .failed && seen[1].diedWithProcess)
    #expect(study.trials[2].parameters == seen[1].parameters)
  }

  struct Abort: Error {}

  @Test func anErrorFromTheCallbackEndsTheStudyAndIsRethrown() throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    let abortAtTwo = { (record: FrozenTrial) throws in if record.number == 2 { throw Abort() } }
    #expect(throws: Abort.self) { try study.optimize(trials: 10, parallelism: 2, onTrial: abortAtTwo) { _ in 0 } }
    #expect(study.trials.map(\.state) == [.complete, .complete, .complete, .complete])
  }

  @Test func theAsyncDriverCallsBackAndStopsTheSameWay() async throws {
    let study = Study(sampler: RandomSampler(seed: 1))
    let seen = Mutex<[Int]>([])
    let onTrial = { (record: FrozenTrial) in
      seen.withLock { $0.append(record.number) }
      if record.value == 4 { study.stop() }
    }
    try await study.optimize(trials: 20, parallelism: 3, onTrial: onTrial) { trial in
      try await Task.sleep(nanoseconds: 1_000)
      return Double(trial.number)
    }
    #expect(seen.withLock { $0 } == Array(0..<6))
    #expect(study.trials.count == 6)
  }

  /// Warm-starting with added records is the same, to the sampler, as having run those
  /// configurations: a seeded TPE study that enqueued and ran twelve configurations and
  /// one that added them as records choose the same next ten.
  @Test func addedTrialsTeachTheSamplerAsRunTrialsDo() throws {
    let configurations: [[String: ParameterValue]] = (0..<12).map { k in
      ["x": .double(-5 + 10 * Double((k * 7) % 12) / 11), "n": .int(1 + (k * 5) % 9)]
    }
    let ran = Study(sampler: TPESampler(seed: 3))
    for configuration in configurations { try ran.enqueue(configuration) }
    try ran.optimize(trials: 12, Self.quadratic)
    let added = Study(sampler: TPESampler(seed: 3))
    for record in ran.trials {
      try added.addTrial(
        FrozenTrial(
          number: 99, state: .complete, value: record.value, parameters: record.parameters,
          distributions: record.distributions))
    }
    #expect(added.trials.map(\.parameters) == ran.trials.map(\.parameters))
    try ran.optimize(trials: 10, Self.quadratic)
    try added.optimize(trials: 10, Self.quadratic)
    #expect(added.trials.suffix(10).map(\.parameters) == ran.trials.suffix(10).map(\.parameters))
    #expect(added.trials.suffix(10).map(\.value) == ran.trials.suffix(10).map(\.value))
  }

  @Test func anAddedRecordTakesTheNextNumberAndShedsBookkeeping() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("j.jsonl").path
    let study = try Study(name: "s", sampler: RandomSampler(seed: 2), storage: JournalStorage(path: path))
    try study.optimize(trials: 2, Self.quadratic)
    let record = FrozenTrial(
      number: 40, state: .complete, value: 0.5, parameters: ["x": .int(2), "n": .double(3)],
      distributions: [
        "x": .float(low: -5, high: 5, log: false, step: nil), "n": .int(low: 1, high: 9, log: false, step: 1),
      ],
      intermediateValues: [0: 0.9, 1: 0.5],
      userAttributes: [
        "source": "grid run 7", FrozenTrial.samplingIndexAttribute: "3", FrozenTrial.diedWithProcessAttribute: "true",
        FrozenTrial.runningSummaryAttribute: "true", FrozenTrial.duplicateOfAttribute: "1",
        CMAESSampler.generationAttribute: "4", "hone.tune.settings": "{}",
      ])
    let stored = try study.addTrial(record)
    #expect(stored.number == 2)
    #expect(stored.parameters == ["x": .double(2), "n": .int(3)])
    #expect(
      stored.userAttributes == [
        "source": "grid run 7", FrozenTrial.runningSummaryAttribute: "true", "hone.tune.settings": "{}",
      ])
    // Kept in the journal: a study resumed from it has the record as added.
    let resumed = try Study(name: "s", storage: JournalStorage(path: path))
    #expect(resumed.trials.count == 3)
    #expect(resumed.trials[2] == stored)
    #expect(resumed.bestTrial?.number == 2)
    // Pruned and failed records are accepted too.
    try study.addTrial(FrozenTrial(number: 0, state: .pruned, intermediateValues: [0: 9]))
    try study.addTrial(FrozenTrial(number: 0, state: .failed, error: "out of memory"))
    #expect(study.trials.map(\.state).suffix(2) == [.pruned, .failed])
  }

  /// A store whose final updates are written and then reported as failed, as a journal's
  /// line written before its `fsync` fails.
  final class WritesThenThrows: MinimalStorage, @unchecked Sendable {
    struct Failure: Error {}
    override func updateTrial(_ trial: FrozenTrial, inStudy study: String) throws {
      try base.updateTrial(trial, inStudy: study)
      if trial.state != .running { throw Failure() }
    }
  }

  /// A record the storage kept although the update reported an error is the added trial:
  /// throwing would invite the caller to add it again.
  @Test func aRecordStoredDespiteAnErrorCountsAsAdded() throws {
    let study = try Study(name: "s", storage: WritesThenThrows())
    let record = FrozenTrial(
      number: 0, state: .complete, value: 2, parameters: ["x": .double(0.5)], distributions: ["x": Self.unit])
    let stored = try study.addTrial(record)
    #expect(stored == study.trials[0])
    #expect(study.trials.count == 1 && study.trials[0].state == .complete)
  }

  static let unit = Distribution.float(low: 0, high: 1, log: false, step: nil)

  static let badRecords: [(String, FrozenTrial)] = [
    ("running", FrozenTrial(number: 0, state: .running)),
    ("complete without a value", FrozenTrial(number: 0, state: .complete)),
    ("a NaN value", FrozenTrial(number: 0, state: .complete, value: .nan)),
    ("a failed trial with a value", FrozenTrial(number: 0, state: .failed, value: 1)),
    ("a pruned trial with an infinite value", FrozenTrial(number: 0, state: .pruned, value: .infinity)),
    (
      "a parameter without its distribution",
      FrozenTrial(number: 0, state: .complete, value: 1, parameters: ["x": .double(0.5)])
    ),
    (
      "a distribution without its value", FrozenTrial(number: 0, state: .complete, value: 1, distributions: ["x": unit])
    ),
    (
      "a value outside its distribution",
      FrozenTrial(number: 0, state: .complete, value: 1, parameters: ["x": .double(2)], distributions: ["x": unit])
    ),
    (
      "an invalid distribution",
      FrozenTrial(
        number: 0, state: .complete, value: 1, parameters: ["x": .double(0.5)],
        distributions: ["x": .float(low: 1, high: 0, log: false, step: nil)])
    ),
  ]

  @Test(arguments: 0..<badRecords.count)
  func aBadRecordIsRefusedAndNothingIsStored(index: Int) throws {
    let study = Study(sampler: RandomSampler(seed: 2))
    #expect(throws: TuningError.self, "\(Self.badRecords[index].0)") { try study.addTrial(Self.badRecords[index].1) }
    #expect(study.trials.isEmpty)
  }

  @Test func aRecordUnlikeTheDeclaredSpaceIsRefused() throws {
    let study = Study(sampler: try CMAESSampler(seed: 1, space: ["x": Self.unit]))
    let other = FrozenTrial(
      number: 0, state: .complete, value: 1, parameters: ["x": .double(0.5)],
      distributions: ["x": .float(low: 0, high: 2, log: false, step: nil)])
    #expect(throws: TuningError.self) { try study.addTrial(other) }
    var same = other
    same.distributions = ["x": Self.unit]
    try study.addTrial(same)
    #expect(study.trials.count == 1)
  }
}

/// `Study.load` and `StudyStorage.studies()`: Optuna's `load_study` and
/// `get_all_study_names`.
@Suite("Loading studies by name")
struct StudyLoadingTests {
  @Test func aStudyIsLoadedInItsStoredDirection() throws {
    let folder = try StorageTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("j.jsonl").path
    let first = try Study(
      name: "up", direction: .maximize, sampler: RandomSampler(seed: 1), storage: JournalStorage(path: path))
    try first.optimize(trials: 3) { trial in try trial.suggestFloat("x", 0...1) }
    _ = try Study(name: "down", storage: JournalStorage(path: path))
    let storage = try JournalStorage(path: path)
    #expect(try storage.studies().map(\.name) == ["down", "up"])
    #expect(try storage.studies().map(\.direction) == [.minimize, .maximize])
    let loaded = try Study.load(name: "up", storage: storage)
    #expect(loaded.direction == .maximize)
    #expect(loaded.trials == first.trials)
    #expect(loaded.bestTrial == first.bestTrial)
    let best = try #require(first.trials.max { ($0.value ?? 0) < ($1.value ?? 0) })
    #expect(loaded.bestValue == best.value)
    #expect(loaded.bestParameters == best.parameters)
    #expect(throws: TuningError.self) { try Study.load(name: "sideways", storage: storage) }
    #expect(try storage.studies().count == 2)
    #expect(try Study.load(name: "down", storage: storage).bestValue == nil)
    // Study attributes: kept in the journal, seen through another storage on the file
    // (another process), a later value replacing an earlier one, other studies untouched.
    try loaded.setUserAttribute("dataset", "higgs 80k")
    try loaded.setUserAttribute("owner", "ana")
    try loaded.setUserAttribute("dataset", "higgs 100k")
    #expect(
      try Study.load(name: "up", storage: JournalStorage(path: path)).userAttributes()
        == ["dataset": "higgs 100k", "owner": "ana"])
    #expect(try Study.load(name: "down", storage: storage).userAttributes() == [:])
    #expect(throws: TuningError.self) { try storage.setStudyAttributes(["k": "v"], inStudy: "sideways") }
    try loaded.setUserAttributes(["owner": "bo", "stage": "2"])
    #expect(try loaded.userAttributes() == ["dataset": "higgs 100k", "owner": "bo", "stage": "2"])
    let memory = InMemoryStorage()
    try memory.createStudy(named: "m", direction: .maximize)
    let inMemory = try Study.load(name: "m", storage: memory)
    #expect(inMemory.direction == .maximize)
    try inMemory.setUserAttribute("note", "baseline")
    #expect(try inMemory.userAttributes() == ["note": "baseline"])
    // A back end without study attributes refuses to set one and has none.
    let outside = try Study(name: "o", storage: StudyControlTests.WritesThenThrows())
    #expect(throws: TuningError.self) { try outside.setUserAttribute("k", "v") }
    #expect(try outside.userAttributes() == [:])
  }
}

/// Categorical choices of other types, as Optuna's `suggest_categorical` takes them.
@Suite("Categorical choices that are not strings")
struct TypedCategoricalTests {
  @Test func integersAndFlagsComeBackAsTheirOwnValues() throws {
    let study = Study(sampler: RandomSampler(seed: 3))
    try study.optimize(trials: 30) { trial in
      let layers = try trial.suggestCategorical("layers", [1, 2, 3])
      let centred = try trial.suggestCategorical("centred", [true, false])
      // What the objective got is what the trial recorded, as text.
      #expect(trial.snapshot.parameters["layers"] == .string(String(layers)))
      #expect(trial.snapshot.parameters["centred"] == .string(String(centred)))
      return Double(layers) + (centred ? 0 : 0.5)
    }
    let layers = Set(study.trials.compactMap { $0.parameters["layers"] })
    #expect(layers == [.string("1"), .string("2"), .string("3")])
    #expect(study.trials.allSatisfy { $0.distributions["layers"] == .categorical(["1", "2", "3"]) })
    #expect(study.bestParameters?["layers"] == .string("1"))
  }

  /// A number enqueued or added for a typed categorical is taken as its text, as Optuna
  /// takes `enqueue_trial({"layers": 2})`.
  @Test func numbersGivenForTypedChoicesAreTakenAsTheirText() throws {
    let study = Study(sampler: RandomSampler(seed: 3))
    try study.enqueue(["layers": .int(2), "rate": .double(0.5)])
    try study.optimize(trials: 1) { trial in
      let layers = try trial.suggestCategorical("layers", [1, 2, 3])
      let rate = try trial.suggestCategorical("rate", [0.25, 0.5])
      #expect(layers == 2 && rate == 0.5)
      return Double(layers)
    }
    #expect(study.trials[0].state == .complete)
    let added = try study.addTrial(
      FrozenTrial(
        number: 0, state: .complete, value: 3, parameters: ["layers": .int(3)],
        distributions: ["layers": .categorical(["1", "2", "3"])]))
    #expect(added.parameters["layers"] == .string("3"))
    #expect(throws: TuningError.self) {
      try study.addTrial(
        FrozenTrial(
          number: 0, state: .complete, value: 3, parameters: ["layers": .int(4)],
          distributions: ["layers": .categorical(["1", "2", "3"])]))
    }
    // skipIfExists compares a number with the choice's text either way round.
    #expect(try !study.enqueue(["layers": .int(3)], skipIfExists: true))
    #expect(try study.enqueue(["layers": .int(1)], skipIfExists: true))
    #expect(try !study.enqueue(["layers": .string("1")], skipIfExists: true))
    // A whole number for real choices is taken as the real's text: 1 as "1.0".
    let reals = Study(sampler: RandomSampler(seed: 4))
    try reals.enqueue(["r": .int(1)])
    try reals.optimize(trials: 1) { trial in try trial.suggestCategorical("r", [0.5, 1.0]) }
    #expect(reals.trials[0].parameters["r"] == .string("1.0"))
  }

  @Test func choicesWithTheSameTextAreRefused() throws {
    let study = Study(sampler: RandomSampler(seed: 3))
    let trial = try study.ask()
    #expect(throws: TuningError.self) { try trial.suggestCategorical("rate", [0.1, 0.10, 0.2]) }
  }
}
