import Foundation
import HoneCore

/// What an artifact holds, recorded with each reference (the file itself is only bytes).
public struct ArtifactKind: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  /// The kind's name, such as `"model"`.
  public var rawValue: String

  /// Creates a kind from its name.
  ///
  /// - Parameter rawValue: The name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Creates a kind from a string literal.
  ///
  /// - Parameter value: The name.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// A model file (``ModelFile``).
  public static let model: ArtifactKind = "model"
  /// Predictions, for example holdout predictions.
  public static let predictions: ArtifactKind = "predictions"
  /// Metrics as JSON.
  public static let metrics: ArtifactKind = "metrics"
  /// A rendered report.
  public static let report: ArtifactKind = "report"
  /// Anything else.
  public static let other: ArtifactKind = "other"

  /// The name.
  public var description: String { rawValue }

  /// Decodes the kind from a bare string.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when the value is not a string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  /// Encodes the kind as a bare string.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: `EncodingError` from the encoder.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// A pointer to an artifact: its SHA-256, its size and what it holds. Two references with
/// the same hash name the same bytes.
public struct ArtifactReference: Codable, Sendable, Hashable, CustomStringConvertible {
  /// The SHA-256 of the content, 64 lowercase hexadecimal characters.
  public var sha256: String
  /// The content's length in bytes.
  public var byteCount: Int
  /// What the content is.
  public var kind: ArtifactKind

  /// Creates a reference.
  ///
  /// - Parameters:
  ///   - sha256: The content's SHA-256 in lowercase hexadecimal.
  ///   - byteCount: The content's length.
  ///   - kind: What the content is.
  public init(sha256: String, byteCount: Int, kind: ArtifactKind) {
    self.sha256 = sha256
    self.byteCount = byteCount
    self.kind = kind
  }

  /// `kind sha256[0..<12] (bytes)`.
  public var description: String { "\(kind) \(sha256.prefix(12)) (\(byteCount) bytes)" }

  /// Whether `text` is a well-formed SHA-256: 64 lowercase hexadecimal characters.
  ///
  /// Checked before a hash becomes part of a path, so a reference from user input cannot
  /// point outside the store.
  ///
  /// - Parameter text: The candidate hash.
  /// - Returns: `true` for 64 characters from `0-9a-f`.
  public static func isValidHash(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }
}

/// An artifact that cannot be stored or read intact.
public struct ArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The broad reason.
  public enum Kind: String, Sendable, Equatable {
    /// No object with that hash is in the store.
    case missing
    /// The object's size differs from the reference (truncated or appended to).
    case sizeMismatch
    /// The object's bytes no longer hash to its name.
    case checksumMismatch
    /// The reference is malformed (not a SHA-256).
    case invalidReference
    /// The file system refused a read or write.
    case io
  }

  /// The broad reason.
  public let kind: Kind
  /// The object's hash, as named by the reference.
  public let sha256: String
  /// The object's file.
  public let path: String
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The broad reason.
  ///   - sha256: The object's hash.
  ///   - path: The object's file.
  ///   - message: What went wrong and how to fix it.
  public init(kind: Kind, sha256: String, path: String, message: String) {
    self.kind = kind
    self.sha256 = sha256
    self.path = path
    self.message = message
  }

  /// `path: message`.
  public var description: String { "\(path): \(message)" }
}

/// What ``ArtifactStore/garbageCollect(keeping:gracePeriod:)`` removed and kept.
public struct GarbageCollectionReport: Codable, Sendable, Equatable {
  /// Hashes of the objects removed, sorted.
  public var removedObjects: [String]
  /// Bytes freed by removing those objects.
  public var removedBytes: Int
  /// Temporary files of interrupted writes that were removed.
  public var removedTemporaryFiles: [String]
  /// Objects kept because something references them.
  public var keptReferenced: Int
  /// Unreferenced objects kept because they were written within the grace period (a run
  /// may be about to register them).
  public var keptRecent: Int
}

/// Content-addressed files under `<root>/artifacts/sha256/<first two hex digits>/<hash>`.
///
/// An object's name is the SHA-256 of its bytes, so storing the same bytes twice stores
/// them once, and a reader can check that what it reads is what was written. Objects are
/// written with ``AtomicFile`` (a temporary file, `fsync`, rename), so a crash leaves
/// either no object or a complete one, plus at most a temporary file that
/// ``garbageCollect(keeping:gracePeriod:)`` removes. Every read verifies size and hash.
public struct ArtifactStore: Sendable {
  /// The store's root directory.
  public let root: String
  /// `<root>/artifacts/sha256`, the directory holding the object folders.
  public let objectsDirectory: String

