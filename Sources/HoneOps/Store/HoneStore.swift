import Foundation
import HoneCore

/// A Hone store: the artifact files, the model registry and run tracking under one root
/// directory.
///
/// Layout:
///
/// ```
/// <root>/
///   hone.db                      SQLite (WAL): registry and tracking tables
///   artifacts/sha256/ab/<hash>   content-addressed objects (ab = first two hex digits)
/// ```
///
/// Several processes may open the same store at once: the database serialises writers
/// (each waits up to 10 s for the lock) and objects are written atomically.
public struct HoneStore: Sendable {
  /// The root directory.
  public let root: String
  /// The content-addressed files.
  public let artifacts: ArtifactStore
  /// Models, versions and aliases.
  public let registry: ModelRegistry
  /// Runs with their parameters, metrics and artifacts.
  public let runs: RunTracker
  let database: SQLiteDatabase

  /// The database's file name inside the root.
  public static let databaseFileName = "hone.db"

  /// Opens the store at `root`.
  ///
  /// - Parameters:
  ///   - root: The store directory (``HoneOps/defaultStoreDirectory`` by default).
  ///   - create: Whether to create a missing store; when `false`, a missing store throws,
  ///     which is what read-only commands want.
  /// - Throws: ``StoreError`` of kind `notFound` when the store is missing and `create` is
  ///   false, or when the database cannot be opened or migrated; ``ArtifactError`` when the
  ///   artifact directory cannot be created.
  public init(root: String = HoneOps.defaultStoreDirectory, create: Bool = true) throws {
    self.root = root
    let databasePath = URL(fileURLWithPath: root).appendingPathComponent(Self.databaseFileName).path
    if !create && !FileManager.default.fileExists(atPath: databasePath) {
      throw StoreError(
        kind: .notFound, path: root,
        message:
          "no Hone store here (no \(Self.databaseFileName)); run `hone run CONFIG` to create one, or pass --store DIR to point at an existing store"
      )
    }
    do {
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    } catch {
      throw StoreError(
        kind: .database, path: root, message: "cannot create the store directory: \(error.localizedDescription)")
    }
    artifacts = try ArtifactStore(root: root)
    database = try SQLiteDatabase(path: databasePath, create: create)
    try database.migrate(StoreSchema.migrations)
    registry = ModelRegistry(database: database, artifacts: artifacts)
    runs = RunTracker(database: database)
  }

  /// The hashes of every artifact that a model version or a run points at: what garbage
  /// collection must keep.
  ///
  /// - Returns: The referenced hashes.
  /// - Throws: ``StoreError`` when the database cannot be read.
  public func referencedArtifacts() throws -> Set<String> {
    let rows = try database.query(
      "SELECT artifact_sha256 AS sha256 FROM model_versions UNION SELECT sha256 FROM run_artifacts")
    return Set(try rows.map { try $0.text("sha256") })
  }

  /// Removes artifacts nothing references, and temporary files of interrupted writes.
  ///
  /// Runs inside a write transaction, so a concurrent ``ModelRegistry/register(_:)`` either
  /// finished before (its artifact counts as referenced) or starts after (and refuses an
  /// artifact that was removed).
  ///
  /// - Parameter gracePeriod: Unreferenced objects newer than this many seconds are kept,
  ///   since a running job may be about to register them.
  /// - Returns: What was removed and kept.
  /// - Throws: ``StoreError`` or ``ArtifactError``.
  public func garbageCollect(gracePeriod: TimeInterval = 0) throws -> GarbageCollectionReport {
    try database.transaction {
      try artifacts.garbageCollect(keeping: try referencedArtifacts(), gracePeriod: gracePeriod)
    }
  }

  /// The current time as ISO 8601 UTC with exactly three fraction digits
  /// (`2026-11-26T20:13:00.120Z`), so that text order is time order in SQL `ORDER BY`.
  static func now() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
  }
}

/// The database schema, as migrations applied in order (see ``SQLiteDatabase/migrate(_:)``).
enum StoreSchema {
  static let migrations: [SQLMigration] = [
    """
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
      config_hash TEXT,
      data_hash TEXT,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      parent_run_id TEXT REFERENCES runs(id),
      failure TEXT
    );
    CREATE TABLE run_parameters (
      run_id TEXT NOT NULL REFERENCES runs(id),
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    );
    CREATE TABLE run_metrics (
      id INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES runs(id),
      key TEXT NOT NULL,
      value REAL,
      trial INTEGER,
      fold INTEGER,
      step INTEGER
    );
    CREATE INDEX run_metrics_by_run ON run_metrics (run_id, key);
    CREATE TABLE run_artifacts (
      run_id TEXT NOT NULL REFERENCES runs(id),
      name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      byte_count INTEGER NOT NULL,
      kind TEXT NOT NULL,
      PRIMARY KEY (run_id, name)
    );
    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE model_versions (
      model_id INTEGER NOT NULL REFERENCES models(id),
      version INTEGER NOT NULL,
      artifact_sha256 TEXT NOT NULL,
      artifact_bytes INTEGER NOT NULL,
      artifact_kind TEXT NOT NULL,
      model_kind TEXT NOT NULL,
      created_at TEXT NOT NULL,
      metrics_json TEXT NOT NULL,
      data_hash TEXT,
      config_hash TEXT,
      hone_version TEXT NOT NULL,
      git_commit TEXT,
      parent_run_id TEXT REFERENCES runs(id),
      description TEXT NOT NULL,
      PRIMARY KEY (model_id, version)
    );
    CREATE TABLE alias_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      model_id INTEGER NOT NULL REFERENCES models(id),
      alias TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('promote', 'rollback')),
      version INTEGER NOT NULL,
      previous_version INTEGER,
      changed_at TEXT NOT NULL,
      FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
    );
    CREATE INDEX alias_events_by_alias ON alias_events (model_id, alias, id);
    """
  ]
}
