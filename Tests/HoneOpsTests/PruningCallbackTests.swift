import Foundation
import HoneCore
import HoneLinearAlgebra
import HoneNeural
import HonePipeline
import HoneTrees
import HoneTuning
import Synchronization
import Testing

@testable import HoneOps

/// Round-by-round and epoch-by-epoch pruning: the values the callbacks report, where they
/// stop a fit, and how the stop reaches the study.
@Suite("Pruning callbacks")
struct PruningCallbackTests {
  /// A binary problem, y = 1 when x0 + x1 / 2 + noise > 0: 300 training and 100
  /// validation rows.
  static func data() throws -> (train: Dataset, valid: Dataset) {
    var generator = Xoshiro256StarStar(seed: 11)
    var x: [Double] = []
    var y: [Double] = []
    for _ in 0..<400 {
      let row = (0..<3).map { _ in generator.nextGaussian() }
      x += row
      y.append(row[0] + row[1] / 2 + 0.5 * generator.nextGaussian() > 0 ? 1 : 0)
    }
    let train = try Dataset(
      features: Matrix(rows: 300, columns: 3, rowMajor: Array(x[..<900])), target: Array(y[..<300]))
    let valid = try Dataset(
      features: Matrix(rows: 100, columns: 3, rowMajor: Array(x[900...])), target: Array(y[300...]))
    return (train, valid)
  }

  /// The validation log-loss written out: the mean of −y log p − (1 − y) log(1 − p).
  static func logLoss(_ model: GradientBoostingModel, _ data: Dataset) throws -> Double {
    let raw = try model.predictRaw(data.features)
    var total = 0.0
    for (margin, y) in zip(raw, data.target) {
      let p = 1 / (1 + exp(-margin))
      total -= y == 1 ? log(p) : log(1 - p)
    }
    return total / Double(raw.count)
  }

