import HoneCore

/// A multilayer perceptron for regression, trained by mini-batch stochastic gradient
/// methods on squared error or Huber's loss.
///
/// ```swift
/// let model = try MLPRegressor(.init(hiddenLayers: [32, 32], epochs: 200)).fit(data)
/// let predictions = try model.predict(x)
/// ```
///
/// The network and training loop are those of ``MLPClassifier`` with a single linear
/// output. Targets are used as given; scale them to unit size when they are large,
/// since the output layer starts near zero.
public struct MLPRegressor: Estimator {
  /// The hyperparameters.
  public var hyperparameters: MLPHyperparameters

  /// Creates an estimator.
  ///
  /// - Parameter hyperparameters: The hyperparameters; defaults as documented.
  public init(_ hyperparameters: MLPHyperparameters = MLPHyperparameters()) { self.hyperparameters = hyperparameters }

  /// Fits a regressor.
  ///
  /// - Parameter data: Features, a real target and optional sample weights.
  /// - Returns: The fitted model.
  /// - Throws: ``MLPError`` as ``fit(_:validation:onEpoch:)``.
  /// - Complexity: O(epochs · n · Σ layer in × out).
  public func fit(_ data: Dataset) throws -> MLPModel {
    try fit(data, validation: nil, onEpoch: nil)
  }

  /// Fits a regressor, validating after every epoch on `validation` (or on the
  /// ``MLPHyperparameters/validationFraction`` held out) and reporting each epoch to
  /// `onEpoch`.
  ///
  /// - Parameters:
  ///   - data: Features, a real target and optional sample weights.
  ///   - validation: An explicit validation set, or `nil`.
  ///   - onEpoch: Called after every epoch; return ``MLPEpochDecision/stop`` to end training.
  /// - Returns: The fitted model, with the history in its diagnostics.
  /// - Throws: ``MLPError`` for invalid hyperparameters, NaN or infinite features, or a
  ///   fit whose loss diverges; whatever `onEpoch` throws.
  /// - Complexity: O(epochs · n · Σ layer in × out).
  public func fit(_ data: Dataset, validation: Dataset?, onEpoch: MLPEpochCallback? = nil) throws -> MLPModel {
    try MLPFitting.fit(hyperparameters, task: .regression, data: data, validation: validation, onEpoch: onEpoch)
  }
}
