import Foundation
import HonePipeline
import HoneTuning

/// Everything a run's HTML report shows, as plain data the orchestrator fills in.
///
/// Optional parts (and empty lists) are sections the run did not produce; the renderer
/// leaves them out. The value is `Codable`, so a report can be stored as an artifact and
/// re-rendered later.
public struct RunReport: Codable, Sendable, Equatable {
  /// The run's display name.
  public var runName: String
  /// The run's identifier in the store.
  public var runID: String
  /// When the run was created, as ISO 8601 text (UTC).
  public var created: String
  /// The Hone version that produced the run.
  public var honeVersion: String
  /// The resolved configuration, as text (YAML or JSON).
  public var configText: String
  /// What data the run used.
  public var data: DataSummary?
  /// What the models predict.
  public var task: PredictionTask
  /// The metric the winner was chosen by.
  public var selectionMetric: String
  /// Whether larger values of the selection metric are better.
  public var greaterIsBetter: Bool
  /// One row per candidate model.
  public var leaderboard: [LeaderboardRow]
  /// Tuning details per candidate, by the candidate's name.
  public var candidates: [CandidateDetail]
  /// Permutation (or model) importance of the winner's input columns.
  public var featureImportance: [FeatureImportance]
  /// ROC and calibration data of the winner on the holdout (classification).
  public var classification: ClassificationCurves?
  /// Predicted against actual values of the winner on the holdout (regression).
  public var regression: RegressionResiduals?
  /// The winner's holdout scores.
  public var holdoutMetrics: [NamedValue]
  /// The holdout backtest, for trading runs.
  public var trading: TradingSection?
  /// Where the winner was registered.
  public var registry: RegistryEntry?

  /// Creates a report; everything but the run's identity and task is optional.
  ///
  /// - Parameters:
  ///   - runName: The display name.
  ///   - runID: The run's identifier.
  ///   - created: ISO 8601 creation time.
  ///   - honeVersion: The producing Hone version.
  ///   - configText: The resolved configuration text.
  ///   - data: The data summary.
  ///   - task: Regression or classification.
  ///   - selectionMetric: The selection metric's name.
  ///   - greaterIsBetter: The selection metric's direction.
  ///   - leaderboard: The candidates' rows.
  ///   - candidates: The candidates' tuning details.
  ///   - featureImportance: The winner's feature importance.
  ///   - classification: Classification curves.
  ///   - regression: Regression residuals.
  ///   - holdoutMetrics: Holdout scores.
  ///   - trading: The backtest.
  ///   - registry: The registry entry.
  public init(
    runName: String, runID: String, created: String, honeVersion: String, configText: String = "",
    data: DataSummary? = nil, task: PredictionTask, selectionMetric: String, greaterIsBetter: Bool,
    leaderboard: [LeaderboardRow] = [], candidates: [CandidateDetail] = [], featureImportance: [FeatureImportance] = [],
    classification: ClassificationCurves? = nil, regression: RegressionResiduals? = nil,
    holdoutMetrics: [NamedValue] = [], trading: TradingSection? = nil, registry: RegistryEntry? = nil
  ) {
    self.runName = runName
    self.runID = runID
    self.created = created
    self.honeVersion = honeVersion
    self.configText = configText
    self.data = data
    self.task = task
    self.selectionMetric = selectionMetric
    self.greaterIsBetter = greaterIsBetter
    self.leaderboard = leaderboard
    self.candidates = candidates
    self.featureImportance = featureImportance
    self.classification = classification
    self.regression = regression
    self.holdoutMetrics = holdoutMetrics
    self.trading = trading
    self.registry = registry
  }
}

/// A labelled number: a metric, a statistic.
public struct NamedValue: Codable, Sendable, Equatable {
  /// The label.
  public var name: String
  /// The number (NaN shows as a dash).
  public var value: Double

  /// Creates a labelled number.
  ///
  /// - Parameters:
  ///   - name: The label.
  ///   - value: The number.
  public init(_ name: String, _ value: Double) {
    self.name = name
    self.value = value
  }
}

/// What data a run read and how it was split.
public struct DataSummary: Codable, Sendable, Equatable {
  /// The data files or generator names.
  public var sources: [String]
  /// Rows after ingestion and labelling.
  public var rows: Int
  /// The model's input columns.
  public var featureCount: Int
  /// The target column (or label recipe).
  public var target: String
  /// Rows used for tuning and the final fit.
  public var trainingRows: Int
  /// Rows held out and scored once.
  public var holdoutRows: Int
  /// The first and last timestamp, for time-ordered data.
  public var period: String?
  /// The content hash of the data.
  public var dataHash: String?

