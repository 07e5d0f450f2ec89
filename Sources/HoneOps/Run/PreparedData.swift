import Foundation
import HoneCore
import HonePipeline

/// A run's data after ingestion, features and labels: the modelling table, what the
/// splitter and the backtest need per row, and the untouched holdout.
///
/// Rows are the labelled rows whose recipe features are past their warm-up, in the input's
/// order (time order for market data). Row `i` of ``table`` is row `i` of every per-row
/// array here.
public struct PreparedData: Sendable {
  /// The name of the target column in ``table``.
  public static let targetColumn = "__target"

  /// Feature columns plus ``targetColumn``.
  public let table: Table
  /// The feature columns, in order.
  public let featureNames: [String]
  /// What the target is.
  public let task: PredictionTask
  /// The sorted class labels of a classification target (empty for regression).
  public let classes: [Double]
  /// Each row's period: its timestamp in nanoseconds, or its row number without one.
  public let periods: [Int64]
  /// Each row's symbol, for panels.
  public let symbols: [String]?
  /// Each row's label interval `[t0, t1]`, in the clock of ``periods``.
  public let labelIntervals: LabelIntervals
  /// The simple return from each row's period to the symbol's next one (NaN for the last),
  /// for backtests; `nil` without a price column.
  public let forwardReturns: [Double]?
  /// Rows for model selection and the final refit, with labels that end before the holdout.
  public let trainingRows: [Int]
  /// The most recent rows, scored once at the end.
  public let holdoutRows: [Int]
  /// Training rows dropped because their label reaches into the holdout period.
  public let purgedRows: Int
  /// The SHA-256 of the input files' bytes (hex), for lineage and stage keys.
  public let dataHash: String

  /// The training part of ``table``.
  public func trainingTable() throws -> Table { try table.rows(at: trainingRows) }
  /// The holdout part of ``table``.
  public func holdoutTable() throws -> Table { try table.rows(at: holdoutRows) }

  /// What a splitter needs for the training rows: class targets and label intervals
  /// renumbered to the training table.
  public func trainingSplitData() throws -> SplitData {
    let targets = try table.column(named: Self.targetColumn).doubleValues
    let intervals = try LabelIntervals(
      starts: trainingRows.map { labelIntervals.starts[$0] }, ends: trainingRows.map { labelIntervals.ends[$0] })
    return try SplitData(
      rowCount: trainingRows.count, targets: task == .classification ? trainingRows.map { targets[$0] } : nil,
      labelIntervals: intervals)
  }
}

/// Errors from turning a configuration's data into modelling rows.
public struct RunDataError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What is wrong, where, and how to fix it.
  public let description: String
  init(_ description: String) { self.description = description }
}

extension PreparedData {
  /// Reads the configured files and builds features, labels and the holdout.
  ///
  /// - Parameters:
  ///   - configuration: The run configuration (data, target, features, holdout, backtest).
  /// - Returns: The prepared data.
  /// - Throws: ``RunDataError`` naming the config field and the column, CSV/NPY errors
  ///   with file positions, and feature or label errors.
  public static func prepare(_ configuration: RunConfiguration) throws -> PreparedData {
    let (raw, dataHash) = try load(configuration.data)
    return try prepare(raw, dataHash: dataHash, configuration: configuration)
  }

