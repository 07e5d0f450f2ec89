import Foundation
import HoneCore
import Testing

/// `CSV.write` and `CSV.string`: exact output for the quoting rules, and write → read
/// round trips that must give back the same table bit for bit (floats are written in
/// the shortest form that reads back to the same `Double`, so no tolerance).
@Suite struct CSVWriterTests {
  private static let awkwardText: [String?] = [
    "plain", "with, comma", "say \"hi\"", "two\nlines", "crlf\r\nline", "cr\ronly", " leading", "trailing ", "NA",
    "", "?", "null", "NaN", "N/A", nil, "é ünïcödé", "\"", ",", "1.5",
    // One Character each in Swift, a quote and a line break in bytes.
    "q\"\u{301}x", "\r\n",
  ]

  private static let floatValues: [Double] = [
    0, -0.0, 1, -1.5, 0.1, 1.0 / 3, .pi, 1e22, 1e23, 1e-300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    .infinity, -.infinity, .nan, 123_456_789.123_456_78, 2.5e-8, 0x1p53 + 2,
    // The smallest and (negated) the largest subnormal.
    .leastNonzeroMagnitude, -Double.leastNormalMagnitude.nextDown, 0.1 + 0.2,
  ]

  private static func sampleTable() throws -> Table {
    let n = awkwardText.count
    return try Table([
      .float("x", floatValues),
      .integer("i", [0, 1, -1, .max, .min] + (5..<n).map { Int64($0 * 1_000_003) }),
      .categorical("text", awkwardText),
      .timestamp(
        "when",
        nanosecondsSinceEpoch: (0..<n).map { k -> Int64 in
          // Whole days, whole seconds and odd nanoseconds, before and after the epoch.
          let k = Int64(k)
          let day: Int64 = 86_400_000_000_000
          return k == 3 ? Column.missingTimestamp : k * day - 1_000_000_000 * k * k + 7 * k
        }),
      .categorical("with space", (0..<n).map { $0 % 4 == 0 ? nil : "c\($0 % 3)" }),
    ])
  }

  @Test func roundTripThroughStringIsExact() throws {
    let table = try Self.sampleTable()
    #expect(table.rowCount == 21)
    let text = try CSV.string(table)
    let back = try CSV.read(string: text)
    #expect(identical(back, table), "\(text)")
    #expect(back.schema == table.schema)
  }

  @Test(arguments: [",", ";", "\t", "|"] as [Character], ["", "NA", "-"])
  func roundTripWithOptions(delimiter: Character, missingToken: String) throws {
    let table = try Self.sampleTable()
    let text = try CSV.string(table, options: .init(delimiter: delimiter, missingToken: missingToken))
    var tokens = CSVReadOptions.defaultMissingTokens
    if !tokens.contains(missingToken) { tokens.append(missingToken) }
    let back = try CSV.read(string: text, options: .init(delimiter: delimiter, missingTokens: tokens))
    #expect(identical(back, table))
  }

  @Test func withoutHeader() throws {
    let table = try Table([.integer("a", [1, 2]), .categorical("b", ["x", "y"])])
    let text = try CSV.string(table, options: .init(includeHeader: false))
    #expect(text == "1,x\n2,y\n")
    let back = try CSV.read(string: text, options: .init(hasHeader: false))
    #expect(back.columnNames == ["column_1", "column_2"])
    #expect(integers(back, "column_1") == [1, 2])
  }

  @Test func exactOutput() throws {
    let table = try Table([
      .categorical("name, full", ["a,b", "q\"r", "NA", "", " x", nil, "line\nbreak"]),
      .float("v", [1, 0.1, .nan, -0.0, 1e22, 2.5e-8, .infinity]),
      .timestamp(
        "t",
        nanosecondsSinceEpoch: [0, 1_500_000_000, Column.missingTimestamp, -1, 86_400_000_000_000, 60_000_000_000, 7]),
    ])
    let expected = """
      "name, full",v,t
      "a,b",1.0,1970-01-01
      "q""r",0.1,1970-01-01T00:00:01.5Z
      "NA",,
      "",-0.0,1969-12-31T23:59:59.999999999Z
      " x",1e+22,1970-01-02
      ,2.5e-08,1970-01-01T00:01:00Z
      "line
      break",inf,1970-01-01T00:00:00.000000007Z

      """
    #expect(try CSV.string(table) == expected)
  }

  @Test func emptyTable() throws {
    let table = try Table([.float("a", []), .integer("b", [])])
    let text = try CSV.string(table)
    #expect(text == "a,b\n")
    let back = try CSV.read(string: text)
    #expect(back.rowCount == 0 && back.columnNames == ["a", "b"])
  }

  @Test(arguments: ["\"", "\n", "\r", "é"] as [Character])
  func invalidDelimiterThrows(delimiter: Character) throws {
    let table = try Table([.integer("a", [1])])
    let error = #expect(throws: CSVError.self) { try CSV.string(table, options: .init(delimiter: delimiter)) }
    #expect(error?.kind == .invalidOption)
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("out.csv").path
      let fileError = #expect(throws: CSVError.self) {
        try CSV.write(table, to: path, options: .init(delimiter: delimiter))
      }
      #expect(fileError?.kind == .invalidOption)
      #expect(!FileManager.default.fileExists(atPath: path))
    }
  }

  @Test func writeToFileIsAtomicAndRoundTrips() throws {
    let table = try Self.sampleTable()
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("table.csv").path
      // Overwrite an existing file: the result is the new content only.
      try Data(String(repeating: "old content\n", count: 1000).utf8).write(to: URL(fileURLWithPath: path))
      try CSV.write(table, to: path)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["table.csv"])
      #expect(identical(try CSV.read(contentsOf: path), table))
      #expect(try String(contentsOfFile: path, encoding: .utf8) == CSV.string(table))
    }
  }

  @Test func writeIntoMissingDirectoryIsAnIOError() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("missing/table.csv").path
      let table = try Table([.integer("a", [1])])
      let error = #expect(throws: CSVError.self) { try CSV.write(table, to: path) }
      #expect(error?.kind == .io)
      #expect(error?.path == path)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }

  @Test func largeTableRoundTripsThroughAFile() throws {
    // More rows than the writer's 1 MiB buffer holds, so it flushes more than once.
    var rng = Xoshiro256StarStar(seed: 9)
    let n = 60_000
    let table = try Table([
      .float("u", (0..<n).map { _ in rng.nextGaussian() * 1e3 }),
      .integer("k", (0..<n).map { _ in Int64(bitPattern: rng.next()) }),
      .categorical("c", (0..<n).map { _ in ["a,b", "c\"d", nil, "e"][rng.nextInt(below: 4)] }),
    ])
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("large.csv").path
      try CSV.write(table, to: path)
      #expect(identical(try CSV.read(contentsOf: path), table))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["large.csv"])
    }
  }
}
