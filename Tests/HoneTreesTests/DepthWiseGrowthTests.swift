import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Depth-wise growth")
struct DepthWiseGrowthTests {
  /// x = 1…8, y = 0, 10, 40, 50, 100, 100, 104, 104. With squared error (gradients s − y,
  /// unit hessians) the gains `G_L²/n_L + G_R²/n_R − G²/n` are: root, x ≤ 4.5: 11858; its
  /// left child {0, 10, 40, 50}, x ≤ 2.5: 1600; its right child {100, 100, 104, 104},
  /// x ≤ 6.5: 16; each of the left child's children, {0, 10} and {40, 50}: 50.
  static let x: [[Double]] = (1...8).map { [Double($0)] }
  static let y: [Double] = [0, 10, 40, 50, 100, 100, 104, 104]

  @Test("with a budget of four leaves, depth-wise splits the shallow leaf, leaf-wise the best one")
  func orderUnderALeafBudget() throws {
    var h = tinyHyperparameters(leaves: 4)
    h.growth = .depthWise
    let depthWise = try GradientBoostingRegressor(h).fit(try dataset(Self.x, Self.y))
    // Root, then x ≤ 2.5 (gain 1600), then the other depth-1 leaf, x ≤ 6.5 (gain 16),
    // although the depth-2 leaves offer 50 each.
    let balanced: [Double] = [5, 5, 45, 45, 100, 100, 104, 104]
    for (p, e) in zip(try depthWise.predict(try Matrix(Self.x)), balanced) { #expect(abs(p - e) < 1e-4) }
    #expect(try #require(depthWise.trees.first).leafCount == 4)

    h.growth = .leafWise
    let leafWise = try GradientBoostingRegressor(h).fit(try dataset(Self.x, Self.y))
    // Root, x ≤ 2.5, then the first depth-2 leaf, {0, 10} at x ≤ 1.5 (gain 50 > 16).
    let deep: [Double] = [0, 10, 45, 45, 102, 102, 102, 102]
    for (p, e) in zip(try leafWise.predict(try Matrix(Self.x)), deep) { #expect(abs(p - e) < 1e-4) }
  }

  @Test("with a depth limit and no binding budget, both policies grow the same full tree")
  func sameTreeWithoutABudget() throws {
    var h = tinyHyperparameters(leaves: 64)
    h.maxDepth = 2
    h.growth = .depthWise
    let depthWise = try GradientBoostingRegressor(h).fit(try dataset(Self.x, Self.y))
    h.growth = .leafWise
    let leafWise = try GradientBoostingRegressor(h).fit(try dataset(Self.x, Self.y))
    #expect(try #require(depthWise.trees.first).leafCount == 4)
    #expect(try depthWise.predict(try Matrix(Self.x)) == (try leafWise.predict(try Matrix(Self.x))))
  }

  @Test("depth-wise trees match XGBoost 3.2.0's depthwise hist trees")
  func matchesXGBoost() throws {
    // Fixture: Fixtures/make_depthwise_fixtures.py. Features take 12 integer values, so
    // both libraries give every value its own bin; XGBoost splits at `x < v`, Hone between
    // neighbouring values, which sends every training row the same way.
    let fixture = try fixtureJSON("gbdt_depthwise")
    let rows = try #require(fixture["features"] as? [[Double]])
    let target = try #require(fixture["target"] as? [Double])
    let expected = try #require(fixture["predictions"] as? [Double])
    let leaves = try #require(fixture["leaves_per_tree"] as? [Int])
    var h = GradientBoostingHyperparameters()
    h.growth = .depthWise
    h.maxDepth = 3
    h.maxLeaves = 255
    h.rounds = 8
    h.learningRate = 0.3
    h.l2 = 1
    h.minDataInLeaf = 1
    h.minSumHessianInLeaf = 1
    h.threads = 1
    let model = try GradientBoostingRegressor(h).fit(try dataset(rows, target))
    #expect(model.trees.map(\.leafCount) == leaves)
    let predicted = try model.predict(try Matrix(rows))
    // XGBoost keeps gradients and its starting score in Float, Hone its gradients: the
    // two agree to single precision, far below the smallest leaf value.
    let worst = zip(predicted, expected).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst < 1e-5, "largest difference \(worst)")
  }

  @Test("growth decodes, defaults to leaf-wise for files without it, and takes XGBoost's grow_policy")
  func namesAndDecoding() throws {
    #expect(GradientBoostingHyperparameters().growth == .leafWise)
    let old = try JSONDecoder().decode(GradientBoostingHyperparameters.self, from: Data(#"{"rounds": 5}"#.utf8))
    #expect(old.growth == .leafWise)
    let (settings, _) = try GradientBoostingHyperparameters.translatingLightGBMSettings(["grow_policy": "depthwise"])
    #expect(settings == ["growth": "depthWise"])
    let (lossguide, _) = try GradientBoostingHyperparameters.translatingLightGBMSettings(["grow_policy": "lossguide"])
    #expect(lossguide == ["growth": "leafWise"])
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingHyperparameters.translatingLightGBMSettings(["grow_policy": "levelwise"])
    }
  }
}