  /// Reads the files of `data`: CSV files (several with the same columns are read as one
  /// table) or a single `.npy` matrix (columns `x0, x1, …`).
  ///
  /// With several files and a `data.symbol` column that the files lack, each file's rows
  /// get its name (without the extension) as their symbol — one file per ticker — and, with
  /// a `data.timestamp` column, the rows are put in time order (files in the given order
  /// within a period), as time-series splitters need.
  ///
  /// - Returns: The table and the SHA-256 of the files' bytes, read in order.
  /// - Throws: ``RunDataError`` for no files, differing columns or several `.npy` files;
  ///   file and parse errors.
  public static func load(_ data: DataConfiguration) throws -> (Table, String) {
    guard let first = data.paths.first else {
      throw RunDataError("data.paths: no data file given; add the path of a CSV or .npy file")
    }
    var hasher = SHA256()
    var tables: [Table] = []
    for (index, path) in data.paths.enumerated() {
      let contents: [UInt8]
      do {
        contents = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      } catch {
        throw RunDataError("data.paths[\(index)]: cannot read \(path): \(error.localizedDescription)")
      }
      hasher.update(contents)
      if data.format(of: path) == .npy {
        guard data.paths.count == 1 else {
          throw RunDataError("data.paths: a .npy input must be the only file (\(data.paths.count) given)")
        }
        let table = try Table(try NPY.decode(contents).matrix())
        return (try table.dropping(data.ignore.filter { table.schema.names.contains($0) }), SHA256.hexDigest(contents))
      }
      var table = try CSV.read(bytes: contents, options: data.csvOptions)
      if data.paths.count > 1, let symbol = data.symbol, !table.schema.names.contains(symbol) {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        table = try table.setting(.categorical(symbol, [String?](repeating: stem, count: table.rowCount)))
      }
      if let firstTable = tables.first, firstTable.schema.names != table.schema.names {
        throw RunDataError(
          "data.paths[\(index)]: \(path) has the columns \(table.schema.names), but \(first) has "
            + "\(firstTable.schema.names); files read as one table must share their columns")
      }
      tables.append(table)
    }
    var table = tables.count == 1 ? tables[0] : try concatenate(tables)
    // Time order, stably (ties keep the file order): a panel in one file listed symbol by
    // symbol would otherwise reach the time-ordered splitters with a later symbol's whole
    // history as the "future".
    if let time = data.timestamp, case .timestamp(let stamps) = try table.column(named: time).values {
      let order = stamps.indices.sorted { stamps[$0] != stamps[$1] ? stamps[$0] < stamps[$1] : $0 < $1 }
      table = try table.rows(at: order)
    }
    for name in data.ignore where !table.schema.names.contains(name) {
      throw RunDataError("data.ignore: no column `\(name)` in \(first); the columns are \(table.schema.names)")
    }
    return (try table.dropping(data.ignore), hasher.finalize().map { String(format: "%02x", $0) }.joined())
  }

  /// The rows of several tables with the same column names, one after the other: an
  /// integer column meeting a float column becomes float, categories are merged.
  static func concatenate(_ tables: [Table]) throws -> Table {
    guard let first = tables.first else { return try Table([]) }
    var columns: [Column] = []
    for name in first.schema.names {
      let parts = try tables.map { try $0.column(named: name) }
      let types = Set(parts.map(\.type))
      if types == [.categorical] {
        var values: [String?] = []
        for part in parts {
          guard case .categorical(let codes, let categories) = part.values else { continue }
          values += codes.map { $0 < 0 ? nil : categories[Int($0)] }
        }
        columns.append(.categorical(name, values))
      } else if types == [.timestamp] {
        var values: [Int64] = []
        for part in parts { if case .timestamp(let v) = part.values { values += v } }
        columns.append(.timestamp(name, nanosecondsSinceEpoch: values))
      } else if types == [.integer] {
        var values: [Int64] = []
        for part in parts { if case .integer(let v) = part.values { values += v } }
        columns.append(.integer(name, values))
      } else if types.isSubset(of: [.integer, .float]) {
        columns.append(.float(name, parts.flatMap(\.doubleValues)))
      } else {
        throw RunDataError(
          "data.paths: column `\(name)` has different types in different files (\(types.map(\.rawValue).sorted())); "
            + "set data.types.\(name) so every file reads it the same way")
      }
    }
    return try Table(columns)
  }

