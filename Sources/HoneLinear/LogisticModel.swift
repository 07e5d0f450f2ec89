import HoneCore
import HoneLinearAlgebra

/// A fitted logistic-regression model: what ``LogisticRegression`` returns.
///
/// Scores are `X·coefficientsᵀ + intercepts`, one column per row of ``coefficients``.
/// A binary model has one score column, the log-odds of `classes[1]` against
/// `classes[0]` (scikit-learn's `coef_` of shape `1 × p`); a multinomial model has one
/// per class, turned into probabilities by the softmax. Coefficients are on the scale of
/// the original features, also when the fit standardised them.
public struct LogisticModel: ProbabilisticModel, Equatable {
  /// The model kind in model files.
  public static let kind = "logistic-regression"

  /// The class labels, sorted; ``predict(_:)`` returns these.
  public let classes: [Int]
  /// The coefficients: `1 × p` for two classes, `K × p` for `K > 2` (scikit-learn's `coef_`).
  public let coefficients: Matrix
  /// One intercept per row of ``coefficients`` (scikit-learn's `intercept_`); zeros when
  /// fitted without intercepts.
  public let intercepts: [Double]
  /// How the fit went. `objective` is scikit-learn's `C·Σwᵢℓᵢ + penalty` at the answer
  /// (on the standardised scale when the fit standardised); `gradientNorm` is the largest
  /// entry of the (minimum-norm sub)gradient of that objective divided by `C·Σw`, the
  /// quantity `tolerance` bounds; `iterations` counts accepted optimiser steps.
  public let diagnostics: FitDiagnostics

  /// The number of features.
  public var featureCount: Int { coefficients.columns }
  /// The number of classes `K`.
  public var classCount: Int { classes.count }

  /// Creates a model from its parameters.
  ///
  /// - Parameters:
  ///   - classes: The sorted class labels (at least two).
  ///   - coefficients: `1 × p` for two classes, `K × p` otherwise.
  ///   - intercepts: One per row of `coefficients`.
  ///   - diagnostics: How the fit went.
  /// - Throws: ``LinearModelError`` when the shapes do not agree.
  public init(classes: [Int], coefficients: Matrix, intercepts: [Double], diagnostics: FitDiagnostics) throws {
    guard classes.count >= 2 else {
      throw LinearModelError("a logistic model needs at least two classes, got \(classes.count)")
    }
    let expectedRows = classes.count == 2 ? 1 : classes.count
    guard coefficients.rows == expectedRows, intercepts.count == expectedRows else {
      throw LinearModelError(
        "\(classes.count) classes need \(expectedRows) coefficient rows and intercepts, got \(coefficients.rows) and \(intercepts.count)"
      )
    }
    self.classes = classes
    self.coefficients = coefficients
    self.intercepts = intercepts
    self.diagnostics = diagnostics
  }

  /// The scores `X·coefficientsᵀ + intercepts`.
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: An `n × 1` matrix (the log-odds of `classes[1]`) for a binary model, as
  ///   scikit-learn's `decision_function` but as a one-column matrix so both cases share
  ///   a type; `n × K` otherwise.
  /// - Throws: ``LinearModelError`` when the column count differs from ``featureCount``
  ///   or a feature is NaN or infinite.
  /// - Complexity: O(n p K), one `dgemm`.
  public func decisionFunction(_ features: Matrix) throws -> Matrix {
    try LinearModelValidation.checkPredictionInput(features, featureCount: featureCount)
    let (n, k) = (features.rows, coefficients.rows)
    var storage = [Double](repeating: 0, count: n * k)
    for c in 0..<k {
      for i in 0..<n { storage[c * n + i] = intercepts[c] }
    }
    var scores = Matrix(uncheckedRows: n, columns: k, storage: storage)
    try BLAS.gemm(features, coefficients, &scores, transposeB: .transpose, beta: 1)
    return scores
  }

  /// The class probabilities.
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: An `n × K` matrix whose column `k` is the probability of `classes[k]`;
  ///   rows sum to 1. Computed stably (the logistic function from `e^{−|z|}`, the softmax
  ///   with the row maximum subtracted), so no score overflows.
  /// - Throws: ``LinearModelError`` as ``decisionFunction(_:)``.
  /// - Complexity: O(n p K).
  public func predictProbabilities(_ features: Matrix) throws -> Matrix {
    let scores = try decisionFunction(features)
    let (n, k) = (features.rows, classes.count)
    var out = [Double](repeating: 0, count: n * k)
    if k == 2 {
      var positive = scores.storage
      LogisticObjective.probabilitiesInPlace(&positive, blockCount: 1)
      for i in 0..<n {
        out[i] = 1 - positive[i]
        out[n + i] = positive[i]
      }
    } else {
      // Row-major scores so each row's softmax reads contiguous memory.
      var rows = scores.transposed.storage
      LogisticObjective.probabilitiesInPlace(&rows, blockCount: k)
      for i in 0..<n {
        for c in 0..<k { out[c * n + i] = rows[i * k + c] }
      }
    }
    return Matrix(uncheckedRows: n, columns: k, storage: out)
  }

  /// The most probable class of each row, as a `Double` label.
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: One label from ``classes`` per row; a binary model predicts `classes[1]`
  ///   when its score is positive, and ties go to the lower class, as in scikit-learn.
  /// - Throws: ``LinearModelError`` as ``decisionFunction(_:)``.
  /// - Complexity: O(n p K).
  public func predict(_ features: Matrix) throws -> [Double] {
    let scores = try decisionFunction(features)
    let n = features.rows
    if classes.count == 2 {
      return scores.storage.map { Double($0 > 0 ? classes[1] : classes[0]) }
    }
    return (0..<n).map { i in
      var best = 0
      for c in 1..<classes.count where scores[i, c] > scores[i, best] { best = c }
      return Double(classes[best])
    }
  }
}
