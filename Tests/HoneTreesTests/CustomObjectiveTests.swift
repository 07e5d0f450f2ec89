import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Custom objectives")
struct CustomObjectiveTests {
  static func hyperparameters() -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = 20
    h.maxLeaves = 15
    h.minDataInLeaf = 5
    h.l2 = 1
    h.rowSubsample = 0.8
    h.seed = 3
    h.threads = 2
    h.recordTrainingLoss = true
    return h
  }

  @Test("squared error written as closures reproduces the built-in objective bit for bit", arguments: [false, true])
  func matchesBuiltIn(weighted: Bool) throws {
    var data = try syntheticData(rows: 2000, seed: 6, classification: false)
    var random = Xoshiro256StarStar(seed: 2)
    if weighted {
      data = try Dataset(
        features: data.features, target: data.target, weights: (0..<2000).map { _ in 0.5 + random.nextUnitDouble() })
    }
    // The built-in starting score is Σwy / Σw summed in row order; the same sum here
    // gives the same bits, so every gradient, split and leaf must agree exactly.
    let weights = data.weights ?? [Double](repeating: 1, count: 2000)
    var sum = 0.0
    var total = 0.0
    for i in 0..<2000 {
      sum += weights[i] * data.target[i]
      total += weights[i]
    }
    let objective = CustomObjective(name: "hand-l2", initialScore: sum / total) { y, s in
      0.5 * (s - y) * (s - y)
    } derivatives: { y, s in
      (s - y, 1)
    }
    let custom = try GradientBoostingRegressor(Self.hyperparameters(), objective: objective).fit(data)
    let builtIn = try GradientBoostingRegressor(Self.hyperparameters()).fit(data)
    #expect(custom.loss == .custom(name: "hand-l2"))
    #expect(custom.initialScore == builtIn.initialScore)
    #expect(custom.trees == builtIn.trees)
    #expect(custom.history.map(\.trainingLoss) == builtIn.history.map(\.trainingLoss))
    #expect(try custom.predict(data.features) == builtIn.predict(data.features))
  }

  @Test("a custom log-cosh objective learns, and its model file predicts without the closures")
  func logCosh() throws {
    let data = try syntheticData(rows: 2000, seed: 7, classification: false)
    // log cosh(s − y): smooth, gradient tanh(s − y), hessian 1 − tanh²(s − y) > 0.
    let objective = CustomObjective(name: "log-cosh") { y, s in
      log(cosh(s - y))
    } derivatives: { y, s in
      let t = tanh(s - y)
      return (t, max(1 - t * t, 1e-6))
    }
    let model = try GradientBoostingRegressor(Self.hyperparameters(), objective: objective).fit(data)
    let first = try #require(model.history.first?.trainingLoss)
    let last = try #require(model.history.last?.trainingLoss)
    #expect(last < 0.5 * first, "log-cosh loss \(first) → \(last)")

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gbdt-custom-\(UUID().uuidString).hone")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    let restored = try ModelFile.load(GradientBoostingModel.self, from: path)
    #expect(restored.loss == .custom(name: "log-cosh"))
    #expect(try restored.predict(data.features) == model.predict(data.features))
  }
}
