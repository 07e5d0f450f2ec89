internal import CHoneSQLite
import Foundation
import HoneCore

/// A value bound to, or read from, a SQL statement: SQLite's five storage classes.
package enum SQLValue: Sendable, Hashable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])
}

extension SQLValue {
  /// An optional string as text, or NULL.
  package static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }

  /// An optional integer, or NULL.
  package static func integer(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
}

/// One result row: column names and values in select order, with typed accessors that
/// throw a ``StoreError`` naming the column when the value is missing or of another type.
package struct SQLRow: Sendable {
  /// The result's column names.
  package let columns: [String]
  /// The values, one per column.
  package let values: [SQLValue]
  /// The database the row came from, for error messages.
  let path: String

  /// The value of the column `name`, or `nil` when the result has no such column.
  package subscript(_ name: String) -> SQLValue? {
    columns.firstIndex(of: name).map { values[$0] }
  }

  private func value(_ name: String) throws -> SQLValue {
    guard let value = self[name] else {
      throw StoreError(
        kind: .database, path: path, message: "the query result has no column `\(name)` (columns: \(columns))")
    }
    return value
  }

  private func mismatch(_ name: String, _ expected: String, _ found: SQLValue) -> StoreError {
    StoreError(
      kind: .database, path: path,
      message: "column `\(name)` holds \(found), not \(expected); the database may have been edited by hand")
  }

  /// The integer in column `name`, or `nil` when it is NULL.
  ///
  /// - Throws: ``StoreError`` when the column is missing or holds another type.
  package func optionalInteger(_ name: String) throws -> Int64? {
    switch try value(name) {
    case .null: return nil
    case .integer(let v): return v
    case let other: throw mismatch(name, "an integer", other)
    }
  }

  /// The integer in column `name`.
  ///
  /// - Throws: ``StoreError`` when the column is missing, NULL or holds another type.
  package func integer(_ name: String) throws -> Int64 {
    guard let v = try optionalInteger(name) else { throw mismatch(name, "an integer", .null) }
    return v
  }

  /// The number in column `name` (an integer is widened), or `nil` when it is NULL.
  ///
  /// - Throws: ``StoreError`` when the column is missing or holds text or a blob.
  package func optionalDouble(_ name: String) throws -> Double? {
    switch try value(name) {
    case .null: return nil
    case .integer(let v): return Double(v)
    case .real(let v): return v
    case let other: throw mismatch(name, "a number", other)
    }
  }

  /// The text in column `name`, or `nil` when it is NULL.
  ///
  /// - Throws: ``StoreError`` when the column is missing or holds another type.
  package func optionalText(_ name: String) throws -> String? {
    switch try value(name) {
    case .null: return nil
    case .text(let v): return v
    case let other: throw mismatch(name, "text", other)
    }
  }

  /// The text in column `name`.
  ///
  /// - Throws: ``StoreError`` when the column is missing, NULL or holds another type.
  package func text(_ name: String) throws -> String {
    guard let v = try optionalText(name) else { throw mismatch(name, "text", .null) }
    return v
  }

  /// The bytes in column `name`, or `nil` when it is NULL.
  ///
  /// - Throws: ``StoreError`` when the column is missing or holds another type.
  package func optionalBlob(_ name: String) throws -> [UInt8]? {
    switch try value(name) {
    case .null: return nil
    case .blob(let v): return v
    case let other: throw mismatch(name, "a blob", other)
    }
  }
}

/// One step of a schema: SQL that moves the database from `user_version` n − 1 to n.
package typealias SQLMigration = String

