import HoneLinearAlgebra

/// Training data for an ``Estimator``: a dense feature matrix, a target, optional
/// sample weights, and which features are categorical.
///
/// The initializers validate everything a model needs to trust: shapes agree, there is
/// at least one row, targets and weights are finite, weights are non-negative with a
/// positive sum. Feature values may be NaN (missing); models that cannot handle missing
/// values check that themselves.
public struct Dataset: Sendable {
  /// The features, one row per sample.
  public let features: Matrix
  /// The target, one value per row (class labels as `0, 1, …` for classification).
  public let target: [Double]
  /// Sample weights, one per row, or `nil` for equal weights.
  public let weights: [Double]?
  /// The feature names, one per column.
  public let featureNames: [String]
  /// For each categorical feature (by column index), its category names; the feature's
  /// values are codes into this list.
  public let categories: [Int: [String]]

  /// The number of rows.
  public var rowCount: Int { features.rows }
  /// The number of feature columns.
  public var featureCount: Int { features.columns }

  /// Creates a dataset from a matrix and a target.
  ///
  /// - Parameters:
  ///   - features: The feature matrix.
  ///   - target: One finite value per row.
  ///   - weights: Optional non-negative, finite weights with a positive sum.
  ///   - featureNames: Column names; `nil` names them `x0`, `x1`, ….
  ///   - categories: Category names of categorical columns, by column index.
  /// - Throws: ``DatasetError`` naming the first problem found.
  public init(
    features: Matrix, target: [Double], weights: [Double]? = nil, featureNames: [String]? = nil,
    categories: [Int: [String]] = [:]
  ) throws {
    guard features.rows > 0 else { throw DatasetError("the dataset has no rows; a model needs at least one") }
    guard target.count == features.rows else {
      throw DatasetError("the target has \(target.count) values but the features have \(features.rows) rows")
    }
    if let bad = target.firstIndex(where: { !$0.isFinite }) {
      throw DatasetError("the target is \(target[bad]) at row \(bad); drop or impute rows with a missing target")
    }
    if let weights {
      guard weights.count == features.rows else {
        throw DatasetError("there are \(weights.count) weights for \(features.rows) rows")
      }
      if let bad = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
        throw DatasetError("weight \(weights[bad]) at row \(bad); weights must be finite and non-negative")
      }
      guard weights.reduce(0, +) > 0 else { throw DatasetError("the weights sum to zero") }
    }
    let names = featureNames ?? (0..<features.columns).map { "x\($0)" }
    guard names.count == features.columns else {
      throw DatasetError("\(names.count) feature names for \(features.columns) columns")
    }
    for index in categories.keys where index < 0 || index >= features.columns {
      throw DatasetError("categorical feature index \(index) is outside 0..<\(features.columns)")
    }
    self.features = features
    self.target = target
    self.weights = weights
    self.featureNames = names
    self.categories = categories
  }

  /// Creates a dataset from table columns: the target column, and feature columns
  /// (every other column by default). Categorical columns become categorical features;
  /// a categorical target becomes class codes `0, 1, …` in order of first appearance.
  ///
  /// ```swift
  /// let data = try Dataset(table, target: "income")
  /// ```
  ///
  /// - Throws: ``TableError`` for unknown columns, ``DatasetError`` for invalid data.
  public init(_ table: Table, target: String, features: [String]? = nil, weights: String? = nil) throws {
    let excluded = Set([target] + (weights.map { [$0] } ?? []))
    let names = features ?? table.columnNames.filter { !excluded.contains($0) }
    var categories: [Int: [String]] = [:]
    for (index, name) in names.enumerated() {
      if case .categorical(_, let values) = try table.column(named: name).values { categories[index] = values }
    }
    try self.init(
      features: try table.matrix(columns: names),
      target: try table.column(named: target).doubleValues,
      weights: try weights.map { try table.column(named: $0).doubleValues },
      featureNames: names,
      categories: categories)
  }
}

/// An error in data passed to a model: mismatched shapes, missing targets, bad weights.
public struct DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, where, and how to fix it.
  public let message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
