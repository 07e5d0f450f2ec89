import Foundation
import HoneCore
import Testing

@testable import HoneOps

@Suite("Artifact store")
struct StoreArtifactTests {
  // FIPS 180-2 appendix B.1 and the well-known digest of the empty message.
  static let nistVectors: [(String, String)] = [
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ]

  @Test(arguments: 0..<3) func storedObjectsAreNamedByTheirNISTDigest(_ index: Int) throws {
    let (message, digest) = Self.nistVectors[index]
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let reference = try store.put(Data(message.utf8), kind: .metrics)
    #expect(reference == ArtifactReference(sha256: digest, byteCount: message.utf8.count, kind: .metrics))
    let path = folder.appendingPathComponent("artifacts/sha256/\(digest.prefix(2))/\(digest)").path
    #expect(try store.path(for: digest) == path)
    #expect(FileManager.default.contents(atPath: path) == Data(message.utf8))
    #expect(try store.data(for: reference) == Data(message.utf8))
  }

  @Test(arguments: [1, 65_537, 1_000_003]) func hashesMatchSha256sum(_ size: Int) throws {
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let data = seededBytes(size, seed: UInt64(size))
    let source = folder.appendingPathComponent("source.bin")
    try data.write(to: source)
    let expected = try runTool("/usr/bin/sha256sum", [source.path]).prefix(64)
    #expect(expected.count == 64)
    let fromData = try store.put(data, kind: .predictions)
    #expect(fromData.sha256 == String(expected))
    #expect(fromData.byteCount == size)
    // Streaming from a file gives the same object; storing again is a no-op.
    let fromFile = try store.put(contentsOf: source.path, kind: .predictions)
    #expect(fromFile == fromData)
    #expect(try store.list().map(\.sha256) == [String(expected)])
  }

  @Test func aFlippedByteIsDetectedWithBothHashesAndTheRemedy() throws {
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let data = seededBytes(10_000, seed: 3)
    let reference = try store.put(data, kind: .model)
    let path = try store.path(for: reference.sha256)
    var damaged = data
    damaged[5_000] ^= 0x01
    try damaged.write(to: URL(fileURLWithPath: path))
    let actual = SHA256.hexDigest(damaged)
    let reads: [() throws -> Void] = [{ _ = try store.data(for: reference) }, { try store.verify(reference) }]
    for read in reads {
      let error = #expect(throws: ArtifactError.self) { try read() }
      #expect(error?.kind == .checksumMismatch)
      #expect(error?.path == path)
      #expect(error?.message.contains("expected SHA-256 \(reference.sha256)") == true)
      #expect(error?.message.contains("found \(actual)") == true)
      #expect(error?.message.contains("rerun the stage") == true)
    }
    // Storing the good bytes again repairs the object.
    #expect(try store.put(data, kind: .model) == reference)
    #expect(try store.data(for: reference) == data)
  }

  @Test func aTruncatedFileIsDetectedWithExpectedAndActualSizes() throws {
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let reference = try store.put(seededBytes(4_096, seed: 4), kind: .model)
    let path = try store.path(for: reference.sha256)
    #expect(truncate(path, 1_000) == 0)
    let error = #expect(throws: ArtifactError.self) { try store.verify(reference) }
    #expect(error?.kind == .sizeMismatch)
    #expect(error?.message.contains("truncated") == true)
    #expect(error?.message.contains("expected 4096 bytes, found 1000") == true)
  }

  @Test func aMissingObjectAndAMalformedHashAreRefused() throws {
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let absent = ArtifactReference(sha256: String(repeating: "ab", count: 32), byteCount: 3, kind: .model)
    #expect(!store.contains(absent))
    let missing = #expect(throws: ArtifactError.self) { try store.data(for: absent) }
    #expect(missing?.kind == .missing)
    let escape = ArtifactReference(sha256: "../../etc/passwd", byteCount: 3, kind: .model)
    let malformed = #expect(throws: ArtifactError.self) { try store.verify(escape) }
    #expect(malformed?.kind == .invalidReference)
  }

  @Test func garbageCollectionRemovesExactlyTheUnreferencedObjects() throws {
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let references = try (0..<6).map { try store.put(seededBytes(100 + $0, seed: UInt64($0)), kind: .other) }
    let keep = Set([0, 2, 5].map { references[$0].sha256 })
    let drop = [1, 3, 4].map { references[$0] }
    // A grace period keeps recent unreferenced objects.
    let lenient = try store.garbageCollect(keeping: keep, gracePeriod: 3_600)
    #expect(lenient.removedObjects.isEmpty)
    #expect(lenient.keptRecent == 3)
    let report = try store.garbageCollect(keeping: keep)
    #expect(report.removedObjects == drop.map(\.sha256).sorted())
    #expect(report.removedBytes == 101 + 103 + 104)
    #expect(report.keptReferenced == 3)
    #expect(Set(try store.list().map(\.sha256)) == keep)
    for index in [0, 2, 5] { try store.verify(references[index]) }
    for reference in drop { #expect(!store.contains(reference)) }
  }

  @Test func garbageCollectionRemovesOnlyTemporaryFilesOfDeadWriters() throws {
    let folder = try makeTemporaryFolder("hone-artifacts")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArtifactStore(root: folder.path)
    let reference = try store.put(Data("kept".utf8), kind: .other)
    let objectFolder = URL(fileURLWithPath: try store.path(for: reference.sha256)).deletingLastPathComponent()
    // A process that has exited: its pid names no live process any more.
    let finished = Process()
    finished.executableURL = URL(fileURLWithPath: "/bin/true")
    try finished.run()
    finished.waitUntilExit()
    let dead = objectFolder.appendingPathComponent(".\(reference.sha256).tmp-\(finished.processIdentifier)-1").path
    let live = objectFolder.appendingPathComponent(".\(reference.sha256).tmp-\(getpid())-2").path
    for path in [dead, live] { #expect(FileManager.default.createFile(atPath: path, contents: Data("part".utf8))) }
    let report = try store.garbageCollect(keeping: [reference.sha256])
    #expect(report.removedTemporaryFiles == [dead])
    #expect(report.removedObjects.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: dead))
    #expect(FileManager.default.fileExists(atPath: live))
    #expect(try store.list().map(\.sha256) == [reference.sha256])
  }
}
