import HonePipeline

/// What a run predicts: a column of the data, or a label computed from a price column
/// with one of HonePipeline's label generators.
///
/// ```yaml
/// target: {column: income, task: classification}
/// # or
/// target:
///   tripleBarrier: {price: close, profitTaking: 2, stopLoss: 1, maxHoldingRows: 10}
/// ```
public struct TargetConfiguration: Codable, Sendable, Equatable {
  /// Where the target values come from.
  public enum Source: Codable, Sendable, Equatable {
    /// A column of the data, used as is.
    case column(String)
    /// ``ForwardReturnLabel``: the forward (log) return over `horizon` rows.
    case forwardReturn(ForwardReturnLabel)
    /// ``ThresholdLabel``: −1, 0 or +1 by whether the forward return clears a band.
    case threshold(ThresholdLabel)
    /// ``TripleBarrierLabel``: the sign of the return at the first barrier touched.
    case tripleBarrier(TripleBarrierLabel)

    /// The task the source implies: regression for a forward return, classification for
    /// threshold and triple-barrier labels, `nil` for a column (decided by its values).
    public var impliedTask: PredictionTask? {
      switch self {
      case .column: nil
      case .forwardReturn: .regression
      case .threshold, .tripleBarrier: .classification
      }
    }

    /// The label generator, or `nil` for a column target.
    public var labelGenerator: (any LabelGenerator)? {
      switch self {
      case .column: nil
      case .forwardReturn(let label): label
      case .threshold(let label): label
      case .tripleBarrier(let label): label
      }
    }
  }

  /// Where the target values come from.
  public var source: Source
  /// The task, or `nil` to take ``Source/impliedTask`` (for a column: classification
  /// when the column is categorical or holds few distinct integers, else regression, as
  /// the orchestrator decides). Default `nil`.
  public var task: PredictionTask?

  /// Creates a target section.
  ///
  /// - Parameters:
  ///   - source: Where the target values come from.
  ///   - task: The task, or `nil` to imply it from the source.
  public init(_ source: Source, task: PredictionTask? = nil) {
    self.source = source
    self.task = task
  }

  /// ``task`` when given, else the source's implied task (`nil` for a column without one).
  public var resolvedTask: PredictionTask? { task ?? source.impliedTask }
}
