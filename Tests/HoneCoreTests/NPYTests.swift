import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

/// The fixture description written by `Fixtures/make_npy_fixtures.py`.
private struct NPYFixtures: Decodable {
  struct Supported: Decodable, Sendable {
    let name: String
    let file: String
    let descr: String
    let shape: [Int]
    let fortranOrder: Bool
    /// Row-major (C-order) float values as `float.hex()` strings, exact.
    let hexValues: [String]?
    let integers: [Int64]?
  }
  struct Unsupported: Decodable, Sendable {
    let name: String
    let file: String
    let descr: String
  }
  let numpyVersion: String
  let supported: [Supported]
  let unsupported: [Unsupported]

  static func load() throws -> NPYFixtures { try loadFixture(NPYFixtures.self, "npy_fixtures.json") }
}

/// `.npy` encoding and decoding. Values move as raw bits, so every comparison is exact.
@Suite struct NPYTests {
  // MARK: - Round trips

  static let roundTripArrays: [(String, NPYArray)] = {
    func make(_ shape: [Int], _ values: NPYArray.Values, fortran: Bool = false) -> NPYArray {
      (try? NPYArray(shape: shape, values: values, isFortranOrder: fortran))
        ?? NPYArray(Matrix(rows: 0, columns: 0))
    }
    return [
      ("f8 1-D", make([5], .float64([0, -0.0, .pi, .nan, -.infinity]))),
      ("f8 2-D C", make([2, 3], .float64([1, 2, 3, 4, 5, 6]))),
      ("f8 2-D Fortran", make([2, 3], .float64([1, 4, 2, 5, 3, 6]), fortran: true)),
      ("f4 1-D", make([3], .float32([0.5, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]))),
      ("f4 2-D Fortran", make([2, 2], .float32([1, 2, 3, 4]), fortran: true)),
      ("i8 1-D", make([4], .int64([.min, -1, 0, .max]))),
      ("i8 2-D C", make([3, 1], .int64([7, 8, 9]))),
      ("scalar", make([], .float64([42]))),
      ("empty 0x3", make([0, 3], .float64([]))),
      ("3-D", make([2, 1, 2], .int64([1, 2, 3, 4]))),
    ]
  }()

  @Test(arguments: roundTripArrays)
  func encodeDecodeRoundTrip(name: String, array: NPYArray) throws {
    let decoded = try NPY.decode(NPY.encode(array))
    #expect(decoded.shape == array.shape)
    #expect(decoded.isFortranOrder == array.isFortranOrder)
    switch (decoded.values, array.values) {
    case (.float64(let a), .float64(let b)): #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    case (.float32(let a), .float32(let b)): #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    case (.int64(let a), .int64(let b)): #expect(a == b)
    default: Issue.record("element type changed: \(decoded.values) from \(array.values)")
    }
  }

  @Test(arguments: roundTripArrays)
  func headerLayout(name: String, array: NPYArray) throws {
    let bytes = NPY.encode(array)
    #expect(Array(bytes[0..<6]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])  // \x93NUMPY
    #expect(bytes[6] == 1 && bytes[7] == 0)  // version 1.0
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    #expect((10 + headerLength) % 64 == 0, "data must start on a 64-byte boundary")
    #expect(bytes[10 + headerLength - 1] == 0x0A, "the header ends with a newline")
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '"))
    #expect(header.contains("'fortran_order': \(array.isFortranOrder ? "True" : "False")"))
    let width = if case .float32 = array.values { 4 } else { 8 }
    #expect(bytes.count == 10 + headerLength + width * array.shape.reduce(1, *))
  }

