import HoneCore

/// The categories of a column an encoder can read — categorical or integer — as sorted
/// text, and each row's category text (`nil` for missing).
///
/// Categories sort by Unicode scalar values, which is how Python orders strings, so
/// encodings line up with scikit-learn's sorted `categories_`.
struct CategoryView {
  /// Each row's category, `nil` when missing.
  let rows: [String?]

  init(_ table: Table, column name: String, for encoder: String) throws {
    guard let column = table[name] else {
      throw TransformerError(
        "\(encoder): no column named `\(name)`; the table has \(table.columnNames.joined(separator: ", "))")
    }
    switch column.values {
    case .categorical(let codes, let categories): rows = codes.map { $0 < 0 ? nil : categories[Int($0)] }
    case .integer(let values): rows = values.map { String($0) }
    default:
      throw TransformerError(
        "\(encoder): column `\(name)` is \(column.type); encoders take categorical or integer columns")
    }
  }

  /// The distinct categories, sorted as Python sorts strings (integers numerically).
  var sortedCategories: [String] {
    sortCategories(Set(rows.compactMap { $0 }))
  }

  /// Whether any row is missing.
  var hasMissing: Bool { rows.contains { $0 == nil } }
}

/// Sorts categories as scikit-learn does: integers numerically, text by Unicode scalars.
func sortCategories(_ categories: Set<String>) -> [String] {
  if categories.allSatisfy({ Int64($0) != nil }) {
    return categories.sorted { (Int64($0) ?? 0) < (Int64($1) ?? 0) }
  }
  return categories.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
}

/// What an encoder does with a category it did not see when fitted.
public enum UnknownCategoryPolicy: Codable, Sendable, Equatable {
  /// Throw a ``TransformerError`` naming the column and value.
  case error
  /// One-hot: all indicator columns 0. Ordinal: the given code. Target: the target mean.
  case ignore
}
