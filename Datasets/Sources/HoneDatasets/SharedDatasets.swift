import Foundation
import HoneCore

/// Loaders for the real public datasets kept outside the repository, in
/// `../shared/datasets` next to the checkout (or wherever `HONE_DATASETS` points).
///
/// The files are never copied into the project; these loaders find them, read them with
/// the options each needs (missing-value tokens, column types) and return a ``Table``:
///
/// ```swift
/// if let shared = SharedDatasets.locate() {
///   let adult = try shared.adult(.train)           // 32,561 rows, income as a category
///   let panel = try shared.stocks(["AAPL", "MSFT"]) // one table, a `symbol` column, time order
/// }
/// ```
public struct SharedDatasets: Sendable {
  /// The folder holding the datasets.
  public let root: URL

  /// The environment variable that overrides where the datasets are.
  public static let environmentVariable = "HONE_DATASETS"

  /// Uses the datasets in `root`.
  public init(root: URL) { self.root = root }

  /// Finds the datasets: `$HONE_DATASETS` (relative paths against `base`), else
  /// `../shared/datasets` from `base`; `nil` when the folder does not exist.
  ///
  /// - Parameters:
  ///   - base: Where relative paths start; the working directory by default.
  ///   - environment: The environment to read `HONE_DATASETS` from.
  public static func locate(
    from base: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> SharedDatasets? {
    let url =
      environment[environmentVariable].map { URL(fileURLWithPath: $0, relativeTo: base) }
      ?? base.appendingPathComponent("../shared/datasets")
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      return nil
    }
    return SharedDatasets(root: url.standardizedFileURL)
  }

  /// The path of a file inside the datasets folder.
  public func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  /// The two parts of a dataset published as a training and a test file.
  public enum Split: String, Sendable, CaseIterable {
    case train, test
  }

  /// The UCI adult census income data: 14 attributes, `income` (`<=50K` / `>50K`) as a
  /// category; UCI's `?` is an empty cell, read as missing.
  ///
  /// - Throws: ``CSVError`` or a file error when the file is missing or malformed.
  public func adult(_ split: Split) throws -> Table {
    try CSV.read(
      contentsOf: path("adult/adult_\(split.rawValue).csv"),
      options: CSVReadOptions(missingTokens: [""], types: ["income": .categorical]))
  }

  /// The UCI bank marketing data (`y` is `no`/`yes`; `duration` leaks the target, as the
  /// UCI notes say — drop it for realistic models).
  ///
  /// - Throws: ``CSVError`` or a file error.
  public func bankMarketing() throws -> Table {
    try CSV.read(contentsOf: path("bank_marketing/bank-additional-full.csv"))
  }

  /// The two wine quality sets.
  public enum Wine: String, Sendable, CaseIterable {
    case red, white
  }

  /// The UCI wine quality data: 11 physico-chemical measurements and `quality` (an integer
  /// score).
  ///
  /// - Throws: ``CSVError`` or a file error.
  public func wineQuality(_ wine: Wine) throws -> Table {
    try CSV.read(contentsOf: path("wine_quality/winequality-\(wine.rawValue).csv"))
  }

  /// The concrete compressive strength data (regression on `compressive_strength`).
  ///
  /// - Throws: ``CSVError`` or a file error.
  public func concrete() throws -> Table {
    try CSV.read(contentsOf: path("concrete/concrete.csv"))
  }

  /// LightGBM's binary example (rows of UCI HIGGS): `label` and `f1` … `f28`.
  ///
  /// - Throws: ``CSVError`` or a file error.
  public func lightGBMBinary(_ split: Split) throws -> Table {
    try CSV.read(contentsOf: path("lightgbm/binary_\(split.rawValue).csv"))
  }

  /// The tickers of `stocks_daily/`.
  public static let tickers = ["AAPL", "MSFT", "AMZN", "JPM", "XOM", "JNJ", "PG", "KO", "WMT", "INTC", "CSCO", "PFE"]

  /// Daily bars of one or more tickers as one panel: the files' columns plus a `symbol`
  /// category, rows in time order and, within a day, in the order of `tickers`.
  ///
  /// - Parameter tickers: Which files of `stocks_daily/` to read.
  /// - Throws: ``TableError`` for no ticker or files whose columns differ; ``CSVError`` or a
  ///   file error.
  public func stocks(_ tickers: [String]) throws -> Table {
    guard !tickers.isEmpty else { throw TableError("stocks: name at least one ticker, e.g. AAPL") }
    var stamps: [Int64] = []
    var symbols: [String?] = []
    var numbers: [String: [Double]] = [:]
    var names: [String] = []
    for ticker in tickers {
      let table = try CSV.read(contentsOf: path("stocks_daily/\(ticker).csv"))
      let columns = table.schema.names.filter { $0 != "timestamp" }
      if names.isEmpty {
        names = columns
      } else if names != columns {
        throw TableError("stocks: \(ticker).csv has the columns \(columns), the first file \(names)")
      }
      guard case .timestamp(let days) = try table.column(named: "timestamp").values else {
        throw TableError("stocks: \(ticker).csv has no timestamp column of dates")
      }
      stamps += days
      symbols += [String?](repeating: ticker, count: table.rowCount)
      for name in names { numbers[name, default: []] += try table.column(named: name).doubleValues }
    }
    let order = stamps.indices.sorted { stamps[$0] != stamps[$1] ? stamps[$0] < stamps[$1] : $0 < $1 }
    var columns: [Column] = [
      .timestamp("timestamp", nanosecondsSinceEpoch: order.map { stamps[$0] }),
      .categorical("symbol", order.map { symbols[$0] }),
    ]
    for name in names {
      let values = numbers[name] ?? []
      columns.append(.float(name, order.map { values[$0] }))
    }
    return try Table(columns)
  }
}
