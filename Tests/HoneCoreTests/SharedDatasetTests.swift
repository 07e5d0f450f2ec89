import Foundation
import HoneCore
import Testing

/// Reads the real public datasets in `../shared/datasets` (or `$HONE_DATASETS`) and
/// checks Hone's CSV reader against statistics computed independently by Python's csv
/// module (`SharedFixtures/make_shared_dataset_fixtures.py`). Skips, saying so, when the
/// datasets are absent.
@Suite("Shared real datasets")
struct SharedDatasetTests {
  struct Reference: Decodable {
    struct ColumnReference: Decodable {
      let name: String
      let type: String
      let missing: Int
      let sum: Double?
      let distinct: Int?
    }
    let rows: Int
    let columns: [ColumnReference]
  }

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var datasetsDirectory: URL? {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    let url =
      configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }

  static let references: [String: Reference] = {
    let url = packageRoot.appendingPathComponent("Tests/HoneCoreTests/SharedFixtures/shared_datasets.json")
    guard let data = try? Data(contentsOf: url) else { return [:] }
    return (try? JSONDecoder().decode([String: Reference].self, from: data)) ?? [:]
  }()

  @Test(
    "CSV reader agrees with Python's csv module",
    .enabled(if: datasetsDirectory != nil, "shared datasets not found: set HONE_DATASETS or add ../shared/datasets"),
    arguments: references.keys.sorted())
  func readerMatchesReference(_ file: String) throws {
    let directory = try #require(Self.datasetsDirectory)
    let reference = try #require(Self.references[file])
    let table = try CSV.read(contentsOf: directory.appendingPathComponent(file).path)
    #expect(table.rowCount == reference.rows)
    #expect(table.columnNames == reference.columns.map(\.name))
    for expected in reference.columns {
      let column = try table.column(named: expected.name)
      #expect(column.type.rawValue == expected.type, "column \(expected.name)")
      #expect(column.missingCount == expected.missing, "column \(expected.name)")
      if let sum = expected.sum {
        let values = column.doubleValues.filter { !$0.isNaN }
        let total = values.reduce(0, +)
        // A left-to-right sum of n values differs from the exactly rounded fsum by at
        // most about n·ε·Σ|x|; n ≤ 41,188 here, so 1e-10 relative is a safe bound.
        let scale = values.reduce(0) { $0 + abs($1) }
        #expect(abs(total - sum) <= 1e-10 * max(scale, 1), "column \(expected.name)")
      }
      if let distinct = expected.distinct, case .categorical(let codes, let categories) = column.values {
        #expect(categories.count == distinct, "column \(expected.name)")
        #expect(Set(codes.filter { $0 >= 0 }).count == distinct, "column \(expected.name)")
      }
    }
  }
}
