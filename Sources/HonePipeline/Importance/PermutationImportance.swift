import HoneCore
import HoneLinearAlgebra

/// How much a fitted model's score worsens when one column's values are shuffled.
public struct FeatureImportance: Codable, Sendable, Equatable {
  /// The shuffled column.
  public var name: String
  /// The mean worsening over the repeats (positive when the column helps).
  public var mean: Double
  /// The population standard deviation of the worsening over the repeats.
  public var standardDeviation: Double
  /// The worsening in each repeat.
  public var drops: [Double]

  /// Creates a record.
  ///
  /// - Parameters:
  ///   - name: The column.
  ///   - mean: The mean worsening.
  ///   - standardDeviation: Its spread over repeats.
  ///   - drops: The worsening per repeat.
  public init(name: String, mean: Double, standardDeviation: Double, drops: [Double]) {
    self.name = name
    self.mean = mean
    self.standardDeviation = standardDeviation
    self.drops = drops
  }
}

/// Permutation feature importance (Breiman 2001; scikit-learn's `permutation_importance`):
/// the score a fitted model loses when one column is shuffled, breaking its link to the
/// target while keeping its distribution.
///
/// It works for any ``TableModel`` — a pipeline sees the shuffled raw column, so a column
/// feeding several derived features is rated as one. The worsening is `baseline − score`
/// for scores where larger is better and `score − baseline` otherwise, so a useful column
/// has a positive importance either way, and a column the model never reads has exactly 0.
///
/// ```swift
/// let ranking = try permutationImportance(
///   model, table: holdout, target: "y", scoring: Metric.rmse.scoring, repeats: 5, seed: 1)
/// ```
///
/// - Parameters:
///   - model: The fitted model.
///   - table: The rows to score on (a holdout set, ideally).
///   - target: The target column.
///   - weights: An optional sample-weight column (used to score).
///   - columns: The columns to shuffle; `nil` means every column but the target and the
///     weights.
///   - scoring: The score.
///   - repeats: Shuffles per column (at least 1).
///   - seed: The seed; column `k` of `columns` uses its own generator derived from the seed
///     and `k`, so one column's result does not depend on which others are rated.
/// - Returns: One record per column, in the order of `columns`.
/// - Throws: ``CrossValidationError`` for a bad `repeats`, an empty table or an unknown
///   column; the model's or the scoring's error otherwise.
/// - Complexity: `columns × repeats` predictions over the table.
public func permutationImportance<M: TableModel>(
  _ model: M, table: Table, target: String, weights: String? = nil, columns: [String]? = nil, scoring: Scoring,
  repeats: Int = 5, seed: UInt64 = 0
) throws -> [FeatureImportance] {
  guard repeats >= 1 else {
    throw CrossValidationError(fold: nil, message: "permutation importance needs repeats ≥ 1, got \(repeats)")
  }
  guard table.rowCount > 0 else {
    throw CrossValidationError(fold: nil, message: "permutation importance needs at least one row; the table is empty")
  }
  let names = columns ?? table.columnNames.filter { $0 != target && $0 != weights }
  for name in names + [target] + (weights.map { [$0] } ?? []) where table[name] == nil {
    throw CrossValidationError(
      fold: nil,
      message: "column `\(name)` is not in the table; available: \(table.columnNames.joined(separator: ", "))")
  }
  let targetValues = try table.column(named: target).doubleValues
  let weightValues = try weights.map { try table.column(named: $0).doubleValues }
  func score(_ candidate: Table) throws -> Double {
    let probabilities = model.classes == nil ? nil : try model.predictProbabilities(candidate)
    return try scoring.score(
      ScoringInput(
        target: targetValues, predictions: try model.predict(candidate), probabilities: probabilities,
        classes: model.classes, weights: weightValues))
  }
  let baseline = try score(table)
  return try names.enumerated().map { index, name in
    var generator = Xoshiro256StarStar(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
    let original = try table.selecting([name])
    var drops: [Double] = []
    for _ in 0..<repeats {
      let shuffled = try original.rows(at: generator.permutation(table.rowCount)).column(named: name)
      let permuted = try score(try table.setting(shuffled))
      drops.append(scoring.greaterIsBetter ? baseline - permuted : permuted - baseline)
    }
    let mean = drops.reduce(0, +) / Double(repeats)
    let variance = drops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(repeats)
    return FeatureImportance(name: name, mean: mean, standardDeviation: variance.squareRoot(), drops: drops)
  }
}