  /// Creates a summary.
  ///
  /// - Parameters:
  ///   - sources: Files or generators.
  ///   - rows: Rows in total.
  ///   - featureCount: Input columns.
  ///   - target: Target column.
  ///   - trainingRows: Training rows.
  ///   - holdoutRows: Holdout rows.
  ///   - period: The time span, if any.
  ///   - dataHash: The data's content hash.
  public init(
    sources: [String], rows: Int, featureCount: Int, target: String, trainingRows: Int, holdoutRows: Int,
    period: String? = nil, dataHash: String? = nil
  ) {
    self.sources = sources
    self.rows = rows
    self.featureCount = featureCount
    self.target = target
    self.trainingRows = trainingRows
    self.holdoutRows = holdoutRows
    self.period = period
    self.dataHash = dataHash
  }
}

/// One candidate's line on the leaderboard.
public struct LeaderboardRow: Codable, Sendable, Equatable {
  /// The candidate's name in the configuration.
  public var candidate: String
  /// The model kind (`gbdt`, `ridge`, …).
  public var kind: String
  /// Mean of the selection metric over the best trial's CV folds.
  public var cvMean: Double
  /// Standard deviation of the selection metric over those folds.
  public var cvStandardDeviation: Double
  /// The holdout score, when the candidate was scored on the holdout.
  public var holdoutScore: Double?
  /// Trials run.
  public var trials: Int
  /// Trials pruned.
  public var pruned: Int
  /// Wall-clock seconds spent tuning.
  public var seconds: Double
  /// Whether this candidate won.
  public var isWinner: Bool

  /// Creates a row.
  ///
  /// - Parameters:
  ///   - candidate: The name.
  ///   - kind: The model kind.
  ///   - cvMean: CV mean.
  ///   - cvStandardDeviation: CV standard deviation.
  ///   - holdoutScore: Holdout score.
  ///   - trials: Trials run.
  ///   - pruned: Trials pruned.
  ///   - seconds: Tuning time.
  ///   - isWinner: Whether it won.
  public init(
    candidate: String, kind: String, cvMean: Double, cvStandardDeviation: Double, holdoutScore: Double? = nil,
    trials: Int, pruned: Int, seconds: Double, isWinner: Bool
  ) {
    self.candidate = candidate
    self.kind = kind
    self.cvMean = cvMean
    self.cvStandardDeviation = cvStandardDeviation
    self.holdoutScore = holdoutScore
    self.trials = trials
    self.pruned = pruned
    self.seconds = seconds
    self.isWinner = isWinner
  }
}

/// A candidate's tuning record: its optimisation history, hyperparameter importance and
/// the best trial's fold scores.
public struct CandidateDetail: Codable, Sendable, Equatable {
  /// The candidate's name (matches ``LeaderboardRow/candidate``).
  public var candidate: String
  /// Every trial's value and the running best (``StudyPlots/optimizationHistory(_:direction:)``).
  public var history: [OptimizationHistoryPoint]
  /// Hyperparameter importance (``FanovaImportance``); empty when too few trials finished.
  public var importance: [ParameterImportance]
  /// The best trial's score per CV fold.
  public var foldScores: [Double]
  /// The best trial's hyperparameters, as text.
  public var bestParameters: [String: String]

  /// Creates a record.
  ///
  /// - Parameters:
  ///   - candidate: The name.
  ///   - history: The optimisation history.
  ///   - importance: The hyperparameter importance.
  ///   - foldScores: The best trial's fold scores.
  ///   - bestParameters: The best trial's hyperparameters.
  public init(
    candidate: String, history: [OptimizationHistoryPoint] = [], importance: [ParameterImportance] = [],
    foldScores: [Double] = [], bestParameters: [String: String] = [:]
  ) {
    self.candidate = candidate
    self.history = history
    self.importance = importance
    self.foldScores = foldScores
    self.bestParameters = bestParameters
  }
}

/// A classifier's holdout curves.
public struct ClassificationCurves: Codable, Sendable, Equatable {
  /// A point of the ROC curve.
  public struct ROCPoint: Codable, Sendable, Equatable {
    /// False-positive rate.
    public var falsePositiveRate: Double
    /// True-positive rate.
    public var truePositiveRate: Double

