import HoneCore
import HoneLinearAlgebra
import Testing

/// Building, selecting, filtering, splitting and converting tables. Values are copied,
/// never computed, so comparisons are exact; timestamps convert to seconds by dividing
/// whole seconds and halves by 1e9, which is exact for the values used.
@Suite struct TableTests {
  private static func sample() throws -> Table {
    try Table([
      .float("x", [1.5, .nan, -2, 4, 0.25]),
      .integer("n", [10, 20, 30, 40, 50]),
      .categorical("c", ["b", "a", nil, "b", "c"]),
      .timestamp(
        "t", nanosecondsSinceEpoch: [0, 1_500_000_000, Column.missingTimestamp, -2_000_000_000, 86_400_000_000_000]),
    ])
  }

  // MARK: - Construction

  @Test func initValidatesLengthsAndNames() throws {
    let unequal = #expect(throws: TableError.self) { try Table([.float("a", [1, 2]), .integer("b", [1])]) }
    #expect(unequal?.message.contains("`b` has 1 rows") == true)
    let duplicate = #expect(throws: TableError.self) { try Table([.float("a", [1]), .integer("a", [1])]) }
    #expect(duplicate?.message.contains("two columns are named `a`") == true)
    let empty = try Table([])
    #expect(empty.rowCount == 0 && empty.columnCount == 0)
  }

