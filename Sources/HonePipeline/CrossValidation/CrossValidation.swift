import Dispatch
import Foundation
import HoneCore
import HoneLinearAlgebra
import Synchronization

/// What one fold of ``crossValidate(_:table:target:weights:splitter:splitData:scoring:parallel:onFold:)`` produced.
public struct FoldResult: Sendable {
  /// The fold's position among the splits.
  public let index: Int
  /// The training rows.
  public let trainRows: [Int]
  /// The test rows.
  public let testRows: [Int]
  /// Each metric's score on the test rows, by metric name.
  public let scores: [String: Double]
  /// The predictions for the test rows, in `testRows` order.
  public let predictions: [Double]
  /// Class probabilities for the test rows (classifiers), `testRows.count × classes`.
  public let probabilities: Matrix?
  /// Seconds spent fitting.
  public let fitSeconds: Double
  /// Seconds spent predicting and scoring.
  public let scoreSeconds: Double
  /// The model fitted on the training rows, for what the scores do not say (the rounds
  /// a boosted model kept when it stopped early).
  public let model: any TableModel
}

/// The result of cross-validation: every fold, the summary of each metric, and
/// out-of-fold predictions.
public struct CrossValidationResult: Sendable {
  /// The folds that ran, in split order (fewer than the splits when the callback stopped early).
  public let folds: [FoldResult]
  /// The metric names, in the order they were given.
  public let metricNames: [String]
  /// Each metric's mean over the folds.
  public let mean: [String: Double]
  /// Each metric's sample standard deviation over the folds (0 for one fold).
  public let standardDeviation: [String: Double]
  /// One prediction per table row from the fold that tested it; NaN for rows no fold
  /// tested. `nil` when some row was tested by more than one fold (combinatorial
  /// splitters): use each fold's predictions, or the splitter's backtest paths.
  public let outOfFoldPredictions: [Double]?
  /// Whether the callback stopped the run before every split was used.
  public let stoppedEarly: Bool
}

/// What a scoring function sees for one fold's test rows.
public struct ScoringInput: Sendable {
  /// The true target values.
  public let target: [Double]
  /// The model's predictions (class labels for classifiers).
  public let predictions: [Double]
  /// Class probabilities (`rows × classes`), for classifiers.
  public let probabilities: Matrix?
  /// The class of each probability column, for classifiers.
  public let classes: [Double]?
  /// Sample weights, when the run has a weights column.
  public let weights: [Double]?
}

/// A way to score predictions: a name, a direction, and the scoring function.
///
/// ``Metric`` values give one through ``Metric/scoring``; any closure works for a custom
/// score.
public struct Scoring: Sendable {
  /// The name used in results.
  public let name: String
  /// Whether larger scores are better.
  public let greaterIsBetter: Bool
  /// Scores one fold.
  public let score: @Sendable (ScoringInput) throws -> Double

  /// Creates a scoring.
  public init(name: String, greaterIsBetter: Bool, score: @escaping @Sendable (ScoringInput) throws -> Double) {
    self.name = name
    self.greaterIsBetter = greaterIsBetter
    self.score = score
  }
}

extension Metric {
  /// The metric as a ``Scoring`` for ``crossValidate(_:table:target:weights:splitter:splitData:scoring:parallel:onFold:)``:
  /// probability metrics (AUC, average precision, log-loss, Brier) read the model's class
  /// probabilities, the others its predictions.
  public var scoring: Scoring {
    let metric = self
    return Scoring(name: name, greaterIsBetter: greaterIsBetter) { input in
      if metric.usesProbabilities {
        guard let probabilities = input.probabilities, let classes = input.classes else {
          throw MetricError(
            .unsupportedPrediction,
            "\(metric.name) needs class probabilities, and this model gives none; use a classifier")
        }
        return try metric.score(
          yTrue: input.target, prediction: .probabilities(probabilities, classes: classes), weights: input.weights)
      }
      return try metric.score(yTrue: input.target, prediction: .values(input.predictions), weights: input.weights)
    }
  }
}

