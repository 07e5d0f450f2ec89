/// A field path in a configuration: keys and list indices, written
/// `models[0].space.maxLeaves.high`.
public struct ConfigPath: Sendable, Hashable, CustomStringConvertible {
  /// One step of a path.
  public enum Component: Sendable, Hashable {
    /// A key of a mapping.
    case key(String)
    /// A position in a list, from 0.
    case index(Int)
  }

  /// The steps from the document root.
  public var components: [Component]

  /// Creates a path.
  ///
  /// - Parameter components: The steps from the root; empty for the root itself.
  public init(_ components: [Component] = []) { self.components = components }

  /// Parses `a.b[2].c`: keys separated by dots, indices in brackets.
  ///
  /// - Parameter text: The path text.
  /// - Throws: ``ConfigError`` of kind ``ConfigError/Kind/invalidOverride`` for an empty
  ///   key, an unclosed bracket or an index that is not a whole number ≥ 0.
  public init(parsing text: String) throws {
    var components: [Component] = []
    var key = ""
    var scalars = text.unicodeScalars.makeIterator()
    var afterIndex = false
    func bad(_ why: String) -> ConfigError {
      ConfigError(
        .invalidOverride, path: "", "the path \"\(text)\" is malformed: \(why); write it like models[0].space.alpha")
    }
    while let c = scalars.next() {
      switch c {
      case ".":
        if key.isEmpty && !afterIndex { throw bad("empty key") }
        if !key.isEmpty { components.append(.key(key)) }
        key = ""
        afterIndex = false
      case "[":
        if !key.isEmpty { components.append(.key(key)) }
        if key.isEmpty && components.isEmpty { throw bad("an index needs a list before it") }
        key = ""
        var digits = ""
        var closed = false
        while let d = scalars.next() {
          if d == "]" {
            closed = true
            break
          }
          digits.unicodeScalars.append(d)
        }
        guard closed else { throw bad("unclosed [") }
        guard let index = Int(digits), index >= 0 else { throw bad("\"\(digits)\" is not an index ≥ 0") }
        components.append(.index(index))
        afterIndex = true
      default:
        if afterIndex { throw bad("expected . or [ after ]") }
        key.unicodeScalars.append(c)
      }
    }
    if !key.isEmpty {
      components.append(.key(key))
    } else if !afterIndex {
      throw bad("empty key")
    }
    self.components = components
  }

  /// The path one key deeper.
  ///
  /// - Parameter key: The key.
  /// - Returns: The extended path.
  public func appending(_ key: String) -> ConfigPath { ConfigPath(components + [.key(key)]) }

  /// The path one index deeper.
  ///
  /// - Parameter index: The index.
  /// - Returns: The extended path.
  public func appending(index: Int) -> ConfigPath { ConfigPath(components + [.index(index)]) }

  /// `models[0].space.alpha`; empty for the root.
  public var description: String {
    var text = ""
    for component in components {
      switch component {
      case .key(let key): text += text.isEmpty ? key : ".\(key)"
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }

  /// Whether `self` is `other` or lies below it.
  ///
  /// - Parameter other: A possible ancestor.
  /// - Returns: `true` when `other`'s components are a prefix of these.
  public func hasPrefix(_ other: ConfigPath) -> Bool {
    components.count >= other.components.count && Array(components.prefix(other.components.count)) == other.components
  }
}

extension ConfigValue {
  /// The node at `path`, or `nil` when a step is missing.
  ///
  /// - Parameter path: The path from this node.
  /// - Returns: The node, or `nil`.
  public func value(at path: ConfigPath) -> ConfigValue? {
    var node = self
    for component in path.components {
      switch (component, node.content) {
      case (.key(let key), .object):
        guard let next = node[key] else { return nil }
        node = next
      case (.index(let i), .array(let items)):
        guard i < items.count else { return nil }
        node = items[i]
      default: return nil
      }
    }
    return node
  }

  /// A copy with `value` placed at `path`, creating mappings (and appending to lists) on
  /// the way; a scalar in the way is replaced by a mapping, so `--set tuning.sampler.tpe.candidates=48`
  /// refines `sampler: tpe`. A null value for a key removes the key, restoring its default.
  ///
  /// - Parameters:
  ///   - value: The new node.
  ///   - path: Where to put it.
  ///   - location: The location given to mappings and keys created on the way.
  /// - Returns: The updated tree.
  /// - Throws: ``ConfigError`` of kind ``ConfigError/Kind/invalidOverride`` for an index
  ///   past the end of a list (appending at `count` is allowed) or an index into a mapping.
  public func setting(_ value: ConfigValue, at path: ConfigPath, location: SourceLocation? = nil) throws -> ConfigValue
  {
    try setting(value, at: path.components[...], done: ConfigPath(), location: location)
  }

  private func setting(
    _ value: ConfigValue, at rest: ArraySlice<ConfigPath.Component>, done: ConfigPath, location: SourceLocation?
  ) throws -> ConfigValue {
    guard let first = rest.first else { return value }
    let remaining = rest.dropFirst()
    switch first {
    case .key(let key):
      var members: [Member]
      if case .object(let existing) = content { members = existing } else { members = [] }
      let child = done.appending(key)
      if remaining.isEmpty, case .null = value.content {
        // Null restores the default, so the key goes; a misspelt key can be removed this way too.
        members.removeAll { $0.key == key }
      } else if let i = members.firstIndex(where: { $0.key == key }) {
        members[i].value = try members[i].value.setting(value, at: remaining, done: child, location: location)
      } else {
        let empty = ConfigValue(.null, location: location)
        members.append(
          Member(
            key: key, value: try empty.setting(value, at: remaining, done: child, location: location),
            keyLocation: location))
      }
      return ConfigValue(.object(members), location: self.location ?? location)
    case .index(let index):
      var items: [ConfigValue]
      switch content {
      case .array(let existing): items = existing
      case .null: items = []
      default:
        throw ConfigError(
          .invalidOverride, path: done.description, location: location,
          "[\(index)] indexes a list, but this is \(kindDescription)")
      }
      let child = done.appending(index: index)
      if index < items.count {
        items[index] = try items[index].setting(value, at: remaining, done: child, location: location)
      } else if index == items.count {
        items.append(
          try ConfigValue(.null, location: location).setting(value, at: remaining, done: child, location: location))
      } else {
        throw ConfigError(
          .invalidOverride, path: child.description, location: location,
          "index \(index) is past the end of the list (\(items.count) items); use an index up to \(items.count)")
      }
      return ConfigValue(.array(items), location: self.location ?? location)
    }
  }
}
