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

  /// The MLP callback throws `TrialPruned` out of the fit, and through cross-validation
  /// (which wraps every other fold error) the study still records the trial as pruned.
  @Test func anMLPFitIsPrunedThroughCrossValidation() throws {
    var generator = Xoshiro256StarStar(seed: 5)
    let rows = 120
    let x0 = (0..<rows).map { _ in generator.nextGaussian() }
    let x1 = (0..<rows).map { _ in generator.nextGaussian() }
    let y = zip(x0, x1).map { 2 * $0 - $1 + 0.1 * generator.nextGaussian() }
    let table = try Table([.float("x0", x0), .float("x1", x1), .float("y", y)])
    let study = Study(
      direction: .minimize, sampler: try GridSampler(["rate": [.double(0.01), .double(0.02), .double(1e-7)]]),
      pruner: MedianPruner(startupTrials: 2))
    try study.optimize(trials: 3) { trial in
      let rate = try trial.suggestFloat("rate", 1e-8...1, log: true)
      let estimator = PruningMLP(rate: rate, trial: trial)
      let result = try crossValidate(
        estimator, table: table, target: "y", splitter: KFold(folds: 2), scoring: [Self.mse],
        parallel: false)
      return result.mean["mse"] ?? .nan
    }
    let trials = study.trials
    #expect(trials.map(\.state) == [.complete, .complete, .pruned])
    // Pruned at the first epoch of its first fold: its loss there is worse than both.
    #expect(trials[2].intermediateValues.keys.sorted() == [1])
    let others = [trials[0], trials[1]].compactMap { $0.intermediateValues[1] }
    #expect(others.count == 2 && others.allSatisfy { $0 < trials[2].intermediateValues[1] ?? 0 })
  }

  static let mse = Scoring(name: "mse", greaterIsBetter: false) { input in
    zip(input.target, input.predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(input.target.count)
  }

  /// A table estimator whose MLP fit on the fold's rows is watched by ``MLPPruning``; the
  /// validation set is the fold's own training rows (only the callback matters here).
  struct PruningMLP: TableEstimator {
    let rate: Double
    let trial: Trial

    func fit(_ table: Table, target: String, weights: String?) throws -> MLPTableModel {
      let data = try Dataset(table, target: target)
      let h = MLPHyperparameters(hiddenLayers: [8], learningRate: rate, batchSize: 32, epochs: 5, seed: 3)
      let model = try MLPRegressor(h).fit(data, validation: data, onEpoch: try MLPPruning(trial).onEpoch)
      return MLPTableModel(model: model, features: data.featureNames)
    }
  }

  struct MLPTableModel: TableModel {
    let model: MLPModel
    let features: [String]
    var classes: [Double]? { nil }
    func predict(_ table: Table) throws -> [Double] { try model.predict(try table.matrix(columns: features)) }
    func predictProbabilities(_ table: Table) throws -> Matrix? { nil }
  }
}
