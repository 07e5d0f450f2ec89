import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneNeural

/// Hand-written back-propagation against central finite differences, in `Double`, for
/// every activation, with and without layer normalisation and dropout, for every loss.
///
/// The check is `‖g − ĝ‖ / max(‖g‖ + ‖ĝ‖, 1e-12) < 1e-6` with `ĝᵢ = (L(θ + h eᵢ) −
/// L(θ − h eᵢ)) / 2h`, `h = 1e-5`. Central differences err by `O(h²·L‴) ≈ 1e-10` plus
/// rounding `O(ε·L/h) ≈ 1e-11`, against gradient norms of order 0.1–1, so a correct
/// gradient sits near 1e-9; a wrong term (a missing factor, a transposed product, a
/// dropped layer-norm term) gives errors of order 1e-2 and above.
@Suite("Gradient checks")
struct GradientCheckTests {
  /// One small problem: network, parameters, batch and targets.
  struct Problem {
    let layout: NetworkLayout
    let loss: LossFunction
    let parameters: [Double]
    let input: [Double]  // inputCount × rows, one sample per column
    let targets: [Double]
    let weights: [Double]?
    let rows: Int
    let dropout: Double

    /// The weighted mean loss at `parameters` and `input`, with the same dropout mask
    /// every time (the generator restarts from the same seed).
    func loss(parameters: [Double], input: [Double]) -> Double {
      run(parameters: parameters, input: input).loss
    }

    func run(parameters: [Double], input: [Double]) -> (loss: Double, gradient: [Double], inputGradient: [Double]) {
      let workspace = NetworkWorkspace<Double>(layout: layout, capacity: rows, dropout: dropout)
      workspace.input.update(from: input, count: input.count)
      var random = Xoshiro256StarStar(seed: 99)
      var gradient = [Double](repeating: .nan, count: layout.parameterCount)
      var value = 0.0
      parameters.withUnsafeBufferPointer { theta in
        gradient.withUnsafeMutableBufferPointer { g in
          targets.withUnsafeBufferPointer { y in
            let w = weights ?? []
            w.withUnsafeBufferPointer { wp in
              let base = theta.baseAddress.unsafelyUnwrapped
              workspace.forward(rows: rows, parameters: base, training: dropout > 0, random: &random)
              let result = loss.evaluate(
                scores: workspace.logits, width: layout.outputCount, rows: rows,
                targets: y.baseAddress.unsafelyUnwrapped, weights: weights == nil ? nil : wp.baseAddress,
                gradient: workspace.logitGradients)
              value = result.loss / result.weight
              workspace.backward(
                rows: rows, parameters: base, gradients: g.baseAddress.unsafelyUnwrapped, inputGradient: true)
            }
          }
        }
      }
      let inputGradient = Array(UnsafeBufferPointer(start: workspace.inputGradients, count: input.count))
      return (value, gradient, inputGradient)
    }
  }

  static func problem(
    activation: Activation, layerNorm: Bool, dropout: Double, loss: LossFunction, weighted: Bool, seed: UInt64
  ) -> Problem {
    var random = Xoshiro256StarStar(seed: seed)
    let (inputs, rows) = (3, 6)
    let outputs: Int
    switch loss {
    case .softmaxCrossEntropy: outputs = 4
    default: outputs = 1
    }
    let layout = NetworkLayout(
      inputs: inputs, hidden: [5, 4], outputs: outputs, activation: activation, layerNorm: layerNorm)
    var parameters = (0..<layout.parameterCount).map { _ in 0.8 * random.nextGaussian() }
    // Layer-norm gains away from zero, so their rows of the Jacobian are not degenerate.
    for layer in layout.layers {
      if let gain = layer.gain {
        for i in gain..<(gain + layer.outputs) { parameters[i] = 1 + 0.3 * random.nextGaussian() }
      }
    }
    let input = (0..<(inputs * rows)).map { _ in random.nextGaussian() }
    let targets: [Double] = (0..<rows).map { _ in
      switch loss {
      case .binaryCrossEntropy: Double(random.nextInt(below: 2))
      case .softmaxCrossEntropy: Double(random.nextInt(below: 4))
      default: 2 * random.nextGaussian()
      }
    }
    let weights = weighted ? (0..<rows).map { _ in 0.2 + random.nextUnitDouble() } : nil
    return Problem(
      layout: layout, loss: loss, parameters: parameters, input: input, targets: targets, weights: weights, rows: rows,
      dropout: dropout)
  }

