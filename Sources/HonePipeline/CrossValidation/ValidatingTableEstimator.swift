import HoneCore

/// A table estimator that can watch held-out rows while it fits — a boosted model that
/// stops adding rounds once their score stops improving, a network that stops adding
/// epochs.
///
/// ``crossValidate(_:table:target:weights:splitter:splitData:scoring:parallel:validatingOnTestRows:onFold:)``
/// hands it each fold's test rows. Stopping on the rows that are then scored makes the
/// fold score optimistic by the choice of one number (the round count); `lgb.cv` does the
/// same, and tuning accepts it because every trial gets the same advantage.
public protocol ValidatingTableEstimator: TableEstimator {
  /// Fits on the rows of `table`, watching the rows of `validation`.
  ///
  /// - Parameters:
  ///   - table: The training rows.
  ///   - target: The target column of both tables.
  ///   - weights: An optional column of sample weights, in both tables.
  ///   - validation: The held-out rows, with the training columns.
  /// - Returns: The fitted model.
  /// - Throws: An error naming the column or value that cannot be used.
  func fit(_ table: Table, target: String, weights: String?, validation: Table) throws -> Fitted
}

extension Pipeline {
  /// Fits every step on `table`, passes `validation` through the fitted steps, and fits
  /// the estimator with both — the validated counterpart of ``fit(_:target:weights:)``.
  ///
  /// The steps never see the validation rows while fitting, so they leak nothing into
  /// the features the estimator validates on.
  ///
  /// - Parameters:
  ///   - table: The training rows.
  ///   - target: The target column of both tables.
  ///   - weights: An optional column of sample weights, in both tables.
  ///   - validation: The held-out rows.
  ///   - fitting: Fits the estimator on the training data, watching the validation data.
  /// - Returns: The fitted pipeline.
  /// - Throws: ``PipelineError`` for a missing column in either table, a step's error,
  ///   or `fitting`'s error.
  public func fit(
    _ table: Table, target: String, weights: String? = nil, validation: Table,
    fitting: (_ estimator: E, _ training: Dataset, _ validation: Dataset) throws -> E.Fitted
  ) throws -> PipelineModel<E.Fitted> {
    let prepared = try fitSteps(table, target: target, weights: weights)
    let y = try PipelineError.column(target, in: validation, role: "validation target").doubleValues
    let w = try weights.map { try PipelineError.column($0, in: validation, role: "validation weights").doubleValues }
    var features = try validation.dropping([target] + (weights.map { [$0] } ?? []))
    for step in prepared.steps { features = try step.transform(features) }
    let names = prepared.data.featureNames
    for name in names where features[name] == nil {
      throw PipelineError(
        "the validation rows lack feature column `\(name)` after the pipeline's steps; give them the training columns")
    }
    let held = try Dataset(features: try features.matrix(columns: names), target: y, weights: w, featureNames: names)
    return prepared.model(try fitting(estimator, prepared.data, held), target: target)
  }
}
