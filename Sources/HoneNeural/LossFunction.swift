/// A loss on the network's linear output scores, with its gradient.
///
/// Every loss takes the scores (logits for classification), so the sigmoid and softmax
/// live inside the loss where they can be computed stably.
enum LossFunction: Sendable, Equatable {
  /// `½(z − y)²`.
  case squaredError
  /// `½r²` for `|r| ≤ δ`, `δ(|r| − ½δ)` beyond, with `r = z − y` (Huber 1964).
  case huber(delta: Double)
  /// `log(1 + eᶻ) − y·z`: binary cross-entropy on one logit, labels 0 or 1.
  case binaryCrossEntropy
  /// `logΣₖ e^{zₖ} − z_y`: softmax cross-entropy over `K` logits, labels `0..<K`.
  case softmaxCrossEntropy

  /// Evaluates the loss over `rows` samples and writes its gradient with respect to the
  /// scores into `gradient`, scaled as the gradient of the weighted mean
  /// `Σ wᵢℓᵢ / Σ wᵢ` (all weights 1 when `weights` is `nil`).
  ///
  /// - Parameters:
  ///   - scores: `width × rows` scores, one sample per column.
  ///   - targets: One target per row: the value, or the class index.
  ///   - weights: One weight per row, or `nil`.
  ///   - gradient: Receives `width × rows` gradients, or `nil` to skip them.
  /// - Returns: `Σ wᵢℓᵢ` (in `Double`) and `Σ wᵢ`.
  func evaluate<T: NeuralScalar>(
    scores: UnsafePointer<T>, width: Int, rows: Int, targets: UnsafePointer<T>, weights: UnsafePointer<T>?,
    gradient: UnsafeMutablePointer<T>?
  ) -> (loss: Double, weight: Double) {
    var weightSum = 0.0
    if let weights {
      for row in 0..<rows { weightSum += Double(weights[row]) }
    } else {
      weightSum = Double(rows)
    }
    let scale: T = weightSum > 0 ? T(1 / weightSum) : 0
    var total = 0.0
    for row in 0..<rows {
      let w: T = weights?[row] ?? 1
      let z = scores + row * width
      let g = gradient.map { $0 + row * width }
      let loss = sample(z, width: width, target: targets[row], gradientScale: w * scale, gradient: g)
      total += Double(w) * loss
    }
    return (total, weightSum)
  }

  /// One sample's loss; writes `gradientScale · ∂ℓ/∂z` into `gradient` when given.
  @inline(__always)
  private func sample<T: NeuralScalar>(
    _ z: UnsafePointer<T>, width: Int, target: T, gradientScale: T, gradient: UnsafeMutablePointer<T>?
  ) -> Double {
    switch self {
    case .squaredError:
      let r = z[0] - target
      gradient?[0] = gradientScale * r
      return Double(T(0.5) * r * r)
    case .huber(let delta):
      let r = z[0] - target
      let d = T(delta)
      if abs(r) <= d {
        gradient?[0] = gradientScale * r
        return Double(T(0.5) * r * r)
      }
      gradient?[0] = gradientScale * (r > 0 ? d : -d)
      return Double(d * (abs(r) - T(0.5) * d))
    case .binaryCrossEntropy:
      let s = z[0]
      // log(1 + eˢ) = max(s, 0) + log1p(e^{−|s|}): no overflow for any s.
      let softplus = Swift.max(s, 0) + T.logarithmOnePlus(T.exponential(-abs(s)))
      gradient?[0] = gradientScale * (Activation.sigmoid(s) - target)
      return Double(softplus - target * s)
    case .softmaxCrossEntropy:
      let label = Int(target)
      var peak = z[0]
      for k in 1..<width where z[k] > peak { peak = z[k] }
      var sum: T = 0
      for k in 0..<width { sum += T.exponential(z[k] - peak) }
      let logSum = peak + T.logarithm(sum)
      if let gradient {
        for k in 0..<width {
          let p = T.exponential(z[k] - logSum)
          gradient[k] = gradientScale * (k == label ? p - 1 : p)
        }
      }
      return Double(logSum - z[label])
    }
  }
}
