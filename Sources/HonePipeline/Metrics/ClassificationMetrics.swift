import Foundation
import HoneLinearAlgebra

/// How per-class precision, recall and F1 are combined into one number, as scikit-learn's
/// `average` argument.
public enum ClassAveraging: String, Sendable, Hashable, Codable, CaseIterable {
  /// The score of the positive class only (two labels at most).
  case binary
  /// The unweighted mean of the per-class scores over every label seen in `yTrue` or
  /// `yPred`.
  case macro
  /// The mean of the per-class scores weighted by each class's (weighted) support in
  /// `yTrue`.
  case weighted
}

/// Classification metrics that match scikit-learn 1.9: label metrics (accuracy, precision,
/// recall, F1, confusion matrix), ranking metrics (ROC AUC, average precision) and
/// probabilistic losses (log-loss, Brier score).
///
/// Labels are any `Hashable & Comparable` type; where scikit-learn infers a positive class
/// it is the greater of the two labels (1 for {0, 1} and {-1, 1}), and class columns of
/// probability matrices are in ascending label order, as `LabelBinarizer` orders them.
/// Every function takes optional non-negative sample weights.
public enum ClassificationMetrics {
  /// The (weighted) fraction of rows whose prediction equals the truth.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - yPred: Predicted labels, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1].
  /// - Throws: ``MetricError`` for empty or misaligned inputs or invalid weights.
  /// - Complexity: O(n).
  public static func accuracy<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], weights: [Double]? = nil
  ) throws -> Double {
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: "accuracy")
    let correct = zip(yTrue, yPred).map { $0 == $1 ? 1.0 : 0.0 }
    return MetricValidation.average(correct, weights: weights)
  }

  /// The confusion matrix of predicted against true labels.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - yPred: Predicted labels, aligned with `yTrue`.
  ///   - labels: The labels to index the matrix by, in that order; `nil` uses every label
  ///     in `yTrue` or `yPred`, ascending. Rows whose true or predicted label is not listed
  ///     are left out, as in scikit-learn.
  ///   - weights: Optional non-negative sample weights; the counts are then weight sums.
  /// - Returns: The matrix with its labels.
  /// - Throws: ``MetricError`` for empty or misaligned inputs, invalid weights, or an empty
  ///   or repeated `labels` list.
  /// - Complexity: O(n + k²) for k labels.
  public static func confusionMatrix<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], labels: [Label]? = nil, weights: [Double]? = nil
  ) throws -> ConfusionMatrix<Label> {
    let metric = "confusionMatrix"
    try validate(yTrue: yTrue, yPred: yPred, weights: weights, metric: metric)
    let classes = labels ?? Array(Set(yTrue).union(yPred)).sorted()
    guard !classes.isEmpty else {
      throw MetricError(.invalidParameter, "\(metric): labels is empty; pass at least one label or nil.")
    }
    var index: [Label: Int] = [:]
    for (position, label) in classes.enumerated() {
      guard index.updateValue(position, forKey: label) == nil else {
        throw MetricError(.invalidParameter, "\(metric): label \(label) appears twice in labels; list each once.")
      }
    }
    var counts = Array(repeating: Array(repeating: 0.0, count: classes.count), count: classes.count)
    for i in yTrue.indices {
      guard let row = index[yTrue[i]], let column = index[yPred[i]] else { continue }
      counts[row][column] += weights?[i] ?? 1
    }
    return ConfusionMatrix(labels: classes, counts: counts)
  }

  /// The mean of per-class recall over the classes present in `yTrue` (scikit-learn's
  /// `balanced_accuracy_score` with `adjusted=False`): accuracy that does not reward
  /// predicting the majority class.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - yPred: Predicted labels, aligned with `yTrue`.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1].
  /// - Throws: ``MetricError`` for empty or misaligned inputs or invalid weights.
  /// - Complexity: O(n + k²).
  public static func balancedAccuracy<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], weights: [Double]? = nil
  ) throws -> Double {
    let matrix = try confusionMatrix(yTrue: yTrue, yPred: yPred, weights: weights)
    let support = matrix.trueTotals
    // A class that is only predicted has no recall; sklearn drops it (with a warning).
    let recalls = matrix.labels.indices.compactMap { support[$0] > 0 ? matrix.counts[$0][$0] / support[$0] : nil }
    return recalls.reduce(0, +) / Double(recalls.count)
  }

  /// Precision, `tp / (tp + fp)`, of the positive class or averaged over classes.
  ///
  /// A class never predicted has precision 0, as scikit-learn's default
  /// `zero_division="warn"`.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - yPred: Predicted labels, aligned with `yTrue`.
  ///   - average: How classes are combined; ``ClassAveraging/binary`` by default.
  ///   - positiveLabel: The positive class for ``ClassAveraging/binary``; `nil` means the
  ///     greater label. Ignored by the other averages.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1].
  /// - Throws: ``MetricError`` for empty or misaligned inputs, invalid weights, or a binary
  ///   average over more than two labels.
  /// - Complexity: O(n + k²).
  public static func precision<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], average: ClassAveraging = .binary, positiveLabel: Label? = nil,
    weights: [Double]? = nil
  ) throws -> Double {
    try classScore(
      yTrue: yTrue, yPred: yPred, average: average, positiveLabel: positiveLabel, weights: weights,
      metric: "precision"
    ) { truePositive, _, predicted in predicted > 0 ? truePositive / predicted : 0 }
  }

  /// Recall, `tp / (tp + fn)`, of the positive class or averaged over classes.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - yPred: Predicted labels, aligned with `yTrue`.
  ///   - average: How classes are combined; ``ClassAveraging/binary`` by default.
  ///   - positiveLabel: The positive class for ``ClassAveraging/binary``; `nil` means the
  ///     greater label.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1].
  /// - Throws: ``MetricError`` as ``precision(yTrue:yPred:average:positiveLabel:weights:)``.
  /// - Complexity: O(n + k²).
  public static func recall<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], average: ClassAveraging = .binary, positiveLabel: Label? = nil,
    weights: [Double]? = nil
  ) throws -> Double {
    try classScore(
      yTrue: yTrue, yPred: yPred, average: average, positiveLabel: positiveLabel, weights: weights,
      metric: "recall"
    ) { truePositive, support, _ in support > 0 ? truePositive / support : 0 }
  }

  /// F1, the harmonic mean of precision and recall, computed per class as
  /// `2 tp / (2 tp + fp + fn)` (scikit-learn's form, defined as 0 when the class is neither
  /// present nor predicted), then combined.
  ///
  /// The macro average is the mean of per-class F1, not F1 of the mean precision and recall.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - yPred: Predicted labels, aligned with `yTrue`.
  ///   - average: How classes are combined; ``ClassAveraging/binary`` by default.
  ///   - positiveLabel: The positive class for ``ClassAveraging/binary``; `nil` means the
  ///     greater label.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1].
  /// - Throws: ``MetricError`` as ``precision(yTrue:yPred:average:positiveLabel:weights:)``.
  /// - Complexity: O(n + k²).
  public static func f1Score<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], average: ClassAveraging = .binary, positiveLabel: Label? = nil,
    weights: [Double]? = nil
  ) throws -> Double {
    try classScore(
      yTrue: yTrue, yPred: yPred, average: average, positiveLabel: positiveLabel, weights: weights,
      metric: "f1Score"
    ) { truePositive, support, predicted in
      support + predicted > 0 ? 2 * truePositive / (support + predicted) : 0
    }
  }

  /// The area under the ROC curve for a binary problem, as scikit-learn's `roc_auc_score`.
  ///
  /// Rows are sorted by score and the curve has one point per distinct score, so tied
  /// scores form one diagonal segment: a tie between a positive and a negative counts one
  /// half, the Mann–Whitney convention. Rows with zero weight are dropped first.
  ///
  /// - Parameters:
  ///   - yTrue: True labels, exactly two distinct values unless `positiveLabel` is given.
  ///   - scores: Scores or probabilities; higher means more likely positive.
  ///   - positiveLabel: The positive class; `nil` means the greater of the two labels.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The AUC in [0, 1].
  /// - Throws: ``MetricError`` for empty, misaligned or non-finite inputs, invalid weights,
  ///   or a `yTrue` with only one class (AUC is undefined).
  /// - Complexity: O(n log n).
  public static func rocAUC<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], scores: [Double], positiveLabel: Label? = nil, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "rocAUC"
    let curve = try binaryCurve(
      yTrue: yTrue, scores: scores, positiveLabel: positiveLabel, weights: weights, metric: metric)
    guard let last = curve.last, last.truePositives > 0, last.falsePositives > 0 else {
      throw MetricError(
        .singleClass,
        "\(metric): yTrue (with positive weight) holds only one class; ROC AUC needs both positives and negatives.")
    }
    // Trapezoids between consecutive distinct thresholds, in count units, normalised once.
    var area = 0.0
    var previous = (truePositives: 0.0, falsePositives: 0.0)
    for point in curve {
      area += (point.falsePositives - previous.falsePositives) * (point.truePositives + previous.truePositives) / 2
      previous = point
    }
    return area / (last.truePositives * last.falsePositives)
  }

  /// Average precision, the step-wise area under the precision–recall curve,
  /// `Σₙ (Rₙ − Rₙ₋₁) Pₙ` over distinct score thresholds, as scikit-learn's
  /// `average_precision_score` (no interpolation).
  ///
  /// - Parameters:
  ///   - yTrue: True labels, exactly two distinct values unless `positiveLabel` is given.
  ///   - scores: Scores or probabilities; higher means more likely positive.
  ///   - positiveLabel: The positive class; `nil` means the greater of the two labels.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1].
  /// - Throws: ``MetricError`` for empty, misaligned or non-finite inputs, invalid weights,
  ///   or no positive rows (recall is undefined).
  /// - Complexity: O(n log n).
  public static func averagePrecision<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], scores: [Double], positiveLabel: Label? = nil, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "averagePrecision"
    let curve = try binaryCurve(
      yTrue: yTrue, scores: scores, positiveLabel: positiveLabel, weights: weights, metric: metric)
    guard let positives = curve.last?.truePositives, positives > 0 else {
      throw MetricError(
        .singleClass, "\(metric): yTrue has no positive rows with positive weight; recall is undefined.")
    }
    var sum = 0.0
    var previousRecall = 0.0
    for point in curve {
      let recall = point.truePositives / positives
      let predicted = point.truePositives + point.falsePositives
      let precision = predicted > 0 ? point.truePositives / predicted : 0
      sum += (recall - previousRecall) * precision
      previousRecall = recall
    }
    return max(0, sum)
  }

  /// Binary log-loss (cross-entropy) from probabilities of the positive class.
  ///
  /// Probabilities are clipped to [ε, 1 − ε] with ε the Double machine epsilon, as
  /// scikit-learn 1.9 does, so a confident wrong answer costs about 36, not infinity.
  ///
  /// - Parameters:
  ///   - yTrue: True labels, exactly two distinct values unless `positiveLabel` is given.
  ///   - probabilities: The predicted probability of the positive class for each row.
  ///   - positiveLabel: The positive class; `nil` means the greater of the two labels.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The mean negative log-likelihood (natural log); lower is better.
  /// - Throws: ``MetricError`` for empty or misaligned inputs, invalid weights,
  ///   probabilities outside [0, 1], or one class with no `positiveLabel`.
  /// - Complexity: O(n).
  public static func logLoss<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], probabilities: [Double], positiveLabel: Label? = nil, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "logLoss"
    let isPositive = try binaryTargets(
      yTrue: yTrue, predictionCount: probabilities.count, positiveLabel: positiveLabel, weights: weights,
      metric: metric)
    try MetricValidation.requireProbabilities(probabilities, "probabilities", metric: metric)
    let losses = probabilities.indices.map { i in
      let p = clipped(isPositive[i] ? probabilities[i] : 1 - probabilities[i])
      return -log(p)
    }
    return MetricValidation.average(losses, weights: weights)
  }

  /// Multiclass log-loss from an n × k matrix of class probabilities.
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - probabilities: One row per sample, one column per class; rows must sum to 1.
  ///   - classes: The class of each column; `nil` means the distinct labels of `yTrue` in
  ///     ascending order, which must then number exactly k.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The mean of `−log p(true class)` with p clipped to [ε, 1 − ε].
  /// - Throws: ``MetricError`` for empty or misaligned inputs, invalid weights, rows outside
  ///   [0, 1] or not summing to 1, a class count that does not match the columns, or a true
  ///   label that is not among `classes`.
  /// - Complexity: O(n k).
  public static func logLoss<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], probabilities: Matrix, classes: [Label]? = nil, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "logLoss"
    let columns = try classColumns(
      yTrue: yTrue, probabilities: probabilities, classes: classes, weights: weights, metric: metric)
    let losses = yTrue.indices.map { -log(clipped(probabilities[$0, columns[$0]])) }
    return MetricValidation.average(losses, weights: weights)
  }

  /// The binary Brier score, the mean squared difference between the probability of the
  /// positive class and the 0/1 outcome (scikit-learn's `brier_score_loss`).
  ///
  /// - Parameters:
  ///   - yTrue: True labels, exactly two distinct values unless `positiveLabel` is given.
  ///   - probabilities: The predicted probability of the positive class for each row.
  ///   - positiveLabel: The positive class; `nil` means the greater of the two labels.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: A value in [0, 1]; lower is better.
  /// - Throws: ``MetricError`` as ``logLoss(yTrue:probabilities:positiveLabel:weights:)``.
  /// - Complexity: O(n).
  public static func brierScore<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], probabilities: [Double], positiveLabel: Label? = nil, weights: [Double]? = nil
  ) throws -> Double {
    let metric = "brierScore"
    let isPositive = try binaryTargets(
      yTrue: yTrue, predictionCount: probabilities.count, positiveLabel: positiveLabel, weights: weights,
      metric: metric)
    try MetricValidation.requireProbabilities(probabilities, "probabilities", metric: metric)
    let squares = probabilities.indices.map { i in
      let difference = (isPositive[i] ? 1.0 : 0.0) - probabilities[i]
      return difference * difference
    }
    return MetricValidation.average(squares, weights: weights)
  }

  /// The multiclass Brier score, `mean over rows of Σ_c (y_ic − p_ic)²`, as scikit-learn's
  /// `brier_score_loss` with a 2-D `y_proba` and `scale_by_half="auto"`: with two columns the
  /// sum is halved so it equals the binary score; with three or more it is not, so it ranges
  /// over [0, 2].
  ///
  /// - Parameters:
  ///   - yTrue: True labels.
  ///   - probabilities: One row per sample, one column per class; rows must sum to 1.
  ///   - classes: The class of each column; `nil` means the distinct labels of `yTrue`,
  ///     ascending.
  ///   - weights: Optional non-negative sample weights.
  /// - Returns: The score; lower is better.
  /// - Throws: ``MetricError`` as ``logLoss(yTrue:probabilities:classes:weights:)``.
  /// - Complexity: O(n k).
  public static func brierScore<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], probabilities: Matrix, classes: [Label]? = nil, weights: [Double]? = nil
  ) throws -> Double {
    let columns = try classColumns(
      yTrue: yTrue, probabilities: probabilities, classes: classes, weights: weights, metric: "brierScore")
    let squares = yTrue.indices.map { i in
      var sum = 0.0
      for column in 0..<probabilities.columns {
        let difference = (column == columns[i] ? 1.0 : 0.0) - probabilities[i, column]
        sum += difference * difference
      }
      return sum
    }
    let score = MetricValidation.average(squares, weights: weights)
    return probabilities.columns < 3 ? score / 2 : score
  }

  // MARK: - Helpers

  private static func validate<Label>(yTrue: [Label], yPred: [Label], weights: [Double]?, metric: String) throws {
    try MetricValidation.requireNonEmpty(yTrue.count, "yTrue", metric: metric)
    try MetricValidation.requireSameLength("yTrue", yTrue.count, "yPred", yPred.count, metric: metric)
    try MetricValidation.requireValidWeights(weights, count: yTrue.count, metric: metric)
  }

  /// sklearn 1.9 clips probabilities to [eps, 1 − eps] before the logarithm.
  private static func clipped(_ p: Double) -> Double {
    min(max(p, Double.ulpOfOne), 1 - Double.ulpOfOne)
  }

  /// Per-class scores from the confusion matrix, combined as `average` asks.
  private static func classScore<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], yPred: [Label], average: ClassAveraging, positiveLabel: Label?, weights: [Double]?,
    metric: String, score: (_ truePositive: Double, _ support: Double, _ predicted: Double) -> Double
  ) throws -> Double {
    let matrix = try confusionMatrix(yTrue: yTrue, yPred: yPred, weights: weights)
    let support = matrix.trueTotals
    let predicted = matrix.predictedTotals
    let perClass = matrix.labels.indices.map { score(matrix.counts[$0][$0], support[$0], predicted[$0]) }
    switch average {
    case .binary:
      guard matrix.labels.count <= 2 else {
        throw MetricError(
          .invalidParameter,
          "\(metric): average binary needs at most two labels but yTrue and yPred hold \(matrix.labels.count) "
            + "(\(matrix.labels)); use average macro or weighted.")
      }
      let positive = positiveLabel ?? matrix.labels[matrix.labels.count - 1]
      guard let index = matrix.labels.firstIndex(of: positive) else {
        // sklearn scores a positive class that never occurs as 0 (all of tp, fp, fn are 0).
        if matrix.labels.count == 2 {
          throw MetricError(
            .invalidParameter,
            "\(metric): positiveLabel \(positive) is not one of the labels \(matrix.labels); pass one of them.")
        }
        return 0
      }
      return perClass[index]
    case .macro:
      return perClass.reduce(0, +) / Double(perClass.count)
    case .weighted:
      let total = support.reduce(0, +)
      return zip(perClass, support).reduce(0) { $0 + $1.0 * $1.1 } / total
    }
  }

  /// Validates a binary problem and returns whether each row is positive.
  private static func binaryTargets<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], predictionCount: Int, positiveLabel: Label?, weights: [Double]?, metric: String
  ) throws -> [Bool] {
    try MetricValidation.requireNonEmpty(yTrue.count, "yTrue", metric: metric)
    try MetricValidation.requireSameLength("yTrue", yTrue.count, "predictions", predictionCount, metric: metric)
    try MetricValidation.requireValidWeights(weights, count: yTrue.count, metric: metric)
    let labels = Set(yTrue).sorted()
    guard labels.count <= 2 else {
      throw MetricError(
        .invalidParameter,
        "\(metric): yTrue holds \(labels.count) classes (\(labels.prefix(5))...); this form is binary — pass a "
          + "probability matrix for multiclass problems.")
    }
    let positive: Label
    if let positiveLabel {
      positive = positiveLabel
    } else {
      guard labels.count == 2 else {
        throw MetricError(
          .singleClass,
          "\(metric): yTrue holds the single class \(labels[0]); pass positiveLabel to say which class "
            + "the predictions refer to.")
      }
      positive = labels[1]
    }
    return yTrue.map { $0 == positive }
  }

  /// One point of a binary ranking curve: the (weighted) positives and negatives scored at
  /// or above a distinct threshold, thresholds descending (sklearn's `_binary_clf_curve`).
  private typealias CurvePoint = (truePositives: Double, falsePositives: Double)

  private static func binaryCurve<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], scores: [Double], positiveLabel: Label?, weights: [Double]?, metric: String
  ) throws -> [CurvePoint] {
    let isPositive = try binaryTargets(
      yTrue: yTrue, predictionCount: scores.count, positiveLabel: positiveLabel, weights: weights, metric: metric)
    try MetricValidation.requireFinite(scores, "scores", metric: metric)
    // Zero-weight rows are dropped (sklearn 1.9 does too), so they create no threshold.
    let order = scores.indices.filter { (weights?[$0] ?? 1) > 0 }.sorted { scores[$0] > scores[$1] }
    var curve: [CurvePoint] = []
    var truePositives = 0.0
    var falsePositives = 0.0
    for (position, row) in order.enumerated() {
      let weight = weights?[row] ?? 1
      if isPositive[row] { truePositives += weight } else { falsePositives += weight }
      let isLastOfThreshold = position == order.count - 1 || scores[order[position + 1]] != scores[row]
      if isLastOfThreshold { curve.append((truePositives, falsePositives)) }
    }
    return curve
  }

  /// Validates a probability matrix against `yTrue` and returns each row's true column.
  private static func classColumns<Label: Hashable & Comparable & Sendable>(
    yTrue: [Label], probabilities: Matrix, classes: [Label]?, weights: [Double]?, metric: String
  ) throws -> [Int] {
    try MetricValidation.requireNonEmpty(yTrue.count, "yTrue", metric: metric)
    try MetricValidation.requireSameLength("yTrue", yTrue.count, "probabilities", probabilities.rows, metric: metric)
    try MetricValidation.requireValidWeights(weights, count: yTrue.count, metric: metric)
    let columnClasses = classes ?? Set(yTrue).sorted()
    guard columnClasses.count >= 2 else {
      throw MetricError(
        .singleClass,
        "\(metric): only one class (\(columnClasses.first.map { "\($0)" } ?? "none")) is known; pass classes "
          + "listing every column's class.")
    }
    guard columnClasses.count == probabilities.columns else {
      throw MetricError(
        .invalidParameter,
        "\(metric): probabilities has \(probabilities.columns) columns but there are \(columnClasses.count) "
          + "classes (\(columnClasses.prefix(10))); pass classes naming each column.")
    }
    var index: [Label: Int] = [:]
    for (column, label) in columnClasses.enumerated() {
      guard index.updateValue(column, forKey: label) == nil else {
        throw MetricError(.invalidParameter, "\(metric): class \(label) appears twice in classes; list each once.")
      }
    }
    try MetricValidation.requireProbabilityRows(probabilities, "probabilities", metric: metric)
    return try yTrue.enumerated().map { row, label in
      guard let column = index[label] else {
        throw MetricError(
          .invalidParameter,
          "\(metric): yTrue[\(row)] is \(label), which is not among classes \(columnClasses.prefix(10)); "
            + "add it to classes.")
      }
      return column
    }
  }
}
