import Foundation

/// A final result that arrived for a trial the storage already holds as finished, and was
/// not recorded: typically a trial another process failed as dead while this one was
/// suspended (or its clock jumped) for longer than the study's `staleAfter`. The stored
/// record stands, and the trial's parameters are retried by the next trial asked for.
///
/// Inside ``Study/optimize(trials:parallelism:timeout:onTrial:_:)`` the study goes on; a direct
/// ``Study/tell(_:value:seconds:)`` throws it.
public struct TrialAlreadyFinished: Error, Sendable, Equatable, CustomStringConvertible {
  /// The study.
  public let study: String
  /// The trial's number.
  public let number: Int
  /// The state the storage holds.
  public let storedState: FrozenTrial.State
  /// The state of the result that was refused.
  public let refusedState: FrozenTrial.State
  /// The stored trial's error, e.g. why it was taken for dead.
  public let storedError: String?
  /// Whether the stored trial was failed because its process was taken for dead — the
  /// case ``Study/optimize(trials:parallelism:timeout:onTrial:_:)`` goes on past.
  public let diedWithProcess: Bool

  /// What happened and what to change.
  public var description: String {
    "trial \(number) of `\(study)` was already \(storedState.rawValue)" + (storedError.map { " (\($0))" } ?? "")
      + " when its \(refusedState.rawValue) result arrived, which is not recorded; a process that was suspended or "
      + "whose clock jumped can be taken for dead — keep staleAfter well above such pauses"
  }
}

/// Where a study keeps its trials: in memory for one process, in a journal file shared by
/// the processes of one machine, or (later) in a database shared by many machines.
///
/// Every method names its study, so one store holds many studies. A back end must make
/// ``createTrial(inStudy:)`` atomic across every process that shares it — two callers never
/// get the same number — and must never let a later update change a finished trial, so a
/// slow process cannot overwrite the failure recorded after its heartbeats stopped.
///
/// The protocol maps onto SQL directly (a `studies` table, a `trials` table keyed by
/// study and number, numbers allocated in a transaction, a `queue` table whose rows a
/// trial claims in a transaction), which is why a PostgreSQL back end can be added without changing ``Study`` or its callers.
public protocol StudyStorage: Sendable {
  /// Creates the study `name`, or checks that the existing one has `direction`.
  ///
  /// - Throws: ``TuningError`` when the study exists with the other direction; an I/O
  ///   error from the back end.
  func createStudy(named name: String, direction: Direction) throws

  /// Allocates the next trial number of `study` and records a running trial with a fresh
  /// heartbeat.
  ///
  /// - Returns: The number, unique across every process sharing the store.
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func createTrial(inStudy study: String) throws -> Int

  /// Records a trial's parameters, intermediate values or final state; a running update
  /// also counts as a heartbeat. A running update to a finished trial is ignored.
  ///
  /// - Throws: ``TrialAlreadyFinished`` for a final result for a trial already finished
  ///   (e.g. failed as dead by another process); ``TuningError`` for an unknown study or
  ///   trial; an I/O error from the back end.
  func updateTrial(_ trial: FrozenTrial, inStudy study: String) throws

  /// Every trial of `study`, by number.
  ///
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func trials(inStudy study: String) throws -> [FrozenTrial]

  /// Records that the process running trial `number` is alive.
  ///
  /// - Throws: An I/O error from the back end.
  func heartbeat(trial number: Int, inStudy study: String) throws

  /// Marks failed every running trial of `study` whose last heartbeat is more than
  /// `seconds` old: its process died.
  ///
  /// - Returns: The trials just failed, with the parameters they had reached.
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func failStaleTrials(inStudy study: String, olderThan seconds: Double) throws -> [FrozenTrial]

  /// Makes trial `number` the retry of the oldest trial of `study` that died with its
  /// process (``FrozenTrial/diedWithProcess``), had parameters, and no trial retries yet —
  /// in one atomic step, so that of several processes sharing the storage exactly one
  /// retries each dead trial, and a retry still owed when a process dies is taken up by
  /// the next one.
  ///
  /// - Parameters:
  ///   - study: The study.
  ///   - number: The new trial that will take the dead trial's parameters.
  /// - Returns: The dead trial now retried by `number`, or `nil` when none is owed.
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func claimRetry(inStudy study: String, for number: Int) throws -> FrozenTrial?

