import Dispatch
import Foundation
import HoneCore
import HoneLinearAlgebra

/// A held-out set a booster scores every round, under its name.
struct ValidationData {
  var name: String
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
    data: BinnedDataset, target: [Double], weights: [Double]?, validation: [ValidationData],
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
    var validScores = validation.map { [Double](repeating: initial, count: $0.features.rows) }
    let grower = TreeGrower(h, threads: threads)
    var sampler = RoundSampler(
      seed: h.seed, rows: n, features: p, rowSubsample: h.rowSubsample, frequency: h.baggingFrequency,
      columnSubsample: h.columnSubsample)
    var result = Result(
      initialScore: initial, trees: [], history: [], bestIteration: nil,
      splitCounts: [Int](repeating: 0, count: p), splitGains: [Double](repeating: 0, count: p))
    var stopping = earlyStopping(validation: validation)
    var keptRound: Int?
    var treeSplits: [[(feature: Int, gain: Double)]] = []
    let workspace = GrowerWorkspace(rows: n, stride: data.rowStride)

    for round in 1...h.rounds {
      computeDerivatives(target: target, weights: weights, scores: scores, pairs: &pairs, threads: threads)
      let (sample, features) = sampler.next(round: round)
      var grown = grower.grow(data: data, pairs: pairs, sample: sample, features: features, workspace: workspace)
      if customObjective == nil, let alpha = loss.leafRefitQuantile, grown.leaves.count > 1 {
        refitLeaves(&grown, alpha: alpha, target: target, weights: weights, scores: scores, threads: threads)
      }

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

      for (index, set) in validation.enumerated() {
        let x = set.features
        let rows = x.rows
        x.withUnsafeBufferPointer { values in
          for i in 0..<rows { validScores[index][i] += tree.value { values[$0 * rows + i] } }
        }
      }
      let record = evaluate(
        round: round, start: start, training: (target, weights, scores), validation: validation,
        validScores: validScores, objectiveLoss: meanLoss)
      result.history.append(record)
      if let kept = Self.stopAfter(record, round: round, of: h.rounds, stopping: &stopping, onRound: onRound) {
        keptRound = kept
        break
      }
    }
    if let keptRound {
      result.bestIteration = keptRound
      result.trees.removeLast(result.trees.count - keptRound)
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

  /// Sets each leaf of `grown` to the `alpha` quantile of its rows' residuals `y − score`
  /// (times the learning rate), as LightGBM's `regression_l1` and `quantile` objectives
  /// do: the leaf value that minimises the leaf's loss exactly, where the Newton step of a
  /// sign gradient would only count rows. The splits stay as the gradients chose them.
  private func refitLeaves(
    _ grown: inout GrownTree, alpha: Double, target: [Double], weights: [Double]?, scores: [Double], threads: Int
  ) {
    let leaves = grown.leaves
    var outputs = [Double](repeating: 0, count: leaves.count)
    grown.rows.withUnsafeBufferPointer { rows in
      outputs.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let out = slots
        parallelFor(count: leaves.count, threads: threads) { index in
          let leaf = leaves[index]
          var residuals = [Double](repeating: 0, count: leaf.count)
          var leafWeights = weights.map { _ in [Double](repeating: 0, count: leaf.count) }
          for k in 0..<leaf.count {
            let row = Int(rows[leaf.start + k])
            residuals[k] = target[row] - scores[row]
            leafWeights?[k] = weights?[row] ?? 1
          }
          out[index] = Loss.percentile(&residuals, weights: leafWeights, alpha: alpha)
        }
      }
    }
    for (leaf, output) in zip(leaves, outputs) {
      grown.nodes[leaf.node].value = output * hyperparameters.learningRate
    }
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

  /// The metrics this fit records: the chosen ones, or the objective's own.
  var metrics: [EvaluationMetric] {
    if !hyperparameters.metrics.isEmpty { return hyperparameters.metrics }
    if customObjective != nil { return [] }
    return EvaluationMetric.defaultMetric(for: loss).map { [$0] } ?? []
  }

  /// Asks early stopping and the per-round callback about a finished round: `nil` to go
  /// on, else the round whose trees the model keeps (`.some(nil)`: all of them, when the
  /// callback stops a fit without early stopping). Shared by the single-output and
  /// multiclass loops.
  static func stopAfter(
    _ record: BoostingRound, round: Int, of rounds: Int, stopping: inout EarlyStopping?,
    onRound: ((BoostingRound) -> BoostingControl)?
  ) -> Int?? {
    let stop = stopping?.record(round: round, values: stoppingValues(record), isLast: round == rounds)
    let control = onRound?(record)
    if let stop { return .some(stop) }
    if control == .stop { return .some(stopping?.finalBestRound) }
    return nil
  }

  /// The early-stopping bookkeeping, when early stopping is on and there is a validation set.
  func earlyStopping(validation: [ValidationData]) -> EarlyStopping? {
    guard hyperparameters.earlyStoppingRounds > 0, !validation.isEmpty else { return nil }
    return EarlyStopping(
      patience: hyperparameters.earlyStoppingRounds, criterion: hyperparameters.earlyStoppingCriterion)
  }

  /// One round's record: the objective's loss on the training rows (when recorded) and
  /// the first validation set, and every metric on every set.
  ///
  /// - Parameters:
  ///   - objectiveLoss: The weighted mean objective loss of (target, weights, raw scores).
  func evaluate(
    round: Int, start: UInt64, training: (target: [Double], weights: [Double]?, scores: [Double]),
    validation: [ValidationData], validScores: [[Double]],
    objectiveLoss: ([Double], [Double]?, [Double]) -> Double
  ) -> BoostingRound {
    var record = BoostingRound(iteration: round, elapsedSeconds: 0)
    let metrics = self.metrics
    func scoreSet(_ name: String, _ target: [Double], _ weights: [Double]?, _ scores: [Double]) {
      if metrics.isEmpty {
        record.evaluations.append(
          BoostingEvaluation(
            set: name, metric: "loss", value: objectiveLoss(target, weights, scores), higherIsBetter: false))
      }
      for metric in metrics {
        let value = metric.evaluate(
          scores: scores, target: target, weights: weights, loss: loss, alpha: hyperparameters.alpha)
        record.evaluations.append(
          BoostingEvaluation(set: name, metric: metric.rawValue, value: value, higherIsBetter: metric.higherIsBetter))
      }
    }
    let h = hyperparameters
    if h.recordTrainingLoss && (round % h.trainingMetricFrequency == 0 || round == h.rounds) {
      record.trainingLoss = objectiveLoss(training.target, training.weights, training.scores)
      scoreSet(Self.trainingSetName, training.target, training.weights, training.scores)
    }
    for (index, set) in validation.enumerated() {
      if index == 0 { record.validationLoss = objectiveLoss(set.target, set.weights, validScores[0]) }
      scoreSet(set.name, set.target, set.weights, validScores[index])
    }
    record.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return record
  }

  /// The name of the training rows in ``BoostingRound/evaluations``; no validation set may use it.
  static let trainingSetName = "training"

  /// A round's validation values, numbered by set and metric, for early stopping.
  static func stoppingValues(_ record: BoostingRound) -> [EarlyStopping.Value] {
    var values: [EarlyStopping.Value] = []
    var set = -1
    var metric = 0
    var previous: String?
    for entry in record.evaluations where entry.set != trainingSetName {
      if entry.set != previous {
        set += 1
        metric = 0
        previous = entry.set
      }
      values.append(
        EarlyStopping.Value(set: set, metric: metric, value: entry.value, higherIsBetter: entry.higherIsBetter))
      metric += 1
    }
    return values
  }

  /// A grown tree's value for row `row` of the binned data.
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
