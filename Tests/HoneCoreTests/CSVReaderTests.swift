import Foundation
import HoneCore
import Testing

/// Parsing, type inference and error reporting of `CSV.read`. Every value here is parsed
/// from text that names it exactly (or is a dyadic fraction), so floats compare exactly.
@Suite struct CSVReaderTests {
  private func read(_ text: String, _ options: CSVReadOptions = .init()) throws -> Table {
    try CSV.read(string: text, options: options)
  }

  // MARK: - Inference and values

  @Test func infersEachColumnType() throws {
    let table = try read(
      """
      id,price,name,when
      1,1.5,apple,2020-01-01
      2,-2.25,pear,2020-01-02T03:04:05Z
      3,1e3,apple,2020-01-02 03:04:05.5+01:00

      """)
    #expect(table.rowCount == 3)
    #expect(
      table.schema
        == Schema([
          Field(name: "id", type: .integer), Field(name: "price", type: .float),
          Field(name: "name", type: .categorical), Field(name: "when", type: .timestamp),
        ]))
    #expect(integers(table, "id") == [1, 2, 3])
    #expect(floats(table, "price") == [1.5, -2.25, 1000])
    #expect(strings(table, "name") == ["apple", "pear", "apple"])
    let day: Int64 = 18_262 * 86_400  // 2020-01-01 is day 18262 after 1970-01-01
    let second: Int64 = 1_000_000_000
    #expect(
      timestamps(table, "when") == [
        day * second, (day + 86_400 + 3 * 3600 + 4 * 60 + 5) * second,
        (day + 86_400 + 2 * 3600 + 4 * 60 + 5) * second + second / 2,
      ])
  }

  @Test func categoricalCodesFollowFirstAppearance() throws {
    let table = try read("c,d\nb,1\na,2\nb,3\n,4\nc,5\n")
    let column = try table.column(named: "c")
    #expect(column.values == .categorical(codes: [0, 1, 0, -1, 2], categories: ["b", "a", "c"]))
    #expect(column.missingCount == 1)
  }

  @Test func allMissingColumnIsFloatAndIntegerWithMissingIsFloat() throws {
    let table = try read("a,b,c\nNA,1,x\n,,y\nnull,3,z\n")
    #expect(bits(floats(table, "a")) == bits([.nan, .nan, .nan]))
    #expect(bits(floats(table, "b")) == bits([1, .nan, 3]))
  }

  @Test func quotedNumbersAreNumbers() throws {
    let table = try read("x,y\n\"1\",\"2.5\"\n\"3\",\" 4 \"\n")
    #expect(integers(table, "x") == [1, 3])
    // Spaces around a number are trimmed, as the number parser documents.
    #expect(floats(table, "y") == [2.5, 4])
  }

  @Test func mixedIntegersAndTimestampsAreCategorical() throws {
    let table = try read("t\n2020-01-01\n5\n")
    #expect(strings(table, "t") == ["2020-01-01", "5"])
  }

  @Test func timestampInference() throws {
    let table = try read(
      "t,u\n1970-01-01,1969-12-31T23:59:59.999999999Z\n2000-02-29T12:00,2000-01-01T05:30:00+05:30\n,1970-01-01T00:00:00-0100\n"
    )
    #expect(timestamps(table, "t") == [0, (11_016 * 86_400 + 12 * 3600) * 1_000_000_000, Column.missingTimestamp])
    #expect(timestamps(table, "u") == [-1, 946_684_800 * 1_000_000_000, 3600 * 1_000_000_000])
  }

  // MARK: - Quoting and line endings

  @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
    let table = try read(
      "name,text\n\"Smith, John\",\"he said \"\"hi\"\"\"\n\"two\nlines\",\"crlf\r\ninside\"\nplain,\"\"\"\"\n")
    #expect(strings(table, "name") == ["Smith, John", "two\nlines", "plain"])
    #expect(strings(table, "text") == ["he said \"hi\"", "crlf\r\ninside", "\""])
  }

  @Test func lineNumbersCountLineBreaksInsideQuotes() throws {
    // Line 1 header, lines 2–3 first record, lines 4–6 second record, line 7 is short.
    let error = #expect(throws: CSVError.self) {
      try read("a,b\n\"x\ny\",1\n\"p\n\nq\",2\nbad\n")
    }
    #expect(error?.kind == .raggedRow(expected: 2, found: 1))
    #expect(error?.line == 7)
  }

  @Test func crlfInsideQuotesCountsAsOneLine() throws {
    let error = #expect(throws: CSVError.self) {
      try read("a,b\r\n\"x\r\ny\",1\r\nbad\r\n")
    }
    #expect(error?.line == 4)
  }

  @Test
  func loneCRInsideQuotesCountsAsALine() throws {
    let error = #expect(throws: CSVError.self) {
      try read("a,b\r\"x\ry\",1\rbad\r")
    }
    #expect(error?.line == 4)
  }

  @Test(arguments: [
    ("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r"),
  ])
  func lineEndingsGiveTheSameTable(name: String, ending: String) throws {
    let lines = ["a,b", "1,x", "2,\"q\"", "3,z"]
    let expected = try read(lines.joined(separator: "\n") + "\n")
    #expect(identical(try read(lines.joined(separator: ending) + ending), expected))
    #expect(identical(try read(lines.joined(separator: ending)), expected), "no final line break")
    // A line error is reported on the same line whatever the line ending.
    let error = #expect(throws: CSVError.self) {
      try read((lines + ["4"]).joined(separator: ending) + ending)
    }
    #expect(error?.line == 5)
  }

  @Test func mixedLineEndings() throws {
    let table = try read("a,b\r\n1,2\r3,4\n5,6")
    #expect(integers(table, "a") == [1, 3, 5])
    #expect(integers(table, "b") == [2, 4, 6])
  }

  @Test func byteOrderMarkIsSkipped() throws {
    let table = try read("\u{FEFF}a,b\n1,2\n")
    #expect(table.columnNames == ["a", "b"])
    let quoted = try read("\u{FEFF}\"a\",b\n1,2\n")
    #expect(quoted.columnNames == ["a", "b"])
    // A BOM is only meaningful at the very start; elsewhere it is data.
    let later = try read("a,b\n\u{FEFF}x,2\n")
    #expect(strings(later, "a") == ["\u{FEFF}x"])
  }

  @Test func blankLinesAreSkippedInMultiColumnFiles() throws {
    let table = try read("a,b\n\n1,2\n\n\n3,4\n\n")
    #expect(integers(table, "a") == [1, 3])
  }

  @Test
  func blankLinesInOneColumnFileDoNotDependOnInferenceWindow() throws {
    let text = "x\n1\n\n2\n\n3\n"
    let wide = try read(text)
    let narrow = try read(text, .init(inferenceRowCount: 1))
    #expect(identical(wide, narrow))
  }

  // MARK: - Missing values

  @Test(arguments: CSVReadOptions.defaultMissingTokens)
  func defaultMissingTokens(token: String) throws {
    let table = try read("x,y\n1.5,a\n\(token),b\n")
    #expect(bits(floats(table, "x")) == bits([1.5, .nan]))
  }

  @Test func quotedTokensAreNotMissing() throws {
    let table = try read("s,n\n\"NA\",1\n\"\",2\nNA,3\n,4\n\"?\",5\nx,6\n")
    #expect(strings(table, "s") == ["NA", "", nil, nil, "?", "x"])
  }

  @Test func customMissingTokens() throws {
    let options = CSVReadOptions(missingTokens: ["-999", "missing"])
    let table = try read("x,y,z\n1,NA,a\n-999,2,missing\n3.5,,c\n", options)
    #expect(bits(floats(table, "x")) == bits([1, .nan, 3.5]))
    // NA and the empty field are ordinary text once they are not missing tokens.
    #expect(strings(table, "y") == ["NA", "2", ""])
    #expect(strings(table, "z") == ["a", nil, "c"])
  }

  // MARK: - Header, overrides, delimiters

  @Test func headerOnlyFileHasNoRows() throws {
    for text in ["a,b\n", "a,b", "a,b\r\n\r\n"] {
      let table = try read(text)
      #expect(table.rowCount == 0)
      #expect(table.columnNames == ["a", "b"])
    }
  }

  @Test func emptyHeaderNamesAreNumbered() throws {
    let table = try read("a,,c\n1,2,3\n")
    #expect(table.columnNames == ["a", "column_2", "c"])
  }

  @Test func duplicateHeaderNamesThrow() throws {
    let error = #expect(throws: CSVError.self) { try read("a,b,a\n1,2,3\n") }
    #expect(error?.kind == .duplicateColumn("a"))
    #expect(error?.line == 1)
  }

  @Test func noHeaderMode() throws {
    let table = try read("1,x\n2,y\n", .init(hasHeader: false))
    #expect(table.columnNames == ["column_1", "column_2"])
    #expect(integers(table, "column_1") == [1, 2])
    #expect(strings(table, "column_2") == ["x", "y"])
    let typed = try read("1,x\n2,y\n", .init(hasHeader: false, types: ["column_1": .float]))
    #expect(floats(typed, "column_1") == [1, 2])
  }

  @Test func typeOverrides() throws {
    let options = CSVReadOptions(types: ["zip": .categorical, "n": .float, "t": .categorical])
    let table = try read("zip,n,t\n01234,1,2020-01-01\n98765,2,2020-01-02\n", options)
    #expect(strings(table, "zip") == ["01234", "98765"])
    #expect(floats(table, "n") == [1, 2])
    #expect(strings(table, "t") == ["2020-01-01", "2020-01-02"])
  }

  @Test func overrideNamingAnUnknownColumnThrows() throws {
    let error = #expect(throws: CSVError.self) {
      try read("a,b\n1,2\n", .init(types: ["nope": .float]))
    }
    #expect(error?.kind == .unknownColumn("nope"))
    #expect(error?.column == "nope")
  }

  @Test(arguments: [("tab", "\t"), ("semicolon", ";"), ("pipe", "|")] as [(String, Character)])
  func otherDelimiters(name: String, delimiter: Character) throws {
    let d = String(delimiter)
    let text = "a\(d)b\(d)c\n1\(d)x,y\(d)\"q\(d)r\"\n2\(d)z\(d)w\n"
    let table = try read(text, .init(delimiter: delimiter))
    #expect(table.columnNames == ["a", "b", "c"])
    #expect(integers(table, "a") == [1, 2])
    #expect(strings(table, "b") == ["x,y", "z"])
    #expect(strings(table, "c") == ["q\(d)r", "w"])
  }

  @Test(arguments: ["\"", "\n", "\r", "\r\n", "é", "€"] as [Character])
  func invalidDelimiterThrows(delimiter: Character) throws {
    let error = #expect(throws: CSVError.self) { try read("a,b\n1,2\n", .init(delimiter: delimiter)) }
    #expect(error?.kind == .invalidOption)
  }

  // MARK: - Type promotion and type errors

  @Test func integerBecomesFloatWhenADecimalFollowsInference() throws {
    let table = try read("x,y\n1,a\n2,b\n3.5,c\n4,d\n", .init(inferenceRowCount: 2))
    #expect(floats(table, "x") == [1, 2, 3.5, 4])
  }

  @Test func integerBecomesFloatWhenAMissingValueFollowsInference() throws {
    let table = try read("x,y\n1,a\n2,b\n,c\n4,d\n", .init(inferenceRowCount: 2))
    #expect(bits(floats(table, "x")) == bits([1, 2, .nan, 4]))
  }

  @Test func integerOverrideRejectsDecimalsInsideInferenceWindow() throws {
    let error = #expect(throws: CSVError.self) {
      try read("x,y\n1,a\n2.5,b\n", .init(types: ["x": .integer]))
    }
    #expect(error?.kind == .typeMismatch(value: "2.5", expected: .integer))
    #expect(error?.line == 3)
    #expect(error?.column == "x")
  }

  @Test func integerOverrideWithMissingValueInsideInferenceWindowThrows() throws {
    let error = #expect(throws: CSVError.self) {
      try read("x,y\n1,a\nNA,b\n", .init(types: ["x": .integer]))
    }
    #expect(error?.kind == .missingInteger)
    #expect(error?.line == 3)
    #expect(error?.column == "x")
  }

  @Test func floatOverrideRejectsTextInsideInferenceWindow() throws {
    let error = #expect(throws: CSVError.self) {
      try read("x,y\n1,a\n\"\",b\n", .init(types: ["x": .float]))
    }
    #expect(error?.kind == .typeMismatch(value: "", expected: .float))
    #expect(error?.line == 3)
  }

  /// A value that does not fit a type inferred from the first rows, after those rows.
  /// Each case: text, expected kind, line, column.
  static let errorsAfterInference: [(String, CSVError.Kind, Int, String)] = [
    ("x,y\n1.5,a\n2.5,b\n4x,c\n", .typeMismatch(value: "4x", expected: .float), 4, "x"),
    ("x,y\n1,a\n2,b\n4x,c\n", .typeMismatch(value: "4x", expected: .integer), 4, "x"),
    (
      "y,t\na,2020-01-01\nb,2020-01-02\nc,2020-13-01\n", .typeMismatch(value: "2020-13-01", expected: .timestamp), 4,
      "t"
    ),
  ]

  @Test(
    arguments: errorsAfterInference)
  func typeMismatchAfterInferenceWindow(text: String, kind: CSVError.Kind, line: Int, column: String) throws {
    let error = #expect(throws: CSVError.self) { try read(text, .init(inferenceRowCount: 2)) }
    #expect(error?.kind == kind)
    #expect(error?.line == line)
    #expect(error?.column == column)
  }

  @Test
  func integerOverrideWithMissingValueAfterInferenceWindowThrows() throws {
    let error = #expect(throws: CSVError.self) {
      try read("x,y\n1,a\n2,b\n,c\n", .init(types: ["x": .integer], inferenceRowCount: 2))
    }
    #expect(error?.kind == .missingInteger)
    #expect(error?.line == 4)
    #expect(error?.column == "x")
  }

  // MARK: - Malformed input

  struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let kind: CSVError.Kind
    let line: Int?
    var column: String? = nil
    var options = CSVReadOptions()
    var testDescription: String { name }
  }

  static let malformedCases: [MalformedCase] = [
    MalformedCase(name: "empty", text: "", kind: .emptyInput, line: nil),
    MalformedCase(name: "only blank lines", text: "\n\r\n\n", kind: .emptyInput, line: nil),
    MalformedCase(name: "only a BOM", text: "\u{FEFF}", kind: .emptyInput, line: nil),
    MalformedCase(name: "short row", text: "a,b,c\n1,2,3\n4,5\n", kind: .raggedRow(expected: 3, found: 2), line: 3),
    MalformedCase(name: "long row", text: "a,b\n1,2\n3,4,5\n", kind: .raggedRow(expected: 2, found: 3), line: 3),
    MalformedCase(
      name: "ragged after quoted line breaks", text: "a,b\n\"1\n2\n3\",x\n4\n", kind: .raggedRow(expected: 2, found: 1),
      line: 5),
    MalformedCase(
      name: "ragged after inference", text: "a,b\n1,2\n3,4\n5,6\n7\n", kind: .raggedRow(expected: 2, found: 1), line: 5,
      options: .init(inferenceRowCount: 1)),
    MalformedCase(
      name: "ragged without header", text: "1,2\n3\n", kind: .raggedRow(expected: 2, found: 1), line: 2,
      options: .init(hasHeader: false)),
    MalformedCase(name: "unterminated quote", text: "a,b\n1,2\n3,\"abc\n4,5\n", kind: .unterminatedQuote, line: 3),
    MalformedCase(name: "unterminated quote at end", text: "a,b\n1,\"", kind: .unterminatedQuote, line: 2),
    MalformedCase(name: "unterminated quote in header", text: "\"a,b\n1,2\n", kind: .unterminatedQuote, line: 1),
    MalformedCase(
      name: "junk after closing quote", text: "a,b\n1,2\n\"x\"y,3\n", kind: .unexpectedCharacterAfterQuote, line: 3,
      column: "a"),
    MalformedCase(
      name: "space after closing quote", text: "a,b\n1,\"x\" \n", kind: .unexpectedCharacterAfterQuote, line: 2,
      column: "b"),
    MalformedCase(
      name: "junk after quote with line breaks", text: "a,b\n1,\"x\ny\"z\n", kind: .unexpectedCharacterAfterQuote,
      line: 3, column: "b"),
    MalformedCase(name: "duplicate header", text: "x,y,x\n", kind: .duplicateColumn("x"), line: 1, column: "x"),
  ]

  @Test(arguments: malformedCases)
  func malformedInputThrows(_ testCase: MalformedCase) throws {
    let error = #expect(throws: CSVError.self) { try read(testCase.text, testCase.options) }
    #expect(error?.kind == testCase.kind)
    #expect(error?.line == testCase.line)
    if let column = testCase.column { #expect(error?.column == column) }
    #expect(error?.path == nil)
    #expect(error.map { !$0.message.isEmpty } == true)
  }

  @Test(arguments: malformedCases, [1, 7, 64, 100])
  func malformedInputThrowsTheSameErrorForAnyBlockSize(_ testCase: MalformedCase, blockSize: Int) throws {
    let error = #expect(throws: CSVError.self) {
      try CSV.read(bytes: Array(testCase.text.utf8), options: testCase.options, blockSize: blockSize)
    }
    #expect(error?.kind == testCase.kind)
    #expect(error?.line == testCase.line)
  }

  @Test func errorDescriptionNamesPathLineAndColumn() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("bad.csv").path
      try Data("a,b\n1,\"x\"y\n".utf8).write(to: URL(fileURLWithPath: path))
      let error = #expect(throws: CSVError.self) { try CSV.read(contentsOf: path) }
      #expect(error?.path == path)
      #expect(error?.description.hasPrefix("\(path): line 2, column `b`: ") == true)
    }
  }

  @Test func missingFileIsAnIOError() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("does-not-exist.csv").path
      let error = #expect(throws: CSVError.self) { try CSV.read(contentsOf: path) }
      #expect(error?.kind == .io)
      #expect(error?.path == path)
      let directoryError = #expect(throws: CSVError.self) { try CSV.read(contentsOf: directory.path) }
      #expect(directoryError?.kind == .io)
    }
  }

  /// Random damage to a valid file (quotes, delimiters, line breaks, truncation) must
  /// give a table or a `CSVError`, never a trap. The inference window covers the whole
  /// file here; see `fuzzedInputAfterInferenceWindow` for the other path.
  @Test(arguments: [1, 2, 3, 4])
  func fuzzedInputThrowsCSVErrorOrParses(seed: UInt64) throws {
    try fuzz(seed: seed, inferenceRowCount: 1000)
  }

  @Test(
    arguments: [1, 2, 3, 4])
  func fuzzedInputAfterInferenceWindow(seed: UInt64) throws {
    try fuzz(seed: seed, inferenceRowCount: 2)
  }

  private func fuzz(seed: UInt64, inferenceRowCount: Int) throws {
    let base = Array(
      "id,x,name,t\n1,1.5,\"a,b\",2020-01-01\n2,NA,\"q\"\"r\",2020-01-02T00:00:01Z\n3,2.5,\"x\ny\",\n4,-1e3,plain,2021-06-30\n5,7,z,2022-01-01\n"
        .utf8)
    let damage: [UInt8] = Array("\",\n\r x9.".utf8)
    var rng = Xoshiro256StarStar(seed: seed)
    for _ in 0..<300 {
      var bytes = base
      for _ in 0..<(1 + rng.nextInt(below: 3)) where !bytes.isEmpty {
        let position = rng.nextInt(below: bytes.count)
        switch rng.nextInt(below: 3) {
        case 0: bytes.insert(damage[rng.nextInt(below: damage.count)], at: position)
        case 1: bytes[position] = damage[rng.nextInt(below: damage.count)]
        default: bytes.removeSubrange(position...)
        }
      }
      do {
        let table = try CSV.read(
          bytes: bytes, options: .init(inferenceRowCount: inferenceRowCount), blockSize: 1 + rng.nextInt(below: 80))
        #expect(table.columns.allSatisfy { $0.count == table.rowCount })
      } catch let error as CSVError {
        #expect(!error.message.isEmpty)
      } catch {
        Issue.record("unexpected error type \(type(of: error)): \(error)")
      }
    }
  }
}
