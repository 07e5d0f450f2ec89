import HoneCore

extension LookAhead {
  /// Checks the mirror property of labels: a label may use data up to its end `t1` and
  /// no further, and `t1` is truly where its data end.
  ///
  /// For each row `i` (every `stride` rows from 0) whose label is defined with end row
  /// `e`, the labels are recomputed on the table cut after row `e`; the label at `i` must
  /// be identical there (value, return, end row and time) — otherwise it used data after
  /// `t1`, and purging by `t1` would leak. When `e > i` they are also recomputed on the
  /// table cut after row `e − 1`, where the label at `i` must be missing: a label that
  /// can still be computed without row `e` has an end time later than the data it
  /// needs, which would make a splitter purge more than necessary — and usually means
  /// its end time is computed differently from its value.
  ///
  /// - Parameters:
  ///   - generator: The labelling: a table in, one label per row out.
  ///   - table: The data to check on.
  ///   - stride: Rows between checked labels; at least 1 (1 is exhaustive).
  /// - Returns: The report, naming the first offending row and field (`value`, `return`,
  ///   `t1_row`, `t1`).
  /// - Throws: ``FeatureError`` for a bad stride or a generator that changes the row count;
  ///   rethrows the generator's errors.
  /// - Complexity: O(checked rows × cost of the generator).
  public static func checkLabels(_ generator: (Table) throws -> Labels, on table: Table, stride: Int = 1) throws
    -> Report
  {
    try Indicators.require(stride, atLeast: 1, "the stride", in: "label look-ahead check")
    let full = try generator(table)
    try requireCount(full, table.rowCount)
    var report = Report(truncationsChecked: 0, valuesCompared: 0, violation: nil)
    for row in Swift.stride(from: 0, to: table.rowCount, by: stride) {
      guard let end = full.endRows[row] else { continue }
      let kept = try table.rows(0..<(end + 1))
      let atEnd = try generator(kept)
      try requireCount(atEnd, kept.rowCount)
      report.truncationsChecked += 1
      report.valuesCompared += 1
      if let field = firstDifference(full, atEnd, row: row) {
        report.violation = Violation(
          column: field, row: row, lastRowKept: end, fullValue: text(full, field, row),
          truncatedValue: text(atEnd, field, row))
        return report
      }
      guard end > row else { continue }
      let short = try table.rows(0..<end)
      let beforeEnd = try generator(short)
      try requireCount(beforeEnd, short.rowCount)
      report.truncationsChecked += 1
      report.valuesCompared += 1
      if beforeEnd.endRows[row] != nil || !beforeEnd.values[row].isNaN {
        report.violation = Violation(
          column: "t1_row", row: row, lastRowKept: end - 1, fullValue: text(full, "t1_row", row),
          truncatedValue: "a label computed without row \(end): " + (text(beforeEnd, "value", row) ?? "missing"))
        return report
      }
    }
    return report
  }

  private static func requireCount(_ labels: Labels, _ rows: Int) throws {
    guard labels.count == rows else {
      throw FeatureError(
        .invalidTransform, "label look-ahead check: the generator returned \(labels.count) labels for \(rows) rows")
    }
  }

  private static func firstDifference(_ a: Labels, _ b: Labels, row: Int) -> String? {
    func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
    if !same(a.values[row], b.values[row]) { return "value" }
    if !same(a.returns[row], b.returns[row]) { return "return" }
    if a.endRows[row] != b.endRows[row] { return "t1_row" }
    if a.endTimes[row] != b.endTimes[row] { return "t1" }
    return nil
  }

  private static func text(_ labels: Labels, _ field: String, _ row: Int) -> String? {
    switch field {
    case "value": labels.values[row].isNaN ? nil : labels.values[row].description
    case "return": labels.returns[row].isNaN ? nil : labels.returns[row].description
    case "t1_row": labels.endRows[row].map(String.init)
    default:
      labels.endTimes[row] == Column.missingTimestamp ? nil : Timestamp.iso8601(nanoseconds: labels.endTimes[row])
    }
  }
}
