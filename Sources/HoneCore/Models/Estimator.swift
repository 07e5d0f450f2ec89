import HoneLinearAlgebra

/// A value Hone can write into a model file: `Codable`, with a stable kind name.
public protocol ModelFileContent: Codable, Sendable {
  /// The kind written into model files (`"ridge"`, `"gbdt"`, `"mlp"`, …), stable across
  /// versions, so a file can be checked against the type that loads it.
  static var kind: String { get }
}

/// A fitted model: an immutable, `Codable` value that makes predictions.
///
/// Models come only from ``Estimator/fit(_:)``: an unfitted model cannot exist, and
/// refitting is a new call that returns a new model. Every model kind saves to and loads
/// from the same versioned file format through ``ModelFile``.
public protocol Model: ModelFileContent {
  /// The number of feature columns the model was fitted on.
  var featureCount: Int { get }

  /// Predicts one value per row of `features` (for classifiers, the predicted label).
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: One prediction per row.
  /// - Throws: ``DatasetError`` when the column count differs from ``featureCount`` or
  ///   the values are not valid for the model.
  func predict(_ features: Matrix) throws -> [Double]
}

/// A fitted classifier that gives class probabilities.
public protocol ProbabilisticModel: Model {
  /// The class labels, in the order of the probability columns; empty when the model is
  /// a regressor (a model type that can be either, such as an MLP).
  var classes: [Int] { get }

  /// The probability of each class for each row: an `n × classes.count` matrix whose rows
  /// sum to 1.
  ///
  /// - Throws: An error when the input does not match the model.
  func predictProbabilities(_ features: Matrix) throws -> Matrix
}

/// A learning algorithm with its hyperparameters: a `Sendable` value whose ``fit(_:)``
/// validates the data and returns a separate, immutable ``Model``.
///
/// Hyperparameters are a `Codable` value with documented defaults: tuning samples them,
/// and the registry records them beside the model.
public protocol Estimator: Sendable {
  /// The hyperparameters: `Codable` so configs and studies can store them.
  associatedtype Hyperparameters: Codable & Sendable & Equatable
  /// The model ``fit(_:)`` returns.
  associatedtype Fitted: Model

  /// The hyperparameters this estimator fits with.
  var hyperparameters: Hyperparameters { get }

  /// Fits a model to `data`.
  ///
  /// - Parameter data: Features, target and optional sample weights.
  /// - Returns: The fitted model.
  /// - Throws: An error describing invalid data or hyperparameters, or a fit that failed.
  func fit(_ data: Dataset) throws -> Fitted
}
