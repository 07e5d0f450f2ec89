import ArgumentParser
import Foundation
import Hone

/// `hone study-worker`: runs a study on a cheap objective against a journal file.
///
/// Hidden: it exists so the tests can run a study in a real second process, kill it with
/// SIGKILL mid-trial, and share one journal between two processes.
struct StudyWorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "study-worker",
    abstract: "Run a study on a cheap objective against a journal file (for tests).",
    shouldDisplay: false)

  @Option(help: "The study journal file.") var journal: String
  @Option(help: "The study's name in the journal.") var study = "worker"
  @Option(help: "Trials to run.") var trials = 10
  @Option(help: "Milliseconds each trial sleeps, after suggesting, before it returns.") var sleep = 0
  @Option(help: "Seconds between heartbeats.") var heartbeat = 10.0
  @Option(help: "Seconds without a heartbeat after which a running trial counts as dead.") var staleAfter = 60.0
  @Option(help: "The random sampler's seed.") var seed: UInt64 = 0

  func validate() throws {
    guard trials >= 0 else { throw ValidationError("--trials must be ≥ 0, got \(trials)") }
    guard sleep >= 0 else { throw ValidationError("--sleep must be ≥ 0 milliseconds, got \(sleep)") }
  }

  func run() throws {
    let storage = try JournalStorage(path: journal)
    let study = try Study(
      name: study, sampler: RandomSampler(seed: seed), storage: storage, heartbeatInterval: heartbeat,
      staleAfter: staleAfter)
    let pause = Double(sleep) / 1000
    try study.optimize(trials: trials) { trial in
      let x = try trial.suggestFloat("x", -5...5)
      if pause > 0 { Thread.sleep(forTimeInterval: pause) }
      return x * x
    }
    print(study.trials.filter { $0.state == .complete }.count)
  }
}
