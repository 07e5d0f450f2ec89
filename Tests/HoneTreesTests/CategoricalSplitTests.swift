import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Native categorical splits")
struct CategoricalSplitTests {
  /// Category `c` of the hand-checkable case has target `means[c]` on each of its 10 rows.
  static let means: [Double] = [10, 0, 11, 1, 0.5, 1.5, 0.2]

  /// One categorical feature (codes 0…6, interleaved), targets constant per category.
  static func handCheckable() throws -> Dataset {
    let codes = (0..<70).map { Double($0 % 7) }
    return try Dataset(
      features: try Matrix(rows: 70, columns: 1, columnMajor: codes), target: codes.map { means[Int($0)] },
      featureNames: ["colour"], categories: [0: ["a", "b", "c", "d", "e", "f", "g"]])
  }

  /// No penalties, smoothing or group minimum, so the split is the plain squared-error optimum.
  static func plainHyperparameters() -> GradientBoostingHyperparameters {
    var h = tinyHyperparameters()
    h.categoricalSmoothing = 0
    h.categoricalL2 = 0
    h.minDataPerGroup = 1
    h.maxCategoriesForOneHot = 1
    return h
  }

  @Test("the best partition of a hand-checkable case: exact categories and leaf values")
  func handCheckablePartition() throws {
    // Closed form (Fisher 1958): for squared error the best two-way partition is a cut of
    // the categories sorted by mean, 0.2 0 0.5 1 1.5 | 10 11, which the 7-category scan
    // reaches from the high end with a left set of two ({0, 2}; from the low end it would
    // need five, beyond the cap of (7 + 1) / 2 = 4). With learning rate 1 and the mean as
    // the starting score, the leaves predict each side's mean: 10.5 and 3.2 / 5 = 0.64.
    let model = try GradientBoostingRegressor(Self.plainHyperparameters()).fit(try Self.handCheckable())
    let tree = try #require(model.trees.first)
    #expect(tree.nodes.count == 3)
    let root = tree.nodes[0]
    #expect(root.isCategorical)
    #expect(root.feature == 0)
    let set = try #require(tree.categorySets.first)
    #expect(set == [UInt64(1) << 0 | UInt64(1) << 2])
    let mean = Self.means.reduce(0, +) / 7
    #expect(abs(model.initialScore - mean) < 1e-12)
    // Gradients are Float (relative rounding 6e-8 of values up to 11), summed in Double.
    let tolerance = 1e-5
    #expect(abs(tree.nodes[Int(root.left)].threshold - (10.5 - mean)) < tolerance)
    #expect(abs(tree.nodes[Int(root.right)].threshold - (0.64 - mean)) < tolerance)
    let predictions = try model.predict(try Matrix(rows: 7, columns: 1, columnMajor: (0..<7).map(Double.init)))
    for (code, prediction) in predictions.enumerated() {
      #expect(abs(prediction - ([0, 2].contains(code) ? 10.5 : 0.64)) < tolerance, "category \(code)")
    }
  }

  @Test("few categories split one against the rest: the category furthest from the mean")
  func oneVersusRest() throws {
    // Three categories with means 0, 1, 5 (10 rows each): the one-vs-rest gains are
    // n_c·n_r/n·(mean_c − mean_r)²: 200/30·3² = 60 for category 0, 200/30·1.5² = 15 for
    // category 1 and 200/30·4.5² = 135 for category 2, so the left set is {2}, and the
    // leaves are 5 − 2 and 0.5 − 2 from the starting mean 2.
    let codes = (0..<30).map { Double($0 % 3) }
    let data = try Dataset(
      features: try Matrix(rows: 30, columns: 1, columnMajor: codes), target: codes.map { [0, 1, 5][Int($0)] },
      categories: [0: ["x", "y", "z"]])
    var h = Self.plainHyperparameters()
    h.maxCategoriesForOneHot = 4
    let model = try GradientBoostingRegressor(h).fit(data)
    let tree = try #require(model.trees.first)
    #expect(tree.nodes[0].isCategorical)
    #expect(tree.categorySets == [[UInt64(1) << 2]])
    #expect(abs(tree.nodes[Int(tree.nodes[0].left)].threshold - (5 - 2)) < 1e-5)
    #expect(abs(tree.nodes[Int(tree.nodes[0].right)].threshold - (0.5 - 2)) < 1e-5)
  }

