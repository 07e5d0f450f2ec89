import HoneCore
import HoneLinearAlgebra

/// A learner that fits directly on a ``Table``: what cross-validation and tuning take.
///
/// ``Pipeline`` is the table estimator: its steps turn the table into numeric features
/// and its final ``Estimator`` fits them. A plain estimator is a pipeline without steps,
/// `Pipeline(estimator)`.
public protocol TableEstimator: Sendable {
  /// The fitted model.
  associatedtype Fitted: TableModel

  /// Fits on the rows of `table`, predicting column `target`, with optional sample
  /// weights from column `weights`.
  ///
  /// - Throws: An error naming the column or value that cannot be used.
  func fit(_ table: Table, target: String, weights: String?) throws -> Fitted
}

/// A fitted model that predicts from a ``Table``.
public protocol TableModel: Sendable {
  /// One prediction per row (class labels for classifiers).
  ///
  /// - Throws: An error when the table lacks a column the model needs.
  func predict(_ table: Table) throws -> [Double]

  /// Class probabilities (`rows × classes`), or `nil` for models that have none.
  ///
  /// - Throws: An error when the table lacks a column the model needs.
  func predictProbabilities(_ table: Table) throws -> Matrix?

  /// The class of each probability column (classifiers), or `nil`.
  var classes: [Double]? { get }
}
