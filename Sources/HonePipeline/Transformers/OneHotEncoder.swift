import HoneCore

/// Replaces each categorical (or integer) column with one 0/1 float column per category
/// seen when fitting, named `<column>_<category>` (scikit-learn's `OneHotEncoder`, dense
/// output). Categories are sorted; a missing value is a category of its own, `nan`, when
/// it occurs in the training rows.
public struct OneHotEncoder: Transformer, Equatable {
  /// Which indicator to leave out, to avoid exact collinearity with an intercept.
  public enum Drop: String, Codable, Sendable, CaseIterable {
    /// Keep every indicator.
    case none
    /// Drop the first category's indicator.
    case first
    /// Drop the first indicator only for columns with exactly two categories.
    case ifBinary
  }

  /// The columns to encode. Default: every categorical column.
  public var columns: ColumnChoice
  /// What to do with a category not seen when fitting. Default `.error`.
  public var handleUnknown: UnknownCategoryPolicy
  /// Which indicator to drop. Default `.none`.
  public var drop: Drop

  /// Creates an encoder.
  public init(columns: ColumnChoice = .categorical, handleUnknown: UnknownCategoryPolicy = .error, drop: Drop = .none) {
    self.columns = columns
    self.handleUnknown = handleUnknown
    self.drop = drop
  }

  /// The fitted encoder: the categories of each column.
  public struct Fitted: FittedTransformer, Equatable {
    /// The encoded columns.
    public let columns: [String]
    /// Each column's categories (`nan` stands for missing), sorted.
    public let categories: [[String]]
    /// Each column's dropped category, if any.
    public let dropped: [String?]
    /// The unknown-category policy.
    public let handleUnknown: UnknownCategoryPolicy

    /// Removes each encoded column and appends its indicator columns.
    ///
    /// - Throws: ``TransformerError`` for a missing column, or an unknown category with
    ///   `handleUnknown: .error`.
    public func transform(_ table: Table) throws -> Table {
      var out = try table.dropping(columns)
      for (j, name) in columns.enumerated() {
        let view = try CategoryView(table, column: name, for: "OneHotEncoder")
        let index = Dictionary(uniqueKeysWithValues: categories[j].enumerated().map { ($1, $0) })
        var indicators = [[Double]](
          repeating: [Double](repeating: 0, count: table.rowCount), count: categories[j].count)
        for (row, value) in view.rows.enumerated() {
          let key = value ?? "nan"
          if let k = index[key] {
            indicators[k][row] = 1
          } else if handleUnknown == .error {
            throw TransformerError(
              "OneHotEncoder: column `\(name)` has category `\(key)` at row \(row), not seen when fitting; use handleUnknown: .ignore to encode it as all zeros"
            )
          }
        }
        for (k, category) in categories[j].enumerated() where category != dropped[j] {
          out = try out.setting(.float("\(name)_\(category)", indicators[k]))
        }
      }
      return out
    }

    /// The names of the columns `transform` adds, in order.
    public var outputColumns: [String] {
      columns.indices.flatMap { j in categories[j].filter { $0 != dropped[j] }.map { "\(columns[j])_\($0)" } }
    }
  }

  /// Learns each column's categories.
  ///
  /// - Throws: ``TransformerError`` for a missing column or one that is not categorical
  ///   or integer.
  public func fit(_ table: Table, target: [Double]? = nil) throws -> Fitted {
    let names = try columns.resolve(in: table)
    var categories: [[String]] = []
    var dropped: [String?] = []
    for name in names {
      let view = try CategoryView(table, column: name, for: "OneHotEncoder")
      let list = view.sortedCategories + (view.hasMissing ? ["nan"] : [])
      categories.append(list)
      switch drop {
      case .none: dropped.append(nil)
      case .first: dropped.append(list.first)
      case .ifBinary: dropped.append(list.count == 2 ? list.first : nil)
      }
    }
    return Fitted(columns: names, categories: categories, dropped: dropped, handleUnknown: handleUnknown)
  }
}

/// Replaces each categorical (or integer) column with the index of its category among
/// the sorted categories seen when fitting, as a float column (scikit-learn's
/// `OrdinalEncoder`). Missing values stay missing (NaN).
public struct OrdinalEncoder: Transformer, Equatable {
  /// The columns to encode. Default: every categorical column.
  public var columns: ColumnChoice
  /// What to do with a category not seen when fitting. Default `.error`; `.ignore`
  /// writes ``unknownValue``.
  public var handleUnknown: UnknownCategoryPolicy
  /// The code for unknown categories with `.ignore`. Default −1.
  public var unknownValue: Double

  /// Creates an encoder.
  public init(
    columns: ColumnChoice = .categorical, handleUnknown: UnknownCategoryPolicy = .error, unknownValue: Double = -1
  ) {
    self.columns = columns
    self.handleUnknown = handleUnknown
    self.unknownValue = unknownValue
  }

  /// The fitted encoder: the categories of each column.
  public struct Fitted: FittedTransformer, Equatable {
    /// The encoded columns.
    public let columns: [String]
    /// Each column's sorted categories; a category's index is its code.
    public let categories: [[String]]
    /// The unknown-category policy.
    public let handleUnknown: UnknownCategoryPolicy
    /// The code for unknown categories with `.ignore`.
    public let unknownValue: Double

    /// Replaces each encoded column with its codes.
    ///
    /// - Throws: ``TransformerError`` for a missing column, or an unknown category with
    ///   `handleUnknown: .error`.
    public func transform(_ table: Table) throws -> Table {
      var encoded: [Column] = []
      for (j, name) in columns.enumerated() {
        let view = try CategoryView(table, column: name, for: "OrdinalEncoder")
        let index = Dictionary(uniqueKeysWithValues: categories[j].enumerated().map { ($1, Double($0)) })
        let codes = try view.rows.enumerated().map { row, value -> Double in
          guard let value else { return .nan }
          if let code = index[value] { return code }
          guard handleUnknown == .ignore else {
            throw TransformerError(
              "OrdinalEncoder: column `\(name)` has category `\(value)` at row \(row), not seen when fitting; use handleUnknown: .ignore"
            )
          }
          return unknownValue
        }
        encoded.append(.float(name, codes))
      }
      return try table.replacing(encoded)
    }
  }

  /// Learns each column's sorted categories.
  ///
  /// - Throws: ``TransformerError`` for a missing column or one that is not categorical
  ///   or integer.
  public func fit(_ table: Table, target: [Double]? = nil) throws -> Fitted {
    let names = try columns.resolve(in: table)
    let categories = try names.map { try CategoryView(table, column: $0, for: "OrdinalEncoder").sortedCategories }
    return Fitted(columns: names, categories: categories, handleUnknown: handleUnknown, unknownValue: unknownValue)
  }
}