  /// Opens the artifact store under `root`, creating its directories.
  ///
  /// - Parameter root: The store's root directory.
  /// - Throws: ``ArtifactError`` when the directories cannot be created.
  public init(root: String) throws {
    self.root = root
    objectsDirectory = URL(fileURLWithPath: root).appendingPathComponent("artifacts/sha256").path
    do {
      try FileManager.default.createDirectory(atPath: objectsDirectory, withIntermediateDirectories: true)
    } catch {
      throw ArtifactError(
        kind: .io, sha256: "", path: objectsDirectory,
        message: "cannot create the artifact directory: \(error.localizedDescription); check permissions")
    }
  }

  /// The file that holds (or would hold) the object with hash `sha256`.
  ///
  /// - Parameter sha256: A well-formed hash (see ``ArtifactReference/isValidHash(_:)``).
  /// - Returns: `<root>/artifacts/sha256/ab/<sha256>`.
  /// - Throws: ``ArtifactError`` of kind `invalidReference` for a malformed hash.
  public func path(for sha256: String) throws -> String {
    guard ArtifactReference.isValidHash(sha256) else {
      throw ArtifactError(
        kind: .invalidReference, sha256: sha256, path: objectsDirectory,
        message: "`\(sha256)` is not a SHA-256 (64 lowercase hexadecimal characters)")
    }
    return objectsDirectory + "/" + sha256.prefix(2) + "/" + sha256
  }

  /// Stores `data` and returns its reference.
  ///
  /// Idempotent: when an intact object with the same hash exists, nothing is rewritten
  /// (its modification time is refreshed, so garbage collection's grace period counts from
  /// now). A damaged object with that hash is replaced by the good bytes.
  ///
  /// - Parameters:
  ///   - data: The content.
  ///   - kind: What the content is.
  /// - Returns: The content's reference.
  /// - Throws: ``ArtifactError`` when the object cannot be written.
  @discardableResult
  public func put(_ data: Data, kind: ArtifactKind) throws -> ArtifactReference {
    try put(data, kind: kind, pausingMidWrite: 0)
  }

  /// ``put(_:kind:)`` that, when `pause` is positive, writes half the bytes to the
  /// temporary file, flushes them and sleeps before writing the rest, so a test can kill
  /// the writing process while a partial file is on disk (`hone store-worker`).
  package func put(_ data: Data, kind: ArtifactKind, pausingMidWrite pause: TimeInterval) throws
    -> ArtifactReference
  {
    let reference = ArtifactReference(sha256: SHA256.hexDigest(data), byteCount: data.count, kind: kind)
    let path = try path(for: reference.sha256)
    if (try? verify(reference)) != nil {
      touch(path)
      return reference
    }
    try writeObject(path: path, reference: reference) { writer in
      guard pause > 0 else { return try writer.write(data) }
      let half = data.count / 2
      try writer.write(data.prefix(half))
      try writer.flush()
      Thread.sleep(forTimeInterval: pause)
      try writer.write(data.dropFirst(half))
    }
    return reference
  }

  /// Stores the file at `source` and returns its reference, reading it in chunks.
  ///
  /// The file is read twice — once to learn its hash (and so its object name), once to
  /// copy it — and the copy is hashed again; if the file changed in between, nothing is
  /// stored.
  ///
  /// - Parameters:
  ///   - source: The file to store.
  ///   - kind: What the file holds.
  /// - Returns: The content's reference.
  /// - Throws: ``ArtifactError`` when the file cannot be read, changes while being read,
  ///   or the object cannot be written.
  @discardableResult
  public func put(contentsOf source: String, kind: ArtifactKind) throws -> ArtifactReference {
    let (sha256, byteCount) = try Self.hashFile(source, reportingAs: "")
    let reference = ArtifactReference(sha256: sha256, byteCount: byteCount, kind: kind)
    let path = try path(for: sha256)
    if (try? verify(reference)) != nil {
      touch(path)
      return reference
    }
    try writeObject(path: path, reference: reference) { writer in
      var hash = SHA256()
      var count = 0
      try Self.forEachChunk(of: source, reportingAs: sha256) { chunk in
        hash.update(chunk)
        count += chunk.count
        try writer.write(chunk)
      }
      guard count == byteCount, hash.finalizeHex() == sha256 else {
        throw ArtifactError(
          kind: .io, sha256: sha256, path: source,
          message: "the file changed while it was being stored; store it again once nothing is writing to it")
      }
    }
    return reference
  }

