import Foundation
import Synchronization

/// Keeps studies in this process's memory: the default, and the fastest; nothing survives
/// the process.
public final class InMemoryStorage: StudyStorage {
  private let state = Mutex(StorageState())

  /// Creates an empty store.
  public init() {}

  /// Creates a store holding one empty study, for a ``Study`` kept in memory.
  init(study: String, direction: Direction) {
    state.withLock {
      $0.apply(JournalEvent(kind: .createStudy, study: study, direction: direction, time: currentTime()))
    }
  }

  /// Creates the study `name`, or checks the existing one's direction.
  ///
  /// - Throws: ``TuningError`` when the study exists with the other direction.
  public func createStudy(named name: String, direction: Direction) throws {
    try state.withLock { s in
      if try s.checkCreate(name, direction) {
        s.apply(JournalEvent(kind: .createStudy, study: name, direction: direction, time: currentTime()))
      }
    }
  }

  /// Every study in the store, by name.
  public func studies() throws -> [(name: String, direction: Direction)] {
    state.withLock { $0.listing }
  }

  /// Sets study attributes.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func setStudyAttributes(_ attributes: [String: String], inStudy study: String) throws {
    try state.withLock { s in
      _ = try s.study(study)
      s.apply(JournalEvent(kind: .setStudyAttribute, study: study, time: currentTime(), attributes: attributes))
    }
  }

  /// The study's attributes.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func studyAttributes(inStudy study: String) throws -> [String: String] {
    try state.withLock { try $0.study(study).attributes }
  }

  /// Allocates the next trial number.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func createTrial(inStudy study: String) throws -> Int {
    try state.withLock { s in
      let number = try s.study(study).trials.count
      s.apply(JournalEvent(kind: .createTrial, study: study, number: number, time: currentTime()))
      return number
    }
  }

  /// Records a trial update.
  ///
  /// - Throws: ``TuningError`` for an unknown study or trial.
  public func updateTrial(_ trial: FrozenTrial, inStudy study: String) throws {
    try state.withLock { s in
      guard try s.checkUpdate(trial, study) else { return }
      s.apply(JournalEvent(kind: .updateTrial, study: study, trial: trial, time: currentTime()))
    }
  }

  /// Every trial of `study`.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func trials(inStudy study: String) throws -> [FrozenTrial] {
    try state.withLock { try $0.study(study).trials }
  }

  /// Records a heartbeat.
  public func heartbeat(trial number: Int, inStudy study: String) throws {
    state.withLock { $0.apply(JournalEvent(kind: .heartbeat, study: study, number: number, time: currentTime())) }
  }

  /// Makes trial `number` the retry of the oldest dead trial nobody retries yet (see
  /// ``StudyStorage/claimRetry(inStudy:for:)``).
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func claimRetry(inStudy study: String, for number: Int) throws -> FrozenTrial? {
    try state.withLock { s in
      guard let dead = try s.owedRetry(study) else { return nil }
      s.apply(
        JournalEvent(kind: .claimRetry, study: study, number: number, retryOf: dead.number, time: currentTime()))
      return dead
    }
  }

  /// Queues a configuration for a later trial, unless `skipIfExists` and the study has it.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func enqueue(_ parameters: [String: ParameterValue], inStudy study: String, skipIfExists: Bool) throws
    -> Bool
  {
    try state.withLock { s in
      if try skipIfExists && s.hasConfiguration(parameters, study) { return false }
      _ = try s.study(study)
      s.apply(
        JournalEvent(
          kind: .enqueue, study: study, time: currentTime(), parameters: parameters,
          queueID: UUID().uuidString))
      return true
    }
  }

  /// The configurations still waiting.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func queued(inStudy study: String) throws -> [[String: ParameterValue]] {
    try state.withLock { try $0.waiting(study).map(\.parameters) }
  }

  /// Makes trial `number` take the oldest waiting configuration.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func claimQueued(inStudy study: String, for number: Int) throws -> [String: ParameterValue]? {
    try state.withLock { s in
      guard let next = try s.waiting(study).first else { return nil }
      s.apply(
        JournalEvent(kind: .claimQueued, study: study, number: number, time: currentTime(), queueID: next.id))
      return next.parameters
    }
  }

  /// Fails running trials silent for more than `seconds`.
  ///
  /// - Throws: ``TuningError`` for an unknown study.
  public func failStaleTrials(inStudy study: String, olderThan seconds: Double) throws -> [FrozenTrial] {
    try state.withLock { s in
      let failures = try s.staleFailures(study, olderThan: seconds, now: currentTime())
      for event in failures { s.apply(event) }
      return failures.compactMap(\.trial)
    }
  }
}