    /// Creates a point.
    ///
    /// - Parameters:
    ///   - falsePositiveRate: The false-positive rate.
    ///   - truePositiveRate: The true-positive rate.
    public init(falsePositiveRate: Double, truePositiveRate: Double) {
      self.falsePositiveRate = falsePositiveRate
      self.truePositiveRate = truePositiveRate
    }
  }

  /// One bin of a reliability diagram.
  public struct CalibrationBin: Codable, Sendable, Equatable {
    /// The mean predicted probability of the rows in the bin.
    public var meanPredicted: Double
    /// The fraction of those rows that are positive.
    public var observedFrequency: Double
    /// The rows in the bin.
    public var count: Int

    /// Creates a bin.
    ///
    /// - Parameters:
    ///   - meanPredicted: Mean predicted probability.
    ///   - observedFrequency: Observed positive fraction.
    ///   - count: Rows.
    public init(meanPredicted: Double, observedFrequency: Double, count: Int) {
      self.meanPredicted = meanPredicted
      self.observedFrequency = observedFrequency
      self.count = count
    }
  }

  /// The ROC curve from (0, 0) to (1, 1).
  public var roc: [ROCPoint]
  /// The area under it.
  public var auc: Double
  /// The reliability-diagram bins.
  public var calibration: [CalibrationBin]

  /// Creates curves.
  ///
  /// - Parameters:
  ///   - roc: The ROC points.
  ///   - auc: The area under the curve.
  ///   - calibration: The calibration bins.
  public init(roc: [ROCPoint], auc: Double, calibration: [CalibrationBin]) {
    self.roc = roc
    self.auc = auc
    self.calibration = calibration
  }
}

/// A regressor's holdout predictions against the truth.
public struct RegressionResiduals: Codable, Sendable, Equatable {
  /// Predicted values.
  public var predicted: [Double]
  /// Actual values, in the same order.
  public var actual: [Double]

  /// Creates the pairs.
  ///
  /// - Parameters:
  ///   - predicted: Predictions.
  ///   - actual: True values.
  public init(predicted: [Double], actual: [Double]) {
    self.predicted = predicted
    self.actual = actual
  }
}

/// The holdout backtest of a trading run.
public struct TradingSection: Codable, Sendable, Equatable {
  /// Cumulative equity per period (starting at 1).
  public var equity: [Double]
  /// Drawdown per period, as a non-positive fraction of the running peak.
  public var drawdown: [Double]
  /// Sharpe, Sortino, returns, turnover and the like.
  public var metrics: [NamedValue]
  /// The deflated Sharpe ratio of the selected strategy (Bailey & López de Prado 2014).
  public var deflatedSharpeRatio: Double?
  /// The probability of backtest overfitting by CSCV (Bailey et al. 2017).
  public var probabilityOfBacktestOverfitting: Double?
  /// The first and last period's date, when known.
  public var period: String?

  /// Creates the section.
  ///
  /// - Parameters:
  ///   - equity: The equity curve.
  ///   - drawdown: The drawdown series.
  ///   - metrics: Trading metrics.
  ///   - deflatedSharpeRatio: DSR.
  ///   - probabilityOfBacktestOverfitting: PBO.
  ///   - period: The time span.
  public init(
    equity: [Double], drawdown: [Double], metrics: [NamedValue] = [], deflatedSharpeRatio: Double? = nil,
    probabilityOfBacktestOverfitting: Double? = nil, period: String? = nil
  ) {
    self.equity = equity
    self.drawdown = drawdown
    self.metrics = metrics
    self.deflatedSharpeRatio = deflatedSharpeRatio
    self.probabilityOfBacktestOverfitting = probabilityOfBacktestOverfitting
    self.period = period
  }
}

/// Where a run's winner was registered.
public struct RegistryEntry: Codable, Sendable, Equatable {
  /// The registered model's name.
  public var modelName: String
  /// Its version number.
  public var version: Int
  /// The alias it received (`champion`, `challenger`), if any.
  public var alias: String?

  /// Creates an entry.
  ///
  /// - Parameters:
  ///   - modelName: The model name.
  ///   - version: The version.
  ///   - alias: The alias.
  public init(modelName: String, version: Int, alias: String? = nil) {
    self.modelName = modelName
    self.version = version
    self.alias = alias
  }
}