  @Test(
    "splits and predictions match LightGBM 4.7.0's on synthetic categories",
    arguments: ["regression", "binary_capped"])
  func matchesLightGBM(caseName: String) throws {
    // Fixture: Fixtures/make_categorical_split_fixtures.py. 20 categories of 2…100 rows,
    // no missing values; LightGBM's own category set and raw predictions for codes 0…21
    // (20 and 21 never seen), for a stump and for five 4-leaf trees.
    let fixture = try fixtureJSON("gbdt_categorical_splits")
    let codes = try #require(fixture["codes"] as? [Double])
    let cases = try #require(fixture["cases"] as? [[String: Any]])
    let entry = try #require(cases.first { $0["name"] as? String == caseName })
    let params = try #require(entry["params"] as? [String: Double])
    let target = try #require(entry["target"] as? [Double])
    let binary = entry["objective"] as? String == "binary"
    let data = try Dataset(
      features: try Matrix(rows: codes.count, columns: 1, columnMajor: codes), target: target,
      categories: [0: (0..<20).map { "c\($0)" }])
    var h = GradientBoostingHyperparameters()
    h.minDataInLeaf = 5
    h.minSumHessianInLeaf = 1e-3
    h.l2 = try #require(params["lambda_l2"])
    h.categoricalSmoothing = try #require(params["cat_smooth"])
    h.categoricalL2 = try #require(params["cat_l2"])
    h.minDataPerGroup = Int(try #require(params["min_data_per_group"]))
    h.maxCategoricalThreshold = Int(try #require(params["max_cat_threshold"]))
    h.threads = 1
    func fit(leaves: Int, rounds: Int, learningRate: Double) throws -> GradientBoostingModel {
      var settings = h
      settings.maxLeaves = leaves
      settings.rounds = rounds
      settings.learningRate = learningRate
      return binary
        ? try GradientBoostingClassifier(settings).fit(data) : try GradientBoostingRegressor(settings).fit(data)
    }
    let grid = try Matrix(rows: 22, columns: 1, columnMajor: (0..<22).map(Double.init))

    let stump = try fit(leaves: 2, rounds: 1, learningRate: 1)
    let tree = try #require(stump.trees.first)
    try #require(tree.nodes.count == 3 && tree.nodes[0].isCategorical)
    let set = try #require(tree.categorySets.first)
    let left = (0..<(64 * set.count)).filter { set[$0 / 64] >> UInt64($0 % 64) & 1 == 1 }
    #expect(left == (try #require(entry["stump_left_categories"] as? [Int])))
    // Both libraries sum Float gradients in Double; leaf values agree to ~1e-7 relative,
    // and 1e-5 absolute leaves room for the different summation orders.
    let stumpReference = try #require(entry["stump_raw_predictions"] as? [Double])
    for (code, (mine, theirs)) in zip(try stump.predictRaw(grid), stumpReference).enumerated() {
      #expect(abs(mine - theirs) < 1e-5, "stump, code \(code): \(mine) vs LightGBM \(theirs)")
    }
    // Five rounds compound those differences slightly; a different split anywhere would
    // move some category's prediction by 0.01 or more.
    let trees = try fit(leaves: 4, rounds: 5, learningRate: 0.3)
    let treesReference = try #require(entry["trees_raw_predictions"] as? [Double])
    for (code, (mine, theirs)) in zip(try trees.predictRaw(grid), treesReference).enumerated() {
      #expect(abs(mine - theirs) < 1e-4, "trees, code \(code): \(mine) vs LightGBM \(theirs)")
    }
  }

  @Test("unseen, rare, missing and non-integer categories go right, as documented")
  func unseenCategoriesGoRight() throws {
    // Category 7 appears twice in training: below BinMapper.minimumCategoryCount (3), so
    // it shares the missing bin and follows the right side too.
    var codes = (0..<70).map { Double($0 % 7) }
    var target = codes.map { Self.means[Int($0)] }
    codes += [7, 7]
    target += [0.64, 0.64]
    let data = try Dataset(
      features: try Matrix(rows: 72, columns: 1, columnMajor: codes), target: target,
      categories: [0: ["a", "b", "c", "d", "e", "f", "g", "h"]])
    let model = try GradientBoostingRegressor(Self.plainHyperparameters()).fit(data)
    let tree = try #require(model.trees.first)
    let right = tree.nodes[Int(tree.nodes[0].right)].threshold + model.initialScore
    let odd: [Double] = [7, 42, .nan, -1, 2.5, 1e12]
    let predictions = try model.predict(try Matrix(rows: odd.count, columns: 1, columnMajor: odd))
    for (value, prediction) in zip(odd, predictions) {
      #expect(prediction == right, "value \(value) should go right")
    }
    // The rare category's training rows went right as well: the right leaf is the mean
    // of the five low categories and the two rare rows, all 0.64 on average.
    #expect(abs(right - 0.64) < 1e-5)
  }

  @Test("non-integer or huge category codes and unknown feature names throw clear errors")
  func nonIntegerCodes() throws {
    let data = try Dataset(
      features: try Matrix([[0], [1], [1.5]]), target: [0, 1, 2], categories: [0: ["a", "b"]])
    #expect(throws: GradientBoostingError.self) { try GradientBoostingRegressor(tinyHyperparameters()).fit(data) }
    let huge = try Dataset(
      features: try Matrix([[0], [1], [1e9]]), target: [0, 1, 2], categories: [0: ["a", "b"]])
    #expect(throws: GradientBoostingError.self) { try GradientBoostingRegressor(tinyHyperparameters()).fit(huge) }
    var h = tinyHyperparameters()
    h.categoricalFeatures = ["nope"]
    let plain = try dataset([[0], [1], [2]], [0, 1, 2])
    #expect(throws: GradientBoostingError.self) { try GradientBoostingRegressor(h).fit(plain) }
  }

  @Test("categoricalFeatures names integer columns to split on natively")
  func namedCategoricalFeatures() throws {
    let plain = try Dataset(
      features: try Matrix(rows: 70, columns: 1, columnMajor: (0..<70).map { Double($0 % 7) }),
      target: (0..<70).map { Self.means[$0 % 7] }, featureNames: ["colour"])
    var h = Self.plainHyperparameters()
    h.categoricalFeatures = ["colour"]
    let named = try GradientBoostingRegressor(h).fit(plain)
    let fromTable = try GradientBoostingRegressor(Self.plainHyperparameters()).fit(try Self.handCheckable())
    #expect(named.trees == fromTable.trees)
  }

  /// Mixed data: a numeric feature, a 12-category feature with its own effect, NaNs.
  static func mixedData(rows: Int, seed: UInt64) throws -> Dataset {
    var random = Xoshiro256StarStar(seed: seed)
    let effect: [Double] = [0.3, -1, 2, 0.1, -0.4, 1.2, 0, -2, 0.8, 0.5, -0.7, 1.5]
    var x = [Double](repeating: 0, count: rows * 3)
    var y = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
      let a = random.nextGaussian()
      let category = random.nextInt(below: 12)
      x[i] = a
      x[rows + i] = random.nextUnitDouble() < 0.05 ? .nan : Double(category)
      x[2 * rows + i] = random.nextGaussian()
      y[i] = a + effect[category] + 0.3 * random.nextGaussian() > 0.5 ? 1 : 0
    }
    return try Dataset(
      features: try Matrix(rows: rows, columns: 3, columnMajor: x), target: y,
      categories: [1: (0..<12).map { "c\($0)" }])
  }

  static func mixedHyperparameters(threads: Int) -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = 15
    h.maxLeaves = 15
    h.minDataPerGroup = 20
    h.rowSubsample = 0.8
    h.seed = 3
    h.threads = threads
    return h
  }

