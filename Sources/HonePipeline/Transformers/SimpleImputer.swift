import HoneCore

/// Fills missing values with a statistic learned from the training rows — mean, median,
/// most frequent value or a constant — optionally adding a `<column>_missing` indicator
/// column for each column that had missing values when fitted (scikit-learn's
/// `SimpleImputer` with `add_indicator`, `features="missing-only"`).
///
/// Float and integer columns take any strategy; categorical columns take
/// `.mostFrequent` or `.constant` (with ``fillText``).
public struct SimpleImputer: Transformer, Equatable {
  /// How to compute the fill value.
  public enum Strategy: String, Codable, Sendable, CaseIterable {
    /// The column mean (numeric columns).
    case mean
    /// The column median (numeric columns).
    case median
    /// The most frequent value; ties go to the smallest (scikit-learn's rule).
    case mostFrequent
    /// A constant: ``fillValue`` for numbers, ``fillText`` for categories.
    case constant
  }

  /// The columns to impute. Default: every column.
  public var columns: ColumnChoice
  /// The strategy. Default `.mean`.
  public var strategy: Strategy
  /// The constant for numeric columns with `.constant`. Default 0.
  public var fillValue: Double
  /// The constant for categorical columns with `.constant`. Default `"missing"`.
  public var fillText: String
  /// Whether to add missing-indicator columns. Default `false`.
  public var addIndicator: Bool

  /// Creates an imputer.
  public init(
    columns: ColumnChoice = .types(Set(ColumnType.allCases)), strategy: Strategy = .mean, fillValue: Double = 0,
    fillText: String = "missing", addIndicator: Bool = false
  ) {
    self.columns = columns
    self.strategy = strategy
    self.fillValue = fillValue
    self.fillText = fillText
    self.addIndicator = addIndicator
  }

  /// The fitted imputer: one fill per column and the columns that get an indicator.
  public struct Fitted: FittedTransformer, Equatable {
    /// A fill value: a number or a category.
    public enum Fill: Codable, Sendable, Equatable {
      /// A number for a float or integer column.
      case number(Double)
      /// A category for a categorical column.
      case text(String)
    }

    /// The imputed columns.
    public let columns: [String]
    /// The fill for each column.
    public let fills: [Fill]
    /// Columns that had missing values when fitted, which get an indicator column.
    public let indicatorColumns: [String]

    /// Fills missing values; integer columns stay integer when the fill is whole.
    ///
    /// - Throws: ``TransformerError`` when a fitted column is missing or changed type.
    public func transform(_ table: Table) throws -> Table {
      var out = table
      for name in indicatorColumns {
        let column = try column(name, in: table)
        out = try out.setting(.float("\(name)_missing", (0..<column.count).map { column.isMissing($0) ? 1 : 0 }))
      }
      for (name, fill) in zip(columns, fills) {
        let column = try column(name, in: table)
        switch (column.values, fill) {
        case (.float(let values), .number(let value)):
          out = try out.setting(.float(name, values.map { $0.isNaN ? value : $0 }))
        case (.integer, .number):
          break  // integer columns hold no missing values
        case (.categorical(let codes, var categories), .text(let text)):
          var code = categories.firstIndex(of: text).map { Int32($0) }
          if code == nil && codes.contains(-1) {
            categories.append(text)
            code = Int32(categories.count - 1)
          }
          let filled = codes.map { $0 < 0 ? (code ?? -1) : $0 }
          out = try out.setting(try Column(name: name, values: .categorical(codes: filled, categories: categories)))
        case (.timestamp, _):
          throw TransformerError(
            "SimpleImputer: column `\(name)` is a timestamp; impute timestamps before reading them")
        default:
          throw TransformerError("SimpleImputer: column `\(name)` changed type since fitting (now \(column.type))")
        }
      }
      return out
    }

    private func column(_ name: String, in table: Table) throws -> Column {
      guard let column = table[name] else {
        throw TransformerError("SimpleImputer: no column named `\(name)`; it was present when the imputer was fitted")
      }
      return column
    }
  }

  /// Learns the fill values.
  ///
  /// - Throws: ``TransformerError`` for `.mean`/`.median` on a categorical column, a
  ///   column with no value at all (except with `.constant`), or a missing column.
  public func fit(_ table: Table, target: [Double]? = nil) throws -> Fitted {
    let names = try columns.resolve(in: table)
    var fills: [Fitted.Fill] = []
    var indicators: [String] = []
    for name in names {
      let column = try table.column(named: name)
      if column.missingCount > 0 { indicators.append(name) }
      switch column.values {
      case .float, .integer:
        let values = presentValues(column.doubleValues)
        if strategy == .constant {
          fills.append(.number(fillValue))
          continue
        }
        guard !values.isEmpty else {
          throw TransformerError(
            "SimpleImputer: column `\(name)` has no values to compute a \(strategy.rawValue) from; drop it or use .constant"
          )
        }
        switch strategy {
        case .mean: fills.append(.number(values.reduce(0, +) / Double(values.count)))
        case .median: fills.append(.number(percentile(values.sorted(), 50)))
        case .mostFrequent: fills.append(.number(mostFrequent(values)))
        case .constant: fills.append(.number(fillValue))
        }
      case .categorical(let codes, let categories):
        switch strategy {
        case .constant: fills.append(.text(fillText))
        case .mostFrequent:
          var counts = [Int](repeating: 0, count: categories.count)
          for code in codes where code >= 0 { counts[Int(code)] += 1 }
          let best = counts.indices.filter { counts[$0] > 0 }
            .min { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : categories[$0] < categories[$1] }
          guard let best else {
            throw TransformerError("SimpleImputer: column `\(name)` has no values to find the most frequent one")
          }
          fills.append(.text(categories[best]))
        case .mean, .median:
          throw TransformerError(
            "SimpleImputer: column `\(name)` is categorical; use strategy mostFrequent or constant for it")
        }
      case .timestamp:
        throw TransformerError("SimpleImputer: column `\(name)` is a timestamp, which it cannot impute")
      }
    }
    return Fitted(columns: names, fills: fills, indicatorColumns: addIndicator ? indicators : [])
  }
}

/// The most frequent value; ties go to the smallest value, as scikit-learn's mode.
private func mostFrequent(_ values: [Double]) -> Double {
  var counts: [Double: Int] = [:]
  for value in values { counts[value, default: 0] += 1 }
  return counts.min { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }?.key ?? 0
}
