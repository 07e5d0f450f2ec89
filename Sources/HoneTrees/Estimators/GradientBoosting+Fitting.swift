import Foundation
import HoneCore
import HoneLinearAlgebra

/// Validation and fitting shared by the regressor and the classifier.
enum GradientBoostingFitting {
  /// Fits on `data` with target `target` (already encoded for the loss).
  static func fit(
    _ data: Dataset, target: [Double], loss: Loss, classes: [Int], hyperparameters h: GradientBoostingHyperparameters,
    validation: Dataset?, validationTarget: [Double]?, binned: BinnedDataset?,
    onRound: ((BoostingRound) -> BoostingControl)?, customObjective: CustomObjective? = nil
  ) throws -> GradientBoostingModel {
    try h.validate()
    if let binned {
      guard binned.rowCount == data.rowCount, binned.featureCount == data.featureCount else {
        throw GradientBoostingError(
          "the binned data is \(binned.rowCount) × \(binned.featureCount) but the dataset is \(data.rowCount) × \(data.featureCount); bin the same rows"
        )
      }
    }
    var validationData: ValidationData?
    if let validation, let validationTarget {
      guard validation.featureCount == data.featureCount else {
        throw GradientBoostingError(
          "the validation data has \(validation.featureCount) columns but the training data has \(data.featureCount)")
      }
      validationData = ValidationData(
        features: validation.features, target: validationTarget, weights: validation.weights)
    }
    if h.earlyStoppingRounds > 0 && validationData == nil {
      throw GradientBoostingError("earlyStoppingRounds is \(h.earlyStoppingRounds) but no validation data was given")
    }
    let threads = h.threads > 0 ? h.threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    let bins = try binned ?? BinnedDataset(features: data.features, maxBins: h.maxBins, threads: threads)
    let result = Booster(hyperparameters: h, loss: loss, customObjective: customObjective).run(
      data: bins, target: target, weights: data.weights, validation: validationData, onRound: onRound)
    return GradientBoostingModel(
      loss: loss, classes: classes, featureNames: data.featureNames, hyperparameters: h, result: result)
  }
}
