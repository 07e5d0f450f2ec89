extension ConfigValue {
  /// The tree as canonical JSON: object keys sorted by their UTF-8 bytes, no whitespace,
  /// integers as integers and doubles in Swift's shortest round-trip form (`0.1`, `5.0`,
  /// `1e-05`), so equal trees give equal text on every platform.
  ///
  /// - Returns: The JSON text; a non-finite double (never in a validated configuration)
  ///   is written as `null`.
  public func canonicalJSON() -> String {
    var out = ""
    writeJSON(into: &out)
    return out
  }

  private func writeJSON(into out: inout String) {
    switch content {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.isFinite ? String(d) : "null"
    case .string(let s): out += Self.quoted(s)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.writeJSON(into: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, member) in members.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes($1.key.utf8) }).enumerated()
      {
        if i > 0 { out += "," }
        out += Self.quoted(member.key) + ":"
        member.value.writeJSON(into: &out)
      }
      out += "}"
    }
  }

  /// A double-quoted string with JSON escapes, which YAML double-quoted scalars read the
  /// same way.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// Whether the node prints on one line in block YAML: a scalar, an empty container, or
  /// a list of scalars.
  var isFlow: Bool {
    switch content {
    case .array(let items):
      return items.allSatisfy {
        if case .array = $0.content { false } else if case .object = $0.content { false } else { true }
      }
    case .object(let members): return members.isEmpty
    default: return true
    }
  }

  /// The node as flow YAML (`"text"`, `3`, `0.5`, `[1, 2]`, `{}`): strings always quoted,
  /// so nothing is re-typed on the way back in.
  var flowYAML: String {
    switch content {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .double(let d):
      if d.isNaN { return ".nan" }
      if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
      return String(d)
    case .string(let s): return Self.quoted(s)
    case .array(let items): return "[" + items.map(\.flowYAML).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { "\(Self.yamlKey($0.key)): \($0.value.flowYAML)" }.joined(separator: ", ") + "}"
    }
  }

  static func yamlKey(_ key: String) -> String {
    let plain =
      !key.isEmpty
      && key.unicodeScalars.allSatisfy {
        $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || $0 == "_"
      }
      && !(key.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
      && !["true", "false", "null", "True", "False", "Null", "TRUE", "FALSE", "NULL"].contains(key)
    return plain ? key : quoted(key)
  }

  /// The tree as block YAML, with `comment(path)` appended to each line that holds a
  /// value (`key: value  # comment`).
  ///
  /// - Parameter comment: The trailing comment for the value at a path, or `nil`.
  /// - Returns: The YAML text, one line per value, ending with a newline.
  public func blockYAML(comment: (ConfigPath) -> String? = { _ in nil }) -> String {
    var lines: [String] = []
    if isFlow {
      lines.append(flowYAML + (comment(ConfigPath()).map { "  # \($0)" } ?? ""))
    } else {
      writeBlock(path: ConfigPath(), indent: "", comment: comment, into: &lines)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func writeBlock(
    path: ConfigPath, indent: String, comment: (ConfigPath) -> String?, into lines: inout [String]
  ) {
    func suffix(_ p: ConfigPath) -> String { comment(p).map { "  # \($0)" } ?? "" }
    switch content {
    case .object(let members):
      for member in members {
        let child = path.appending(member.key)
        let key = Self.yamlKey(member.key)
        if member.value.isFlow {
          lines.append("\(indent)\(key): \(member.value.flowYAML)\(suffix(child))")
        } else {
          lines.append("\(indent)\(key):")
          member.value.writeBlock(path: child, indent: indent + "  ", comment: comment, into: &lines)
        }
      }
    case .array(let items):
      for (i, item) in items.enumerated() {
        let child = path.appending(index: i)
        if item.isFlow {
          lines.append("\(indent)- \(item.flowYAML)\(suffix(child))")
        } else if case .object = item.content {
          // The first member goes on the dash line; the rest align with it.
          var itemLines: [String] = []
          item.writeBlock(path: child, indent: indent + "  ", comment: comment, into: &itemLines)
          if let first = itemLines.first { itemLines[0] = indent + "- " + first.dropFirst(indent.count + 2) }
          lines += itemLines
        } else {
          lines.append("\(indent)-")
          item.writeBlock(path: child, indent: indent + "  ", comment: comment, into: &lines)
        }
      }
    default:
      lines.append("\(indent)\(flowYAML)\(suffix(path))")
    }
  }
}
