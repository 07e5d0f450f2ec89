import Dispatch
import Foundation
import HoneCore
import HoneLinearAlgebra

/// Held-out data a booster scores every round.
struct ValidationData {
  var features: Matrix
  var target: [Double]
  var weights: [Double]?
}

/// The boosting loop (Friedman 2001, with second-order leaf values as in Chen & Guestrin
/// 2016 and Ke et al. 2017): start from the loss's optimal constant, then each round
/// compute gradients and hessians at the current scores, grow a tree on them, and add it.
struct Booster {
  var hyperparameters: GradientBoostingHyperparameters
  var loss: Loss
  /// Replaces `loss`'s value, derivatives and starting score when set.
  var customObjective: CustomObjective?

  struct Result {
    var initialScore: Double
    var trees: [PredictionTree]
    var history: [BoostingRound]
    var bestIteration: Int?
    var splitCounts: [Int]
    var splitGains: [Double]
  }

  func run(
    data: BinnedDataset, target: [Double], weights: [Double]?, validation: ValidationData?,
    onRound: ((BoostingRound) -> BoostingControl)?
  ) -> Result {
    if case .multiclassSoftmax(let classCount) = loss {
      return runMulticlass(
        classCount: classCount, data: data, target: target, weights: weights, validation: validation,
        onRound: onRound)
    }
    let h = hyperparameters
    let threads = h.threads > 0 ? h.threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    let start = DispatchTime.now().uptimeNanoseconds
    let n = data.rowCount
    let p = data.featureCount
    let initial = customObjective?.initialScore ?? loss.initialScore(targets: target, weights: weights)
    var scores = [Double](repeating: initial, count: n)
    var pairs = [SIMD2<Float>](repeating: .zero, count: n)
    var validScores = validation.map { [Double](repeating: initial, count: $0.features.rows) } ?? []
    let grower = TreeGrower(
      finder: SplitFinder(h),
      maxLeaves: h.maxLeaves, maxDepth: h.maxDepth > 0 ? h.maxDepth : Int.max, learningRate: h.learningRate,
      threads: threads)
    var random = Xoshiro256StarStar(seed: h.seed)
    var result = Result(
      initialScore: initial, trees: [], history: [], bestIteration: nil,
      splitCounts: [Int](repeating: 0, count: p), splitGains: [Double](repeating: 0, count: p))
    var bestLoss = Double.infinity
    var bestRound = 0
    let allFeatures = Array(0..<p)
    let featureCount = max(1, Int((h.columnSubsample * Double(p)).rounded()))
    var treeSplits: [[(feature: Int, gain: Double)]] = []
    let workspace = GrowerWorkspace(rows: n, stride: data.rowStride)

    for round in 1...h.rounds {
      computeDerivatives(target: target, weights: weights, scores: scores, pairs: &pairs, threads: threads)
      let (sample, features) = Self.drawRound(
        &random, rows: n, rowSubsample: h.rowSubsample, allFeatures: allFeatures, featureCount: featureCount)
      let grown = grower.grow(data: data, pairs: pairs, sample: sample, features: features, workspace: workspace)

      // Training scores: rows of the sample by leaf range, the others through the tree.
      scores.withUnsafeMutableBufferPointer { slots in
        grown.rows.withUnsafeBufferPointer { rows in
          nonisolated(unsafe) let out = slots
          // Leaves hold disjoint rows, so they can be added in parallel.
          parallelFor(count: grown.leaves.count, threads: threads) { index in
            let leaf = grown.leaves[index]
            let value = grown.nodes[leaf.node].value
            for k in leaf.start..<(leaf.start + leaf.count) { out[Int(rows[k])] += value }
          }
        }
      }
      if sample != nil {
        var inSample = [Bool](repeating: false, count: n)
        for row in grown.rows { inSample[Int(row)] = true }
        for i in 0..<n where !inSample[i] { scores[i] += Self.binnedValue(grown.nodes, data: data, row: i) }
      }
      treeSplits.append(grown.nodes.filter { !$0.isLeaf }.map { ($0.feature, $0.gain) })
      let tree = PredictionTree(grown.nodes, mappers: data.mappers)
      result.trees.append(tree)

      var record = BoostingRound(iteration: round, elapsedSeconds: 0)
      if h.recordTrainingLoss { record.trainingLoss = meanLoss(target, weights, scores) }
      if let validation {
        let x = validation.features
        let rows = x.rows
        x.withUnsafeBufferPointer { values in
          for i in 0..<rows { validScores[i] += tree.value { values[$0 * rows + i] } }
        }
        record.validationLoss = meanLoss(validation.target, validation.weights, validScores)
      }
      record.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      result.history.append(record)
      if let validLoss = record.validationLoss, validLoss < bestLoss {
        bestLoss = validLoss
        bestRound = round
      }
      if onRound?(record) == .stop { break }
      if h.earlyStoppingRounds > 0, validation != nil, round - bestRound >= h.earlyStoppingRounds { break }
    }
    if h.earlyStoppingRounds > 0, validation != nil, bestRound > 0 {
      result.bestIteration = bestRound
      // Importance counts only the kept trees.
      result.trees.removeLast(result.trees.count - bestRound)
    }
    // Importance counts only the trees the model keeps.
    for splits in treeSplits.prefix(result.trees.count) {
      for split in splits {
        result.splitCounts[split.feature] += 1
        result.splitGains[split.feature] += split.gain
      }
    }
    return result
  }

