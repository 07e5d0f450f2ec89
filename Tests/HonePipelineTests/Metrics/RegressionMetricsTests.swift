import HonePipeline
import Testing

/// Regression metrics against scikit-learn 1.9.1 (`Fixtures/make_metric_fixtures.py`).
///
/// Tolerance 1e-12 relative: means of ≤ 100 same-signed terms differ from NumPy's pairwise
/// sums by ≤ n·ε ≈ 2e-14. R² has one subtraction, 1 − SS_res/SS_tot, which amplifies that
/// by 1/R² — about 1.2 for these fixtures (R² ≈ 0.85) — so it fits the same bound.
@Suite("Regression metrics vs scikit-learn")
struct RegressionMetricsTests {
  @Test(arguments: MetricFixtures.regressionCases, [false, true])
  func matchesScikitLearn(_ reference: MetricFixtures.RegressionCase, weighted: Bool) throws {
    let expected = try #require(reference.results[weighted ? "weighted" : "unweighted"])
    let (y, yp, w) = (reference.y_true, reference.y_pred, weighted ? reference.weights : nil)
    var computed: [String: Double] = [
      "mse": try RegressionMetrics.meanSquaredError(yTrue: y, yPred: yp, weights: w),
      "rmse": try RegressionMetrics.rootMeanSquaredError(yTrue: y, yPred: yp, weights: w),
      "mae": try RegressionMetrics.meanAbsoluteError(yTrue: y, yPred: yp, weights: w),
      "r2": try RegressionMetrics.r2Score(yTrue: y, yPred: yp, weights: w),
      "mape": try RegressionMetrics.meanAbsolutePercentageError(yTrue: y, yPred: yp, weights: w),
    ]
    for alpha in [0.1, 0.5, 0.9] {
      computed["pinball_\(alpha)"] = try RegressionMetrics.meanPinballLoss(
        yTrue: y, yPred: yp, alpha: alpha, weights: w)
    }
    #expect(Set(computed.keys) == Set(expected.keys))
    var worst = 0.0
    for (key, value) in expected {
      let mine = try #require(computed[key])
      worst = max(worst, relativeDifference(mine, value))
      #expect(isClose(mine, value, tolerance: 1e-12), "\(reference.name) \(key): \(mine) vs \(value)")
    }
    reportAgreement("regression \(reference.name) weighted=\(weighted)", worst)
  }

  /// Worked by hand: y = [1, 2, 4], ŷ = [2, 2, 2], errors d = y − ŷ = [−1, 0, 2].
  /// MSE = (1 + 0 + 4)/3 = 5/3; MAE = 1; ȳ = 7/3, SS_tot = 16/9 + 1/9 + 25/9 = 42/9,
  /// SS_res = 5, R² = 1 − 45/42 = −1/14; MAPE = (1 + 0 + ½)/3 = ½; pinball at 0.9:
  /// (0.1·1 + 0 + 0.9·2)/3 = 1.9/3.
  @Test func handWorked() throws {
    let y = [1.0, 2, 4]
    let yp = [2.0, 2, 2]
    // Each value is a handful of exact operations: only the final rounding differs.
    let tolerance = 1e-15
    #expect(abs(try RegressionMetrics.meanSquaredError(yTrue: y, yPred: yp) - 5.0 / 3) < tolerance)
    #expect(abs(try RegressionMetrics.meanAbsoluteError(yTrue: y, yPred: yp) - 1) < tolerance)
    #expect(abs(try RegressionMetrics.r2Score(yTrue: y, yPred: yp) + 1.0 / 14) < tolerance)
    #expect(abs(try RegressionMetrics.meanAbsolutePercentageError(yTrue: y, yPred: yp) - 0.5) < tolerance)
    #expect(abs(try RegressionMetrics.meanPinballLoss(yTrue: y, yPred: yp, alpha: 0.9) - 1.9 / 3) < tolerance)
    // A constant target: sklearn's force_finite gives 1 for a perfect fit, 0 otherwise.
    #expect(try RegressionMetrics.r2Score(yTrue: [3, 3], yPred: [3, 3]) == 1)
    #expect(try RegressionMetrics.r2Score(yTrue: [3, 3], yPred: [3, 4]) == 0)
  }

  @Test func badInputThrows() {
    let nan = #expect(throws: MetricError.self) {
      try RegressionMetrics.meanSquaredError(yTrue: [1, .nan], yPred: [1, 2])
    }
    #expect(nan?.kind == .nonFiniteValue)
    #expect(nan?.message.contains("yTrue[1]") == true)
    let infinite = #expect(throws: MetricError.self) {
      try RegressionMetrics.meanAbsoluteError(yTrue: [1, 2], yPred: [1, .infinity])
    }
    #expect(infinite?.kind == .nonFiniteValue)
    let empty = #expect(throws: MetricError.self) { try RegressionMetrics.r2Score(yTrue: [], yPred: []) }
    #expect(empty?.kind == .emptyInput)
    let mismatch = #expect(throws: MetricError.self) {
      try RegressionMetrics.meanSquaredError(yTrue: [1, 2], yPred: [1, 2], weights: [1])
    }
    #expect(mismatch?.kind == .lengthMismatch)
    let alpha = #expect(throws: MetricError.self) {
      try RegressionMetrics.meanPinballLoss(yTrue: [1], yPred: [1], alpha: 1.5)
    }
    #expect(alpha?.kind == .invalidParameter)
  }
}
