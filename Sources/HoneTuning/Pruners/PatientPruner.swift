/// Lets a trial run on while it keeps up with itself — Optuna's `PatientPruner`: once the
/// best of its last `patience + 1` values is worse than the best before them by more than
/// `minDelta`, it asks the wrapped pruner, or prunes when there is none.
///
/// ```swift
/// // Stop a curve whose last 21 values all miss its earlier best, if it is also worse than the median.
/// let pruner = try PatientPruner(wrapping: MedianPruner(), patience: 20)
/// ```
///
/// NaN values are left out of both bests; a window of NaNs (or no values before it) never
/// counts as stalled. Patience is about a learning curve: a trial whose values are
/// running summaries (``FrozenTrial/runningSummaryAttribute``, the mean of the folds so
/// far) is never counted as stalled, since its mean moves with each fold's difficulty —
/// so across cross-validation folds (HoneOps' model tuner) it never prunes; use it on the
/// rounds or epochs of one fit (HoneOps' `BoostingPruning`, `MLPPruning`).
///
/// The wrapped pruner is asked only at the steps where the trial has stalled; a
/// ``SuccessiveHalvingPruner`` or ``HyperbandPruner`` then judges every rung the trial
/// passed since it was last asked, with its latest value (as under Optuna's
/// `PatientPruner`).
public struct PatientPruner: Pruner {
  /// The pruner asked once a trial has stalled; `nil` prunes a stalled trial outright.
  public let wrapped: (any Pruner)?
  /// Steps without improvement tolerated.
  public let patience: Int
  /// How much worse than the earlier best the recent best may be before the trial counts
  /// as stalled.
  public let minDelta: Double

  /// Creates a patient pruner.
  ///
  /// - Parameters:
  ///   - wrapped: The pruner to ask once a trial has stalled; `nil` to prune it then.
  ///   - patience: Steps without improvement tolerated, at least 0.
  ///   - minDelta: The tolerated worsening of the recent best, at least 0.
  /// - Throws: ``TuningError`` for a negative `patience` or a negative or NaN `minDelta`.
  public init(wrapping wrapped: (any Pruner)?, patience: Int, minDelta: Double = 0) throws {
    guard patience >= 0 else { throw TuningError("PatientPruner's patience must be ≥ 0, got \(patience)") }
    guard minDelta >= 0, minDelta.isFinite else {
      throw TuningError("PatientPruner's minDelta must be finite and ≥ 0, got \(minDelta)")
    }
    self.wrapped = wrapped
    self.patience = patience
    self.minDelta = minDelta
  }

  /// Whether the best of the last `patience + 1` values is worse than the best before
  /// them by more than `minDelta`, and the wrapped pruner (if any) would stop the trial.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    decide(trial, history: history, direction: direction).prune
  }

  /// As ``shouldPrune(_:history:direction:)``, with what the wrapped pruner records when
  /// it is asked.
  public func decide(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> PruningDecision {
    guard hasStalled(trial, direction: direction) else { return PruningDecision(prune: false) }
    return wrapped?.decide(trial, history: history, direction: direction) ?? PruningDecision(prune: true)
  }

  private func hasStalled(_ trial: FrozenTrial, direction: Direction) -> Bool {
    guard trial.userAttributes[FrozenTrial.runningSummaryAttribute] != "true" else { return false }
    let steps = trial.intermediateValues.keys.sorted()
    guard steps.count > patience + 1 else { return false }
    let split = steps.count - patience - 1
    func best(_ window: ArraySlice<Int>) -> Double? {
      let values = window.compactMap { trial.intermediateValues[$0] }.filter { !$0.isNaN }
      return direction == .minimize ? values.min() : values.max()
    }
    guard let before = best(steps[..<split]), let recent = best(steps[split...]) else { return false }
    return direction == .minimize ? before + minDelta < recent : before - minDelta > recent
  }

  /// The wrapped pruner's, or running summaries when there is none.
  public var comparesStepValues: Bool { wrapped?.comparesStepValues ?? false }

  /// The wrapped pruner's (Hyperband shows each bracket its own trials).
  public func samplerHistory(_ history: [FrozenTrial], forTrial number: Int) -> [FrozenTrial] {
    wrapped?.samplerHistory(history, forTrial: number) ?? history
  }
}
