import HoneCore

/// The mini-batch training loop, generic over the floating-point type.
///
/// Everything a step touches — the batch input, every layer's activations, gradients,
/// optimiser moments and the best-weights snapshot — is allocated before the first
/// epoch; a step is then two or three `gemm` calls per layer plus fused elementwise
/// passes.
struct MLPTrainer<T: NeuralScalar> {
  /// Training data prepared for the network: standardised features in row-major order
  /// (one sample's features contiguous, ready to copy into a batch column), targets as
  /// values or class indices, and optional weights.
  struct Rows {
    var features: [T]
    var targets: [T]
    var weights: [T]?
    var featureCount: Int
  }

  let hyperparameters: MLPHyperparameters
  let layout: NetworkLayout
  let loss: LossFunction
  let metric: MLPHyperparameters.ValidationMetric

  /// Trains from initial `parameters` on `training` rows of `data`, validating on
  /// `validation` rows, and returns the selected parameters and the diagnostics.
  ///
  /// - Throws: ``MLPError`` when the loss becomes non-finite; whatever `onEpoch` throws.
  func train(
    data: Rows, training: [Int], validation: [Int], parameters initial: [T], random: inout Xoshiro256StarStar,
    onEpoch: MLPEpochCallback?
  ) throws -> (parameters: [T], diagnostics: MLPDiagnostics) {
    let h = hyperparameters
    let batch = Swift.min(h.batchSize, training.count)
    let workspace = NetworkWorkspace<T>(layout: layout, capacity: Swift.max(batch, 1), dropout: h.dropout)
    let count = layout.parameterCount
    var parameters = initial
    var gradients = [T](repeating: 0, count: count)
    var best = parameters
    var batchTargets = [T](repeating: 0, count: batch)
    var batchWeights = [T](repeating: 1, count: batch)
    var validationScores = [Double](repeating: 0, count: validation.count * layout.outputCount)
    var order = training
    var optimizer = OptimizerState<T>(h, parameterCount: count)
    let stepsPerEpoch = (training.count + batch - 1) / batch
    let schedule = LearningRateSchedule(
      kind: h.schedule, base: h.learningRate, stepEpochs: h.stepEpochs, stepFactor: h.stepFactor,
      totalSteps: stepsPerEpoch * h.epochs)
    let decayRanges = layout.weightRanges
    let coupledDecay = h.optimizer == .adamw ? 0 : h.weightDecay
    var dropoutRandom = random
    dropoutRandom.jump()

    var history: [MLPEpochRecord] = []
    var bestValue: Double?
    var bestEpoch = 0
    var sinceImprovement = 0
    var stopReason = MLPDiagnostics.StopReason.epochLimit
    var step = 0
    var rate = h.learningRate
    let monitorsValidation = !validation.isEmpty

    for epoch in 0..<h.epochs {
      random.shuffle(&order)
      var lossSum = 0.0
      var weightSum = 0.0
      var start = 0
      while start < order.count {
        let rows = Swift.min(batch, order.count - start)
        gather(
          data, order[start..<(start + rows)], into: workspace.input, targets: &batchTargets, weights: &batchWeights)
        rate = schedule.rate(step: step, epoch: epoch)
        let (batchLoss, batchWeight) = parameters.withUnsafeMutableBufferPointer { theta in
          gradients.withUnsafeMutableBufferPointer { grad in
            batchTargets.withUnsafeBufferPointer { y in
              batchWeights.withUnsafeBufferPointer { w in
                let (params, g) = (theta.baseAddress.unsafelyUnwrapped, grad.baseAddress.unsafelyUnwrapped)
                workspace.forward(rows: rows, parameters: params, training: true, random: &dropoutRandom)
                let result = loss.evaluate(
                  scores: workspace.logits, width: layout.outputCount, rows: rows,
                  targets: y.baseAddress.unsafelyUnwrapped,
                  weights: data.weights == nil ? nil : w.baseAddress, gradient: workspace.logitGradients)
                guard result.weight > 0 else { return result }
                workspace.backward(rows: rows, parameters: params, gradients: g)
                if coupledDecay > 0 {
                  // scikit-learn's L2: (α/2m)·‖W‖² per batch of m rows.
                  let factor = T(coupledDecay / Double(rows))
                  for range in decayRanges {
                    for i in range { g[i] += factor * params[i] }
                  }
                }
                if let limit = h.gradientClipNorm { Self.clip(g, count: count, to: limit) }
                optimizer.step(
                  parameters: params, gradients: g, count: count, rate: rate,
                  decoupledDecay: h.optimizer == .adamw ? rate * h.weightDecay : 0, decayRanges: decayRanges)
                return result
              }
            }
          }
        }
        lossSum += batchLoss
        weightSum += batchWeight
        step += 1
        start += rows
      }
      let trainLoss = weightSum > 0 ? lossSum / weightSum : 0
      guard trainLoss.isFinite else {
        throw MLPError(
          "training diverged in epoch \(epoch + 1): the loss is \(trainLoss); lower learningRate (now \(h.learningRate)), set gradientClipNorm, or standardize the features"
        )
      }
      var record = MLPEpochRecord(
        epoch: epoch + 1, trainLoss: trainLoss, validationLoss: nil, validationMetric: nil, learningRate: rate)
      if monitorsValidation {
        let (validationLoss, value) = evaluate(
          data, rows: validation, parameters: parameters, workspace: workspace, scores: &validationScores,
          chunkTargets: &batchTargets, chunkWeights: &batchWeights, random: &dropoutRandom)
        record.validationLoss = validationLoss
        record.validationMetric = value
      }
      history.append(record)

      // The monitored quantity: the validation metric, else the training loss.
      let monitored = monitorsValidation ? record.validationMetric ?? trainLoss : trainLoss
      let higher = monitorsValidation && metric.higherIsBetter
      let improved: Bool
      if let bestValue {
        let gain = higher ? monitored - bestValue : bestValue - monitored
        improved = gain > h.earlyStoppingTolerance
      } else {
        improved = true
      }
      if improved {
        bestValue = monitored
        bestEpoch = epoch + 1
        sinceImprovement = 0
        if monitorsValidation && h.restoreBestWeights { best = parameters }
      } else {
        sinceImprovement += 1
      }
      if let onEpoch, try onEpoch(record) == .stop {
        stopReason = .callback
        break
      }
      if let patience = h.earlyStoppingPatience, sinceImprovement >= patience {
        stopReason = .earlyStopping
        break
      }
    }
    let restore = monitorsValidation && h.restoreBestWeights && bestEpoch > 0
    var warnings: [String] = []
    if stopReason == .epochLimit, h.earlyStoppingPatience != nil, sinceImprovement == 0, history.count > 1 {
      warnings.append(
        "the monitored quantity was still improving at the last epoch (\(h.epochs)); more epochs may help")
    }
    return (
      restore ? best : parameters,
      MLPDiagnostics(
        history: history, stopReason: stopReason, selectedEpoch: restore ? bestEpoch : history.count,
        steps: optimizer.steps, warnings: warnings)
    )
  }

