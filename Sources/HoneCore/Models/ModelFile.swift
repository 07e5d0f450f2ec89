import Foundation

/// The version of Hone, written into every model file it creates.
public enum HoneVersion {
  /// The semantic version of this build.
  public static let current = "0.1.0"
}

/// The header of a Hone model file: what the file is, which model kind it holds, who
/// wrote it, and the checksum of the payload.
public struct ModelFileHeader: Codable, Sendable, Equatable {
  /// Always `"hone-model"`.
  public var format: String
  /// The version of the envelope format.
  public var formatVersion: Int
  /// The model kind (``Model/kind``).
  public var kind: String
  /// The Hone version that wrote the file (`"Hone 0.1.0"`).
  public var createdBy: String
  /// When the file was written (ISO 8601, UTC).
  public var createdAt: String
  /// How the payload is encoded (`"json"`).
  public var payloadEncoding: String
  /// The payload's length in bytes.
  public var payloadBytes: Int
  /// The payload's SHA-256, as 64 hexadecimal characters.
  public var payloadSHA256: String
  /// Free-form metadata (data hash, config hash, notes).
  public var metadata: [String: String]
}

/// Saves and loads models in Hone's versioned, checksummed envelope — one format for
/// trees, linear models and neural networks.
///
/// A model file is one line of JSON (the ``ModelFileHeader``), a newline, then the
/// payload: the model's own `Codable` encoding as JSON. The header carries the payload's
/// length and SHA-256, so a truncated or altered file is detected on load. Files are
/// written atomically.
///
/// ```swift
/// try ModelFile.save(model, to: "model.hone")
/// let restored = try ModelFile.load(RidgeModel.self, from: "model.hone")
/// ```
public enum ModelFile {
  /// The format name in every header.
  public static let formatName = "hone-model"
  /// The envelope version this build writes and the newest it reads.
  public static let formatVersion = 1

  /// Saves `model` to `path` atomically.
  ///
  /// - Parameters:
  ///   - model: The fitted model.
  ///   - path: The destination file.
  ///   - metadata: Extra key-value pairs recorded in the header.
  /// - Throws: ``ModelFileError`` when encoding or writing fails.
  public static func save<M: ModelFileContent>(_ model: M, to path: String, metadata: [String: String] = [:]) throws {
    let bytes = try encode(model, metadata: metadata)
    do { try AtomicFile.write(bytes, to: path) } catch let error as FileError {
      throw ModelFileError(kind: .io, path: path, message: error.message)
    }
  }

  /// Loads a model of type `M` from `path`, verifying the format, version, kind, length
  /// and checksum.
  ///
  /// - Throws: ``ModelFileError`` saying which check failed and what to do.
  public static func load<M: ModelFileContent>(_ type: M.Type, from path: String) throws -> M {
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch let error as FileError {
      throw ModelFileError(kind: .io, path: path, message: error.message)
    }
    do { return try decode(type, from: bytes) } catch let error as ModelFileError { throw error.at(path) }
  }

  /// Reads and checks only the header of the file at `path`, to see what it holds.
  ///
  /// - Throws: ``ModelFileError`` when the file is not a Hone model file.
  public static func header(at path: String) throws -> ModelFileHeader {
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch let error as FileError {
      throw ModelFileError(kind: .io, path: path, message: error.message)
    }
    do { return try split(bytes).header } catch let error as ModelFileError { throw error.at(path) }
  }

