import Foundation
import HoneCore

/// Finished stages of runs, by content key, so an unchanged stage is not run twice.
///
/// A stage's record (its small JSON output, which names any artifacts it made) is itself
/// an artifact; `<store>/stages/<key>` holds the record's reference (hash and size). Both are written
/// atomically and the record is verified on every read, so a crash leaves either the old
/// state or the new one, and a damaged record is treated as missing (the stage reruns).
struct StageCache: Sendable {
  let store: HoneStore
  let directory: String

  init(store: HoneStore) throws {
    self.store = store
    directory = (store.root as NSString).appendingPathComponent("stages")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  /// The content key of a stage: the SHA-256 of its inputs' descriptions.
  static func key(_ parts: [String]) -> String {
    SHA256.hexDigest(Array(parts.joined(separator: "\u{1F}").utf8))
  }

  /// The stage's record, or `nil` when the stage has not finished (or its record or an
  /// artifact it names is damaged, which `problem` reports).
  func load<T: Decodable>(_ type: T.Type, key: String, problem: (String) -> Void = { _ in }) -> (
    T, ArtifactReference
  )? {
    let indexPath = (directory as NSString).appendingPathComponent(key)
    guard FileManager.default.fileExists(atPath: indexPath) else { return nil }
    do {
      let decoder = JSONDecoder()
      decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      let reference = try decoder.decode(
        ArtifactReference.self, from: try Data(contentsOf: URL(fileURLWithPath: indexPath)))
      let value = try decoder.decode(T.self, from: try store.artifacts.data(for: reference))
      return (value, reference)
    } catch {
      problem("stage record \(key.prefix(12)) is unreadable (\(error)); the stage runs again")
      return nil
    }
  }

  /// Stores a finished stage's record and points the key at it.
  @discardableResult
  func save<T: Encodable>(_ value: T, key: String) throws -> ArtifactReference {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let reference = try store.artifacts.put(try encoder.encode(value), kind: .metrics)
    try AtomicFile.write(
      Array(try encoder.encode(reference)), to: (directory as NSString).appendingPathComponent(key))
    return reference
  }
}
