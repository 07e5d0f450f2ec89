/// The model families a run configuration and `hone tune` can name.
///
/// A kind together with a ``PredictionTask`` picks the estimator: `gbdt` is the
/// gradient-boosted classifier for a classification task and the regressor for a
/// regression task; `logistic` is classification only; `ols`, `ridge`, `lasso` and
/// `elasticnet` are regression only.
public enum ModelKind: String, CaseIterable, Codable, Sendable, Hashable {
  case gbdt, ols, ridge, lasso, elasticnet, logistic, mlp

  /// Whether the kind can learn `task`.
  public func supports(_ task: PredictionTask) -> Bool {
    switch self {
    case .gbdt, .mlp: return true
    case .ols, .ridge, .lasso, .elasticnet: return task == .regression
    case .logistic: return task == .classification
    }
  }
}

/// What a model predicts: a number, or a class (binary or multiclass).
public enum PredictionTask: String, CaseIterable, Codable, Sendable, Hashable {
  case regression, classification
}
