import Foundation
import HoneCore
import Testing

/// Records that span read blocks, the two-thread path for large unquoted blocks, and a
/// file of a million rows. Results must not depend on the block size or thread count, so
/// tables are compared bit for bit; sums are of dyadic fractions well below 2⁵³, so they
/// are exact whatever the summation order.
@Suite struct CSVStreamingTests {
  // MARK: - Block boundaries

  /// Quotes with embedded delimiters, quotes and line breaks, all three line endings, a
  /// BOM, missing values, a field longer than the smallest block, a blank line, and an
  /// integer column that turns float at row 300.
  static let richText: String = {
    var text = "\u{FEFF}id,price,name,when,count,note\r\n"
    text += "1,1.5,\"Smith, John\",2020-01-01,1,plain\r\n"
    text += "2,,\"He said \"\"hi\"\"\",2020-01-02T03:04:05Z,2,\"multi\nline\r\nfield\"\r"
    text += "3,2.25,NA,,3,\"NA\"\n"
    text += "4,1e3,\"\(String(repeating: "long name ", count: 30))\",2020-01-03 10:00:00+01:00,4,x\n"
    text += "\n"
    text += "5,-0,é,2020-01-04,5,\"\"\n"
    for i in 6..<400 {
      let price = i % 11 == 0 ? "NA" : "\(Double(i) * 0.125)"
      let name = i % 7 == 0 ? "\"q\(i % 3),\"\"\(i)\"\"\"" : "n\(i % 13)"
      let when = "2021-0\(1 + i % 9)-1\(i % 10)T0\(i % 10):00:00Z"
      let count = i == 300 ? "7.5" : "\(i)"
      let note = i % 5 == 0 ? "\"line\nbreak \(i)\"" : "note\(i % 4)"
      let ending = ["\n", "\r\n", "\r"][i % 3]
      text += "\(i),\(price),\(name),\(when),\(count),\(note)\(ending)"
    }
    return text
  }()

