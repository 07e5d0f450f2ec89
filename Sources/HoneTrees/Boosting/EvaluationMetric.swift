import Foundation

/// A metric scored on the validation sets (and, on request, the training rows) after every
/// boosting round, named and computed as LightGBM's `metric` does, so that a history or an
/// early-stopping decision reads the same in both libraries.
///
/// Every metric is a weighted mean over rows, `Σ wᵢ ℓᵢ / Σ wᵢ`, except ``auc`` (the weighted
/// area under the ROC curve) and ``rmse`` (the square root of the weighted ``l2``). The
/// regression metrics compare the target with the prediction on the target scale (`exp`
/// of the raw score for Poisson, the probability for a binary classifier); the binary
/// metrics read the positive-class probability; the multiclass metrics the softmax.
public enum EvaluationMetric: String, Codable, Sendable, CaseIterable {
  /// Mean squared error `(y − ŷ)²` (LightGBM `l2`, `mse`).
  case l2
  /// The square root of ``l2`` (LightGBM `rmse`).
  case rmse
  /// Mean absolute error `|y − ŷ|` (LightGBM `l1`, `mae`).
  case l1
  /// The pinball loss of the ``GradientBoostingHyperparameters/alpha`` quantile (LightGBM `quantile`).
  case quantile
  /// Huber's loss with threshold ``GradientBoostingHyperparameters/alpha`` (LightGBM `huber`).
  case huber
  /// The Poisson negative log-likelihood `ŷ − y log ŷ`, with `ŷ` floored at 1e-10 (LightGBM `poisson`).
  case poisson
  /// Binary cross-entropy of the positive-class probability, each term capped at
  /// `−log ε`, `ε ≈ 1e-15` (LightGBM `binary_logloss`).
  case binaryLogloss = "binary_logloss"
  /// The weighted area under the ROC curve; scores closer than `ε ≈ 1e-15` tie, and a set with
  /// a single class scores 1 (LightGBM `auc`). Higher is better.
  case auc
  /// The weighted share of rows misclassified at probability ½, a probability of exactly
  /// ½ counting as the negative class (LightGBM `binary_error`).
  case binaryError = "binary_error"
  /// Softmax cross-entropy, each term capped at `−log ε`, `ε ≈ 1e-15` (LightGBM `multi_logloss`).
  case multiLogloss = "multi_logloss"
  /// The weighted share of rows whose label is not the single most probable class; a tie
  /// with the label counts as an error (LightGBM `multi_error` with `multi_error_top_k = 1`).
  case multiError = "multi_error"

  /// Reads a metric by its LightGBM name or one of LightGBM's aliases (`mse`, `mae`,
  /// `mean_squared_error`, `binary`, `multiclass`, …).
  ///
  /// - Parameter name: A metric name, case-insensitive.
  /// - Returns: The metric, or `nil` when the name is not one Hone computes.
  public init?(lightGBMName name: String) {
    let key = name.lowercased()
    if let metric = EvaluationMetric(rawValue: key) {
      self = metric
      return
    }
    let aliases: [String: EvaluationMetric] = [
      "mse": .l2, "mean_squared_error": .l2, "regression_l2": .l2, "regression": .l2, "l2_root": .rmse,
      "root_mean_squared_error": .rmse, "mae": .l1, "mean_absolute_error": .l1, "regression_l1": .l1,
      "binary": .binaryLogloss, "multiclass": .multiLogloss, "softmax": .multiLogloss,
      "multiclassova": .multiLogloss, "multiclass_ova": .multiLogloss, "ova": .multiLogloss, "ovr": .multiLogloss,
      "binaryerror": .binaryError, "binarylogloss": .binaryLogloss, "multilogloss": .multiLogloss,
      "multierror": .multiError,
    ]
    guard let metric = aliases[key] else { return nil }
    self = metric
  }

