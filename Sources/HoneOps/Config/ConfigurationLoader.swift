import Foundation

/// Where a resolved value came from, lowest precedence first.
public enum ValueOrigin: Sendable, Equatable, CustomStringConvertible {
  /// The built-in default.
  case builtInDefault
  /// The configuration file.
  case file(String)
  /// An environment variable (`HONE__tuning__trials`).
  case environment(variable: String)
  /// A `--set path=value` argument.
  case commandLine(argument: String)

  /// `default`, `file`, `env HONE__tuning__trials` or `--set tuning.trials=50`.
  public var description: String {
    switch self {
    case .builtInDefault: "default"
    case .file: "file"
    case .environment(let variable): "env \(variable)"
    case .commandLine(let argument): "--set \(argument)"
    }
  }
}

/// Reads a run configuration in layers: built-in defaults < the file < environment
/// variables < `--set path=value` arguments.
///
/// **Environment variables.** A variable named `HONE__` followed by a path whose steps
/// are separated by double underscores overrides that path: `HONE__tuning__trials=50`,
/// `HONE__models__0__space__maxLeaves__high=64` (a step of digits alone is a list index).
/// Double underscores keep camelCase keys intact, since variable names are case-sensitive
/// and keys never contain `__`. Variables apply in name order.
///
/// **`--set`.** `path=value` with a path like `tuning.trials` or
/// `models[0].space.maxLeaves.high`. The value is read as YAML, so `50`, `true`, `tpe`,
/// `[1, 2]` and `{float: [0.01, 0.3], log: true}` all work; an empty value is null, which
/// restores the default. Arguments apply in order, after the environment.
///
/// The environment is passed in rather than read inside, so tests can give their own.
public struct ConfigurationLoader: Sendable {
  /// The prefix of overriding environment variables.
  public static let environmentPrefix = "HONE__"

  /// The environment variables to read overrides from.
  public var environment: [String: String]
  /// `path=value` overrides, applied in order.
  public var overrides: [String]
  /// The folder relative paths from overrides resolve against.
  public var workingDirectory: String

  /// Creates a loader.
  ///
  /// - Parameters:
  ///   - environment: The environment; pass `ProcessInfo.processInfo.environment` for the
  ///     process's own.
  ///   - overrides: `path=value` overrides.
  ///   - workingDirectory: The folder for relative override paths, or `nil` for the
  ///     current directory.
  public init(environment: [String: String] = [:], overrides: [String] = [], workingDirectory: String? = nil) {
    self.environment = environment
    self.overrides = overrides
    self.workingDirectory = workingDirectory ?? FileManager.default.currentDirectoryPath
  }

  /// Loads, layers and validates the configuration file at `path` (JSON for a `.json`
  /// extension, YAML otherwise).
  ///
  /// - Parameter path: The file; relative to ``workingDirectory`` when relative.
  /// - Returns: The configuration with each value's origin.
  /// - Throws: ``ConfigError`` for an unreadable file, a syntax error, a malformed
  ///   override, or an invalid field (naming its path and location).
  public func load(file path: String) throws -> ResolvedConfiguration {
    let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true))
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw ConfigError(
        .unreadable, path: "", "cannot read the configuration file \(path): \(error.localizedDescription)")
    }
    let isJSON = url.pathExtension.lowercased() == "json"
    return try load(
      text: text, json: isJSON, file: path, directory: url.deletingLastPathComponent().standardizedFileURL.path)
  }

  /// Loads, layers and validates a configuration given as text.
  ///
  /// - Parameters:
  ///   - text: The document.
  ///   - json: Whether it is JSON (else YAML).
  ///   - file: The name used in locations and messages, or `nil`.
  ///   - directory: The folder relative data paths in the document resolve against, or
  ///     `nil` for ``workingDirectory``.
  /// - Returns: The configuration with each value's origin.
  /// - Throws: ``ConfigError`` as ``load(file:)``.
  public func load(text: String, json: Bool = false, file: String? = nil, directory: String? = nil) throws
    -> ResolvedConfiguration
  {
    let document = json ? try ConfigValue.parse(json: text, file: file) : try ConfigValue.parse(yaml: text, file: file)
    switch document.content {
    case .object, .null: break
    default:
      throw ConfigError(
        .typeMismatch, path: "", location: document.location,
        "the document must be a mapping of sections (name, data, target, models, …), found \(document.kindDescription)")
    }
    var merged = document
    var layers: [(path: ConfigPath, origin: ValueOrigin)] = []
    for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(Self.environmentPrefix) {
      let steps = name.dropFirst(Self.environmentPrefix.count).components(separatedBy: "__")
      guard !steps.contains(where: \.isEmpty) else {
        throw ConfigError(
          .invalidOverride, path: "",
          "the environment variable \(name) has an empty path step; write HONE__section__key, e.g. HONE__tuning__trials"
        )
      }
      let path = ConfigPath(steps.map { step in Int(step).map { .index($0) } ?? .key(step) })
      let location = SourceLocation(file: "$\(name)", line: 0, column: 0)
      let parsed = try ConfigValue.parse(yaml: value, file: location.file).relocated(to: location)
      merged = try merged.setting(parsed, at: path, location: location)
      layers.append((path, .environment(variable: name)))
    }
    for argument in overrides {
      guard let equals = argument.firstIndex(of: "=") else {
        throw ConfigError(
          .invalidOverride, path: "",
          "--set \"\(argument)\" has no '='; write --set path=value, e.g. --set tuning.trials=50")
      }
      let pathText = String(argument[..<equals])
      let path = try ConfigPath(parsing: pathText)
      let location = SourceLocation(file: "--set \(pathText)", line: 0, column: 0)
      let value = try ConfigValue.parse(yaml: String(argument[argument.index(after: equals)...]), file: location.file)
        .relocated(to: location)
      merged = try merged.setting(value, at: path, location: location)
      layers.append((path, .commandLine(argument: argument)))
    }
    if case .null = merged.content { merged = ConfigValue(.object([]), location: merged.location) }
    var directories: [String: String] = [:]
    if let file { directories[file] = directory ?? workingDirectory }
    let configuration = try RunConfiguration(
      document: merged, workingDirectory: workingDirectory, fileDirectories: directories)
    return ResolvedConfiguration(
      configuration: configuration, file: file, fileDocument: document, mergedDocument: merged, layers: layers)
  }
}

extension ConfigValue {
  /// A copy whose every node and key carries `location`: an override's value is one
  /// argument, so its own line and column say nothing.
  func relocated(to location: SourceLocation) -> ConfigValue {
    switch content {
    case .array(let items): return ConfigValue(.array(items.map { $0.relocated(to: location) }), location: location)
    case .object(let members):
      return ConfigValue(
        .object(members.map { Member(key: $0.key, value: $0.value.relocated(to: location), keyLocation: location) }),
        location: location)
    default: return ConfigValue(content, location: location)
    }
  }
}