  /// The bytes of a model file for `model`.
  ///
  /// - Throws: ``ModelFileError`` when the model cannot be encoded.
  public static func encode<M: ModelFileContent>(_ model: M, metadata: [String: String] = [:]) throws -> [UInt8] {
    let payload: [UInt8]
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      payload = Array(try encoder.encode(model))
    } catch {
      throw ModelFileError(kind: .payload, path: nil, message: "cannot encode the \(M.kind) model: \(error)")
    }
    let header = ModelFileHeader(
      format: formatName, formatVersion: formatVersion, kind: M.kind, createdBy: "Hone \(HoneVersion.current)",
      createdAt: Timestamp.iso8601(nanoseconds: Int64(Date().timeIntervalSince1970) * 1_000_000_000),
      payloadEncoding: "json", payloadBytes: payload.count, payloadSHA256: SHA256.hexDigest(payload),
      metadata: metadata)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let headerBytes: [UInt8]
    do { headerBytes = Array(try encoder.encode(header)) } catch {
      throw ModelFileError(kind: .payload, path: nil, message: "cannot encode the header: \(error)")
    }
    return headerBytes + [10] + payload
  }

  /// Decodes a model of type `M` from the bytes of a model file.
  ///
  /// - Throws: ``ModelFileError`` as ``load(_:from:)``.
  public static func decode<M: ModelFileContent>(_ type: M.Type, from bytes: [UInt8]) throws -> M {
    let (header, payload) = try split(bytes)
    guard header.kind == M.kind else {
      throw ModelFileError(
        kind: .kindMismatch(expected: M.kind, found: header.kind), path: nil,
        message: "the file holds a `\(header.kind)` model, not `\(M.kind)`; load it with the matching model type")
    }
    do {
      let decoder = JSONDecoder()
      decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      return try decoder.decode(M.self, from: Data(payload))
    } catch {
      throw ModelFileError(kind: .payload, path: nil, message: "the \(M.kind) payload does not decode: \(error)")
    }
  }

  /// Separates and verifies the header and the payload.
  private static func split(_ bytes: [UInt8]) throws -> (header: ModelFileHeader, payload: ArraySlice<UInt8>) {
    guard let newline = bytes.firstIndex(of: 10), bytes.first == UInt8(ascii: "{") else {
      throw ModelFileError(kind: .notAModelFile, path: nil, message: "not a Hone model file (no header line)")
    }
    let header: ModelFileHeader
    do { header = try JSONDecoder().decode(ModelFileHeader.self, from: Data(bytes[..<newline])) } catch {
      throw ModelFileError(kind: .notAModelFile, path: nil, message: "not a Hone model file: the header does not parse")
    }
    guard header.format == formatName else {
      throw ModelFileError(
        kind: .notAModelFile, path: nil, message: "not a Hone model file (format `\(header.format)`)")
    }
    guard header.formatVersion <= formatVersion, header.formatVersion >= 1 else {
      throw ModelFileError(
        kind: .unsupportedVersion(found: header.formatVersion, supported: formatVersion), path: nil,
        message:
          "format version \(header.formatVersion) was written by \(header.createdBy); this is Hone \(HoneVersion.current), which reads versions up to \(formatVersion): upgrade Hone"
      )
    }
    let payload = bytes[(newline + 1)...]
    guard payload.count == header.payloadBytes else {
      throw ModelFileError(
        kind: .corrupted, path: nil,
        message:
          "the payload has \(payload.count) bytes but the header says \(header.payloadBytes): the file is truncated or altered"
      )
    }
    guard SHA256.hexDigest(payload) == header.payloadSHA256 else {
      throw ModelFileError(
        kind: .corrupted, path: nil, message: "the payload's SHA-256 does not match the header: the file is corrupted")
    }
    return (header, payload)
  }
}

/// An error saving or loading a model file.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The file is not a Hone model file.
    case notAModelFile
    /// The file's format version is newer than this build reads.
    case unsupportedVersion(found: Int, supported: Int)
    /// The file holds another model kind.
    case kindMismatch(expected: String, found: String)
    /// The payload's length or checksum does not match the header.
    case corrupted
    /// The payload does not encode or decode as the model type.
    case payload
    /// The file cannot be read or written.
    case io
  }

  /// What went wrong.
  public let kind: Kind
  /// The file's path, when known.
  public let path: String?
  /// What went wrong and what to do.
  public let message: String

  /// Creates an error.
  public init(kind: Kind, path: String?, message: String) {
    self.kind = kind
    self.path = path
    self.message = message
  }

  func at(_ path: String) -> ModelFileError { ModelFileError(kind: kind, path: path, message: message) }

  /// `path: message`.
  public var description: String { (path.map { "\($0): " } ?? "") + message }
}
