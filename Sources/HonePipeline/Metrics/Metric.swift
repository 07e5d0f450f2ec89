import Foundation
import HoneLinearAlgebra

/// What a model predicted, as a ``Metric`` consumes it.
public enum MetricPrediction: Sendable, Equatable {
  /// One number per row: a class label, a regression value, a score, a signal, or the
  /// probability of the positive class, depending on the metric.
  case values([Double])
  /// An n × k matrix of class probabilities and the class of each column.
  case probabilities(Matrix, classes: [Double])
}

/// A scalar metric, named so that cross-validation and tuning can take a list of metrics
/// by name (`try Metric(parsing: "rmse")`) and know which direction is better.
///
/// Every metric is scored through ``score(yTrue:prediction:weights:)`` with labels and
/// targets as `Double`, the way a `Dataset` holds them. Label metrics accept predicted
/// labels or probabilities (the arg-max class is taken); ranking metrics accept scores or a
/// two-column probability matrix (the column of the greater class is the score);
/// probabilistic losses accept positive-class probabilities or a probability matrix.
public enum Metric: Sendable, Hashable, Codable, CustomStringConvertible {
  /// ``ClassificationMetrics/accuracy(yTrue:yPred:weights:)``; name `accuracy`.
  case accuracy
  /// ``ClassificationMetrics/balancedAccuracy(yTrue:yPred:weights:)``; name
  /// `balanced_accuracy`.
  case balancedAccuracy
  /// Precision with an averaging; names `precision`, `precision_macro`,
  /// `precision_weighted`.
  case precision(ClassAveraging)
  /// Recall with an averaging; names `recall`, `recall_macro`, `recall_weighted`.
  case recall(ClassAveraging)
  /// F1 with an averaging; names `f1`, `f1_macro`, `f1_weighted`.
  case f1(ClassAveraging)
  /// Binary ROC AUC; name `auc` (also `roc_auc`).
  case rocAUC
  /// Average precision (PR AUC); name `average_precision` (also `pr_auc`, `ap`).
  case averagePrecision
  /// Log-loss; name `logloss` (also `log_loss`, `cross_entropy`).
  case logLoss
  /// Brier score; name `brier` (also `brier_score`).
  case brierScore
  /// Mean squared error; name `mse`.
  case meanSquaredError
  /// Root mean squared error; name `rmse`.
  case rootMeanSquaredError
  /// Mean absolute error; name `mae`.
  case meanAbsoluteError
  /// Coefficient of determination; name `r2`.
  case r2
  /// Mean absolute percentage error (a fraction); name `mape`.
  case meanAbsolutePercentageError
  /// Mean pinball loss at a quantile level; name `pinball` (alpha 0.5) or `pinball:0.9`.
  case pinballLoss(alpha: Double)
  /// Pearson information coefficient of the prediction with `yTrue` (returns); name `ic`
  /// (also `pearson_ic`).
  case pearsonIC
  /// Spearman (rank) information coefficient; name `rank_ic` (also `spearman_ic`).
  case spearmanIC

  /// The canonical names, one per metric (pinball shown at its default level; any
  /// `pinball:<alpha>` also parses).
  public static let validNames: [String] = [
    "accuracy", "balanced_accuracy", "precision", "precision_macro", "precision_weighted", "recall",
    "recall_macro", "recall_weighted", "f1", "f1_macro", "f1_weighted", "auc", "average_precision", "logloss",
    "brier", "mse", "rmse", "mae", "r2", "mape", "pinball", "ic", "rank_ic",
  ]

  private static let aliases: [String: Metric] = [
    "accuracy": .accuracy, "acc": .accuracy, "balanced_accuracy": .balancedAccuracy,
    "precision": .precision(.binary), "precision_macro": .precision(.macro),
    "precision_weighted": .precision(.weighted), "recall": .recall(.binary), "recall_macro": .recall(.macro),
    "recall_weighted": .recall(.weighted), "f1": .f1(.binary), "f1_macro": .f1(.macro),
    "f1_weighted": .f1(.weighted), "auc": .rocAUC, "roc_auc": .rocAUC, "average_precision": .averagePrecision,
    "pr_auc": .averagePrecision, "ap": .averagePrecision, "logloss": .logLoss, "log_loss": .logLoss,
    "cross_entropy": .logLoss, "brier": .brierScore, "brier_score": .brierScore, "mse": .meanSquaredError,
    "rmse": .rootMeanSquaredError, "mae": .meanAbsoluteError, "r2": .r2, "mape": .meanAbsolutePercentageError,
    "pinball": .pinballLoss(alpha: 0.5), "ic": .pearsonIC, "pearson_ic": .pearsonIC, "rank_ic": .spearmanIC,
    "spearman_ic": .spearmanIC,
  ]

