import Foundation
import HoneCore
import Testing

/// A fixture file bundled with the test target.
func fixtureURL(_ relativePath: String) throws -> URL {
  let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures").appendingPathComponent(
    relativePath)
  try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(relativePath)")
  return url
}

/// Decodes a JSON fixture bundled with the test target.
func loadFixture<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
  try JSONDecoder().decode(T.self, from: Data(contentsOf: fixtureURL(name)))
}

/// A fresh, empty directory under the system temporary directory, removed by `body`'s end.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "HoneCoreTests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try body(directory)
}

/// Whether two tables hold the same names, types and values, comparing floats by bit
/// pattern: `Table ==` compares with `Double ==`, for which NaN (missing) is never equal
/// to itself, and -0.0 equals 0.0.
func identical(_ a: Table, _ b: Table) -> Bool {
  guard a.rowCount == b.rowCount, a.columns.count == b.columns.count else { return false }
  for (x, y) in zip(a.columns, b.columns) {
    guard x.name == y.name else { return false }
    switch (x.values, y.values) {
    case (.float(let u), .float(let v)):
      guard u.map(\.bitPattern) == v.map(\.bitPattern) else { return false }
    default:
      guard x.values == y.values else { return false }
    }
  }
  return true
}

/// The values of a float column, or `nil` for a column of another type.
func floats(_ table: Table, _ name: String) -> [Double]? {
  guard case .float(let values) = table[name]?.values else { return nil }
  return values
}

/// The values of an integer column, or `nil` for a column of another type.
func integers(_ table: Table, _ name: String) -> [Int64]? {
  guard case .integer(let values) = table[name]?.values else { return nil }
  return values
}

/// The values of a timestamp column, or `nil` for a column of another type.
func timestamps(_ table: Table, _ name: String) -> [Int64]? {
  guard case .timestamp(let values) = table[name]?.values else { return nil }
  return values
}

/// The strings of a categorical column (`nil` for missing), or `nil` for another type.
func strings(_ table: Table, _ name: String) -> [String?]? {
  guard case .categorical(let codes, let categories) = table[name]?.values else { return nil }
  return codes.map { $0 < 0 ? nil : categories[Int($0)] }
}

/// Bit patterns, so that arrays with NaN compare equal when their bits are equal.
func bits(_ values: [Double]?) -> [UInt64]? { values?.map(\.bitPattern) }