  static func hyperparameters(rate: Double) -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = 20
    h.learningRate = rate
    h.maxLeaves = 4
    h.minDataInLeaf = 5
    h.metrics = [.binaryLogloss]
    return h
  }

  /// Two trials at a good rate complete all 20 rounds; the third, at a rate a thousand
  /// times smaller, is worse than both at round 1, so the median pruner stops it there:
  /// its fit ends after one tree and the study records it as pruned. Each reported value
  /// is the validation log-loss of the trees so far, computed here from the model.
  @Test func aGradientBoostedFitIsPrunedAtTheRoundThePrunerSays() throws {
    let (train, valid) = try Self.data()
    let rates = [0.3, 0.25, 0.0003]
    let study = Study(
      direction: .minimize, sampler: try GridSampler(["rate": rates.map { .double($0) }]),
      pruner: MedianPruner(startupTrials: 2))
    let models = Mutex<[Int: GradientBoostingModel]>([:])
    try study.optimize(trials: 3) { trial in
      let rate = try trial.suggestFloat("rate", 1e-4...1, log: true)
      let pruning = BoostingPruning(trial)
      let model = try GradientBoostingClassifier(Self.hyperparameters(rate: rate))
        .fit(train, validation: valid, onRound: pruning.onRound)
      models.withLock { $0[trial.number] = model }
      try pruning.check()
      return try Self.logLoss(model, valid)
    }
    let trials = study.trials
    let fitted = models.withLock { $0 }
    #expect(trials.map(\.state) == [.complete, .complete, .pruned])
    #expect(trials[2].parameters["rate"] == .double(0.0003))
    for trial in trials {
      let model = try #require(fitted[trial.number])
      let last = try #require(trial.intermediateValues.keys.max())
      #expect(trial.intermediateValues.keys.sorted() == Array(1...last))
      #expect(model.trees.count == last, "the fit stopped at the last reported round")
      let value = try #require(trial.intermediateValues[last])
      #expect(abs(value - (try Self.logLoss(model, valid))) < 1e-12)
    }
    #expect(trials[0].intermediateValues.count == 20 && trials[2].intermediateValues.count == 1)
  }

  /// A metric that improves the other way than the study, or none to watch: the fit stops
  /// at round 1 and `check` says why.
  @Test func aMetricThatCannotBeJudgedIsRefused() throws {
    let (train, valid) = try Self.data()
    let maximised = Study(direction: .maximize, sampler: RandomSampler(seed: 1))
    let trial = try maximised.ask()
    let pruning = BoostingPruning(trial)
    let model = try GradientBoostingClassifier(Self.hyperparameters(rate: 0.1))
      .fit(train, validation: valid, onRound: pruning.onRound)
    #expect(model.trees.count == 1)
    let wrongWay = try #require(throws: TuningError.self) { try pruning.check() }
    #expect(wrongWay.message.contains("binary_logloss improves downwards but the study maximizes"))
    let unvalidated = BoostingPruning(try Study(direction: .minimize).ask())
    _ = try GradientBoostingClassifier(Self.hyperparameters(rate: 0.1))
      .fit(train, validation: nil, onRound: unvalidated.onRound)
    let missing = try #require(throws: TuningError.self) { try unvalidated.check() }
    #expect(missing.message.contains("fit with a validation set"))
  }

  /// The MLP callback throws `TrialPruned` out of the fit at the epoch the median rule
  /// says: a rate too small to learn is worse than both earlier trials at epoch 1. Each
  /// reported value is the fit's own validation loss of that epoch.
  @Test func anMLPFitIsPrunedAtTheEpochThePrunerSays() throws {
    let (train, valid) = try Self.regression()
    let study = Study(
      direction: .minimize, sampler: try GridSampler(["rate": [.double(0.01), .double(0.02), .double(1e-7)]]),
      pruner: MedianPruner(startupTrials: 2))
    let histories = Mutex<[Int: [MLPEpochRecord]]>([:])
    try study.optimize(trials: 3) { trial in
      let rate = try trial.suggestFloat("rate", 1e-8...1, log: true)
      let h = MLPHyperparameters(hiddenLayers: [8], learningRate: rate, batchSize: 32, epochs: 5, seed: 3)
      let model = try MLPRegressor(h).fit(
        train, validation: valid, onEpoch: try MLPPruning(trial, hyperparameters: h).onEpoch)
      histories.withLock { $0[trial.number] = model.diagnostics.history }
      let d = model.diagnostics
      return d.history.first { $0.epoch == d.selectedEpoch }?.validationLoss ?? .nan
    }
    let trials = study.trials
    #expect(trials.map(\.state) == [.complete, .complete, .pruned])
    #expect(trials[2].intermediateValues.keys.sorted() == [1])
    for trial in trials.prefix(2) {
      let history = try #require(histories.withLock { $0[trial.number] })
      #expect(
        trial.intermediateValues
          == Dictionary(uniqueKeysWithValues: history.map { ($0.epoch, $0.validationLoss ?? .nan) }))
    }
    let firstEpoch = trials.prefix(2).compactMap { $0.intermediateValues[1] }
    #expect(firstEpoch.count == 2 && firstEpoch.allSatisfy { $0 < trials[2].intermediateValues[1] ?? 0 })
    // A metric that improves the other way than the study is refused up front.
    var r2 = MLPHyperparameters()
    r2.validationMetric = .r2
    #expect(throws: TuningError.self) { try MLPPruning(try Study(direction: .minimize).ask(), hyperparameters: r2) }
  }

  /// `TrialPruned` thrown inside a fold's fit reaches the study unwrapped through
  /// cross-validation (which wraps every other fold error), so the trial is pruned, not
  /// failed; another error still fails it.
  @Test func aPruningSignalPassesThroughCrossValidation() throws {
    let table = try Table([.float("x", [1, 2, 3, 4, 5, 6]), .float("y", [1, 2, 3, 4, 5, 6])])
    let study = Study(sampler: RandomSampler(seed: 1))
    try study.optimize(trials: 2) { trial in
      let signal = trial.number == 0
      _ = try crossValidate(
        Refusing(pruned: signal), table: table, target: "y", splitter: KFold(folds: 2), scoring: [Self.mse])
      return 0
    }
    #expect(study.trials.map(\.state) == [.pruned, .failed])
    #expect(study.trials[1].error?.contains("fold 0") == true)
  }

  static let mse = Scoring(name: "mse", greaterIsBetter: false) { input in
    zip(input.target, input.predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(input.target.count)
  }

  /// y = 2·x0 − x1 + noise: 90 training and 30 validation rows.
  static func regression() throws -> (train: Dataset, valid: Dataset) {
    var generator = Xoshiro256StarStar(seed: 5)
    var x: [Double] = []
    var y: [Double] = []
    for _ in 0..<120 {
      let (a, b) = (generator.nextGaussian(), generator.nextGaussian())
      x += [a, b]
      y.append(2 * a - b + 0.1 * generator.nextGaussian())
    }
    return (
      try Dataset(features: Matrix(rows: 90, columns: 2, rowMajor: Array(x[..<180])), target: Array(y[..<90])),
      try Dataset(features: Matrix(rows: 30, columns: 2, rowMajor: Array(x[180...])), target: Array(y[90...]))
    )
  }

  /// A table estimator whose fit throws: `TrialPruned`, or another error.
  struct Refusing: TableEstimator {
    struct Broken: Error {}
    struct Unreachable: TableModel {
      var classes: [Double]? { nil }
      func predict(_ table: Table) throws -> [Double] { [] }
      func predictProbabilities(_ table: Table) throws -> Matrix? { nil }
    }
    let pruned: Bool
    func fit(_ table: Table, target: String, weights: String?) throws -> Unreachable {
      throw pruned ? TrialPruned() as any Error : Broken()
    }
  }
}
