import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Monotone constraints")
struct MonotoneConstraintTests {
  /// `y = sin(3x) + x + 0.5·z + noise`: rising overall in `x` but with dips, so an
  /// unconstrained model is not monotone in `x`.
  static func data(rows: Int, seed: UInt64) throws -> Dataset {
    var random = Xoshiro256StarStar(seed: seed)
    var x = [Double](repeating: 0, count: rows * 2)
    var y = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
      let a = 4 * random.nextUnitDouble() - 2
      let z = random.nextGaussian()
      x[i] = a
      x[rows + i] = z
      y[i] = sin(3 * a) + a + 0.5 * z + 0.1 * random.nextGaussian()
    }
    return try Dataset(features: try Matrix(rows: rows, columns: 2, columnMajor: x), target: y)
  }

  static func hyperparameters(_ constraints: [Int]) -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = 60
    h.maxLeaves = 15
    h.monotoneConstraints = constraints
    h.threads = 2
    return h
  }

  /// The model's predictions on a grid of `x` from −2 to 2, with `z` fixed.
  static func curve(_ model: GradientBoostingModel, z: Double) throws -> [Double] {
    let grid = (0...400).map { -2 + Double($0) / 100 }
    return try model.predict(try Matrix(rows: grid.count, columns: 2, columnMajor: grid + grid.map { _ in z }))
  }

  @Test("an increasing constraint gives a non-decreasing curve; unconstrained does not", arguments: [UInt64(1), 2])
  func increasing(seed: UInt64) throws {
    let data = try Self.data(rows: 4000, seed: seed)
    let free = try GradientBoostingRegressor(Self.hyperparameters([])).fit(data)
    let constrained = try GradientBoostingRegressor(Self.hyperparameters([1, 0])).fit(data)
    for z in [-1.5, 0, 0.7] {
      let c = try Self.curve(constrained, z: z)
      #expect(zip(c, c.dropFirst()).allSatisfy { $0 <= $1 }, "z = \(z)")
      let f = try Self.curve(free, z: z)
      // sin(3x) + x falls by about 0.6 between x = 0.6 and 1.5: the free model follows.
      #expect(zip(f, f.dropFirst()).contains { $0 > $1 + 0.1 }, "z = \(z)")
    }
  }

  @Test("constrained and free models match LightGBM 4.7.0's basic method", arguments: [true, false])
  func matchesLightGBM(constrained: Bool) throws {
    // Fixture: Fixtures/make_monotone_fixtures.py. x has 64 distinct values and z 16, so
    // both libraries bin every value alone and grow on identical histograms.
    let fixture = try fixtureJSON("gbdt_monotone")
    let settings = try #require(fixture["settings"] as? [String: Double])
    let x = try #require(fixture["x"] as? [Double])
    let z = try #require(fixture["z"] as? [Double])
    let y = try #require(fixture["y"] as? [Double])
    let grid = try #require(fixture["grid"] as? [Double])
    let probes = try #require(fixture["probe_z"] as? [Double])
    let cases = try #require(fixture["cases"] as? [[String: Any]])
    let entry = try #require(cases.first { ($0["monotone_constraints"] as? [Int])?.isEmpty == !constrained })
    let reference = try #require(entry["raw_predictions"] as? [[Double]])
    var h = GradientBoostingHyperparameters()
    h.maxLeaves = Int(try #require(settings["num_leaves"]))
    h.learningRate = try #require(settings["learning_rate"])
    h.rounds = Int(try #require(settings["rounds"]))
    h.minDataInLeaf = Int(try #require(settings["min_data_in_leaf"]))
    h.l2 = try #require(settings["lambda_l2"])
    h.minSumHessianInLeaf = try #require(settings["min_sum_hessian_in_leaf"])
    h.monotoneConstraints = constrained ? [1, 0] : []
    h.threads = 1
    let model = try GradientBoostingRegressor(h).fit(
      try Dataset(features: try Matrix(rows: x.count, columns: 2, columnMajor: x + z), target: y))
    for (probe, expected) in zip(probes, reference) {
      let raw = try model.predictRaw(try Matrix(rows: 64, columns: 2, columnMajor: grid + grid.map { _ in probe }))
      // Float gradients summed in Double in both libraries, over 20 rounds: 1e-4 is
      // rounding; a different split or bound anywhere moves a prediction by 0.01 or more.
      for (k, (mine, theirs)) in zip(raw, expected).enumerated() {
        #expect(abs(mine - theirs) < 1e-4, "z = \(probe), x = \(grid[k]): \(mine) vs LightGBM \(theirs)")
      }
    }
  }

  @Test("a decreasing constraint gives a non-increasing curve")
  func decreasing() throws {
    let data = try Self.data(rows: 3000, seed: 3)
    let flipped = try Dataset(features: data.features, target: data.target.map { -$0 })
    let model = try GradientBoostingRegressor(Self.hyperparameters([-1, 0])).fit(flipped)
    for z in [-1.0, 0.5] {
      let c = try Self.curve(model, z: z)
      #expect(zip(c, c.dropFirst()).allSatisfy { $0 >= $1 }, "z = \(z)")
    }
  }

  @Test("constrained models are bit-identical for 1 and 2 threads")
  func determinism() throws {
    let data = try Self.data(rows: 3000, seed: 4)
    var h = Self.hyperparameters([1, -1])
    h.threads = 1
    let one = try GradientBoostingRegressor(h).fit(data)
    h.threads = 2
    let two = try GradientBoostingRegressor(h).fit(data)
    #expect(one.trees == two.trees)
  }

  @Test("bad constraints throw clear errors")
  func badConstraints() throws {
    let data = try Self.data(rows: 100, seed: 5)
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingRegressor(Self.hyperparameters([1])).fit(data)
    }
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingRegressor(Self.hyperparameters([2, 0])).fit(data)
    }
    let categorical = try Dataset(
      features: data.features, target: data.target, categories: [1: ["a"]])
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingRegressor(Self.hyperparameters([0, 1])).fit(categorical)
    }
  }
}
