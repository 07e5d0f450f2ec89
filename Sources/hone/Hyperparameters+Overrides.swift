import ArgumentParser
import Foundation

/// Applies `name=value` overrides to a `Codable` hyperparameter value, so every model's
/// hyperparameters can be set from the command line by their Swift names
/// (`--param alpha=0.5 --param fitIntercept=false`).
///
/// The defaults are encoded to JSON, each override replaces one key with a value of the
/// same JSON type (number, boolean or string), and the result is decoded back, so the
/// model's own validation applies. Array-valued hyperparameters take comma-separated
/// values (`--param hiddenLayers=64,64`). The round trip goes through `JSONEncoder` and
/// `JSONDecoder` only, which keep every number exact (Foundation's `JSONSerialization` can
/// be an ulp off on Linux), so untouched defaults come back bit for bit.
func applyOverrides<H: Codable>(_ overrides: [String], to defaults: H) throws -> H {
  guard case .object(var object) = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(defaults))
  else { throw ValidationError("these hyperparameters cannot be set with --param") }
  // Optional hyperparameters that are nil are absent from the JSON; the value's own
  // properties list every name.
  let known = Mirror(reflecting: defaults).children.compactMap(\.label).sorted()
  for override in overrides {
    let parts = override.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, !parts[0].isEmpty else {
      throw ValidationError("--param `\(override)` must look like name=value")
    }
    let (name, text) = (parts[0], parts[1])
    guard known.contains(name) else {
      throw ValidationError("unknown hyperparameter `\(name)`; this model has \(known.joined(separator: ", "))")
    }
    object[name] = JSONValue(commandLine: text, like: object[name])
  }
  do {
    return try JSONDecoder().decode(H.self, from: JSONEncoder().encode(JSONValue.object(object)))
  } catch let DecodingError.typeMismatch(type, context) {
    let key = context.codingPath.first?.stringValue ?? "?"
    let list = context.codingPath.count > 1 ? " (a comma-separated list)" : ""
    throw ValidationError("--param \(key): expected \(type) values\(list)")
  } catch let DecodingError.dataCorrupted(context) {
    let key = context.codingPath.map(\.stringValue).joined(separator: ".")
    throw ValidationError("--param \(key): \(context.debugDescription)")
  } catch {
    throw ValidationError("invalid hyperparameter value: \(error)")
  }
}

/// The hyperparameters as `name=value` pairs, for `hone train` to print.
func describeHyperparameters<H: Encodable>(_ value: H) -> String {
  guard let data = try? JSONEncoder().encode(value),
    case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data)
  else { return "" }
  return object.keys.sorted().map { "\($0)=\(object[$0]?.text ?? "")" }.joined(separator: " ")
}

/// A JSON value that keeps integers as integers and doubles exact.
enum JSONValue: Codable, Equatable {
  case null
  case bool(Bool)
  case integer(Int64)
  case unsigned(UInt64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
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
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  func encode(to encoder: any Encoder) throws {
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

  /// The JSON value a command-line text stands for: a boolean, an integer, a number, else
  /// a string; for an array-valued hyperparameter (`hiddenLayers=64,64`), an array of such
  /// values split at commas. Decoding into the hyperparameter type then checks the types.
  init(commandLine text: String, like current: JSONValue?) {
    if case .array = current {
      self = .array(
        text.split(separator: ",", omittingEmptySubsequences: false).map {
          JSONValue(commandLine: $0.trimmingCharacters(in: .whitespaces), like: nil)
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

  /// A compact rendering for messages.
  var text: String {
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
