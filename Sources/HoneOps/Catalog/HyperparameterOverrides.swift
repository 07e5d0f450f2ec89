import Foundation
import HoneTuning

/// Sets `Codable` hyperparameters by name: the values a study tuned and the fixed
/// overrides a user gave (`--param alpha=0.5`, a configuration file's `params:`).
///
/// The hyperparameters are encoded to JSON, each setting replaces one key with a value of
/// the same JSON shape, and the result is decoded back, so the model's own decoding and
/// validation apply. The round trip goes through ``ExactJSON`` only, so every value that
/// is not set comes back bit for bit.
///
/// ```swift
/// let ridge = try HyperparameterOverrides.apply(
///   tuned: ["alpha": .double(0.3)], fixed: ["fitIntercept": "false"], to: Ridge.Hyperparameters())
/// ```
public enum HyperparameterOverrides {
  /// Every hyperparameter name of `value`, sorted, including optional ones that are `nil`
  /// (and so absent from its JSON).
  ///
  /// - Parameter value: Hyperparameters, usually the defaults.
  /// - Returns: The settable names.
  public static func names<H: Encodable>(of value: H) -> [String] {
    var names = Set(Mirror(reflecting: value).children.compactMap(\.label))
    if case .object(let object)? = try? encodeObject(value) { names.formUnion(object.keys) }
    return names.sorted()
  }

  /// The hyperparameters as a JSON object by name, for reports and the catalog's table.
  ///
  /// - Parameter value: Hyperparameters.
  /// - Returns: Each encoded hyperparameter by name.
  /// - Throws: ``HyperparameterError`` when the value does not encode to a JSON object.
  public static func values<H: Encodable>(of value: H) throws -> [String: ExactJSON] {
    guard case .object(let object) = try encodeObject(value) else {
      throw HyperparameterError("these hyperparameters do not encode to a JSON object, so they cannot be set by name")
    }
    return object
  }

  /// The hyperparameters as sorted `name=value` pairs on one line.
  ///
  /// - Parameter value: Hyperparameters.
  /// - Returns: The description, empty when the value cannot be encoded.
  public static func describe<H: Encodable>(_ value: H) -> String {
    guard let object = try? values(of: value) else { return "" }
    return object.keys.sorted().map { "\($0)=\(object[$0]?.text ?? "")" }.joined(separator: " ")
  }

  /// Splits `name=value` command-line settings into a dictionary.
  ///
  /// - Parameter settings: Texts such as `alpha=0.5` or `hiddenLayers=64,64`.
  /// - Returns: The values by name; a repeated name keeps its last value.
  /// - Throws: ``HyperparameterError`` for a text without `=` or with an empty name.
  public static func parse(_ settings: [String]) throws -> [String: String] {
    var result: [String: String] = [:]
    for setting in settings {
      let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty else {
        throw HyperparameterError("the setting `\(setting)` must look like name=value, for example alpha=0.5")
      }
      result[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1]
    }
    return result
  }

  /// Applies `name=value` command-line settings to `defaults`.
  ///
  /// - Parameters:
  ///   - settings: Texts such as `alpha=0.5`.
  ///   - defaults: The hyperparameters to start from.
  /// - Returns: The hyperparameters with the settings applied.
  /// - Throws: ``HyperparameterError`` for a malformed setting, an unknown name (listing
  ///   the valid ones) or a value of the wrong type.
  public static func apply<H: Codable>(commandLine settings: [String], to defaults: H) throws -> H {
    try apply(tuned: [:], fixed: try parse(settings), to: defaults)
  }

  /// Applies tuned values, then fixed text overrides, to `defaults`.
  ///
  /// A tuned ``ParameterValue/string(_:)`` for an array-valued hyperparameter is read as
  /// comma-separated values (a search space can offer `"64,64"` for `hiddenLayers`); a
  /// whole ``ParameterValue/double(_:)`` for an integer hyperparameter is written as an
  /// integer.
  ///
  /// - Parameters:
  ///   - tuned: Values sampled by a study, by hyperparameter name.
  ///   - fixed: Values given as text, by name; they win over `tuned`.
  ///   - defaults: The hyperparameters to start from.
  /// - Returns: The hyperparameters with every value applied.
  /// - Throws: ``HyperparameterError`` for an unknown name (listing the valid ones) or a
  ///   value the hyperparameter type does not accept.
  public static func apply<H: Codable>(tuned: [String: ParameterValue], fixed: [String: String], to defaults: H)
    throws -> H
  {
    guard !(tuned.isEmpty && fixed.isEmpty) else { return defaults }
    var object = try values(of: defaults)
    let known = names(of: defaults)
    for name in tuned.keys.sorted() + fixed.keys.sorted() where !known.contains(name) {
      throw HyperparameterError(
        "unknown hyperparameter `\(name)`; \(String(describing: H.self)) has \(known.joined(separator: ", "))")
    }
    for (name, value) in tuned { object[name] = json(value, like: object[name]) }
    for (name, text) in fixed { object[name] = ExactJSON(text: text, like: object[name]) }
    do {
      return try JSONDecoder().decode(H.self, from: JSONEncoder().encode(ExactJSON.object(object)))
    } catch let DecodingError.typeMismatch(type, context) {
      let key = context.codingPath.first?.stringValue ?? "?"
      let list = context.codingPath.count > 1 ? " (a comma-separated list)" : ""
      throw HyperparameterError(
        "hyperparameter `\(key)` = \(object[key]?.text ?? "?"): expected \(type) values\(list)")
    } catch let DecodingError.dataCorrupted(context) {
      let key = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw HyperparameterError("hyperparameter `\(key)`: \(context.debugDescription)")
    } catch {
      throw HyperparameterError("invalid hyperparameter value: \(error)")
    }
  }

  /// The JSON for a tuned value, shaped like the value it replaces.
  static func json(_ value: ParameterValue, like current: ExactJSON?) -> ExactJSON {
    switch (value, current) {
    case (.string(let text), _): return ExactJSON(text: text, like: current)
    case (.int(let x), _): return .integer(Int64(x))
    case (.double(let x), .integer?):
      if x.rounded() == x, let whole = Int64(exactly: x) { return .integer(whole) }
      return .number(x)
    case (.double(let x), _): return .number(x)
    }
  }

  private static func encodeObject<H: Encodable>(_ value: H) throws -> ExactJSON {
    do {
      return try JSONDecoder().decode(ExactJSON.self, from: JSONEncoder().encode(value))
    } catch {
      throw HyperparameterError("these hyperparameters cannot be encoded as JSON: \(error)")
    }
  }
}
