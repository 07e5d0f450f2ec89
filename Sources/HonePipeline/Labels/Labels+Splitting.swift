import HoneCore

extension Labels {
  /// The rows whose label could be computed (a label needs data up to its end time, so
  /// the last rows of a series have none).
  public var labeledRows: [Int] { endRows.indices.filter { endRows[$0] != nil && !values[$0].isNaN } }

  /// The label intervals `[t0, t1]` of the given rows, for purged splitters: train on
  /// `table.rows(at: rows)` and split with these intervals.
  ///
  /// ```swift
  /// let labels = try TripleBarrierLabel(profitTaking: 2, stopLoss: 2, maxHoldingRows: 10).labels(for: bars)
  /// let rows = labels.labeledRows
  /// let data = try SplitData(rowCount: rows.count, labelIntervals: try labels.intervals(rows: rows))
  /// ```
  ///
  /// - Parameter rows: Labelled rows in time order (``labeledRows`` by default).
  /// - Throws: ``FeatureError`` when a row has no label, ``SplitterError`` when an
  ///   interval ends before it starts or the starts are not in order.
  public func intervals(rows: [Int]? = nil) throws -> LabelIntervals {
    let chosen = rows ?? labeledRows
    for row in chosen where row < 0 || row >= count || endRows[row] == nil || values[row].isNaN {
      throw FeatureError(
        .invalidParameter,
        "row \(row) has no label, so it has no interval; train on `labeledRows` (the last rows of a series have no label)"
      )
    }
    return try LabelIntervals(starts: chosen.map { startTimes[$0] }, ends: chosen.map { endTimes[$0] })
  }
}
