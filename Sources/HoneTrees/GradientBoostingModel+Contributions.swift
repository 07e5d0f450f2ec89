import Foundation
import HoneCore
import HoneLinearAlgebra

extension GradientBoostingModel {
  /// The expected raw scores: for each class (one entry unless multiclass),
  /// ``initialScore`` plus the cover-weighted mean leaf value of each of its trees in the
  /// first `iterations` rounds — the last column of each class's block of
  /// ``contributions(_:upToIteration:)``.
  ///
  /// - Parameter iterations: How many boosting rounds to use, from the first; `nil` for all.
  /// - Returns: ``treesPerRound`` raw scores with every feature absent.
  public func expectedRawScores(upToIteration iterations: Int? = nil) -> [Double] {
    let k = treesPerRound
    let used = usedRounds(iterations) * k
    return (0..<k).map { c in
      stride(from: c, to: used, by: k).reduce(initialScore) { $0 + trees[$1].expectedValue() }
    }
  }

  private func usedRounds(_ iterations: Int?) -> Int {
    let rounds = trees.count / treesPerRound
    return min(max(iterations ?? rounds, 0), rounds)
  }

  /// Each feature's SHAP contribution to each row's raw score (TreeSHAP).
  ///
  /// Computes exact Shapley values of the raw score with the path-dependent conditional
  /// expectation, by Algorithm 2 of Lundberg, Erion & Lee (2018), "Consistent
  /// individualized feature attribution for tree ensembles": a feature absent from a
  /// subset sends the row down both branches of its splits, weighted by the training rows
  /// (covers) each branch received. Matches LightGBM's `predict(pred_contrib=True)`, which
  /// also weights by row counts and lays multiclass output out the same way. Missing
  /// values follow each split's learned direction.
  ///
  /// - Parameters:
  ///   - features: A matrix with ``featureCount`` columns; NaN is a missing value.
  ///   - iterations: How many boosting rounds to use, from the first; `nil` for all.
  /// - Returns: An `n × K·(featureCount + 1)` matrix, `K` = ``treesPerRound`` (1 unless
  ///   multiclass): in class `c`'s block of columns, column `j` is feature `j`'s
  ///   contribution to that class's raw score (log-odds for a binary classifier, logit
  ///   for multiclass) and the last is its ``expectedRawScores(upToIteration:)`` entry;
  ///   each block's row sums equal ``predictRawScores(_:upToIteration:)``'s column `c` up
  ///   to rounding.
  /// - Throws: ``GradientBoostingError`` when the column count differs, or when a tree
  ///   has no covers (a model file written before covers were stored; refit it).
  /// - Complexity: O(n · trees · leaves · depth²), parallel over rows.
  public func contributions(_ features: Matrix, upToIteration iterations: Int? = nil) throws -> Matrix {
    guard features.columns == featureCount else {
      throw GradientBoostingError(
        "the data has \(features.columns) columns but the model was fitted on \(featureCount); pass the same feature columns, in the same order"
      )
    }
    let k = treesPerRound
    let trees = Array(self.trees[..<(usedRounds(iterations) * k)])
    if let index = trees.firstIndex(where: { $0.covers.count != $0.nodes.count }) {
      throw GradientBoostingError(
        "tree \(index) has no node covers, so contributions cannot be computed; the model file predates covers — refit the model to compute contributions"
      )
    }
    let n = features.rows
    let p = featureCount
    let width = p + 1
    let expected = expectedRawScores(upToIteration: iterations)
    let capacity = PredictionTree.pathCapacity(depth: trees.map(\.depth).max() ?? 0)
    var storage = [Double](repeating: 0, count: n * k * width)
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
                for c in 0..<k {
                  phi.initialize(repeating: 0)
                  // Tree t scores class t mod K (round-major order).
                  for t in stride(from: c, to: trees.count, by: k) {
                    trees[t].addContributions(row: { x[$0 * n + i] }, into: phi, path: path)
                  }
                  let base = c * width
                  for j in 0..<p { out[(base + j) * n + i] = phi[j] }
                  out[(base + p) * n + i] = expected[c]
                }
              }
            }
          }
        }
      }
    }
    return (try? Matrix(rows: n, columns: k * width, columnMajor: storage)) ?? Matrix(rows: n, columns: k * width)
  }
}