  /// Builds features, labels and the holdout from an already loaded table.
  ///
  /// - Throws: As ``prepare(_:)``.
  public static func prepare(_ raw: Table, dataHash: String, configuration: RunConfiguration) throws
    -> PreparedData
  {
    let names = raw.schema.names
    let featureSet = configuration.features.featureSet
    let prices = configuration.features.prices
    let timestampColumn = configuration.data.timestamp ?? (names.contains(prices.timestamp) ? prices.timestamp : nil)
    let symbolColumn = configuration.data.symbol ?? prices.symbol.flatMap { names.contains($0) ? $0 : nil }

    // Features: recipe outputs first, then the raw columns asked for.
    let withFeatures = featureSet.features.isEmpty ? raw : try featureSet.apply(to: raw)
    let recipeNames = featureSet.outputNames
    var excluded = Set([timestampColumn, symbolColumn].compactMap { $0 })
    var targetValues: [Double]
    var labels: Labels?
    switch configuration.target.source {
    case .column(let name):
      guard names.contains(name) else {
        throw RunDataError("target.column: no column `\(name)` in the data; the columns are \(names)")
      }
      excluded.insert(name)
      targetValues = try raw.column(named: name).doubleValues
    case .forwardReturn, .threshold, .tripleBarrier:
      guard let generator = configuration.target.source.labelGenerator else {
        throw RunDataError("target: the label recipe has no generator")
      }
      let made = try generator.labels(for: raw)
      labels = made
      if case .tripleBarrier = configuration.target.source {
        // Binary: 1 when the upper (profit-taking) barrier is touched first.
        targetValues = made.values.map { $0.isNaN ? .nan : ($0 > 0 ? 1 : 0) }
      } else {
        targetValues = made.values
      }
      excluded.insert(prices.close)
    }
    // The backtest's realised (forward) returns are the outcome, never an input.
    let realisedReturns = configuration.backtest.returns
    if let realisedReturns { excluded.insert(realisedReturns) }
    let rawFeatures: [String]
    switch configuration.features.columns {
    case .none: rawFeatures = []
    case .all: rawFeatures = names.filter { !excluded.contains($0) && !recipeNames.contains($0) }
    case .list(let list):
      for name in list where !names.contains(name) {
        throw RunDataError("features.columns: no column `\(name)` in the data; the columns are \(names)")
      }
      if let realisedReturns, list.contains(realisedReturns) {
        throw RunDataError(
          "features.columns lists `\(realisedReturns)`, which backtest.returns names as the realised forward return: "
            + "a model given its own outcome looks ahead; remove it from the features")
      }
      rawFeatures = list
    }
    let featureNames = recipeNames + rawFeatures
    guard !featureNames.isEmpty else {
      throw RunDataError("features: no feature columns; list columns under features.columns or add recipes")
    }

    // Keep rows with a label and finished recipe warm-ups.
    let recipeValues = try recipeNames.map { try withFeatures.column(named: $0).doubleValues }
    var kept: [Int] = []
    for row in 0..<raw.rowCount where targetValues[row].isFinite {
      if let labels, labels.endRows[row] == nil { continue }
      if recipeValues.contains(where: { !$0[row].isFinite }) { continue }
      kept.append(row)
    }
    guard kept.count >= 10 else {
      throw RunDataError(
        "target: only \(kept.count) rows have both a label and complete features (of \(raw.rowCount)); "
          + "check the label horizon, the feature windows and missing target values")
    }

    // Task and classes.
    let keptTargets = kept.map { targetValues[$0] }
    let task = configuration.target.resolvedTask ?? inferTask(keptTargets)
    var classes: [Double] = []
    if case .stratified = configuration.split, task != .classification {
      throw RunDataError(
        "split: stratified folds need classes, but the target was taken as \(task.rawValue) "
          + "(a float target, or an integer one with many values); set target.task: classification, or use kfold")
    }
    if task == .classification {
      classes = Array(Set(keptTargets)).sorted()
      guard classes.allSatisfy({ $0 == $0.rounded() }) else {
        throw RunDataError("target.task: classification needs integral class labels; the target has fractional values")
      }
      guard classes.count >= 2 else {
        throw RunDataError("target: every labelled row has the class \(classes.first ?? .nan); a classifier needs two")
      }
    }

    // Periods and symbols.
    var periods: [Int64] = kept.map { Int64($0) }
    if let timestampColumn, case .timestamp(let stamps) = try raw.column(named: timestampColumn).values {
      periods = kept.map { stamps[$0] }
    }
    var symbols: [String]?
    if let symbolColumn {
      let column = try raw.column(named: symbolColumn)
      if case .categorical(let codes, let categories) = column.values {
        symbols = kept.map { codes[$0] < 0 ? "" : categories[Int(codes[$0])] }
      } else {
        let values = column.doubleValues
        symbols = kept.map { values[$0].description }
      }
    }

    // Label intervals in the periods' clock.
    let intervals: LabelIntervals
    if let labels {
      if timestampColumn != nil {
        intervals = try labels.intervals(rows: kept)
      } else {
        intervals = try LabelIntervals(
          starts: kept.map { Int64($0) }, ends: kept.map { Int64(labels.endRows[$0] ?? $0) })
      }
    } else {
      intervals = try LabelIntervals(starts: periods, ends: periods)
    }
    // The time-ordered splitters keep `gap` rows between training and test but know
    // nothing of labels: a label that reaches further ahead than the gap (its horizon, or
    // horizon × symbols in a panel) puts test-period prices into training targets.
    if let labels {
      let gap: Int?
      switch configuration.split {
      case .timeSeries(_, _, _, let g), .walkForward(_, _, _, let g): gap = g
      default: gap = nil
      }
      let reach = kept.reduce(0) { Swift.max($0, (labels.endRows[$1] ?? $1) - $1) }
      if let gap, gap < reach {
        throw RunDataError(
          "split.\(configuration.split.name).gap is \(gap) rows, but labels reach up to \(reach) rows ahead "
            + "(the label's horizon, times the symbols in a panel): training targets would use test-period prices; "
            + "set gap: \(reach) or more, or use split: purged, which purges by each label's interval")
      }
    }

    // One-period forward returns per symbol, for the backtest.
    var forward: [Double]?
    if let column = configuration.backtest.returns {
      guard names.contains(column) else {
        throw RunDataError("backtest.returns: no column `\(column)` in the data; the columns are \(names)")
      }
      let values = try raw.column(named: column).doubleValues
      forward = kept.map { values[$0] }
    } else if names.contains(prices.close) {
      let close = try raw.column(named: prices.close).doubleValues
      var next = [Double](repeating: .nan, count: raw.rowCount)
      var lastRow: [String: Int] = [:]
      let rowSymbols = try symbolColumn.map { try raw.column(named: $0).doubleValues }
      for row in 0..<raw.rowCount {
        let key = rowSymbols.map { String($0[row]) } ?? ""
        if let previous = lastRow[key], close[previous] > 0 { next[previous] = close[row] / close[previous] - 1 }
        lastRow[key] = row
      }
      forward = kept.map { next[$0] }
    }

    // Holdout: the most recent periods; training labels may not reach into it.
    let (training, holdout, purged) = try split(
      periods: periods, intervals: intervals, holdout: configuration.holdout)

    let columns = try featureNames.map { try withFeatures.column(named: $0) }
    let table = try Table(columns).rows(at: kept).setting(.float(targetColumn, keptTargets))
    return PreparedData(
      table: table, featureNames: featureNames, task: task, classes: classes, periods: periods, symbols: symbols,
      labelIntervals: intervals, forwardReturns: forward, trainingRows: training, holdoutRows: holdout,
      purgedRows: purged, dataHash: dataHash)
  }