  @Test func columnInitValidatesCategoricalCodes() throws {
    #expect(throws: TableError.self) {
      try Column(name: "c", values: .categorical(codes: [0, 2], categories: ["a", "b"]))
    }
    #expect(throws: TableError.self) {
      try Column(name: "c", values: .categorical(codes: [-2], categories: ["a"]))
    }
    let valid = try Column(name: "c", values: .categorical(codes: [1, -1, 0], categories: ["a", "b"]))
    #expect(valid.missingCount == 1 && valid.text(at: 0) == "b" && valid.text(at: 1) == nil)
  }

  @Test func schemaAndLookup() throws {
    let table = try Self.sample()
    #expect(table.rowCount == 5 && table.columnCount == 4)
    #expect(table.columnNames == ["x", "n", "c", "t"])
    #expect(table.schema.type(of: "c") == .categorical && table.schema.type(of: "zz") == nil)
    #expect(table.schema.description == "x: float\nn: integer\nc: categorical\nt: timestamp")
    #expect(try table.columnIndex(of: "c") == 2)
    #expect(table["nope"] == nil)
    let error = #expect(throws: TableError.self) { try table.column(named: "nope") }
    #expect(error?.message.contains("no column named `nope`") == true)
    #expect(throws: TableError.self) { try table.columnIndex(of: "nope") }
  }

  @Test func missingValuesAndText() throws {
    let table = try Self.sample()
    #expect(table.columns.map(\.missingCount) == [1, 0, 1, 1])
    let t = try table.column(named: "t")
    #expect((0..<5).map { t.isMissing($0) } == [false, false, true, false, false])
    #expect(t.text(at: 1) == "1970-01-01T00:00:01.5Z")
    #expect(try table.column(named: "x").text(at: 1) == nil)
    #expect(try table.column(named: "n").text(at: 2) == "30")
  }

  @Test func settingAddsOrReplaces() throws {
    let table = try Self.sample()
    let added = try table.setting(.integer("m", [1, 2, 3, 4, 5]))
    #expect(added.columnNames == ["x", "n", "c", "t", "m"])
    let replaced = try table.setting(.float("n", [0, 0, 0, 0, 0]))
    #expect(replaced.columnNames == table.columnNames)
    #expect(floats(replaced, "n") == [0, 0, 0, 0, 0])
    #expect(throws: TableError.self) { try table.setting(.float("m", [1])) }
    let fromEmpty = try Table([]).setting(.integer("a", [1, 2]))
    #expect(fromEmpty.rowCount == 2)
  }

  // MARK: - Selection

  @Test func selectingAndDropping() throws {
    let table = try Self.sample()
    #expect(try table.selecting(["t", "x"]).columnNames == ["t", "x"])
    #expect(throws: TableError.self) { try table.selecting(["x", "nope"]) }
    #expect(table.selecting(types: [.float, .timestamp]).columnNames == ["x", "t"])
    #expect(table.selecting(types: []).columnCount == 0)
    #expect(try table.dropping(["n", "c"]).columnNames == ["x", "t"])
    #expect(throws: TableError.self) { try table.dropping(["nope"]) }
    #expect(try table.selecting(["n"]).rowCount == 5)
  }

  @Test func rowRanges() throws {
    let table = try Self.sample()
    let middle = try table.rows(1..<4)
    #expect(middle.rowCount == 3)
    #expect(integers(middle, "n") == [20, 30, 40])
    #expect(strings(middle, "c") == ["a", nil, "b"])
    #expect(try table.rows(2..<2).rowCount == 0)
    #expect(identical(try table.rows(0..<5), table))
    #expect(throws: TableError.self) { try table.rows(3..<6) }
  }

  @Test func rowsAtIndices() throws {
    let table = try Self.sample()
    let picked = try table.rows(at: [4, 0, 0, 2])
    #expect(integers(picked, "n") == [50, 10, 10, 30])
    #expect(bits(floats(picked, "x")) == bits([0.25, 1.5, 1.5, -2]))
    #expect(timestamps(picked, "t") == [86_400_000_000_000, 0, 0, Column.missingTimestamp])
    // Categories are shared, codes move with the rows.
    #expect(strings(picked, "c") == ["c", "b", "b", nil])
    #expect(throws: TableError.self) { try table.rows(at: [5]) }
    #expect(throws: TableError.self) { try table.rows(at: [-1]) }
  }

  @Test func filters() throws {
    let table = try Self.sample()
    let masked = try table.filter(mask: [true, false, true, false, true])
    #expect(integers(masked, "n") == [10, 30, 50])
    #expect(throws: TableError.self) { try table.filter(mask: [true]) }
    // NaN fails every comparison, so a missing x is never selected.
    let positive = try table.filter(column: "x") { $0 > 0 }
    #expect(integers(positive, "n") == [10, 40, 50])
    let byCode = try table.filter(column: "c") { $0 == 0 }  // code 0 is "b"
    #expect(integers(byCode, "n") == [10, 40])
    let bySeconds = try table.filter(column: "t") { $0 < 0 }
    #expect(integers(bySeconds, "n") == [40])
    #expect(throws: TableError.self) { try table.filter(column: "nope") { _ in true } }
    struct Stop: Error {}
    #expect(throws: Stop.self) { try table.filter(column: "n") { _ in throw Stop() } }
  }

  // MARK: - Matrices

  @Test func matrixConversions() throws {
    let table = try Self.sample()
    let m = try table.matrix()
    #expect(m.rows == 5 && m.columns == 4)
    let expected: [[Double]] = [
      [1.5, 10, 0, 0], [.nan, 20, 1, 1.5], [-2, 30, .nan, .nan], [4, 40, 0, -2], [0.25, 50, 2, 86_400],
    ]
    #expect(m.rowArrays.map { $0.map(\.bitPattern) } == expected.map { $0.map(\.bitPattern) })
    let chosen = try table.matrix(columns: ["n", "x"])
    #expect(chosen.columns == 2 && Array(chosen.column(0)) == [10, 20, 30, 40, 50])
    #expect(throws: TableError.self) { try table.matrix(columns: ["nope"]) }
    let none = try table.matrix(columns: [])
    #expect(none.rows == 5 && none.columns == 0)
  }

  @Test func tableFromMatrix() throws {
    let m = try Matrix([[1, 2], [3, 4], [5, 6]])
    let named = try Table(m, names: ["a", "b"])
    #expect(named.columnNames == ["a", "b"])
    #expect(floats(named, "a") == [1, 3, 5] && floats(named, "b") == [2, 4, 6])
    let unnamed = try Table(m)
    #expect(unnamed.columnNames == ["x0", "x1"])
    #expect(try unnamed.matrix() == m)
    #expect(throws: TableError.self) { try Table(m, names: ["a"]) }
    #expect(throws: TableError.self) { try Table(m, names: ["a", "a"]) }
  }

  // MARK: - Train/test split

  private static func numbered(_ count: Int) throws -> Table {
    try Table([.integer("id", (0..<count).map { Int64($0) }), .float("v", (0..<count).map { Double($0) / 4 })])
  }

  @Test(arguments: [10, 101, 1000], [0.1, 0.25, 0.5, 0.9])
  func splitIsDisjointCompleteAndSized(rowCount: Int, testFraction: Double) throws {
    let table = try Self.numbered(rowCount)
    let (train, test) = try table.trainTestSplit(testFraction: testFraction, seed: 42)
    let trainIDs = try #require(integers(train, "id"))
    let testIDs = try #require(integers(test, "id"))
    #expect(test.rowCount == Int((testFraction * Double(rowCount)).rounded()))
    #expect(train.rowCount + test.rowCount == rowCount)
    #expect(Set(trainIDs).isDisjoint(with: testIDs))
    #expect((trainIDs + testIDs).sorted() == (0..<Int64(rowCount)).map { $0 })
    // Rows stay whole: v is id / 4 in every row.
    #expect(try #require(floats(test, "v")) == testIDs.map { Double($0) / 4 })
  }

  @Test func splitIsDeterministicForASeed() throws {
    let table = try Self.numbered(200)
    let first = try table.trainTestSplit(testFraction: 0.3, seed: 7)
    let again = try table.trainTestSplit(testFraction: 0.3, seed: 7)
    let other = try table.trainTestSplit(testFraction: 0.3, seed: 8)
    #expect(identical(first.train, again.train) && identical(first.test, again.test))
    #expect(integers(first.test, "id") != integers(other.test, "id"))
    // The split is the permutation of Xoshiro256StarStar(seed: 7), last rows tested.
    var rng = Xoshiro256StarStar(seed: 7)
    let order = rng.permutation(200).map { Int64($0) }
    #expect(integers(first.train, "id") == Array(order[..<140]))
    #expect(integers(first.test, "id") == Array(order[140...]))
    let indices = try Table.splitIndices(rowCount: 200, testFraction: 0.3, seed: 7)
    #expect(indices.test.map { Int64($0) } == integers(first.test, "id"))
  }

  @Test func splitWithoutShuffleKeepsOrder() throws {
    let table = try Self.numbered(10)
    let (train, test) = try table.trainTestSplit(testFraction: 0.3, seed: 1, shuffle: false)
    #expect(integers(train, "id") == [0, 1, 2, 3, 4, 5, 6])
    #expect(integers(test, "id") == [7, 8, 9])
  }

  @Test(arguments: [0, 1, -0.1, 1.5, .nan, .infinity])
  func badFractionsThrow(testFraction: Double) throws {
    #expect(throws: TableError.self) { try Self.numbered(10).trainTestSplit(testFraction: testFraction) }
  }

  @Test func splitsLeavingAnEmptySideThrow() throws {
    // 0.01 of 10 rows rounds to 0 test rows; 0.99 of 10 rounds to 10.
    #expect(throws: TableError.self) { try Self.numbered(10).trainTestSplit(testFraction: 0.01) }
    #expect(throws: TableError.self) { try Self.numbered(10).trainTestSplit(testFraction: 0.99) }
    #expect(throws: TableError.self) { try Self.numbered(1).trainTestSplit(testFraction: 0.5) }
    #expect(throws: TableError.self) { try Table([]).trainTestSplit(testFraction: 0.5) }
  }
}

