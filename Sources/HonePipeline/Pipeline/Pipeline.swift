import HoneCore
import HoneLinearAlgebra

/// Transforms ending in an estimator, itself a ``TableEstimator``: `fit` fits every step
/// on the rows it is given — inside cross-validation, the training fold only — and the
/// fitted ``PipelineModel`` holds every fitted step and the fitted model.
///
/// ```swift
/// let pipeline = Pipeline(
///   [.imputer(.init(strategy: .median)), .standardScaler(.init()), .oneHotEncoder(.init(handleUnknown: .ignore))],
///   Ridge(alpha: 1))
/// let model = try pipeline.fit(train, target: "price")
/// let predictions = try model.predict(test)
/// ```
///
/// After the steps, every remaining column except the target and weights must be float
/// or integer; they become the features, in table order.
public struct Pipeline<E: Estimator>: TableEstimator {
  /// The transforms, applied in order.
  public var steps: [TransformStep]
  /// The final estimator.
  public var estimator: E

  /// Creates a pipeline.
  public init(_ steps: [TransformStep] = [], _ estimator: E) {
    self.steps = steps
    self.estimator = estimator
  }

  /// Creates a pipeline without transforms: the estimator on the table's numeric columns.
  public init(_ estimator: E) { self.init([], estimator) }

  /// Fits every step, then the estimator, on the rows of `table`.
  ///
  /// - Throws: ``TransformerError`` from a step, ``PipelineError`` for a missing target or
  ///   a non-numeric column left after the steps, or the estimator's error.
  public func fit(_ table: Table, target: String, weights: String? = nil) throws -> PipelineModel<E.Fitted> {
    let prepared = try fitSteps(table, target: target, weights: weights)
    return prepared.model(try estimator.fit(prepared.data), target: target)
  }

  /// What fitting the steps produced: the fitted steps and the estimator's data.
  struct FittedSteps {
    let steps: [FittedStep]
    let data: Dataset
    let targetCategories: [String]?

    func model(_ fitted: E.Fitted, target: String) -> PipelineModel<E.Fitted> {
      PipelineModel(
        steps: steps, model: fitted, featureNames: data.featureNames, target: target,
        targetCategories: targetCategories)
    }
  }

  /// Fits every step on `table` and assembles the estimator's data from what is left.
  func fitSteps(_ table: Table, target: String, weights: String?) throws -> FittedSteps {
    let targetColumn = try PipelineError.column(target, in: table, role: "target")
    let y = targetColumn.doubleValues
    let w = try weights.map { try PipelineError.column($0, in: table, role: "weights").doubleValues }
    var features = try table.dropping([target] + (weights.map { [$0] } ?? []))
    var fitted: [FittedStep] = []
    for step in steps {
      let (fittedStep, output) = try step.fitTransform(features, target: y)
      fitted.append(fittedStep)
      features = output
    }
    let names = try PipelineError.numericFeatures(features)
    let data = try Dataset(features: try features.matrix(columns: names), target: y, weights: w, featureNames: names)
    var targetCategories: [String]?
    if case .categorical(_, let categories) = targetColumn.values { targetCategories = categories }
    return FittedSteps(steps: fitted, data: data, targetCategories: targetCategories)
  }
}

/// A fitted ``Pipeline``: the fitted steps, the fitted model, and the feature columns the
/// model expects after the steps. Saves through ``ModelFile`` like any model.
public struct PipelineModel<M: Model>: TableModel, ModelFileContent {
  /// The model-file kind: `pipeline/` followed by the model's kind.
  public static var kind: String { "pipeline/" + M.kind }

  /// The fitted steps, in order.
  public let steps: [FittedStep]
  /// The fitted model.
  public let model: M
  /// The feature columns after the steps, in the order the model uses them.
  public let featureNames: [String]
  /// The target column the pipeline was fitted on.
  public let target: String
  /// For a categorical target, its categories: prediction `k` stands for category `k`.
  public let targetCategories: [String]?

  /// Applies every fitted step.
  ///
  /// - Throws: A step's error.
  public func transform(_ table: Table) throws -> Table {
    var out = table
    for step in steps { out = try step.transform(out) }
    return out
  }

  /// The model's feature matrix for `table`.
  ///
  /// - Throws: A step's error, or ``PipelineError`` when a feature column is missing.
  public func features(_ table: Table) throws -> Matrix {
    let transformed = try transform(table)
    for name in featureNames where transformed[name] == nil {
      throw PipelineError(
        "the model needs feature column `\(name)`, which is missing after the pipeline's steps; pass a table with the training columns"
      )
    }
    return try transformed.matrix(columns: featureNames)
  }

  /// Predicts one value per row.
  ///
  /// - Throws: A step's or the model's error.
  public func predict(_ table: Table) throws -> [Double] {
    try model.predict(try features(table))
  }

  /// The model's classes when it is a ``ProbabilisticModel``, else `nil`.
  public var classes: [Double]? {
    guard let classifier = model as? any ProbabilisticModel, !classifier.classes.isEmpty else { return nil }
    return classifier.classes.map(Double.init)
  }

  /// Class probabilities when the model is a ``ProbabilisticModel``, else `nil`.
  ///
  /// - Throws: A step's or the model's error.
  public func predictProbabilities(_ table: Table) throws -> Matrix? {
    guard let classifier = model as? any ProbabilisticModel, !classifier.classes.isEmpty else { return nil }
    return try classifier.predictProbabilities(try features(table))
  }
}

/// An error assembling a pipeline's data: a missing target or weights column, or a
/// non-numeric column left for the model.
public struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }

  static func column(_ name: String, in table: Table, role: String) throws -> Column {
    guard let column = table[name] else {
      throw PipelineError("no \(role) column `\(name)`; the table has \(table.columnNames.joined(separator: ", "))")
    }
    return column
  }

  /// The table's columns when all are numeric.
  static func numericFeatures(_ table: Table) throws -> [String] {
    let bad = table.columns.filter { $0.type != .float && $0.type != .integer }
    guard bad.isEmpty else {
      let list = bad.map { "`\($0.name)` (\($0.type))" }.joined(separator: ", ")
      throw PipelineError(
        "columns \(list) are not numeric after the pipeline's steps; add an encoder (one-hot, ordinal, target) or a ColumnSelector that drops them"
      )
    }
    guard !table.columns.isEmpty else { throw PipelineError("no feature columns are left after the pipeline's steps") }
    return table.columnNames
  }
}

extension PipelineModel: Equatable where M: Equatable {}