  /// Parses a metric name: case-insensitive, `-` read as `_`, aliases accepted
  /// (`"RMSE"`, `"roc-auc"`, `"log_loss"`, `"pinball:0.9"`).
  ///
  /// - Parameter name: The metric's name.
  /// - Throws: ``MetricError`` of kind ``MetricError/Kind/unknownMetric`` listing the valid
  ///   names, or ``MetricError/Kind/invalidParameter`` for a pinball level outside [0, 1].
  public init(parsing name: String) throws {
    let key = name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
    if let metric = Self.aliases[key] {
      self = metric
      return
    }
    if key.hasPrefix("pinball:"), let alpha = Double(key.dropFirst("pinball:".count)) {
      guard alpha >= 0 && alpha <= 1 else {
        throw MetricError(.invalidParameter, "Metric: pinball level \(alpha) in \"\(name)\" must be in [0, 1].")
      }
      self = .pinballLoss(alpha: alpha)
      return
    }
    throw MetricError(
      .unknownMetric,
      "Metric: unknown metric \"\(name)\"; valid names are \(Self.validNames.joined(separator: ", ")) "
        + "(and pinball:<alpha>).")
  }

  /// The canonical name, which ``init(parsing:)`` reads back.
  public var name: String {
    switch self {
    case .accuracy: return "accuracy"
    case .balancedAccuracy: return "balanced_accuracy"
    case .precision(let average): return Self.averagedName("precision", average)
    case .recall(let average): return Self.averagedName("recall", average)
    case .f1(let average): return Self.averagedName("f1", average)
    case .rocAUC: return "auc"
    case .averagePrecision: return "average_precision"
    case .logLoss: return "logloss"
    case .brierScore: return "brier"
    case .meanSquaredError: return "mse"
    case .rootMeanSquaredError: return "rmse"
    case .meanAbsoluteError: return "mae"
    case .r2: return "r2"
    case .meanAbsolutePercentageError: return "mape"
    case .pinballLoss(let alpha): return alpha == 0.5 ? "pinball" : "pinball:\(alpha)"
    case .pearsonIC: return "ic"
    case .spearmanIC: return "rank_ic"
    }
  }

  /// The name.
  public var description: String { name }

  /// Whether a larger score is better (accuracy, AUC, R², IC) or worse (losses and errors),
  /// so model selection knows whether to maximise or minimise.
  public var greaterIsBetter: Bool {
    switch self {
    case .accuracy, .balancedAccuracy, .precision, .recall, .f1, .rocAUC, .averagePrecision, .r2, .pearsonIC,
      .spearmanIC:
      return true
    case .logLoss, .brierScore, .meanSquaredError, .rootMeanSquaredError, .meanAbsoluteError,
      .meanAbsolutePercentageError, .pinballLoss:
      return false
    }
  }

  /// Whether the metric can use class probabilities (so a classifier should be asked for
  /// them rather than for labels).
  public var usesProbabilities: Bool {
    switch self {
    case .rocAUC, .averagePrecision, .logLoss, .brierScore: return true
    default: return false
    }
  }

