import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

/// Exact splits and leaf values on data small enough to check by hand. With squared
/// error the initial score is the mean, gradients are `s − y`, hessians 1, so a leaf's
/// value is `−ΣG / (n + λ₂) · learningRate` and a split's gain is
/// `G_L²/(H_L+λ₂) + G_R²/(H_R+λ₂) − G²/(H+λ₂)`.
@Suite("Tree growing")
struct TreeGrowerTests {
  @Test("one split separates the two target levels at the midpoint")
  func oneSplit() throws {
    let data = try dataset([[1], [2], [3], [4]], [0, 0, 10, 10])
    let model = try GradientBoostingRegressor(tinyHyperparameters()).fit(data)
    #expect(model.initialScore == 5)
    let tree = try #require(model.trees.first)
    #expect(tree.nodes.count == 3)
    #expect(tree.nodes[0].feature == 0)
    #expect(tree.nodes[0].threshold == 2.5)
    // G_left = (5 − 0)·2 = 10 over 2 rows: value −10/2 = −5; the right leaf mirrors it.
    #expect(tree.nodes[Int(tree.nodes[0].left)].threshold == -5)
    #expect(tree.nodes[Int(tree.nodes[0].right)].threshold == 5)
    #expect(try model.predict(try Matrix([[0], [2.5], [2.6], [9]])) == [0, 0, 10, 10])
    // Gain 10²/2 + 10²/2 − 0 = 100.
    #expect(model.gainImportance == [100])
    #expect(model.splitImportance == [1])
  }

  @Test("L2 and the learning rate give −G/(H+λ)·lr", arguments: [0.0, 1.0, 3.5], [1.0, 0.3])
  func regularisedLeafValues(l2: Double, learningRate: Double) throws {
    let data = try dataset([[1], [2], [3], [4]], [0, 0, 10, 10])
    let model = try GradientBoostingRegressor(tinyHyperparameters(learningRate: learningRate, l2: l2)).fit(data)
    let tree = try #require(model.trees.first)
    let expected = -10 / (2 + l2) * learningRate
    // Leaf values are one division and one multiplication: exact to a few ulps.
    #expect(abs(tree.nodes[Int(tree.nodes[0].left)].threshold - expected) <= 1e-14 * abs(expected))
    #expect(abs(model.gainImportance[0] - (100 / (2 + l2) * 2)) <= 1e-12 * 100)
  }

  @Test(
    "the split uses the informative feature; leaf-wise growth splits the best leaf next; ties go to the lower feature")
  func bestFirst() throws {
    // Mean 14/3, gradients s − y. On feature 1, {0, 0, 4, 4 | 10, 10} gains
    // (32/3)²/4 + (32/3)²/2 ≈ 85.3, more than {0, 0 | 4, 4, 10, 10} (≈ 65.3); feature 0 is
    // not monotone in y. The right leaf is pure; the left one splits {0, 0 | 4, 4} with
    // gain 16 on feature 0 (≤ 2.5) and feature 1 (≤ 1.5) alike, and the tie goes to feature 0.
    let rows: [[Double]] = [[5, 1], [6, 1], [1, 2], [2, 2], [3, 3], [4, 3]]
    let target: [Double] = [0, 0, 4, 4, 10, 10]
    let model = try GradientBoostingRegressor(tinyHyperparameters(leaves: 3)).fit(try dataset(rows, target))
    let tree = try #require(model.trees.first)
    expectSplits(tree, root: (1, 2.5), left: (0, 2.5))
    #expect(tree.nodes[Int(tree.nodes[0].right)].isLeaf)
    #expect(tree.leafCount == 3)
    // Gradients are Float: leaf values carry a relative error of ~1e-7 of the mean.
    for (predicted, expected) in zip(try model.predict(try Matrix(rows)), target) {
      #expect(abs(predicted - expected) < 1e-5)
    }
  }

  @Test("minDataInLeaf and maxDepth limit the tree")
  func limits() throws {
    let data = try dataset([[1], [2], [3], [4], [5], [6]], [0, 1, 2, 3, 4, 50])
    var h = tinyHyperparameters(leaves: 8)
    h.minDataInLeaf = 3
    let tree = try #require(try GradientBoostingRegressor(h).fit(data).trees.first)
    // With 3 rows per leaf, the only admissible split is 3 | 3.
    #expect(tree.leafCount == 2)
    #expect(tree.nodes[0].threshold == 3.5)
    h.minDataInLeaf = 1
    let deep = try #require(try GradientBoostingRegressor(h).fit(data).trees.first)
    #expect(deep.leafCount == 6)
    // Depth 2: the root isolates the outlier 50 (a one-row leaf that cannot split
    // further), and only the left child splits once more.
    h.maxDepth = 2
    let shallow = try #require(try GradientBoostingRegressor(h).fit(data).trees.first)
    #expect(shallow.leafCount == 3)
  }