  /// Gradient and hessian of every row (times its weight) at `scores`, as `Float` pairs:
  /// half the memory traffic of `Double` in the histogram pass, and ample precision for a
  /// single row's derivative (sums are taken in `Double`).
  private func computeDerivatives(
    target: [Double], weights: [Double]?, scores: [Double], pairs: inout [SIMD2<Float>], threads: Int
  ) {
    let n = target.count
    let chunk = 16_384
    let loss = self.loss
    let custom = customObjective?.derivatives
    pairs.withUnsafeMutableBufferPointer { slots in
      nonisolated(unsafe) let out = slots
      parallelFor(count: (n + chunk - 1) / chunk, threads: threads) { block in
        for i in (block * chunk)..<min(n, (block + 1) * chunk) {
          let (g, h) = custom?(target[i], scores[i]) ?? loss.derivatives(target: target[i], score: scores[i])
          let w = weights?[i] ?? 1
          out[i] = SIMD2<Float>(Float(g * w), Float(h * w))
        }
      }
    }
  }

  private func meanLoss(_ target: [Double], _ weights: [Double]?, _ scores: [Double]) -> Double {
    var sum = 0.0
    var total = 0.0
    for i in target.indices {
      let w = weights?[i] ?? 1
      sum += w * (customObjective?.value(target[i], scores[i]) ?? loss.value(target: target[i], score: scores[i]))
      total += w
    }
    return sum / total
  }

  /// A grown tree's value for row `row` of the binned data.
  /// One round's random draws, shared by every objective so that a seed means the same
  /// thing everywhere: first the bagged rows (each kept with probability `rowSubsample`;
  /// `nil` without bagging, one random row if none was kept), then the sorted feature
  /// subset (all features when `featureCount` covers them).
  static func drawRound(
    _ random: inout Xoshiro256StarStar, rows n: Int, rowSubsample: Double, allFeatures: [Int], featureCount: Int
  ) -> (sample: [Int32]?, features: [Int]) {
    var sample: [Int32]?
    if rowSubsample < 1 {
      var rows: [Int32] = []
      rows.reserveCapacity(Int(Double(n) * rowSubsample) + 16)
      for i in 0..<n where random.nextUnitDouble() < rowSubsample { rows.append(Int32(i)) }
      sample = rows.isEmpty ? [Int32(random.nextInt(below: n))] : rows
    }
    var features = allFeatures
    if featureCount < allFeatures.count {
      random.shuffle(&features)
      features = Array(features[..<featureCount]).sorted()
    }
    return (sample, features)
  }

  static func binnedValue(_ nodes: [GrowerNode], data: BinnedDataset, row: Int) -> Double {
    var index = 0
    while !nodes[index].isLeaf {
      let node = nodes[index]
      let code = data.codes[node.feature * data.rowCount + row]
      index = node.goesLeft(code) ? node.left : node.right
    }
    return nodes[index].value
  }
}
