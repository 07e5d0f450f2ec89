import Foundation
import HoneCore

/// A tracked run: one execution of a configuration.
public struct Run: Codable, Sendable, Hashable {
  /// Where a run stands.
  public enum Status: String, Codable, Sendable, CaseIterable {
    /// Started and not yet finished (or killed before it could say so).
    case running
    /// Completed.
    case finished
    /// Stopped by an error.
    case failed
  }

  /// The run's id.
  public var id: String
  /// A human-readable name.
  public var name: String
  /// Where it stands.
  public var status: Status
  /// SHA-256 of the resolved configuration.
  public var configHash: String?
  /// SHA-256 of the input data.
  public var dataHash: String?
  /// When it started (ISO 8601, UTC).
  public var startedAt: String
  /// When it finished or failed.
  public var finishedAt: String?
  /// The run this one belongs to (for example, a study inside a pipeline run).
  public var parentRunID: String?
  /// Why it failed.
  public var failure: String?
}

/// One logged value of a metric. A metric may be logged per trial, per fold and per step,
/// or once for the whole run (all three `nil`).
public struct MetricRecord: Codable, Sendable, Hashable {
  /// The metric's name.
  public var key: String
  /// The value; NaN (a failed evaluation) is kept as NaN.
  public var value: Double
  /// The tuning trial, if per trial.
  public var trial: Int?
  /// The cross-validation fold, if per fold.
  public var fold: Int?
  /// The step (epoch, boosting round), if per step.
  public var step: Int?

  /// Creates a record.
  ///
  /// - Parameters:
  ///   - key: The metric's name.
  ///   - value: The value.
  ///   - trial: The trial number, if any.
  ///   - fold: The fold number, if any.
  ///   - step: The step, if any.
  public init(key: String, value: Double, trial: Int? = nil, fold: Int? = nil, step: Int? = nil) {
    self.key = key
    self.value = value
    self.trial = trial
    self.fold = fold
    self.step = step
  }
}

/// A run with everything logged for it.
public struct RunDetails: Codable, Sendable, Hashable {
  /// The run.
  public var run: Run
  /// Its parameters by name.
  public var parameters: [String: String]
  /// Its metrics in logging order.
  public var metrics: [MetricRecord]
  /// Its artifacts by name.
  public var artifacts: [String: ArtifactReference]
}

/// Several runs' parameters and run-level metrics side by side.
public struct RunComparison: Codable, Sendable, Equatable {
  /// One parameter across the runs.
  public struct ParameterRow: Codable, Sendable, Equatable {
    /// The parameter's name.
    public var key: String
    /// Its value in each run (in ``RunComparison/runIDs`` order), `nil` where not logged.
    public var values: [String?]
  }

  /// One metric across the runs.
  public struct MetricRow: Codable, Sendable, Equatable {
    /// The metric's name.
    public var key: String
    /// Its run-level value in each run, `nil` where not logged.
    public var values: [Double?]
  }

  /// The runs compared, in the order asked for.
  public var runIDs: [String]
  /// Every parameter any of the runs logged, sorted by name.
  public var parameters: [ParameterRow]
  /// Every run-level metric any of the runs logged, sorted by name.
  public var metrics: [MetricRow]
}

/// Runs, their parameters, metrics (per trial, fold and step) and artifacts, in the
/// store's SQLite database.
public struct RunTracker: Sendable {
  let database: SQLiteDatabase

  private var path: String { database.path }

  private func notFound(_ id: String) throws -> StoreError {
    let recent = try database.query("SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT 5").map {
      try $0.text("id")
    }
    let list = recent.isEmpty ? "there are no runs" : "recent runs: \(recent.joined(separator: ", "))"
    return StoreError(kind: .notFound, path: path, message: "no run with id `\(id)`; \(list)")
  }

  /// Records the start of a run.
  ///
  /// - Parameters:
  ///   - name: A human-readable name.
  ///   - id: The run's id; a fresh time-ordered id (`20261126-201300-3fa2c1`) when `nil`.
  ///   - configHash: SHA-256 of the resolved configuration.
  ///   - dataHash: SHA-256 of the input data.
  ///   - parentRunID: The enclosing run, which must exist.
  /// - Returns: The run, with status `running`.
  /// - Throws: ``StoreError`` when the id is taken, the parent is unknown, or the database
  ///   fails.
  @discardableResult
  public func startRun(
    name: String, id: String? = nil, configHash: String? = nil, dataHash: String? = nil, parentRunID: String? = nil
  ) throws -> Run {
    let now = HoneStore.now()
    let id = id ?? Self.freshID(now)
    guard !id.isEmpty, !id.contains(where: \.isWhitespace) else {
      throw StoreError(kind: .invalidRequest, path: path, message: "`\(id)` is not a valid run id (empty or spaces)")
    }
    return try database.transaction {
      guard try database.query("SELECT 1 FROM runs WHERE id = ?", [.text(id)]).isEmpty else {
        throw StoreError(kind: .invalidRequest, path: path, message: "a run with id `\(id)` already exists")
      }
      if let parentRunID, try database.query("SELECT 1 FROM runs WHERE id = ?", [.text(parentRunID)]).isEmpty {
        throw try notFound(parentRunID)
      }
      try database.execute(
        """
        INSERT INTO runs (id, name, status, config_hash, data_hash, started_at, parent_run_id)
        VALUES (?, ?, 'running', ?, ?, ?, ?)
        """, [.text(id), .text(name), .text(configHash), .text(dataHash), .text(now), .text(parentRunID)])
      return try run(id)
    }
  }

