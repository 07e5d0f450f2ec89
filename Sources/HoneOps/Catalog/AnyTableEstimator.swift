import HoneCore
import HoneLinearAlgebra
import HonePipeline

/// Any ``TableEstimator`` behind one concrete type, so code that picks the estimator at
/// run time (the catalog, a configuration file) can hand it to the generic
/// `crossValidate` and keep it in arrays.
///
/// It is a `ValidatingTableEstimator` for every estimator, so the same value goes to
/// either `crossValidate`; only one built to stop early (``canValidate``) uses the
/// validation rows, the others fit as without them.
public struct AnyTableEstimator: ValidatingTableEstimator {
  /// A short description of the wrapped estimator, such as `Pipeline<Ridge>`.
  public let name: String
  private let body: @Sendable (Table, String, String?) throws -> AnyTableModel
  private let validatingBody: (@Sendable (Table, String, String?, Table) throws -> AnyTableModel)?

  /// Wraps an estimator whose fitted models can be saved as model files.
  ///
  /// - Parameter estimator: The estimator, usually a ``Pipeline``.
  public init<E: TableEstimator>(_ estimator: E) where E.Fitted: ModelFileContent {
    name = String(describing: E.self)
    body = { table, target, weights in AnyTableModel(try estimator.fit(table, target: target, weights: weights)) }
    validatingBody = nil
  }

  /// Wraps a pipeline whose estimator stops early on the validation rows.
  init<E: RoundTrainedEstimator>(stoppingEarly pipeline: Pipeline<E>) {
    name = String(describing: Pipeline<E>.self)
    body = { table, target, weights in
      let model = try pipeline.fit(table, target: target, weights: weights)
      return AnyTableModel(model, keptRounds: E.keptRounds(of: model.model))
    }
    validatingBody = { table, target, weights, validation in
      let model = try pipeline.fit(table, target: target, weights: weights, validation: validation) {
        try $0.fitWatching($1, validation: $2)
      }
      return AnyTableModel(model, keptRounds: E.keptRounds(of: model.model))
    }
  }

  /// Whether ``fit(_:target:weights:validation:)`` watches the validation rows (an
  /// estimator from ``CatalogEntry/estimator(tuned:fixed:preprocessing:stoppingEarlyAfter:watching:)``).
  public var canValidate: Bool { validatingBody != nil }

  /// Fits the wrapped estimator, letting it stop early on `validation` when it was built
  /// to (``canValidate``); otherwise as ``fit(_:target:weights:)``.
  ///
  /// - Parameters:
  ///   - table: The training rows.
  ///   - target: The target column of both tables.
  ///   - weights: An optional column of sample weights, in both tables.
  ///   - validation: The held-out rows early stopping watches.
  /// - Returns: The fitted model, with ``AnyTableModel/keptRounds`` when it stopped early.
  /// - Throws: The wrapped estimator's error.
  public func fit(_ table: Table, target: String, weights: String?, validation: Table) throws -> AnyTableModel {
    guard let validatingBody else { return try body(table, target, weights) }
    return try validatingBody(table, target, weights, validation)
  }

  /// Fits the wrapped estimator.
  ///
  /// - Parameters:
  ///   - table: The training rows.
  ///   - target: The target column.
  ///   - weights: An optional column of sample weights.
  /// - Returns: The fitted model, type-erased.
  /// - Throws: The wrapped estimator's error.
  public func fit(_ table: Table, target: String, weights: String? = nil) throws -> AnyTableModel {
    try body(table, target, weights)
  }
}

/// Any fitted ``TableModel`` that can be saved as a model file, behind one concrete type.
public struct AnyTableModel: TableModel {
  /// The wrapped model.
  public let base: any TableModel
  /// The model-file kind it saves as (`pipeline/gbdt`, …).
  public let kind: String
  /// The rounds a model trained in rounds kept (its best round when it stopped early);
  /// `nil` for a model wrapped without saying.
  public let keptRounds: Int?
  private let saveBody: @Sendable (String, [String: String]) throws -> Void

  /// Wraps a model.
  ///
  /// - Parameter model: The fitted model.
  public init<M: TableModel & ModelFileContent>(_ model: M) { self.init(model, keptRounds: nil) }

  init<M: TableModel & ModelFileContent>(_ model: M, keptRounds: Int?) {
    base = model
    kind = M.kind
    self.keptRounds = keptRounds
    saveBody = { path, metadata in try ModelFile.save(model, to: path, metadata: metadata) }
  }

  /// One prediction per row.
  ///
  /// - Parameter table: Rows with the training columns.
  /// - Returns: The predictions (class labels for classifiers).
  /// - Throws: The wrapped model's error.
  public func predict(_ table: Table) throws -> [Double] { try base.predict(table) }

  /// Class probabilities for classifiers, `nil` otherwise.
  ///
  /// - Parameter table: Rows with the training columns.
  /// - Returns: A `rows × classes` matrix, or `nil`.
  /// - Throws: The wrapped model's error.
  public func predictProbabilities(_ table: Table) throws -> Matrix? { try base.predictProbabilities(table) }

  /// The class of each probability column, or `nil` for regressors.
  public var classes: [Double]? { base.classes }

  /// Saves the model as a model file, atomically.
  ///
  /// - Parameters:
  ///   - path: The destination.
  ///   - metadata: Extra header entries (training file, target, …).
  /// - Throws: `ModelFileError` when encoding or writing fails.
  public func save(to path: String, metadata: [String: String] = [:]) throws { try saveBody(path, metadata) }
}
