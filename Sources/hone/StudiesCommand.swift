import ArgumentParser
import Foundation
import Hone

/// `hone studies …`: the studies in a tuning journal, read without changing it.
struct StudiesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "studies", abstract: "List the studies in a tuning journal and show one's trials.",
    discussion: """
      Reads the journal `hone tune --storage` writes (or a `Study` with a `JournalStorage`) \
      and changes nothing in it, so it is safe while workers run.
      """,
    subcommands: [List.self, Show.self])

  /// The journal, which must exist (a mistyped path is not created).
  struct JournalOptions: ParsableArguments {
    @Option(help: "The study journal file.") var storage: String

    /// Opens the journal read-only (never created, never written) and notes on standard
    /// error the lines its replay skipped, whose events the figures lack.
    func open() throws -> JournalStorage {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: storage, isDirectory: &isFolder), !isFolder.boolValue else {
        throw FileError(path: storage, message: "no study journal here; pass the file `hone tune --storage` wrote")
      }
      let journal = try JournalStorage(path: storage, readOnly: true)
      let skipped = journal.ignoredLines
      if !skipped.isEmpty {
        printError(
          "note: \(skipped.count) line(s) of \(storage) skipped, their events not counted: "
            + skipped.prefix(5).map(\.description).joined(separator: "; ") + (skipped.count > 5 ? "; …" : ""))
      }
      return journal
    }
  }

  /// One study's counts and best trial.
  struct Summary: Encodable {
    var name: String
    var direction: Direction
    var complete = 0
    var pruned = 0
    var failed = 0
    var running = 0
    var bestTrial: FrozenTrial?

    init(name: String, direction: Direction, trials: [FrozenTrial]) {
      self.name = name
      self.direction = direction
      for trial in trials {
        switch trial.state {
        case .complete: complete += 1
        case .pruned: pruned += 1
        case .failed: failed += 1
        case .running: running += 1
        }
      }
      bestTrial = direction.best(of: trials)
    }
  }

  /// `hone studies list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the studies with their trial counts and best values.")
    @OptionGroup var journal: JournalOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
      let storage = try journal.open()
      let summaries = try storage.studies().map {
        Summary(name: $0.name, direction: $0.direction, trials: try storage.trials(inStudy: $0.name))
      }
      if json { return try printJSON(summaries) }
      guard !summaries.isEmpty else { return print("no studies in \(journal.storage)") }
      print(
        textTable(
          header: ["study", "direction", "complete", "pruned", "failed", "running", "best", "best trial"],
          rows: summaries.map { s in
            [s.name, s.direction.rawValue] + [s.complete, s.pruned, s.failed, s.running].map(String.init)
              + [short(s.bestTrial?.value), s.bestTrial.map { String($0.number) } ?? ""]
          }))
    }
  }

  /// `hone studies show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a study's best trials and which hyperparameters mattered, or export its trials.")
    @Argument(help: "The study's name.") var name: String
    @OptionGroup var journal: JournalOptions
    @Option(
      help:
        "How many of the best complete trials to list (default 10; not with --csv or --json, which print every trial).")
    var top: Int?
    @Flag(help: "Print every trial as CSV (columns number, state, value, seconds, params_<name>, user_attrs_<key>).")
    var csv = false
    @Flag(help: "Print the summary, importances and every trial as JSON.") var json = false

    func validate() throws {
      if let top, top < 0 { throw ValidationError("--top must be ≥ 0, got \(top)") }
      guard !(csv && json) else { throw ValidationError("choose --csv or --json, not both") }
      guard top == nil || !(csv || json) else {
        throw ValidationError("--top lists the best trials in the summary; --csv and --json print every trial")
      }
    }

    struct Report: Encodable {
      var summary: Summary
      var attributes: [String: String]
      var importances: [ParameterImportance]
      var trials: [FrozenTrial]
    }

    func run() throws {
      let storage = try journal.open()
      let studies = try storage.studies()
      guard let stored = studies.first(where: { $0.name == name }) else {
        let names = studies.map(\.name).joined(separator: ", ")
        throw TuningError(
          "no study named `\(name)` in \(journal.storage); " + (names.isEmpty ? "it holds none" : "it holds \(names)"))
      }
      let trials = try storage.trials(inStudy: name)
      if csv { return print(Study.trialsCSV(trials), terminator: "") }
      let summary = Summary(name: name, direction: stored.direction, trials: trials)
      // Importances need two complete trials sharing a parameter; fewer, and there are none.
      let importances = (try? FanovaImportance(seed: 0).evaluate(trials)) ?? []
      let attributes = try storage.studyAttributes(inStudy: name)
      if json {
        return try printJSON(
          Report(summary: summary, attributes: attributes, importances: importances, trials: trials))
      }
      print(
        "study \(name) (\(stored.direction.rawValue)): \(summary.complete) complete, \(summary.pruned) pruned, "
          + "\(summary.failed) failed, \(summary.running) running")
      for (key, value) in attributes.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value)") }
      let complete = trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
      let ranked = complete.sorted {
        let (a, b) = ($0.value ?? 0, $1.value ?? 0)
        return a != b ? stored.direction.isBetter(a, than: b) : $0.number < $1.number
      }
      let top = self.top ?? 10
      let names = Set(ranked.prefix(top).flatMap { $0.parameters.keys }).sorted()
      if top > 0, !ranked.isEmpty {
        print("\nbest \(Swift.min(top, ranked.count)) of \(ranked.count) complete trials")
        print(
          textTable(
            header: ["rank", "trial", "value"] + names,
            rows: ranked.prefix(top).enumerated().map { rank, trial in
              [String(rank + 1), String(trial.number), short(trial.value)]
                + names.map { name in
                  switch trial.parameters[name] {
                  case .double(let x): short(x)
                  case let value?: value.description
                  case nil: ""
                  }
                }
            }))
      }
      if !importances.isEmpty {
        let hint = complete.count < 20 ? "; from \(complete.count) complete trials, a hint only" : ""
        print("\nhyperparameter importance (fANOVA, 64 trees, seed 0\(hint))")
        print(
          textTable(
            header: ["parameter", "share", "sd"],
            rows: importances.map {
              [$0.name, short($0.importance, digits: 3), short($0.standardDeviation, digits: 2)]
            }))
      }
    }
  }
}