/// Cross-validates a ``TableEstimator`` (a ``Pipeline``): for each split, fits on the
/// training rows only — every pipeline step included — and scores on the test rows.
///
/// ```swift
/// let result = try crossValidate(
///   Pipeline([.standardScaler(.init())], Ridge(alpha: 1)), table: table, target: "y",
///   splitter: PurgedKFold(folds: 5, embargo: 0.01), splitData: data, scoring: [Metric.rmse.scoring])
/// print(result.mean["rmse"] ?? .nan)
/// ```
///
/// - Parameters:
///   - estimator: What to fit.
///   - table: The rows; row `i` is row `i` of `splitData`.
///   - target: The target column.
///   - weights: An optional column of sample weights (used to fit and to score).
///   - splitter: How to split the rows.
///   - splitData: What the splitter needs (targets for stratification, groups, label
///     intervals); `nil` gives the row count and the target.
///   - scoring: The metrics.
///   - parallel: Whether folds run concurrently. Concurrent folds run with BLAS on one
///     thread each (``BLASThreadPolicy``), so the cores are never oversubscribed; the
///     results are the same either way, as each fold's fit is deterministic.
///   - onFold: Called with each fold's result in split order; return `false` to stop
///     (tuning's pruners use this). With `parallel`, folds run in waves of as many folds
///     as there are cores, and the callback sees each wave in order before the next starts.
/// - Returns: Per-fold results, summaries and out-of-fold predictions.
/// - Throws: The splitter's, a step's, the estimator's or a metric's error, with the fold
///   index in ``CrossValidationError``; a ``PassThroughError`` (a pruner's signal) as it is.
public func crossValidate<E: TableEstimator>(
  _ estimator: E, table: Table, target: String, weights: String? = nil, splitter: any Splitter,
  splitData: SplitData? = nil, scoring: [Scoring], parallel: Bool = true,
  onFold: ((FoldResult) -> Bool)? = nil
) throws -> CrossValidationResult {
  try crossValidate(
    table: table, target: target, weights: weights, splitter: splitter, splitData: splitData, scoring: scoring,
    parallel: parallel, onFold: onFold
  ) { train, _ in
    try estimator.fit(train, target: target, weights: weights)
  }
}

/// Cross-validates a ``ValidatingTableEstimator``, optionally letting each fold's fit
/// watch that fold's test rows — how a boosted model stops early inside the folds, as
/// `lgb.cv` does (there all folds stop together on the mean curve; here each fold stops
/// on its own, so folds stay independent and can run in parallel).
///
/// - Parameters:
///   - estimator: What to fit.
///   - table: The rows; row `i` is row `i` of `splitData`.
///   - target: The target column.
///   - weights: An optional column of sample weights (used to fit, validate and score).
///   - splitter: How to split the rows.
///   - splitData: What the splitter needs; `nil` gives the row count and the target.
///   - scoring: The metrics.
///   - parallel: Whether folds run concurrently, as in the plain overload.
///   - validatingOnTestRows: Whether each fit watches its fold's test rows; `false` fits
///     exactly as ``crossValidate(_:table:target:weights:splitter:splitData:scoring:parallel:onFold:)``.
///   - onFold: Called with each fold's result in split order; return `false` to stop.
/// - Returns: Per-fold results (each with its fitted model), summaries and out-of-fold
///   predictions.
/// - Throws: The splitter's, a step's, the estimator's or a metric's error, with the fold
///   index in ``CrossValidationError``; a ``PassThroughError`` (a pruner's signal) as it is.
public func crossValidate<E: ValidatingTableEstimator>(
  _ estimator: E, table: Table, target: String, weights: String? = nil, splitter: any Splitter,
  splitData: SplitData? = nil, scoring: [Scoring], parallel: Bool = true, validatingOnTestRows: Bool,
  onFold: ((FoldResult) -> Bool)? = nil
) throws -> CrossValidationResult {
  try crossValidate(
    table: table, target: target, weights: weights, splitter: splitter, splitData: splitData, scoring: scoring,
    parallel: parallel, onFold: onFold
  ) { train, test in
    validatingOnTestRows
      ? try estimator.fit(train, target: target, weights: weights, validation: test)
      : try estimator.fit(train, target: target, weights: weights)
  }
}

