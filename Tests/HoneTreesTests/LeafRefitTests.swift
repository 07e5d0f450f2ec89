import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

/// Absolute-error and quantile boosting refit each new tree's leaves to a quantile of the
/// leaf's residuals, as LightGBM does.
@Suite("Leaf refit for absolute error and quantile losses")
struct LeafRefitTests {
  @Test(
    "the percentile reads the sorted values at alpha·(n − 1), as NumPy's and LightGBM 4's",
    arguments: [
      // (values, alpha, expected): n = 4, alpha = 0.5 → position 1.5 → between 2 and 3.
      ([4.0, 1, 3, 2], 0.5, 2.5),
      // n = 5 → position 2 → the middle value.
      ([5.0, 1, 4, 2, 3], 0.5, 3.0),
      // n = 10, alpha = 0.25 → position 2.25 → a quarter of the way from 30 to 40.
      ([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.25, 32.5),
      // alpha = 0.95 → position 8.55 → from 90 towards 100.
      ([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.95, 95.5),
      // alpha = 0.04 → position 0.16 → from 5 towards 6.
      ([7.0, 9, 8, 6, 5], 0.04, 5.16),
      // The ends: the smallest and the largest value.
      ([7.0, 9, 8, 6, 5], 0, 5),
      ([7.0, 9, 8, 6, 5], 1, 9),
    ])
  func percentile(values: [Double], alpha: Double, expected: Double) {
    var scratch = values
    #expect(abs(Loss.percentile(&scratch, weights: nil, alpha: alpha) - expected) < 1e-12)
  }

  @Test("weighted: a value sits at the weight below it over the total less the largest value's")
  func weightedPercentile() {
    // Weights 2, 1, 1 on 1, 5, 9: the scale is 4 − 1 = 3; 1 sits at 0, 5 at 2/3, 9 at 1.
    // alpha = 0.5 reads 1.5/2 of the way from 1 to 5.
    var values = [9.0, 1, 5]
    #expect(Loss.percentile(&values, weights: [1, 2, 1], alpha: 0.5) == 4)
    values = [9.0, 1, 5]
    #expect(Loss.percentile(&values, weights: [1, 2, 1], alpha: 0.25) == 2.5)
    values = [9.0, 1, 5]
    #expect(Loss.percentile(&values, weights: [1, 2, 1], alpha: 1) == 9)
    // A value of weight 0 does not count.
    values = [9.0, 1, 5]
    #expect(Loss.percentile(&values, weights: [1, 1, 0], alpha: 0.5) == 5)
    // Equal weights give the unweighted answer, whatever their scale.
    for scale in [1.0, 0.2, 7] {
      var a = [5.0, 1, 4, 2, 30, 3]
      var b = a
      #expect(
        Loss.percentile(&a, weights: [Double](repeating: scale, count: 6), alpha: 0.3)
          == Loss.percentile(&b, weights: nil, alpha: 0.3))
    }
  }

  @Test("one absolute-error stump: each leaf is its residuals' median, not the sign-gradient Newton step")
  func stumpLeavesAreMedians() throws {
    // Start: the median of the nine targets, 6. Gradients sign(6 − y): +, +, +, +, −, 0,
    // −, −, −; the split x ≤ 4.5 gains 4²/4 + 4²/5 = 7.2, more than any other. Left
    // residuals −6, −5, −4, −3 have median −4.5; right ones 94, 0, 1, 3, 5 have median 3.
    // The Newton step of sign gradients would move the leaves by −1 and +0.8 instead.
    let x: [[Double]] = (1...9).map { [Double($0)] }
    let y: [Double] = [0, 1, 2, 3, 100, 6, 7, 9, 11]
    var h = tinyHyperparameters(leaves: 2)
    h.objective = .absoluteError
    let model = try GradientBoostingRegressor(h).fit(try dataset(x, y))
    #expect(model.initialScore == 6)
    let tree = try #require(model.trees.first)
    #expect(tree.nodes[0].threshold == 4.5)
    #expect(try model.predict(try Matrix(x)) == [1.5, 1.5, 1.5, 1.5, 9, 9, 9, 9, 9])
  }

  @Test(
    "absolute-error and quantile models match LightGBM 4.7.0's",
    arguments: [("regression_l1", nil as Double?), ("quantile", 0.9), ("quantile", 0.25)])
  func matchesLightGBM(objective: String, alpha: Double?) throws {
    // Fixture: Fixtures/make_leaf_refit_fixtures.py. x has 64 distinct values and z 16,
    // so both libraries bin every value alone and grow on identical histograms.
    let fixture = try fixtureJSON("gbdt_leaf_refit")
    let settings = try #require(fixture["settings"] as? [String: Double])
    let x = try #require(fixture["x"] as? [Double])
    let z = try #require(fixture["z"] as? [Double])
    let y = try #require(fixture["y"] as? [Double])
    let probe = try #require(fixture["probe"] as? [[Double]])
    let cases = try #require(fixture["cases"] as? [[String: Any]])
    let entry = try #require(
      cases.first { ($0["objective"] as? String) == objective && ($0["alpha"] as? Double) == alpha })
    var h = GradientBoostingHyperparameters()
    h.maxLeaves = Int(try #require(settings["num_leaves"]))
    h.learningRate = try #require(settings["learning_rate"])
    h.minDataInLeaf = Int(try #require(settings["min_data_in_leaf"]))
    h.l2 = try #require(settings["lambda_l2"])
    h.minSumHessianInLeaf = try #require(settings["min_sum_hessian_in_leaf"])
    h.objective = alpha == nil ? .absoluteError : .quantile
    h.alpha = alpha ?? 0.9
    h.threads = 1
    let data = try Dataset(features: try Matrix(rows: x.count, columns: 2, columnMajor: x + z), target: y)
    for (rounds, key) in [(1, "first_round_predictions"), (Int(try #require(settings["rounds"])), "raw_predictions")] {
      h.rounds = rounds
      let expected = try #require(entry[key] as? [Double])
      let raw = try GradientBoostingRegressor(h).fit(data).predictRaw(try Matrix(probe))
      // Float gradients in both libraries: 1e-6 is rounding; a different split or a
      // different quantile rule moves a prediction by 0.01 or more.
      let worst = zip(raw, expected).map { abs($0 - $1) }.max() ?? .infinity
      #expect(worst < 1e-6, "\(rounds) round(s): largest difference \(worst)")
    }
  }
}
