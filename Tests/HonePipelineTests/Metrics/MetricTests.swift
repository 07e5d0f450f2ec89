import Foundation
import HoneLinearAlgebra
import HonePipeline
import Testing

/// The `Metric` entry point: names parse and round-trip, directions are right, and
/// scoring through it gives exactly what the metric functions give.
@Suite("Metric by name")
struct MetricTests {
  static let allMetrics: [Metric] = [
    .accuracy, .balancedAccuracy, .precision(.binary), .precision(.macro), .precision(.weighted), .recall(.binary),
    .recall(.macro), .recall(.weighted), .f1(.binary), .f1(.macro), .f1(.weighted), .rocAUC, .averagePrecision,
    .logLoss, .brierScore, .meanSquaredError, .rootMeanSquaredError, .meanAbsoluteError, .r2,
    .meanAbsolutePercentageError, .pinballLoss(alpha: 0.5), .pearsonIC, .spearmanIC,
  ]

  @Test(arguments: allMetrics)
  func nameRoundTrips(_ metric: Metric) throws {
    #expect(try Metric(parsing: metric.name) == metric)
    let data = try JSONEncoder().encode([metric])
    #expect(try JSONDecoder().decode([Metric].self, from: data) == [metric])
  }

  @Test func everyValidNameParses() throws {
    #expect(Set(try Metric.validNames.map { try Metric(parsing: $0) }) == Set(Self.allMetrics))
  }

  @Test func aliasesAndSpelling() throws {
    #expect(try Metric(parsing: "RMSE") == .rootMeanSquaredError)
    #expect(try Metric(parsing: " roc-auc ") == .rocAUC)
    #expect(try Metric(parsing: "log_loss") == .logLoss)
    #expect(try Metric(parsing: "logloss") == .logLoss)
    #expect(try Metric(parsing: "pinball:0.9") == .pinballLoss(alpha: 0.9))
    #expect(Metric.pinballLoss(alpha: 0.9).name == "pinball:0.9")
    #expect(try Metric(parsing: "F1-Macro") == .f1(.macro))
  }

  @Test func directions() throws {
    for name in ["accuracy", "auc", "r2", "rank_ic", "f1_weighted", "average_precision"] {
      #expect(try Metric(parsing: name).greaterIsBetter, "\(name)")
    }
    for name in ["logloss", "brier", "mse", "rmse", "mae", "mape", "pinball"] {
      #expect(try !Metric(parsing: name).greaterIsBetter, "\(name)")
    }
  }

  @Test func unknownNameListsValidNames() {
    let error = #expect(throws: MetricError.self) { try Metric(parsing: "rmsle") }
    #expect(error?.kind == .unknownMetric)
    #expect(error?.message.contains("rmsle") == true)
    #expect(error?.message.contains("rmse, mae") == true)
    let level = #expect(throws: MetricError.self) { try Metric(parsing: "pinball:2") }
    #expect(level?.kind == .invalidParameter)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([Metric].self, from: Data(#"["nope"]"#.utf8)) }
  }

  /// Scoring through `Metric` is a dispatch, so it must equal the direct call bit for bit.
  @Test func scoreDispatchesToTheMetricFunctions() throws {
    let fixtures = try MetricFixtures.load()
    let binary = try #require(fixtures.classification.first { $0.name == "binary01" })
    let (y, w) = (binary.y_true, binary.weights)
    let scores = try #require(binary.scores)
    let p = try #require(binary.probabilities)
    let matrix = try Matrix(try #require(binary.probability_matrix))
    #expect(
      try Metric.accuracy.score(yTrue: y, prediction: .values(binary.y_pred), weights: w)
        == ClassificationMetrics.accuracy(yTrue: y, yPred: binary.y_pred, weights: w))
    #expect(
      try Metric.f1(.macro).score(yTrue: y, prediction: .values(binary.y_pred))
        == ClassificationMetrics.f1Score(yTrue: y, yPred: binary.y_pred, average: .macro))
    #expect(
      try Metric.rocAUC.score(yTrue: y, prediction: .values(scores), weights: w)
        == ClassificationMetrics.rocAUC(yTrue: y, scores: scores, weights: w))
    // A two-column matrix scores with the positive (greater) class's column.
    #expect(
      try Metric.rocAUC.score(yTrue: y, prediction: .probabilities(matrix, classes: [0, 1]))
        == ClassificationMetrics.rocAUC(yTrue: y, scores: Array(matrix.column(1))))
    #expect(
      try Metric.logLoss.score(yTrue: y, prediction: .values(p), weights: w)
        == ClassificationMetrics.logLoss(yTrue: y, probabilities: p, weights: w))
    #expect(
      try Metric.brierScore.score(yTrue: y, prediction: .probabilities(matrix, classes: [0, 1]))
        == ClassificationMetrics.brierScore(yTrue: y, probabilities: matrix))
    // Labels from probabilities are the arg-max class, sklearn's `predict`.
    let argmax = (0..<matrix.rows).map { matrix[$0, 1] > matrix[$0, 0] ? 1.0 : 0.0 }
    #expect(
      try Metric.accuracy.score(yTrue: y, prediction: .probabilities(matrix, classes: [0, 1]))
        == ClassificationMetrics.accuracy(yTrue: y, yPred: argmax))

    let regression = fixtures.regression[0]
    let expected = try #require(regression.results["weighted"]?["rmse"])
    let rmse = try Metric(parsing: "rmse").score(
      yTrue: regression.y_true, prediction: .values(regression.y_pred), weights: regression.weights)
    // Same tolerance and reason as RegressionMetricsTests.
    #expect(isClose(rmse, expected, tolerance: 1e-12))
    let signal = fixtures.signal
    #expect(
      try Metric.spearmanIC.score(yTrue: signal.returns, prediction: .values(signal.signal))
        == SignalMetrics.spearmanIC(signal: signal.signal, returns: signal.returns))
  }

  @Test func mismatchedPredictionKindsThrow() throws {
    let three = try Matrix([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]])
    let multiclassAUC = #expect(throws: MetricError.self) {
      try Metric.rocAUC.score(yTrue: [0, 2], prediction: .probabilities(three, classes: [0, 1, 2]))
    }
    #expect(multiclassAUC?.kind == .unsupportedPrediction)
    let regression = #expect(throws: MetricError.self) {
      try Metric.meanSquaredError.score(yTrue: [0, 2], prediction: .probabilities(three, classes: [0, 1, 2]))
    }
    #expect(regression?.kind == .unsupportedPrediction)
    let weightedIC = #expect(throws: MetricError.self) {
      try Metric.pearsonIC.score(yTrue: [1, 2, 3], prediction: .values([1, 2, 4]), weights: [1, 1, 1])
    }
    #expect(weightedIC?.kind == .invalidParameter)
    let classCount = #expect(throws: MetricError.self) {
      try Metric.accuracy.score(yTrue: [0, 2], prediction: .probabilities(three, classes: [0, 1]))
    }
    #expect(classCount?.kind == .invalidParameter)
    let nanLabel = #expect(throws: MetricError.self) {
      try Metric.accuracy.score(yTrue: [0, .nan], prediction: .values([0, 1]))
    }
    #expect(nanLabel?.kind == .nonFiniteValue)
  }
}
