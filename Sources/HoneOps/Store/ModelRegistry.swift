import Foundation
import HoneCore

/// Where a model version came from: enough to rebuild it, or to tell two versions apart.
public struct ModelLineage: Codable, Sendable, Hashable {
  /// SHA-256 of the training data.
  public var dataHash: String?
  /// SHA-256 of the resolved run configuration.
  public var configHash: String?
  /// The Hone version that trained the model.
  public var honeVersion: String
  /// The git commit of the working tree that trained it, when known.
  public var gitCommit: String?
  /// The run that produced the version.
  public var parentRunID: String?

  /// Creates a lineage.
  ///
  /// - Parameters:
  ///   - dataHash: SHA-256 of the training data.
  ///   - configHash: SHA-256 of the resolved configuration.
  ///   - honeVersion: The Hone version (this build's by default).
  ///   - gitCommit: The git commit, when known.
  ///   - parentRunID: The producing run's id; it must exist in the store.
  public init(
    dataHash: String? = nil, configHash: String? = nil, honeVersion: String = HoneVersion.current,
    gitCommit: String? = nil, parentRunID: String? = nil
  ) {
    self.dataHash = dataHash
    self.configHash = configHash
    self.honeVersion = honeVersion
    self.gitCommit = gitCommit
    self.parentRunID = parentRunID
  }

  /// The commit checked out in the git repository containing `directory`, read from the
  /// `.git` files directly (no `git` process), or `nil` outside a repository.
  ///
  /// Follows `HEAD` through a branch ref or `packed-refs`, and a worktree's `.git` file.
  ///
  /// - Parameter directory: Where to start looking (upwards) for `.git`.
  /// - Returns: The 40-character commit hash, or `nil`.
  public static func gitCommit(in directory: String = FileManager.default.currentDirectoryPath) -> String? {
    var folder = URL(fileURLWithPath: directory).standardizedFileURL
    while true {
      let dotGit = folder.appendingPathComponent(".git").path
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory) {
        var gitDirectory = dotGit
        if !isDirectory.boolValue {
          guard let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("gitdir: ")
          else { return nil }
          let target = String(line.dropFirst("gitdir: ".count))
          gitDirectory = target.hasPrefix("/") ? target : folder.appendingPathComponent(target).path
        }
        return commit(inGitDirectory: gitDirectory)
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { return nil }
      folder = parent
    }
  }

  private static func commit(inGitDirectory gitDirectory: String) -> String? {
    func read(_ path: String) -> String? {
      (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let head = read(gitDirectory + "/HEAD") else { return nil }
    guard head.hasPrefix("ref: ") else { return isCommitHash(head) ? head : nil }
    let ref = String(head.dropFirst("ref: ".count))
    // A linked worktree keeps HEAD to itself but shares refs with the main repository.
    let common = read(gitDirectory + "/commondir").map {
      $0.hasPrefix("/") ? $0 : gitDirectory + "/" + $0
    }
    for base in [gitDirectory, common].compactMap({ $0 }) {
      if let hash = read(base + "/" + ref), isCommitHash(hash) { return hash }
      if let packed = read(base + "/packed-refs") {
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
          let hash = String(line.prefix { $0 != " " })
          if isCommitHash(hash) { return hash }
        }
      }
    }
    return nil
  }

  private static func isCommitHash(_ text: String) -> Bool {
    text.utf8.count == 40 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }
}

/// A request to add a version to a model (see ``ModelRegistry/register(_:)``).
public struct ModelRegistration: Sendable {
  /// The model's name; created on first registration. Letters, digits, `.`, `_`, `-`.
  public var name: String
  /// The stored model file.
  public var artifact: ArtifactReference
  /// The model file's kind, such as `"gbdt"` or `"ridge"`.
  public var modelKind: String
  /// Scores to remember with the version, by metric name.
  public var metrics: [String: Double]
  /// Where the version came from.
  public var lineage: ModelLineage
  /// Free-form notes.
  public var description: String

