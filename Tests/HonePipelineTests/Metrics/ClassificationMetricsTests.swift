import HoneLinearAlgebra
import HonePipeline
import Testing

/// Classification metrics against scikit-learn 1.9.1 (`Fixtures/make_metric_fixtures.py`).
///
/// Tolerance 1e-12 relative: each metric is a ratio of sums of at most a few hundred
/// positive terms, summed in a different order than NumPy (sequential vs pairwise), so
/// rounding differs by at most n·ε ≈ 5e-14. Every convention the fixtures pin down (ties
/// at half credit, clipping at ε, classes only predicted, support-weighted averages) changes
/// the value by far more than that.
@Suite("Classification metrics vs scikit-learn")
struct ClassificationMetricsTests {
  static let tolerance = 1e-12

  @Test(arguments: MetricFixtures.classificationCases, [false, true])
  func matchesScikitLearn(_ reference: MetricFixtures.ClassificationCase, weighted: Bool) throws {
    let expected = try #require(reference.results[weighted ? "weighted" : "unweighted"])
    let weights = weighted ? reference.weights : nil
    let yTrue = reference.y_true
    let yPred = reference.y_pred
    var computed: [String: Double] = [
      "accuracy": try ClassificationMetrics.accuracy(yTrue: yTrue, yPred: yPred, weights: weights),
      "balanced_accuracy": try ClassificationMetrics.balancedAccuracy(yTrue: yTrue, yPred: yPred, weights: weights),
    ]
    let averages: [ClassAveraging] =
      Set(yTrue + yPred).count <= 2 ? [.binary, .macro, .weighted] : [.macro, .weighted]
    for average in averages {
      computed["precision_\(average.rawValue)"] = try ClassificationMetrics.precision(
        yTrue: yTrue, yPred: yPred, average: average, weights: weights)
      computed["recall_\(average.rawValue)"] = try ClassificationMetrics.recall(
        yTrue: yTrue, yPred: yPred, average: average, weights: weights)
      computed["f1_\(average.rawValue)"] = try ClassificationMetrics.f1Score(
        yTrue: yTrue, yPred: yPred, average: average, weights: weights)
    }
    if let scores = reference.scores {
      computed["roc_auc"] = try ClassificationMetrics.rocAUC(yTrue: yTrue, scores: scores, weights: weights)
      computed["average_precision"] = try ClassificationMetrics.averagePrecision(
        yTrue: yTrue, scores: scores, weights: weights)
    }
    if let probabilities = reference.probabilities {
      computed["log_loss"] = try ClassificationMetrics.logLoss(
        yTrue: yTrue, probabilities: probabilities, weights: weights)
      computed["brier"] = try ClassificationMetrics.brierScore(
        yTrue: yTrue, probabilities: probabilities, weights: weights)
    }
    if let rows = reference.probability_matrix {
      let matrix = try Matrix(rows)
      let classes: [Double] = try #require(reference.classes)
      computed["log_loss_matrix"] = try ClassificationMetrics.logLoss(
        yTrue: yTrue, probabilities: matrix, classes: classes, weights: weights)
      computed["brier_matrix"] = try ClassificationMetrics.brierScore(
        yTrue: yTrue, probabilities: matrix, weights: weights)
    }
    // Every scalar in the fixture is checked, so a metric the script adds cannot go untested.
    let expectedScalars = expected.compactMapValues(\.scalar)
    #expect(Set(computed.keys) == Set(expectedScalars.keys))
    var worst = 0.0
    for (key, value) in expectedScalars {
      let mine = try #require(computed[key], "\(key) not computed")
      worst = max(worst, relativeDifference(mine, value))
      #expect(isClose(mine, value, tolerance: Self.tolerance), "\(reference.name) \(key): \(mine) vs \(value)")
    }
    reportAgreement("classification \(reference.name) weighted=\(weighted)", worst)

    guard case .table(let table) = try #require(expected["confusion_matrix"]) else {
      Issue.record("confusion_matrix is not a table")
      return
    }
    let matrix = try ClassificationMetrics.confusionMatrix(yTrue: yTrue, yPred: yPred, weights: weights)
    // Sums of the same weights (multiples of 1/4) in any order: exact.
    #expect(matrix.counts == table)
    #expect(matrix.labels == Set(yTrue + yPred).sorted())
  }

  /// The Mann–Whitney form of the AUC, `P(score⁺ > score⁻) + ½ P(score⁺ = score⁻)`, by
  /// brute force over all pairs: an independent check of the tie handling.
  @Test(arguments: [0, 1, 2])
  func rocAUCEqualsPairCounting(seed: UInt64) throws {
    var generator = SplitMixForTests(seed: seed)
    let n = 80
    let labels = (0..<n).map { _ in generator.next() % 3 == 0 ? 1 : 0 }
    let scores = (0..<n).map { _ in Double(generator.next() % 6) }  // heavy ties
    var pairs = 0.0
    var wins = 0.0
    for i in 0..<n where labels[i] == 1 {
      for j in 0..<n where labels[j] == 0 {
        pairs += 1
        wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
      }
    }
    let auc = try ClassificationMetrics.rocAUC(yTrue: labels, scores: scores)
    // Two exact rational computations with small integers: only the final division rounds.
    #expect(abs(auc - wins / pairs) < 1e-14)
  }

  /// A tiny case worked by hand. Scores 0.9(+), 0.8(−), 0.8(+), 0.1(−): thresholds 0.9,
  /// 0.8, 0.1 give (tp, fp) = (1, 0), (2, 1), (2, 2). AUC: the (+, −) pairs are
  /// (0.9, 0.8) win, (0.9, 0.1) win, (0.8, 0.8) tie, (0.8, 0.1) win → 3.5 / 4 = 0.875.
  /// AP: recall steps ½ at precision 1/1 and ½ at precision 2/3 → ½ + ⅓ = 5/6.
  @Test func handWorkedRankingMetrics() throws {
    let labels = ["spam", "ham", "spam", "ham"]
    let scores = [0.9, 0.8, 0.8, 0.1]
    #expect(abs(try ClassificationMetrics.rocAUC(yTrue: labels, scores: scores) - 0.875) < 1e-15)
    #expect(
      abs(try ClassificationMetrics.averagePrecision(yTrue: labels, scores: scores) - 5.0 / 6) < 1e-15)
    // "spam" > "ham", so "spam" is the default positive class; naming "ham" flips the AUC.
    #expect(abs(try ClassificationMetrics.rocAUC(yTrue: labels, scores: scores, positiveLabel: "ham") - 0.125) < 1e-15)
  }

  /// Log-loss of a binary problem equals the multiclass form on [1 − p, p].
  @Test func binaryAndMatrixLogLossAgree() throws {
    let labels = [0, 1, 1, 0, 1]
    let p = [0.2, 0.7, 0.99, 0.45, 0.5]
    let matrix = try Matrix(p.map { [1 - $0, $0] })
    let binary = try ClassificationMetrics.logLoss(yTrue: labels, probabilities: p)
    let multiclass = try ClassificationMetrics.logLoss(yTrue: labels, probabilities: matrix)
    // -log(1 − p) vs -log of the stored 1 − p: the same numbers, so equal to rounding.
    #expect(abs(binary - multiclass) < 1e-15)
  }

  @Test func badInputThrows() throws {
    #expect(throws: MetricError.self) { try ClassificationMetrics.accuracy(yTrue: [Int](), yPred: []) }
    let mismatch = #expect(throws: MetricError.self) {
      try ClassificationMetrics.accuracy(yTrue: [1, 0], yPred: [1])
    }
    #expect(mismatch?.kind == .lengthMismatch)
    let oneClass = #expect(throws: MetricError.self) {
      try ClassificationMetrics.rocAUC(yTrue: [1, 1, 1], scores: [0.1, 0.2, 0.3])
    }
    #expect(oneClass?.kind == .singleClass)
    // A positive label given explicitly still needs negatives for an AUC.
    #expect(throws: MetricError.self) {
      try ClassificationMetrics.rocAUC(yTrue: [1, 1], scores: [0.1, 0.2], positiveLabel: 1)
    }
    let nanScore = #expect(throws: MetricError.self) {
      try ClassificationMetrics.rocAUC(yTrue: [0, 1], scores: [0.1, .nan])
    }
    #expect(nanScore?.kind == .nonFiniteValue)
    let outside = #expect(throws: MetricError.self) {
      try ClassificationMetrics.logLoss(yTrue: [0, 1], probabilities: [0.2, 1.2])
    }
    #expect(outside?.kind == .invalidProbability)
    let rowSum = #expect(throws: MetricError.self) {
      try ClassificationMetrics.logLoss(yTrue: [0, 1], probabilities: Matrix([[0.5, 0.4], [0.1, 0.9]]))
    }
    #expect(rowSum?.kind == .invalidProbability)
    // Within sklearn's tolerance (1e-8 + √ε) a row sum is accepted.
    _ = try ClassificationMetrics.logLoss(yTrue: [0, 1], probabilities: Matrix([[0.5, 0.5 + 1e-9], [0.1, 0.9]]))
    let columns = #expect(throws: MetricError.self) {
      try ClassificationMetrics.logLoss(yTrue: [0, 1, 2], probabilities: Matrix([[0.5, 0.5], [0.1, 0.9], [1, 0]]))
    }
    #expect(columns?.kind == .invalidParameter)
    let negativeWeight = #expect(throws: MetricError.self) {
      try ClassificationMetrics.accuracy(yTrue: [0, 1], yPred: [0, 1], weights: [1, -1])
    }
    #expect(negativeWeight?.kind == .invalidParameter)
    #expect(throws: MetricError.self) {
      try ClassificationMetrics.accuracy(yTrue: [0, 1], yPred: [0, 1], weights: [0, 0])
    }
    let binaryOfThree = #expect(throws: MetricError.self) {
      try ClassificationMetrics.precision(yTrue: [0, 1, 2], yPred: [0, 1, 2])
    }
    #expect(binaryOfThree?.kind == .invalidParameter)
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014), local so the tests depend on no RNG API.
struct SplitMixForTests {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
