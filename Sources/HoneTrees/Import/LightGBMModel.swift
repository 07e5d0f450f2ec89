import Foundation
import HoneCore
import HoneLinearAlgebra

/// A LightGBM model imported from its text format, for inference (Ke et al. 2017).
///
/// Load a file written by LightGBM's `Booster.save_model` (or the CLI's `output_model`)
/// and predict in Swift; raw scores, probabilities and regression outputs equal
/// LightGBM's own to the last bit, because the trees are walked with LightGBM's float64
/// split rule and missing-value handling (see ``ImportedTreeEnsemble/Arithmetic/lightGBM``)
/// and the leaf values, written by LightGBM with 17 significant digits, add up in the
/// same order. Shrinkage is already in the leaf values and the initial score in the
/// first tree, so nothing else is added.
///
/// ```swift
/// let model = try LightGBMModel.load(contentsOf: "model.txt")
/// let probabilities = try model.predictProbabilities(features)
/// ```
///
/// Imported: objectives `regression`, `regression_l1`, `huber`, `fair`, `quantile`,
/// `mape` (identity output), `binary` (sigmoid with its `sigmoid:` parameter),
/// `multiclass` (softmax over `num_class` trees per iteration); `gbdt`, `goss`, `dart`
/// (whose tree weights are in the leaf values) and `rf` (`average_output`) boosting;
/// numerical splits with every missing type and categorical splits. Not imported: linear
/// trees, other objectives; both throw ``ModelImportError`` (`.unsupported`).
///
/// The model saves and loads through ``ModelFile`` under the kind `"lightgbm-import"`.
public struct LightGBMModel: ProbabilisticModel, Equatable {
  /// The model kind in model files.
  public static let kind = "lightgbm-import"

  /// What LightGBM's `objective=` line says about turning raw scores into predictions.
  public enum Objective: Sendable, Codable, Equatable {
    /// A regression objective whose output is the raw score (`regression`,
    /// `regression_l1`, `huber`, `fair`, `quantile`, `mape`), with its name.
    case regression(name: String)
    /// Binary log-loss: the probability of class 1 is `1 / (1 + exp(−sigmoid × score))`.
    case binary(sigmoid: Double)
    /// Multiclass softmax over `classCount` raw scores.
    case multiclass(classCount: Int)
  }

  /// The trees.
  public let ensemble: ImportedTreeEnsemble
  /// How raw scores become predictions.
  public let objective: Objective
  /// The feature names from the file (`Column_0`, … when trained without names).
  public let featureNames: [String]
  /// Whether predictions average the trees instead of summing them (`boosting=rf`).
  public let averagesOutput: Bool

  /// The number of features: LightGBM's `max_feature_idx + 1`.
  public var featureCount: Int { ensemble.featureCount }
  /// The number of boosting iterations (trees per class).
  public var iterationCount: Int { ensemble.treeCount / ensemble.outputCount }
  /// The class labels `0..<K` the booster was trained on; empty for regression.
  public var classes: [Int] {
    switch objective {
    case .regression: []
    case .binary: [0, 1]
    case .multiclass(let classCount): Array(0..<classCount)
    }
  }

  /// Creates a model from its parts.
  ///
  /// - Parameters:
  ///   - ensemble: The trees, with ``ImportedTreeEnsemble/Arithmetic/lightGBM`` arithmetic.
  ///   - objective: How raw scores become predictions.
  ///   - featureNames: One name per feature, or empty.
  ///   - averagesOutput: Whether predictions average the trees (`rf`).
  /// - Throws: ``ModelImportError`` when the parts disagree.
  public init(ensemble: ImportedTreeEnsemble, objective: Objective, featureNames: [String], averagesOutput: Bool)
    throws
  {
    let here = "LightGBM model"
    guard ensemble.arithmetic == .lightGBM else {
      throw ModelImportError.malformed(here, "the ensemble uses \(ensemble.arithmetic) arithmetic, not lightGBM")
    }
    guard featureNames.isEmpty || featureNames.count == ensemble.featureCount else {
      throw ModelImportError.malformed(
        here, "\(featureNames.count) feature names for \(ensemble.featureCount) features")
    }
    let outputs: Int
    switch objective {
    case .regression: outputs = 1
    case .binary(let sigmoid):
      guard sigmoid > 0, sigmoid.isFinite else {
        throw ModelImportError.malformed(here, "the sigmoid parameter must be positive, got \(sigmoid)")
      }
      outputs = 1
    case .multiclass(let classCount): outputs = classCount
    }
    guard ensemble.outputCount == outputs, ensemble.treeCount % outputs == 0 else {
      throw ModelImportError.malformed(
        here,
        "the objective needs \(outputs) trees per iteration, but the ensemble has \(ensemble.outputCount) outputs and \(ensemble.treeCount) trees"
      )
    }
    guard !averagesOutput || ensemble.treeCount > 0 else {
      throw ModelImportError.malformed(here, "an averaging (rf) model needs at least one tree")
    }
    self.ensemble = ensemble
    self.objective = objective
    self.featureNames = featureNames
    self.averagesOutput = averagesOutput
  }