  @Test func richTextParsesToTheExpectedValues() throws {
    let table = try CSV.read(string: Self.richText)
    #expect(table.rowCount == 399)
    #expect(table.columnNames == ["id", "price", "name", "when", "count", "note"])
    #expect(table.schema.fields.map(\.type) == [.integer, .float, .categorical, .timestamp, .float, .categorical])
    #expect(integers(table, "id") == (1..<400).map { Int64($0) })
    let names = try #require(strings(table, "name"))
    #expect(
      Array(names[0..<6]) == [
        "Smith, John", "He said \"hi\"", nil, String(repeating: "long name ", count: 30), "é", "n6",
      ])
    #expect(names[6] == "q1,\"7\"")
    let notes = try #require(strings(table, "note"))
    #expect(Array(notes[0..<5]) == ["plain", "multi\nline\r\nfield", "NA", "x", ""])
    #expect(notes[9] == "line\nbreak 10")
    let prices = try #require(floats(table, "price"))
    #expect(prices[4].bitPattern == (-0.0).bitPattern)
    #expect(prices[10].isNaN && prices[11] == 12 * 0.125)
    let counts = try #require(floats(table, "count"))
    #expect(counts[299] == 7.5 && counts[298] == 299 && counts[300] == 301)  // id i is row i - 1
    #expect(try #require(timestamps(table, "when"))[2] == Column.missingTimestamp)
  }

  @Test(arguments: [1, 7, 63, 64, 65, 100, 333, 4096], [3, 1000])
  func blockSizeDoesNotChangeTheTable(blockSize: Int, inferenceRowCount: Int) throws {
    let expected = try CSV.read(string: Self.richText)
    let table = try CSV.read(
      bytes: Array(Self.richText.utf8), options: .init(inferenceRowCount: inferenceRowCount), blockSize: blockSize)
    #expect(identical(table, expected))
  }

  @Test(arguments: [1, 7, 64, 65, 4096])
  func lineNumbersDoNotDependOnBlockSize(blockSize: Int) throws {
    // The short record is on the line after the last line break of richText.
    let lineCount = Self.richText.reduce(into: 1) { count, c in
      if c == "\n" || c == "\r\n" || c == "\r" { count += 1 }
    }
    let text = Self.richText + "400,1\n"
    let error = #expect(throws: CSVError.self) {
      try CSV.read(bytes: Array(text.utf8), options: .init(inferenceRowCount: 3), blockSize: blockSize)
    }
    #expect(error?.kind == .raggedRow(expected: 6, found: 2))
    #expect(error?.line == lineCount)
  }

  // MARK: - Two threads

  /// A large unquoted CSV and the table it must parse to, built independently.
  struct LargeCSV {
    var bytes: [UInt8] = []
    var expected: Table
    /// The first row of the late changes: new categories, an integer turning float.
    var lateRow: Int
  }

  enum Damage {
    case none
    /// A record with two fields, `offset` rows after the late row.
    case shortRecord(offset: Int)
    /// `4x` in the float column, `offset` rows after the late row.
    case notANumber(offset: Int)
  }

  /// Rows `id,value,group,count` until `totalBytes`. From the row that starts at
  /// `lateOffset` bytes on, every fourth group is a new category, and ten rows later one
  /// count is `3.5`, so the integer column becomes float there.
  static func makeLargeCSV(totalBytes: Int, lateOffset: Int, damage: Damage = .none) throws -> LargeCSV {
    var bytes = Array("id,value,group,count\n".utf8)
    bytes.reserveCapacity(totalBytes + 64)
    var ids: [Int64] = []
    var values: [Double] = []
    var groups: [String?] = []
    var counts: [Double] = []
    var lateRow: Int?
    var i = 0
    while bytes.count < totalBytes {
      if lateRow == nil && bytes.count >= lateOffset { lateRow = i }
      let late = lateRow.map { i - $0 }
      let value = i % 97 == 0 ? Double.nan : Double(i % 1000) * 0.25 - 100
      let group = late != nil && i % 4 == 0 ? "late\(i % 3)" : "g\(i % 5)"
      let count = late == 10 ? 3.5 : Double(i % 7)
      var valueText = value.isNaN ? "NA" : value.description
      if case .notANumber(let offset) = damage, late == offset { valueText = "4x" }
      var line = "\(i),\(valueText),\(group),\(late == 10 ? "3.5" : String(i % 7))\n"
      if case .shortRecord(let offset) = damage, late == offset { line = "\(i),\(valueText)\n" }
      bytes.append(contentsOf: line.utf8)
      ids.append(Int64(i))
      values.append(value)
      groups.append(group)
      counts.append(count)
      i += 1
    }
    let expected = try Table([
      .integer("id", ids), .float("value", values), .categorical("group", groups), .float("count", counts),
    ])
    return LargeCSV(bytes: bytes, expected: expected, lateRow: try #require(lateRow))
  }

  /// How a large input reaches the parser. The first block is always parsed serially
  /// (types are inferred there); a later block of at least 1 MiB without quotes is split
  /// at the line break nearest its middle and parsed on two threads. The late changes sit
  /// in the second half of the second block.
  enum Source: CustomTestStringConvertible, CaseIterable {
    /// `CSV.read(bytes:)` with 1.5 MiB blocks: the second block is about 1.5–3 MiB. (With
    /// 1 MiB blocks no block would reach 1 MiB once cut back to its last line break.)
    case bytesInSmallBlocks
    /// `CSV.read(contentsOf:)` with the default 4 MiB blocks: the second block is 4–6.5 MiB.
    case fileInDefaultBlocks

    var totalBytes: Int { self == .bytesInSmallBlocks ? 3_300_000 : 6_800_000 }
    var lateOffset: Int { self == .bytesInSmallBlocks ? 2_500_000 : 5_700_000 }
    var testDescription: String { self == .bytesInSmallBlocks ? "bytes, 1.5 MiB blocks" : "file, 4 MiB blocks" }

    func read(_ bytes: [UInt8], threadCount: Int) throws -> Table {
      let options = CSVReadOptions(threadCount: threadCount)
      switch self {
      case .bytesInSmallBlocks:
        return try CSV.read(bytes: bytes, options: options, blockSize: 3 << 19)
      case .fileInDefaultBlocks:
        return try withTemporaryDirectory { directory in
          let url = directory.appendingPathComponent("large.csv")
          try Data(bytes).write(to: url)
          return try CSV.read(contentsOf: url.path, options: options)
        }
      }
    }
  }

  @Test(arguments: Source.allCases)
  func twoThreadsGiveTheSameTableAsOne(source: Source) throws {
    let data = try Self.makeLargeCSV(totalBytes: source.totalBytes, lateOffset: source.lateOffset)
    let serial = try source.read(data.bytes, threadCount: 1)
    let parallel = try source.read(data.bytes, threadCount: 2)
    #expect(identical(serial, data.expected))
    #expect(identical(parallel, data.expected))
    // The late categories exist, and only after the late row.
    guard case .categorical(let codes, let categories) = parallel["group"]?.values else {
      Issue.record("group is not categorical")
      return
    }
    #expect(Set(categories) == ["g0", "g1", "g2", "g3", "g4", "late0", "late1", "late2"])
    #expect(codes[..<data.lateRow].allSatisfy { $0 < 5 })
    #expect(parallel["count"]?.type == .float)
    #expect(parallel.rowCount > 100_000)
  }

  @Test(arguments: Source.allCases)
  func shortRecordInSecondHalfReportsItsAbsoluteLine(source: Source) throws {
    let data = try Self.makeLargeCSV(
      totalBytes: source.totalBytes, lateOffset: source.lateOffset, damage: .shortRecord(offset: 20))
    for threadCount in [1, 2] {
      let error = #expect(throws: CSVError.self) { try source.read(data.bytes, threadCount: threadCount) }
      #expect(error?.kind == .raggedRow(expected: 4, found: 2))
      // Line 1 is the header, so row r is on line r + 2.
      #expect(error?.line == data.lateRow + 20 + 2, "threadCount \(threadCount)")
    }
  }

  @Test(
    arguments: Source.allCases)
  func typeErrorInSecondHalfReportsItsAbsoluteLine(source: Source) throws {
    let data = try Self.makeLargeCSV(
      totalBytes: source.totalBytes, lateOffset: source.lateOffset, damage: .notANumber(offset: 30))
    for threadCount in [1, 2] {
      let error = #expect(throws: CSVError.self) { try source.read(data.bytes, threadCount: threadCount) }
      #expect(error?.kind == .typeMismatch(value: "4x", expected: .float))
      #expect(error?.line == data.lateRow + 30 + 2, "threadCount \(threadCount)")
      #expect(error?.column == "value")
    }
  }

  // MARK: - A million rows

  @Test func millionRowFile() throws {
    let rowCount = 1_000_000
    let labels = ["alpha", "beta", "gamma"]
    var bytes = Array("id,x,label\n".utf8)
    bytes.reserveCapacity(rowCount * 22)
    var idSum: Int64 = 0
    var xSum = 0.0
    var labelCounts = [0, 0, 0]
    for i in 0..<rowCount {
      // Quarters below 1024: every partial sum is a multiple of 0.25 below 2^30, exact in a Double.
      let x = Double(i % 4096) * 0.25
      idSum += Int64(i)
      xSum += x
      labelCounts[i % 3] += 1
      bytes.append(contentsOf: "\(i),\(x),\(labels[i % 3])\n".utf8)
    }
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("million.csv").path
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let table = try CSV.read(contentsOf: path)
      #expect(table.rowCount == rowCount)
      #expect(table.schema.fields.map(\.type) == [.integer, .float, .categorical])
      #expect(try #require(integers(table, "id")).reduce(0, +) == idSum)
      #expect(try #require(floats(table, "x")).reduce(0, +) == xSum)
      guard case .categorical(let codes, let categories) = table["label"]?.values else {
        Issue.record("label is not categorical")
        return
      }
      #expect(categories == labels)
      var counted = [0, 0, 0]
      for code in codes { counted[Int(code)] += 1 }
      #expect(counted == labelCounts)
    }
  }
}
