import HonePipeline
import HoneTuning

/// How the winning candidate is chosen: the cross-validated score of one metric.
///
/// ```yaml
/// selection: {metric: rank_ic}
/// ```
public struct SelectionConfiguration: Codable, Sendable, Equatable {
  /// The metric, parsed with ``Metric/init(parsing:)``, or `nil` for the task's default
  /// (``defaultMetric(for:)``). Default `nil`.
  public var metric: Metric?

  /// Creates a selection section.
  ///
  /// - Parameter metric: The metric, or `nil` for the task's default.
  public init(metric: Metric? = nil) { self.metric = metric }

  /// The default metric of a task: RMSE for regression, log-loss for classification.
  ///
  /// - Parameter task: The prediction task.
  /// - Returns: The metric used when none is configured.
  public static func defaultMetric(for task: PredictionTask) -> Metric {
    switch task {
    case .regression: .rootMeanSquaredError
    case .classification: .logLoss
    }
  }

  /// The metric for `task`: the configured one or the task's default.
  ///
  /// - Parameter task: The prediction task.
  /// - Returns: The selection metric.
  public func metric(for task: PredictionTask) -> Metric { metric ?? Self.defaultMetric(for: task) }

  /// Whether tuning minimises or maximises, from the metric's own direction.
  ///
  /// - Parameter task: The prediction task.
  /// - Returns: `.maximize` when greater is better, else `.minimize`.
  public func direction(for task: PredictionTask) -> Direction {
    metric(for: task).greaterIsBetter ? .maximize : .minimize
  }
}
