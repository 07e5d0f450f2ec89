import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("TreeSHAP contributions")
struct ContributionTests {
  static func hyperparameters(rounds: Int, leaves: Int, bagging: Bool) -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = rounds
    h.maxLeaves = leaves
    h.minDataInLeaf = 5
    h.l2 = 1
    h.learningRate = 0.3
    h.rowSubsample = bagging ? 0.7 : 1
    h.seed = 5
    h.threads = 2
    return h
  }

  /// The path-dependent conditional expectation E[f(x) | x_S] of one tree (Lundberg et
  /// al. 2018, Algorithm 1): a feature in `present` follows the row, any other split
  /// averages its children by cover. Written independently of the library's TreeSHAP.
  static func conditionalExpectation(_ tree: PredictionTree, row: [Double], present: Int, node: Int = 0) -> Double {
    let split = tree.nodes[node]
    if split.isLeaf { return split.threshold }
    let left = Int(split.left)
    let right = Int(split.right)
    if present & (1 << Int(split.feature)) != 0 {
      let x = row[Int(split.feature)]
      let goLeft = x.isNaN ? split.defaultLeft : x <= split.threshold
      return conditionalExpectation(tree, row: row, present: present, node: goLeft ? left : right)
    }
    let l = conditionalExpectation(tree, row: row, present: present, node: left)
    let r = conditionalExpectation(tree, row: row, present: present, node: right)
    return (l * tree.covers[left] + r * tree.covers[right]) / tree.covers[node]
  }

  /// Shapley values by enumerating every subset of the `p` features:
  /// φᵢ = Σ_{S ⊆ F∖{i}} |S|! (p − |S| − 1)! / p! · (v(S ∪ {i}) − v(S)).
  static func bruteForceShapley(_ model: GradientBoostingModel, row: [Double]) -> [Double] {
    let p = model.featureCount
    func value(_ subset: Int) -> Double {
      model.trees.reduce(model.initialScore) { $0 + conditionalExpectation($1, row: row, present: subset) }
    }
    let values = (0..<(1 << p)).map(value)
    func factorial(_ k: Int) -> Double { k <= 1 ? 1 : (2...k).reduce(1.0) { $0 * Double($1) } }
    var phi = [Double](repeating: 0, count: p + 1)
    for i in 0..<p {
      for subset in 0..<(1 << p) where subset & (1 << i) == 0 {
        let size = subset.nonzeroBitCount
        let weight = factorial(size) * factorial(p - size - 1) / factorial(p)
        phi[i] += weight * (values[subset | (1 << i)] - values[subset])
      }
    }
    phi[p] = values[0]
    return phi
  }

  @Test(
    "TreeSHAP equals brute-force Shapley values over all feature subsets",
    arguments: [(UInt64(1), false), (2, true), (3, false)])
  func matchesBruteForce(seed: UInt64, classification: Bool) throws {
    // Leaf-wise trees of 12 leaves on 4 features split the same feature repeatedly along a
    // path (the unwind case) and send NaNs of feature 1 by learned directions.
    let data = try syntheticData(rows: 600, seed: seed, classification: classification)
    let h = Self.hyperparameters(rounds: 6, leaves: 12, bagging: seed == 2)
    let model =
      classification
      ? try GradientBoostingClassifier(h).fit(data) : try GradientBoostingRegressor(h).fit(data)
    let rows = stride(from: 0, to: 600, by: 37).map { i in (0..<4).map { data.features[i, $0] } }
    // Include rows with a missing value and with every feature missing.
    let probe = rows + [[0.2, .nan, 0.5, -1], [.nan, .nan, .nan, .nan]]
    let phi = try model.contributions(try Matrix(probe))
    for (r, row) in probe.enumerated() {
      let reference = Self.bruteForceShapley(model, row: row)
      for j in 0...4 {
        // Both sides sum at most 2⁴ · 6 tree terms of size ≲ 3; 1e-12 absolute is ~10⁴
        // ulps of headroom for their different summation orders, far below any real
        // difference (a wrong weight or a missed unwind changes values at 1e-3 or more).
        #expect(abs(phi[r, j] - reference[j]) <= 1e-12, "row \(r) column \(j): \(phi[r, j]) vs \(reference[j])")
      }
    }
  }

  @Test("a stump's contribution is its leaf value minus the cover-weighted mean")
  func stump() throws {
    // One split on feature 0 at 2.5: rows 1,2 (left, mean target 1.5) and rows 3,4,5 (right,
    // mean 4); feature 1 is never used, so its contribution is exactly 0.
    let data = try dataset([[1, 9], [2, 8], [3, 7], [4, 6], [5, 5]], [1, 2, 3, 4, 5])
    let model = try GradientBoostingRegressor(tinyHyperparameters(leaves: 2)).fit(data)
    try #require(model.trees.count == 1 && model.trees[0].nodes.count == 3)
    #expect(model.trees[0].covers == [5, 2, 3])
    let phi = try model.contributions(try Matrix([[1, 0], [5, 0], [.nan, 0]]))
    // initialScore is the target mean 3; the leaves hold 1.5 − 3 and 4 − 3, mean 0 by cover.
    let expected = model.initialScore + (2 * -1.5 + 3 * 1.0) / 5
    for r in 0..<3 {
      #expect(phi[r, 1] == 0)
      #expect(abs(phi[r, 2] - expected) <= 1e-15 * 3)
    }
    #expect(abs(phi[0, 0] - (-1.5)) <= 1e-15 * 3)
    #expect(abs(phi[1, 0] - 1.0) <= 1e-15 * 3)
    let nanLeaf = model.trees[0].nodes[0].defaultLeft ? -1.5 : 1.0
    #expect(abs(phi[2, 0] - nanLeaf) <= 1e-15 * 3)
  }

  @Test("rows sum to the raw prediction", arguments: [false, true])
  func additivity(classification: Bool) throws {
    let data = try syntheticData(rows: 3000, seed: 8, classification: classification)
    let h = Self.hyperparameters(rounds: 40, leaves: 31, bagging: true)
    let model =
      classification
      ? try GradientBoostingClassifier(h).fit(data) : try GradientBoostingRegressor(h).fit(data)
    let raw = try model.predictRaw(data.features)
    let phi = try model.contributions(data.features)
    #expect(phi.rows == 3000 && phi.columns == 5)
    for i in 0..<3000 {
      let sum = (0...4).reduce(0.0) { $0 + phi[i, $1] }
      // Each tree's contributions are O(leaves · depth²) products and sums of covers and
      // leaf values, each rounded at ~1e-16 relative; over 40 trees of depth ≤ 30 that is
      // below 1e-12 of the largest term. 1e-10 of max(|raw|, 1) leaves room yet fails on
      // any lost path weight, which moves the sum by a leaf value (≥ 1e-3 here).
      #expect(abs(sum - raw[i]) <= 1e-10 * max(abs(raw[i]), 1), "row \(i): \(sum) vs \(raw[i])")
    }
    let truncated = try model.contributions(data.features, upToIteration: 5)
    let raw5 = try model.predictRaw(data.features, upToIteration: 5)
    for i in stride(from: 0, to: 3000, by: 101) {
      let sum = (0...4).reduce(0.0) { $0 + truncated[i, $1] }
      #expect(abs(sum - raw5[i]) <= 1e-10 * max(abs(raw5[i]), 1))
    }
  }

  @Test("without bagging, the expected value is the mean raw score on the training rows")
  func expectedValueIsTrainingMean() throws {
    // Covers count the training rows reaching each node, so a tree's cover-weighted leaf
    // mean is its mean output over the training set: an independent check of the covers.
    let data = try syntheticData(rows: 1000, seed: 9, classification: false)
    let model = try GradientBoostingRegressor(Self.hyperparameters(rounds: 10, leaves: 15, bagging: false)).fit(data)
    let raw = try model.predictRaw(data.features)
    let mean = raw.reduce(0, +) / 1000
    // Two summation orders over 1000 rows and 10 trees: 1e-12 relative is ample.
    let expected = try #require(model.expectedRawScores().first)
    #expect(abs(expected - mean) <= 1e-12 * max(abs(mean), 1))
    for tree in model.trees {
      #expect(tree.covers[0] == 1000)
      for (index, node) in tree.nodes.enumerated() where !node.isLeaf {
        #expect(tree.covers[Int(node.left)] + tree.covers[Int(node.right)] == tree.covers[index])
      }
    }
  }

  @Test("bad inputs throw; covers survive a model file round trip; old trees decode without covers")
  func errorsAndFiles() throws {
    let data = try syntheticData(rows: 300, seed: 4, classification: false)
    let model = try GradientBoostingRegressor(Self.hyperparameters(rounds: 3, leaves: 7, bagging: false)).fit(data)
    #expect(throws: GradientBoostingError.self) { try model.contributions(Matrix(rows: 2, columns: 3)) }

    let decoded = try JSONDecoder().decode(GradientBoostingModel.self, from: JSONEncoder().encode(model))
    #expect(decoded.trees.map(\.covers) == model.trees.map(\.covers))

    // A model file from before covers were stored: contributions must say to refit.
    var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
    var trees = try #require(object["trees"] as? [[String: Any]])
    for t in trees.indices { trees[t]["covers"] = nil }
    object["trees"] = trees
    let stripped = try JSONDecoder().decode(
      GradientBoostingModel.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(try stripped.predictRaw(data.features) == model.predictRaw(data.features))
    #expect(throws: GradientBoostingError.self) { try stripped.contributions(data.features) }

    let old = Data(#"{"nodes":[{"threshold":1.5,"feature":-1,"left":-1,"right":-1,"defaultLeft":false}]}"#.utf8)
    let tree = try JSONDecoder().decode(PredictionTree.self, from: old)
    #expect(tree.covers.isEmpty && tree.nodes.count == 1)
  }
}
