/// A user-supplied boosting objective: closures giving each row's loss, gradient and
/// hessian with respect to its raw score (LightGBM's `fobj`, XGBoost's `obj`).
///
/// ```swift
/// // Squared error, written by hand.
/// let objective = CustomObjective(name: "my-l2") { y, s in 0.5 * (s - y) * (s - y) } derivatives: { y, s in (s - y, 1) }
/// let model = try GradientBoostingRegressor(h, objective: objective).fit(data)
/// ```
///
/// Closures cannot be encoded, so this is not part of the `Codable`
/// ``GradientBoostingHyperparameters``: it is an argument of
/// ``GradientBoostingRegressor/init(_:objective:)``, and a fitted model records only
/// ``Loss/custom(name:)``. Predictions need no closure — a saved model loads and predicts
/// raw scores (the identity transform) — but refitting needs the objective again.
///
/// Each row's gradient and hessian are multiplied by its sample weight, then kept as
/// `Float` like the built-in objectives'. The hessian should be positive; a leaf's value
/// is `−ΣG / (ΣH + λ₂)`.
public struct CustomObjective: Sendable {
  /// A name recorded in the fitted model's ``GradientBoostingModel/loss``.
  public var name: String
  /// The constant raw score boosting starts from.
  public var initialScore: Double
  /// The loss `ℓ(y, s)` of one row, for the recorded training and validation losses and
  /// early stopping.
  public var value: @Sendable (_ target: Double, _ score: Double) -> Double
  /// The gradient `∂ℓ/∂s` and hessian `∂²ℓ/∂s²` of one row.
  public var derivatives: @Sendable (_ target: Double, _ score: Double) -> (gradient: Double, hessian: Double)

  /// Creates an objective.
  ///
  /// - Parameters:
  ///   - name: A name recorded in the fitted model.
  ///   - initialScore: The starting raw score; default 0.
  ///   - value: The loss of one row (target, score).
  ///   - derivatives: The gradient and hessian of one row's loss with respect to the score.
  public init(
    name: String, initialScore: Double = 0, value: @escaping @Sendable (Double, Double) -> Double,
    derivatives: @escaping @Sendable (Double, Double) -> (gradient: Double, hessian: Double)
  ) {
    self.name = name
    self.initialScore = initialScore
    self.value = value
    self.derivatives = derivatives
  }
}