  @Test("missing values go to the side that lowers the loss", arguments: [true, false])
  func missingDirection(missingLikeLow: Bool) throws {
    // NaN rows have the low target in one case, the high one in the other.
    let rows: [[Double]] = [[1], [2], [.nan], [.nan], [8], [9]]
    let target: [Double] = missingLikeLow ? [0, 0, 0, 0, 10, 10] : [0, 0, 10, 10, 10, 10]
    let model = try GradientBoostingRegressor(tinyHyperparameters()).fit(try dataset(rows, target))
    let predicted = try model.predict(try Matrix([[.nan]]))
    // Float gradients: leaf values are exact to ~1e-7 relative to the mean target.
    #expect(abs(predicted[0] - (missingLikeLow ? 0 : 10)) < 1e-5)
    for (p, y) in zip(try model.predict(try Matrix(rows)), target) { #expect(abs(p - y) < 1e-5) }
  }

  @Test("rows wider than 32 codes: exact splits and leaves, the same for 1 and 2 threads", arguments: [1, 2])
  func wideRows(threads: Int) throws {
    // 40 features: the row-major codes are 40 bytes a row, past the partition's unrolled
    // widths and split between two histogram blocks. Feature 37 is the row number, the
    // others repeat with periods of 20–59 rows, so only 37 separates the target levels. Mean 12,
    // gradients 12 − y: splitting at 150 gains 900²/150 + 900²/50 = 21,600, more than at 60
    // (720²/60 + 720²/140 ≈ 12,343); the left leaf then splits at 60 into pure leaves.
    let n = 200
    func feature(_ k: Int, _ i: Int) -> Double {
      let period = k + 20
      return k == 37 ? Double(i) : Double((i * (k + 3)) % period)
    }
    let rows: [[Double]] = (0..<n).map { i in (0..<40).map { k in feature(k, i) } }
    let target: [Double] = (0..<n).map { i in i < 60 ? 0 : (i < 150 ? 10 : 30) }
    var h = tinyHyperparameters(leaves: 3)
    h.threads = threads
    let model = try GradientBoostingRegressor(h).fit(try dataset(rows, target))
    expectSplits(try #require(model.trees.first), root: (37, 149.5), left: (37, 59.5))
    // Gradients are Float: the leaves carry a relative error of ~1e-7 of the mean.
    for (predicted, expected) in zip(try model.predict(try Matrix(rows)), target) {
      #expect(abs(predicted - expected) < 1e-5)
    }
  }

  @Test("a constant feature next to an informative one never splits")
  func constantFeature() throws {
    let data = try dataset([[1, 0], [1, 1], [1, 2], [1, 3]], [0, 0, 10, 10])
    let model = try GradientBoostingRegressor(tinyHyperparameters()).fit(data)
    #expect(model.trees.first?.nodes[0].feature == 1)
    #expect(model.splitImportance == [0, 1])
  }

  @Test(
    "data whose every feature is constant is refused by name",
    arguments: [[[1.0, 5], [1, 5], [1, 5]], [[.nan, 2], [.nan, 2], [.nan, 2]]])
  func everyFeatureConstant(rows: [[Double]]) throws {
    let data = try dataset(rows, [0, 1, 2])
    #expect {
      try GradientBoostingRegressor(tinyHyperparameters()).fit(data)
    } throws: { error in
      "\(error)".contains("every feature is constant") && "\(error)".contains("x0")
    }
    // A value and missing values split (missing against present), so they are not constant.
    let mixed = try dataset([[1, 5], [.nan, 5], [1, 5]], [0, 1, 0])
    #expect(try GradientBoostingRegressor(tinyHyperparameters()).fit(mixed).trees.first?.leafCount == 2)
  }

  /// Checks the root's split and its left child's, as (feature, threshold) pairs.
  private func expectSplits(
    _ tree: PredictionTree, root: (Int, Double), left: (Int, Double), sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(Int(tree.nodes[0].feature) == root.0, sourceLocation: sourceLocation)
    #expect(tree.nodes[0].threshold == root.1, sourceLocation: sourceLocation)
    let child = tree.nodes[Int(tree.nodes[0].left)]
    #expect(Int(child.feature) == left.0, sourceLocation: sourceLocation)
    #expect(child.threshold == left.1, sourceLocation: sourceLocation)
  }
}
