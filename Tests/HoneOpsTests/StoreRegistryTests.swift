import Foundation
import HoneCore
import Testing

@testable import HoneOps

@Suite("Model registry")
struct StoreRegistryTests {
  static func register(_ store: HoneStore, _ name: String, seed: UInt64, metrics: [String: Double] = [:]) throws
    -> ModelVersion
  {
    let artifact = try store.artifacts.put(seededBytes(512, seed: seed), kind: .model)
    return try store.registry.register(
      ModelRegistration(name: name, artifact: artifact, modelKind: "gbdt", metrics: metrics))
  }

  @Test func versionsCountUpPerModelAndKeepTheirLineage() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let run = try store.runs.startRun(name: "train")
    let artifact = try store.artifacts.put(Data("model bytes".utf8), kind: .model)
    let lineage = ModelLineage(
      dataHash: String(repeating: "d", count: 64), configHash: String(repeating: "c", count: 64),
      gitCommit: String(repeating: "1", count: 40), parentRunID: run.id)
    let first = try store.registry.register(
      ModelRegistration(
        name: "churn", artifact: artifact, modelKind: "ridge", metrics: ["rmse": 0.25, "r2": .nan],
        lineage: lineage, description: "first try ✓"))
    #expect(first.version == 1)
    #expect(first.lineage == lineage)
    #expect(first.lineage.honeVersion == HoneVersion.current)
    #expect(first.metrics["rmse"] == 0.25)
    #expect(first.metrics["r2"]?.isNaN == true)
    #expect(first.description == "first try ✓")
    #expect(first.artifact == artifact)
    #expect(try Self.register(store, "churn", seed: 1).version == 2)
    #expect(try Self.register(store, "other", seed: 2).version == 1)
    #expect(try Self.register(store, "churn", seed: 3).version == 3)
    #expect(try store.registry.versions("churn").map(\.version) == [1, 2, 3])
    // A fresh connection reads back exactly what was registered.
    let reopened = try HoneStore(root: folder.path, create: false)
    #expect(try reopened.registry.version("churn", 1).lineage == lineage)
    let models = try reopened.registry.models()
    #expect(models.map(\.name) == ["churn", "other"])
    #expect(models.map(\.versionCount) == [3, 1])
    #expect(models.map(\.latestVersion) == [3, 1])
  }

  @Test func promoteAndRollbackFollowTheHandWrittenHistory() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    for seed in 1...4 { _ = try Self.register(store, "m", seed: UInt64(seed)) }
    let registry = store.registry
    func champion() throws -> Int { try registry.resolve("m:champion").version }

    try registry.promote("m", version: 1, alias: "champion")
    try registry.promote("m", version: 2, alias: "champion")
    try registry.promote("m", version: 3, alias: "champion")
    #expect(try registry.promote("m", version: 3, alias: "champion") == nil)  // no change, no event
    try registry.promote("m", version: 1, alias: "challenger")
    #expect(try champion() == 3)
    #expect(try registry.rollback("m", alias: "champion").version == 2)
    try registry.promote("m", version: 4, alias: "champion")
    #expect(try champion() == 4)
    #expect(try registry.rollback("m", alias: "champion").version == 2)
    #expect(try registry.rollback("m", alias: "champion").version == 1)
    let exhausted = #expect(throws: StoreError.self) { try registry.rollback("m", alias: "champion") }
    #expect(exhausted?.message.contains("no earlier version") == true)
    #expect(try champion() == 1)
    #expect(try registry.resolve("m:challenger").version == 1)

    // Stack by hand: [1] [1,2] [1,2,3] pop→[1,2] push→[1,2,4] pop→[1,2] pop→[1].
    let history = try registry.aliasHistory("m", alias: "champion")
    let expected: [(AliasEvent.Action, Int, Int?)] = [
      (.promote, 1, nil), (.promote, 2, 1), (.promote, 3, 2), (.rollback, 2, 3), (.promote, 4, 2),
      (.rollback, 2, 4), (.rollback, 1, 2),
    ]
    #expect(history.count == expected.count)
    for (event, (action, version, previous)) in zip(history, expected) {
      #expect(event.action == action)
      #expect(event.version == version)
      #expect(event.previousVersion == previous)
    }
    #expect(try registry.versions("m").map(\.aliases) == [["challenger", "champion"], [], [], []])
    #expect(try registry.models().first?.aliases == ["champion": 1, "challenger": 1])
  }

  @Test func referencesResolveByNameVersionAndAlias() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    for seed in 1...3 { _ = try Self.register(store, "sales.v2-final", seed: UInt64(seed)) }
    try store.registry.promote("sales.v2-final", version: 2, alias: "champion")
    #expect(try store.registry.resolve("sales.v2-final").version == 3)
    #expect(try store.registry.resolve("sales.v2-final@1").version == 1)
    #expect(try store.registry.resolve("sales.v2-final:champion").version == 2)
    let cases: [(String, StoreError.Kind, String)] = [
      ("nope", .notFound, "no model named `nope`; known models: sales.v2-final"),
      ("sales.v2-final@9", .notFound, "has no version 9; its versions are 1 to 3"),
      ("sales.v2-final@zero", .invalidRequest, "positive whole number"),
      ("sales.v2-final:challenger", .notFound, "has no alias `challenger`; its aliases: champion"),
    ]
    for (reference, kind, text) in cases {
      let error = #expect(throws: StoreError.self) { try store.registry.resolve(reference) }
      #expect(error?.kind == kind, "\(reference)")
      #expect(error?.message.contains(text) == true, "\(reference): \(error?.message ?? "")")
    }
  }

  @Test func exportWritesAByteIdenticalVerifiedCopy() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let data = seededBytes(70_000, seed: 11)
    let artifact = try store.artifacts.put(data, kind: .model)
    try store.registry.register(ModelRegistration(name: "m", artifact: artifact, modelKind: "mlp"))
    let out = folder.appendingPathComponent("exported.model").path
    let exported = try store.registry.export("m@1", to: out)
    #expect(exported.version == 1)
    #expect(FileManager.default.contents(atPath: out) == data)
    #expect(try runTool("/usr/bin/sha256sum", [out]).hasPrefix(artifact.sha256))

    // A damaged object is not exported, and the destination is left alone.
    let other = folder.appendingPathComponent("second.model").path
    let object = try store.artifacts.path(for: artifact.sha256)
    #expect(truncate(object, 10) == 0)
    #expect(throws: ArtifactError.self) { try store.registry.export("m", to: other) }
    #expect(!FileManager.default.fileExists(atPath: other))
  }

  @Test func aMissingOrDamagedArtifactIsNeverRegistered() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let absent = ArtifactReference(sha256: SHA256.hexDigest(Array("never stored".utf8)), byteCount: 12, kind: .model)
    let missing = #expect(throws: ArtifactError.self) {
      try store.registry.register(ModelRegistration(name: "m", artifact: absent, modelKind: "ols"))
    }
    #expect(missing?.kind == .missing)
    let good = try store.artifacts.put(seededBytes(300, seed: 5), kind: .model)
    var bytes = try #require(FileManager.default.contents(atPath: try store.artifacts.path(for: good.sha256)))
    bytes[0] ^= 0xFF
    try bytes.write(to: URL(fileURLWithPath: try store.artifacts.path(for: good.sha256)))
    let corrupt = #expect(throws: ArtifactError.self) {
      try store.registry.register(ModelRegistration(name: "m", artifact: good, modelKind: "ols"))
    }
    #expect(corrupt?.kind == .checksumMismatch)
    // The failed registrations left nothing behind, not even the model's name.
    #expect(try store.registry.models().isEmpty)
    #expect(try store.referencedArtifacts().isEmpty)
  }

  @Test func badNamesAndUnknownTargetsAreRefusedWithTheReason() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let artifact = try store.artifacts.put(Data("x".utf8), kind: .model)
    for name in ["", "a@b", "a:b", "../x", "-lead", "with space"] {
      let error = #expect(throws: StoreError.self) {
        try store.registry.register(ModelRegistration(name: name, artifact: artifact, modelKind: "ols"))
      }
      #expect(error?.kind == .invalidRequest, "\(name)")
    }
    let orphan = #expect(throws: StoreError.self) {
      try store.registry.register(
        ModelRegistration(
          name: "m", artifact: artifact, modelKind: "ols", lineage: ModelLineage(parentRunID: "no-such-run")))
    }
    #expect(orphan?.message.contains("parent run `no-such-run`") == true)
    _ = try Self.register(store, "m", seed: 1)
    #expect(throws: StoreError.self) { try store.registry.promote("m", version: 2, alias: "champion") }
    #expect(throws: StoreError.self) { try store.registry.promote("m", version: 1, alias: "3") }
    #expect(throws: StoreError.self) { try store.registry.promote("x", version: 1, alias: "champion") }
    let noAlias = #expect(throws: StoreError.self) { try store.registry.rollback("m", alias: "champion") }
    #expect(noAlias?.kind == .notFound)
  }

  @Test func aMissingStoreIsReportedWhenNotCreating() throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = folder.appendingPathComponent("absent").path
    let error = #expect(throws: StoreError.self) { try HoneStore(root: root, create: false) }
    #expect(error?.kind == .notFound)
    #expect(error?.message.contains("no Hone store") == true)
    #expect(!FileManager.default.fileExists(atPath: root))
  }

  @Test func twoConnectionsRegisteringAtOnceNeverLoseOrDuplicateAVersion() async throws {
    let folder = try makeTemporaryFolder("hone-registry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let perConnection = 25
    let stores = try (0..<2).map { _ in try HoneStore(root: folder.path) }
    let versions = try await withThrowingTaskGroup(of: [Int].self) { group in
      for (index, store) in stores.enumerated() {
        group.addTask {
          try (0..<perConnection).map {
            try Self.register(store, "shared", seed: UInt64(index * 1_000 + $0)).version
          }
        }
      }
      return try await group.reduce(into: [Int]()) { $0 += $1 }
    }
    #expect(versions.sorted() == Array(1...(2 * perConnection)))
    let stored = try stores[0].registry.versions("shared")
    #expect(stored.map(\.version) == Array(1...(2 * perConnection)))
    #expect(Set(stored.map(\.artifact.sha256)).count == 2 * perConnection)
  }

  @Test func theGitCommitIsReadAsGitItselfReportsIt() throws {
    // The package checkout (or worktree) this test file lives in.
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let expected = try runTool("/usr/bin/git", ["rev-parse", "HEAD"], in: directory)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try #require(expected.count == 40, "not inside a git checkout")
    #expect(ModelLineage.gitCommit(in: directory.path) == expected)
    #expect(ModelLineage.gitCommit(in: "/") == nil)
  }
}
