import ArgumentParser
import Foundation
import Hone

/// `--store DIR` and `--json`, shared by the store's commands.
struct StoreOptions: ParsableArguments {
  @Option(help: "The Hone store directory.") var store: String = HoneOps.defaultStoreDirectory
  @Flag(help: "Print JSON instead of text.") var json = false

  /// Opens an existing store; a missing one is an error, not silently created.
  func open() throws -> HoneStore { try HoneStore(root: store, create: false) }
}

/// `hone registry …`: the model registry in a Hone store.
struct RegistryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "registry",
    abstract: "List, inspect, promote, roll back and export registered models.",
    discussion: """
      A model reference is NAME (the newest version), NAME@3 (version 3) or NAME:champion
      (the version an alias points at).
      """,
    subcommands: [List.self, Show.self, Promote.self, Rollback.self, Export.self, GarbageCollect.self])

  /// `hone registry list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the registered models.")
    @OptionGroup var options: StoreOptions

    func run() throws {
      let models = try options.open().registry.models()
      if options.json { return try printJSON(models) }
      guard !models.isEmpty else { return print("no models registered in \(options.store)") }
      print(
        textTable(
          header: ["model", "versions", "latest", "aliases", "created"],
          rows: models.map { model in
            [
              model.name, String(model.versionCount), String(model.latestVersion),
              model.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
              model.createdAt,
            ]
          }))
    }
  }

  /// `hone registry show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a model's versions, or one version in full (NAME@3, NAME:champion).")
    @Argument(help: "A model name or reference.") var reference: String
    @OptionGroup var options: StoreOptions

    struct ModelReport: Codable {
      var name: String
      var versions: [ModelVersion]
      var aliasHistory: [AliasEvent]
    }

    func run() throws {
      let registry = try options.open().registry
      guard reference.contains("@") || reference.contains(":") else {
        let report = ModelReport(
          name: reference, versions: try registry.versions(reference),
          aliasHistory: try registry.aliasHistory(reference))
        if options.json { return try printJSON(report) }
        print(
          textTable(
            header: ["version", "kind", "created", "artifact", "aliases", "metrics"],
            rows: report.versions.map { version in
              [
                String(version.version), version.modelKind, version.createdAt,
                String(version.artifact.sha256.prefix(12)),
                version.aliases.joined(separator: ", "),
                version.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(short($0.value))" }.joined(
                  separator: " "),
              ]
            }))
        return
      }
      let version = try registry.resolve(reference)
      if options.json { return try printJSON(version) }
      let lineage = version.lineage
      let lines: [(String, String?)] = [
        ("model", version.reference), ("kind", version.modelKind), ("created", version.createdAt),
        ("artifact", "\(version.artifact.sha256) (\(version.artifact.byteCount) bytes)"),
        ("aliases", version.aliases.joined(separator: ", ")), ("description", version.description),
        ("data hash", lineage.dataHash), ("config hash", lineage.configHash), ("hone version", lineage.honeVersion),
        ("git commit", lineage.gitCommit), ("parent run", lineage.parentRunID),
      ]
      for (label, value) in lines { if let value, !value.isEmpty { print("\(label): \(value)") } }
      for (key, value) in version.metrics.sorted(by: { $0.key < $1.key }) { print("metric \(key): \(short(value))") }
    }
  }

  /// `hone registry promote`.
  struct Promote: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Point an alias of a model at a version.")
    @Argument(help: "The model's name.") var name: String
    @Argument(help: "The version to promote.") var version: Int
    @Option(help: "The alias to move.") var alias = "champion"
    @OptionGroup var options: StoreOptions

    struct Report: Codable {
      var model: String
      var alias: String
      var version: Int
      var previousVersion: Int?
      var changed: Bool
    }

    func run() throws {
      let event = try options.open().registry.promote(name, version: version, alias: alias)
      let report = Report(
        model: name, alias: alias, version: version,
        // An unchanged alias already pointed at `version`.
        previousVersion: event.map(\.previousVersion) ?? version, changed: event != nil)
      if options.json { return try printJSON(report) }
      guard report.changed else { return print("\(name):\(alias) already points at version \(version)") }
      let was = report.previousVersion.map { " (was version \($0))" } ?? ""
      print("\(name):\(alias) now points at version \(version)\(was)")
    }
  }

  /// `hone registry rollback`.
  struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Return an alias to the version it pointed at before its last promotion.")
    @Argument(help: "The model's name.") var name: String
    @Option(help: "The alias to roll back.") var alias = "champion"
    @OptionGroup var options: StoreOptions

    func run() throws {
      let event = try options.open().registry.rollback(name, alias: alias)
      if options.json { return try printJSON(event) }
      let was = event.previousVersion.map { " (was version \($0))" } ?? ""
      print("\(name):\(alias) is back at version \(event.version)\(was)")
    }
  }

  /// `hone registry export`.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy a registered model file out of the store.")
    @Argument(help: "A model reference: NAME, NAME@3 or NAME:champion.") var reference: String
    @Option(help: "The file to write.") var out: String
    @OptionGroup var options: StoreOptions

    struct Report: Codable {
      var reference: String
      var output: String
      var version: ModelVersion
    }

    func run() throws {
      let version = try options.open().registry.export(reference, to: out)
      if options.json { return try printJSON(Report(reference: version.reference, output: out, version: version)) }
      print("exported \(version.reference) (\(version.modelKind), \(version.artifact.byteCount) bytes) to \(out)")
    }
  }

  /// `hone registry gc`.
  struct GarbageCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gc", abstract: "Remove artifacts that no model version or run references.")
    @Option(help: "Keep unreferenced artifacts written within this many seconds (a run may be about to use them).")
    var gracePeriod: Double = 3600
    @OptionGroup var options: StoreOptions

    func validate() throws {
      guard gracePeriod >= 0 else { throw ValidationError("--grace-period must be ≥ 0 seconds, got \(gracePeriod)") }
    }

    func run() throws {
      let report = try options.open().garbageCollect(gracePeriod: gracePeriod)
      if options.json { return try printJSON(report) }
      print(
        "removed \(report.removedObjects.count) artifact(s) (\(report.removedBytes) bytes) and \(report.removedTemporaryFiles.count) temporary file(s); kept \(report.keptReferenced) referenced and \(report.keptRecent) recent"
      )
    }
  }
}