  /// Decodes a metric from its LightGBM name or alias, so `--param metrics=mse,auc` and
  /// configuration files accept what LightGBM accepts.
  ///
  /// - Parameter decoder: The decoder holding one string.
  /// - Throws: `DecodingError.dataCorrupted` naming the valid metrics for an unknown name.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let name = try container.decode(String.self)
    guard let metric = EvaluationMetric(lightGBMName: name) else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription:
          "unknown metric `\(name)`; choose one of \(EvaluationMetric.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    self = metric
  }

  /// LightGBM's `kEpsilon`, the literal `1e-15f`: a `Float` widened to `Double`
  /// (1.0000000036e-15), below which a probability's log-loss is capped and within which
  /// two scores tie in the AUC.
  static let epsilon = Double(Float(1e-15))

  /// `−log p`, or for `p ≤ ε` LightGBM's cap `−log ε` — which LightGBM takes in `Float`
  /// (`std::log` of a `float`), 34.538776397705078, so ours is the same number.
  static func cappedLog(_ p: Double) -> Double {
    p > epsilon ? -log(p) : Double(-log(Float(1e-15)))
  }

  /// Whether a larger value is better (only ``auc``).
  public var higherIsBetter: Bool { self == .auc }

  /// The metric LightGBM scores when none is chosen: the training objective's own loss.
  ///
  /// - Parameter loss: The training loss.
  /// - Returns: The metric, or `nil` for a custom objective (whose own loss is recorded instead).
  public static func defaultMetric(for loss: Loss) -> EvaluationMetric? {
    switch loss {
    case .squaredError: return .l2
    case .absoluteError: return .l1
    case .huber: return .huber
    case .quantile: return .quantile
    case .poisson: return .poisson
    case .binaryLogLoss: return .binaryLogloss
    case .multiclassSoftmax: return .multiLogloss
    case .custom: return nil
    }
  }

  /// Why this metric cannot score a model trained on `loss`, or `nil` when it can.
  func incompatibility(with loss: Loss) -> String? {
    switch self {
    case .binaryLogloss, .binaryError, .auc:
      return loss == .binaryLogLoss ? nil : "metric \(rawValue) needs a binary classifier"
    case .multiLogloss, .multiError:
      if case .multiclassSoftmax = loss { return nil }
      return "metric \(rawValue) needs a classifier with three or more classes"
    case .l2, .rmse, .l1, .quantile, .huber, .poisson:
      if case .multiclassSoftmax = loss {
        return "metric \(rawValue) scores one value per row; a multiclass model has one per class"
      }
      return nil
    }
  }

  /// Scores raw model outputs.
  ///
  /// - Parameters:
  ///   - scores: Raw scores: one per row, or class-major (`scores[c·n + i]`) for a
  ///     multiclass model.
  ///   - target: The targets: values for regression, `0`/`1` for binary, class indices for multiclass.
  ///   - weights: Optional row weights.
  ///   - loss: The training loss, which maps raw scores to predictions.
  ///   - alpha: The quantile level or Huber threshold of ``quantile`` and ``huber``.
  /// - Returns: The metric; NaN when it does not apply to `loss`.
  /// - Complexity: O(n), or O(n log n) for ``auc``.
  public func evaluate(scores: [Double], target: [Double], weights: [Double]?, loss: Loss, alpha: Double) -> Double {
    let n = target.count
    if incompatibility(with: loss) != nil { return .nan }
    switch self {
    case .auc: return Self.areaUnderCurve(scores: scores, target: target, weights: weights)
    case .multiLogloss, .multiError:
      guard case .multiclassSoftmax(let k) = loss, scores.count == k * n else { return .nan }
      return Self.multiclass(self, scores: scores, target: target, weights: weights, classCount: k)
    default:
      break
    }
    var sum = 0.0
    var total = 0.0
    for i in 0..<n {
      let y = target[i]
      let w = weights?[i] ?? 1
      let p = loss.transform(scores[i])
      let term: Double
      switch self {
      case .l2, .rmse: term = (y - p) * (y - p)
      case .l1: term = abs(y - p)
      case .quantile:
        let delta = y - p
        term = delta < 0 ? (alpha - 1) * delta : alpha * delta
      case .huber:
        let diff = abs(p - y)
        term = diff <= alpha ? 0.5 * diff * diff : alpha * (diff - 0.5 * alpha)
      case .poisson:
        let mean = max(p, 1e-10)
        term = mean - y * log(mean)
      case .binaryLogloss:
        term = y > 0 ? Self.cappedLog(p) : Self.cappedLog(1 - p)
      case .binaryError:
        term = (p <= 0.5) == (y > 0) ? 1 : 0
      case .auc, .multiLogloss, .multiError: term = .nan
      }
      sum += w * term
      total += w
    }
    return self == .rmse ? (sum / total).squareRoot() : sum / total
  }

  /// Softmax cross-entropy or top-1 error of class-major raw scores.
  private static func multiclass(
    _ metric: EvaluationMetric, scores: [Double], target: [Double], weights: [Double]?, classCount k: Int
  ) -> Double {
    let n = target.count
    var sum = 0.0
    var total = 0.0
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * k) { buffer in
      let row = UnsafeMutableBufferPointer(rebasing: buffer[0..<k])
      let probabilities = UnsafeMutableBufferPointer(rebasing: buffer[k...])
      for i in 0..<n {
        for c in 0..<k { row[c] = scores[c * n + i] }
        Loss.softmax(UnsafeBufferPointer(row), into: probabilities)
        let label = Int(target[i])
        let w = weights?[i] ?? 1
        if metric == .multiLogloss {
          sum += w * Self.cappedLog(probabilities[label])
        } else {
          // LightGBM counts the classes at least as probable as the label (itself included).
          var atLeast = 0
          for c in 0..<k where probabilities[c] >= probabilities[label] { atLeast += 1 }
          sum += atLeast > 1 ? w : 0
        }
        total += w
      }
    }
    return sum / total
  }

  /// The weighted ROC area by LightGBM's sweep: rows in decreasing score order, each
  /// group of tied scores adding its negatives times the positives ranked above them
  /// plus half its own positives (the trapezoid rule).
  static func areaUnderCurve(scores: [Double], target: [Double], weights: [Double]?) -> Double {
    let n = target.count
    guard n > 0 else { return .nan }
    let order = (0..<n).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    var accumulated = 0.0
    var positivesAbove = 0.0
    var groupPositives = 0.0
    var groupNegatives = 0.0
    var total = 0.0
    var threshold = scores[order[0]]
    for i in order {
      if abs(scores[i] - threshold) > Self.epsilon {
        threshold = scores[i]
        accumulated += groupNegatives * (groupPositives * 0.5 + positivesAbove)
        positivesAbove += groupPositives
        groupPositives = 0
        groupNegatives = 0
      }
      let w = weights?[i] ?? 1
      if target[i] > 0 { groupPositives += w } else { groupNegatives += w }
      total += w
    }
    accumulated += groupNegatives * (groupPositives * 0.5 + positivesAbove)
    positivesAbove += groupPositives
    guard positivesAbove > 0, positivesAbove != total else { return 1 }
    return accumulated / (positivesAbove * (total - positivesAbove))
  }
}