  /// Scores a prediction.
  ///
  /// - Parameters:
  ///   - yTrue: True labels or values (returns for the IC metrics).
  ///   - prediction: Predicted values, or class probabilities with their classes.
  ///   - weights: Optional non-negative sample weights; the IC metrics take none.
  /// - Returns: The metric's value; see ``greaterIsBetter`` for its direction.
  /// - Throws: ``MetricError``: the errors of the underlying metric, non-finite labels,
  ///   ``MetricError/Kind/unsupportedPrediction`` for probabilities given to a regression or
  ///   IC metric or a multiclass matrix given to a binary ranking metric, and
  ///   ``MetricError/Kind/invalidParameter`` for weights given to an IC metric.
  /// - Complexity: That of the underlying metric.
  public func score(yTrue: [Double], prediction: MetricPrediction, weights: [Double]? = nil) throws -> Double {
    try MetricValidation.requireFinite(yTrue, "yTrue", metric: name)
    switch self {
    case .accuracy, .balancedAccuracy, .precision, .recall, .f1:
      let labels = try predictedLabels(prediction)
      switch self {
      case .accuracy: return try ClassificationMetrics.accuracy(yTrue: yTrue, yPred: labels, weights: weights)
      case .balancedAccuracy:
        return try ClassificationMetrics.balancedAccuracy(yTrue: yTrue, yPred: labels, weights: weights)
      case .precision(let average):
        return try ClassificationMetrics.precision(yTrue: yTrue, yPred: labels, average: average, weights: weights)
      case .recall(let average):
        return try ClassificationMetrics.recall(yTrue: yTrue, yPred: labels, average: average, weights: weights)
      default:
        guard case .f1(let average) = self else { return .nan }
        return try ClassificationMetrics.f1Score(yTrue: yTrue, yPred: labels, average: average, weights: weights)
      }
    case .rocAUC, .averagePrecision:
      let (scores, positive) = try positiveScores(prediction)
      if self == .rocAUC {
        return try ClassificationMetrics.rocAUC(yTrue: yTrue, scores: scores, positiveLabel: positive, weights: weights)
      }
      return try ClassificationMetrics.averagePrecision(
        yTrue: yTrue, scores: scores, positiveLabel: positive, weights: weights)
    case .logLoss, .brierScore:
      switch prediction {
      case .values(let probabilities):
        return self == .logLoss
          ? try ClassificationMetrics.logLoss(yTrue: yTrue, probabilities: probabilities, weights: weights)
          : try ClassificationMetrics.brierScore(yTrue: yTrue, probabilities: probabilities, weights: weights)
      case .probabilities(let matrix, let classes):
        return self == .logLoss
          ? try ClassificationMetrics.logLoss(yTrue: yTrue, probabilities: matrix, classes: classes, weights: weights)
          : try ClassificationMetrics.brierScore(
            yTrue: yTrue, probabilities: matrix, classes: classes, weights: weights)
      }
    case .meanSquaredError, .rootMeanSquaredError, .meanAbsoluteError, .r2, .meanAbsolutePercentageError,
      .pinballLoss:
      let values = try regressionValues(prediction)
      switch self {
      case .meanSquaredError:
        return try RegressionMetrics.meanSquaredError(yTrue: yTrue, yPred: values, weights: weights)
      case .rootMeanSquaredError:
        return try RegressionMetrics.rootMeanSquaredError(yTrue: yTrue, yPred: values, weights: weights)
      case .meanAbsoluteError:
        return try RegressionMetrics.meanAbsoluteError(yTrue: yTrue, yPred: values, weights: weights)
      case .r2: return try RegressionMetrics.r2Score(yTrue: yTrue, yPred: values, weights: weights)
      case .meanAbsolutePercentageError:
        return try RegressionMetrics.meanAbsolutePercentageError(yTrue: yTrue, yPred: values, weights: weights)
      default:
        guard case .pinballLoss(let alpha) = self else { return .nan }
        return try RegressionMetrics.meanPinballLoss(yTrue: yTrue, yPred: values, alpha: alpha, weights: weights)
      }
    case .pearsonIC, .spearmanIC:
      guard weights == nil else {
        throw MetricError(.invalidParameter, "\(name): the information coefficient takes no sample weights; pass nil.")
      }
      let signal = try regressionValues(prediction)
      return self == .pearsonIC
        ? try SignalMetrics.pearsonIC(signal: signal, returns: yTrue)
        : try SignalMetrics.spearmanIC(signal: signal, returns: yTrue)
    }
  }

  /// Encodes the metric as its name.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(name)
  }

  /// Decodes a metric from its name.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: A `DecodingError` naming the valid metrics when the name does not parse.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let name = try container.decode(String.self)
    do {
      self = try Metric(parsing: name)
    } catch let error as MetricError {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  // MARK: - Helpers

  private static func averagedName(_ base: String, _ average: ClassAveraging) -> String {
    average == .binary ? base : "\(base)_\(average.rawValue)"
  }

  private func predictedLabels(_ prediction: MetricPrediction) throws -> [Double] {
    switch prediction {
    case .values(let labels):
      try MetricValidation.requireFinite(labels, "prediction", metric: name)
      return labels
    case .probabilities(let matrix, let classes):
      try requireColumns(matrix, classes)
      try MetricValidation.requireFinite(matrix, "probabilities", metric: name)
      // The first maximum wins, as NumPy's argmax in sklearn's `predict`.
      return (0..<matrix.rows).map { row in
        var best = 0
        for column in 1..<matrix.columns where matrix[row, column] > matrix[row, best] { best = column }
        return classes[best]
      }
    }
  }

  private func positiveScores(_ prediction: MetricPrediction) throws -> (scores: [Double], positive: Double?) {
    switch prediction {
    case .values(let scores):
      return (scores, nil)
    case .probabilities(let matrix, let classes):
      try requireColumns(matrix, classes)
      guard matrix.columns == 2, let positive = classes.max(), let column = classes.firstIndex(of: positive) else {
        throw MetricError(
          .unsupportedPrediction,
          "\(name): this metric is binary but the probabilities have \(matrix.columns) columns; score one class "
            + "against the rest by passing its probability column as values.")
      }
      return (Array(matrix.column(column)), positive)
    }
  }

  private func regressionValues(_ prediction: MetricPrediction) throws -> [Double] {
    guard case .values(let values) = prediction else {
      throw MetricError(
        .unsupportedPrediction, "\(name): this metric scores predicted values, not class probabilities.")
    }
    return values
  }

  private func requireColumns(_ matrix: Matrix, _ classes: [Double]) throws {
    guard matrix.columns == classes.count, matrix.columns >= 1 else {
      throw MetricError(
        .invalidParameter,
        "\(name): the probability matrix has \(matrix.columns) columns but \(classes.count) classes were given; "
          + "pass one class per column.")
    }
  }
}
