import HoneCore

/// A multilayer perceptron classifier for two or more classes, trained by mini-batch
/// stochastic gradient methods on cross-entropy.
///
/// ```swift
/// var h = MLPHyperparameters(hiddenLayers: [64, 64], epochs: 20, seed: 7)
/// h.validationFraction = 0.1
/// h.earlyStoppingPatience = 3
/// let model = try MLPClassifier(h).fit(data)
/// let probabilities = try model.predictProbabilities(x)   // n × K
/// ```
///
/// **Network.** Dense layers `z = W·a + b` (Rumelhart, Hinton & Williams 1986), each
/// hidden layer followed by optional layer normalisation, the activation and optional
/// dropout; a linear output layer with one logit for two classes (binary cross-entropy)
/// or one per class (softmax cross-entropy). Gradients are written by hand and checked
/// against finite differences in the tests.
///
/// **Training.** Each epoch shuffles the training rows with the seeded generator and
/// takes one optimiser step per mini-batch on the weighted mean loss plus the weight
/// penalty; see ``MLPHyperparameters`` for the optimisers, schedules, clipping and early
/// stopping. For a seed and a BLAS thread count, a fit is deterministic.
///
/// **scikit-learn.** With `optimizer: .adam`, `weightDecay` = `alpha`, `batchSize`,
/// `learningRate` = `learning_rate_init`, `initialization: .glorot`, `precision:
/// .float64` and standardised input this is scikit-learn's `MLPClassifier` up to the
/// random streams (and bias initialisation, which scikit-learn draws from the same
/// uniform as the weights).
public struct MLPClassifier: Estimator {
  /// The hyperparameters.
  public var hyperparameters: MLPHyperparameters

  /// Creates an estimator.
  ///
  /// - Parameter hyperparameters: The hyperparameters; defaults as documented.
  public init(_ hyperparameters: MLPHyperparameters = MLPHyperparameters()) { self.hyperparameters = hyperparameters }

  /// Fits a classifier; the model's classes are the distinct training labels, sorted,
  /// or `0..<classCount` when that is set.
  ///
  /// - Parameter data: Features, class labels `0, 1, …` and optional sample weights.
  /// - Returns: The fitted model.
  /// - Throws: ``MLPError`` as ``fit(_:validation:onEpoch:)``.
  /// - Complexity: O(epochs · n · Σ layer in × out).
  public func fit(_ data: Dataset) throws -> MLPModel {
    try fit(data, validation: nil, onEpoch: nil)
  }

  /// Fits a classifier, validating after every epoch on `validation` (or on the
  /// ``MLPHyperparameters/validationFraction`` held out) and reporting each epoch to
  /// `onEpoch`.
  ///
  /// - Parameters:
  ///   - data: Features, class labels `0, 1, …` and optional sample weights.
  ///   - validation: An explicit validation set, or `nil`.
  ///   - onEpoch: Called after every epoch; return ``MLPEpochDecision/stop`` to end training.
  /// - Returns: The fitted model, with the history in its diagnostics.
  /// - Throws: ``MLPError`` for invalid hyperparameters (no hidden layers, a zero-width
  ///   layer, batch size 0, …), NaN or infinite features, labels that are not
  ///   non-negative integers, a single class, a label outside a fixed `classCount`, a
  ///   validation label the training rows lack, or a fit whose loss diverges; whatever
  ///   `onEpoch` throws.
  /// - Complexity: O(epochs · n · Σ layer in × out).
  public func fit(_ data: Dataset, validation: Dataset?, onEpoch: MLPEpochCallback? = nil) throws -> MLPModel {
    try MLPFitting.fit(hyperparameters, task: .classification, data: data, validation: validation, onEpoch: onEpoch)
  }
}