  @Test func headerTextMatchesNumPy() throws {
    let array = try NPYArray(shape: [3, 4], values: .float64(Array(repeating: 0, count: 12)))
    let bytes = NPY.encode(array)
    let header = String(decoding: bytes[10...], as: UTF8.self).prefix { $0 != "\n" }
    #expect(
      header.trimmingCharacters(in: .whitespaces) == "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }")
    let vector = NPY.encode(try NPYArray(shape: [6], values: .int64(Array(repeating: 0, count: 6))))
    #expect(
      String(decoding: vector, as: UTF8.self).contains("'descr': '<i8', 'fortran_order': False, 'shape': (6,), }"))
  }

  @Test func writeAndReadFile() throws {
    let matrix = try Matrix([[1, 2, 3], [4, 5, 6]])
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("m.npy").path
      try NPY.write(NPYArray(matrix), to: path)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["m.npy"])
      let back = try NPY.read(contentsOf: path)
      #expect(back.isFortranOrder)
      #expect(try back.matrix() == matrix)
    }
  }

  @Test func matrixConversion() throws {
    let c = try NPYArray(shape: [2, 3], values: .float64([1, 2, 3, 4, 5, 6]))
    let f = try NPYArray(shape: [2, 3], values: .float64([1, 4, 2, 5, 3, 6]), isFortranOrder: true)
    let expected = try Matrix([[1, 2, 3], [4, 5, 6]])
    #expect(try c.matrix() == expected)
    #expect(try f.matrix() == expected)
    let vector = try NPYArray(shape: [3], values: .int64([1, 2, 3])).matrix()
    #expect(vector.rows == 3 && vector.columns == 1 && vector.storage == [1, 2, 3])
    let cube = try NPYArray(shape: [1, 1, 1], values: .float64([0]))
    #expect(throws: NPYError.self) { try cube.matrix() }
  }

  @Test func shapeMustMatchValueCount() {
    #expect(throws: NPYError.self) { try NPYArray(shape: [2, 2], values: .float64([1, 2, 3])) }
    #expect(throws: NPYError.self) { try NPYArray(shape: [-1], values: .float64([])) }
    #expect(throws: NPYError.self) { try NPYArray(shape: [Int.max, 3], values: .float64([])) }
  }

  // MARK: - Files written by NumPy

  @Test func numPyFixturesDecodeExactly() throws {
    let fixtures = try NPYFixtures.load()
    #expect(fixtures.supported.count == 5)
    for fixture in fixtures.supported {
      let array = try NPY.read(contentsOf: fixtureURL(fixture.file).path)
      #expect(array.shape == fixture.shape, "\(fixture.name)")
      #expect(array.isFortranOrder == fixture.fortranOrder, "\(fixture.name)")
      // The fixture lists values in C order; Hone keeps the file's storage order.
      let rows = fixture.shape.first ?? 1
      let columns = fixture.shape.count == 2 ? fixture.shape[1] : 1
      func cOrder<T>(_ storage: [T]) -> [T] {
        guard array.isFortranOrder else { return storage }
        return (0..<rows).flatMap { i in (0..<columns).map { j in storage[j * rows + i] } }
      }
      switch array.values {
      case .float64(let values):
        let expected = try (fixture.hexValues ?? []).map { try #require(Double($0)) }
        #expect(cOrder(values).map(\.bitPattern) == expected.map(\.bitPattern), "\(fixture.name)")
      case .float32(let values):
        let expected = try (fixture.hexValues ?? []).map { try #require(Double($0)) }
        #expect(cOrder(values).map { Double($0).bitPattern } == expected.map(\.bitPattern), "\(fixture.name)")
        #expect(fixture.descr == "<f4")
      case .int64(let values):
        #expect(cOrder(values) == fixture.integers, "\(fixture.name)")
      }
    }
  }

  @Test func numPyFixtureMatrices() throws {
    let c = try NPY.read(contentsOf: fixtureURL("npy/float64_c_3x4.npy").path).matrix()
    #expect(c.rows == 3 && c.columns == 4)
    #expect(c[0, 0] == .pi && c[0, 1] == -1.125 && c[2, 2] == 1.125 && c[2, 3] == -1e-300)
    let f = try NPY.read(contentsOf: fixtureURL("npy/float64_fortran_2x3.npy").path).matrix()
    #expect(f.rowArrays == [[0.1, 0.2, 0.30000000000000004], [0.4, 0.5, 0.6000000000000001]])
    let big = try NPY.read(contentsOf: fixtureURL("npy/float64_big_endian_1d.npy").path)
    // Big-endian bytes become native values: the middle element is exactly 2 * 0.3 - 0.6 = 0.
    guard case .float64(let values) = big.values else {
      Issue.record("expected float64 values")
      return
    }
    #expect(big.shape == [5] && values[0] == -0.6 && values[2] == 0)
  }

  /// Hone's encoding of the values NumPy saved is byte-for-byte NumPy's file, for the
  /// little-endian fixtures (Hone always writes little-endian).
  @Test func encodingReproducesNumPyFilesByteForByte() throws {
    for name in ["float64_c_3x4", "float64_fortran_2x3", "float32_2x2", "int64_1d"] {
      let bytes = try Array(Data(contentsOf: fixtureURL("npy/\(name).npy")))
      #expect(NPY.encode(try NPY.decode(bytes)) == bytes, "\(name)")
    }
  }

  @Test func unsupportedDtypesThrowAClearError() throws {
    let fixtures = try NPYFixtures.load()
    #expect(fixtures.unsupported.map(\.descr) == ["<U3", "|b1"])
    for fixture in fixtures.unsupported {
      let path = try fixtureURL(fixture.file).path
      let error = #expect(throws: NPYError.self) { try NPY.read(contentsOf: path) }
      #expect(error?.path == path)
      #expect(error?.message.contains("unsupported element type `\(fixture.descr)`") == true, "\(fixture.name)")
    }
  }

  // MARK: - Damaged input

  @Test func truncatedFilesThrow() throws {
    let bytes = try Array(Data(contentsOf: fixtureURL("npy/float64_c_3x4.npy")))
    for length in [0, 5, 9, 10, 20, 127, 128, 129, bytes.count - 8, bytes.count - 1] {
      let error = #expect(throws: NPYError.self, "\(length) bytes") { try NPY.decode(Array(bytes[..<length])) }
      #expect(error.map { !$0.message.isEmpty } == true)
    }
    let dataError = #expect(throws: NPYError.self) { try NPY.decode(Array(bytes.dropLast())) }
    #expect(dataError?.message.contains("truncated .npy data") == true)
  }

  @Test func malformedHeadersThrow() throws {
    func file(_ header: String, version: UInt8 = 1, data: [UInt8] = []) -> [UInt8] {
      var padded = header
      while (10 + padded.utf8.count + 1) % 64 != 0 { padded += " " }
      padded += "\n"
      let n = padded.utf8.count
      return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(padded.utf8)
        + data
    }
    let cases = [
      file(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", version: 4, data: Array(repeating: 0, count: 8)),
      file("{'fortran_order': False, 'shape': (1,), }", data: Array(repeating: 0, count: 8)),
      file("{'descr': '<f8', 'shape': (1,), }", data: Array(repeating: 0, count: 8)),
      file("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }", data: Array(repeating: 0, count: 8)),
      file("{'descr': '<f8', 'fortran_order': False, 'shape': (1, }"),
      file("{'descr': '<f8', 'fortran_order': False, 'shape': (a,), }"),
      file("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"),
      file("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", data: Array(repeating: 0, count: 16)),
      file("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", data: Array(repeating: 0, count: 8)),
      Array("not a numpy file at all".utf8),
    ]
    for bytes in cases {
      #expect(throws: NPYError.self) { try NPY.decode(bytes) }
    }
  }

  @Test func shapesWhoseSizeOverflowsThrow() throws {
    func file(shape: String) -> [UInt8] {
      var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
      while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
      header += "\n"
      let n = header.utf8.count
      return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8)
    }
    for shape in ["(9223372036854775807, 2)", "(4294967296, 4294967296)", "(1152921504606846976,)"] {
      #expect(throws: NPYError.self, "\(shape)") { try NPY.decode(file(shape: shape)) }
    }
  }

  @Test func missingFileThrows() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("nope.npy").path
      let error = #expect(throws: NPYError.self) { try NPY.read(contentsOf: path) }
      #expect(error?.path == path)
    }
  }
}
