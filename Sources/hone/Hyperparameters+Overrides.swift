import ArgumentParser
import Foundation

/// Applies `name=value` overrides to a `Codable` hyperparameter value, so every model's
/// hyperparameters can be set from the command line by their Swift names
/// (`--param alpha=0.5 --param fitIntercept=false`).
///
/// The defaults are encoded to JSON, each override replaces one key with a value of the
/// same JSON type (number, boolean or string), and the result is decoded back, so the
/// model's own validation applies. Array-valued hyperparameters take comma-separated
/// values (`--param hiddenLayers=64,64`).
func applyOverrides<H: Codable>(_ overrides: [String], to defaults: H) throws -> H {
  let encoded = try JSONEncoder().encode(defaults)
  guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else {
    throw ValidationError("these hyperparameters cannot be set with --param")
  }
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
    object[name] = convert(text, like: object[name])
  }
  let data = try JSONSerialization.data(withJSONObject: object)
  do {
    return try JSONDecoder().decode(H.self, from: data)
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

/// The hyperparameters as `name=value` lines, for `hone train` to print.
func describeHyperparameters<H: Encodable>(_ value: H) -> String {
  guard let data = try? JSONEncoder().encode(value),
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return "" }
  return object.keys.sorted().map { key in
    let fragment = object[key].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: .fragmentsAllowed) }
    let text = fragment.map { String(decoding: $0, as: UTF8.self) } ?? ""
    return "\(key)=\(text.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))"
  }.joined(separator: " ")
}

/// The JSON value a command-line text stands for: a boolean, a number, else a string;
/// for an array-valued hyperparameter (`hiddenLayers=64,64`), an array of such values
/// split at commas. Decoding into the hyperparameter type then checks the types.
private func convert(_ text: String, like current: Any?) -> Any {
  if current is [Any] {
    return text.split(separator: ",", omittingEmptySubsequences: false).map {
      convert($0.trimmingCharacters(in: .whitespaces), like: nil)
    }
  }
  switch text.lowercased() {
  case "true": return true
  case "false": return false
  default: break
  }
  if current is String { return text }
  if let value = Double(text) { return value }
  return text
}