  private static func freshID(_ now: String) -> String {
    // `2026-11-26T20:13:00.123Z` → `20261126-201300`, then random digits so that two runs
    // started in the same second differ.
    let digits = now.prefix(19).filter(\.isNumber)
    let stamp = digits.prefix(8) + "-" + digits.dropFirst(8)
    return stamp + "-" + String(UInt32.random(in: 0...0xFF_FFFF), radix: 16).leftPadded(to: 6)
  }

  private func requireRunning(_ id: String) throws {
    let status = try run(id).status
    guard status == .running else {
      throw StoreError(
        kind: .invalidRequest, path: path, message: "run `\(id)` is already \(status.rawValue); start a new run")
    }
  }

  /// Records a run's end.
  ///
  /// - Parameters:
  ///   - id: The run.
  ///   - status: `finished` or `failed`.
  ///   - failure: Why it failed, for a failed run.
  /// - Returns: The updated run.
  /// - Throws: ``StoreError`` for an unknown run, one already ended, or status `running`.
  @discardableResult
  public func finishRun(_ id: String, status: Run.Status = .finished, failure: String? = nil) throws -> Run {
    guard status != .running else {
      throw StoreError(kind: .invalidRequest, path: path, message: "a run ends as finished or failed, not running")
    }
    return try database.transaction {
      try requireRunning(id)
      try database.execute(
        "UPDATE runs SET status = ?, finished_at = ?, failure = ? WHERE id = ?",
        [.text(status.rawValue), .text(HoneStore.now()), .text(failure), .text(id)])
      return try run(id)
    }
  }

