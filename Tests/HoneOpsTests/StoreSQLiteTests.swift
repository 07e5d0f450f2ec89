import Foundation
import Testing

@testable import HoneOps

@Suite("SQLite database")
struct StoreSQLiteTests {
  struct Boom: Error {}

  static func open(_ folder: URL, _ name: String = "test.db") throws -> SQLiteDatabase {
    try SQLiteDatabase(path: folder.appendingPathComponent(name).path)
  }

  @Test func valuesRoundTripThroughEveryStorageClass() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
    let values: [SQLValue] = [
      .null, .integer(0), .integer(Int64.min), .integer(Int64.max), .real(-0.5), .real(1e308), .real(.infinity),
      .text(""), .text("naïve café ☕️ 東京 🚀"), .text("nul\u{0}inside"), .blob([]), .blob([0, 255, 0, 1, 2]),
      .blob(Array(0...255)),
    ]
    for value in values { try db.execute("INSERT INTO t (v) VALUES (?)", [value]) }
    let read = try db.query("SELECT v FROM t ORDER BY id").map { $0["v"] }
    #expect(read == values.map { Optional($0) })
  }

  @Test func typedAccessorsReadTheirTypeAndNameAMismatchedColumn() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    let row = try #require(
      try db.query("SELECT 42 AS i, 2.5 AS r, 'x' AS s, x'00ff' AS b, NULL AS n").first)
    #expect(try row.integer("i") == 42)
    #expect(try row.optionalDouble("i") == 42)
    #expect(try row.optionalDouble("r") == 2.5)
    #expect(try row.text("s") == "x")
    #expect(try row.optionalBlob("b") == [0, 255])
    #expect(try row.optionalText("n") == nil)
    #expect(try row.optionalInteger("n") == nil)
    let mismatch = #expect(throws: StoreError.self) { try row.integer("s") }
    #expect(mismatch?.message.contains("`s`") == true)
    let missing = #expect(throws: StoreError.self) { try row.text("nope") }
    #expect(missing?.message.contains("`nope`") == true)
  }

  @Test func errorsNameTheOperationTheFileAndSQLitesMessage() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    let syntax = #expect(throws: StoreError.self) { try db.execute("SELEC 1") }
    #expect(syntax?.path == db.path)
    #expect(syntax?.message.contains("syntax error") == true)
    #expect(syntax?.message.contains("prepare") == true)
    try db.execute("CREATE TABLE u (k TEXT PRIMARY KEY)")
    try db.execute("INSERT INTO u VALUES ('a')")
    let unique = #expect(throws: StoreError.self) { try db.execute("INSERT INTO u VALUES ('a')") }
    #expect(unique?.message.contains("UNIQUE constraint failed") == true)
    let count = #expect(throws: StoreError.self) { try db.execute("INSERT INTO u VALUES (?)", []) }
    #expect(count?.message.contains("takes 1 values but 0 were given") == true)
  }

  @Test func openingConfiguresWALAndForeignKeys() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    #expect(try db.query("PRAGMA journal_mode").first?.text("journal_mode") == "wal")
    #expect(try db.query("PRAGMA foreign_keys").first?.integer("foreign_keys") == 1)
    #expect(try db.query("PRAGMA busy_timeout").first?.integer("timeout") == 10_000)
    try db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    try db.execute("CREATE TABLE child (p INTEGER REFERENCES parent(id))")
    #expect(throws: StoreError.self) { try db.execute("INSERT INTO child VALUES (7)") }
  }

  @Test func openingAMissingFileWithoutCreateFails() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("absent.db").path
    let error = #expect(throws: StoreError.self) { try SQLiteDatabase(path: path, create: false) }
    #expect(error?.path == path)
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func aFileThatIsNotADatabaseIsReportedAsDamaged() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent(HoneStore.databaseFileName).path
    try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: StoreError.self) { try HoneStore(root: folder.path, create: false) }
    #expect(error?.path == path)
    #expect(error?.message.contains("file is not a database") == true)
    #expect(error?.message.contains("restore it from a backup") == true)
  }

  @Test func aThrowingTransactionLeavesNoTrace() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    try db.execute("CREATE TABLE t (v INTEGER)")
    try db.execute("INSERT INTO t VALUES (1)")
    #expect(throws: Boom.self) {
      try db.transaction {
        try db.execute("INSERT INTO t VALUES (2)")
        try db.execute("UPDATE t SET v = v + 10")
        throw Boom()
      }
    }
    #expect(try db.query("SELECT v FROM t").map { try $0.integer("v") } == [1])
    // The connection is usable afterwards and a good transaction commits.
    let returned = try db.transaction {
      try db.execute("INSERT INTO t VALUES (3)")
      return 5
    }
    #expect(returned == 5)
    #expect(try db.query("SELECT v FROM t ORDER BY v").map { try $0.integer("v") } == [1, 3])
  }

  @Test func aFailedNestedTransactionRollsBackOnlyItself() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    try db.execute("CREATE TABLE t (v INTEGER)")
    try db.transaction {
      try db.execute("INSERT INTO t VALUES (1)")
      try? db.transaction {
        try db.execute("INSERT INTO t VALUES (2)")
        throw Boom()
      }
      try db.execute("INSERT INTO t VALUES (3)")
    }
    #expect(try db.query("SELECT v FROM t ORDER BY v").map { try $0.integer("v") } == [1, 3])
  }

  @Test func migrationsRunOnceInOrderAndStopAtANewerFile() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let first: [SQLMigration] = ["CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"]
    let second = first + ["ALTER TABLE a ADD COLUMN y TEXT; UPDATE a SET y = 'migrated';"]
    do {
      let db = try Self.open(folder)
      #expect(try db.schemaVersion() == 0)
      try db.migrate(first)
      try db.migrate(first)  // already at version 1: nothing runs twice
      #expect(try db.schemaVersion() == 1)
      #expect(try db.query("SELECT COUNT(*) AS n FROM a").first?.integer("n") == 1)
    }
    let db = try Self.open(folder)
    try db.migrate(second)
    #expect(try db.schemaVersion() == 2)
    let rows = try db.query("SELECT x, y FROM a")
    #expect(try rows.map { try $0.text("y") } == ["migrated"])
    let newer = #expect(throws: StoreError.self) { try db.migrate(first) }
    #expect(newer?.kind == .incompatible)
    #expect(newer?.message.contains("upgrade Hone") == true)
  }

  @Test func aFailingMigrationAppliesNothing() throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try Self.open(folder)
    let broken: [SQLMigration] = ["CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER); NOT SQL"]
    #expect(throws: StoreError.self) { try db.migrate(broken) }
    #expect(try db.schemaVersion() == 0)
    #expect(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").isEmpty)
  }

  @Test func twoConnectionsIncrementingInTransactionsLoseNoUpdate() async throws {
    let folder = try makeTemporaryFolder("hone-sqlite")
    defer { try? FileManager.default.removeItem(at: folder) }
    let setup = try Self.open(folder)
    try setup.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
    try setup.execute("INSERT INTO counter VALUES (0)")
    let perConnection = 200
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<2 {
        let db = try Self.open(folder)
        group.addTask {
          for _ in 0..<perConnection {
            // Read then write: without BEGIN IMMEDIATE two connections could read the same n.
            try db.transaction {
              let n = try db.query("SELECT n FROM counter").first?.integer("n") ?? -1
              try db.execute("UPDATE counter SET n = ?", [.integer(n + 1)])
            }
          }
        }
      }
      try await group.waitForAll()
    }
    #expect(try setup.query("SELECT n FROM counter").first?.integer("n") == Int64(2 * perConnection))
  }
}