  /// Copies the batch's rows into the input columns, with their targets and weights.
  private func gather(
    _ data: Rows, _ rows: ArraySlice<Int>, into input: UnsafeMutablePointer<T>, targets: inout [T], weights: inout [T]
  ) {
    let p = data.featureCount
    data.features.withUnsafeBufferPointer { x in
      for (column, row) in rows.enumerated() {
        (input + column * p).update(from: x.baseAddress.unsafelyUnwrapped + row * p, count: p)
      }
    }
    for (column, row) in rows.enumerated() {
      targets[column] = data.targets[row]
      if let w = data.weights { weights[column] = w[row] }
    }
  }

  /// Rescales the gradient to Euclidean norm at most `limit`.
  private static func clip(_ g: UnsafeMutablePointer<T>, count: Int, to limit: Double) {
    var squares = 0.0
    for i in 0..<count { squares += Double(g[i]) * Double(g[i]) }
    let norm = squares.squareRoot()
    guard norm > limit, norm > 0 else { return }
    let factor = T(limit / norm)
    for i in 0..<count { g[i] *= factor }
  }

  /// The loss and metric on `rows` (no dropout), in chunks of the workspace's capacity.
  private func evaluate(
    _ data: Rows, rows: [Int], parameters: [T], workspace: NetworkWorkspace<T>, scores: inout [Double],
    chunkTargets: inout [T], chunkWeights: inout [T], random: inout Xoshiro256StarStar
  ) -> (loss: Double, metric: Double?) {
    let width = layout.outputCount
    var lossSum = 0.0
    var weightSum = 0.0
    var start = 0
    parameters.withUnsafeBufferPointer { theta in
      let params = theta.baseAddress.unsafelyUnwrapped
      while start < rows.count {
        let count = Swift.min(workspace.capacity, rows.count - start)
        let slice = rows[start..<(start + count)]
        data.features.withUnsafeBufferPointer { x in
          for (column, row) in slice.enumerated() {
            (workspace.input + column * data.featureCount).update(
              from: x.baseAddress.unsafelyUnwrapped + row * data.featureCount, count: data.featureCount)
            chunkTargets[column] = data.targets[row]
            chunkWeights[column] = data.weights?[row] ?? 1
          }
        }
        workspace.forward(rows: count, parameters: params, training: false, random: &random)
        let result = chunkTargets.withUnsafeBufferPointer { y in
          chunkWeights.withUnsafeBufferPointer { w in
            loss.evaluate(
              scores: workspace.logits, width: width, rows: count, targets: y.baseAddress.unsafelyUnwrapped,
              weights: data.weights == nil ? nil : w.baseAddress, gradient: nil)
          }
        }
        lossSum += result.loss
        weightSum += result.weight
        for i in 0..<(count * width) { scores[start * width + i] = Double(workspace.logits[i]) }
        start += count
      }
    }
    let validationLoss = weightSum > 0 ? lossSum / weightSum : 0
    let truth = rows.map { Double(data.targets[$0]) }
    return (validationLoss, Self.metric(metric, scores: scores, width: width, truth: truth, loss: validationLoss))
  }

  /// The value of `metric` for `scores` (`width` per row) against `truth`.
  static func metric(
    _ metric: MLPHyperparameters.ValidationMetric, scores: [Double], width: Int, truth: [Double], loss: Double
  ) -> Double? {
    let n = truth.count
    guard n > 0 else { return nil }
    switch metric {
    case .loss:
      return loss
    case .accuracy:
      var correct = 0
      for row in 0..<n {
        let label: Int
        if width == 1 {
          label = scores[row] > 0 ? 1 : 0
        } else {
          var bestClass = 0
          for k in 1..<width where scores[row * width + k] > scores[row * width + bestClass] { bestClass = k }
          label = bestClass
        }
        if Double(label) == truth[row] { correct += 1 }
      }
      return Double(correct) / Double(n)
    case .auc:
      return Metrics.areaUnderROC(scores: scores, labels: truth.map { $0 == 1 })
    case .meanSquaredError, .r2:
      var residual = 0.0
      for row in 0..<n { residual += (scores[row] - truth[row]) * (scores[row] - truth[row]) }
      if metric == .meanSquaredError { return residual / Double(n) }
      let mean = truth.reduce(0, +) / Double(n)
      let total = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
      return total > 0 ? 1 - residual / total : nil
    }
  }
}
