import Foundation
import HoneCore
import HoneLinearAlgebra

/// A fitted gradient-boosted tree ensemble: what ``GradientBoostingRegressor`` and
/// ``GradientBoostingClassifier`` return.
///
/// The raw score of a row is ``initialScore`` plus the sum of its leaf values over the
/// trees (the learning rate is already in the leaf values). Regressors predict the
/// score on the target scale (`exp` of it for Poisson); binary classifiers turn it into
/// the probability of `classes[1]` with the logistic function (Friedman 2001; Ke et al.
/// 2017).
public struct GradientBoostingModel: ProbabilisticModel, Equatable {
  /// The model kind in model files.
  public static let kind = "gbdt"

  /// The loss the model was trained on.
  public let loss: Loss
  /// The class labels `[negative, positive]` (classification); empty for regression.
  public let classes: [Int]
  /// The number of features.
  public let featureCount: Int
  /// The feature names, one per feature.
  public let featureNames: [String]
  /// The hyperparameters the model was fitted with.
  public let hyperparameters: GradientBoostingHyperparameters
  /// The starting score: the loss's optimal constant on the training targets.
  public let initialScore: Double
  /// The trees, in boosting order.
  public let trees: [PredictionTree]
  /// The loss after every round; with early stopping, also the rounds after the best.
  public let history: [BoostingRound]
  /// The best validation round (from 1) when early stopping kept fewer trees, else `nil`.
  public let bestIteration: Int?
  /// How many splits use each feature (LightGBM's `importance_type="split"`).
  public let splitImportance: [Int]
  /// The total gain of the splits on each feature (LightGBM's `importance_type="gain"`).
  public let gainImportance: [Double]

  init(
    loss: Loss, classes: [Int], featureNames: [String], hyperparameters: GradientBoostingHyperparameters,
    result: Booster.Result
  ) {
    self.loss = loss
    self.classes = classes
    self.featureCount = featureNames.count
    self.featureNames = featureNames
    self.hyperparameters = hyperparameters
    self.initialScore = result.initialScore
    self.trees = result.trees
    self.history = result.history
    self.bestIteration = result.bestIteration
    self.splitImportance = result.splitCounts
    self.gainImportance = result.splitGains
  }

  /// The raw scores (sums of leaf values plus ``initialScore``), using the first
  /// `iterations` trees.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns; NaN is a missing value.
  ///   - iterations: How many trees to use, from the first; `nil` for all.
  /// - Returns: One raw score per row (log-odds for a classifier, log-mean for Poisson).
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  /// - Complexity: O(n · trees · depth), parallel over rows.
  public func predictRaw(_ features: Matrix, upToIteration iterations: Int? = nil) throws -> [Double] {
    guard features.columns == featureCount else {
      throw GradientBoostingError(
        "the data has \(features.columns) columns but the model was fitted on \(featureCount); pass the same feature columns, in the same order"
      )
    }
    let used = min(max(iterations ?? trees.count, 0), trees.count)
    let n = features.rows
    var out = [Double](repeating: initialScore, count: n)
    let threads = hyperparameters.threads > 0 ? hyperparameters.threads : ProcessInfo.processInfo.activeProcessorCount
    // Rows go through all trees in blocks: a block of rows is transposed to row-major so
    // each walk reads one contiguous row, and the trees stay in cache across the block.
    let block = 256
    let p = featureCount
    let trees = self.trees[..<used]
    features.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let result = slots
        parallelFor(count: (n + block - 1) / block, threads: n >= 4 * block ? threads : 1) { b in
          let lo = b * block
          let hi = min(n, lo + block)
          withUnsafeTemporaryAllocation(of: Double.self, capacity: block * p) { rows in
            for j in 0..<p {
              for i in lo..<hi { rows[(i - lo) * p + j] = x[j * n + i] }
            }
            for tree in trees {
              for i in lo..<hi {
                let base = (i - lo) * p
                result[i] += tree.value { rows[base + $0] }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// The raw score of one row, without allocating.
  ///
  /// - Parameters:
  ///   - row: The row's ``featureCount`` feature values.
  ///   - iterations: How many trees to use; `nil` for all.
  /// - Returns: The raw score.
  /// - Throws: ``GradientBoostingError`` when the row has the wrong length.
  /// - Complexity: O(trees · depth).
  public func predictRaw(row: UnsafeBufferPointer<Double>, upToIteration iterations: Int? = nil) throws -> Double {
    guard row.count == featureCount else {
      throw GradientBoostingError(
        "the row has \(row.count) values but the model was fitted on \(featureCount) features")
    }
    let used = min(max(iterations ?? trees.count, 0), trees.count)
    var score = initialScore
    for t in 0..<used { score += trees[t].value { row[$0] } }
    return score
  }

  /// The prediction for one row, without allocating: the regression value, or the
  /// probability of `classes[1]` for a classifier.
  ///
  /// - Parameter row: The row's ``featureCount`` feature values.
  /// - Returns: The prediction on the target (or probability) scale.
  /// - Throws: ``GradientBoostingError`` when the row has the wrong length.
  public func predictValue(row: UnsafeBufferPointer<Double>) throws -> Double {
    loss.transform(try predictRaw(row: row))
  }

  /// Predicts every row: the regression value (on the target scale), or for a classifier
  /// the class label (`classes[1]` when its probability exceeds ½).
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: One prediction per row.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  /// - Complexity: O(n · trees · depth).
  public func predict(_ features: Matrix) throws -> [Double] {
    try predict(features, upToIteration: nil)
  }

  /// Predicts every row with the first `iterations` trees.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns.
  ///   - iterations: How many trees to use; `nil` for all.
  /// - Returns: One prediction per row, as ``predict(_:)``.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  public func predict(_ features: Matrix, upToIteration iterations: Int?) throws -> [Double] {
    let raw = try predictRaw(features, upToIteration: iterations)
    if classes.count == 2 { return raw.map { Double($0 > 0 ? classes[1] : classes[0]) } }
    return raw.map(loss.transform)
  }

  /// The class probabilities: column 0 for `classes[0]`, column 1 for `classes[1]`.
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: An `n × 2` matrix whose rows sum to 1; `n × 0` for a regressor.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  public func predictProbabilities(_ features: Matrix) throws -> Matrix {
    try predictProbabilities(features, upToIteration: nil)
  }

  /// The class probabilities using the first `iterations` trees.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns.
  ///   - iterations: How many trees to use; `nil` for all.
  /// - Returns: An `n × 2` matrix; `n × 0` for a regressor.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  public func predictProbabilities(_ features: Matrix, upToIteration iterations: Int?) throws -> Matrix {
    let raw = try predictRaw(features, upToIteration: iterations)
    let n = raw.count
    guard classes.count == 2 else { return Matrix(rows: n, columns: 0) }
    var storage = [Double](repeating: 0, count: 2 * n)
    for i in 0..<n {
      let positive = Loss.sigmoid(raw[i])
      storage[i] = 1 - positive
      storage[n + i] = positive
    }
    return (try? Matrix(rows: n, columns: 2, columnMajor: storage)) ?? Matrix(rows: n, columns: 2)
  }
}
