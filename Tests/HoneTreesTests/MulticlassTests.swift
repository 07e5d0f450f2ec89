import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Multiclass softmax")
struct MulticlassTests {
  /// Three classes labelled 2, 5 and 9 (so label mapping is exercised), decided by the
  /// largest of three noisy signals of the first three features; a fourth feature is
  /// noise and 5% of feature 0 is missing.
  static func data(rows: Int, seed: UInt64) throws -> Dataset {
    var random = Xoshiro256StarStar(seed: seed)
    var x = [Double](repeating: 0, count: rows * 4)
    var y = [Double](repeating: 0, count: rows)
    let labels = [2.0, 5, 9]
    for i in 0..<rows {
      let a = random.nextGaussian()
      let b = random.nextGaussian()
      let c = random.nextGaussian()
      x[i] = random.nextUnitDouble() < 0.05 ? .nan : a
      x[rows + i] = b
      x[2 * rows + i] = c
      x[3 * rows + i] = random.nextGaussian()
      let signals = [a * a - 0.5, b, c + 0.3].map { $0 + 0.2 * random.nextGaussian() }
      y[i] = labels[signals.indices.max { signals[$0] < signals[$1] } ?? 0]
    }
    return try Dataset(features: try Matrix(rows: rows, columns: 4, columnMajor: x), target: y)
  }