/// A connection to one SQLite database file, shared safely between threads.
///
/// The file opens in WAL mode (readers do not block the writer) with a 10-second busy
/// timeout, so several processes can use one store: a writer that finds the database
/// locked waits instead of failing. Foreign keys are enforced. Every failed call throws a
/// ``StoreError`` naming the operation, the file and SQLite's own message.
///
/// `@unchecked Sendable`: the connection is opened without SQLite's own mutex
/// (`SQLITE_OPEN_NOMUTEX`) and every use goes through `lock`, a recursive lock held for the
/// whole of a ``transaction(_:)`` so statements from other threads cannot slip into it.
package final class SQLiteDatabase: @unchecked Sendable {
  /// The database file.
  package let path: String
  private let handle: OpaquePointer
  private let lock = NSRecursiveLock()
  private var transactionDepth = 0

  /// How long a statement waits for another connection's lock before failing.
  package static let busyTimeoutMilliseconds: Int32 = 10_000

  /// Opens the database at `path`, creating the file when `create` is true.
  ///
  /// - Parameters:
  ///   - path: The database file; its directory must exist.
  ///   - create: Whether a missing file is created (otherwise opening it fails).
  /// - Throws: ``StoreError`` when the file cannot be opened or configured.
  package init(path: String, create: Bool = true) throws {
    self.path = path
    var connection: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
    let status = sqlite3_open_v2(path, &connection, flags, nil)
    guard status == SQLITE_OK, let connection else {
      let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
      sqlite3_close_v2(connection)
      throw StoreError(
        kind: .database, path: path,
        message:
          "cannot open the database: \(message) (SQLite code \(status)); check that the directory exists and is writable"
      )
    }
    handle = connection
    sqlite3_extended_result_codes(connection, 1)
    sqlite3_busy_timeout(connection, Self.busyTimeoutMilliseconds)
    // WAL lets readers run while one process writes; FULL synchronous makes each commit
    // durable before it returns, so a registered version survives a power cut.
    try enableWriteAheadLog()
    try execute("PRAGMA synchronous = FULL")
    try execute("PRAGMA foreign_keys = ON")
  }

  deinit { sqlite3_close_v2(handle) }

  /// Switches the file to WAL mode unless it is in it already.
  ///
  /// The mode is stored in the file, so only the connection that creates a store switches
  /// it. SQLite answers the switch with `SQLITE_BUSY` at once, without consulting the busy
  /// handler, when another connection has the file open, which happens when two processes
  /// create one store together; the switch is then retried until the busy timeout.
  private func enableWriteAheadLog() throws {
    let deadline = Date().addingTimeInterval(Double(Self.busyTimeoutMilliseconds) / 1000)
    var pause = 0.001
    while true {
      let (status, mode) = stepFirstText("PRAGMA journal_mode = WAL")
      if status == SQLITE_OK && mode?.lowercased() == "wal" { return }
      guard status & 0xFF == SQLITE_BUSY || status & 0xFF == SQLITE_LOCKED, Date() < deadline else {
        if status == SQLITE_OK {
          throw StoreError(
            kind: .database, path: path,
            message:
              "cannot switch the database to WAL mode (it stays in `\(mode ?? "unknown")` mode); the file system may not support shared memory: keep the store on a local disk"
          )
        }
        throw error("switch to WAL mode", status, sql: "PRAGMA journal_mode = WAL")
      }
      Thread.sleep(forTimeInterval: pause)
      pause = min(pause * 2, 0.05)
    }
  }

  /// Runs one statement and returns SQLite's status and the first column of its first row
  /// as text (`SQLITE_OK` when the statement ran to the end).
  private func stepFirstText(_ sql: String) -> (status: Int32, text: String?) {
    lock.lock()
    defer { lock.unlock() }
    var prepared: OpaquePointer?
    let prepareStatus = sqlite3_prepare_v2(handle, sql, -1, &prepared, nil)
    guard prepareStatus == SQLITE_OK, let statement = prepared else { return (prepareStatus, nil) }
    defer { sqlite3_finalize(statement) }
    var text: String?
    while true {
      let status = sqlite3_step(statement)
      if status == SQLITE_DONE { return (SQLITE_OK, text) }
      guard status == SQLITE_ROW else { return (status, nil) }
      if text == nil, let value = sqlite3_column_text(statement, 0) { text = String(cString: value) }
    }
  }

  private func error(_ operation: String, _ status: Int32, sql: String? = nil) -> StoreError {
    let detail = String(cString: sqlite3_errmsg(handle))
    var hint = ""
    switch status & 0xFF {
    case SQLITE_BUSY, SQLITE_LOCKED:
      hint = "; another process held the store locked for more than 10 s: retry when it is done"
    case SQLITE_CORRUPT, SQLITE_NOTADB:
      hint = "; the database file is damaged or not a Hone store: restore it from a backup"
    case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM:
      hint = "; check the file's and the directory's permissions"
    case SQLITE_FULL:
      hint = "; the disk is full: free space and retry"
    default: break
    }
    let statement = sql.map { " in `\($0)`" } ?? ""
    return StoreError(
      kind: .database, path: path,
      message: "cannot \(operation)\(statement): \(detail) (SQLite code \(status))\(hint)")
  }

  private func withStatement<T>(
    _ sql: String, _ bindings: [SQLValue], _ body: (OpaquePointer) throws -> T
  ) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    var prepared: OpaquePointer?
    let status = sqlite3_prepare_v2(handle, sql, -1, &prepared, nil)
    guard status == SQLITE_OK, let statement = prepared else {
      throw error("prepare a statement", status, sql: sql)
    }
    defer { sqlite3_finalize(statement) }
    let expected = Int(sqlite3_bind_parameter_count(statement))
    guard expected == bindings.count else {
      throw StoreError(
        kind: .database, path: path,
        message: "the statement `\(sql)` takes \(expected) values but \(bindings.count) were given")
    }
    // SQLITE_TRANSIENT: SQLite copies the bytes before the bind call returns, so the
    // Swift buffers need not outlive it.
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (offset, value) in bindings.enumerated() {
      let index = Int32(offset + 1)
      let bound: Int32
      switch value {
      case .null: bound = sqlite3_bind_null(statement, index)
      case .integer(let v): bound = sqlite3_bind_int64(statement, index, v)
      case .real(let v): bound = sqlite3_bind_double(statement, index, v)
      case .text(let v):
        // Bound by byte length, not up to the first NUL, so text holding U+0000 survives.
        var text = v
        bound = text.withUTF8 { utf8 in
          utf8.withMemoryRebound(to: CChar.self) { chars in
            guard let base = chars.baseAddress, !chars.isEmpty else {
              return sqlite3_bind_text(statement, index, "", 0, transient)
            }
            return sqlite3_bind_text(statement, index, base, Int32(chars.count), transient)
          }
        }
      case .blob(let bytes):
        // An empty buffer may have no base address, which SQLite would store as NULL.
        bound =
          bytes.isEmpty
          ? sqlite3_bind_zeroblob(statement, index, 0)
          : bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
      }
      guard bound == SQLITE_OK else { throw error("bind value \(index)", bound, sql: sql) }
    }
    return try body(statement)
  }

  /// Runs one statement that returns no rows (or whose rows are ignored).
  ///
  /// - Parameters:
  ///   - sql: One SQL statement with `?` placeholders.
  ///   - bindings: The values for the placeholders, in order.
  /// - Throws: ``StoreError`` when SQLite rejects the statement or a constraint fails.
  package func execute(_ sql: String, _ bindings: [SQLValue] = []) throws {
    try withStatement(sql, bindings) { statement in
      while true {
        let status = sqlite3_step(statement)
        if status == SQLITE_DONE { return }
        guard status == SQLITE_ROW else { throw error("run a statement", status, sql: sql) }
      }
    }
  }

  /// Runs one statement and returns all of its rows.
  ///
  /// - Parameters:
  ///   - sql: One SQL statement with `?` placeholders.
  ///   - bindings: The values for the placeholders, in order.
  /// - Returns: The rows in the order SQLite produced them.
  /// - Throws: ``StoreError`` when SQLite rejects the statement.
  package func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [SQLRow] {
    try withStatement(sql, bindings) { statement in
      let count = sqlite3_column_count(statement)
      let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
      var rows: [SQLRow] = []
      while true {
        let status = sqlite3_step(statement)
        if status == SQLITE_DONE { return rows }
        guard status == SQLITE_ROW else { throw error("read rows", status, sql: sql) }
        let values = (0..<count).map { column(statement, $0) }
        rows.append(SQLRow(columns: columns, values: values, path: path))
      }
    }
  }

  private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLValue {
    switch sqlite3_column_type(statement, index) {
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
    case SQLITE_TEXT:
      // Read by length, not up to the first NUL, so text holding U+0000 survives.
      let count = Int(sqlite3_column_bytes(statement, index))
      guard let text = sqlite3_column_text(statement, index), count > 0 else { return .text("") }
      return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
    case SQLITE_BLOB:
      let count = Int(sqlite3_column_bytes(statement, index))
      guard let bytes = sqlite3_column_blob(statement, index), count > 0 else { return .blob([]) }
      return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
    default: return .null
    }
  }

  /// The row id of the last row this connection inserted.
  package var lastInsertedRowID: Int64 {
    lock.lock()
    defer { lock.unlock() }
    return sqlite3_last_insert_rowid(handle)
  }

  /// Runs `body` in one transaction: all of its writes commit together, or none do.
  ///
  /// The outermost call starts with `BEGIN IMMEDIATE`, taking the write lock up front so
  /// two processes that read-then-write cannot both read the same state (a deferred
  /// transaction would fail with `SQLITE_BUSY` on the upgrade instead of waiting). A
  /// nested call becomes a savepoint.
  ///
  /// - Parameter body: The work; throwing rolls back everything it wrote.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws (after the rollback), or ``StoreError`` when the
  ///   transaction cannot begin or commit.
  package func transaction<T>(_ body: () throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    let depth = transactionDepth
    let savepoint = "hone_savepoint_\(depth)"
    try execute(depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
    transactionDepth += 1
    defer { transactionDepth -= 1 }
    let result: T
    do {
      result = try body()
    } catch {
      // The rollback's own failure would hide the error that caused it; SQLite has already
      // rolled back when the failure was fatal to the transaction.
      if depth == 0 {
        try? execute("ROLLBACK")
      } else {
        try? execute("ROLLBACK TO \(savepoint)")
        try? execute("RELEASE \(savepoint)")
      }
      throw error
    }
    if depth == 0 {
      do { try execute("COMMIT") } catch {
        try? execute("ROLLBACK")
        throw error
      }
    } else {
      try execute("RELEASE \(savepoint)")
    }
    return result
  }

  /// The schema version recorded in the file (`PRAGMA user_version`).
  ///
  /// - Throws: ``StoreError`` when it cannot be read.
  package func schemaVersion() throws -> Int {
    Int(try query("PRAGMA user_version").first?.integer("user_version") ?? 0)
  }

  /// Brings the schema up to date: runs each migration past the file's `user_version`, in
  /// order, and records the new version, all in one transaction.
  ///
  /// - Parameter migrations: Step `i` moves the schema from version `i` to `i + 1`; a step
  ///   may hold several statements separated by semicolons.
  /// - Throws: ``StoreError`` when a step fails (nothing is applied), or when the file is
  ///   newer than the migrations this build knows.
  package func migrate(_ migrations: [SQLMigration]) throws {
    // Up to date is the common case; checking first spares every open the write lock.
    if try schemaVersion() == migrations.count { return }
    try transaction {
      let current = try schemaVersion()
      guard current <= migrations.count else {
        throw StoreError(
          kind: .incompatible, path: path,
          message:
            "the database has schema version \(current) but this Hone \(HoneVersion.current) knows versions up to \(migrations.count); upgrade Hone"
        )
      }
      for version in current..<migrations.count {
        try executeScript(migrations[version])
      }
      if current < migrations.count {
        // PRAGMA takes no bound parameters; the value is an integer we computed.
        try execute("PRAGMA user_version = \(migrations.count)")
      }
    }
  }

  /// Runs several semicolon-separated statements without bindings, such as a schema.
  ///
  /// - Throws: ``StoreError`` naming the statement that failed.
  package func executeScript(_ sql: String) throws {
    lock.lock()
    defer { lock.unlock() }
    var message: UnsafeMutablePointer<CChar>?
    let status = sqlite3_exec(handle, sql, nil, nil, &message)
    guard status == SQLITE_OK else {
      let detail = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
      sqlite3_free(message)
      throw StoreError(
        kind: .database, path: path, message: "cannot run the script `\(sql)`: \(detail) (SQLite code \(status))")
    }
  }
}
