import HoneCore
import HoneLinearAlgebra

/// Checks shared by every linear estimator.
package enum LinearModelValidation {
  /// Throws unless every feature value is finite: linear models have no notion of a
  /// missing value, so NaN must be imputed first.
  package static func checkFinite(_ features: Matrix, what: String = "feature") throws {
    let bad = features.withUnsafeBufferPointer { p in p.firstIndex { !$0.isFinite } }
    if let bad {
      let (row, column) = (bad % Swift.max(1, features.rows), bad / Swift.max(1, features.rows))
      throw LinearModelError(
        "\(what) value \(features.storage[bad]) at row \(row), column \(column): linear models need finite values; impute or drop missing values first"
      )
    }
  }

  /// Validates training data for a linear model.
  package static func checkTraining(_ data: Dataset) throws {
    try checkFinite(data.features)
    guard data.featureCount > 0 else { throw LinearModelError("the dataset has no feature columns") }
  }

  /// Validates a penalty.
  package static func checkPenalty(_ value: Double, name: String) throws {
    guard value.isFinite, value >= 0 else {
      throw LinearModelError("\(name) must be a finite number ≥ 0, got \(value)")
    }
  }

  /// Validates prediction input against the fitted feature count.
  package static func checkPredictionInput(_ features: Matrix, featureCount: Int) throws {
    guard features.columns == featureCount else {
      throw LinearModelError(
        "the model was fitted on \(featureCount) features but the input has \(features.columns) columns")
    }
    try checkFinite(features)
  }
}
