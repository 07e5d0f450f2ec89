import HoneCore
import HoneLinearAlgebra

/// Gradient-boosted trees for classification: the logistic loss for two classes
/// (LightGBM's `objective="binary"`), the softmax cross-entropy with one tree per class
/// and round for more (`objective="multiclass"`; Friedman 2001, §4.6; Ke et al. 2017).
///
/// ```swift
/// var h = GradientBoostingHyperparameters()
/// h.maxLeaves = 255
/// h.l2 = 1
/// let model = try GradientBoostingClassifier(h).fit(data)
/// let probabilities = try model.predictProbabilities(x)   // n × classes
/// ```
///
/// The target holds integer class labels. With two, the larger is the positive class and
/// ``GradientBoostingModel/predictProbabilities(_:)`` is `n × 2`; with `K ≥ 3`, each round
/// grows `K` trees and the probabilities are `n × K`, columns in increasing label order.
/// ``GradientBoostingHyperparameters/objective`` is ignored.
public struct GradientBoostingClassifier: Estimator {
  /// The hyperparameters.
  public let hyperparameters: GradientBoostingHyperparameters

  /// Creates a classifier.
  ///
  /// - Parameter hyperparameters: The hyperparameters; validated by ``fit(_:)``.
  public init(_ hyperparameters: GradientBoostingHyperparameters = .init()) { self.hyperparameters = hyperparameters }

  /// Fits the model.
  ///
  /// - Parameter data: Features (NaN is missing), integer class labels, optional weights.
  /// - Returns: The fitted model.
  /// - Throws: ``GradientBoostingError`` when the target is not integer labels of at least
  ///   two classes or a hyperparameter is invalid.
  /// - Complexity: O(rounds · n · p) for the histograms, plus O(n p log bins) binning.
  public func fit(_ data: Dataset) throws -> GradientBoostingModel {
    try fit(data, validation: nil)
  }

  /// Fits the model, scoring a validation set every round, with optional early stopping
  /// and a per-round callback.
  ///
  /// - Parameters:
  ///   - data: The training data.
  ///   - validation: Held-out data with labels among the training classes, recorded as set `valid_0`
  ///     (LightGBM's name for an unnamed first set).
  ///   - binned: `data`'s features binned beforehand (reused across fits); `nil` to bin them here.
  ///   - onRound: Called after every round; return `.stop` to end training.
  /// - Returns: The fitted model.
  /// - Throws: ``GradientBoostingError`` for invalid labels or hyperparameters.
  public func fit(
    _ data: Dataset, validation: Dataset?, binned: BinnedDataset? = nil,
    onRound: ((BoostingRound) -> BoostingControl)? = nil
  ) throws -> GradientBoostingModel {
    try fit(
      data, validationSets: validation.map { [ValidationSet("valid_0", $0)] } ?? [], binned: binned, onRound: onRound)
  }

  /// Fits the model, scoring every validation set with every metric after each round;
  /// early stopping watches the values ``GradientBoostingHyperparameters/earlyStoppingCriterion``
  /// chooses, and the callback sees them all in ``BoostingRound/evaluations``.
  ///
  /// - Parameters:
  ///   - data: The training data.
  ///   - validationSets: Named held-out sets with labels among the training classes.
  ///   - binned: `data`'s features binned beforehand (reused across fits); `nil` to bin them here.
  ///   - onRound: Called after every round; return `.stop` to end training.
  /// - Returns: The fitted model.
  /// - Throws: ``GradientBoostingError`` for invalid labels, hyperparameters, set names or
  ///   a metric that does not fit the number of classes.
  public func fit(
    _ data: Dataset, validationSets: [ValidationSet], binned: BinnedDataset? = nil,
    onRound: ((BoostingRound) -> BoostingControl)? = nil
  ) throws -> GradientBoostingModel {
    if let bad = data.target.firstIndex(where: { $0.rounded() != $0 }) {
      throw GradientBoostingError("class labels must be integers; row \(bad) has \(data.target[bad])")
    }
    let classes = Array(Set(data.target.map { Int($0) })).sorted()
    guard classes.count >= 2 else {
      throw GradientBoostingError(
        "the target has a single class (\(classes.first.map(String.init) ?? "none")); a classifier needs two or more")
    }
    // Binary targets become 0/1 for the logistic loss; more classes become their index
    // into `classes` for the softmax.
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { (Double($0.element), Double($0.offset)) })
    func encode(_ target: [Double], _ set: String?) throws -> [Double] {
      try target.enumerated().map { row, label in
        guard let code = index[label] else {
          throw GradientBoostingError(
            "validation set `\(set ?? "")` row \(row) has class \(label), which is not among the training classes \(classes)"
          )
        }
        return code
      }
    }
    let loss: Loss = classes.count == 2 ? .binaryLogLoss : .multiclassSoftmax(classCount: classes.count)
    return try GradientBoostingFitting.fit(
      data, target: try encode(data.target, nil), loss: loss, classes: classes, hyperparameters: hyperparameters,
      validation: try validationSets.map { ($0, try encode($0.data.target, $0.name)) }, binned: binned,
      onRound: onRound)
  }
}
