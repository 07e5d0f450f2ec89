import Yams

extension ConfigValue {
  /// Parses a YAML document, keeping each node's line and column.
  ///
  /// Plain scalars are typed by the YAML 1.2 core schema, so YAML and JSON agree: `null`,
  /// `~` and empty values are null; `true`/`false` are booleans (`yes`/`no` stay text);
  /// whole numbers are integers; other numbers, including `1e-5` and `.inf`, are doubles;
  /// everything else, and every quoted scalar, is text.
  ///
  /// - Parameters:
  ///   - yaml: The document.
  ///   - file: The file name for locations and messages, or `nil`.
  /// - Returns: The tree; an empty document is null.
  /// - Throws: ``ConfigError`` of kind ``ConfigError/Kind/syntax`` with the location of
  ///   the YAML error, duplicate keys, aliases or non-scalar keys.
  public static func parse(yaml: String, file: String? = nil) throws -> ConfigValue {
    let node: Node?
    do {
      node = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw syntaxError(error, file: file)
    }
    guard let node else { return ConfigValue(.null, location: SourceLocation(file: file, line: 1, column: 1)) }
    return try convert(node, file: file)
  }

  private static func location(_ mark: Mark?, _ file: String?) -> SourceLocation? {
    mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
  }

  private static func syntaxError(_ error: YamlError, file: String?) -> ConfigError {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
      return ConfigError(.syntax, path: "", location: location(mark, file), "YAML syntax error: \(problem)\(detail)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return ConfigError(
        .syntax, path: "", location: location(context.mark, file),
        "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in one mapping; keep one")
    default:
      return ConfigError(
        .syntax, path: "", location: file.map { SourceLocation(file: $0, line: 1, column: 1) },
        "YAML error: \(error)")
    }
  }

  private static func convert(_ node: Node, file: String?) throws -> ConfigValue {
    switch node {
    case .scalar(let scalar):
      let at = location(scalar.mark, file)
      if scalar.style != .plain && scalar.style != .any { return ConfigValue(.string(scalar.string), location: at) }
      return ConfigValue(plainScalar(scalar.string), location: at)
    case .sequence(let sequence):
      return ConfigValue(
        .array(try sequence.map { try convert($0, file: file) }), location: location(sequence.mark, file))
    case .mapping(let mapping):
      var members: [Member] = []
      var seen = Set<String>()
      for (key, value) in mapping {
        guard case .scalar(let keyScalar) = key else {
          throw ConfigError(.syntax, path: "", location: location(key.mark, file), "mapping keys must be plain text")
        }
        let keyLocation = location(keyScalar.mark, file)
        guard seen.insert(keyScalar.string).inserted else {
          throw ConfigError(.syntax, path: "", location: keyLocation, "duplicate key \"\(keyScalar.string)\"; keep one")
        }
        members.append(Member(key: keyScalar.string, value: try convert(value, file: file), keyLocation: keyLocation))
      }
      return ConfigValue(.object(members), location: location(mapping.mark, file))
    case .alias(let alias):
      throw ConfigError(
        .syntax, path: "", location: location(alias.mark, file),
        "YAML aliases (*\(alias.anchor.rawValue)) are not supported in run configurations; repeat the value")
    }
  }

  /// Types a plain (unquoted) scalar by the YAML 1.2 core schema.
  static func plainScalar(_ text: String) -> Content {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
    case ".nan", ".NaN", ".NAN": return .double(.nan)
    default: break
    }
    guard let first = text.unicodeScalars.first,
      first == "-" || first == "+" || first == "." || ("0"..."9").contains(first)
    else { return .string(text) }
    let digits = text.unicodeScalars.dropFirst(first == "-" || first == "+" ? 1 : 0)
    if !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(text) { return .int(value) }
    // Double(_:) also reads "nan", "inf" and hex floats; the first-character check above
    // leaves only decimal forms, and letters other than an exponent mark stay text.
    let allowed = digits.allSatisfy {
      ("0"..."9").contains($0) || $0 == "." || $0 == "e" || $0 == "E" || $0 == "-" || $0 == "+"
    }
    if allowed, let value = Double(text) { return .double(value) }
    return .string(text)
  }
}