  /// `‖a − b‖ / ‖a‖ + ‖b‖` (0 when both vanish).
  static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    let scale = a.reduce(0) { $0 + $1 * $1 }.squareRoot() + b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return difference / max(scale, 1e-12)
  }

  static func numericGradient(_ f: ([Double]) -> Double, at x: [Double], step: Double = 1e-5) -> [Double] {
    var point = x
    return x.indices.map { i in
      point[i] = x[i] + step
      let up = f(point)
      point[i] = x[i] - step
      let down = f(point)
      point[i] = x[i]
      return (up - down) / (2 * step)
    }
  }

  static let losses: [LossFunction] = [
    .squaredError, .huber(delta: 0.7), .binaryCrossEntropy, .softmaxCrossEntropy,
  ]

  @Test(
    "parameter and input gradients of every activation and layer option",
    arguments: Activation.allCases, [(false, 0.0), (true, 0.0), (false, 0.3), (true, 0.3)])
  func layers(activation: Activation, options: (layerNorm: Bool, dropout: Double)) {
    // Binary cross-entropy on top: smooth, so only the layers' own kinks could matter.
    let problem = Self.problem(
      activation: activation, layerNorm: options.layerNorm, dropout: options.dropout, loss: .binaryCrossEntropy,
      weighted: false, seed: 11)
    let analytic = problem.run(parameters: problem.parameters, input: problem.input)
    let numeric = Self.numericGradient({ problem.loss(parameters: $0, input: problem.input) }, at: problem.parameters)
    let error = Self.relativeError(analytic.gradient, numeric)
    #expect(error < 1e-6, "parameters: relative error \(error)")
    let numericInput = Self.numericGradient(
      { problem.loss(parameters: problem.parameters, input: $0) }, at: problem.input)
    let inputError = Self.relativeError(analytic.inputGradient, numericInput)
    #expect(inputError < 1e-6, "inputs: relative error \(inputError)")
  }

  @Test("gradients of every loss, with and without sample weights", arguments: losses, [false, true])
  func lossGradients(loss: LossFunction, weighted: Bool) {
    let problem = Self.problem(
      activation: .tanh, layerNorm: false, dropout: 0, loss: loss, weighted: weighted, seed: 5)
    let analytic = problem.run(parameters: problem.parameters, input: problem.input)
    let numeric = Self.numericGradient({ problem.loss(parameters: $0, input: problem.input) }, at: problem.parameters)
    let error = Self.relativeError(analytic.gradient, numeric)
    #expect(error < 1e-6, "relative error \(error)")
    // The check must be able to fail: a gradient scaled by 1.01 is caught.
    #expect(Self.relativeError(analytic.gradient.map { $0 * 1.01 }, numeric) > 1e-3)
  }

  @Test("the Huber loss uses both branches in its check")
  func huberCoversBothBranches() {
    let problem = Self.problem(
      activation: .tanh, layerNorm: false, dropout: 0, loss: .huber(delta: 0.7), weighted: false, seed: 5)
    let workspace = NetworkWorkspace<Double>(layout: problem.layout, capacity: problem.rows, dropout: 0)
    workspace.input.update(from: problem.input, count: problem.input.count)
    var random = Xoshiro256StarStar(seed: 0)
    problem.parameters.withUnsafeBufferPointer {
      workspace.forward(
        rows: problem.rows, parameters: $0.baseAddress.unsafelyUnwrapped, training: false, random: &random)
    }
    let residuals = (0..<problem.rows).map { abs(workspace.logits[$0] - problem.targets[$0]) }
    #expect(residuals.contains { $0 < 0.7 } && residuals.contains { $0 > 0.7 }, "\(residuals)")
  }

  @Test("loss values match closed forms")
  func lossValues() {
    func value(_ loss: LossFunction, _ scores: [Double], _ target: Double) -> Double {
      scores.withUnsafeBufferPointer { z in
        [target].withUnsafeBufferPointer { y in
          loss.evaluate(
            scores: z.baseAddress.unsafelyUnwrapped, width: scores.count, rows: 1,
            targets: y.baseAddress.unsafelyUnwrapped, weights: nil, gradient: nil
          ).loss
        }
      }
    }
    // Tolerance 1e-12: each is a handful of correctly rounded operations.
    #expect(abs(value(.squaredError, [3], 1) - 2) < 1e-12)
    #expect(abs(value(.huber(delta: 1), [3], 1) - 1.5) < 1e-12)
    #expect(abs(value(.binaryCrossEntropy, [0.3], 1) - log(1 + exp(-0.3))) < 1e-12)
    #expect(abs(value(.binaryCrossEntropy, [800], 0) - 800) < 1e-12, "stable for large logits")
    let z = [0.5, -1, 2]
    let logSum = log(z.map { exp($0) }.reduce(0, +))
    #expect(abs(value(.softmaxCrossEntropy, z, 2) - (logSum - 2)) < 1e-12)
  }
}