  /// Loads a model from a LightGBM text model file.
  ///
  /// - Parameter path: The file `Booster.save_model` wrote.
  /// - Returns: The model.
  /// - Throws: ``ModelImportError``: `.io` when the file cannot be read, `.malformed`
  ///   with the line number of a bad or missing field, `.unsupported` for an objective or
  ///   feature Hone does not import.
  /// - Complexity: O(file size).
  public static func load(contentsOf path: String) throws -> LightGBMModel {
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch let error as FileError {
      throw ModelImportError(kind: .io, location: path, message: error.message)
    }
    return try LightGBMModel(text: String(decoding: bytes, as: UTF8.self), source: path)
  }

  /// The raw scores (margins) of every row, as LightGBM's `predict(raw_score=True)`:
  /// the sum of the trees, not averaged even for `rf` models (as LightGBM).
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: An `n × 1` matrix, or `n × K` for a multiclass model.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func predictRaw(_ features: Matrix) throws -> Matrix {
    try ensemble.rawScores(features)
  }

  /// The raw scores of one row, written into `output` without allocating once `output`
  /// has the right size.
  ///
  /// - Parameters:
  ///   - row: The row's ``featureCount`` values; NaN is missing.
  ///   - output: Receives one raw score, or `K` for a multiclass model.
  /// - Throws: ``ModelImportError`` when `row` has the wrong length.
  /// - Complexity: O(total tree depth).
  public func predictRaw(row: [Double], into output: inout [Double]) throws {
    try ensemble.rawScores(row: row, into: &output)
  }

  /// LightGBM's `predict`: the regression output, the probability of class 1, or the
  /// class probabilities — one column per output.
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: An `n × 1` matrix, or `n × K` for a multiclass model.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func predictTransformed(_ features: Matrix) throws -> Matrix {
    let raw = try ensemble.rawScores(features)
    let (n, k) = (raw.rows, raw.columns)
    var scores = raw.storage
    if averagesOutput {
      // LightGBM's GBDT::Predict divides by the iteration count before the link.
      let iterations = Double(iterationCount)
      for i in scores.indices { scores[i] /= iterations }
    }
    switch objective {
    case .regression: break
    case .binary(let sigmoid):
      for i in scores.indices { scores[i] = 1.0 / (1.0 + exp(-sigmoid * scores[i])) }
    case .multiclass:
      var row = [Double](repeating: 0, count: k)
      for i in 0..<n {
        for c in 0..<k { row[c] = scores[c * n + i] }
        Self.softmax(&row)
        for c in 0..<k { scores[c * n + i] = row[c] }
      }
    }
    return Matrix(uncheckedRows: n, columns: k, storage: scores)
  }

  /// The predicted value of each row: the regression output, or the most probable class
  /// label (ties to the lower label, as `LGBMClassifier.predict`).
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: One value per row.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func predict(_ features: Matrix) throws -> [Double] {
    let outputs = try predictTransformed(features)
    let n = outputs.rows
    switch objective {
    case .regression: return outputs.storage
    case .binary: return outputs.storage.map { $0 > 0.5 ? 1 : 0 }
    case .multiclass(let classCount):
      return (0..<n).map { i in
        var best = 0
        for c in 1..<classCount where outputs[i, c] > outputs[i, best] { best = c }
        return Double(best)
      }
    }
  }

  /// The probability of each class: `n × 2` (`1 − p`, `p`) for a binary model, `n × K`
  /// for a multiclass model.
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: The probabilities, one column per entry of ``classes``.
  /// - Throws: ``ModelImportError``: `.notApplicable` for a regression model,
  ///   `.featureCountMismatch` for the wrong column count.
  /// - Complexity: O(n × total tree depth).
  public func predictProbabilities(_ features: Matrix) throws -> Matrix {
    switch objective {
    case .regression(let name):
      throw ModelImportError(
        kind: .notApplicable, location: nil,
        message: "a LightGBM `\(name)` model is a regressor and has no class probabilities; use predict")
    case .binary:
      let positive = try predictTransformed(features).storage
      return Matrix(uncheckedRows: positive.count, columns: 2, storage: positive.map { 1 - $0 } + positive)
    case .multiclass:
      return try predictTransformed(features)
    }
  }

  /// LightGBM's `Common::Softmax`: subtract the maximum, exponentiate, divide by the sum
  /// accumulated in order.
  static func softmax(_ values: inout [Double]) {
    guard var peak = values.first else { return }
    for value in values.dropFirst() { peak = Swift.max(value, peak) }
    var sum = 0.0
    for c in values.indices {
      values[c] = exp(values[c] - peak)
      sum += values[c]
    }
    for c in values.indices { values[c] /= sum }
  }
}