  /// Creates a registration.
  ///
  /// - Parameters:
  ///   - name: The model's name.
  ///   - artifact: The stored model file.
  ///   - modelKind: The model file's kind.
  ///   - metrics: Scores by metric name.
  ///   - lineage: Where the version came from.
  ///   - description: Free-form notes.
  public init(
    name: String, artifact: ArtifactReference, modelKind: String, metrics: [String: Double] = [:],
    lineage: ModelLineage = ModelLineage(), description: String = ""
  ) {
    self.name = name
    self.artifact = artifact
    self.modelKind = modelKind
    self.metrics = metrics
    self.lineage = lineage
    self.description = description
  }
}

/// One registered version of a model.
public struct ModelVersion: Codable, Sendable, Hashable {
  /// The model's name.
  public var name: String
  /// The version number: 1 for the first registration, then one more each time.
  public var version: Int
  /// The stored model file.
  public var artifact: ArtifactReference
  /// The model file's kind.
  public var modelKind: String
  /// When it was registered (ISO 8601, UTC).
  public var createdAt: String
  /// Scores by metric name.
  public var metrics: [String: Double]
  /// Where it came from.
  public var lineage: ModelLineage
  /// Free-form notes.
  public var description: String
  /// The aliases that point at this version now, sorted.
  public var aliases: [String]

  /// `name@version`.
  public var reference: String { "\(name)@\(version)" }
}

/// A model with a summary of its versions.
public struct RegisteredModel: Codable, Sendable, Hashable {
  /// The model's name.
  public var name: String
  /// When its first version was registered.
  public var createdAt: String
  /// How many versions it has.
  public var versionCount: Int
  /// Its newest version number.
  public var latestVersion: Int
  /// Its aliases and the versions they point at.
  public var aliases: [String: Int]
}

/// One change of an alias, in the order they happened.
public struct AliasEvent: Codable, Sendable, Hashable {
  /// What happened.
  public enum Action: String, Codable, Sendable {
    /// The alias was pointed at a version.
    case promote
    /// The alias went back to the version it pointed at before the last promotion.
    case rollback
  }

  /// The alias.
  public var alias: String
  /// What happened.
  public var action: Action
  /// The version the alias points at after the event.
  public var version: Int
  /// The version it pointed at before, if any.
  public var previousVersion: Int?
  /// When (ISO 8601, UTC).
  public var changedAt: String
}

/// Models, their numbered versions and movable aliases, in the store's SQLite database.
///
/// A version points at an artifact by hash; ``register(_:)`` verifies the artifact's size
/// and hash, then checks it is still present inside the transaction that inserts the
/// version (garbage collection deletes only under the same lock), so the
/// registry never points at a missing or partial file. Aliases (`champion`,
/// `challenger`, any name) move with ``promote(_:version:alias:)`` and go back with
/// ``rollback(_:alias:)``; every move is kept as an ``AliasEvent``.
public struct ModelRegistry: Sendable {
  let database: SQLiteDatabase
  let artifacts: ArtifactStore

  private var path: String { database.path }

  private func invalid(_ message: String) -> StoreError {
    StoreError(kind: .invalidRequest, path: path, message: message)
  }

  private func notFound(_ message: String) -> StoreError { StoreError(kind: .notFound, path: path, message: message) }

