import Foundation
import HoneCore
import HoneDatasets
import Testing

/// The loaders against the row counts and columns the datasets' README lists.
@Suite("Shared dataset loaders")
struct SharedDatasetsLoaderTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let shared = SharedDatasets.locate(from: packageRoot)
  static let skip: Comment = "shared datasets not found: set HONE_DATASETS or add ../shared/datasets"

  @Test(.enabled(if: shared != nil, skip))
  func tabularSetsHaveTheDocumentedShape() throws {
    let shared = try #require(Self.shared)
    let train = try shared.adult(.train)
    #expect(train.rowCount == 32561 && train.columnCount == 15)
    #expect(try shared.adult(.test).rowCount == 16281)
    // "?" was written as an empty cell: workclass has missing values, read as missing.
    #expect(try train.column(named: "workclass").missingCount > 0)
    #expect(try train.column(named: "income").type == .categorical)
    #expect(try shared.bankMarketing().rowCount == 41188)
    #expect(try shared.wineQuality(.red).rowCount == 1599)
    #expect(try shared.wineQuality(.white).rowCount == 4898)
    #expect(try shared.concrete().rowCount == 1030)
    let binary = try shared.lightGBMBinary(.train)
    #expect(binary.rowCount == 7000 && binary.columnCount == 29)
  }

  @Test(.enabled(if: shared != nil, skip))
  func stocksBecomeOneTimeOrderedPanel() throws {
    let shared = try #require(Self.shared)
    let panel = try shared.stocks(["AAPL", "MSFT"])
    #expect(panel.rowCount == 2 * 5402)
    guard case .timestamp(let stamps) = try panel.column(named: "timestamp").values else {
      Issue.record("no timestamps")
      return
    }
    #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 <= $1 })
    // The first day is 1999-11-01 for both tickers, AAPL first.
    guard case .categorical(let codes, let categories) = try panel.column(named: "symbol").values else {
      Issue.record("no symbols")
      return
    }
    #expect(codes.prefix(2).map { categories[Int($0)] } == ["AAPL", "MSFT"])
    #expect(stamps[0] == Timestamp.parse("1999-11-01"))
    // AAPL's first close as written in the file.
    let aapl = try CSV.read(contentsOf: shared.path("stocks_daily/AAPL.csv"))
    #expect(try panel.column(named: "close").doubleValues[0] == aapl.column(named: "close").doubleValues[0])
    #expect(throws: TableError.self) { try shared.stocks([]) }
  }

  @Test func locateHonoursTheEnvironmentAndReportsAbsence() {
    #expect(SharedDatasets.locate(from: Self.packageRoot, environment: ["HONE_DATASETS": "/no/such/folder"]) == nil)
    let here = SharedDatasets.locate(
      from: Self.packageRoot, environment: ["HONE_DATASETS": Self.packageRoot.appendingPathComponent("Datasets").path])
    #expect(here?.root.lastPathComponent == "Datasets")
  }
}
