import Foundation

extension Loss {
  /// The softmax cross-entropy of one row: `log Σₖ exp(sₖ) − s_label`.
  ///
  /// - Parameters:
  ///   - label: The row's class index, `0 ..< scores.count`.
  ///   - scores: The row's raw score for each class.
  /// - Returns: The loss, computed without overflow by shifting the scores by their
  ///   maximum; NaN when `label` is not a class index.
  public static func multiclassValue(label: Int, scores: UnsafeBufferPointer<Double>) -> Double {
    guard scores.indices.contains(label) else { return .nan }
    let largest = scores.max() ?? 0
    var sum = 0.0
    for s in scores { sum += exp(s - largest) }
    return largest + log(sum) - scores[label]
  }

  /// Writes the softmax probabilities of `scores` to `probabilities`.
  ///
  /// - Parameters:
  ///   - scores: One raw score per class.
  ///   - probabilities: Receives one probability per class; they sum to 1.
  @inline(__always)
  static func softmax(_ scores: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
    let largest = scores.max() ?? 0
    var sum = 0.0
    for k in scores.indices {
      probabilities[k] = exp(scores[k] - largest)
      sum += probabilities[k]
    }
    for k in scores.indices { probabilities[k] /= sum }
  }

  /// The gradient and the diagonal hessian of ``multiclassValue(label:scores:)`` for each
  /// class, as LightGBM's `MulticlassSoftmax::GetGradients`.
  ///
  /// The gradient is `pₖ − [k = label]`. The hessian is the diagonal `pₖ(1 − pₖ)` scaled by
  /// `K / (K − 1)`: the softmax has one redundant score, and LightGBM rescales to the
  /// non-redundant form following Friedman (2001, §4.6, whose K-class leaf step carries
  /// the factor `(K − 1)/K` on the gradient, i.e. `K/(K − 1)` on the hessian).
  ///
  /// - Parameters:
  ///   - label: The row's class index.
  ///   - scores: The row's raw score for each class.
  ///   - derivatives: Receives `(gradient, hessian)` per class, at least `scores.count`
  ///     slots; NaN pairs when `label` is not a class index or there are fewer than 2 classes.
  public static func multiclassDerivatives(
    label: Int, scores: UnsafeBufferPointer<Double>, into derivatives: UnsafeMutableBufferPointer<SIMD2<Double>>
  ) {
    let classCount = min(scores.count, derivatives.count)
    guard classCount >= 2, classCount == scores.count, scores.indices.contains(label) else {
      for k in 0..<classCount { derivatives[k] = SIMD2(.nan, .nan) }
      return
    }
    let factor = Double(classCount) / Double(classCount - 1)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: classCount) { p in
      softmax(scores, into: p)
      for k in 0..<classCount {
        // The same hessian floor as the binary loss keeps leaf values finite when a
        // class is predicted with certainty.
        derivatives[k] = SIMD2(p[k] - (k == label ? 1 : 0), max(factor * p[k] * (1 - p[k]), 1e-16))
      }
    }
  }

  /// The per-class starting scores: the log of each class's weighted frequency
  /// (LightGBM's `MulticlassSoftmax::BoostFromScore`), floored so an absent class stays finite.
  static func multiclassInitialScores(labels: [Double], weights: [Double]?, classCount: Int) -> [Double] {
    var totals = [Double](repeating: 0, count: classCount)
    var all = 0.0
    for i in labels.indices {
      let w = weights?[i] ?? 1
      totals[Int(labels[i])] += w
      all += w
    }
    return totals.map { log(max($0 / all, 1e-15)) }
  }
}
