/// Regression metrics that match scikit-learn 1.9 (`mean_squared_error`,
/// `root_mean_squared_error`, `mean_absolute_error`, `r2_score`,
/// `mean_absolute_percentage_error`, `mean_pinball_loss`), each with optional
/// non-negative sample weights: a weighted metric is the weighted mean `Σ wᵢ ℓᵢ / Σ wᵢ`
/// of the per-row losses.
public enum RegressionMetrics {
  /// The mean squared error.
  ///
  /// - Parameters:
  ///   - yTrue: True values.
  ///   - yPred: Predictions, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The (weighted) mean of `(yᵢ − ŷᵢ)²`; lower is better.
  /// - Throws: ``MetricError`` for empty, misaligned or non-finite inputs or invalid weights.
  /// - Complexity: O(n).
  public static func meanSquaredError(yTrue: [Double], yPred: [Double], weights: [Double]? = nil) throws -> Double {
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: "meanSquaredError")
    return MetricValidation.average(zip(yTrue, yPred).map { ($0 - $1) * ($0 - $1) }, weights: weights)
  }

  /// The root mean squared error, `√MSE` (scikit-learn's `root_mean_squared_error`; the
  /// root is taken after weighting).
  ///
  /// - Parameters:
  ///   - yTrue: True values.
  ///   - yPred: Predictions, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The RMSE, in the units of the target; lower is better.
  /// - Throws: ``MetricError`` as ``meanSquaredError(yTrue:yPred:weights:)``.
  /// - Complexity: O(n).
  public static func rootMeanSquaredError(
    yTrue: [Double], yPred: [Double], weights: [Double]? = nil
  ) throws -> Double {
    try meanSquaredError(yTrue: yTrue, yPred: yPred, weights: weights).squareRoot()
  }

  /// The mean absolute error.
  ///
  /// - Parameters:
  ///   - yTrue: True values.
  ///   - yPred: Predictions, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The (weighted) mean of `|yᵢ − ŷᵢ|`; lower is better.
  /// - Throws: ``MetricError`` as ``meanSquaredError(yTrue:yPred:weights:)``.
  /// - Complexity: O(n).
  public static func meanAbsoluteError(yTrue: [Double], yPred: [Double], weights: [Double]? = nil) throws -> Double {
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: "meanAbsoluteError")
    return MetricValidation.average(zip(yTrue, yPred).map { abs($0 - $1) }, weights: weights)
  }

  /// The coefficient of determination, `R² = 1 − SS_res / SS_tot`, with the weighted mean
  /// of `yTrue` as the baseline.
  ///
  /// A constant `yTrue` makes `SS_tot = 0`; like scikit-learn (`force_finite=True`) the
  /// result is then 1 for a perfect prediction and 0 otherwise, rather than NaN or −∞.
  ///
  /// - Parameters:
  ///   - yTrue: True values.
  ///   - yPred: Predictions, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: R², at most 1 and unbounded below; greater is better.
  /// - Throws: ``MetricError`` as ``meanSquaredError(yTrue:yPred:weights:)``.
  /// - Complexity: O(n).
  public static func r2Score(yTrue: [Double], yPred: [Double], weights: [Double]? = nil) throws -> Double {
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: "r2Score")
    let mean = MetricValidation.average(yTrue, weights: weights)
    var residual = 0.0
    var total = 0.0
    for i in yTrue.indices {
      let weight = weights?[i] ?? 1
      residual += weight * (yTrue[i] - yPred[i]) * (yTrue[i] - yPred[i])
      total += weight * (yTrue[i] - mean) * (yTrue[i] - mean)
    }
    guard total != 0 else { return residual == 0 ? 1 : 0 }
    return 1 - residual / total
  }

  /// The mean absolute percentage error as scikit-learn defines it:
  /// `mean(|yᵢ − ŷᵢ| / max(|yᵢ|, ε))` with ε the Double machine epsilon, so a zero target
  /// gives a huge but finite term instead of a division by zero.
  ///
  /// The result is a fraction (0.05 means 5 %), not multiplied by 100.
  ///
  /// - Parameters:
  ///   - yTrue: True values.
  ///   - yPred: Predictions, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The MAPE as a fraction; lower is better.
  /// - Throws: ``MetricError`` as ``meanSquaredError(yTrue:yPred:weights:)``.
  /// - Complexity: O(n).
  public static func meanAbsolutePercentageError(
    yTrue: [Double], yPred: [Double], weights: [Double]? = nil
  ) throws -> Double {
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: "meanAbsolutePercentageError")
    let ratios = zip(yTrue, yPred).map { abs($0 - $1) / max(abs($0), Double.ulpOfOne) }
    return MetricValidation.average(ratios, weights: weights)
  }

  /// The mean pinball (quantile) loss at level `alpha`: with `d = y − ŷ`, each row costs
  /// `alpha · d` when `d ≥ 0` and `(alpha − 1) · d` otherwise (Koenker & Bassett 1978).
  /// It is minimised in expectation by the `alpha`-quantile; at `alpha = 0.5` it is half
  /// the MAE.
  ///
  /// - Parameters:
  ///   - yTrue: True values.
  ///   - yPred: Predicted quantiles, aligned with `yTrue`.
  ///   - alpha: The quantile level, in [0, 1]; 0.5 by default.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The mean loss; lower is better.
  /// - Throws: ``MetricError`` as ``meanSquaredError(yTrue:yPred:weights:)``, or for an
  ///   `alpha` outside [0, 1].
  /// - Complexity: O(n).
  public static func meanPinballLoss(
    yTrue: [Double], yPred: [Double], alpha: Double = 0.5, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "meanPinballLoss"
    guard alpha >= 0 && alpha <= 1 else {
      throw MetricError(.invalidParameter, "\(metric): alpha is \(alpha); pass a quantile level in [0, 1].")
    }
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: metric)
    let losses = zip(yTrue, yPred).map { truth, prediction in
      let difference = truth - prediction
      return difference >= 0 ? alpha * difference : (alpha - 1) * difference
    }
    return MetricValidation.average(losses, weights: weights)
  }

  private static func validate(yTrue: [Double], yPred: [Double], weights: [Double]?, metric: String) throws {
    try MetricValidation.requireNonEmpty(yTrue.count, "yTrue", metric: metric)
    try MetricValidation.requireSameLength("yTrue", yTrue.count, "yPred", yPred.count, metric: metric)
    try MetricValidation.requireFinite(yTrue, "yTrue", metric: metric)
    try MetricValidation.requireFinite(yPred, "yPred", metric: metric)
    try MetricValidation.requireValidWeights(weights, count: yTrue.count, metric: metric)
  }
}