  @Test("categorical models are bit-identical for 1 and 2 threads", arguments: [UInt64(1), 2])
  func determinism(seed: UInt64) throws {
    let data = try Self.mixedData(rows: 3000, seed: seed)
    let one = try GradientBoostingClassifier(Self.mixedHyperparameters(threads: 1)).fit(data)
    let two = try GradientBoostingClassifier(Self.mixedHyperparameters(threads: 2)).fit(data)
    #expect(one.trees == two.trees)
    #expect(one.trees.contains { tree in tree.nodes.contains(where: \.isCategorical) })
  }

  @Test("TreeSHAP contributions follow categorical splits: rows sum to the raw score")
  func contributionsAddUp() throws {
    let data = try Self.mixedData(rows: 2000, seed: 4)
    let model = try GradientBoostingClassifier(Self.mixedHyperparameters(threads: 2)).fit(data)
    let numeric: [Double] = [0.1, -1, 0.5, 0, 0.5, 0.5]
    let category: [Double] = [0, 3, .nan, 11, 99, 2.5]
    let x = try Matrix(rows: 6, columns: 3, columnMajor: numeric + category + [Double](repeating: 0, count: 6))
    let phi = try model.contributions(x)
    let raw = try model.predictRaw(x)
    for i in 0..<6 {
      let sum = (0..<4).reduce(0.0) { $0 + phi[i, $1] }
      // Additivity is exact in exact arithmetic; 1e-9 allows the rounding of ~30 terms.
      #expect(abs(sum - raw[i]) < 1e-9, "row \(i)")
    }
    // Rows 2, 4 and 5 differ only in the category — missing, unseen (99), non-integer
    // (2.5) — and all three go right at every categorical split, so their contributions
    // are identical.
    for j in 0..<4 {
      #expect(phi[2, j] == phi[4, j])
      #expect(phi[2, j] == phi[5, j])
    }
  }

