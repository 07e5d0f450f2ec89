import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneNeural

/// Conformance: determinism, refit, round trips, bad input, callbacks and early stopping.
@Suite("MLP estimators")
struct EstimatorTests {
  static func binaryData(rows: Int = 300, seed: UInt64 = 1) throws -> Dataset {
    let x = NeuralTestSupport.gaussianMatrix(rows: rows, columns: 4, seed: seed)
    var random = Xoshiro256StarStar(seed: seed &+ 100)
    let y = (0..<rows).map { i -> Double in
      let score = x[i, 0] * x[i, 1] + 0.5 * x[i, 2] + 0.3 * random.nextGaussian()
      return score > 0 ? 1 : 0
    }
    return try Dataset(features: x, target: y)
  }

  static var small: MLPHyperparameters {
    var h = MLPHyperparameters(hiddenLayers: [8, 6], learningRate: 0.01, batchSize: 32, epochs: 5, seed: 4)
    h.dropout = 0.1
    h.layerNorm = true
    return h
  }

  @Test("same seed gives identical weights; another seed does not", arguments: MLPHyperparameters.Precision.allCases)
  func determinism(precision: MLPHyperparameters.Precision) throws {
    let data = try Self.binaryData()
    var h = Self.small
    h.precision = precision
    h.validationFraction = 0.2
    let first = try MLPClassifier(h).fit(data)
    let second = try MLPClassifier(h).fit(data)
    #expect(first.parameters == second.parameters)
    #expect(first.diagnostics == second.diagnostics)
    h.seed = 5
    let other = try MLPClassifier(h).fit(data)
    #expect(other.parameters != first.parameters)
  }

  @Test("a refit on other data forgets the first fit")
  func refitForgets() throws {
    let estimator = MLPClassifier(Self.small)
    let a = try estimator.fit(try Self.binaryData(seed: 1))
    let b = try estimator.fit(try Self.binaryData(seed: 2))
    let again = try estimator.fit(try Self.binaryData(seed: 1))
    #expect(a.parameters == again.parameters)
    #expect(a.parameters != b.parameters)
  }

  @Test("model file round trip keeps predictions bit for bit", arguments: MLPHyperparameters.Precision.allCases)
  func modelFileRoundTrip(precision: MLPHyperparameters.Precision) throws {
    var h = Self.small
    h.precision = precision
    let data = try Self.binaryData()
    let model = try MLPClassifier(h).fit(data)
    let bytes = try ModelFile.encode(model, metadata: ["note": "test"])
    let restored = try ModelFile.decode(MLPModel.self, from: bytes)
    #expect(restored == model)
    #expect(try restored.predictProbabilities(data.features) == model.predictProbabilities(data.features))

    let regressor = try MLPRegressor(Self.small).fit(try Dataset(features: data.features, target: data.target))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mlp-\(UInt64.random(in: 0...UInt64.max)).hone"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(regressor, to: path)
    #expect(try ModelFile.header(at: path).kind == "mlp")
    let loaded = try ModelFile.load(MLPModel.self, from: path)
    #expect(try loaded.predict(data.features) == regressor.predict(data.features))
  }

  @Test("standardisation is stored and applied: shifted, scaled features give the same fit")
  func standardisationIsStored() throws {
    let data = try Self.binaryData()
    var h = Self.small
    h.precision = .float64
    h.dropout = 0
    let model = try MLPClassifier(h).fit(data)
    let shifted = Matrix(
      uncheckedRows: data.rowCount, columns: 4,
      storage: data.features.storage.enumerated().map { 1000 + 50 * $0.element + Double($0.offset / data.rowCount) })
    let moved = try MLPClassifier(h).fit(try Dataset(features: shifted, target: data.target))
    let mean = try #require(moved.inputMean)
    #expect(abs(mean[0] - (1000 + 50 * data.features.column(0).reduce(0, +) / Double(data.rowCount))) < 1e-9)
    // Affine maps of the columns standardise to the same input, so the fits agree up to
    // rounding in the standardisation (1e-9 relative on the probabilities).
    let p = try model.predictProbabilities(data.features)
    let q = try moved.predictProbabilities(shifted)
    for row in 0..<data.rowCount { #expect(abs(p[row, 1] - q[row, 1]) < 1e-9) }
  }

  // MARK: Bad input

  @Test("NaN or infinite features throw, at fit and at predict", arguments: [Double.nan, .infinity, -.infinity])
  func nonFiniteFeatures(value: Double) throws {
    let data = try Self.binaryData()
    var storage = data.features.storage
    storage[7] = value
    let bad = Matrix(uncheckedRows: data.rowCount, columns: 4, storage: storage)
    #expect(throws: MLPError.self) {
      try MLPClassifier(Self.small).fit(try Dataset(features: bad, target: data.target))
    }
    let model = try MLPClassifier(Self.small).fit(data)
    #expect(throws: MLPError.self) { try model.predict(bad) }
  }

