import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import HoneNeural
import HonePipeline
import Testing

@Suite("crossValidate")
struct CrossValidateTests {
  /// Mean squared error, written out so these tests do not depend on the metrics module.
  static let mse = Scoring(name: "mse", greaterIsBetter: false) { input in
    zip(input.target, input.predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(input.target.count)
  }

  /// Rows whose feature scale drifts upwards, so a scaler fitted on all rows differs
  /// clearly from one fitted on a training fold.
  static func table(rows: Int = 90) throws -> Table {
    var rng = Xoshiro256StarStar(seed: 17)
    var a: [Double] = []
    var b: [Double] = []
    var y: [Double] = []
    for i in 0..<rows {
      let x1 = Double(i) / 3 + rng.nextGaussian()
      let x2 = rng.nextGaussian() * (1 + Double(i) / 30)
      a.append(x1)
      b.append(x2)
      y.append(0.5 * x1 - 2 * x2 + rng.nextGaussian())
    }
    return try Table([.float("a", a), .float("b", b), .float("y", y)])
  }

  static let pipeline = Pipeline([.standardScaler(.init())], Ridge(alpha: 5))

  /// Every fold's predictions equal a pipeline fitted by hand on that fold's training rows
  /// only — and differ from a pipeline whose scaler saw every row.
  @Test func theScalerIsFittedOnTrainingFoldsOnly() throws {
    let table = try Self.table()
    let result = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: KFold(folds: 3), scoring: [Self.mse], parallel: false)
    #expect(result.folds.count == 3)
    let y = try table.column(named: "y").doubleValues
    for fold in result.folds {
      let byHand = try Self.pipeline.fit(try table.rows(at: fold.trainRows), target: "y")
      let test = try table.rows(at: fold.testRows)
      #expect(try byHand.predict(test) == fold.predictions)
      // A scaler fitted on all rows, then ridge on the training rows: different predictions.
      let leaky = try StandardScaler().fit(try table.dropping(["y"]))
      let scaledTrain = try leaky.transform(try table.rows(at: fold.trainRows).dropping(["y"]))
      let ridge = try Ridge(alpha: 5).fit(
        try Dataset(features: try scaledTrain.matrix(), target: fold.trainRows.map { y[$0] }))
      let leakyPredictions = try ridge.predict(try leaky.transform(try test.dropping(["y"])).matrix())
      #expect(leakyPredictions != fold.predictions)
    }
  }