  static func hyperparameters(threads: Int, seed: UInt64 = 3) -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = 40
    h.maxLeaves = 15
    h.minDataInLeaf = 10
    h.l2 = 1
    h.rowSubsample = 0.8
    h.columnSubsample = 0.75
    h.seed = seed
    h.threads = threads
    return h
  }

  @Test("softmax gradient and hessian match finite differences (hessian scaled by K/(K−1) as LightGBM)")
  func derivatives() {
    let step = 1e-5
    for scores in [[0.3, -1.2, 2.0], [0, 0, 0, 0], [4.0, -3, 0.5, 1, -0.2]] {
      let k = scores.count
      for label in 0..<k {
        var analytic = [SIMD2<Double>](repeating: .zero, count: k)
        scores.withUnsafeBufferPointer { s in
          analytic.withUnsafeMutableBufferPointer { Loss.multiclassDerivatives(label: label, scores: s, into: $0) }
        }
        for c in 0..<k {
          func loss(_ shift: Double) -> Double {
            var moved = scores
            moved[c] += shift
            return moved.withUnsafeBufferPointer { Loss.multiclassValue(label: label, scores: $0) }
          }
          // Central differences: O(step²) truncation plus O(ε/step) ≈ 1e-11 rounding for
          // the gradient, O(ε/step²) ≈ 1e-6 for the second difference.
          let gradient = (loss(step) - loss(-step)) / (2 * step)
          let second = (loss(step) - 2 * loss(0) + loss(-step)) / (step * step)
          #expect(abs(analytic[c].x - gradient) < 1e-8, "gradient, scores \(scores), label \(label), class \(c)")
          let factor = Double(k) / Double(k - 1)
          #expect(abs(analytic[c].y - factor * second) < 1e-4, "hessian, scores \(scores), label \(label), class \(c)")
        }
      }
    }
  }

  @Test("learns three classes well above chance; a model with no rounds does not", arguments: [UInt64(1), 2])
  func learns(seed: UInt64) throws {
    let train = try Self.data(rows: 3000, seed: seed)
    let test = try Self.data(rows: 2000, seed: seed + 50)
    let model = try GradientBoostingClassifier(Self.hyperparameters(threads: 2)).fit(train)
    #expect(model.classes == [2, 5, 9])
    #expect(model.trees.count == 40 * 3)
    func accuracy(_ predicted: [Double]) -> Double {
      Double(zip(predicted, test.target).filter { $0 == $1 }.count) / Double(test.rowCount)
    }
    // The Bayes rate of this problem is about 0.9 (noise 0.2 on signals of spread ~1);
    // chance is 1/3 and always guessing the commonest class about 0.4.
    let trained = accuracy(try model.predict(test.features))
    let untrained = accuracy(try model.predict(test.features, upToIteration: 0))
    #expect(trained > 0.8, "accuracy \(trained)")
    #expect(untrained < 0.5, "no-round accuracy \(untrained)")

    let probabilities = try model.predictProbabilities(test.features)
    #expect(probabilities.rows == 2000 && probabilities.columns == 3)
    for i in stride(from: 0, to: 2000, by: 7) {
      let sum = (0..<3).reduce(0.0) { $0 + probabilities[i, $1] }
      // A softmax normalised by its own sum: a few ulps.
      #expect(abs(sum - 1) < 1e-14)
    }
    // The starting scores are the log class frequencies, so their softmax returns the
    // training frequencies up to rounding. They live in the first round's leaves
    // (LightGBM's AddBias), so with no rounds every class scores 0: uniform probabilities.
    let initial = Loss.multiclassInitialScores(
      labels: train.target.map { [2.0: 0, 5: 1, 9: 2][$0] ?? -1 }, weights: nil, classCount: 3)
    for (c, label) in [2.0, 5, 9].enumerated() {
      let frequency = Double(train.target.filter { $0 == label }.count) / 3000
      #expect(abs(exp(initial[c]) - frequency) < 1e-14)
    }
    let uniform = try model.predictProbabilities(test.features, upToIteration: 0)
    #expect((0..<3).allSatisfy { abs(uniform[0, $0] - 1.0 / 3) < 1e-15 })
  }

  @Test("same seed, 1 or 2 threads: bit-identical; a model file round trip restores it")
  func determinismAndFiles() throws {
    let data = try Self.data(rows: 2500, seed: 9)
    let one = try GradientBoostingClassifier(Self.hyperparameters(threads: 1)).fit(data)
    let two = try GradientBoostingClassifier(Self.hyperparameters(threads: 2)).fit(data)
    // Hyperparameters (threads) and per-round timings differ; everything learned must not.
    #expect(one.trees == two.trees)
    #expect(one.gainImportance == two.gainImportance)
    let other = try GradientBoostingClassifier(Self.hyperparameters(threads: 2, seed: 4)).fit(data)
    #expect(other.trees != two.trees)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gbdt-mc-\(UUID().uuidString).hone").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(two, to: path)
    let restored = try ModelFile.load(GradientBoostingModel.self, from: path)
    #expect(restored == two)
    #expect(try restored.predictProbabilities(data.features) == two.predictProbabilities(data.features))
  }

  @Test("early stopping keeps whole rounds; unseen validation classes and scalar APIs throw")
  func validationAndErrors() throws {
    let train = try Self.data(rows: 1500, seed: 4)
    let valid = try Self.data(rows: 800, seed: 5)
    var h = Self.hyperparameters(threads: 2)
    h.rounds = 300
    h.learningRate = 0.3
    h.earlyStoppingRounds = 10
    let model = try GradientBoostingClassifier(h).fit(train, validation: valid)
    let best = try #require(model.bestIteration)
    #expect(model.trees.count == best * 3)
    #expect(best < 300)
    let losses = model.history.compactMap(\.validationLoss)
    #expect(losses[best - 1] == losses.min())

    let unseen = try Dataset(features: valid.features, target: valid.target.map { $0 == 9 ? 7 : $0 })
    #expect(throws: GradientBoostingError.self) { try GradientBoostingClassifier(h).fit(train, validation: unseen) }
    #expect(throws: GradientBoostingError.self) { try model.predictRaw(valid.features) }
    #expect(throws: GradientBoostingError.self) { try model.predictRawScores(Matrix(rows: 1, columns: 3)) }
  }

  @Test("contributions: one block per class, equal to brute-force Shapley values, summing to each logit")
  func contributions() throws {
    let data = try Self.data(rows: 800, seed: 12)
    var h = Self.hyperparameters(threads: 2)
    h.rounds = 5
    h.maxLeaves = 8
    let model = try GradientBoostingClassifier(h).fit(data)
    let rows =
      stride(from: 0, to: 800, by: 53).map { i in (0..<4).map { data.features[i, $0] } } + [
        [.nan, 0.1, -0.4, 2]
      ]
    let x = try Matrix(rows)
    let phi = try model.contributions(x)
    let logits = try model.predictRawScores(x)
    #expect(phi.rows == rows.count && phi.columns == 3 * 5)
    for c in 0..<3 {
      // The class's trees as a single-score model for the reference enumeration.
      let classTrees = stride(from: c, to: model.trees.count, by: 3).map { model.trees[$0] }
      for (r, row) in rows.enumerated() {
        let reference = Self.bruteForce(classTrees, row: row)
        for j in 0...4 {
          // As in ContributionTests: 16 subsets of 5 trees, values of order 1; 1e-12 is
          // rounding headroom, a real error is ≥ 1e-3.
          #expect(abs(phi[r, c * 5 + j] - reference[j]) <= 1e-12, "class \(c) row \(r) column \(j)")
        }
        let sum = (0...4).reduce(0.0) { $0 + phi[r, c * 5 + $1] }
        #expect(abs(sum - logits[r, c]) <= 1e-12 * max(1, abs(logits[r, c])))
      }
    }
  }

  /// Shapley values of the sum of `trees` by enumerating all feature subsets, with
  /// ``ContributionTests/conditionalExpectation(_:row:present:node:)`` as the value.
  static func bruteForce(_ trees: [PredictionTree], row: [Double]) -> [Double] {
    let p = row.count
    let values = (0..<(1 << p)).map { subset in
      trees.reduce(0.0) { $0 + ContributionTests.conditionalExpectation($1, row: row, present: subset) }
    }
    func factorial(_ k: Int) -> Double { k <= 1 ? 1 : (2...k).reduce(1.0) { $0 * Double($1) } }
    var phi = [Double](repeating: 0, count: p + 1)
    for i in 0..<p {
      for subset in 0..<(1 << p) where subset & (1 << i) == 0 {
        let size = subset.nonzeroBitCount
        phi[i] +=
          factorial(size) * factorial(p - size - 1) / factorial(p) * (values[subset | (1 << i)] - values[subset])
      }
    }
    phi[p] = values[0]
    return phi
  }
}
