import Foundation

/// A JSON value that keeps integers as integers and every double bit for bit.
///
/// Hyperparameters are edited by encoding them to JSON, replacing keys and decoding them
/// back. Foundation's `JSONSerialization` can move a double by an ulp on Linux and turns
/// integers into doubles, so the round trip goes through `JSONEncoder` and `JSONDecoder`
/// and this enum only: untouched defaults come back exactly.
public enum ExactJSON: Codable, Sendable, Hashable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number that fits a signed 64-bit integer.
  case integer(Int64)
  /// A number that fits only an unsigned 64-bit integer (seeds).
  case unsigned(UInt64)
  /// Any other number.
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([ExactJSON])
  /// An object.
  case object([String: ExactJSON])

  /// Decodes any JSON value, preferring the narrowest exact representation.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when the input is not JSON.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(UInt64.self) {
      self = .unsigned(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([ExactJSON].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: ExactJSON].self))
    }
  }

  /// Encodes the value as it was read.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: `EncodingError` for a non-finite number the encoder refuses.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .integer(let value): try container.encode(value)
    case .unsigned(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// The JSON value a piece of command-line or configuration text stands for, shaped
  /// like the value it replaces.
  ///
  /// An array-valued hyperparameter (`hiddenLayers=64,64`) takes comma-separated values;
  /// a string-valued one takes the text as is; anything else reads as a boolean, an
  /// integer or a number, else a string. Decoding into the hyperparameter type then
  /// checks the types.
  ///
  /// - Parameters:
  ///   - text: The text after `name=`.
  ///   - current: The value being replaced, when the hyperparameter has one.
  public init(text: String, like current: ExactJSON?) {
    if case .array = current {
      self = .array(
        text.split(separator: ",", omittingEmptySubsequences: false).map {
          ExactJSON(text: $0.trimmingCharacters(in: .whitespaces), like: nil)
        })
      return
    }
    if case .string = current {
      self = .string(text)
      return
    }
    switch text.lowercased() {
    case "true": self = .bool(true)
    case "false": self = .bool(false)
    default:
      if let value = Int64(text) {
        self = .integer(value)
      } else if let value = UInt64(text) {
        self = .unsigned(value)
      } else if let value = Double(text) {
        self = .number(value)
      } else {
        self = .string(text)
      }
    }
  }

  /// A compact rendering for messages and summaries (`0.1`, `64,64`, `{a=1 b=2}`).
  public var text: String {
    switch self {
    case .null: "nil"
    case .bool(let value): String(value)
    case .integer(let value): String(value)
    case .unsigned(let value): String(value)
    case .number(let value): value.description
    case .string(let value): value
    case .array(let values): values.map(\.text).joined(separator: ",")
    case .object(let values):
      "{" + values.keys.sorted().map { "\($0)=\(values[$0]?.text ?? "")" }.joined(separator: " ") + "}"
    }
  }
}
