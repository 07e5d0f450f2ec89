import Foundation
import HoneCore
import Testing

@testable import HoneTuning

/// The joint Parzen estimator's log density, which scores every TPE candidate: checked
/// against the mixture written out term by term, and its shortcuts (reciprocal widths,
/// terms skipped below the sum's precision) against the plain ordered sum of every term.
@Suite("TPE joint density")
struct TPEDensityTests {
  static let distributions: [Distribution] = [
    .float(low: 0, high: 10, log: false, step: nil), .float(low: -1, high: 1, log: false, step: nil),
    .categorical(["a", "b", "c"]),
  ]

  /// An estimator over `count` observations: most clustered near (3, 0.2) so the
  /// neighbour rule makes narrow kernels — far candidates then sit hundreds of widths away
  /// and the density's cut-offs skip most terms — the rest spread over the box.
  static func estimator(count: Int, seed: UInt64) -> JointParzenEstimator {
    var rng = Xoshiro256StarStar(seed: seed)
    var columns: [[Double]] = [[], [], []]
    for n in 0..<count {
      let clustered = n % 4 != 0
      columns[0].append(clustered ? 3 + 0.01 * rng.nextGaussian() : 10 * rng.nextUnitDouble())
      columns[1].append(clustered ? 0.2 + 0.002 * rng.nextGaussian() : 2 * rng.nextUnitDouble() - 1)
      columns[2].append(Double(rng.nextInt(below: 3)))
    }
    for k in 0..<2 { columns[k] = columns[k].map { Swift.min(k == 0 ? 10 : 1, Swift.max(k == 0 ? 0 : -1, $0)) } }
    return JointParzenEstimator(
      columns: columns, rows: Array(0..<count)[...], distributions: distributions, trials: Array(0..<count))
  }

  /// Points near the cluster, on a component, at the box's corners and in between.
  static func points(_ estimator: JointParzenEstimator, seed: UInt64) -> [[Double]] {
    var rng = Xoshiro256StarStar(seed: seed)
    var out: [[Double]] = [[3, 0.2, 0], [3.004, 0.201, 1], [0, -1, 2], [10, 1, 0], [7.5, -0.3, 1]]
    let c = estimator.components
    out.append([estimator.points[1], estimator.points[c + 1], 2])
    for _ in 0..<40 {
      out.append([10 * rng.nextUnitDouble(), 2 * rng.nextUnitDouble() - 1, Double(rng.nextInt(below: 3))])
    }
    return out
  }

  /// The mixture written out: each component's weight times its truncated normal kernels
  /// (normaliser from the normal CDF at the box's ends) times its categorical
  /// probability, summed by log-sum-exp. Agreement to 1e-11 relative: the two compute
  /// the same quantity by different arithmetic.
  @Test(arguments: [3, 40, 400])
  func theLogDensityIsTheTruncatedMixture(count: Int) {
    let estimator = Self.estimator(count: count, seed: UInt64(count))
    let c = estimator.components
    var scratch = [Double](repeating: 0, count: c)
    for x in Self.points(estimator, seed: 7) {
      var terms: [Double] = []
      for k in 0..<c {
        var term = log(estimator.weights[k])
        for j in 0..<2 {
          let (mean, sigma) = (estimator.points[j * c + k], estimator.sigmas[j * c + k])
          let (low, high) = j == 0 ? (0.0, 10.0) : (-1.0, 1.0)
          let mass = normalCDF((high - mean) / sigma) - normalCDF((low - mean) / sigma)
          let z = (x[j] - mean) / sigma
          term += -0.5 * z * z - log(sigma * (2 * Double.pi).squareRoot() * Swift.max(mass, 1e-12))
        }
        let own = estimator.points[2 * c + k]
        term += log(own < 0 ? 1.0 / 3 : (own == x[2] ? 0.75 : 0) + 0.25 / 3)
        terms.append(term)
      }
      let top = terms.max() ?? 0
      let reference = top + log(terms.reduce(0) { $0 + exp($1 - top) })
      let value = estimator.logDensity(x, scratch: &scratch)
      #expect(abs(value - reference) <= 1e-11 * Swift.max(1, abs(reference)), "x = \(x): \(value) vs \(reference)")
    }
  }

  /// The terms the density skips change no bit: the same per-component logarithms summed
  /// in component order with nothing skipped give exactly the same value.
  @Test(arguments: [40, 400, 2000])
  func skippedTermsChangeNoBit(count: Int) {
    let estimator = Self.estimator(count: count, seed: UInt64(count) + 1)
    let c = estimator.components
    var scratch = [Double](repeating: 0, count: c)
    var skipped = 0
    for x in Self.points(estimator, seed: 11) {
      var logs = [Double](repeating: 0, count: c)
      for j in 0..<2 {
        for k in 0..<c {
          let z = (x[j] - estimator.points[j * c + k]) * estimator.inverseSigmas[j * c + k]
          logs[k] += z * z
        }
      }
      for k in 0..<c {
        logs[k] = estimator.logConstants[k] - 0.5 * logs[k]
        let own = estimator.points[2 * c + k]
        logs[k] += log(own < 0 ? 1.0 / 3 : (own == x[2] ? 0.75 : 0) + 0.25 / 3)
      }
      var top = logs[0]
      for k in 1..<c where logs[k] > top { top = logs[k] }
      var sum = 0.0
      for k in 0..<c {
        sum += exp(logs[k] - top)
        if logs[k] - top < -38 { skipped += 1 }
      }
      let value = estimator.logDensity(x, scratch: &scratch)
      #expect(value.bitPattern == (top + log(sum)).bitPattern, "x = \(x): \(value) vs \(top + log(sum))")
    }
    // The cases exercise the skipping: many terms lie below the cut-off.
    #expect(skipped > count)
  }
}
