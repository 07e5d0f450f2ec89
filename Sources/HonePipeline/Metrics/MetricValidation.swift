import HoneLinearAlgebra

/// Input checks shared by every metric, so each family reports bad input the same way and
/// names the metric and the first offending index.
enum MetricValidation {
  static func requireNonEmpty(_ count: Int, _ name: String, metric: String) throws {
    guard count > 0 else {
      throw MetricError(.emptyInput, "\(metric): \(name) is empty; pass at least one row.")
    }
  }

  static func requireSameLength(
    _ firstName: String, _ firstCount: Int, _ secondName: String, _ secondCount: Int, metric: String
  ) throws {
    guard firstCount == secondCount else {
      throw MetricError(
        .lengthMismatch,
        "\(metric): \(firstName) has \(firstCount) rows but \(secondName) has \(secondCount); "
          + "pass arrays aligned row by row.")
    }
  }

  static func requireFinite(_ values: [Double], _ name: String, metric: String) throws {
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw MetricError(
        .nonFiniteValue,
        "\(metric): \(name)[\(index)] is \(values[index]); drop or impute non-finite values before scoring.")
    }
  }

  static func requireFinite(_ matrix: Matrix, _ name: String, metric: String) throws {
    for row in 0..<matrix.rows {
      for column in 0..<matrix.columns where !matrix[row, column].isFinite {
        throw MetricError(
          .nonFiniteValue,
          "\(metric): \(name)[\(row), \(column)] is \(matrix[row, column]); "
            + "drop or impute non-finite values before scoring.")
      }
    }
  }

  /// Checks optional sample weights: aligned, finite, non-negative and with a positive
  /// total, which every weighted average here divides by.
  static func requireValidWeights(_ weights: [Double]?, count: Int, metric: String) throws {
    guard let weights else { return }
    try requireSameLength("weights", weights.count, "yTrue", count, metric: metric)
    try requireFinite(weights, "weights", metric: metric)
    if let index = weights.firstIndex(where: { $0 < 0 }) {
      throw MetricError(
        .invalidParameter,
        "\(metric): weights[\(index)] is \(weights[index]); sample weights must be non-negative.")
    }
    guard weights.reduce(0, +) > 0 else {
      throw MetricError(.emptyInput, "\(metric): the sample weights sum to zero; give some rows positive weight.")
    }
  }

  /// Checks a vector of probabilities of the positive class.
  static func requireProbabilities(_ values: [Double], _ name: String, metric: String) throws {
    try requireFinite(values, name, metric: metric)
    if let index = values.firstIndex(where: { $0 < 0 || $0 > 1 }) {
      throw MetricError(
        .invalidProbability,
        "\(metric): \(name)[\(index)] is \(values[index]), outside [0, 1]; pass probabilities, "
          + "not scores or logits.")
    }
  }

  /// The tolerance on a row sum of probabilities: scikit-learn's `isclose(sum, 1,
  /// rtol=sqrt(eps))` with its default absolute tolerance 1e-8. sklearn only warns; Hone
  /// throws, because a row that does not sum to 1 is not a distribution and its log-loss
  /// or Brier score means nothing.
  static let probabilityRowSumTolerance = 1e-8 + Double.ulpOfOne.squareRoot()

  /// Checks an n × k matrix of class probabilities.
  static func requireProbabilityRows(_ matrix: Matrix, _ name: String, metric: String) throws {
    try requireFinite(matrix, name, metric: metric)
    for row in 0..<matrix.rows {
      var sum = 0.0
      for column in 0..<matrix.columns {
        let p = matrix[row, column]
        guard p >= 0 && p <= 1 else {
          throw MetricError(
            .invalidProbability,
            "\(metric): \(name)[\(row), \(column)] is \(p), outside [0, 1]; pass probabilities, "
              + "not scores or logits.")
        }
        sum += p
      }
      guard abs(sum - 1) <= probabilityRowSumTolerance else {
        throw MetricError(
          .invalidProbability,
          "\(metric): row \(row) of \(name) sums to \(sum), not 1 (tolerance \(probabilityRowSumTolerance)); "
            + "normalise each row, for example with a softmax.")
      }
    }
  }

  /// The weighted mean `Σ wᵢ xᵢ / Σ wᵢ` (NumPy's `average`), or the plain mean.
  static func average(_ values: [Double], weights: [Double]?) -> Double {
    guard let weights else { return values.reduce(0, +) / Double(values.count) }
    var numerator = 0.0
    var denominator = 0.0
    for i in values.indices {
      numerator += weights[i] * values[i]
      denominator += weights[i]
    }
    return numerator / denominator
  }
}
