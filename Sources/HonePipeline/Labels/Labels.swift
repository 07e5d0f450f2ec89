import HoneCore

/// Labels for the rows of a table, each with the interval `[t0, t1]` of data it was
/// computed from, so that splitters can purge training rows whose labels overlap a test
/// period (López de Prado 2018, *Advances in Financial Machine Learning*, ch. 3 and 7).
///
/// Row `i`'s label starts at its own timestamp `t0` and ends at ``endTimes``[i] = `t1`,
/// the timestamp of row ``endRows``[i] (a row of the same symbol): the label uses prices
/// from rows `i ... endRows[i]` and nothing later (``LookAhead/checkLabels(_:on:stride:)``
/// verifies this). Rows whose label cannot be computed yet — the last rows of a symbol,
/// whose horizon runs past the data, or rows without a volatility estimate — have a NaN
/// value and return, no end row and a missing end time.
public struct Labels: Sendable, Equatable {
  /// The label of each row; NaN where it cannot be computed.
  public let values: [Double]
  /// The simple return from row `i`'s price to its end row's price; NaN where missing.
  public let returns: [Double]
  /// The row (in table numbering) whose price ends each label, or `nil` where missing.
  public let endRows: [Int?]
  /// The start of each label interval, `t0`: the row's own timestamp (nanoseconds).
  public let startTimes: [Int64]
  /// The end of each label interval, `t1`: the end row's timestamp (nanoseconds), or
  /// `Int64.min` (missing) where the label is missing.
  public let endTimes: [Int64]

  /// Creates labels, checking that every interval is well formed.
  ///
  /// - Parameters:
  ///   - values: The label of each row; NaN where missing.
  ///   - returns: The return over each label's interval; NaN where missing.
  ///   - endRows: The row ending each label, or `nil`.
  ///   - startTimes: Each row's timestamp, `t0`.
  ///   - endTimes: Each label's end timestamp, `t1`, or `Int64.min` where missing.
  /// - Throws: ``FeatureError`` when the arrays differ in length, an end row comes before
  ///   its own row or is outside the table, an end time is earlier than its start time, or
  ///   an end row and its end time are not both present or both missing.
  public init(values: [Double], returns: [Double], endRows: [Int?], startTimes: [Int64], endTimes: [Int64]) throws {
    try Indicators.require(
      sameLength: [
        ("values", values.count), ("returns", returns.count), ("endRows", endRows.count),
        ("startTimes", startTimes.count), ("endTimes", endTimes.count),
      ], in: "labels")
    for row in values.indices {
      let missingTime = endTimes[row] == Column.missingTimestamp
      guard let end = endRows[row] else {
        guard missingTime else {
          throw FeatureError(
            .invalidLabelInterval, "label at row \(row) has an end time but no end row; give both or neither")
        }
        continue
      }
      guard !missingTime else {
        throw FeatureError(
          .invalidLabelInterval, "label at row \(row) has an end row (\(end)) but no end time; give both or neither")
      }
      guard end >= row, end < values.count else {
        throw FeatureError(
          .invalidLabelInterval,
          "label at row \(row) ends at row \(end), "
            + (end < row ? "before it starts" : "outside the table's \(values.count) rows")
            + "; a label's interval [t0, t1] must run forward from its own row")
      }
      guard endTimes[row] >= startTimes[row] else {
        throw FeatureError(
          .invalidLabelInterval,
          "label at row \(row) ends at \(Timestamp.iso8601(nanoseconds: endTimes[row])), before it starts at "
            + "\(Timestamp.iso8601(nanoseconds: startTimes[row])); t1 must not precede t0")
      }
    }
    self.values = values
    self.returns = returns
    self.endRows = endRows
    self.startTimes = startTimes
    self.endTimes = endTimes
  }

  /// The number of rows.
  public var count: Int { values.count }

  /// The labels as table columns: `<name>` (float), `<name>_return` (float), `<name>_t1`
  /// (timestamp) and `<name>_t1_row` (float, NaN where missing, as integer columns with
  /// missing values are stored in Hone).
  ///
  /// - Parameter name: The label column's name; the others are derived from it.
  /// - Returns: The four columns.
  public func columns(named name: String = "label") -> [Column] {
    [
      .float(name, values),
      .float("\(name)_return", returns),
      .timestamp("\(name)_t1", nanosecondsSinceEpoch: endTimes),
      .float("\(name)_t1_row", endRows.map { $0.map(Double.init) ?? .nan }),
    ]
  }

  /// A copy of `table` with ``columns(named:)`` added (replacing columns of those names).
  ///
  /// - Parameters:
  ///   - table: The table the labels were computed on.
  ///   - name: The label column's name.
  /// - Returns: The table with the label columns.
  /// - Throws: ``FeatureError`` when the table's row count differs from the labels'.
  public func adding(to table: Table, named name: String = "label") throws -> Table {
    guard table.rowCount == count else {
      throw FeatureError(
        .lengthMismatch,
        "the labels have \(count) rows but the table has \(table.rowCount); add them to the table "
          + "they were computed on")
    }
    var result = table
    for column in columns(named: name) { result = try result.setting(column) }
    return result
  }
}

/// A rule that labels every row of an OHLCV table and says where each label ends.
public protocol LabelGenerator: Sendable {
  /// Labels every row of `table`, per symbol.
  ///
  /// - Parameter table: An OHLCV table, in non-decreasing time order within each symbol.
  /// - Returns: One label per row, with its end row and time.
  /// - Throws: ``FeatureError`` for bad parameters or input.
  func labels(for table: Table) throws -> Labels
}

extension SymbolPartition {
  /// Runs `label` on each symbol's table rows, prices and timestamps and assembles
  /// table-wide ``Labels``; `label` returns, per local row, the value, the return and the
  /// local end row, which is mapped back to table numbering.
  func labels(
    prices: [Double],
    _ label: (_ rows: [Int], _ prices: [Double], _ timestamps: [Int64]) throws -> [(
      value: Double, return: Double, end: Int?
    )]
  ) throws -> Labels {
    var values = [Double](repeating: .nan, count: rowCount)
    var returns = values
    var endRows = [Int?](repeating: nil, count: rowCount)
    var endTimes = [Int64](repeating: Column.missingTimestamp, count: rowCount)
    for rows in groups {
      let local = try label(rows, rows.map { prices[$0] }, rows.map { timestamps[$0] })
      for (i, row) in rows.enumerated() {
        guard let end = local[i].end else { continue }
        values[row] = local[i].value
        returns[row] = local[i].return
        endRows[row] = rows[end]
        endTimes[row] = timestamps[rows[end]]
      }
    }
    return try Labels(values: values, returns: returns, endRows: endRows, startTimes: timestamps, endTimes: endTimes)
  }
}