  @Test("NaN or infinite labels throw", arguments: [Double.nan, .infinity])
  func nonFiniteLabels(value: Double) throws {
    let data = try Self.binaryData()
    var target = data.target
    target[3] = value
    // The dataset refuses them first; a classifier would refuse them too.
    #expect(throws: DatasetError.self) { try Dataset(features: data.features, target: target) }
    #expect(throws: MLPError.self) { try MLPFitting.classes(target, classCount: nil, what: "training") }
  }

  @Test("non-integer class labels throw")
  func nonIntegerLabels() throws {
    let data = try Self.binaryData()
    var target = data.target
    target[0] = 0.5
    #expect(throws: MLPError.self) {
      try MLPClassifier(Self.small).fit(try Dataset(features: data.features, target: target))
    }
  }

  @Test("zero layers, zero-width layers and batch size 0 throw")
  func badArchitecture() throws {
    let data = try Self.binaryData()
    for change in [
      { (h: inout MLPHyperparameters) in h.hiddenLayers = [] },
      { (h: inout MLPHyperparameters) in h.hiddenLayers = [8, 0] },
      { (h: inout MLPHyperparameters) in h.batchSize = 0 },
      { (h: inout MLPHyperparameters) in h.epochs = 0 },
      { (h: inout MLPHyperparameters) in h.learningRate = -1 },
      { (h: inout MLPHyperparameters) in h.dropout = 1 },
      { (h: inout MLPHyperparameters) in h.loss = .squaredError },
      { (h: inout MLPHyperparameters) in h.validationMetric = .r2 },
    ] {
      var h = Self.small
      change(&h)
      #expect(throws: MLPError.self) { try MLPClassifier(h).fit(data) }
    }
    do {
      var h = Self.small
      h.hiddenLayers = []
      try _ = MLPClassifier(h).fit(data)
    } catch let error as MLPError {
      #expect(error.message.contains("hiddenLayers"))
    }
  }

  @Test("a class outside a fixed class count, or unseen in training, throws")
  func unseenClasses() throws {
    let data = try Self.binaryData()
    var target = data.target
    target[0] = 2
    var h = Self.small
    h.classCount = 2
    #expect(throws: MLPError.self) {
      try MLPClassifier(h).fit(try Dataset(features: data.features, target: target))
    }
    // Without a fixed count, a validation label the training rows lack throws.
    let validation = try Dataset(features: data.features, target: target)
    #expect(throws: MLPError.self) { try MLPClassifier(Self.small).fit(data, validation: validation) }
    // With classCount 3 the label is allowed, and the model has three classes even if
    // class 2 barely appears.
    h.classCount = 3
    let model = try MLPClassifier(h).fit(try Dataset(features: data.features, target: target))
    #expect(model.classes == [0, 1, 2])
    #expect(try model.predictProbabilities(data.features).columns == 3)
  }

  @Test("a single class throws")
  func singleClass() throws {
    let data = try Self.binaryData()
    #expect(throws: MLPError.self) {
      try MLPClassifier(Self.small).fit(
        try Dataset(features: data.features, target: [Double](repeating: 1, count: data.rowCount)))
    }
  }

  @Test("a wrong feature count at predict time throws")
  func wrongFeatureCount() throws {
    let data = try Self.binaryData()
    let model = try MLPClassifier(Self.small).fit(data)
    #expect(throws: MLPError.self) { try model.predict(Matrix(rows: 3, columns: 5)) }
    #expect(throws: MLPError.self) { try MLPRegressor(Self.small).fit(data).predictProbabilities(data.features) }
  }

  @Test("a diverging fit throws with advice")
  func divergence() throws {
    var h = Self.small
    h.optimizer = .sgd
    h.learningRate = 1e6
    h.layerNorm = false
    h.dropout = 0
    h.standardize = false
    let x = NeuralTestSupport.gaussianMatrix(rows: 100, columns: 2, seed: 1)
    let big = Matrix(uncheckedRows: 100, columns: 2, storage: x.storage.map { $0 * 1e6 })
    let data = try Dataset(features: big, target: x.column(0).map { $0 * 1e6 })
    #expect(throws: MLPError.self) { try MLPRegressor(h).fit(data) }
  }

  /// AUC on three classes used to index past the labels (a trap) when it scored the
  /// validation rows: refused before training, naming what to use.
  @Test func aucOnMoreThanTwoClassesIsRefused() throws {
    let binary = try Self.binaryData(rows: 90)
    let three = try Dataset(features: binary.features, target: (0..<90).map { Double($0 % 3) })
    var h = Self.small
    h.validationFraction = 0.25
    h.validationMetric = .auc
    let error = try #require(throws: MLPError.self) { try MLPClassifier(h).fit(three) }
    #expect("\(error)".contains("auc ranks two classes"))
    h.validationMetric = .accuracy
    _ = try MLPClassifier(h).fit(three)
  }

  // MARK: Training control

  @Test("the epoch callback sees every epoch and can stop training")
  func callbackStops() throws {
    var h = Self.small
    h.epochs = 20
    h.validationFraction = 0.25
    h.validationMetric = .auc
    var seen: [MLPEpochRecord] = []
    let model = try MLPClassifier(h).fit(try Self.binaryData(), validation: nil) { record in
      seen.append(record)
      return record.epoch == 3 ? .stop : .proceed
    }
    #expect(seen.map(\.epoch) == [1, 2, 3])
    #expect(model.diagnostics.stopReason == .callback)
    #expect(model.diagnostics.history == seen)
    let auc = try #require(seen.last?.validationMetric)
    #expect(auc > 0.5 && auc <= 1)
  }

  @Test("early stopping stops after the patience and restores the best epoch")
  func earlyStopping() throws {
    var h = Self.small
    h.epochs = 200
    h.learningRate = 0.05
    h.dropout = 0
    h.validationFraction = 0.3
    h.earlyStoppingPatience = 3
    let data = try Self.binaryData(rows: 200)
    let model = try MLPClassifier(h).fit(data)
    let history = model.diagnostics.history
    #expect(model.diagnostics.stopReason == .earlyStopping)
    #expect(history.count < 200)
    let losses = history.compactMap(\.validationLoss)
    let best = try #require(losses.indices.min { losses[$0] < losses[$1] })
    #expect(model.diagnostics.selectedEpoch == best + 1)
    #expect(history.count == best + 1 + 3)
  }

  @Test("an explicit validation set is scored each epoch with the chosen metric")
  func explicitValidation() throws {
    var h = Self.small
    h.validationMetric = .accuracy
    h.restoreBestWeights = false
    let model = try MLPClassifier(h).fit(try Self.binaryData(seed: 1), validation: try Self.binaryData(seed: 2))
    #expect(model.diagnostics.history.allSatisfy { ($0.validationMetric ?? -1) >= 0 && $0.validationLoss != nil })
    #expect(model.diagnostics.selectedEpoch == h.epochs)
  }

  @Test("sample weights count: zero-weight rows do not influence the fit")
  func sampleWeights() throws {
    let data = try Self.binaryData(rows: 128)
    var h = Self.small
    h.dropout = 0
    h.batchSize = 256  // one batch per epoch, so the shuffle changes only the summation order
    h.precision = .float64
    h.standardize = false  // the weighted rows would otherwise shift the statistics
    h.weightDecay = 0  // scikit-learn's L2 scales with the batch's row count, which differs
    let a = try MLPClassifier(h).fit(
      try Dataset(features: data.features, target: data.target, weights: (0..<128).map { $0 < 64 ? 1 : 0 }))
    let firstHalf = try Dataset(
      features: try data.features.submatrix(rows: 0..<64, columns: 0..<4), target: Array(data.target[..<64]))
    let b = try MLPClassifier(h).fit(firstHalf)
    // Same initialisation and one full batch per epoch: the weighted mean over 128 rows
    // with half weight 0 is the mean over the first 64; only summation order differs.
    for (u, v) in zip(a.parameters, b.parameters) { #expect(abs(u - v) < 1e-9) }
  }

  @Test("learning-rate schedules follow their closed forms")
  func scheduleValues() {
    let cosine = LearningRateSchedule(kind: .cosine, base: 1, stepEpochs: 1, stepFactor: 1, totalSteps: 100)
    #expect(abs(cosine.rate(step: 0, epoch: 0) - 1) < 1e-15)
    #expect(abs(cosine.rate(step: 50, epoch: 0) - 0.5) < 1e-15)
    let step = LearningRateSchedule(kind: .step, base: 1, stepEpochs: 10, stepFactor: 0.1, totalSteps: 100)
    #expect(abs(step.rate(step: 0, epoch: 25) - 0.01) < 1e-15)
    let cycle = LearningRateSchedule(kind: .oneCycle, base: 1, stepEpochs: 1, stepFactor: 1, totalSteps: 1000)
    #expect(abs(cycle.rate(step: 0, epoch: 0) - 1.0 / 25) < 1e-15)
    #expect(abs(cycle.rate(step: 299, epoch: 0) - 1) < 1e-12)
    #expect(abs(cycle.rate(step: 999, epoch: 0) - 1.0 / 25 / 1e4) < 1e-12)
  }

  @Test("AUC matches the pairwise definition, with ties")
  func aucMatchesDefinition() {
    var random = Xoshiro256StarStar(seed: 3)
    let scores = (0..<200).map { _ in Double(random.nextInt(below: 20)) }
    let labels = (0..<200).map { _ in Double(random.nextInt(below: 2)) }
    let fast = Metrics.areaUnderROC(scores: scores, labels: labels.map { $0 == 1 })
    let slow = NeuralTestSupport.pairwiseAUC(scores: scores, labels: labels)
    // Both are exact rationals with denominators ≤ 2·10⁴; rounding differs by ~1e-15.
    #expect(abs((fast ?? -1) - slow) < 1e-12)
  }
}
