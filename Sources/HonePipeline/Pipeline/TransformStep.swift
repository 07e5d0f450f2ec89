import HoneCore

/// One step of a ``Pipeline`` or a ``ColumnTransformer`` branch: a transformer, as a
/// `Codable` value so configuration files can describe whole pipelines.
public enum TransformStep: Codable, Sendable, Equatable {
  /// ``StandardScaler``.
  case standardScaler(StandardScaler)
  /// ``MinMaxScaler``.
  case minMaxScaler(MinMaxScaler)
  /// ``RobustScaler``.
  case robustScaler(RobustScaler)
  /// ``SimpleImputer``.
  case imputer(SimpleImputer)
  /// ``OneHotEncoder``.
  case oneHotEncoder(OneHotEncoder)
  /// ``OrdinalEncoder``.
  case ordinalEncoder(OrdinalEncoder)
  /// ``TargetEncoder``.
  case targetEncoder(TargetEncoder)
  /// ``ColumnSelector``.
  case selector(ColumnSelector)
  /// ``ColumnTransformer``: different steps for different columns.
  case columns(ColumnTransformer)

  /// Fits the step on `table` and transforms it (out of fold for ``TargetEncoder``).
  ///
  /// - Throws: The transformer's error.
  public func fitTransform(_ table: Table, target: [Double]?) throws -> (FittedStep, Table) {
    switch self {
    case .standardScaler(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.affineScaler)
    case .minMaxScaler(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.affineScaler)
    case .robustScaler(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.affineScaler)
    case .imputer(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.imputer)
    case .oneHotEncoder(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.oneHotEncoder)
    case .ordinalEncoder(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.ordinalEncoder)
    case .targetEncoder(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.targetEncoder)
    case .selector(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.selector)
    case .columns(let t): return try wrap(t.fitTransform(table, target: target), FittedStep.columns)
    }
  }

  private func wrap<F>(_ result: (F, Table), _ make: (F) -> FittedStep) -> (FittedStep, Table) {
    (make(result.0), result.1)
  }
}

/// A fitted ``TransformStep``.
public enum FittedStep: Codable, Sendable, Equatable {
  /// A fitted scaler (standard, min-max or robust).
  case affineScaler(FittedAffineScaler)
  /// A fitted imputer.
  case imputer(SimpleImputer.Fitted)
  /// A fitted one-hot encoder.
  case oneHotEncoder(OneHotEncoder.Fitted)
  /// A fitted ordinal encoder.
  case ordinalEncoder(OrdinalEncoder.Fitted)
  /// A fitted target encoder.
  case targetEncoder(TargetEncoder.Fitted)
  /// A fitted column selector.
  case selector(ColumnSelector.Fitted)
  /// A fitted column transformer.
  case columns(ColumnTransformer.Fitted)

  /// Applies the fitted step.
  ///
  /// - Throws: The fitted transformer's error.
  public func transform(_ table: Table) throws -> Table {
    switch self {
    case .affineScaler(let f): try f.transform(table)
    case .imputer(let f): try f.transform(table)
    case .oneHotEncoder(let f): try f.transform(table)
    case .ordinalEncoder(let f): try f.transform(table)
    case .targetEncoder(let f): try f.transform(table)
    case .selector(let f): try f.transform(table)
    case .columns(let f): try f.transform(table)
    }
  }
}

/// Applies different steps to different columns and puts the results side by side
/// (scikit-learn's `ColumnTransformer`): each branch fits its steps on its own columns;
/// columns no branch claims pass through unchanged or are dropped.
///
/// ```swift
/// let prepare = ColumnTransformer(branches: [
///   .init(columns: .numeric, steps: [.imputer(.init(strategy: .median)), .standardScaler(.init())]),
///   .init(columns: .categorical, steps: [.oneHotEncoder(.init(handleUnknown: .ignore))]),
/// ])
/// ```
public struct ColumnTransformer: Transformer, Equatable {
  /// One set of columns and the steps applied to them, in order.
  public struct Branch: Codable, Sendable, Equatable {
    /// The branch's columns.
    public var columns: ColumnChoice
    /// The steps, applied in order to the branch's columns only.
    public var steps: [TransformStep]

    /// Creates a branch.
    public init(columns: ColumnChoice, steps: [TransformStep]) {
      self.columns = columns
      self.steps = steps
    }
  }

  /// The branches.
  public var branches: [Branch]
  /// Whether columns no branch claims are kept (`true`, the default) or dropped.
  public var passthroughRemainder: Bool

  /// Creates a column transformer.
  public init(branches: [Branch], passthroughRemainder: Bool = true) {
    self.branches = branches
    self.passthroughRemainder = passthroughRemainder
  }

  /// The fitted column transformer.
  public struct Fitted: FittedTransformer, Equatable {
    /// Each branch's columns and fitted steps.
    public let branches: [FittedBranch]
    /// The columns passed through unchanged.
    public let remainder: [String]

    /// Transforms each branch's columns and joins the results with the remainder.
    ///
    /// - Throws: A step's error, or ``TransformerError`` when outputs share a column name.
    public func transform(_ table: Table) throws -> Table {
      var parts: [Table] = []
      for branch in branches {
        var part = try table.selecting(branch.columns)
        for step in branch.steps { part = try step.transform(part) }
        parts.append(part)
      }
      parts.append(try table.selecting(remainder))
      return try joinColumns(parts)
    }
  }

  /// Fits every branch on its columns.
  ///
  /// - Throws: A step's error, or ``TransformerError`` when a column belongs to two
  ///   branches or outputs share a column name.
  public func fit(_ table: Table, target: [Double]?) throws -> Fitted {
    try fitTransform(table, target: target).0
  }

  /// Fits every branch and returns the transformed training rows (out of fold for
  /// target encoders inside branches).
  public func fitTransform(_ table: Table, target: [Double]?) throws -> (Fitted, Table) {
    var claimed = Set<String>()
    var fittedBranches: [FittedBranch] = []
    var parts: [Table] = []
    for branch in branches {
      let names = try branch.columns.resolve(in: table)
      for name in names where !claimed.insert(name).inserted {
        throw TransformerError(
          "ColumnTransformer: column `\(name)` belongs to two branches; give each column one branch")
      }
      var part = try table.selecting(names)
      var steps: [FittedStep] = []
      for step in branch.steps {
        let (fitted, output) = try step.fitTransform(part, target: target)
        steps.append(fitted)
        part = output
      }
      fittedBranches.append(FittedBranch(columns: names, steps: steps))
      parts.append(part)
    }
    let remainder = passthroughRemainder ? table.columnNames.filter { !claimed.contains($0) } : []
    parts.append(try table.selecting(remainder))
    let fitted = Fitted(branches: fittedBranches, remainder: remainder)
    return (fitted, try joinColumns(parts))
  }
}

/// One fitted branch: its input columns and fitted steps.
public struct FittedBranch: Codable, Sendable, Equatable {
  /// The branch's input columns.
  public let columns: [String]
  /// The fitted steps.
  public let steps: [FittedStep]
}

/// Puts tables with the same rows side by side.
func joinColumns(_ parts: [Table]) throws -> Table {
  var columns: [Column] = []
  var seen = Set<String>()
  for part in parts {
    for column in part.columns {
      guard seen.insert(column.name).inserted else {
        throw TransformerError(
          "two transformer outputs are both named `\(column.name)`; rename a column or change the branches")
      }
      columns.append(column)
    }
  }
  return try Table(columns)
}