  @Test("training scores (binned routing) and predictions (raw codes) agree, rare categories included")
  func binnedAndRawRoutingAgree() throws {
    // Codes 12 and 13 appear once or twice: below the minimum count, they are binned
    // with missing values, and at prediction time they are absent from every set — both
    // routes must send them right. Bagging makes the booster walk out-of-bag rows through
    // the binned tree too.
    let base = try Self.mixedData(rows: 3000, seed: 6)
    var x = base.features
    x[0, 1] = 12
    x[1, 1] = 13
    x[2, 1] = 13
    let data = try Dataset(
      features: x, target: base.target, categories: [1: (0..<14).map { "c\($0)" }])
    var h = Self.mixedHyperparameters(threads: 2)
    h.recordTrainingLoss = true
    let model = try GradientBoostingClassifier(h).fit(data)
    let raw = try model.predictRaw(data.features)
    let loss = zip(data.target, raw).reduce(0) { $0 + model.loss.value(target: $1.0, score: $1.1) } / 3000
    let recorded = try #require(model.history.last?.trainingLoss)
    // The same sums in the same order: equal up to the last bits of the mean.
    #expect(abs(loss - recorded) <= 1e-12 * max(1, loss))
  }

  @Test("a class label unseen in training throws at validation time, naming the label")
  func unseenValidationClass() throws {
    let codes = (0..<60).map { Double($0 % 6) }
    let train = try Dataset(
      features: try Matrix(rows: 60, columns: 1, columnMajor: codes), target: codes.map { Double(Int($0) % 3) },
      categories: [0: (0..<6).map { "c\($0)" }])
    let valid = try Dataset(
      features: try Matrix(rows: 2, columns: 1, columnMajor: [0, 1]), target: [0, 7],
      categories: [0: (0..<6).map { "c\($0)" }])
    let error = #expect(throws: GradientBoostingError.self) {
      try GradientBoostingClassifier(tinyHyperparameters(leaves: 4, rounds: 2)).fit(train, validation: valid)
    }
    #expect(error?.message.contains("class 7.0") == true)
    #expect(error?.message.contains("[0, 1, 2]") == true)
  }

  @Test("constant numeric and single-category features are never split on")
  func constantFeatures() throws {
    // A constant numeric column, the informative codes, and a categorical column with
    // one category: only the middle feature can separate rows.
    let codes = (0..<60).map { Double($0 % 6) }
    let data = try Dataset(
      features: try Matrix(
        rows: 60, columns: 3, columnMajor: [Double](repeating: 4, count: 60) + codes + codes.map { _ in 1 }),
      target: codes.map { $0 * $0 }, categories: [2: ["only"]])
    let model = try GradientBoostingRegressor(tinyHyperparameters(leaves: 8, rounds: 3)).fit(data)
    #expect(model.splitImportance[0] == 0)
    #expect(model.splitImportance[2] == 0)
    #expect(model.splitImportance[1] > 0)
  }

  /// E[f(x) | x_S] of one tree with categorical nodes, written here from the node
  /// layout (a categorical node's threshold indexes `categorySets`): a present feature
  /// follows the row, an absent one averages the children by cover.
  static func conditionalExpectation(_ tree: PredictionTree, row: [Double], present: Int, node: Int = 0) -> Double {
    let split = tree.nodes[node]
    if split.isLeaf { return split.threshold }
    let (left, right) = (Int(split.left), Int(split.right))
    if present & (1 << Int(split.feature)) != 0 {
      let x = row[Int(split.feature)]
      let goLeft: Bool
      if split.isCategorical {
        let set = tree.categorySets[Int(split.threshold)]
        let code = x.isNaN || x < 0 || x.rounded() != x ? -1 : Int(x)
        goLeft = code >= 0 && code / 64 < set.count && (set[code / 64] >> UInt64(code % 64)) & 1 == 1
      } else {
        goLeft = x.isNaN ? split.defaultLeft : x <= split.threshold
      }
      return conditionalExpectation(tree, row: row, present: present, node: goLeft ? left : right)
    }
    let l = conditionalExpectation(tree, row: row, present: present, node: left)
    let r = conditionalExpectation(tree, row: row, present: present, node: right)
    return (l * tree.covers[left] + r * tree.covers[right]) / tree.covers[node]
  }

  @Test("TreeSHAP on categorical trees equals brute-force Shapley values")
  func contributionsMatchBruteForce() throws {
    let data = try Self.mixedData(rows: 1500, seed: 7)
    var h = Self.mixedHyperparameters(threads: 1)
    h.rounds = 4
    h.maxLeaves = 8
    let model = try GradientBoostingClassifier(h).fit(data)
    #expect(model.trees.contains { $0.nodes.contains(where: \.isCategorical) })
    let probe: [[Double]] = [[0.3, 2, -1], [-0.5, 7, 0.2], [1.2, .nan, 0], [0, 99, 1], [2, 11, -2]]
    let phi = try model.contributions(try Matrix(probe))
    for (r, row) in probe.enumerated() {
      func value(_ subset: Int) -> Double {
        model.trees.reduce(model.initialScore) { $0 + Self.conditionalExpectation($1, row: row, present: subset) }
      }
      // φᵢ = Σ_{S ⊆ F∖{i}} |S|!(p − |S| − 1)!/p! · (v(S ∪ {i}) − v(S)), p = 3: weights 1/3, 1/6, 1/3.
      let weights: [Double] = [1.0 / 3, 1.0 / 6, 1.0 / 3]
      for i in 0..<3 {
        var reference = 0.0
        for subset in 0..<8 where subset & (1 << i) == 0 {
          reference += weights[subset.nonzeroBitCount] * (value(subset | (1 << i)) - value(subset))
        }
        // A few dozen terms of size ≲ 1 summed in different orders: 1e-12 is ample.
        #expect(abs(phi[r, i] - reference) <= 1e-12, "row \(r) feature \(i)")
      }
    }
  }

  @Test("model files round-trip category sets; files without them still load")
  func modelFileRoundTrip() throws {
    let data = try Self.mixedData(rows: 2000, seed: 5)
    let model = try GradientBoostingClassifier(Self.mixedHyperparameters(threads: 2)).fit(data)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gbdtcat-\(UUID().uuidString).hone").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    let restored = try ModelFile.load(GradientBoostingModel.self, from: path)
    #expect(restored == model)
    #expect(try restored.predictProbabilities(data.features) == model.predictProbabilities(data.features))

    // A file from before categorical splits: no category keys, no new hyperparameters.
    let numeric = try GradientBoostingClassifier(tinyHyperparameters(leaves: 4, rounds: 3)).fit(
      try syntheticData(rows: 200, seed: 2, classification: true))
    var object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(numeric)) as? [String: Any])
    var hyperparameters = try #require(object["hyperparameters"] as? [String: Any])
    for key in [
      "categoricalFeatures", "maxCategoricalThreshold", "categoricalSmoothing", "categoricalL2", "minDataPerGroup",
      "maxCategoriesForOneHot", "maxCategoriesPerFeature", "monotoneConstraints",
    ] {
      #expect(hyperparameters.removeValue(forKey: key) != nil, "\(key) was encoded")
    }
    object["hyperparameters"] = hyperparameters
    let old = try JSONSerialization.data(withJSONObject: object)
    #expect(!String(decoding: old, as: UTF8.self).contains("isCategorical"))
    #expect(!String(decoding: old, as: UTF8.self).contains("categorySets"))
    #expect(try JSONDecoder().decode(GradientBoostingModel.self, from: old) == numeric)
  }

  @Test("a damaged category set index fails to load instead of crashing prediction")
  func damagedCategorySet() throws {
    let json = """
      {"nodes": [{"threshold": 3, "feature": 0, "left": 1, "right": 2, "defaultLeft": false, "isCategorical": true},
                 {"threshold": 1, "feature": -1, "left": -1, "right": -1, "defaultLeft": false},
                 {"threshold": 2, "feature": -1, "left": -1, "right": -1, "defaultLeft": false}],
       "covers": [], "categorySets": [[5]]}
      """
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(PredictionTree.self, from: Data(json.utf8)) }
    let fixed = json.replacingOccurrences(of: "\"threshold\": 3", with: "\"threshold\": 0")
    let tree = try JSONDecoder().decode(PredictionTree.self, from: Data(fixed.utf8))
    // Set [5] = codes {0, 2}.
    #expect(tree.value { _ in 2 } == 1)
    #expect(tree.value { _ in 1 } == 2)
    #expect(tree.value { _ in 64 } == 2)
  }
}
