import HoneTuning

/// A storage back end with only the methods `StudyStorage` requires, kept in memory: what
/// an outside back end written against the bare protocol looks like (no queue, no study
/// listing or attributes — the protocol's defaults). Subclasses override a method to
/// fail in a chosen way.
class MinimalStorage: StudyStorage, @unchecked Sendable {
  // `@unchecked Sendable`: the one stored property is an immutable, thread-safe store.
  let base = InMemoryStorage()

  func createStudy(named name: String, direction: Direction) throws {
    try base.createStudy(named: name, direction: direction)
  }
  func createTrial(inStudy study: String) throws -> Int { try base.createTrial(inStudy: study) }
  func updateTrial(_ trial: FrozenTrial, inStudy study: String) throws { try base.updateTrial(trial, inStudy: study) }
  func trials(inStudy study: String) throws -> [FrozenTrial] { try base.trials(inStudy: study) }
  func heartbeat(trial number: Int, inStudy study: String) throws { try base.heartbeat(trial: number, inStudy: study) }
  func failStaleTrials(inStudy study: String, olderThan seconds: Double) throws -> [FrozenTrial] {
    try base.failStaleTrials(inStudy: study, olderThan: seconds)
  }
  func claimRetry(inStudy study: String, for number: Int) throws -> FrozenTrial? {
    try base.claimRetry(inStudy: study, for: number)
  }
}
