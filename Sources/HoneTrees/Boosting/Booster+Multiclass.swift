import Dispatch
import Foundation
import HoneCore
import HoneLinearAlgebra

extension Booster {
  /// The multiclass boosting loop (Friedman 2001, §4.6; LightGBM `multiclass`): each round
  /// computes the softmax derivatives of every class at the current scores and grows one
  /// tree per class on them, all on the round's bagging sample and feature subset.
  ///
  /// `target` holds class indices `0 ..< classCount`. The trees come out round-major
  /// (`trees[round · K + k]` scores class `k`), and the per-class starting scores are
  /// added to the first round's leaves, as LightGBM's `AddBias` does, so the model's
  /// ``Result/initialScore`` is 0.
  func runMulticlass(
    classCount: Int, data: BinnedDataset, target: [Double], weights: [Double]?, validation: [ValidationData],
    onRound: ((BoostingRound) -> BoostingControl)?
  ) -> Result {
    let h = hyperparameters
    let k = classCount
    let threads = h.threads > 0 ? h.threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    let start = DispatchTime.now().uptimeNanoseconds
    let n = data.rowCount
    let p = data.featureCount
    let labels = target.map { Int($0) }
    let initial = Loss.multiclassInitialScores(labels: target, weights: weights, classCount: k)
    // Class-major scores, as LightGBM: class `c`'s scores are `scores[c·n ..< (c+1)·n]`.
    var scores = [Double](repeating: 0, count: k * n)
    for c in 0..<k { for i in 0..<n { scores[c * n + i] = initial[c] } }
    var pairs = [SIMD2<Float>](repeating: .zero, count: k * n)
    // The first round's trees carry the starting scores, so validation starts from 0.
    var validScores = validation.map { [Double](repeating: 0, count: k * $0.features.rows) }
    let grower = TreeGrower(h, threads: threads)
    var sampler = RoundSampler(
      seed: h.seed, rows: n, features: p, rowSubsample: h.rowSubsample, frequency: h.baggingFrequency,
      columnSubsample: h.columnSubsample)
    var result = Result(
      initialScore: 0, trees: [], history: [], bestIteration: nil,
      splitCounts: [Int](repeating: 0, count: p), splitGains: [Double](repeating: 0, count: p))
    var stopping = earlyStopping(validation: validation)
    var keptRound: Int?
    var treeSplits: [[(feature: Int, gain: Double)]] = []
    let workspace = GrowerWorkspace(rows: n, stride: data.rowStride)

    for round in 1...h.rounds {
      Self.multiclassDerivatives(
        labels: labels, weights: weights, scores: scores, classCount: k, pairs: &pairs, threads: threads)
      let (sample, features) = sampler.next(round: round)
      for c in 0..<k {
        let classPairs = Array(pairs[(c * n)..<((c + 1) * n)])
        var grown = grower.grow(data: data, pairs: classPairs, sample: sample, features: features, workspace: workspace)
        // Training scores walk the binned rows: simple, and exact, since the binned and
        // raw-threshold trees route every training row alike.
        for i in 0..<n { scores[c * n + i] += Self.binnedValue(grown.nodes, data: data, row: i) }
        if round == 1 {
          for index in grown.nodes.indices where grown.nodes[index].isLeaf { grown.nodes[index].value += initial[c] }
        }
        treeSplits.append(grown.nodes.filter { !$0.isLeaf }.map { ($0.feature, $0.gain) })
        let tree = PredictionTree(grown.nodes, mappers: data.mappers)
        result.trees.append(tree)
        for (index, set) in validation.enumerated() {
          let x = set.features
          let rows = x.rows
          x.withUnsafeBufferPointer { values in
            for i in 0..<rows { validScores[index][c * rows + i] += tree.value { values[$0 * rows + i] } }
          }
        }
      }

      let record = evaluate(
        round: round, start: start, training: (target, weights, scores), validation: validation,
        validScores: validScores
      ) { target, weights, scores in
        Self.multiclassMeanLoss(target.map { Int($0) }, weights, scores, k)
      }
      result.history.append(record)
      if let kept = Self.stopAfter(record, round: round, of: h.rounds, stopping: &stopping, onRound: onRound) {
        keptRound = kept
        break
      }
    }
    if let keptRound {
      result.bestIteration = keptRound
      result.trees.removeLast(result.trees.count - keptRound * k)
    }
    for splits in treeSplits.prefix(result.trees.count) {
      for split in splits {
        result.splitCounts[split.feature] += 1
        result.splitGains[split.feature] += split.gain
      }
    }
    return result
  }

  /// Every row's softmax gradient and hessian per class (times its weight), class-major.
  private static func multiclassDerivatives(
    labels: [Int], weights: [Double]?, scores: [Double], classCount k: Int, pairs: inout [SIMD2<Float>],
    threads: Int
  ) {
    let n = labels.count
    let chunk = 4096
    pairs.withUnsafeMutableBufferPointer { slots in
      nonisolated(unsafe) let out = slots
      scores.withUnsafeBufferPointer { scores in
        parallelFor(count: (n + chunk - 1) / chunk, threads: threads) { block in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: k) { row in
            withUnsafeTemporaryAllocation(of: SIMD2<Double>.self, capacity: k) { derivatives in
              for i in (block * chunk)..<min(n, (block + 1) * chunk) {
                for c in 0..<k { row[c] = scores[c * n + i] }
                Loss.multiclassDerivatives(label: labels[i], scores: UnsafeBufferPointer(row), into: derivatives)
                let w = weights?[i] ?? 1
                for c in 0..<k {
                  out[c * n + i] = SIMD2<Float>(Float(derivatives[c].x * w), Float(derivatives[c].y * w))
                }
              }
            }
          }
        }
      }
    }
  }

  /// The weighted mean softmax cross-entropy of class-major scores.
  static func multiclassMeanLoss(_ labels: [Int], _ weights: [Double]?, _ scores: [Double], _ k: Int) -> Double {
    let n = labels.count
    var sum = 0.0
    var total = 0.0
    withUnsafeTemporaryAllocation(of: Double.self, capacity: k) { row in
      for i in 0..<n {
        for c in 0..<k { row[c] = scores[c * n + i] }
        let w = weights?[i] ?? 1
        sum += w * Loss.multiclassValue(label: labels[i], scores: UnsafeBufferPointer(row))
        total += w
      }
    }
    return sum / total
  }
}
