import HoneCore
import HoneLinearAlgebra

/// A fitted linear regression model, `ŷ = X·coefficients + intercept`: what
/// ``LinearRegression``, ``Ridge``, ``RidgeCV``, ``Lasso`` and ``ElasticNet`` return.
///
/// Coefficients are on the scale of the original features, also when the fit
/// standardised them.
public struct LinearModel: Model, Equatable {
  /// The model kind in model files.
  public static let kind = "linear-regression"

  /// Which estimator produced the model (`"ols"`, `"ridge"`, `"lasso"`, `"elasticnet"`).
  public let estimator: String
  /// One coefficient per feature.
  public let coefficients: [Double]
  /// The intercept (0 when fitted without one).
  public let intercept: Double
  /// The penalty the model was fitted with (0 for least squares).
  public let alpha: Double
  /// How the fit went.
  public let diagnostics: FitDiagnostics

  /// The number of features.
  public var featureCount: Int { coefficients.count }

  /// Creates a model from its parameters.
  public init(
    estimator: String, coefficients: [Double], intercept: Double, alpha: Double = 0, diagnostics: FitDiagnostics
  ) {
    self.estimator = estimator
    self.coefficients = coefficients
    self.intercept = intercept
    self.alpha = alpha
    self.diagnostics = diagnostics
  }

  /// Predicts `X·coefficients + intercept` for each row.
  ///
  /// - Throws: ``LinearModelError`` when the column count differs from ``featureCount``
  ///   or a feature is NaN or infinite.
  /// - Complexity: O(rows × features), one `dgemv`.
  public func predict(_ features: Matrix) throws -> [Double] {
    try LinearModelValidation.checkPredictionInput(features, featureCount: featureCount)
    var out = [Double](repeating: intercept, count: features.rows)
    if features.rows > 0 && featureCount > 0 { try BLAS.gemv(features, coefficients, &out, beta: 1) }
    return out
  }
}