  /// Classification when every value is an integer and there are at most 20 of them.
  static func inferTask(_ values: [Double]) -> PredictionTask {
    let distinct = Set(values)
    return distinct.count <= 20 && distinct.allSatisfy { $0 == $0.rounded() } ? .classification : .regression
  }

  /// Splits rows into training and holdout by period and purges training rows whose label
  /// ends at or after the holdout's first period.
  static func split(periods: [Int64], intervals: LabelIntervals, holdout: HoldoutConfiguration) throws -> (
    [Int], [Int], Int
  ) {
    let distinct = Array(Set(periods)).sorted()
    let cutoff: Int64?
    switch holdout {
    case .none:
      cutoff = nil
    case .after(let time):
      cutoff = distinct.first { $0 >= time }
    case .fraction, .rows:
      // Whole periods: the holdout takes the last periods until it has the rows asked for.
      let wanted = holdout.rowCount(outOf: periods.count) ?? 0
      if wanted == 0 {
        cutoff = nil
      } else {
        var counts: [Int64: Int] = [:]
        for p in periods { counts[p, default: 0] += 1 }
        var taken = 0
        var start: Int64?
        for p in distinct.reversed() where taken < wanted {
          taken += counts[p] ?? 0
          start = p
        }
        cutoff = start
      }
    }
    guard let cutoff else { return (Array(periods.indices), [], 0) }
    var training: [Int] = []
    var held: [Int] = []
    var purged = 0
    for row in periods.indices {
      if periods[row] >= cutoff {
        held.append(row)
      } else if intervals.ends[row] >= cutoff {
        purged += 1
      } else {
        training.append(row)
      }
    }
    guard training.count >= 10 else {
      throw RunDataError(
        "holdout: only \(training.count) training rows remain before the holdout; hold out less (holdout.fraction)")
    }
    return (training, held, purged)
  }
}