@Suite("Category lists across files")
struct TableCategoryTests {
  @Test("a second file's categories are re-encoded to the first file's codes; unseen ones become missing")
  func reencodes() throws {
    let training = try CSV.read(string: "color,size,y\nred,1,0\nblue,2,1\ngreen,3,0\n")
    let lists = training.categoryLists
    #expect(lists == ["color": ["red", "blue", "green"]])
    // The scoring file meets the categories in another order, with one the model never saw.
    let scoring = try CSV.read(string: "color,size,y\ngreen,1,0\npurple,2,1\nred,3,0\n,4,1\nblue,5,0\n")
    let (encoded, unseen) = try scoring.encodingCategories(lists)
    guard case .categorical(let codes, let categories) = try encoded.column(named: "color").values else {
      Issue.record("color is not categorical")
      return
    }
    #expect(categories == ["red", "blue", "green"])
    #expect(codes == [2, -1, 0, -1, 1])
    #expect(unseen == ["color": 1])
    #expect(try encoded.column(named: "size").doubleValues == [1, 2, 3, 4, 5])
  }

  @Test("a column read as numbers finds categories by their text")
  func numericColumn() throws {
    let lists = ["grade": ["A", "7", "3"]]
    let (integers, _) = try CSV.read(string: "grade\n3\n7\n9\n").encodingCategories(lists)
    guard case .categorical(let codes, _) = try integers.column(named: "grade").values else {
      Issue.record("grade is not categorical")
      return
    }
    #expect(codes == [2, 1, -1])
    let (floats, unseen) = try CSV.read(string: "grade\n3.0\n7.5\n7\n").encodingCategories(lists)
    guard case .categorical(let floatCodes, _) = try floats.column(named: "grade").values else {
      Issue.record("grade is not categorical")
      return
    }
    #expect(floatCodes == [2, -1, 1])
    #expect(unseen == ["grade": 1])
  }

  @Test("a list that repeats a category is refused")
  func repeatedCategory() throws {
    let table = try CSV.read(string: "c\nx\n")
    #expect(throws: TableError.self) { try table.encodingCategories(["c": ["x", "x"]]) }
  }
}
