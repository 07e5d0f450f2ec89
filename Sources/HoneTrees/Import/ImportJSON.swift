/// A JSON value that keeps each number's text, so a float32 written by XGBoost parses
/// straight to float32 (no detour through float64, which can round twice).
enum ImportJSON: Sendable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([ImportJSON])
  case object([String: ImportJSON])

  /// The type's name, for error messages.
  var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  /// Parses a whole JSON document.
  ///
  /// - Throws: ``ModelImportError`` (`.malformed`) with the line and column of the fault.
  static func parse(_ bytes: [UInt8], source: String) throws -> ImportJSON {
    var parser = Parser(bytes: bytes, source: source)
    parser.skipWhitespace()
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
    return value
  }

  private struct Parser {
    let bytes: [UInt8]
    let source: String
    var position = 0

    init(bytes: [UInt8], source: String) {
      self.bytes = bytes
      self.source = source
    }

    func error(_ message: String) -> ModelImportError {
      var line = 1
      var column = 1
      for byte in bytes[..<Swift.min(position, bytes.count)] {
        if byte == 10 {
          line += 1
          column = 1
        } else {
          column += 1
        }
      }
      return .malformed("\(source):\(line):\(column)", "not valid JSON: \(message)")
    }

    mutating func skipWhitespace() {
      while position < bytes.count, [32, 9, 10, 13].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ literal: String, _ value: ImportJSON) throws -> ImportJSON {
      let utf8 = Array(literal.utf8)
      guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else {
        throw error("unknown literal (expected `\(literal)`)")
      }
      position += utf8.count
      return value
    }

    mutating func value(depth: Int) throws -> ImportJSON {
      // XGBoost models nest only a few levels; a deep document is hostile or broken.
      guard depth < 64 else { throw error("nested more than 64 levels deep") }
      guard position < bytes.count else { throw error("unexpected end of the document") }
      switch bytes[position] {
      case UInt8(ascii: "{"): return try object(depth: depth)
      case UInt8(ascii: "["): return try array(depth: depth)
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"): return try expect("true", .bool(true))
      case UInt8(ascii: "f"): return try expect("false", .bool(false))
      case UInt8(ascii: "n"): return try expect("null", .null)
      default: return try number()
      }
    }

    mutating func object(depth: Int) throws -> ImportJSON {
      position += 1
      var members: [String: ImportJSON] = [:]
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
          throw error("expected a member name in quotes")
        }
        let key = try string()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
          throw error("expected `:` after member name \"\(key)\"")
        }
        position += 1
        skipWhitespace()
        members[key] = try value(depth: depth + 1)
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end inside an object") }
        if bytes[position] == UInt8(ascii: ",") {
          position += 1
        } else if bytes[position] == UInt8(ascii: "}") {
          position += 1
          return .object(members)
        } else {
          throw error("expected `,` or `}` in an object")
        }
      }
    }

    mutating func array(depth: Int) throws -> ImportJSON {
      position += 1
      var elements: [ImportJSON] = []
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(elements)
      }
      while true {
        skipWhitespace()
        elements.append(try value(depth: depth + 1))
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end inside an array") }
        if bytes[position] == UInt8(ascii: ",") {
          position += 1
        } else if bytes[position] == UInt8(ascii: "]") {
          position += 1
          return .array(elements)
        } else {
          throw error("expected `,` or `]` in an array")
        }
      }
    }

    mutating func string() throws -> String {
      position += 1
      var utf8: [UInt8] = []
      while position < bytes.count {
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "\"") { return String(decoding: utf8, as: UTF8.self) }
        guard byte == UInt8(ascii: "\\") else {
          utf8.append(byte)
          continue
        }
        guard position < bytes.count else { break }
        let escaped = bytes[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "n"): utf8.append(10)
        case UInt8(ascii: "t"): utf8.append(9)
        case UInt8(ascii: "r"): utf8.append(13)
        case UInt8(ascii: "b"): utf8.append(8)
        case UInt8(ascii: "f"): utf8.append(12)
        case UInt8(ascii: "u"):
          guard position + 4 <= bytes.count,
            let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
          else { throw error("bad \\u escape") }
          position += 4
          // Names in model files are ASCII; a lone surrogate becomes U+FFFD rather than failing.
          utf8.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
        default: utf8.append(escaped)
        }
      }
      throw error("unterminated string")
    }

    mutating func number() throws -> ImportJSON {
      let start = position
      while position < bytes.count {
        let byte = bytes[position]
        let isNumberByte =
          (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
          || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
          || byte == UInt8(ascii: "E")
        guard isNumberByte else { break }
        position += 1
      }
      guard position > start else { throw error("unexpected character `\(Character(Unicode.Scalar(bytes[start])))`") }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      guard Double(text) != nil else { throw error("`\(text)` is not a number") }
      return .number(text)
    }
  }
}

/// A JSON value with the path that reached it, so errors name the field
/// (`$.learner.gradient_booster.model.trees[3].left_children`).
struct JSONCursor {
  let value: ImportJSON
  let path: String
  let source: String

  func error(_ message: String) -> ModelImportError { .malformed("\(source): \(path)", message) }

  func unsupported(_ message: String) -> ModelImportError { .unsupported("\(source): \(path)", message) }

  func member(_ key: String) throws -> JSONCursor {
    guard case .object(let members) = value else {
      throw error("expected an object with member \"\(key)\", found \(value.typeName)")
    }
    guard let child = members[key] else { throw error("missing member \"\(key)\"") }
    return JSONCursor(value: child, path: "\(path).\(key)", source: source)
  }

  func optionalMember(_ key: String) throws -> JSONCursor? {
    guard case .object(let members) = value else { throw error("expected an object, found \(value.typeName)") }
    return members[key].map { JSONCursor(value: $0, path: "\(path).\(key)", source: source) }
  }

  func elements() throws -> [JSONCursor] {
    guard case .array(let items) = value else { throw error("expected an array, found \(value.typeName)") }
    return items.enumerated().map { JSONCursor(value: $1, path: "\(path)[\($0)]", source: source) }
  }

  func string() throws -> String {
    guard case .string(let text) = value else { throw error("expected a string, found \(value.typeName)") }
    return text
  }

  /// An integer written as a number or, as XGBoost writes parameters, as a string.
  func integer() throws -> Int {
    switch value {
    case .number(let text):
      if let integer = Int(text) { return integer }
    case .string(let text):
      if let integer = Int(text) { return integer }
    default: break
    }
    throw error("expected an integer, found \(value.typeName)")
  }

  func integers() throws -> [Int] {
    guard case .array(let items) = value else { throw error("expected an array of integers, found \(value.typeName)") }
    return try items.enumerated().map { index, item in
      switch item {
      case .number(let text):
        if let integer = Int(text) { return integer }
      case .bool(let flag): return flag ? 1 : 0
      default: break
      }
      throw JSONCursor(value: item, path: "\(path)[\(index)]", source: source).error(
        "expected an integer, found \(item.typeName)")
    }
  }

  /// Numbers parsed straight to float32 from their text: XGBoost writes float32 values.
  func floats() throws -> [Float] {
    guard case .array(let items) = value else { throw error("expected an array of numbers, found \(value.typeName)") }
    return try items.enumerated().map { index, item in
      if case .number(let text) = item, let number = Float(text) { return number }
      throw JSONCursor(value: item, path: "\(path)[\(index)]", source: source).error(
        "expected a number, found \(item.typeName)")
    }
  }
}
