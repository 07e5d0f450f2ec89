import Foundation
import Testing

@testable import HoneTrees

@Suite("Losses")
struct LossTests {
  static let losses: [Loss] = [
    .squaredError, .absoluteError, .huber(delta: 0.7), .quantile(alpha: 0.3), .poisson, .binaryLogLoss,
  ]

  /// Targets and scores away from the kinks of the piecewise losses, where the central
  /// difference is exact up to rounding.
  static let points: [(y: Double, s: Double)] = [(0, -1.3), (1, 0.4), (1, 2.2), (0, 0.9), (3, 0.2), (2, 1.7)]

  @Test("gradients match central finite differences of the loss", arguments: losses)
  func gradient(loss: Loss) {
    let step = 1e-6
    for (y, s) in Self.points {
      let numeric = (loss.value(target: y, score: s + step) - loss.value(target: y, score: s - step)) / (2 * step)
      // Central differences have O(step²) truncation error and O(ε/step) ≈ 1e-10
      // rounding error for losses of order 1.
      #expect(abs(loss.derivatives(target: y, score: s).gradient - numeric) < 1e-6, "\(loss) at y=\(y), s=\(s)")
    }
  }

  @Test("hessians of the smooth losses match finite differences of the gradient")
  func hessian() {
    let step = 1e-5
    for loss in [Loss.squaredError, .poisson, .binaryLogLoss, .huber(delta: 100)] {
      for (y, s) in Self.points {
        let numeric =
          (loss.derivatives(target: y, score: s + step).gradient
            - loss.derivatives(target: y, score: s - step).gradient) / (2 * step)
        #expect(abs(loss.derivatives(target: y, score: s).hessian - numeric) < 1e-6, "\(loss) at y=\(y), s=\(s)")
      }
    }
  }

  @Test("piecewise-linear losses use the constant hessian 1, as LightGBM")
  func surrogateHessian() {
    for loss in [Loss.absoluteError, .quantile(alpha: 0.3)] {
      #expect(loss.derivatives(target: 1, score: 0).hessian == 1)
    }
  }

  @Test(
    "the initial score minimises the weighted loss over constants",
    arguments: [Loss.squaredError, .absoluteError, .quantile(alpha: 0.3), .poisson, .binaryLogLoss])
  func initialScore(loss: Loss) {
    let targets: [Double] = [0, 1, 1, 0, 1, 1, 0, 1, 1, 1]
    let weights: [Double] = [1, 2, 1, 0.5, 1, 3, 1, 1, 0.2, 1]
    let best = loss.initialScore(targets: targets, weights: weights)
    func total(_ s: Double) -> Double {
      zip(targets, weights).reduce(0) { $0 + $1.1 * loss.value(target: $1.0, score: s) }
    }
    // The optimum is no worse than its neighbours 0.01 away (ties allowed for the
    // piecewise-linear losses, whose minimum can be flat).
    #expect(total(best) <= total(best - 0.01) + 1e-12)
    #expect(total(best) <= total(best + 0.01) + 1e-12)
  }
}