  @Test func parallelAndSequentialRunsAgree() throws {
    let table = try Self.table()
    let sequential = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: KFold(folds: 5, shuffleSeed: 3), scoring: [Self.mse],
      parallel: false)
    let parallel = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: KFold(folds: 5, shuffleSeed: 3), scoring: [Self.mse],
      parallel: true)
    #expect(sequential.folds.map(\.scores) == parallel.folds.map(\.scores))
    #expect(sequential.outOfFoldPredictions == parallel.outOfFoldPredictions)
  }

  @Test func summariesAndOutOfFoldPredictions() throws {
    let table = try Self.table()
    let result = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: KFold(folds: 4), scoring: [Self.mse])
    let scores = result.folds.compactMap { $0.scores["mse"] }
    let mean = scores.reduce(0, +) / 4
    let std = (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 3).squareRoot()
    #expect(result.mean["mse"] == mean)
    #expect(abs((result.standardDeviation["mse"] ?? 0) - std) <= 1e-15 * std)
    let outOfFold = try #require(result.outOfFoldPredictions)
    #expect(!outOfFold.contains { $0.isNaN })
    for fold in result.folds {
      for (row, prediction) in zip(fold.testRows, fold.predictions) { #expect(outOfFold[row] == prediction) }
    }
  }

  @Test func combinatorialSplitsHaveNoSingleOutOfFoldSeries() throws {
    let table = try Self.table()
    let intervals = try LabelIntervals(endRows: (0..<table.rowCount).map { min($0 + 2, table.rowCount - 1) })
    let data = try SplitData(rowCount: table.rowCount, labelIntervals: intervals)
    let result = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: CombinatorialPurgedKFold(groupCount: 5, testGroupCount: 2),
      splitData: data, scoring: [Self.mse])
    #expect(result.folds.count == 10)
    #expect(result.outOfFoldPredictions == nil)
  }

  @Test func theCallbackCanStopEarly() throws {
    let table = try Self.table()
    var seen: [Int] = []
    let result = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: KFold(folds: 6), scoring: [Self.mse], parallel: false
    ) { fold in
      seen.append(fold.index)
      return fold.index < 2
    }
    #expect(seen == [0, 1, 2])
    #expect(result.folds.count == 3)
    #expect(result.stoppedEarly)
  }

  @Test func errorsNameTheFold() throws {
    let table = try Self.table()
    let failing = Scoring(name: "boom", greaterIsBetter: true) { _ in
      throw TransformerError("metric failed")
    }
    let error = try #require(throws: CrossValidationError.self) {
      try crossValidate(Self.pipeline, table: table, target: "y", splitter: KFold(folds: 3), scoring: [failing])
    }
    #expect(error.fold == 0)
    #expect(throws: CrossValidationError.self) {
      try crossValidate(Self.pipeline, table: table, target: "y", splitter: KFold(folds: 3), scoring: [])
    }
    #expect(throws: PipelineError.self) {
      try crossValidate(Self.pipeline, table: table, target: "nope", splitter: KFold(folds: 3), scoring: [Self.mse])
    }
  }

  /// Metric values through `Metric.scoring`, checked against the metric functions on each
  /// fold's own predictions: RMSE for a regressor, AUC and log-loss for a classifier.
  @Test func metricsScoreFoldsThroughTheirScoring() throws {
    let table = try Self.table()
    let regression = try crossValidate(
      Self.pipeline, table: table, target: "y", splitter: KFold(folds: 3),
      scoring: [try Metric(parsing: "rmse").scoring])
    let target = try table.column(named: "y").doubleValues
    for fold in regression.folds {
      let y = fold.testRows.map { target[$0] }
      let expected = try RegressionMetrics.rootMeanSquaredError(yTrue: y, yPred: fold.predictions)
      #expect(fold.scores["rmse"] == expected)
    }
    let labels = try table.column(named: "y").doubleValues.map { $0 > 0 ? 1.0 : 0.0 }
    let classes = try table.dropping(["y"]).setting(.float("label", labels))
    let classification = try crossValidate(
      Pipeline([.standardScaler(.init())], LogisticRegression()), table: classes, target: "label",
      splitter: StratifiedKFold(folds: 3), scoring: [Metric.rocAUC.scoring, Metric.logLoss.scoring])
    for fold in classification.folds {
      let y = fold.testRows.map { labels[$0] }
      let p = try #require(fold.probabilities)
      let auc = try ClassificationMetrics.rocAUC(yTrue: y, scores: Array(p.column(1)))
      #expect(fold.scores["auc"] == auc)
      let logLoss = try ClassificationMetrics.logLoss(yTrue: y, probabilities: p, classes: [0, 1])
      #expect(fold.scores["logloss"] == logLoss)
    }
    let error = try #require(throws: CrossValidationError.self) {
      try crossValidate(
        Self.pipeline, table: table, target: "y", splitter: KFold(folds: 3), scoring: [Metric.rocAUC.scoring])
    }
    #expect(error.message.contains("probabilities"))
  }

  /// An MLP regressor has no probabilities (its classes are empty); an MLP classifier has.
  @Test func networksPlugIntoCrossValidation() throws {
    let table = try Self.table()
    var h = MLPHyperparameters()
    h.hiddenLayers = [8]
    h.epochs = 5
    let regression = try crossValidate(
      Pipeline([.standardScaler(.init())], MLPRegressor(h)), table: table, target: "y", splitter: KFold(folds: 3),
      scoring: [Metric.rootMeanSquaredError.scoring])
    #expect(regression.folds.allSatisfy { $0.probabilities == nil })
    let labels = try table.column(named: "y").doubleValues.map { $0 > 0 ? 1.0 : 0.0 }
    let classes = try table.dropping(["y"]).setting(.float("label", labels))
    let classification = try crossValidate(
      Pipeline([.standardScaler(.init())], MLPClassifier(h)), table: classes, target: "label",
      splitter: StratifiedKFold(folds: 3), scoring: [Metric.rocAUC.scoring])
    for fold in classification.folds {
      let p = try #require(fold.probabilities)
      let auc = try ClassificationMetrics.rocAUC(yTrue: fold.testRows.map { labels[$0] }, scores: Array(p.column(1)))
      #expect(fold.scores["auc"] == auc)
    }
  }
}