  private func writeObject(
    path: String, reference: ArtifactReference, _ body: (inout FileWriter) throws -> Void
  ) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try AtomicFile.write(to: path, body)
    } catch let error as ArtifactError {
      throw error
    } catch {
      throw ArtifactError(
        kind: .io, sha256: reference.sha256, path: path,
        message: "cannot write the \(reference.kind) artifact: \(error); check free space and permissions")
    }
  }

  private func touch(_ path: String) {
    // Best effort: a failed timestamp update only shortens the grace period.
    try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
  }

  /// Whether an object with `reference`'s hash exists (without reading it).
  ///
  /// - Parameter reference: The reference.
  /// - Returns: `true` when the object's file exists.
  public func contains(_ reference: ArtifactReference) -> Bool {
    guard let path = try? path(for: reference.sha256) else { return false }
    return FileManager.default.fileExists(atPath: path)
  }

  /// Reads the object `reference` names, verifying its size and SHA-256.
  ///
  /// - Parameter reference: The reference.
  /// - Returns: The content.
  /// - Throws: ``ArtifactError`` when the object is missing, truncated, altered or
  ///   unreadable.
  public func data(for reference: ArtifactReference) throws -> Data {
    let path = try path(for: reference.sha256)
    try checkSize(reference, path: path)
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch {
      throw ArtifactError(
        kind: .io, sha256: reference.sha256, path: path, message: "cannot read the \(reference.kind) artifact: \(error)"
      )
    }
    try checkContent(reference, path: path, count: bytes.count, sha256: SHA256.hexDigest(bytes))
    return Data(bytes)
  }

  /// Checks that the object `reference` names is present and intact, reading it in
  /// chunks.
  ///
  /// - Parameter reference: The reference.
  /// - Throws: ``ArtifactError`` when the object is missing, truncated, altered or
  ///   unreadable.
  public func verify(_ reference: ArtifactReference) throws {
    let path = try path(for: reference.sha256)
    try checkSize(reference, path: path)
    let (sha256, count) = try Self.hashFile(path, reportingAs: reference.sha256)
    try checkContent(reference, path: path, count: count, sha256: sha256)
  }

  private static let remedy =
    "rerun the stage that produced it (it will be stored again), or restore the file from a backup"

  /// Checks that the object `reference` names exists with the right size, without
  /// reading it: the cheap half of ``verify(_:)``.
  ///
  /// - Throws: ``ArtifactError`` when the object is missing or has another size.
  func verifyPresence(_ reference: ArtifactReference) throws {
    try checkSize(reference, path: try path(for: reference.sha256))
  }

  private func checkSize(_ reference: ArtifactReference, path: String) throws {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = (attributes[.size] as? NSNumber)?.intValue
    else {
      throw ArtifactError(
        kind: .missing, sha256: reference.sha256, path: path,
        message: "the \(reference.kind) artifact \(reference.sha256) is missing from the store; \(Self.remedy)")
    }
    guard size == reference.byteCount else {
      let how = size < reference.byteCount ? "truncated" : "longer than written"
      throw ArtifactError(
        kind: .sizeMismatch, sha256: reference.sha256, path: path,
        message:
          "the \(reference.kind) artifact \(reference.sha256) is damaged (\(how)): expected \(reference.byteCount) bytes, found \(size); \(Self.remedy)"
      )
    }
  }

  private func checkContent(_ reference: ArtifactReference, path: String, count: Int, sha256: String) throws {
    guard count == reference.byteCount else {
      throw ArtifactError(
        kind: .sizeMismatch, sha256: reference.sha256, path: path,
        message:
          "the \(reference.kind) artifact \(reference.sha256) is damaged: expected \(reference.byteCount) bytes, read \(count); \(Self.remedy)"
      )
    }
    guard sha256 == reference.sha256 else {
      throw ArtifactError(
        kind: .checksumMismatch, sha256: reference.sha256, path: path,
        message:
          "the \(reference.kind) artifact \(reference.sha256) is corrupt: expected SHA-256 \(reference.sha256), found \(sha256); \(Self.remedy)"
      )
    }
  }

  private static func forEachChunk(
    of path: String, reportingAs sha256: String, _ body: (ArraySlice<UInt8>) throws -> Void
  ) throws {
    do {
      var reader = try FileByteReader(path: path)
      var chunk = [UInt8](repeating: 0, count: 1 << 20)
      while true {
        let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
        if n == 0 { break }
        try body(chunk[0..<n])
      }
    } catch let error as FileError {
      throw ArtifactError(kind: .io, sha256: sha256, path: path, message: error.message)
    }
  }

  private static func hashFile(_ path: String, reportingAs sha256: String) throws -> (String, Int) {
    var hash = SHA256()
    var count = 0
    try forEachChunk(of: path, reportingAs: sha256) { chunk in
      hash.update(chunk)
      count += chunk.count
    }
    return (hash.finalizeHex(), count)
  }

  /// One object on disk.
  public struct Entry: Codable, Sendable, Hashable {
    /// The object's name: the SHA-256 its content should have.
    public var sha256: String
    /// The file's size in bytes.
    public var byteCount: Int
    /// When the file was last written or re-stored.
    public var modified: Date
  }

  /// Every object in the store, sorted by hash. Temporary files are not listed.
  ///
  /// - Returns: The objects; their content is not read (use ``verify(_:)`` for that).
  /// - Throws: ``ArtifactError`` when the object directory cannot be listed.
  public func list() throws -> [Entry] {
    try scan().objects.sorted { $0.sha256 < $1.sha256 }
  }

  private func scan() throws -> (objects: [Entry], temporary: [(path: String, modified: Date)]) {
    let manager = FileManager.default
    var objects: [Entry] = []
    var temporary: [(path: String, modified: Date)] = []
    let folders: [String]
    do { folders = try manager.contentsOfDirectory(atPath: objectsDirectory) } catch {
      throw ArtifactError(
        kind: .io, sha256: "", path: objectsDirectory, message: "cannot list the artifact directory: \(error)")
    }
    for folder in folders.sorted() {
      let folderPath = objectsDirectory + "/" + folder
      guard let names = try? manager.contentsOfDirectory(atPath: folderPath) else { continue }
      for name in names {
        let path = folderPath + "/" + name
        guard let attributes = try? manager.attributesOfItem(atPath: path),
          attributes[.type] as? FileAttributeType == .typeRegular
        else { continue }
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        if ArtifactReference.isValidHash(name) && name.hasPrefix(folder) {
          let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
          objects.append(Entry(sha256: name, byteCount: size, modified: modified))
        } else if name.hasPrefix(".") && name.contains(".tmp-") {
          temporary.append((path, modified))
        }
      }
    }
    return (objects, temporary)
  }

  /// Whether a temporary file from ``AtomicFile`` belongs to a write that can no longer
  /// finish: its process (named in the file name, `.<name>.tmp-<pid>-<random>`) is gone,
  /// or — when the name carries no readable process id — it is older than a day.
  private static func isAbandoned(_ path: String, modified: Date) -> Bool {
    let name = URL(fileURLWithPath: path).lastPathComponent
    if let marker = name.range(of: ".tmp-"),
      let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" })
    {
      return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }
    return Date().timeIntervalSince(modified) > 86_400
  }

  /// Removes every object not in `referenced` and the temporary files of interrupted
  /// writes; never removes a referenced object.
  ///
  /// - Parameters:
  ///   - referenced: Hashes that something (the registry, a run) points at.
  ///   - gracePeriod: Unreferenced objects written or re-stored within this many seconds
  ///     are kept, because a run that stored them may not have registered them yet. Pass 0
  ///     when nothing else uses the store.
  /// - Returns: What was removed and kept.
  /// - Throws: ``ArtifactError`` when the store cannot be listed or a file cannot be removed.
  public func garbageCollect(keeping referenced: Set<String>, gracePeriod: TimeInterval = 0) throws
    -> GarbageCollectionReport
  {
    let (objects, temporary) = try scan()
    var report = GarbageCollectionReport(
      removedObjects: [], removedBytes: 0, removedTemporaryFiles: [], keptReferenced: 0, keptRecent: 0)
    let now = Date()
    for object in objects.sorted(by: { $0.sha256 < $1.sha256 }) {
      if referenced.contains(object.sha256) {
        report.keptReferenced += 1
      } else if now.timeIntervalSince(object.modified) < gracePeriod {
        report.keptRecent += 1
      } else {
        let path = try path(for: object.sha256)
        try remove(path, sha256: object.sha256)
        report.removedObjects.append(object.sha256)
        report.removedBytes += object.byteCount
      }
    }
    for file in temporary where Self.isAbandoned(file.path, modified: file.modified) {
      try remove(file.path, sha256: "")
      report.removedTemporaryFiles.append(file.path)
    }
    report.removedTemporaryFiles.sort()
    return report
  }

  private func remove(_ path: String, sha256: String) throws {
    guard unlink(path) == 0 || errno == ENOENT else {
      throw ArtifactError(
        kind: .io, sha256: sha256, path: path,
        message: "cannot remove the file: \(String(cString: strerror(errno))); check permissions")
    }
  }
}
