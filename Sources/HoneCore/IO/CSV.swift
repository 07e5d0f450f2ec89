/// Reading and writing comma-separated (or other delimited) text files as ``Table`` values.
///
/// ```swift
/// let table = try CSV.read(contentsOf: "adult.csv", options: .init(types: ["education-num": .categorical]))
/// try CSV.write(table, to: "copy.csv")
/// ```
///
/// Reading streams the file in blocks, infers each column's type from the first rows
/// (integer, float, timestamp, else categorical; see ``CSVReadOptions``), and reports
/// every malformed input as a ``CSVError`` with the file, line and column.
public enum CSV {
  /// Reads a CSV file into a table.
  ///
  /// - Parameters:
  ///   - path: The file's path.
  ///   - options: Delimiter, header, missing tokens and type overrides.
  /// - Returns: The table, with one column per header field.
  /// - Throws: ``CSVError`` for malformed content, an unreadable file or bad options.
  /// - Complexity: O(file size); memory is one read block plus the table.
  public static func read(contentsOf path: String, options: CSVReadOptions = .init()) throws -> Table {
    var file: FileByteReader
    do {
      file = try FileByteReader(path: path)
    } catch let error as FileError {
      throw CSVError(kind: .io, path: path, message: error.message)
    }
    let reader = try CSVReader(path: path, options: options)
    return try reader.parse(expectedBytes: file.size) { buffer in
      do { return try file.read(into: buffer) } catch let error as FileError {
        throw CSVError(kind: .io, path: path, message: error.message)
      }
    }
  }

  /// Parses CSV text already in memory.
  ///
  /// - Throws: ``CSVError`` for malformed content or bad options.
  public static func read(string: String, options: CSVReadOptions = .init()) throws -> Table {
    try read(bytes: Array(string.utf8), options: options)
  }

  /// Parses CSV bytes already in memory (UTF-8).
  ///
  /// - Parameters:
  ///   - bytes: The content.
  ///   - options: Delimiter, header, missing tokens and type overrides.
  ///   - blockSize: The parser's block size; small values exercise records that span blocks.
  /// - Throws: ``CSVError`` for malformed content or bad options.
  public static func read(bytes: [UInt8], options: CSVReadOptions = .init(), blockSize: Int = 4 << 20) throws -> Table {
    let reader = try CSVReader(path: nil, options: options)
    var offset = 0
    return try reader.parse(blockSize: blockSize) { buffer in
      let n = Swift.min(buffer.count, bytes.count - offset)
      bytes.withUnsafeBytes { source in
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + n)]))
      }
      offset += n
      return n
    }
  }

  /// Writes a table as CSV, atomically (a temporary file, flushed, then renamed).
  ///
  /// Floats are written in the shortest form that reads back to the same `Double`;
  /// timestamps in ISO 8601; missing values as ``CSVWriteOptions/missingToken``. Fields
  /// that contain the delimiter, a quote or a line break, or that look like a missing
  /// token, are quoted.
  ///
  /// - Throws: ``CSVError`` when the file cannot be written or the options are invalid.
  public static func write(_ table: Table, to path: String, options: CSVWriteOptions = .init()) throws {
    let delimiter = try writeDelimiter(options, path: path)
    do {
      try AtomicFile.write(to: path) { file in
        try encode(table, delimiter: delimiter, options: options) { try file.write($0) }
      }
    } catch let error as FileError {
      throw CSVError(kind: .io, path: path, message: error.message)
    }
  }

  /// The table as CSV text.
  ///
  /// - Throws: ``CSVError`` when the options are invalid.
  public static func string(_ table: Table, options: CSVWriteOptions = .init()) throws -> String {
    let delimiter = try writeDelimiter(options, path: nil)
    var out = ""
    try encode(table, delimiter: delimiter, options: options) { out += $0 }
    return out
  }

  private static func writeDelimiter(_ options: CSVWriteOptions, path: String?) throws -> Character {
    guard options.delimiter.isASCII, options.delimiter != "\"", !options.delimiter.isNewline else {
      throw CSVError(
        kind: .invalidOption, path: path,
        message: "the delimiter must be one ASCII character other than a quote or a line break")
    }
    return options.delimiter
  }

  private static func encode(
    _ table: Table, delimiter: Character, options: CSVWriteOptions, emit: (String) throws -> Void
  ) throws {
    let separator = String(delimiter)
    let delimiterByte = delimiter.asciiValue ?? UInt8(ascii: ",")
    let missingLike = Set(CSVReadOptions.defaultMissingTokens + [options.missingToken])
    // Bytes, not Characters: "\r\n" is one Character, and so is a quote followed by a
    // combining mark, so comparing Characters would leave them unquoted or unescaped.
    func quoted(_ text: String) -> String {
      let needs =
        text.utf8.contains { $0 == delimiterByte || $0 == 34 || $0 == 10 || $0 == 13 }
        || missingLike.contains(text) || text.utf8.first == 32 || text.utf8.last == 32
      return needs ? "\"" + text.replacingQuotes() + "\"" : text
    }
    if options.includeHeader {
      try emit(table.columnNames.map(quoted).joined(separator: separator) + "\n")
    }
    var line = ""
    for row in 0..<table.rowCount {
      line.removeAll(keepingCapacity: true)
      for (c, column) in table.columns.enumerated() {
        if c > 0 { line += separator }
        switch column.values {
        case .float(let v): line += v[row].isNaN ? options.missingToken : v[row].description
        case .integer(let v): line += String(v[row])
        case .categorical(let codes, let categories):
          line += codes[row] < 0 ? options.missingToken : quoted(categories[Int(codes[row])])
        case .timestamp(let v):
          line += v[row] == Column.missingTimestamp ? options.missingToken : Timestamp.iso8601(nanoseconds: v[row])
        }
      }
      line += "\n"
      try emit(line)
    }
  }
}

extension String {
  fileprivate func replacingQuotes() -> String {
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count + 2)
    for byte in utf8 {
      out.append(byte)
      if byte == 34 { out.append(34) }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