  /// Records a configuration for a later trial of `study` to take instead of sampling
  /// (Optuna's waiting trial): kept in the store, so it survives a crash and any process
  /// sharing the store may run it. With `skipIfExists`, in the same atomic step, a
  /// configuration the study already has is refused: one queued before, or a trial's
  /// (compared by what it was queued with, if it was), numbers by value.
  ///
  /// - Returns: Whether the configuration was queued.
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func enqueue(_ parameters: [String: ParameterValue], inStudy study: String, skipIfExists: Bool) throws -> Bool

  /// The queued configurations of `study` no trial has taken yet, oldest first.
  ///
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func queued(inStudy study: String) throws -> [[String: ParameterValue]]

  /// Makes trial `number` take the oldest queued configuration of `study` that no trial
  /// has taken — or whose taker died before suggesting anything — in one atomic step, so
  /// that of several processes exactly one runs each configuration.
  ///
  /// - Returns: The configuration, or `nil` when none is waiting.
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func claimQueued(inStudy study: String, for number: Int) throws -> [String: ParameterValue]?

  /// The studies the store holds, by name, with their directions — Optuna's
  /// `get_all_study_names`.
  ///
  /// - Throws: An I/O error from the back end.
  func studies() throws -> [(name: String, direction: Direction)]

  /// Sets user attributes of `study` in one atomic step — Optuna's `study.set_user_attr`
  /// — such as what the study is about or the data it was run on; a later value of a key
  /// replaces an earlier one.
  ///
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func setStudyAttributes(_ attributes: [String: String], inStudy study: String) throws

  /// The user attributes of `study`.
  ///
  /// - Throws: ``TuningError`` for an unknown study; an I/O error from the back end.
  func studyAttributes(inStudy study: String) throws -> [String: String]
}

extension StudyStorage {
  /// A back end without a queue refuses to enqueue, naming itself.
  ///
  /// - Throws: ``TuningError`` always.
  public func enqueue(_ parameters: [String: ParameterValue], inStudy study: String, skipIfExists: Bool) throws
    -> Bool
  {
    throw TuningError(
      "\(type(of: self)) keeps no queued configurations; implement enqueue, queued and claimQueued, or use JournalStorage or InMemoryStorage"
    )
  }

  /// No queue: nothing waits.
  public func queued(inStudy study: String) throws -> [[String: ParameterValue]] { [] }

  /// No queue: nothing to take.
  public func claimQueued(inStudy study: String, for number: Int) throws -> [String: ParameterValue]? { nil }

  /// A back end without study attributes refuses to set one, naming itself.
  ///
  /// - Throws: ``TuningError`` always.
  public func setStudyAttributes(_ attributes: [String: String], inStudy study: String) throws {
    throw TuningError(
      "\(type(of: self)) keeps no study attributes; implement setStudyAttributes and studyAttributes, or use JournalStorage or InMemoryStorage"
    )
  }

  /// No study attributes: none.
  public func studyAttributes(inStudy study: String) throws -> [String: String] { [:] }

  /// A back end that cannot list its studies says so, naming itself.
  ///
  /// - Throws: ``TuningError`` always.
  public func studies() throws -> [(name: String, direction: Direction)] {
    throw TuningError("\(type(of: self)) cannot list its studies; implement studies(), or open a study by name")
  }
}

/// Whether two configurations have the same names and values, an integer equal to the
/// same number as a real, and a number equal to a categorical choice with its text (as
/// ``Distribution/accepting(_:)`` takes it).
func sameConfiguration(_ a: [String: ParameterValue], _ b: [String: ParameterValue]) -> Bool {
  guard a.count == b.count else { return false }
  return a.allSatisfy { name, x in
    guard let y = b[name] else { return false }
    switch (x, y) {
    case (.int(let i), .double(let d)), (.double(let d), .int(let i)): return Double(i) == d
    case (.int(let i), .string(let text)), (.string(let text), .int(let i)):
      return text == String(i) || text == Double(i).description
    case (.double(let d), .string(let text)), (.string(let text), .double(let d)): return text == d.description
    default: return x == y
    }
  }
}