  /// Records parameters of a run (a parameter logged again is replaced).
  ///
  /// - Parameters:
  ///   - parameters: Values by name.
  ///   - id: The run.
  /// - Throws: ``StoreError`` for an unknown run.
  public func logParameters(_ parameters: [String: String], for id: String) throws {
    try database.transaction {
      _ = try run(id)
      for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
        try database.execute(
          "INSERT INTO run_parameters (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
          [.text(id), .text(key), .text(value)])
      }
    }
  }

  /// Records metric values of a run in one transaction.
  ///
  /// - Parameters:
  ///   - metrics: The values.
  ///   - id: The run.
  /// - Throws: ``StoreError`` for an unknown run.
  public func logMetrics(_ metrics: [MetricRecord], for id: String) throws {
    try database.transaction {
      _ = try run(id)
      for metric in metrics {
        // SQLite stores NaN as NULL; NULL reads back as NaN.
        try database.execute(
          "INSERT INTO run_metrics (run_id, key, value, trial, fold, step) VALUES (?, ?, ?, ?, ?, ?)",
          [
            .text(id), .text(metric.key), metric.value.isNaN ? .null : .real(metric.value),
            .integer(metric.trial), .integer(metric.fold), .integer(metric.step),
          ])
      }
    }
  }

  /// Records one metric value of a run.
  ///
  /// - Parameters:
  ///   - key: The metric's name.
  ///   - value: The value.
  ///   - id: The run.
  ///   - trial: The trial number, if any.
  ///   - fold: The fold number, if any.
  ///   - step: The step, if any.
  /// - Throws: ``StoreError`` for an unknown run.
  public func logMetric(
    _ key: String, _ value: Double, for id: String, trial: Int? = nil, fold: Int? = nil, step: Int? = nil
  ) throws {
    try logMetrics([MetricRecord(key: key, value: value, trial: trial, fold: fold, step: step)], for: id)
  }

  /// Records an artifact a run produced, under a name unique within the run, so garbage
  /// collection keeps it.
  ///
  /// - Parameters:
  ///   - reference: The stored artifact.
  ///   - name: Its name within the run, such as `holdout-predictions`; logging a name
  ///     again replaces the reference.
  ///   - id: The run.
  /// - Throws: ``StoreError`` for an unknown run or a malformed hash.
  public func logArtifact(_ reference: ArtifactReference, named name: String, for id: String) throws {
    guard ArtifactReference.isValidHash(reference.sha256) else {
      throw StoreError(
        kind: .invalidRequest, path: path, message: "`\(reference.sha256)` is not a SHA-256; store the artifact first")
    }
    try database.transaction {
      _ = try run(id)
      try database.execute(
        """
        INSERT INTO run_artifacts (run_id, name, sha256, byte_count, kind) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (run_id, name) DO UPDATE SET sha256 = excluded.sha256, byte_count = excluded.byte_count,
          kind = excluded.kind
        """,
        [
          .text(id), .text(name), .text(reference.sha256), .integer(Int64(reference.byteCount)),
          .text(reference.kind.rawValue),
        ])
    }
  }

  private func decodeRun(_ row: SQLRow) throws -> Run {
    let status = try row.text("status")
    guard let parsed = Run.Status(rawValue: status) else {
      throw StoreError(kind: .database, path: path, message: "unknown run status `\(status)` in the database")
    }
    return Run(
      id: try row.text("id"), name: try row.text("name"), status: parsed,
      configHash: try row.optionalText("config_hash"), dataHash: try row.optionalText("data_hash"),
      startedAt: try row.text("started_at"), finishedAt: try row.optionalText("finished_at"),
      parentRunID: try row.optionalText("parent_run_id"), failure: try row.optionalText("failure"))
  }

  /// Every run, newest first.
  ///
  /// - Returns: The runs.
  /// - Throws: ``StoreError`` when the database cannot be read.
  public func runs() throws -> [Run] {
    try database.query("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC").map(decodeRun)
  }

  /// The run with id `id`.
  ///
  /// - Parameter id: The run's id.
  /// - Returns: The run.
  /// - Throws: ``StoreError`` of kind `notFound` for an unknown id.
  public func run(_ id: String) throws -> Run {
    guard let row = try database.query("SELECT * FROM runs WHERE id = ?", [.text(id)]).first else {
      throw try notFound(id)
    }
    return try decodeRun(row)
  }

  /// The run with id `id` and everything logged for it.
  ///
  /// - Parameter id: The run's id.
  /// - Returns: The run, parameters, metrics (in logging order) and artifacts.
  /// - Throws: ``StoreError`` of kind `notFound` for an unknown id.
  public func details(_ id: String) throws -> RunDetails {
    let run = try run(id)
    var parameters: [String: String] = [:]
    for row in try database.query("SELECT key, value FROM run_parameters WHERE run_id = ?", [.text(id)]) {
      parameters[try row.text("key")] = try row.text("value")
    }
    let metrics = try database.query("SELECT * FROM run_metrics WHERE run_id = ? ORDER BY id", [.text(id)]).map {
      row in
      MetricRecord(
        key: try row.text("key"), value: try row.optionalDouble("value") ?? .nan,
        trial: try row.optionalInteger("trial").map(Int.init), fold: try row.optionalInteger("fold").map(Int.init),
        step: try row.optionalInteger("step").map(Int.init))
    }
    var artifacts: [String: ArtifactReference] = [:]
    for row in try database.query("SELECT * FROM run_artifacts WHERE run_id = ?", [.text(id)]) {
      artifacts[try row.text("name")] = ArtifactReference(
        sha256: try row.text("sha256"), byteCount: Int(try row.integer("byte_count")),
        kind: ArtifactKind(rawValue: try row.text("kind")))
    }
    return RunDetails(run: run, parameters: parameters, metrics: metrics, artifacts: artifacts)
  }

  /// Puts runs side by side: every parameter, and every run-level metric (logged with no
  /// trial and no fold; of several, the one with the highest step, then the last logged).
  ///
  /// - Parameter ids: The runs, in the column order wanted; at least one.
  /// - Returns: The table.
  /// - Throws: ``StoreError`` for an unknown run or an empty list.
  public func compare(_ ids: [String]) throws -> RunComparison {
    guard !ids.isEmpty else {
      throw StoreError(kind: .invalidRequest, path: path, message: "name at least one run to compare")
    }
    let details = try ids.map(details)
    let parameterKeys = Set(details.flatMap(\.parameters.keys)).sorted()
    let runLevel: [[String: Double]] = details.map { detail in
      var best: [String: (step: Int, value: Double)] = [:]
      for metric in detail.metrics where metric.trial == nil && metric.fold == nil {
        let step = metric.step ?? Int.min
        if let current = best[metric.key], current.step > step { continue }
        best[metric.key] = (step, metric.value)
      }
      return best.mapValues(\.value)
    }
    let metricKeys = Set(runLevel.flatMap(\.keys)).sorted()
    return RunComparison(
      runIDs: ids,
      parameters: parameterKeys.map { key in
        RunComparison.ParameterRow(key: key, values: details.map { $0.parameters[key] })
      },
      metrics: metricKeys.map { key in RunComparison.MetricRow(key: key, values: runLevel.map { $0[key] }) })
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
