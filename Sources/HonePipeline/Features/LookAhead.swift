import HoneCore

/// A check that a feature computation never looks ahead: computed on the first rows
/// `0...t` of a table, it must give exactly the values (bit for bit; NaN equals NaN) that
/// the computation on the whole table gives at rows `0...t`.
///
/// Run it on your own feature functions as well as on Hone's:
///
/// ```swift
/// let report = try LookAhead.check({ try features.apply(to: $0) }, on: prices, stride: 25)
/// #expect(report.passed, "\(report)")
/// ```
///
/// Labels look ahead by design; ``checkLabels(_:on:stride:)`` checks their mirror
/// property instead: a label may use data up to its end time `t1` and no further.
public enum LookAhead {
  /// The first place where a truncated computation disagreed with the full one.
  public struct Violation: Sendable, Equatable, CustomStringConvertible {
    /// The column (for labels: `value`, `return`, `t1_row` or `t1`).
    public var column: String
    /// The row whose value changed.
    public var row: Int
    /// The last row kept in the truncated table.
    public var lastRowKept: Int
    /// The value computed on the whole table, as text (`nil` when missing).
    public var fullValue: String?
    /// The value computed on the truncated table, as text (`nil` when missing).
    public var truncatedValue: String?

    /// A sentence naming the column, row and both values.
    public var description: String {
      "column `\(column)` at row \(row) is \(fullValue ?? "missing") on the full table but "
        + "\(truncatedValue ?? "missing") when the table is cut after row \(lastRowKept)"
    }
  }

  /// The outcome of a check.
  public struct Report: Sendable, Equatable, CustomStringConvertible {
    /// How many truncated tables were computed.
    public var truncationsChecked: Int
    /// How many values were compared.
    public var valuesCompared: Int
    /// The first disagreement (the earliest truncation that shows one, then the lowest
    /// row, then column order), or `nil`.
    public var violation: Violation?

    /// Whether every compared value agreed.
    public var passed: Bool { violation == nil }

    /// One line: passed with counts, or the violation.
    public var description: String {
      if let violation { return "look-ahead check failed: \(violation)" }
      return "look-ahead check passed: \(valuesCompared) values over \(truncationsChecked) truncations agree"
    }
  }

  /// Checks that `transform` is trailing: for each cut `t` (from `first`, every `stride`
  /// rows, and always the second-to-last row), `transform(table.rows(0...t))` agrees with
  /// `transform(table)` at every row `≤ t` in every checked column.
  ///
  /// With `stride = 1` the check is exhaustive; a larger stride still catches every leak
  /// whose value shows at a checked cut, and a leak from the next row always does.
  ///
  /// - Parameters:
  ///   - transform: The computation: a table in, a table with the same rows out.
  ///   - table: The data to check on.
  ///   - columns: The output columns to compare; `nil` compares every output column that
  ///     is not an input column.
  ///   - first: The first cut; start past the transform's minimum length when it throws
  ///     on shorter tables (for a ``FeatureSet``, `warmUpRows × symbols` is enough).
  ///   - stride: Rows between cuts; at least 1.
  /// - Returns: The report, naming the first offending column and row if any.
  /// - Throws: ``FeatureError`` for a bad stride or start, a transform that changes the
  ///   row count or drops a checked column; rethrows the transform's errors.
  /// - Complexity: O(number of cuts × cost of the transform).
  public static func check(
    _ transform: (Table) throws -> Table, on table: Table, columns: [String]? = nil, startingAt first: Int = 0,
    stride: Int = 1
  ) throws -> Report {
    try Indicators.require(stride, atLeast: 1, "the stride", in: "look-ahead check")
    guard first >= 0 else {
      throw FeatureError(.invalidParameter, "look-ahead check: the first cut is \(first) but must be ≥ 0")
    }
    let full = try transform(table)
    try requireSameRows(full, table, cut: nil)
    let names = columns ?? full.columnNames.filter { table[$0] == nil }
    let fullColumns = try names.map { try column($0, in: full, cut: nil) }
    var report = Report(truncationsChecked: 0, valuesCompared: 0, violation: nil)
    for cut in cuts(count: table.rowCount, first: first, stride: stride) {
      let truncated = try transform(try table.rows(0..<(cut + 1)))
      try requireSameRows(truncated, try table.rows(0..<(cut + 1)), cut: cut)
      let truncatedColumns = try names.map { try column($0, in: truncated, cut: cut) }
      report.truncationsChecked += 1
      for row in 0...cut {
        for (expected, found) in zip(fullColumns, truncatedColumns) {
          report.valuesCompared += 1
          if !same(expected, found, at: row) {
            report.violation = Violation(
              column: expected.name, row: row, lastRowKept: cut, fullValue: expected.text(at: row),
              truncatedValue: found.text(at: row))
            return report
          }
        }
      }
    }
    return report
  }

  /// Checks a series function the same way: `transform(Array(series[0...t]))` must agree
  /// with `transform(series)` at every index `≤ t`.
  ///
  /// - Parameters:
  ///   - transform: The computation: a series in, a series of the same length out.
  ///   - series: The data to check on.
  ///   - first: The first cut (past the function's minimum length if it throws on short input).
  ///   - stride: Indices between cuts; at least 1.
  /// - Returns: The report; the column is named `series`.
  /// - Throws: ``FeatureError`` for a bad stride or start or a length-changing transform;
  ///   rethrows the transform's errors.
  /// - Complexity: O(number of cuts × cost of the transform).
  public static func check(
    _ transform: ([Double]) throws -> [Double], on series: [Double], startingAt first: Int = 0, stride: Int = 1
  ) throws -> Report {
    let table = try Table([.float("input", series)])
    return try check(
      { input in
        let values = try transform(try input.column(named: "input").doubleValues)
        return try input.setting(.float("series", values))
      }, on: table, columns: ["series"], startingAt: first, stride: stride)
  }

  /// The cuts `first, first + stride, …` below the last row, and the second-to-last row.
  static func cuts(count: Int, first: Int, stride: Int) -> [Int] {
    guard count >= 2, first <= count - 2 else { return [] }
    var result = Array(Swift.stride(from: first, to: count - 1, by: stride))
    if result.last != count - 2 { result.append(count - 2) }
    return result
  }

  private static func requireSameRows(_ output: Table, _ input: Table, cut: Int?) throws {
    guard output.rowCount == input.rowCount else {
      let place = cut.map { "the table cut after row \($0)" } ?? "the full table"
      throw FeatureError(
        .invalidTransform,
        "look-ahead check: on \(place) the transform returned \(output.rowCount) rows for \(input.rowCount); "
          + "it must return one row per input row")
    }
  }

  private static func column(_ name: String, in table: Table, cut: Int?) throws -> Column {
    guard let column = table[name] else {
      let place = cut.map { "the table cut after row \($0)" } ?? "the full table"
      throw FeatureError(
        .invalidTransform, "look-ahead check: the transform's output on \(place) has no column `\(name)`")
    }
    return column
  }

  /// Exact equality, NaN equal to NaN; categorical values compare as strings because
  /// category codes depend on the order categories first appear.
  private static func same(_ a: Column, _ b: Column, at row: Int) -> Bool {
    switch (a.values, b.values) {
    case (.float(let x), .float(let y)): return x[row] == y[row] || (x[row].isNaN && y[row].isNaN)
    case (.integer(let x), .integer(let y)): return x[row] == y[row]
    case (.timestamp(let x), .timestamp(let y)): return x[row] == y[row]
    case (.categorical, .categorical): return a.text(at: row) == b.text(at: row)
    default: return false
    }
  }
}
