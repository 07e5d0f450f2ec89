import HoneTuning

extension ModelCandidate {
  static let keys = ["kind", "name", "params", "space"]

  static func decodeList(_ reader: ConfigReader, task: PredictionTask?) throws -> [ModelCandidate] {
    let items = try reader.array()
    guard !items.isEmpty else {
      throw reader.error(.invalidValue, "the list is empty; give at least one candidate, e.g. [{kind: gbdt}]")
    }
    var seen: [String: Int] = [:]
    return try items.enumerated().map { i, item in
      let candidate = try decode(item, task: task)
      if let first = seen[candidate.name] {
        let r = (try? item.object(allowed: keys))?.optional("name") ?? item
        throw r.error(
          .invalidValue,
          "the name \"\(candidate.name)\" is already used by models[\(first)]; give each candidate a distinct name")
      }
      seen[candidate.name] = i
      return candidate
    }
  }

  static func decode(_ reader: ConfigReader, task: PredictionTask?) throws -> ModelCandidate {
    let o = try reader.object(allowed: keys)
    let kindReader = try o.required(
      "kind", hint: "one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
    let kind = try kindReader.choice(ModelKind.self)
    if let task, !kind.supports(task) {
      let able = ModelKind.allCases.filter { $0.supports(task) }.map(\.rawValue)
      throw kindReader.error(
        .invalidValue,
        "\(kind.rawValue) cannot learn a \(task.rawValue) target; use one of \(able.joined(separator: ", "))")
    }
    let name = try o.string("name", default: kind.rawValue)
    var params: [String: ParameterValue] = [:]
    if let r = o.optional("params") {
      guard case .object(let members) = r.value.content else { throw r.mismatch("a mapping from parameter to value") }
      for member in members {
        params[member.key] = try fixedValue(ConfigReader(member.value, path: r.path.appending(member.key)))
      }
    }
    var space = CandidateSpace.catalogDefault
    if let r = o.optional("space") {
      if case .string = r.value.content {
        _ = try r.name(of: ["default"])
      } else {
        guard case .object(let members) = r.value.content else {
          throw r.mismatch("default, or a mapping from parameter to a range or a fixed value")
        }
        var specs: [String: ParameterSpec] = [:]
        for member in members {
          let specReader = ConfigReader(member.value, path: r.path.appending(member.key))
          if params[member.key] != nil {
            throw specReader.error(.invalidValue, "\"\(member.key)\" is also fixed in params; keep one of the two")
          }
          specs[member.key] = try parameterSpec(specReader)
        }
        space = .custom(specs)
      }
    }
    return ModelCandidate(kind: kind, name: name, params: params, space: space)
  }

  /// A bare scalar as a parameter value; booleans become `"true"`/`"false"`.
  static func fixedValue(_ reader: ConfigReader) throws -> ParameterValue {
    switch reader.value.content {
    case .int(let i): return .int(i)
    case .double: return .double(try reader.double())
    case .string(let s): return .string(s)
    case .bool(let b): return .string(b ? "true" : "false")
    default: throw reader.mismatch("a number, text or true/false")
    }
  }

  static let specForms = ["float", "int", "choice"]

  /// `{float: [lo, hi], log, step}`, `{int: [lo, hi], log, step}`, `{choice: [...]}`, or a
  /// bare scalar, validated by HoneTuning's rules with messages that name the path.
  static func parameterSpec(_ reader: ConfigReader) throws -> ParameterSpec {
    guard case .object(let members) = reader.value.content else { return .fixed(try fixedValue(reader)) }
    let o = try reader.object(allowed: specForms + ["log", "step"])
    let forms = members.map(\.key).filter { specForms.contains($0) }
    guard forms.count == 1, let form = forms.first, let body = o.optional(form) else {
      throw reader.error(
        .invalidValue,
        "give exactly one of float: [low, high], int: [low, high] or choice: [a, b, …]"
          + (forms.isEmpty ? "" : "; found \(forms.joined(separator: " and "))"))
    }
    let log = try o.bool("log", default: false)
    // Range errors name the parameter (models[1].space.alpha), located at the bounds.
    func invalid(_ message: String) -> ConfigError {
      ConfigError(.invalidValue, path: reader.path.description, location: body.value.location, message)
    }
    let distribution: Distribution
    switch form {
    case "float":
      let (low, high) = try bounds(body, invalid) { try $0.double() }
      if log && low <= 0 {
        throw invalid("low bound \(format(low)) is not allowed with log scale; use a low bound > 0")
      }
      let step = try o.optional("step")?.double("use a positive step") { $0 > 0 }
      if log, step != nil, let r = o.optional("step") {
        throw r.error(.invalidValue, "a log-scale range cannot have a step; drop one of log and step")
      }
      distribution = .float(low: low, high: high, log: log, step: step)
    case "int":
      let (low, high) = try bounds(body, invalid) { try $0.int() }
      if log && low < 1 { throw invalid("low bound \(low) is not allowed with log scale; use a low bound ≥ 1") }
      let step = try o.optional("step")?.int(atLeast: 1)
      if log, let step, step != 1, let r = o.optional("step") {
        throw r.error(.invalidValue, "a log-scale range cannot have a step; drop one of log and step")
      }
      distribution = .int(low: low, high: high, log: log, step: step ?? 1)
    default:
      for key in ["log", "step"] {
        if let r = o.optional(key) {
          throw r.error(.invalidValue, "\(key) applies to float and int ranges, not choices")
        }
      }
      let items = try body.array()
      guard !items.isEmpty else { throw body.error(.invalidValue, "the choice list is empty; give at least one value") }
      var choices: [String] = []
      for item in items {
        let text = try fixedValue(item).description
        guard !choices.contains(text) else { throw item.error(.invalidValue, "the choice \"\(text)\" repeats") }
        choices.append(text)
      }
      distribution = .categorical(choices)
    }
    do {
      try distribution.validate(name: reader.path.description)
    } catch let error as TuningError {
      throw reader.error(.invalidValue, error.message)
    }
    return .search(distribution)
  }

  private static func bounds<T: Comparable>(
    _ body: ConfigReader, _ invalid: (String) -> ConfigError, _ read: (ConfigReader) throws -> T
  ) throws -> (T, T) {
    let items = try body.array()
    guard items.count == 2 else { throw invalid("give two bounds [low, high], found \(items.count) values") }
    let low = try read(items[0])
    let high = try read(items[1])
    guard low <= high else { throw invalid("low bound \(low) is above high bound \(high); swap them") }
    return (low, high)
  }

  private static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
}
