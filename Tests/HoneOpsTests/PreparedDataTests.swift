import Foundation
import HoneCore
import HoneDatasets
import HonePipeline
import Testing

@testable import HoneOps

@Suite("Prepared run data: features, labels, holdout")
struct PreparedDataTests {
  static let prices = OHLCVColumns(symbol: "symbol")

  static func marketConfiguration(holdout: HoldoutConfiguration = .fraction(0.2)) -> RunConfiguration {
    RunConfiguration(
      data: DataConfiguration(paths: []),
      target: TargetConfiguration(.forwardReturn(ForwardReturnLabel(horizon: 1, columns: prices))),
      features: FeatureConfiguration(
        columns: .none, prices: prices,
        recipes: [.logReturn(column: "close", horizon: 1), .lag(column: "close", periods: 3)]
      ),
      holdout: holdout, models: [ModelCandidate(kind: .ridge)])
  }

  /// Labels, forward returns, warm-up rows and the holdout, recomputed by hand from the
  /// closing prices of a three-symbol panel.
  @Test func aForwardReturnPanelIsPreparedAsComputedByHand() throws {
    let market = try SyntheticMarket.generate(.init(symbols: ["A", "B", "C"], days: 100, seed: 3))
    let prepared = try PreparedData.prepare(market, dataHash: "x", configuration: Self.marketConfiguration())
    #expect(prepared.task == .regression)
    #expect(prepared.featureNames.count == 2)
    let close = try market.column(named: "close").doubleValues
    // Per symbol, rows 3 ... 98 keep (lag 3 warm-up; the last day has no forward return).
    #expect(prepared.table.rowCount == 3 * 96)
    let target = try prepared.table.column(named: PreparedData.targetColumn).doubleValues
    guard case .timestamp(let stamps) = try market.column(named: "timestamp").values else {
      Issue.record("no timestamps")
      return
    }
    // Row k of the prepared table is market row 9 + k (rows are day-major, 3 symbols a day).
    for k in 0..<prepared.table.rowCount {
      let row = 9 + k
      let expected = close[row + 3] / close[row] - 1
      #expect(abs(target[k] - expected) <= 1e-15 * abs(expected) + 1e-17)
      #expect(prepared.forwardReturns?[k] == target[k])
      #expect(prepared.periods[k] == stamps[row])
    }
    #expect(prepared.symbols?.prefix(3) == ["A", "B", "C"])
    // 96 days: the holdout takes the last ⌈0.2 · 288⌉ = 58 rows rounded up to whole days
    // (20 days = 60 rows); the day before has labels ending on the first holdout day.
    #expect(prepared.holdoutRows == Array((288 - 60)..<288))
    #expect(prepared.purgedRows == 3)
    #expect(prepared.trainingRows == Array(0..<(288 - 63)))
    let split = try prepared.trainingSplitData()
    #expect(split.rowCount == prepared.trainingRows.count)
    #expect(split.targets == nil)
  }

  @Test func aClassColumnIsInferredAsClassificationAndIgnoredColumnsLeaveTheFeatures() throws {
    let table = try Table([
      .float("x", (0..<40).map { Double($0) }),
      .float("noise", (0..<40).map { Double($0 % 7) }),
      .integer("y", (0..<40).map { Int64($0 % 2) }),
    ])
    let configuration = RunConfiguration(
      data: DataConfiguration(paths: []), target: TargetConfiguration(.column("y")),
      features: FeatureConfiguration(columns: .list(["x"])), holdout: .rows(10), models: [ModelCandidate(kind: .gbdt)])
    let prepared = try PreparedData.prepare(table, dataHash: "x", configuration: configuration)
    #expect(prepared.task == .classification)
    #expect(prepared.classes == [0, 1])
    #expect(prepared.featureNames == ["x"])
    #expect(prepared.holdoutRows == Array(30..<40))
    #expect(prepared.trainingRows == Array(0..<30))
    #expect(try prepared.trainingSplitData().targets == (0..<30).map { Double($0 % 2) })
  }

  /// The backtest's realised-return column is the outcome: left out of `all` features,
  /// refused when listed (it used to become an input, a look-ahead in every fold).
  @Test func theBacktestsRealisedReturnsAreNeverAFeature() throws {
    let table = try Table([
      .float("x", (0..<40).map { Double($0) }), .float("forward", (0..<40).map { Double($0 % 5) / 100 }),
      .float("y", (0..<40).map { Double($0 % 3) }),
    ])
    var configuration = RunConfiguration(
      data: DataConfiguration(paths: []), target: TargetConfiguration(.column("y")),
      features: FeatureConfiguration(columns: .all), holdout: .rows(10), models: [ModelCandidate(kind: .ridge)])
    configuration.backtest = BacktestConfiguration(enabled: true, returns: "forward")
    let prepared = try PreparedData.prepare(table, dataHash: "x", configuration: configuration)
    #expect(prepared.featureNames == ["x"])
    configuration.features = FeatureConfiguration(columns: .list(["x", "forward"]))
    #expect(throws: RunDataError.self) { try PreparedData.prepare(table, dataHash: "x", configuration: configuration) }
  }

