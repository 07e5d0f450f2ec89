import Foundation
import Testing

@testable import HoneTuning

/// The "below" density's kernel-width factor: validated, applied to the observations'
/// kernels of `l(x)` only, the same in the rebuilt and the incremental joint model, and
/// harmless to the sampler's guarantees (inside the space, reproducible).
@Suite("TPE below-bandwidth factor")
struct TPEBandwidthFactorTests {
  static let unit: Distribution = .float(low: 0, high: 10, log: false, step: nil)

  @Test(arguments: [0, -0.5, Double.nan, Double.infinity])
  func aFactorThatIsNotPositiveAndFiniteThrows(factor: Double) {
    #expect(throws: TuningError.self) { try TPESampler(seed: 1, belowBandwidthFactor: factor) }
  }

  @Test func theConvenienceInitialiserUsesTheDocumentedDefault() throws {
    #expect(TPESampler(seed: 1).belowBandwidthFactor == TPESampler.defaultBelowBandwidthFactor)
    #expect(try TPESampler(seed: 1, belowBandwidthFactor: 1).belowBandwidthFactor == 1)
  }

  /// Observations 2, 3 and 7 on [0, 10], worked by hand with the neighbour rule: the ends
  /// take their inner gap (1 and 4), the middle the larger of its gaps (4); the clip's
  /// floor is 10 / (3 + 2) = 2, so the widths are 2, 4, 4, and times 0.4: 0.8, 1.6, 1.6.
  /// The prior keeps the whole range, 10. Tolerance: one rounding of each product.
  @Test func theJointEstimatorScalesEachObservationsWidthButNotThePriors() {
    let estimator = JointParzenEstimator(
      columns: [[7, 2, 3]], rows: [0, 1, 2], distributions: [Self.unit], trials: [0, 1, 2], bandwidthFactor: 0.4)
    let expected: [Double] = [1.6, 0.8, 1.6, 10]
    #expect(estimator.sigmas.count == expected.count)
    for (sigma, reference) in zip(estimator.sigmas, expected) { #expect(abs(sigma - reference) < 1e-15) }
  }

  /// The univariate estimator, on the same observations, by the same hand-worked widths.
  @Test func theUnivariateEstimatorScalesEachObservationsWidthButNotThePriors() {
    let estimator = ParzenEstimator([7, 2, 3], bounds: (0, 10), trials: [0, 1, 2], bandwidthFactor: 0.4)
    let expected: [Double] = [1.6, 0.8, 1.6, 10]
    #expect(estimator.sigmas.count == expected.count)
    for (sigma, reference) in zip(estimator.sigmas, expected) { #expect(abs(sigma - reference) < 1e-15) }
  }

  /// The incremental model must build the same "below" and "above" estimators as the
  /// rebuild, factor included; with 40 trials the below group is the best 4. Exact
  /// equality: both promise the same operations in the same order.
  @Test(arguments: [0.25, 0.4, 1])
  func theIncrementalModelAppliesTheFactorToTheBelowGroupOnly(factor: Double) {
    let distributions: [Distribution] = [Self.unit, .float(low: -1, high: 1, log: false, step: nil)]
    let count = 40
    let rows: [[Double]] = (0..<count).map { (n: Int) -> [Double] in
      let u = Double((n * 37 + 11) % 101) / 10.1
      let v = Double((n * 53 + 7) % 97) / 48.5 - 1
      return [u, v]
    }
    let values: [Double] = rows.map { (row: [Double]) -> Double in
      let a = row[0] - 3
      return a * a + row[1] * row[1]
    }
    var model = IncrementalJointModel(direction: .minimize, dimensions: 2)
    model.place((0..<count).map { ($0, values[$0], rows[$0]) }, distributions: distributions)
    let (below, above) = model.estimators(
      distributions: distributions, numbersAscending: Array(0..<count), belowBandwidthFactor: factor)
    let order = (0..<count).sorted { values[$0] < values[$1] }
    let columns = [rows.map { $0[0] }, rows.map { $0[1] }]
    let rebuiltBelow = JointParzenEstimator(
      columns: columns, rows: order[..<4], distributions: distributions, trials: Array(order[..<4]),
      bandwidthFactor: factor)
    let rebuiltAbove = JointParzenEstimator(
      columns: columns, rows: order[4...], distributions: distributions, trials: Array(order[4...]))
    #expect(below.sigmas == rebuiltBelow.sigmas)
    #expect(below.logConstants == rebuiltBelow.logConstants)
    #expect(above.sigmas == rebuiltAbove.sigmas)
    #expect(above.logConstants == rebuiltAbove.logConstants)
    // Against factor 1, every observation's width in the below group is scaled exactly,
    // the prior's (last per dimension) is not.
    let unscaled = JointParzenEstimator(
      columns: columns, rows: order[..<4], distributions: distributions, trials: Array(order[..<4]))
    for j in 0..<2 {
      for k in 0..<5 {
        let (scaled, plain) = (below.sigmas[j * 5 + k], unscaled.sigmas[j * 5 + k])
        #expect(scaled == (k == 4 ? plain : plain * factor))
      }
    }
  }

  /// Every kind of parameter, jointly and univariately: the values stay inside their
  /// ranges and on their grids, and a second study with the same seed repeats the first.
  @Test(arguments: [true, false])
  func studiesStayInTheSpaceAndRepeat(multivariate: Bool) throws {
    func run() throws -> [[String: ParameterValue]] {
      let study = Study(sampler: try TPESampler(seed: 9, multivariate: multivariate, belowBandwidthFactor: 0.2))
      try study.optimize(trials: 60) { trial in
        let rate = try trial.suggestFloat("rate", 1e-4...1, log: true)
        let fraction = try trial.suggestFloat("fraction", 0.1...0.9, step: 0.2)
        let leaves = try trial.suggestInt("leaves", 4...64, step: 4)
        let kind = try trial.suggestCategorical("kind", ["tree", "linear"])
        let x = try trial.suggestFloat("x", -5...10)
        return log10(rate) * log10(rate) + fraction + Double(leaves) / 64 + (kind == "tree" ? 0 : 1) + x * x
      }
      return study.trials.map(\.parameters)
    }
    let first = try run()
    #expect(try run() == first)
    for parameters in first {
      guard case .double(let rate) = parameters["rate"], case .double(let fraction) = parameters["fraction"],
        case .int(let leaves) = parameters["leaves"], case .double(let x) = parameters["x"],
        case .string(let kind) = parameters["kind"]
      else {
        Issue.record("a parameter is missing or of the wrong kind: \(parameters)")
        continue
      }
      #expect((1e-4...1).contains(rate))
      // The stepped grid 0.1, 0.3, …, 0.9, to a rounding of the step arithmetic.
      #expect(abs((fraction - 0.1) / 0.2 - ((fraction - 0.1) / 0.2).rounded()) < 1e-9)
      #expect((0.1 - 1e-12...0.9 + 1e-12).contains(fraction))
      #expect((4...64).contains(leaves) && leaves % 4 == 0)
      #expect((-5...10).contains(x))
      #expect(["tree", "linear"].contains(kind))
    }
  }
}
