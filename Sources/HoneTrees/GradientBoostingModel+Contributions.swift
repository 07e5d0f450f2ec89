import Foundation
import HoneCore
import HoneLinearAlgebra

extension GradientBoostingModel {
  /// The expected raw score: ``initialScore`` plus each tree's cover-weighted mean leaf
  /// value, over the first `iterations` trees — the last column of
  /// ``contributions(_:upToIteration:)``.
  ///
  /// - Parameter iterations: How many trees to use, from the first; `nil` for all.
  /// - Returns: The raw score with every feature absent.
  public func expectedRawScore(upToIteration iterations: Int? = nil) -> Double {
    let used = min(max(iterations ?? trees.count, 0), trees.count)
    return trees[..<used].reduce(initialScore) { $0 + $1.expectedValue() }
  }

  /// Each feature's SHAP contribution to each row's raw score (TreeSHAP).
  ///
  /// Computes exact Shapley values of the raw score with the path-dependent conditional
  /// expectation, by Algorithm 2 of Lundberg, Erion & Lee (2018), "Consistent
  /// individualized feature attribution for tree ensembles": a feature absent from a
  /// subset sends the row down both branches of its splits, weighted by the training rows
  /// (covers) each branch received. Matches LightGBM's `predict(pred_contrib=True)`, which
  /// also weights by row counts. Missing values follow each split's learned direction.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns; NaN is a missing value.
  ///   - iterations: How many trees to use, from the first; `nil` for all.
  /// - Returns: An `n × (featureCount + 1)` matrix: column `j` is feature `j`'s
  ///   contribution in raw-score units (log-odds for a classifier), the last column is
  ///   ``expectedRawScore(upToIteration:)``, and each row sums to
  ///   ``predictRaw(_:upToIteration:)`` up to rounding.
  /// - Throws: ``GradientBoostingError`` when the column count differs, when a tree
  ///   has no covers (a model file written before covers were stored; refit it), or for a
  ///   multiclass model (not supported yet).
  /// - Complexity: O(n · trees · leaves · depth²), parallel over rows.
  public func contributions(_ features: Matrix, upToIteration iterations: Int? = nil) throws -> Matrix {
    guard features.columns == featureCount else {
      throw GradientBoostingError(
        "the data has \(features.columns) columns but the model was fitted on \(featureCount); pass the same feature columns, in the same order"
      )
    }
    if treesPerRound > 1 {
      throw GradientBoostingError(
        "contributions are not available for multiclass models yet; they need one column block per class")
    }
    let used = min(max(iterations ?? trees.count, 0), trees.count)
    let trees = Array(self.trees[..<used])
    if let index = trees.firstIndex(where: { $0.covers.count != $0.nodes.count }) {
      throw GradientBoostingError(
        "tree \(index) has no node covers, so contributions cannot be computed; the model file predates covers — refit the model to compute contributions"
      )
    }
    let n = features.rows
    let p = featureCount
    let expected = expectedRawScore(upToIteration: used)
    let capacity = PredictionTree.pathCapacity(depth: trees.map(\.depth).max() ?? 0)
    var storage = [Double](repeating: 0, count: n * (p + 1))
    let threads = hyperparameters.threads > 0 ? hyperparameters.threads : ProcessInfo.processInfo.activeProcessorCount
    // Blocks of rows so each worker reuses one path buffer and one row of contributions;
    // rows are disjoint, so the column-major writes never overlap.
    let block = 64
    features.withUnsafeBufferPointer { x in
      storage.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let out = slots
        parallelFor(count: (n + block - 1) / block, threads: n >= 2 * block ? threads : 1) { b in
          let lo = b * block
          let hi = min(n, lo + block)
          let empty = ContributionPathElement(feature: -1, zero: 0, one: 0, weight: 0)
          withUnsafeTemporaryAllocation(of: ContributionPathElement.self, capacity: capacity) { path in
            path.initialize(repeating: empty)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: p) { phi in
              for i in lo..<hi {
                phi.initialize(repeating: 0)
                for tree in trees { tree.addContributions(row: { x[$0 * n + i] }, into: phi, path: path) }
                for j in 0..<p { out[j * n + i] = phi[j] }
                out[p * n + i] = expected
              }
            }
          }
        }
      }
    }
    return (try? Matrix(rows: n, columns: p + 1, columnMajor: storage)) ?? Matrix(rows: n, columns: p + 1)
  }
}