/// The state every back end agrees on, built by applying events in order. The journal
/// replays its file through it and the in-memory store applies events directly, so both
/// follow the same rules.
struct StorageState: Sendable {
  struct StoredStudy: Sendable {
    /// Whether dead trial `number` still needs a retry: none claimed it, or the one that
    /// did died itself before suggesting anything (so nothing else will run its values).
    func isRetryOwed(_ number: Int) -> Bool {
      guard let claimer = retriedBy[number] else { return true }
      guard claimer >= 0, claimer < trials.count else { return false }
      return trials[claimer].diedWithProcess && trials[claimer].parameters.isEmpty
    }

    var direction: Direction
    var trials: [FrozenTrial] = []
    /// Seconds since 1970 of each trial's last sign of life.
    var heartbeats: [Double] = []
    /// Which trial retries each dead trial, by the dead trial's number.
    var retriedBy: [Int: Int] = [:]
    /// Configurations enqueued for later trials, in order, each with the identifier its
    /// claim names (a damaged line then costs its own entry, not the meaning of the rest).
    var queue: [(id: String, parameters: [String: ParameterValue])] = []
    /// Which trial took each queued configuration, by its identifier.
    var queueTakenBy: [String: Int] = [:]
    /// The study's user attributes.
    var attributes: [String: String] = [:]

    /// Whether the queued configuration `id` still waits: nobody took it, or its taker
    /// died before suggesting anything.
    func isWaiting(_ id: String) -> Bool {
      guard let taker = queueTakenBy[id] else { return true }
      guard taker >= 0, taker < trials.count else { return false }
      return trials[taker].diedWithProcess && trials[taker].parameters.isEmpty
    }
  }

  var studies: [String: StoredStudy] = [:]

  /// Every study's name and direction, by name.
  var listing: [(name: String, direction: Direction)] {
    studies.map { (name: $0.key, direction: $0.value.direction) }.sorted { $0.name < $1.name }
  }

  func study(_ name: String) throws -> StoredStudy {
    guard let study = studies[name] else {
      throw TuningError(
        "no study named `\(name)` in this storage; create it first with `createStudy(named:direction:)`")
    }
    return study
  }

  func checkCreate(_ name: String, _ direction: Direction) throws -> Bool {
    guard let existing = studies[name] else { return true }
    guard existing.direction == direction else {
      throw TuningError(
        "the study `\(name)` exists and is \(existing.direction.rawValue)d, not \(direction.rawValue)d (a metric that improves the other way?); open it with the same direction or metric, or pick another study name"
      )
    }
    return false
  }

  /// Whether an update of `trial` is to be written: `false` for a running-state update
  /// of a trial already finished (a late report of a trial another process failed as
  /// dead), which replay would drop anyway.
  ///
  /// - Throws: ``TuningError`` for an unknown study or trial; ``TrialAlreadyFinished``
  ///   for a final result of a finished trial.
  func checkUpdate(_ trial: FrozenTrial, _ study: String) throws -> Bool {
    let trials = try self.study(study).trials
    guard trial.number >= 0, trial.number < trials.count else {
      throw TuningError(
        "the study `\(study)` has no trial \(trial.number); trials are created with `createTrial(inStudy:)`")
    }
    // A finished trial never changes. A running-state update to one (a late report) is
    // dropped as replay drops it; a final result is refused out loud, so the caller does
    // not take for recorded a result the study does not have (as Optuna raises
    // `UpdateFinishedTrialError`).
    let stored = trials[trial.number]
    if stored.state != .running && trial.state != .running {
      throw TrialAlreadyFinished(
        study: study, number: trial.number, storedState: stored.state, refusedState: trial.state,
        storedError: stored.error, diedWithProcess: stored.diedWithProcess)
    }
    return stored.state == .running
  }

  /// Whether trial `number` of `study` is running: heartbeats of any other are not written.
  func isRunning(_ number: Int, _ study: String) -> Bool {
    guard let trials = studies[study]?.trials, trials.indices.contains(number) else { return false }
    return trials[number].state == .running
  }

