/// Summary statistics of one column, as `hone data describe` prints them.
public struct ColumnSummary: Codable, Sendable, Equatable {
  /// The column name.
  public var name: String
  /// The column type.
  public var type: ColumnType
  /// The number of non-missing values.
  public var count: Int
  /// The number of missing values.
  public var missing: Int
  /// The smallest value (numeric columns), or the earliest instant (timestamps, ISO 8601).
  public var min: String?
  /// The largest value, or the latest instant.
  public var max: String?
  /// The mean (numeric columns).
  public var mean: Double?
  /// The sample standard deviation (numeric columns with two or more values).
  public var standardDeviation: Double?
  /// The number of distinct categories (categorical columns).
  public var distinct: Int?
  /// The most frequent categories with their counts, most frequent first.
  public var top: [CategoryCount]?

  /// A category and how often it occurs.
  public struct CategoryCount: Codable, Sendable, Equatable {
    /// The category.
    public var value: String
    /// Its number of occurrences.
    public var count: Int
  }
}

extension Table {
  /// Per-column summaries: counts, missing values, min / mean / max / standard deviation
  /// for numbers, range for timestamps, top categories for categorical columns.
  ///
  /// - Parameter topCategories: How many of the most frequent categories to list.
  /// - Complexity: O(rowCount × columnCount).
  public func summary(topCategories: Int = 5) -> [ColumnSummary] {
    columns.map { column in
      var summary = ColumnSummary(
        name: column.name, type: column.type, count: column.count - column.missingCount, missing: column.missingCount)
      switch column.values {
      case .float, .integer:
        let values = column.doubleValues.filter { !$0.isNaN }
        guard let lowest = values.min(), let highest = values.max() else { break }
        // Two passes (mean, then squared deviations) for numerical accuracy.
        let mean = values.reduce(0, +) / Double(values.count)
        summary.min = format(lowest, integer: column.type == .integer)
        summary.max = format(highest, integer: column.type == .integer)
        summary.mean = mean
        if values.count > 1 {
          let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
          summary.standardDeviation = (squares / Double(values.count - 1)).squareRoot()
        }
      case .timestamp(let values):
        let present = values.filter { $0 != Column.missingTimestamp }
        summary.min = present.min().map { Timestamp.iso8601(nanoseconds: $0) }
        summary.max = present.max().map { Timestamp.iso8601(nanoseconds: $0) }
      case .categorical(let codes, let categories):
        var counts = [Int](repeating: 0, count: categories.count)
        for code in codes where code >= 0 { counts[Int(code)] += 1 }
        summary.distinct = counts.filter { $0 > 0 }.count
        summary.top = counts.indices
          .filter { counts[$0] > 0 }
          .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
          .prefix(topCategories)
          .map { ColumnSummary.CategoryCount(value: categories[$0], count: counts[$0]) }
      }
      return summary
    }
  }

  private func format(_ value: Double, integer: Bool) -> String {
    integer ? String(Int64(value)) : value.description
  }
}
