import HoneCore

/// A data transformation learned from training rows: scalers, imputers, encoders.
///
/// `fit` sees only the rows it is given — inside cross-validation, the training fold —
/// and returns an immutable ``FittedTransformer`` that applies the learned statistics to
/// any table with the same columns.
public protocol Transformer: Codable, Sendable {
  /// The fitted form.
  associatedtype Fitted: FittedTransformer

  /// Learns the transformation from `table` (and `target`, for supervised encoders).
  ///
  /// - Throws: ``TransformerError`` when a chosen column is missing or has the wrong type.
  func fit(_ table: Table, target: [Double]?) throws -> Fitted

  /// Learns the transformation and transforms the same rows.
  ///
  /// For most transformers this is `fit` followed by `transform`. Out-of-fold encoders
  /// (``TargetEncoder``) differ: each training row is encoded by statistics that did not
  /// see it, so a model trained on the output cannot memorise its own targets.
  func fitTransform(_ table: Table, target: [Double]?) throws -> (Fitted, Table)
}

extension Transformer {
  /// Fits, then transforms the same rows.
  public func fitTransform(_ table: Table, target: [Double]?) throws -> (Fitted, Table) {
    let fitted = try fit(table, target: target)
    return (fitted, try fitted.transform(table))
  }
}

/// A fitted transformation: immutable, `Codable`, applied to any table with the columns
/// it was fitted on.
public protocol FittedTransformer: Codable, Sendable {
  /// Applies the transformation.
  ///
  /// - Throws: ``TransformerError`` when a column is missing or a value cannot be handled
  ///   (for example, a category not seen during fitting with `handleUnknown: .error`).
  func transform(_ table: Table) throws -> Table
}

/// Which columns a transformer applies to.
public enum ColumnChoice: Codable, Sendable, Equatable {
  /// Every column of the given types (numeric transformers default to float and integer).
  case types(Set<ColumnType>)
  /// The named columns, in this order.
  case names([String])

  /// Float and integer columns.
  public static let numeric = ColumnChoice.types([.float, .integer])
  /// Categorical columns.
  public static let categorical = ColumnChoice.types([.categorical])

  /// The chosen columns' names, in table order for `.types`.
  ///
  /// - Throws: ``TransformerError`` for a name the table does not have.
  public func resolve(in table: Table) throws -> [String] {
    switch self {
    case .types(let types):
      return table.columns.filter { types.contains($0.type) }.map(\.name)
    case .names(let names):
      for name in names where table[name] == nil {
        throw TransformerError("no column named `\(name)`; the table has \(table.columnNames.joined(separator: ", "))")
      }
      return names
    }
  }
}

/// An error from fitting or applying a transformer: what, which column, how to fix it.
public struct TransformerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}

extension Table {
  /// The column's values as doubles, for numeric transformers.
  ///
  /// - Throws: ``TransformerError`` when the column is missing or is not float or integer.
  func numericValues(_ name: String, for transformer: String) throws -> [Double] {
    guard let column = self[name] else {
      throw TransformerError(
        "\(transformer): no column named `\(name)`; the table has \(columnNames.joined(separator: ", "))")
    }
    guard column.type == .float || column.type == .integer else {
      throw TransformerError(
        "\(transformer): column `\(name)` is \(column.type); it needs a float or integer column (encode categorical columns first)"
      )
    }
    return column.doubleValues
  }

  /// A copy with `columns` replacing the columns of the same names (or appended).
  func replacing(_ columns: [Column]) throws -> Table {
    var table = self
    for column in columns { table = try table.setting(column) }
    return table
  }
}
