import Foundation
import HoneCore
import HoneLinearAlgebra

/// Validation and fitting shared by the regressor and the classifier.
enum GradientBoostingFitting {
  /// Fits on `data` with target `target` (already encoded for the loss); each validation
  /// set comes with its target encoded the same way.
  static func fit(
    _ data: Dataset, target: [Double], loss: Loss, classes: [Int], hyperparameters h: GradientBoostingHyperparameters,
    validation: [(set: ValidationSet, target: [Double])], binned: BinnedDataset?,
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
    for metric in h.metrics {
      if let reason = metric.incompatibility(with: loss) {
        throw GradientBoostingError("\(reason); this fit trains \(Self.describe(loss)). Choose another metric")
      }
    }
    var names = Set<String>()
    var validationData: [ValidationData] = []
    for (set, encoded) in validation {
      guard !set.name.isEmpty, set.name != Booster.trainingSetName else {
        throw GradientBoostingError(
          "a validation set is named `\(set.name)`; give each set a non-empty name other than `\(Booster.trainingSetName)`"
        )
      }
      guard names.insert(set.name).inserted else {
        throw GradientBoostingError("two validation sets are named `\(set.name)`; give each set its own name")
      }
      guard set.data.featureCount == data.featureCount else {
        throw GradientBoostingError(
          "validation set `\(set.name)` has \(set.data.featureCount) columns but the training data has \(data.featureCount); pass the same feature columns"
        )
      }
      validationData.append(
        ValidationData(name: set.name, features: set.data.features, target: encoded, weights: set.data.weights))
    }
    if h.earlyStoppingRounds > 0 && validationData.isEmpty {
      throw GradientBoostingError(
        "earlyStoppingRounds is \(h.earlyStoppingRounds) but no validation set was given; pass one or set it to 0")
    }
    try requireSplittableFeature(data)
    let categorical = try categoricalFeatures(of: data, hyperparameters: h)
    if !h.monotoneConstraints.isEmpty {
      guard h.monotoneConstraints.count == data.featureCount else {
        throw GradientBoostingError(
          "monotoneConstraints has \(h.monotoneConstraints.count) entries but the data has \(data.featureCount) features; give one of -1, 0, 1 per feature"
        )
      }
      if let bad = categorical.sorted().first(where: { h.monotoneConstraints[$0] != 0 }) {
        throw GradientBoostingError(
          "feature `\(data.featureNames[bad])` is categorical and cannot be monotone; set its monotoneConstraints entry to 0"
        )
      }
    }
    if let binned, binned.categoricalFeatures != categorical {
      throw GradientBoostingError(
        "the binned data has categorical features \(binned.categoricalFeatures.sorted()) but the fit needs \(categorical.sorted()); bin with BinnedDataset(features:categoricalFeatures:) using the same columns"
      )
    }
    let threads = h.threads > 0 ? h.threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    let bins =
      try binned
      ?? BinnedDataset(
        features: data.features, maxBins: h.maxBins, threads: threads, categoricalFeatures: categorical,
        maxCategoriesPerFeature: h.maxCategoriesPerFeature)
    let result = Booster(hyperparameters: h, loss: loss, customObjective: customObjective).run(
      data: bins, target: target, weights: data.weights, validation: validationData, onRound: onRound)
    return GradientBoostingModel(
      loss: loss, classes: classes, featureNames: data.featureNames, hyperparameters: h, result: result)
  }

  /// Refuses data on which no tree can split: every feature takes one value on every row
  /// (or is missing on every row). A model would be the starting constant, which is
  /// almost always a mistake upstream — a wrong column list, a filter that left one
  /// group. A constant feature next to informative ones is fine: it never splits.
  ///
  /// - Throws: ``GradientBoostingError`` naming the features and their values.
  static func requireSplittableFeature(_ data: Dataset) throws {
    let x = data.features
    let rows = x.rows
    guard rows > 0 else { return }
    var constants: [String] = []
    let splittable = x.withUnsafeBufferPointer { values -> Bool in
      for j in 0..<x.columns {
        let column = UnsafeBufferPointer(rebasing: values[(j * rows)..<((j + 1) * rows)])
        let first = column[0]
        let varies = column.contains { value in
          first.isNaN ? !value.isNaN : (value.isNaN || value != first)
        }
        if varies { return true }
        if constants.count < 5 { constants.append("`\(data.featureNames[j])` = \(first)") }
      }
      return false
    }
    guard !splittable else { return }
    let more = x.columns > constants.count ? " and \(x.columns - constants.count) more" : ""
    throw GradientBoostingError(
      "every feature is constant (\(constants.joined(separator: ", "))\(more)), so no tree can split; check the feature columns and any row filter"
    )
  }

  /// The training task in words, for metric errors.
  private static func describe(_ loss: Loss) -> String {
    switch loss {
    case .binaryLogLoss: return "a binary classifier"
    case .multiclassSoftmax(let k): return "a \(k)-class classifier"
    default: return "a regressor"
    }
  }

  /// The feature indices split natively on categories: the named
  /// ``GradientBoostingHyperparameters/categoricalFeatures``, or the dataset's
  /// categorical columns when none are named.
  ///
  /// - Throws: ``GradientBoostingError`` for a name that is not a feature.
  static func categoricalFeatures(of data: Dataset, hyperparameters h: GradientBoostingHyperparameters) throws
    -> Set<Int>
  {
    guard !h.categoricalFeatures.isEmpty else { return Set(data.categories.keys) }
    let index = Dictionary(data.featureNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    return try Set(
      h.categoricalFeatures.map { name in
        guard let j = index[name] else {
          throw GradientBoostingError(
            "categoricalFeatures names `\(name)`, which is not a feature; the features are \(data.featureNames.joined(separator: ", "))"
          )
        }
        return j
      })
  }
}
