import ArgumentParser
import Foundation
import Hone

/// `hone runs …`: tracked runs in a Hone store.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List, inspect and compare tracked runs.",
    subcommands: [List.self, Show.self, Compare.self])

  /// `hone runs list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List runs, newest first.")
    @OptionGroup var options: StoreOptions

    func run() throws {
      let runs = try options.open().runs.runs()
      if options.json { return try printJSON(runs) }
      guard !runs.isEmpty else { return print("no runs in \(options.store)") }
      print(
        textTable(
          header: ["id", "name", "status", "started", "finished"],
          rows: runs.map { [$0.id, $0.name, $0.status.rawValue, $0.startedAt, $0.finishedAt ?? ""] }))
    }
  }

  /// `hone runs show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a run's parameters, metrics and artifacts.")
    @Argument(help: "The run's id.") var id: String
    @OptionGroup var options: StoreOptions

    func run() throws {
      let details = try options.open().runs.details(id)
      if options.json { return try printJSON(details) }
      let run = details.run
      print("run \(run.id) (\(run.name)): \(run.status.rawValue), started \(run.startedAt)")
      if let finished = run.finishedAt { print("finished \(finished)") }
      if let failure = run.failure { print("failure: \(failure)") }
      if let parent = run.parentRunID { print("parent run \(parent)") }
      if let hash = run.configHash { print("config hash \(hash)") }
      if let hash = run.dataHash { print("data hash \(hash)") }
      if !details.parameters.isEmpty {
        print("\nparameters")
        print(
          textTable(
            header: ["name", "value"], rows: details.parameters.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }))
      }
      if !details.metrics.isEmpty {
        print("\nmetrics")
        print(
          textTable(
            header: ["name", "value", "trial", "fold", "step"],
            rows: details.metrics.map { metric in
              [metric.key, short(metric.value)]
                + [metric.trial, metric.fold, metric.step].map { $0.map(String.init) ?? "" }
            }))
      }
      if !details.artifacts.isEmpty {
        print("\nartifacts")
        print(
          textTable(
            header: ["name", "kind", "sha256", "bytes"],
            rows: details.artifacts.sorted { $0.key < $1.key }.map {
              [$0.key, $0.value.kind.rawValue, $0.value.sha256, String($0.value.byteCount)]
            }))
      }
    }
  }

  /// `hone runs compare`.
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Put runs' parameters and run-level metrics side by side.")
    @Argument(help: "Two or more run ids.") var ids: [String]
    @OptionGroup var options: StoreOptions

    func validate() throws {
      guard ids.count >= 2 else { throw ValidationError("name at least two runs to compare, got \(ids.count)") }
    }

    func run() throws {
      let table = try options.open().runs.compare(ids)
      if options.json { return try printJSON(table) }
      let rows =
        table.parameters.map { ["param " + $0.key] + $0.values.map { $0 ?? "" } }
        + table.metrics.map { ["metric " + $0.key] + $0.values.map { short($0) } }
      print(textTable(header: [""] + table.runIDs, rows: rows))
    }
  }
}