  private static func isName(_ text: String, extra: Set<Character>) -> Bool {
    guard let first = text.first, first.isASCII, first.isLetter || first.isNumber else { return false }
    return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || extra.contains($0)) }
  }

  private func checkModelName(_ name: String) throws {
    guard Self.isName(name, extra: [".", "_", "-"]) else {
      throw invalid(
        "`\(name)` is not a valid model name: use letters, digits, `.`, `_` and `-`, starting with a letter or digit")
    }
  }

  private func checkAlias(_ alias: String) throws {
    guard Self.isName(alias, extra: ["_", "-"]), alias.first?.isLetter == true else {
      throw invalid(
        "`\(alias)` is not a valid alias: use letters, digits, `_` and `-`, starting with a letter (such as `champion`)"
      )
    }
  }

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }()

  private static let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }()

  /// Adds a version to the model `registration.name`, creating the model if needed.
  ///
  /// - Parameter registration: The model, artifact, metrics and lineage.
  /// - Returns: The new version, numbered one past the model's newest.
  /// - Throws: ``ArtifactError`` when the artifact is missing or damaged (nothing is
  ///   registered); ``StoreError`` for a bad name, an unknown parent run, or a database
  ///   failure.
  @discardableResult
  public func register(_ registration: ModelRegistration) throws -> ModelVersion {
    try checkModelName(registration.name)
    guard !registration.modelKind.isEmpty else { throw invalid("the model kind of `\(registration.name)` is empty") }
    let metricsJSON: String
    do { metricsJSON = String(decoding: try Self.encoder.encode(registration.metrics), as: UTF8.self) } catch {
      throw invalid("cannot encode the metrics of `\(registration.name)`: \(error)")
    }
    let lineage = registration.lineage
    // Hashing a large model takes a while, so it happens before the write lock is taken;
    // other writers wait at most 10 s for the lock.
    try artifacts.verify(registration.artifact)
    return try database.transaction {
      // Checked again under the write lock: garbage collection deletes only inside a write
      // transaction, so an object present here stays until the version is committed.
      try artifacts.verifyPresence(registration.artifact)
      if let run = lineage.parentRunID,
        try database.query("SELECT 1 FROM runs WHERE id = ?", [.text(run)]).isEmpty
      {
        throw notFound("the parent run `\(run)` of `\(registration.name)` is not in this store")
      }
      let now = HoneStore.now()
      try database.execute(
        "INSERT INTO models (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        [.text(registration.name), .text(now)])
      let modelID = try self.modelID(registration.name)
      let next =
        try database.query(
          "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE model_id = ?", [.integer(modelID)]
        ).first?.integer("next") ?? 1
      try database.execute(
        """
        INSERT INTO model_versions (model_id, version, artifact_sha256, artifact_bytes, artifact_kind, model_kind,
          created_at, metrics_json, data_hash, config_hash, hone_version, git_commit, parent_run_id, description)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          .integer(modelID), .integer(next), .text(registration.artifact.sha256),
          .integer(Int64(registration.artifact.byteCount)), .text(registration.artifact.kind.rawValue),
          .text(registration.modelKind), .text(now), .text(metricsJSON), .text(lineage.dataHash),
          .text(lineage.configHash), .text(lineage.honeVersion), .text(lineage.gitCommit),
          .text(lineage.parentRunID), .text(registration.description),
        ])
      return try version(registration.name, Int(next))
    }
  }

  private func modelID(_ name: String) throws -> Int64 {
    guard let row = try database.query("SELECT id FROM models WHERE name = ?", [.text(name)]).first else {
      let known = try database.query("SELECT name FROM models ORDER BY name").map { try $0.text("name") }
      let list = known.isEmpty ? "the registry is empty" : "known models: \(known.joined(separator: ", "))"
      throw notFound("no model named `\(name)`; \(list)")
    }
    return try row.integer("id")
  }

  /// The aliases of one model and the versions they point at now.
  private func currentAliases(_ modelID: Int64) throws -> [String: Int] {
    let rows = try database.query(
      """
      SELECT alias, version FROM alias_events
      WHERE id IN (SELECT MAX(id) FROM alias_events WHERE model_id = ? GROUP BY alias)
      """, [.integer(modelID)])
    var aliases: [String: Int] = [:]
    for row in rows { aliases[try row.text("alias")] = Int(try row.integer("version")) }
    return aliases
  }

  private func decodeVersion(_ row: SQLRow, name: String, aliases: [String: Int]) throws -> ModelVersion {
    let version = Int(try row.integer("version"))
    let metricsText = try row.text("metrics_json")
    let metrics: [String: Double]
    do { metrics = try Self.decoder.decode([String: Double].self, from: Data(metricsText.utf8)) } catch {
      throw StoreError(
        kind: .database, path: path,
        message: "the metrics of \(name)@\(version) are not valid JSON (\(error)); the database was edited by hand")
    }
    return ModelVersion(
      name: name, version: version,
      artifact: ArtifactReference(
        sha256: try row.text("artifact_sha256"), byteCount: Int(try row.integer("artifact_bytes")),
        kind: ArtifactKind(rawValue: try row.text("artifact_kind"))),
      modelKind: try row.text("model_kind"), createdAt: try row.text("created_at"), metrics: metrics,
      lineage: ModelLineage(
        dataHash: try row.optionalText("data_hash"), configHash: try row.optionalText("config_hash"),
        honeVersion: try row.text("hone_version"), gitCommit: try row.optionalText("git_commit"),
        parentRunID: try row.optionalText("parent_run_id")),
      description: try row.text("description"),
      aliases: aliases.filter { $0.value == version }.map(\.key).sorted())
  }

  /// Every version of the model `name`, oldest first.
  ///
  /// - Parameter name: The model's name.
  /// - Returns: The versions.
  /// - Throws: ``StoreError`` of kind `notFound` for an unknown model.
  public func versions(_ name: String) throws -> [ModelVersion] {
    let modelID = try modelID(name)
    let aliases = try currentAliases(modelID)
    return try database.query(
      "SELECT * FROM model_versions WHERE model_id = ? ORDER BY version", [.integer(modelID)]
    ).map { try decodeVersion($0, name: name, aliases: aliases) }
  }

  /// Version `version` of the model `name`.
  ///
  /// - Parameters:
  ///   - name: The model's name.
  ///   - version: The version number.
  /// - Returns: The version.
  /// - Throws: ``StoreError`` of kind `notFound` for an unknown model or version.
  public func version(_ name: String, _ version: Int) throws -> ModelVersion {
    let modelID = try modelID(name)
    guard
      let row = try database.query(
        "SELECT * FROM model_versions WHERE model_id = ? AND version = ?", [.integer(modelID), .integer(version)]
      ).first
    else {
      let latest =
        try database.query("SELECT MAX(version) AS v FROM model_versions WHERE model_id = ?", [.integer(modelID)])
        .first?.optionalInteger("v") ?? 0
      throw notFound("`\(name)` has no version \(version); its versions are 1 to \(latest)")
    }
    return try decodeVersion(row, name: name, aliases: try currentAliases(modelID))
  }

  /// Every model, sorted by name.
  ///
  /// - Returns: The models with version counts and aliases.
  /// - Throws: ``StoreError`` when the database cannot be read.
  public func models() throws -> [RegisteredModel] {
    let rows = try database.query(
      """
      SELECT m.id, m.name, m.created_at, COUNT(v.version) AS count, COALESCE(MAX(v.version), 0) AS latest
      FROM models m LEFT JOIN model_versions v ON v.model_id = m.id
      GROUP BY m.id ORDER BY m.name
      """)
    return try rows.map { row in
      RegisteredModel(
        name: try row.text("name"), createdAt: try row.text("created_at"),
        versionCount: Int(try row.integer("count")), latestVersion: Int(try row.integer("latest")),
        aliases: try currentAliases(try row.integer("id")))
    }
  }

  /// Points `alias` of the model `name` at `version`.
  ///
  /// Promoting to the version the alias already points at changes nothing.
  ///
  /// - Parameters:
  ///   - name: The model's name.
  ///   - version: The version to point at.
  ///   - alias: The alias, such as `champion`.
  /// - Returns: The recorded event, or `nil` when nothing changed.
  /// - Throws: ``StoreError`` for an unknown model or version or a malformed alias.
  @discardableResult
  public func promote(_ name: String, version: Int, alias: String) throws -> AliasEvent? {
    try checkAlias(alias)
    return try database.transaction {
      _ = try self.version(name, version)
      let modelID = try modelID(name)
      let previous = try currentAliases(modelID)[alias]
      if previous == version { return nil }
      let event = AliasEvent(
        alias: alias, action: .promote, version: version, previousVersion: previous, changedAt: HoneStore.now())
      try record(event, modelID: modelID)
      return event
    }
  }

  /// Returns `alias` of the model `name` to the version it pointed at before its latest
  /// promotion still in effect (promotions undone by earlier rollbacks are skipped).
  ///
  /// - Parameters:
  ///   - name: The model's name.
  ///   - alias: The alias.
  /// - Returns: The recorded event.
  /// - Throws: ``StoreError`` for an unknown model or alias, or when the alias has no
  ///   earlier version to return to.
  @discardableResult
  public func rollback(_ name: String, alias: String) throws -> AliasEvent {
    try checkAlias(alias)
    return try database.transaction {
      let modelID = try modelID(name)
      let stack = try promotionStack(modelID, alias: alias)
      guard let current = stack.last else {
        throw notFound("`\(name)` has no alias `\(alias)`; promote a version first")
      }
      guard stack.count >= 2 else {
        throw invalid(
          "`\(name):\(alias)` has no earlier version to return to (it points at version \(current) since its first promotion)"
        )
      }
      let event = AliasEvent(
        alias: alias, action: .rollback, version: stack[stack.count - 2], previousVersion: current,
        changedAt: HoneStore.now())
      try record(event, modelID: modelID)
      return event
    }
  }

  /// The versions an alias was promoted to and not yet rolled back from, oldest first:
  /// the events replayed, a promotion pushing and a rollback popping.
  private func promotionStack(_ modelID: Int64, alias: String) throws -> [Int] {
    var stack: [Int] = []
    for event in try events(modelID, alias: alias) {
      switch event.action {
      case .promote: stack.append(event.version)
      case .rollback: _ = stack.popLast()
      }
    }
    return stack
  }

  private func events(_ modelID: Int64, alias: String?) throws -> [AliasEvent] {
    let filter = alias == nil ? "" : " AND alias = ?"
    let rows = try database.query(
      "SELECT * FROM alias_events WHERE model_id = ?\(filter) ORDER BY id",
      [.integer(modelID)] + (alias.map { [.text($0)] } ?? []))
    return try rows.map { row in
      let action = try row.text("action")
      guard let parsed = AliasEvent.Action(rawValue: action) else {
        throw StoreError(kind: .database, path: path, message: "unknown alias action `\(action)` in the database")
      }
      return AliasEvent(
        alias: try row.text("alias"), action: parsed, version: Int(try row.integer("version")),
        previousVersion: try row.optionalInteger("previous_version").map(Int.init),
        changedAt: try row.text("changed_at"))
    }
  }

  private func record(_ event: AliasEvent, modelID: Int64) throws {
    try database.execute(
      """
      INSERT INTO alias_events (model_id, alias, action, version, previous_version, changed_at)
      VALUES (?, ?, ?, ?, ?, ?)
      """,
      [
        .integer(modelID), .text(event.alias), .text(event.action.rawValue), .integer(event.version),
        .integer(event.previousVersion), .text(event.changedAt),
      ])
  }

  /// Every alias change of the model `name`, oldest first.
  ///
  /// - Parameters:
  ///   - name: The model's name.
  ///   - alias: Only this alias's changes, or all when `nil`.
  /// - Returns: The events.
  /// - Throws: ``StoreError`` for an unknown model.
  public func aliasHistory(_ name: String, alias: String? = nil) throws -> [AliasEvent] {
    try events(try modelID(name), alias: alias)
  }

  /// Finds the version a reference names.
  ///
  /// - Parameter reference: `name` (the newest version), `name@3` (version 3) or
  ///   `name:champion` (the version an alias points at).
  /// - Returns: The version.
  /// - Throws: ``StoreError`` for a malformed reference or an unknown model, version or
  ///   alias.
  public func resolve(_ reference: String) throws -> ModelVersion {
    if let at = reference.firstIndex(of: "@") {
      let name = String(reference[..<at])
      let number = reference[reference.index(after: at)...]
      guard let version = Int(number), version >= 1 else {
        throw invalid("`\(reference)`: the version after `@` must be a positive whole number")
      }
      return try self.version(name, version)
    }
    if let colon = reference.firstIndex(of: ":") {
      let name = String(reference[..<colon])
      let alias = String(reference[reference.index(after: colon)...])
      try checkAlias(alias)
      let aliases = try currentAliases(try modelID(name))
      guard let version = aliases[alias] else {
        let known = aliases.keys.sorted()
        let list = known.isEmpty ? "it has no aliases" : "its aliases: \(known.joined(separator: ", "))"
        throw notFound("`\(name)` has no alias `\(alias)`; \(list)")
      }
      return try self.version(name, version)
    }
    guard let latest = try versions(reference).last else {
      throw notFound("`\(reference)` has no versions")
    }
    return latest
  }

  /// Copies the model file a reference names to `path`, verifying it first.
  ///
  /// - Parameters:
  ///   - reference: A reference as for ``resolve(_:)``.
  ///   - path: The destination file, written atomically; its directory must exist.
  /// - Returns: The exported version.
  /// - Throws: ``StoreError`` for an unknown reference, ``ArtifactError`` for a damaged
  ///   artifact (nothing is written), ``FileError`` when the destination cannot be written.
  @discardableResult
  public func export(_ reference: String, to path: String) throws -> ModelVersion {
    let version = try resolve(reference)
    let data = try artifacts.data(for: version.artifact)
    try AtomicFile.write(data, to: path)
    return version
  }
}
