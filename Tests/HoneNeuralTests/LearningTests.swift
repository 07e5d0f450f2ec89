import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneNeural

/// The network learns what an untrained or broken one cannot.
@Suite("Learning")
struct LearningTests {
  /// XOR's four points, each repeated, so an epoch has several mini-batches.
  static func xor(repeats: Int = 8) throws -> Dataset {
    let points: [([Double], Double)] = [([0, 0], 0), ([0, 1], 1), ([1, 0], 1), ([1, 1], 0)]
    var rows: [[Double]] = []
    var labels: [Double] = []
    for _ in 0..<repeats {
      for (x, y) in points {
        rows.append(x)
        labels.append(y)
      }
    }
    return try Dataset(features: try Matrix(rows), target: labels)
  }

  /// The per-optimiser learning rates at which 300 epochs suffice; plain SGD needs the
  /// largest step.
  static let xorRates: [(MLPHyperparameters.Optimizer, Double)] = [
    (.sgd, 0.3), (.momentum, 0.05), (.nesterov, 0.05), (.adam, 0.02), (.adamw, 0.02),
  ]

  @Test("XOR is learned by every optimiser", arguments: xorRates)
  func xorIsLearned(optimizer: MLPHyperparameters.Optimizer, rate: Double) throws {
    let data = try Self.xor()
    var h = MLPHyperparameters(
      hiddenLayers: [8], activation: .tanh, optimizer: optimizer, learningRate: rate, batchSize: 8, epochs: 300,
      seed: 3)
    h.weightDecay = 0
    h.precision = .float64
    let model = try MLPClassifier(h).fit(data)
    let x = try Matrix([[0, 0], [0, 1], [1, 0], [1, 1]])
    #expect(try model.predict(x) == [0, 1, 1, 0])
    let p = try model.predictProbabilities(x)
    // Mean log-loss below 0.1 means every point gets probability > 0.9 on average; a
    // linear separator (or an untrained net, near 0.69) cannot get below ~0.48 on XOR.
    let truth = [0, 1, 1, 0]
    let logLoss = (0..<4).map { -log(p[$0, truth[$0]]) }.reduce(0, +) / 4
    #expect(logLoss < 0.1, "log-loss \(logLoss)")
    #expect(model.diagnostics.history.count == 300)
    #expect(model.diagnostics.history.last?.trainLoss ?? 1 < model.diagnostics.history.first?.trainLoss ?? 0)
  }

  @Test("an untrained network does not solve XOR (the test above can fail)")
  func untrainedFailsXOR() throws {
    var h = MLPHyperparameters(hiddenLayers: [8], activation: .tanh, learningRate: 1e-9, batchSize: 8, epochs: 1)
    h.precision = .float64
    let model = try MLPClassifier(h).fit(try Self.xor())
    let p = try model.predictProbabilities(try Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]))
    let truth = [0, 1, 1, 0]
    let logLoss = (0..<4).map { -log(p[$0, truth[$0]]) }.reduce(0, +) / 4
    #expect(logLoss > 0.3)
  }

  /// `y = sin(x) + N(0, 0.1²)` on 400 points of `[−π, π]`.
  static func noisySine(seed: UInt64) throws -> Dataset {
    var random = Xoshiro256StarStar(seed: seed)
    let x = (0..<400).map { _ in (2 * random.nextUnitDouble() - 1) * Double.pi }
    let y = x.map { sin($0) + 0.1 * random.nextGaussian() }
    return try Dataset(features: Matrix.columnVector(x), target: y)
  }

  @Test(
    "a noisy sine is learned, with every activation and option",
    arguments: [
      (Activation.tanh, false, 0.0), (.relu, false, 0.0), (.gelu, true, 0.0), (.leakyRelu, false, 0.1),
      (.sigmoid, false, 0.0),
    ])
  func noisySineIsLearned(activation: Activation, layerNorm: Bool, dropout: Double) throws {
    var h = MLPHyperparameters(
      hiddenLayers: [32, 32], activation: activation, optimizer: .adam, learningRate: 0.01, batchSize: 32,
      epochs: 200, seed: 1)
    h.layerNorm = layerNorm
    h.dropout = dropout
    h.weightDecay = 0
    let model = try MLPRegressor(h).fit(try Self.noisySine(seed: 9))
    let grid = (0..<101).map { -Double.pi + 2 * Double.pi * Double($0) / 100 }
    let predictions = try model.predict(Matrix.columnVector(grid))
    let mse = zip(grid, predictions).map { (sin($0) - $1) * (sin($0) - $1) }.reduce(0, +) / Double(grid.count)
    // The best straight line has MSE ≈ 0.19 against sin on [−π, π], and a constant 0.5;
    // 0.02 demands the curve (the noise, variance 0.01, does not enter: we compare with
    // the noiseless sine).
    #expect(mse < 0.02, "MSE against sin: \(mse)")
  }

  @Test("Huber loss and every schedule fit the sine", arguments: MLPHyperparameters.Schedule.allCases)
  func schedulesFit(schedule: MLPHyperparameters.Schedule) throws {
    var h = MLPHyperparameters(
      hiddenLayers: [32, 32], activation: .tanh, learningRate: 0.01, batchSize: 32, epochs: 200, seed: 2)
    h.schedule = schedule
    h.stepEpochs = 100
    h.stepFactor = 0.3
    h.loss = .huber
    h.gradientClipNorm = 5
    let model = try MLPRegressor(h).fit(try Self.noisySine(seed: 4))
    let grid = (0..<101).map { -Double.pi + 2 * Double.pi * Double($0) / 100 }
    let predictions = try model.predict(Matrix.columnVector(grid))
    let mse = zip(grid, predictions).map { (sin($0) - $1) * (sin($0) - $1) }.reduce(0, +) / Double(grid.count)
    #expect(mse < 0.02, "MSE against sin: \(mse)")
  }

  @Test("a three-class problem is learned with softmax cross-entropy")
  func multiclass() throws {
    // Three Gaussian blobs at distance 4 with unit noise: Bayes accuracy ≈ 0.98.
    var random = Xoshiro256StarStar(seed: 8)
    let centres: [[Double]] = [[0, 0], [4, 0], [0, 4]]
    var rows: [[Double]] = []
    var labels: [Double] = []
    for i in 0..<600 {
      let k = i % 3
      rows.append([centres[k][0] + random.nextGaussian(), centres[k][1] + random.nextGaussian()])
      labels.append(Double(k))
    }
    let data = try Dataset(features: try Matrix(rows), target: labels)
    let model = try MLPClassifier(.init(hiddenLayers: [16], learningRate: 0.01, batchSize: 32, epochs: 30)).fit(data)
    #expect(model.classes == [0, 1, 2])
    let predictions = try model.predict(data.features)
    let accuracy = Double(zip(predictions, labels).filter { $0 == $1 }.count) / 600
    #expect(accuracy > 0.93, "accuracy \(accuracy)")
    let p = try model.predictProbabilities(data.features)
    for row in 0..<5 { #expect(abs((0..<3).map { p[row, $0] }.reduce(0, +) - 1) < 1e-12) }
  }
}
