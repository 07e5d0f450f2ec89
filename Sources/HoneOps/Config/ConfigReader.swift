/// Reads typed values out of a ``ConfigValue`` while tracking the field path, so every
/// error names the path, the source location and what is allowed.
struct ConfigReader {
  let value: ConfigValue
  let path: ConfigPath

  init(_ value: ConfigValue, path: ConfigPath = ConfigPath()) {
    self.value = value
    self.path = path
  }

  func error(_ kind: ConfigError.Kind, _ message: String) -> ConfigError {
    ConfigError(kind, path: path.description, location: value.location, message)
  }

  func mismatch(_ expected: String) -> ConfigError {
    error(.typeMismatch, "expected \(expected), found \(value.kindDescription) \(value)")
  }

  var isNull: Bool {
    if case .null = value.content { return true }
    return false
  }

  /// The node as a mapping whose keys are all in `allowed`.
  func object(allowed: [String]) throws -> ObjectReader {
    guard case .object(let members) = value.content else {
      throw mismatch("a mapping with keys \(allowed.joined(separator: ", "))")
    }
    for member in members where !allowed.contains(member.key) {
      throw ConfigError(
        .unknownKey, path: path.appending(member.key).description, location: member.keyLocation ?? value.location,
        "unknown key \"\(member.key)\"\(Suggestion.clause(for: member.key, in: allowed)); allowed keys here: "
          + allowed.joined(separator: ", "))
    }
    return ObjectReader(reader: self, members: members)
  }

  func string() throws -> String {
    guard case .string(let s) = value.content else { throw mismatch("text") }
    return s
  }

  func nonEmptyString() throws -> String {
    let s = try string()
    guard !s.isEmpty else { throw error(.invalidValue, "must not be empty") }
    return s
  }

  func bool() throws -> Bool {
    guard case .bool(let b) = value.content else { throw mismatch("true or false") }
    return b
  }

  func int(atLeast minimum: Int? = nil) throws -> Int {
    guard case .int(let i) = value.content else { throw mismatch("a whole number") }
    if let minimum, i < minimum { throw error(.invalidValue, "\(i) is below the minimum; use a value ≥ \(minimum)") }
    return i
  }

  func uint64() throws -> UInt64 {
    guard case .int(let i) = value.content else { throw mismatch("a whole number ≥ 0") }
    guard i >= 0 else { throw error(.invalidValue, "\(i) is negative; use a whole number ≥ 0") }
    return UInt64(i)
  }

  /// A finite number; integers are accepted.
  func double() throws -> Double {
    let d: Double
    switch value.content {
    case .int(let i): d = Double(i)
    case .double(let x): d = x
    default: throw mismatch("a number")
    }
    guard d.isFinite else { throw error(.invalidValue, "\(d) is not finite; use a finite number") }
    return d
  }

  /// A number in a range described by `rule` (for the message), checked by `accept`.
  func double(_ rule: String, _ accept: (Double) -> Bool) throws -> Double {
    let d = try double()
    guard accept(d) else { throw error(.invalidValue, "\(d) is not allowed; \(rule)") }
    return d
  }

  /// One of `names`, with a suggestion for a near miss.
  func name(of names: [String]) throws -> String {
    guard case .string(let s) = value.content else { throw mismatch("one of \(names.joined(separator: ", "))") }
    guard names.contains(s) else {
      throw error(
        .invalidValue,
        "\"\(s)\" is not one of \(names.joined(separator: ", "))\(Suggestion.clause(for: s, in: names))")
    }
    return s
  }

  /// A string-backed enum case by its raw value.
  func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
    let names = T.allCases.map(\.rawValue)
    let s = try name(of: names)
    guard let value = T(rawValue: s) else { throw error(.invalidValue, "\"\(s)\" is not recognised") }
    return value
  }

  func array() throws -> [ConfigReader] {
    guard case .array(let items) = value.content else { throw mismatch("a list") }
    return items.enumerated().map { ConfigReader($1, path: path.appending(index: $0)) }
  }

  func strings() throws -> [String] { try array().map { try $0.string() } }

  /// A tagged choice: either a bare name (`sampler: tpe`) or a one-key mapping whose key
  /// is the name and whose value holds the options (`sampler: {tpe: {candidates: 48}}`).
  /// Returns the name and the options' reader (`nil` for a bare name or null options).
  func tagged(_ names: [String]) throws -> (name: String, options: ConfigReader?) {
    switch value.content {
    case .string: return (try name(of: names), nil)
    case .object(let members):
      guard members.count == 1, let member = members.first else {
        throw error(
          .invalidValue,
          "expected exactly one of \(names.joined(separator: ", ")) as the only key, found "
            + (members.isEmpty ? "none" : members.map(\.key).joined(separator: ", ")))
      }
      let keyReader = ConfigReader(
        ConfigValue(.string(member.key), location: member.keyLocation ?? value.location), path: path)
      let name = try keyReader.name(of: names)
      let options = ConfigReader(member.value, path: path.appending(member.key))
      return (name, options.isNull ? nil : options)
    default:
      throw mismatch("one of \(names.joined(separator: ", ")) (a name, or a mapping from the name to its options)")
    }
  }
}

/// The members of one mapping, read by key.
struct ObjectReader {
  let reader: ConfigReader
  let members: [ConfigValue.Member]

  /// The reader of `key`, or `nil` when the key is absent or null (so the default applies).
  func optional(_ key: String) -> ConfigReader? {
    guard let member = members.first(where: { $0.key == key }) else { return nil }
    let child = ConfigReader(member.value, path: reader.path.appending(key))
    return child.isNull ? nil : child
  }

  /// The reader of `key`; throws when absent or null.
  func required(_ key: String, hint: String = "") throws -> ConfigReader {
    guard let child = optional(key) else {
      throw ConfigError(
        .missingKey, path: reader.path.appending(key).description, location: reader.value.location,
        "is required" + (hint.isEmpty ? "" : "; \(hint)"))
    }
    return child
  }

  func has(_ key: String) -> Bool { optional(key) != nil }

  func int(_ key: String, default value: Int, atLeast minimum: Int? = nil) throws -> Int {
    try optional(key)?.int(atLeast: minimum) ?? value
  }

  func bool(_ key: String, default value: Bool) throws -> Bool { try optional(key)?.bool() ?? value }

  func double(_ key: String, default value: Double, _ rule: String, _ accept: (Double) -> Bool) throws -> Double {
    try optional(key)?.double(rule, accept) ?? value
  }

  func string(_ key: String, default value: String) throws -> String { try optional(key)?.nonEmptyString() ?? value }
}