  @Test func severalCSVFilesAreReadAsOneAndHeadersMustAgree() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-prepared-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("a.csv").path
    let b = folder.appendingPathComponent("b.csv").path
    let c = folder.appendingPathComponent("c.csv").path
    try "x,y\n1,2\n3,4".write(toFile: a, atomically: true, encoding: .utf8)
    try "x,y\n5,6\n".write(toFile: b, atomically: true, encoding: .utf8)
    try "x,z\n5,6\n".write(toFile: c, atomically: true, encoding: .utf8)
    let (table, hash) = try PreparedData.load(DataConfiguration(paths: [a, b]))
    #expect(try table.column(named: "x").doubleValues == [1, 3, 5])
    // The hash covers the files' bytes, in order.
    #expect(hash == SHA256.hexDigest(Array("x,y\n1,2\n3,4x,y\n5,6\n".utf8)))
    #expect(throws: RunDataError.self) { try PreparedData.load(DataConfiguration(paths: [a, c])) }
    #expect(throws: RunDataError.self) { try PreparedData.load(DataConfiguration(paths: [a], ignore: ["nope"])) }
    #expect(throws: RunDataError.self) { try PreparedData.load(DataConfiguration(paths: [])) }
    #expect(throws: RunDataError.self) {
      try PreparedData.load(DataConfiguration(paths: [folder.appendingPathComponent("missing.csv").path]))
    }
  }

  /// One file per ticker: each file's name becomes its rows' symbol and the rows are put
  /// in time order, files in the given order within a day.
  @Test func oneFilePerSymbolBecomesATimeOrderedPanel() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-panel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("AAA.csv").path
    let b = folder.appendingPathComponent("BBB.csv").path
    try "timestamp,close\n2024-01-02,10\n2024-01-03,11\n".write(toFile: a, atomically: true, encoding: .utf8)
    try "timestamp,close\n2024-01-02,20.5\n2024-01-04,21\n".write(toFile: b, atomically: true, encoding: .utf8)
    let (table, _) = try PreparedData.load(DataConfiguration(paths: [a, b], timestamp: "timestamp", symbol: "symbol"))
    #expect(try table.column(named: "close").doubleValues == [10, 20.5, 11, 21])
    guard case .categorical(let codes, let categories) = try table.column(named: "symbol").values else {
      Issue.record("no symbol column")
      return
    }
    #expect(codes.map { categories[Int($0)] } == ["AAA", "BBB", "AAA", "BBB"])
  }

  /// One file listing a panel symbol by symbol is put in time order too (stably, so a
  /// day's rows keep the file's symbol order): before, only several files were sorted,
  /// and a time-ordered split of this file took a later symbol's whole history as the
  /// future of the earlier one's.
  @Test func aSymbolBySymbolFileBecomesATimeOrderedPanel() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-panel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("panel.csv").path
    try "timestamp,symbol,close\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-02,BBB,20\n2024-01-03,BBB,21\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    let (table, _) = try PreparedData.load(DataConfiguration(paths: [path], timestamp: "timestamp", symbol: "symbol"))
    #expect(try table.column(named: "close").doubleValues == [10, 20, 11, 21])
  }

  /// A time-ordered split whose gap is shorter than the labels' reach is refused: three
  /// symbols and a 1-day forward return put each label's end 3 rows ahead in the panel,
  /// so `gap: 2` would train on test-period prices and `gap: 3` is enough.
  @Test func aTimeOrderedSplitMustGapTheLabelsReach() throws {
    let market = try SyntheticMarket.generate(.init(symbols: ["A", "B", "C"], days: 60, seed: 3))
    var configuration = Self.marketConfiguration()
    configuration.split = .timeSeries(splits: 3, maxTrainSize: nil, testSize: nil, gap: 2)
    let error = try #require(throws: RunDataError.self) {
      try PreparedData.prepare(market, dataHash: "x", configuration: configuration)
    }
    #expect(error.description.contains("labels reach up to 3 rows ahead"))
    configuration.split = .timeSeries(splits: 3, maxTrainSize: nil, testSize: nil, gap: 3)
    _ = try PreparedData.prepare(market, dataHash: "x", configuration: configuration)
    configuration.split = .walkForward(window: .rolling(size: 30), testSize: 10, step: 10, gap: 0)
    #expect(throws: RunDataError.self) { try PreparedData.prepare(market, dataHash: "x", configuration: configuration) }
  }

  /// Stratified folds on a target taken as regression are refused in the configuration's
  /// terms, not with the splitter's API-level message.
  @Test func stratifiedFoldsOnARegressionTargetAreRefused() throws {
    let table = try Table([.float("x", (0..<40).map { Double($0) }), .float("y", (0..<40).map { Double($0) / 7 })])
    var configuration = RunConfiguration(
      data: DataConfiguration(paths: []), target: TargetConfiguration(.column("y")),
      features: FeatureConfiguration(columns: .all), holdout: .rows(10), models: [ModelCandidate(kind: .ridge)])
    configuration.split = .stratified(folds: 5, shuffle: false)
    let error = try #require(throws: RunDataError.self) {
      try PreparedData.prepare(table, dataHash: "x", configuration: configuration)
    }
    #expect(error.description.contains("set target.task: classification, or use kfold"))
  }

  @Test func badTargetsAndTooLittleDataThrow() throws {
    let table = try Table([.float("x", (0..<40).map { Double($0) }), .float("y", [Double](repeating: 1, count: 40))])
    func configuration(_ target: String, holdout: HoldoutConfiguration = .fraction(0.2)) -> RunConfiguration {
      RunConfiguration(
        data: DataConfiguration(paths: []), target: TargetConfiguration(.column(target), task: .classification),
        holdout: holdout, models: [ModelCandidate(kind: .gbdt)])
    }
    #expect(throws: RunDataError.self) {
      try PreparedData.prepare(table, dataHash: "", configuration: configuration("z"))
    }
    // A single class cannot train a classifier.
    #expect(throws: RunDataError.self) {
      try PreparedData.prepare(table, dataHash: "", configuration: configuration("y"))
    }
    #expect(throws: RunDataError.self) {
      try PreparedData.prepare(table, dataHash: "", configuration: configuration("x", holdout: .fraction(0.9)))
    }
  }
}