/// The fold loop both overloads share; `fit` gets a fold's training and test rows.
private func crossValidate<Fitted: TableModel>(
  table: Table, target: String, weights: String?, splitter: any Splitter, splitData: SplitData?,
  scoring: [Scoring], parallel: Bool, onFold: ((FoldResult) -> Bool)?,
  fit: @escaping @Sendable (_ train: Table, _ test: Table) throws -> Fitted
) throws -> CrossValidationResult {
  guard !scoring.isEmpty else {
    throw CrossValidationError(fold: nil, message: "give at least one metric to score with")
  }
  let targetValues = try PipelineError.column(target, in: table, role: "target").doubleValues
  let weightValues = try weights.map { try PipelineError.column($0, in: table, role: "weights").doubleValues }
  let data = try splitData ?? SplitData(rowCount: table.rowCount, targets: targetValues)
  guard data.rowCount == table.rowCount else {
    throw CrossValidationError(
      fold: nil, message: "the split data describes \(data.rowCount) rows but the table has \(table.rowCount)")
  }
  let splits = try splitter.splits(for: data)

  @Sendable func runFold(_ index: Int) throws -> FoldResult {
    let split = splits[index]
    do {
      let train = try table.rows(at: split.train)
      let test = try table.rows(at: split.test)
      let start = DispatchTime.now().uptimeNanoseconds
      let model = try fit(train, test)
      let fitted = DispatchTime.now().uptimeNanoseconds
      let predictions = try model.predict(test)
      let probabilities = try model.predictProbabilities(test)
      let y = split.test.map { targetValues[$0] }
      let w = weightValues.map { values in split.test.map { values[$0] } }
      var scores: [String: Double] = [:]
      let input = ScoringInput(
        target: y, predictions: predictions, probabilities: probabilities, classes: model.classes, weights: w)
      for metric in scoring { scores[metric.name] = try metric.score(input) }
      let end = DispatchTime.now().uptimeNanoseconds
      return FoldResult(
        index: index, trainRows: split.train, testRows: split.test, scores: scores, predictions: predictions,
        probabilities: probabilities, fitSeconds: Double(fitted - start) / 1e9,
        scoreSeconds: Double(end - fitted) / 1e9,
        model: model)
    } catch let signal as any PassThroughError {
      throw signal
    } catch {
      throw CrossValidationError(fold: index, message: "\(error)")
    }
  }

  var results: [FoldResult] = []
  var stopped = false
  let wave = parallel ? Swift.max(1, BLASThreadPolicy.availableCores) : 1
  var next = 0
  while next < splits.count && !stopped {
    let indices = Array(next..<Swift.min(next + wave, splits.count))
    next += indices.count
    let outcomes: [Result<FoldResult, any Error>]
    if indices.count == 1 {
      outcomes = [Result { try runFold(indices[0]) }]
    } else {
      let slots = Mutex<[Int: Result<FoldResult, any Error>]>([:])
      BLASThreadPolicy.withThreadCount(1) {
        DispatchQueue.concurrentPerform(iterations: indices.count) { k in
          let outcome = Result { try runFold(indices[k]) }
          slots.withLock { $0[k] = outcome }
        }
      }
      let filled = slots.withLock { $0 }
      outcomes = indices.indices.map {
        filled[$0] ?? .failure(CrossValidationError(fold: indices[$0], message: "did not run"))
      }
    }
    for outcome in outcomes {
      let fold = try outcome.get()
      results.append(fold)
      if let onFold, !onFold(fold) {
        stopped = true
        break
      }
    }
  }

  var mean: [String: Double] = [:]
  var deviation: [String: Double] = [:]
  for metric in scoring {
    let values = results.compactMap { $0.scores[metric.name] }
    let m = values.reduce(0, +) / Double(Swift.max(1, values.count))
    mean[metric.name] = m
    deviation[metric.name] =
      values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot() : 0
  }
  var outOfFold: [Double]? = [Double](repeating: .nan, count: table.rowCount)
  var tested = [Bool](repeating: false, count: table.rowCount)
  for fold in results {
    for (row, prediction) in zip(fold.testRows, fold.predictions) {
      if tested[row] { outOfFold = nil }
      tested[row] = true
      outOfFold?[row] = prediction
    }
  }
  return CrossValidationResult(
    folds: results, metricNames: scoring.map(\.name), mean: mean, standardDeviation: deviation,
    outOfFoldPredictions: outOfFold, stoppedEarly: stopped)
}

/// An error during cross-validation, naming the fold that failed.
public struct CrossValidationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The failing fold's index, when one failed.
  public let fold: Int?
  /// What went wrong.
  public let message: String

  /// Creates an error.
  public init(fold: Int?, message: String) {
    self.fold = fold
    self.message = message
  }

  /// `fold N: message`.
  public var description: String { (fold.map { "fold \($0): " } ?? "") + message }
}