  /// Applies one event. Events that break the rules (a duplicate number, an update of a
  /// finished trial) change nothing, so a replay is idempotent whatever the interleaving.
  mutating func apply(_ event: JournalEvent) {
    switch event.kind {
    case .createStudy:
      if studies[event.study] == nil, let direction = event.direction {
        studies[event.study] = StoredStudy(direction: direction)
      }
    case .createTrial:
      guard let number = event.number, let count = studies[event.study]?.trials.count, number >= count else { return }
      recreateTrials(through: number, event.study, time: event.time)
    case .updateTrial:
      if let number = event.trial?.number { recreateTrials(through: number, event.study, time: event.time) }
      guard let trial = event.trial, let study = studies[event.study], trial.number >= 0,
        trial.number < study.trials.count, study.trials[trial.number].state == .running
      else { return }
      studies[event.study]?.trials[trial.number] = trial
      studies[event.study]?.heartbeats[trial.number] = event.time
    case .heartbeat:
      guard let number = event.number, let study = studies[event.study], number >= 0,
        number < study.trials.count
      else { return }
      studies[event.study]?.heartbeats[number] = event.time
    case .report:
      if let number = event.number { recreateTrials(through: number, event.study, time: event.time) }
      guard let number = event.number, let values = event.values, let study = studies[event.study], number >= 0,
        number < study.trials.count, study.trials[number].state == .running
      else { return }
      studies[event.study]?.trials[number].intermediateValues.merge(values) { _, new in new }
      studies[event.study]?.heartbeats[number] = event.time
    case .claimRetry:
      if let number = event.number { recreateTrials(through: number, event.study, time: event.time) }
      guard let claimer = event.number, let dead = event.retryOf, let study = studies[event.study],
        dead >= 0, dead < study.trials.count, claimer >= 0, claimer < study.trials.count,
        study.trials[dead].isRetriedAfterDeath, study.isRetryOwed(dead)
      else { return }
      studies[event.study]?.retriedBy[dead] = claimer
    case .enqueue:
      guard let parameters = event.parameters, let id = event.queueID, let study = studies[event.study],
        !study.queue.contains(where: { $0.id == id })
      else { return }
      studies[event.study]?.queue.append((id, parameters))
    case .claimQueued:
      if let number = event.number { recreateTrials(through: number, event.study, time: event.time) }
      guard let taker = event.number, let id = event.queueID, let study = studies[event.study],
        study.queue.contains(where: { $0.id == id }), taker >= 0, taker < study.trials.count, study.isWaiting(id)
      else { return }
      studies[event.study]?.queueTakenBy[id] = taker
    case .setStudyAttribute:
      guard let attributes = event.attributes, studies[event.study] != nil else { return }
      studies[event.study]?.attributes.merge(attributes) { _, new in new }
    }
  }

  /// Creates trials up to `number` of `study` as running, with `time` as their heartbeat.
  /// Numbers are allocated in order under the lock, so an event about a trial not created
  /// yet means the lines creating it (and any before it) were damaged: recreated, the
  /// trials' own later lines still apply (one with none is failed once its heartbeat is
  /// stale), and later trials keep their numbers. A gap of more than 10,000 is taken for a
  /// damaged number and ignored.
  private mutating func recreateTrials(through number: Int, _ study: String, time: Double) {
    guard let count = studies[study]?.trials.count, number >= count, number - count < 10_000 else { return }
    for missing in count...number {
      studies[study]?.trials.append(FrozenTrial(number: missing, state: .running))
      studies[study]?.heartbeats.append(time)
    }
  }

  /// The event recording `trial`'s update: a ``JournalEvent/Kind/report`` of its new
  /// intermediate values when that is all that changed since the stored record, else the
  /// whole record.
  func updateEvent(_ trial: FrozenTrial, _ study: String, time: Double) throws -> JournalEvent {
    let stored = try self.study(study).trials[trial.number]
    let onlyNewSteps =
      trial.state == .running && stored.state == .running && trial.parameters == stored.parameters
      && trial.distributions == stored.distributions && trial.userAttributes == stored.userAttributes
      && trial.value == nil && stored.value == nil && trial.error == stored.error && trial.seconds == stored.seconds
      && stored.intermediateValues.allSatisfy { trial.intermediateValues[$0.key]?.bitPattern == $0.value.bitPattern }
    guard onlyNewSteps else { return JournalEvent(kind: .updateTrial, study: study, trial: trial, time: time) }
    let added = trial.intermediateValues.filter { stored.intermediateValues[$0.key] == nil }
    return JournalEvent(kind: .report, study: study, number: trial.number, values: added, time: time)
  }

