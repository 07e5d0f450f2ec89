import HoneCore

/// A named held-out set a gradient-boosting fit scores after every round (LightGBM's
/// `valid_sets` with `valid_names`).
///
/// ```swift
/// let model = try GradientBoostingClassifier(h).fit(
///   train, validationSets: [ValidationSet("recent", recent), ValidationSet("older", older)])
/// let auc = model.history.last?.value(of: "auc", on: "recent")
/// ```
public struct ValidationSet: Sendable {
  /// The name under which the set's values appear in ``BoostingRound/evaluations``.
  public var name: String
  /// The rows: the training data's feature columns, a target and optional weights.
  public var data: Dataset

  /// Creates a named validation set.
  ///
  /// - Parameters:
  ///   - name: A non-empty name, unique among a fit's sets and not `training`.
  ///   - data: The rows.
  public init(_ name: String, _ data: Dataset) {
    self.name = name
    self.data = data
  }
}
