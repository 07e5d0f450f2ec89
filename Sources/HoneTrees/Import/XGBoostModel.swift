import Foundation
import HoneCore
import HoneLinearAlgebra

/// An XGBoost model imported from its JSON format, for inference (Chen & Guestrin 2016).
///
/// Load a file written by `Booster.save_model("model.json")` and predict in Swift; raw
/// margins and probabilities equal XGBoost's own to the last bit. XGBoost predicts in
/// float32 — inputs are rounded to float32, thresholds and leaf values are float32, the
/// trees' outputs add up in a float32 buffer that starts at the float32 base margin, and
/// the sigmoid and softmax run in float32 with `expf` — and this type does the same (see
/// ``ImportedTreeEnsemble/Arithmetic/xgboost``); results are returned as `Double`.
///
/// ```swift
/// let model = try XGBoostModel.load(contentsOf: "model.json")
/// let probabilities = try model.predictProbabilities(features)
/// ```
///
/// Imported: the `gbtree` booster (also random forests, `num_parallel_tree > 1`) with
/// objectives `reg:squarederror`, `binary:logistic` and `multi:softprob`, numerical
/// splits with NaN as missing. Not imported: `dart` and `gblinear` boosters, categorical
/// splits, vector leaves (multi-target trees), other objectives; each throws
/// ``ModelImportError`` (`.unsupported`).
///
/// The model saves and loads through ``ModelFile`` under the kind `"xgboost-import"`.
public struct XGBoostModel: ProbabilisticModel, Equatable {
  /// The model kind in model files.
  public static let kind = "xgboost-import"

  /// The learning objective, which says how margins become predictions.
  public enum Objective: Sendable, Codable, Equatable {
    /// `reg:squarederror`: the prediction is the margin.
    case squaredError
    /// `binary:logistic`: the probability of class 1 is the float32 sigmoid of the margin.
    case logistic
    /// `multi:softprob`: class probabilities are the float32 softmax of `classCount` margins.
    case softprob(classCount: Int)

    /// XGBoost's name for the objective.
    public var name: String {
      switch self {
      case .squaredError: "reg:squarederror"
      case .logistic: "binary:logistic"
      case .softprob: "multi:softprob"
      }
    }
  }

  /// The trees, with the base margin of each output.
  public let ensemble: ImportedTreeEnsemble
  /// How margins become predictions.
  public let objective: Objective
  /// The feature names from the file; empty when trained without names.
  public let featureNames: [String]

  /// The number of features (`num_feature`).
  public var featureCount: Int { ensemble.featureCount }
  /// The class labels `0..<K` the booster was trained on; empty for regression.
  public var classes: [Int] {
    switch objective {
    case .squaredError: []
    case .logistic: [0, 1]
    case .softprob(let classCount): Array(0..<classCount)
    }
  }

  /// Creates a model from its parts.
  ///
  /// - Parameters:
  ///   - ensemble: The trees, with ``ImportedTreeEnsemble/Arithmetic/xgboost`` arithmetic
  ///     and the base margins (already through the objective's link, as float32 values).
  ///   - objective: How margins become predictions.
  ///   - featureNames: One name per feature, or empty.
  /// - Throws: ``ModelImportError`` when the parts disagree.
  public init(ensemble: ImportedTreeEnsemble, objective: Objective, featureNames: [String]) throws {
    let here = "XGBoost model"
    guard ensemble.arithmetic == .xgboost else {
      throw ModelImportError.malformed(here, "the ensemble uses \(ensemble.arithmetic) arithmetic, not xgboost")
    }
    guard featureNames.isEmpty || featureNames.count == ensemble.featureCount else {
      throw ModelImportError.malformed(
        here, "\(featureNames.count) feature names for \(ensemble.featureCount) features")
    }
    let outputs: Int
    switch objective {
    case .squaredError, .logistic: outputs = 1
    case .softprob(let classCount): outputs = classCount
    }
    guard ensemble.outputCount == outputs, outputs >= 1 else {
      throw ModelImportError.malformed(
        here, "`\(objective.name)` needs \(outputs) outputs, but the ensemble has \(ensemble.outputCount)")
    }
    self.ensemble = ensemble
    self.objective = objective
    self.featureNames = featureNames
  }

  /// Loads a model from an XGBoost JSON model file.
  ///
  /// - Parameter path: The file `Booster.save_model("….json")` wrote.
  /// - Returns: The model.
  /// - Throws: ``ModelImportError``: `.io` when the file cannot be read, `.malformed`
  ///   with the JSON path of a bad or missing field (or the line and column of a JSON
  ///   syntax error), `.unsupported` for what Hone does not import.
  /// - Complexity: O(file size).
  public static func load(contentsOf path: String) throws -> XGBoostModel {
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch let error as FileError {
      throw ModelImportError(kind: .io, location: path, message: error.message)
    }
    return try XGBoostModel(jsonBytes: bytes, source: path)
  }