  /// Whether `study` already has `parameters`: a configuration queued before (waiting or
  /// taken), or a trial's — what it was queued with, if it was, else its parameters.
  func hasConfiguration(_ parameters: [String: ParameterValue], _ study: String) throws -> Bool {
    let stored = try self.study(study)
    return stored.queue.contains { sameConfiguration($0.parameters, parameters) }
      || stored.trials.contains { sameConfiguration($0.enqueuedParameters ?? $0.parameters, parameters) }
  }

  /// The queued configurations still waiting, with their identifiers, oldest first.
  func waiting(_ study: String) throws -> [(id: String, parameters: [String: ParameterValue])] {
    let stored = try self.study(study)
    return stored.queue.filter { stored.isWaiting($0.id) }
  }

  /// The oldest trial that died with its process, had parameters, has retries left and
  /// is not retried yet.
  func owedRetry(_ study: String) throws -> FrozenTrial? {
    let stored = try self.study(study)
    return stored.trials.first { $0.isRetriedAfterDeath && stored.isRetryOwed($0.number) }
  }

  /// The failure events for the running trials of `study` silent for more than `seconds`.
  func staleFailures(_ study: String, olderThan seconds: Double, now: Double) throws -> [JournalEvent] {
    let stored = try self.study(study)
    return stored.trials.indices.compactMap { k in
      let trial = stored.trials[k]
      guard trial.state == .running, now - stored.heartbeats[k] > seconds else { return nil }
      var failed = trial
      failed.state = .failed
      failed.userAttributes[FrozenTrial.diedWithProcessAttribute] = "true"
      let silent =
        "the process running this trial stopped sending heartbeats for more than \(seconds) s (it probably died)"
      failed.error =
        trial.parameters.isEmpty
        ? silent + " before it suggested any parameter; nothing to retry"
        : trial.attempt > FrozenTrial.retriesAfterDeath
          ? silent + "; this configuration's process died in all \(trial.attempt) runs, so it is not retried again"
          : silent + "; its parameters are queued for retry"
      return JournalEvent(kind: .updateTrial, study: study, trial: failed, time: now)
    }
  }
}

/// One change to a store: a line of the journal file.
struct JournalEvent: Codable, Sendable {
  enum Kind: String, Codable, Sendable {
    case createStudy, createTrial, updateTrial, heartbeat, claimRetry
    /// A configuration queued for a later trial (``JournalEvent/parameters``).
    case enqueue
    /// Trial ``JournalEvent/number`` takes queued configuration ``JournalEvent/queueID``.
    case claimQueued
    /// New intermediate values of a running trial (``JournalEvent/values``), written
    /// instead of the whole record when nothing else changed, so a trial reporting k
    /// steps writes O(k) bytes rather than O(k²).
    case report
    /// User attributes of the study (``JournalEvent/attributes``), set together.
    case setStudyAttribute
  }

  var kind: Kind
  var study: String
  var direction: Direction? = nil
  var number: Int? = nil
  var trial: FrozenTrial? = nil
  /// For ``Kind/claimRetry``: the dead trial that trial ``number`` retries.
  var retryOf: Int? = nil
  /// For ``Kind/report``: the intermediate values trial ``number`` added, by step.
  var values: [Int: Double]? = nil
  /// Seconds since 1970: heartbeats compare times written by different processes of one
  /// machine, so a wall clock, not an uptime clock.
  var time: Double
  /// For ``Kind/enqueue``: the configuration.
  var parameters: [String: ParameterValue]? = nil
  /// For ``Kind/enqueue`` and ``Kind/claimQueued``: the queued configuration's identifier.
  var queueID: String? = nil
  /// For ``Kind/setStudyAttribute``: the keys and their values.
  var attributes: [String: String]? = nil
}

func currentTime() -> Double { Date().timeIntervalSince1970 }
