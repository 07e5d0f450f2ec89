extension ConfigValue {
  /// Parses a JSON document (RFC 8259), keeping each node's line and column and each
  /// object's key order.
  ///
  /// Numbers without a fraction or exponent that fit an `Int` are integers; other numbers
  /// are doubles.
  ///
  /// - Parameters:
  ///   - json: The document.
  ///   - file: The file name for locations and messages, or `nil`.
  /// - Returns: The tree.
  /// - Throws: ``ConfigError`` of kind ``ConfigError/Kind/syntax`` at the offending
  ///   character, or for a duplicate key.
  public static func parse(json: String, file: String? = nil) throws -> ConfigValue {
    var parser = JSONParser(scalars: Array(json.unicodeScalars), file: file)
    parser.skipWhitespace()
    let value = try parser.value()
    parser.skipWhitespace()
    guard parser.index == parser.scalars.count else { throw parser.error("unexpected text after the JSON value") }
    return value
  }
}

/// A recursive-descent JSON reader over Unicode scalars that tracks line and column.
private struct JSONParser {
  let scalars: [Unicode.Scalar]
  let file: String?
  var index = 0
  var line = 1
  var column = 1

  init(scalars: [Unicode.Scalar], file: String?) {
    self.scalars = scalars
    self.file = file
  }

  var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

  func error(_ message: String) -> ConfigError {
    ConfigError(.syntax, path: "", location: here, "JSON syntax error: \(message)")
  }

  var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

  mutating func advance() {
    if scalars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  mutating func skipWhitespace() {
    while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
  }

  mutating func expect(_ c: Unicode.Scalar) throws {
    guard current == c else { throw error("expected '\(c)'" + (current.map { ", found '\($0)'" } ?? " at the end")) }
    advance()
  }

  mutating func value() throws -> ConfigValue {
    let start = here
    guard let c = current else { throw error("unexpected end of input; expected a value") }
    switch c {
    case "{": return ConfigValue(.object(try object()), location: start)
    case "[": return ConfigValue(.array(try array()), location: start)
    case "\"": return ConfigValue(.string(try string()), location: start)
    case "t":
      try literal("true")
      return ConfigValue(.bool(true), location: start)
    case "f":
      try literal("false")
      return ConfigValue(.bool(false), location: start)
    case "n":
      try literal("null")
      return ConfigValue(.null, location: start)
    case "-", "0"..."9": return ConfigValue(try number(), location: start)
    default: throw error("unexpected character '\(c)'; expected a value")
    }
  }

  mutating func literal(_ word: String) throws {
    for expected in word.unicodeScalars {
      guard current == expected else { throw error("invalid literal; expected \(word)") }
      advance()
    }
  }

  mutating func object() throws -> [ConfigValue.Member] {
    try expect("{")
    skipWhitespace()
    var members: [ConfigValue.Member] = []
    var seen = Set<String>()
    if current == "}" {
      advance()
      return members
    }
    while true {
      skipWhitespace()
      let keyLocation = here
      guard current == "\"" else { throw error("expected a quoted key") }
      let key = try string()
      guard seen.insert(key).inserted else {
        throw ConfigError(.syntax, path: "", location: keyLocation, "duplicate key \"\(key)\"; keep one")
      }
      skipWhitespace()
      try expect(":")
      skipWhitespace()
      members.append(ConfigValue.Member(key: key, value: try value(), keyLocation: keyLocation))
      skipWhitespace()
      if current == "," {
        advance()
        continue
      }
      try expect("}")
      return members
    }
  }

  mutating func array() throws -> [ConfigValue] {
    try expect("[")
    skipWhitespace()
    var items: [ConfigValue] = []
    if current == "]" {
      advance()
      return items
    }
    while true {
      skipWhitespace()
      items.append(try value())
      skipWhitespace()
      if current == "," {
        advance()
        continue
      }
      try expect("]")
      return items
    }
  }

  mutating func string() throws -> String {
    try expect("\"")
    var text = String.UnicodeScalarView()
    while true {
      guard let c = current else { throw error("unterminated string") }
      advance()
      switch c {
      case "\"": return String(text)
      case "\\":
        guard let e = current else { throw error("unterminated escape") }
        advance()
        switch e {
        case "\"", "\\", "/": text.append(e)
        case "b": text.append("\u{08}")
        case "f": text.append("\u{0C}")
        case "n": text.append("\n")
        case "r": text.append("\r")
        case "t": text.append("\t")
        case "u":
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code) {
            try expect("\\")
            try expect("u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
          text.append(scalar)
        default: throw error("invalid escape '\\\(e)'")
        }
      default:
        guard c.value >= 0x20 else { throw error("control character in string; escape it") }
        text.append(c)
      }
    }
  }

  mutating func hex4() throws -> UInt32 {
    var code: UInt32 = 0
    for _ in 0..<4 {
      guard let c = current, let digit = Int(String(c), radix: 16) else { throw error("invalid \\u escape") }
      code = code * 16 + UInt32(digit)
      advance()
    }
    return code
  }

  mutating func number() throws -> ConfigValue.Content {
    var text = ""
    var isInteger = true
    while let c = current, ("0"..."9").contains(c) || c == "-" || c == "+" || c == "." || c == "e" || c == "E" {
      if c == "." || c == "e" || c == "E" { isInteger = false }
      text.unicodeScalars.append(c)
      advance()
    }
    if isInteger, let value = Int(text) { return .int(value) }
    guard let value = Double(text) else { throw error("invalid number \(text)") }
    return .double(value)
  }
}
