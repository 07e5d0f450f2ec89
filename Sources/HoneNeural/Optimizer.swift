import Foundation

/// The optimiser's state over the flat parameter vector, and its update rule.
///
/// All rules act elementwise on the whole vector in one loop; weight decay touches only
/// the weight-matrix ranges of the layout.
struct OptimizerState<T: NeuralScalar> {
  let kind: MLPHyperparameters.Optimizer
  let momentum: T
  let beta1: Double
  let beta2: Double
  let epsilon: T
  /// Velocity (momentum, Nesterov) or Adam's first moment.
  private var first: [T]
  /// Adam's second moment.
  private var second: [T]
  /// The number of steps taken, for Adam's bias correction.
  private(set) var steps = 0

  init(_ h: MLPHyperparameters, parameterCount: Int) {
    kind = h.optimizer
    momentum = T(h.momentum)
    beta1 = h.beta1
    beta2 = h.beta2
    epsilon = T(h.epsilon)
    let needsFirst = kind != .sgd
    let needsSecond = kind == .adam || kind == .adamw
    first = [T](repeating: 0, count: needsFirst ? parameterCount : 0)
    second = [T](repeating: 0, count: needsSecond ? parameterCount : 0)
  }

  /// Takes one step with learning rate `rate` along `gradients`.
  ///
  /// - Parameters:
  ///   - decoupledDecay: AdamW's `η_t·λ`, applied to `decayRanges` before the step.
  mutating func step(
    parameters: UnsafeMutablePointer<T>, gradients: UnsafePointer<T>, count: Int, rate: Double,
    decoupledDecay: Double, decayRanges: [Range<Int>]
  ) {
    steps += 1
    let eta = T(rate)
    switch kind {
    case .sgd:
      for i in 0..<count { parameters[i] -= eta * gradients[i] }
    case .momentum, .nesterov:
      let mu = momentum
      let nesterov = kind == .nesterov
      first.withUnsafeMutableBufferPointer { v in
        for i in 0..<count {
          let velocity = mu * v[i] - eta * gradients[i]
          v[i] = velocity
          // Sutskever et al. (2013) in scikit-learn's form: θ += μv − ηg.
          parameters[i] += nesterov ? mu * velocity - eta * gradients[i] : velocity
        }
      }
    case .adam, .adamw:
      if kind == .adamw && decoupledDecay > 0 {
        let keep = T(1 - decoupledDecay)
        for range in decayRanges {
          for i in range { parameters[i] *= keep }
        }
      }
      // Kingma & Ba's efficient form: fold both bias corrections into the step size.
      let t = Double(steps)
      let corrected = T(rate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t)))
      let (b1, b2) = (T(beta1), T(beta2))
      let (c1, c2) = (1 - b1, 1 - b2)
      let eps = epsilon
      first.withUnsafeMutableBufferPointer { m in
        second.withUnsafeMutableBufferPointer { v in
          for i in 0..<count {
            let g = gradients[i]
            let mi = b1 * m[i] + c1 * g
            let vi = b2 * v[i] + c2 * g * g
            m[i] = mi
            v[i] = vi
            parameters[i] -= corrected * mi / (vi.squareRoot() + eps)
          }
        }
      }
    }
  }
}

/// The learning rate at each step of a schedule.
struct LearningRateSchedule: Sendable {
  let kind: MLPHyperparameters.Schedule
  let base: Double
  let stepEpochs: Int
  let stepFactor: Double
  let totalSteps: Int

  /// The rate for optimiser step `step` (from 0) in epoch `epoch` (from 0).
  func rate(step: Int, epoch: Int) -> Double {
    switch kind {
    case .constant:
      return base
    case .step:
      return base * pow(stepFactor, Double(epoch / stepEpochs))
    case .cosine:
      let progress = Double(step) / Double(Swift.max(1, totalSteps))
      return base * 0.5 * (1 + cos(Double.pi * Swift.min(1, progress)))
    case .oneCycle:
      // PyTorch OneCycleLR defaults: pct_start 0.3, div_factor 25, final_div_factor 1e4.
      let initial = base / 25
      let final = initial / 1e4
      let warmup = Swift.max(1, Int((0.3 * Double(totalSteps)).rounded(.down)) - 1)
      func anneal(_ from: Double, _ to: Double, _ fraction: Double) -> Double {
        to + (from - to) / 2 * (1 + cos(Double.pi * Swift.min(1, fraction)))
      }
      if step <= warmup { return anneal(initial, base, Double(step) / Double(warmup)) }
      let rest = Swift.max(1, totalSteps - 1 - warmup)
      return anneal(base, final, Double(step - warmup) / Double(rest))
    }
  }
}
