import HoneCore

/// The rows of an OHLCV table grouped by symbol, each group in table order, with the
/// checks every per-symbol computation relies on: timestamps present and non-decreasing
/// within each symbol.
///
/// Computing per symbol and scattering back keeps one symbol's history from leaking into
/// another's windows, whatever the interleaving of rows in the table.
struct SymbolPartition {
  /// The row indices of each symbol, in table order.
  let groups: [[Int]]
  /// A printable name for each group (the symbol, or "the table").
  let names: [String]
  /// The timestamps of every row, in nanoseconds.
  let timestamps: [Int64]
  let rowCount: Int

  init(_ table: Table, columns: OHLCVColumns) throws {
    let timestampColumn = try Self.column(columns.timestamp, role: "timestamp", in: table)
    guard case .timestamp(let timestamps) = timestampColumn.values else {
      throw FeatureError(
        .wrongColumnType,
        "column `\(columns.timestamp)` is \(timestampColumn.type) but the timestamp column must be a timestamp; "
          + "read it with CSVReadOptions(types: [\"\(columns.timestamp)\": .timestamp]) or set OHLCVColumns.timestamp")
    }
    self.timestamps = timestamps
    rowCount = table.rowCount
    if let symbolName = columns.symbol {
      let symbolColumn = try Self.column(symbolName, role: "symbol", in: table)
      var groupOf: [String: Int] = [:]
      var groups: [[Int]] = []
      var names: [String] = []
      for row in 0..<table.rowCount {
        let key = symbolColumn.text(at: row) ?? ""
        if let g = groupOf[key] {
          groups[g].append(row)
        } else {
          groupOf[key] = groups.count
          groups.append([row])
          names.append(symbolColumn.text(at: row).map { "symbol `\($0)`" } ?? "rows with a missing symbol")
        }
      }
      self.groups = groups
      self.names = names
    } else {
      groups = [Array(0..<table.rowCount)]
      names = ["the table"]
    }
    for (g, rows) in groups.enumerated() {
      for (k, row) in rows.enumerated() {
        guard timestamps[row] != Column.missingTimestamp else {
          throw FeatureError(
            .unsortedTimestamps,
            "row \(row) (\(names[g])) has no timestamp; features need every row placed in time: drop or repair it")
        }
        if k > 0, timestamps[row] < timestamps[rows[k - 1]] {
          throw FeatureError(
            .unsortedTimestamps,
            "timestamps decrease within \(names[g]): row \(row) (\(Timestamp.iso8601(nanoseconds: timestamps[row]))) "
              + "comes after row \(rows[k - 1]) (\(Timestamp.iso8601(nanoseconds: timestamps[rows[k - 1]]))); "
              + "sort the table by symbol and timestamp first")
        }
      }
    }
  }

  /// The column, or a ``FeatureError`` naming its role and the available columns.
  static func column(_ name: String, role: String, in table: Table) throws -> Column {
    guard let column = table[name] else {
      let available = table.columnNames.prefix(20).map { "`\($0)`" }.joined(separator: ", ")
      throw FeatureError(
        .missingColumn,
        "the \(role) column `\(name)` is not in the table (it has \(available)); "
          + "name the right column in OHLCVColumns")
    }
    return column
  }

  /// A numeric column read as `Double` (integers converted, e.g. volumes).
  static func numeric(_ name: String, role: String, in table: Table) throws -> [Double] {
    let column = try column(name, role: role, in: table)
    switch column.type {
    case .float, .integer: return column.doubleValues
    case .categorical, .timestamp:
      throw FeatureError(
        .wrongColumnType,
        "the \(role) column `\(name)` is \(column.type) but must be numeric (float or integer)")
    }
  }

  /// Runs `compute` on each symbol's rows of `inputs` (one array per input, gathered in
  /// that symbol's time order) and scatters the outputs back to table rows.
  ///
  /// Symbols with fewer than `minimumRows` rows get NaN: a newly listed instrument simply
  /// has no value yet. When no symbol has enough rows the feature would be NaN
  /// everywhere, which is almost surely a mistaken window, so that throws.
  func map(
    _ inputs: [[Double]], outputs: Int, minimumRows: Int, feature: String,
    _ compute: ([[Double]]) throws -> [[Double]]
  ) throws -> [[Double]] {
    var result = [[Double]](repeating: [Double](repeating: .nan, count: rowCount), count: outputs)
    let longest = groups.map(\.count).max() ?? 0
    guard longest >= minimumRows else {
      throw FeatureError(
        .tooFewRows,
        "\(feature) needs at least \(minimumRows) rows per symbol to produce a value, but the longest series has "
          + "\(longest); use a shorter window or more data")
    }
    for rows in groups where rows.count >= minimumRows {
      let local = try compute(inputs.map { input in rows.map { input[$0] } })
      for (k, values) in local.enumerated() {
        for (i, row) in rows.enumerated() { result[k][row] = values[i] }
      }
    }
    return result
  }
}
