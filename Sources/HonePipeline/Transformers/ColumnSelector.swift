import HoneCore

/// Keeps or drops columns by name or type (a pipeline step that learns nothing, except
/// which columns it chose, so later tables are cut the same way).
public struct ColumnSelector: Transformer, Equatable {
  /// The columns to keep, or to drop when ``dropping`` is `true`.
  public var columns: ColumnChoice
  /// Whether ``columns`` are dropped rather than kept. Default `false`.
  public var dropping: Bool

  /// Creates a selector.
  public init(_ columns: ColumnChoice, dropping: Bool = false) {
    self.columns = columns
    self.dropping = dropping
  }

  /// The fitted selector: the resolved column names.
  public struct Fitted: FittedTransformer, Equatable {
    /// The columns kept, in order.
    public let kept: [String]

    /// Selects the kept columns.
    ///
    /// - Throws: ``TransformerError`` when a kept column is missing.
    public func transform(_ table: Table) throws -> Table {
      for name in kept where table[name] == nil {
        throw TransformerError("ColumnSelector: no column named `\(name)`; it was present when the selector was fitted")
      }
      return try table.selecting(kept)
    }
  }

  /// Resolves the chosen columns.
  ///
  /// - Throws: ``TransformerError`` for an unknown column name.
  public func fit(_ table: Table, target: [Double]? = nil) throws -> Fitted {
    let chosen = try columns.resolve(in: table)
    let kept = dropping ? table.columnNames.filter { !chosen.contains($0) } : chosen
    return Fitted(kept: kept)
  }
}
