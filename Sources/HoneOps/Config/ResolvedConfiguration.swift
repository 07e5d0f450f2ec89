/// A run configuration together with where each of its values came from.
public struct ResolvedConfiguration: Sendable {
  /// The validated configuration.
  public let configuration: RunConfiguration
  /// The configuration file's name, or `nil` for text without a file.
  public let file: String?
  /// The file's own document, before overrides.
  public let fileDocument: ConfigValue
  /// The document after environment and `--set` overrides, with source locations.
  public let mergedDocument: ConfigValue
  /// The overrides in the order applied.
  let layers: [(path: ConfigPath, origin: ValueOrigin)]

  init(
    configuration: RunConfiguration, file: String?, fileDocument: ConfigValue, mergedDocument: ConfigValue,
    layers: [(path: ConfigPath, origin: ValueOrigin)]
  ) {
    self.configuration = configuration
    self.file = file
    self.fileDocument = fileDocument
    self.mergedDocument = mergedDocument
    self.layers = layers
  }

  /// Where the value at `path` came from: the last override at or around the path, else
  /// the file when it writes the path (or a scalar that stands for the whole value, such
  /// as `sampler: tpe`), else the built-in default.
  ///
  /// - Parameter path: A field path of ``RunConfiguration/document()``.
  /// - Returns: The value's origin.
  public func origin(of path: ConfigPath) -> ValueOrigin {
    if let layer = layers.last(where: { path.hasPrefix($0.path) || $0.path.hasPrefix(path) }) { return layer.origin }
    var node = fileDocument
    for component in path.components {
      switch (component, node.content) {
      case (.key(let key), .object):
        guard let next = node[key] else { return .builtInDefault }
        node = next
      case (.index(let i), .array(let items)):
        guard i < items.count else { return .builtInDefault }
        node = items[i]
      case (_, .object), (_, .array), (_, .null): return .builtInDefault
      default: return .file(file ?? "")
      }
    }
    if case .null = node.content { return .builtInDefault }
    return .file(file ?? "")
  }

  /// The origin of every value line of ``explain()``, by field path.
  public var origins: [String: ValueOrigin] {
    var result: [String: ValueOrigin] = [:]
    _ = configuration.document().blockYAML { path in
      result[path.description] = origin(of: path)
      return nil
    }
    return result
  }

  /// The resolved configuration as YAML, every key written out, each value followed by
  /// its origin (`# default`, `# file`, `# env HONE__…`, `# --set …`), under a header
  /// with the configuration hash. The text parses back to the same configuration.
  ///
  /// - Returns: The YAML text.
  public func explain() -> String {
    var text = "# Resolved run configuration"
    if let file { text += " from \(file)" }
    text += "\n# Precedence: default < file < environment (HONE__…) < --set\n"
    text += "# Config hash (SHA-256 of the canonical JSON): \(configuration.hash)\n"
    return text + configuration.document().blockYAML { origin(of: $0).description }
  }

  /// Checks model parameter names, reporting errors with the location of the offending
  /// key in the file or override when known; see
  /// ``RunConfiguration/validate(parameterNames:)``.
  ///
  /// - Parameter parameterNames: The parameter names of a kind for a task, or `nil` when
  ///   unknown (the check is then skipped for that kind).
  /// - Throws: ``ConfigError`` of kind ``ConfigError/Kind/unknownKey``.
  public func validate(parameterNames: (ModelKind, PredictionTask) -> Set<String>?) throws {
    do {
      try configuration.validate(parameterNames: parameterNames)
    } catch let error as ConfigError {
      let path = try? ConfigPath(parsing: error.path)
      var location = error.location
      if location == nil, let path, case .key(let key)? = path.components.last {
        let parent = ConfigPath(Array(path.components.dropLast()))
        if case .object(let members)? = mergedDocument.value(at: parent)?.content {
          location = members.first { $0.key == key }?.keyLocation
        }
      }
      throw ConfigError(error.kind, path: error.path, location: location, error.message)
    }
  }
}