  /// The margins of every row, as XGBoost's `predict(output_margin=True)`.
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: An `n × 1` matrix, or `n × K` for `multi:softprob`; each entry is a
  ///   float32 value.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func predictRaw(_ features: Matrix) throws -> Matrix {
    try ensemble.rawScores(features)
  }

  /// The margins of one row, written into `output` without allocating once `output` has
  /// the right size.
  ///
  /// - Parameters:
  ///   - row: The row's ``featureCount`` values; NaN is missing.
  ///   - output: Receives one margin, or `K` for `multi:softprob`.
  /// - Throws: ``ModelImportError`` when `row` has the wrong length.
  /// - Complexity: O(total tree depth).
  public func predictRaw(row: [Double], into output: inout [Double]) throws {
    try ensemble.rawScores(row: row, into: &output)
  }

  /// XGBoost's `predict`: the regression output, the probability of class 1, or the
  /// class probabilities — one column per output, float32 values.
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: An `n × 1` matrix, or `n × K` for `multi:softprob`.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func predictTransformed(_ features: Matrix) throws -> Matrix {
    let raw = try ensemble.rawScores(features)
    let (n, k) = (raw.rows, raw.columns)
    var scores = raw.storage
    switch objective {
    case .squaredError: break
    case .logistic:
      for i in scores.indices { scores[i] = Double(Self.sigmoid(Float(scores[i]))) }
    case .softprob:
      var row = [Float](repeating: 0, count: k)
      for i in 0..<n {
        for c in 0..<k { row[c] = Float(scores[c * n + i]) }
        Self.softmax(&row)
        for c in 0..<k { scores[c * n + i] = Double(row[c]) }
      }
    }
    return Matrix(uncheckedRows: n, columns: k, storage: scores)
  }

  /// The predicted value of each row: the regression output, or the most probable class
  /// label (`p > 0.5` for a binary model and the first maximum otherwise, as
  /// `XGBClassifier.predict`).
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: One value per row.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func predict(_ features: Matrix) throws -> [Double] {
    let outputs = try predictTransformed(features)
    switch objective {
    case .squaredError: return outputs.storage
    case .logistic: return outputs.storage.map { $0 > 0.5 ? 1 : 0 }
    case .softprob(let classCount):
      return (0..<outputs.rows).map { i in
        var best = 0
        for c in 1..<classCount where outputs[i, c] > outputs[i, best] { best = c }
        return Double(best)
      }
    }
  }

  /// The probability of each class: `n × 2` (`1 − p`, `p`) for `binary:logistic`, `n × K`
  /// for `multi:softprob`.
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: The probabilities, one column per entry of ``classes``.
  /// - Throws: ``ModelImportError``: `.notApplicable` for a regression model,
  ///   `.featureCountMismatch` for the wrong column count.
  /// - Complexity: O(n × total tree depth).
  public func predictProbabilities(_ features: Matrix) throws -> Matrix {
    switch objective {
    case .squaredError:
      throw ModelImportError(
        kind: .notApplicable, location: nil,
        message: "an XGBoost `reg:squarederror` model is a regressor and has no class probabilities; use predict")
    case .logistic:
      let positive = try predictTransformed(features).storage
      return Matrix(uncheckedRows: positive.count, columns: 2, storage: positive.map { 1 - $0 } + positive)
    case .softprob:
      return try predictTransformed(features)
    }
  }

  /// XGBoost's `common::Sigmoid` (`src/common/math.h`), in float32: the exponent is
  /// capped at 88.7 so `expf` cannot overflow, and 1e-16 guards the division.
  static func sigmoid(_ x: Float) -> Float {
    let exponent = Swift.min(-x, Float(88.7))
    let denominator = (exp(exponent) + 1) + Float(1e-16)
    return 1 / denominator
  }

  /// XGBoost's `common::Softmax`: float32 maximum and `expf`, the sum accumulated in
  /// float64, then a float32 division.
  static func softmax(_ values: inout [Float]) {
    guard var peak = values.first else { return }
    for value in values.dropFirst() { peak = Swift.max(value, peak) }
    var sum = 0.0
    for c in values.indices {
      values[c] = exp(values[c] - peak)
      sum += Double(values[c])
    }
    let total = Float(sum)
    for c in values.indices { values[c] /= total }
  }
}
