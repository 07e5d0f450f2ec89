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
/// 2017). A multiclass model (``Loss/multiclassSoftmax(classCount:)``) has one raw score
/// per class — each round adds one tree per class, `trees[round · K + k]` for class `k`,
/// and its ``initialScore`` is 0 because the class priors sit in the first round's
/// leaves — read through ``predictRawScores(_:upToIteration:)`` and turned into
/// probabilities by the softmax.
public struct GradientBoostingModel: ProbabilisticModel, Equatable {
  /// The model kind in model files.
  public static let kind = "gbdt"

  /// The loss the model was trained on.
  public let loss: Loss
  /// The class labels in increasing order (`[negative, positive]` for a binary
  /// classifier); empty for regression.
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
  /// Every round that ran — with early stopping, also the rounds after the kept one — with
  /// its losses and each validation set's metrics (``BoostingRound/evaluations``).
  public let history: [BoostingRound]
  /// The round early stopping kept (from 1), whose trees the model holds; `nil` without
  /// early stopping.
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

  /// The number of trees each boosting round adds: the class count for a multiclass
  /// model, else 1.
  public var treesPerRound: Int {
    if case .multiclassSoftmax(let classCount) = loss { return classCount }
    return 1
  }

  /// The raw scores (sums of leaf values plus ``initialScore``), using the first
  /// `iterations` trees.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns; NaN is a missing value.
  ///   - iterations: How many trees to use, from the first; `nil` for all.
  /// - Returns: One raw score per row (log-odds for a classifier, log-mean for Poisson).
  /// - Throws: ``GradientBoostingError`` when the column count differs, or for a
  ///   multiclass model, whose scores ``predictRawScores(_:upToIteration:)`` returns.
  /// - Complexity: O(n · trees · depth), parallel over rows.
  public func predictRaw(_ features: Matrix, upToIteration iterations: Int? = nil) throws -> [Double] {
    try requireSingleScore()
    return try rawScores(features, trees: Array(trees[..<min(max(iterations ?? trees.count, 0), trees.count)]))
  }

  /// The raw scores of every class: one column per class for a multiclass model, a single
  /// column (``predictRaw(_:upToIteration:)``) otherwise.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns; NaN is a missing value.
  ///   - iterations: How many boosting rounds to use, from the first; `nil` for all.
  /// - Returns: An `n × treesPerRound` matrix of raw scores (softmax logits for multiclass).
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  /// - Complexity: O(n · trees · depth), parallel over rows.
  public func predictRawScores(_ features: Matrix, upToIteration iterations: Int? = nil) throws -> Matrix {
    let k = treesPerRound
    let rounds = trees.count / k
    let used = min(max(iterations ?? rounds, 0), rounds) * k
    var storage: [Double] = []
    storage.reserveCapacity(features.rows * k)
    for c in 0..<k {
      storage += try rawScores(features, trees: stride(from: c, to: used, by: k).map { trees[$0] })
    }
    return (try? Matrix(rows: features.rows, columns: k, columnMajor: storage))
      ?? Matrix(rows: features.rows, columns: k)
  }

  func requireSingleScore() throws {
    if treesPerRound > 1 {
      throw GradientBoostingError(
        "this multiclass model has \(treesPerRound) raw scores per row; use predictRawScores or predictProbabilities")
    }
  }

  /// ``initialScore`` plus the given trees' values for every row.
  private func rawScores(_ features: Matrix, trees: [PredictionTree]) throws -> [Double] {
    guard features.columns == featureCount else {
      throw GradientBoostingError(
        "the data has \(features.columns) columns but the model was fitted on \(featureCount); pass the same feature columns, in the same order"
      )
    }
    let n = features.rows
    var out = [Double](repeating: initialScore, count: n)
    let threads = hyperparameters.threads > 0 ? hyperparameters.threads : ProcessInfo.processInfo.activeProcessorCount
    // Rows go through all trees in blocks: a block of rows is transposed to row-major so
    // each walk reads one contiguous row, and the trees stay in cache across the block.
    let block = 256
    let p = featureCount
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
  /// - Throws: ``GradientBoostingError`` when the row has the wrong length, or for a
  ///   multiclass model.
  /// - Complexity: O(trees · depth).
  public func predictRaw(row: UnsafeBufferPointer<Double>, upToIteration iterations: Int? = nil) throws -> Double {
    try requireSingleScore()
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
  /// - Throws: ``GradientBoostingError`` when the row has the wrong length, or for a
  ///   multiclass model.
  public func predictValue(row: UnsafeBufferPointer<Double>) throws -> Double {
    loss.transform(try predictRaw(row: row))
  }

  /// Predicts every row: the regression value (on the target scale), or for a classifier
  /// the class label (`classes[1]` when its probability exceeds ½; the most probable
  /// class for a multiclass model).
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
    if treesPerRound > 1 {
      let raw = try predictRawScores(features, upToIteration: iterations)
      return (0..<raw.rows).map { i in
        // The most probable class is the largest logit; ties go to the first class.
        var best = 0
        for c in 1..<raw.columns where raw[i, c] > raw[i, best] { best = c }
        return Double(classes[best])
      }
    }
    let raw = try predictRaw(features, upToIteration: iterations)
    if classes.count == 2 { return raw.map { Double($0 > 0 ? classes[1] : classes[0]) } }
    return raw.map(loss.transform)
  }

  /// The class probabilities: column `k` for `classes[k]`.
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: An `n × classes.count` matrix whose rows sum to 1; `n × 0` for a regressor.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  public func predictProbabilities(_ features: Matrix) throws -> Matrix {
    try predictProbabilities(features, upToIteration: nil)
  }

  /// The class probabilities using the first `iterations` trees.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns.
  ///   - iterations: How many trees to use; `nil` for all.
  /// - Returns: An `n × classes.count` matrix; `n × 0` for a regressor.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  public func predictProbabilities(_ features: Matrix, upToIteration iterations: Int?) throws -> Matrix {
    if treesPerRound > 1 {
      let raw = try predictRawScores(features, upToIteration: iterations)
      let n = raw.rows
      let k = raw.columns
      var storage = [Double](repeating: 0, count: n * k)
      withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * k) { buffer in
        let scores = UnsafeMutableBufferPointer(rebasing: buffer[0..<k])
        let probabilities = UnsafeMutableBufferPointer(rebasing: buffer[k...])
        for i in 0..<n {
          for c in 0..<k { scores[c] = raw[i, c] }
          Loss.softmax(UnsafeBufferPointer(scores), into: probabilities)
          for c in 0..<k { storage[c * n + i] = probabilities[c] }
        }
      }
      return (try? Matrix(rows: n, columns: k, columnMajor: storage)) ?? Matrix(rows: n, columns: k)
    }
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
