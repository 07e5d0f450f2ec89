import HoneCore
import HoneLinearAlgebra
import HonePipeline

/// Any ``TableEstimator`` behind one concrete type, so code that picks the estimator at
/// run time (the catalog, a configuration file) can hand it to the generic
/// `crossValidate` and keep it in arrays.
public struct AnyTableEstimator: TableEstimator {
  /// A short description of the wrapped estimator, such as `Pipeline<Ridge>`.
  public let name: String
  private let body: @Sendable (Table, String, String?) throws -> AnyTableModel

  /// Wraps an estimator whose fitted models can be saved as model files.
  ///
  /// - Parameter estimator: The estimator, usually a ``Pipeline``.
  public init<E: TableEstimator>(_ estimator: E) where E.Fitted: ModelFileContent {
    name = String(describing: E.self)
    body = { table, target, weights in AnyTableModel(try estimator.fit(table, target: target, weights: weights)) }
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
  private let saveBody: @Sendable (String, [String: String]) throws -> Void

  /// Wraps a model.
  ///
  /// - Parameter model: The fitted model.
  public init<M: TableModel & ModelFileContent>(_ model: M) {
    base = model
    kind = M.kind
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
