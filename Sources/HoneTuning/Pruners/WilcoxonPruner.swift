/// Stops a trial whose per-step values are significantly worse than the best trial's at
/// the same steps, by a one-sided ``WilcoxonSignedRankTest`` (Optuna's `WilcoxonPruner`).
///
/// Made for objectives that average scores over instances — cross-validation folds,
/// datasets, seeds — and report each instance's own score at step = instance: a paired
/// test over the instances seen so far tells a trial that is worse on most of them from
/// one that had an unlucky fold, which a threshold on the running mean cannot.
///
/// Rules, as Optuna's: no pruning before ``startupSteps`` shared steps, without a complete
/// best trial, or when either trial has a non-finite value; the test pairs the steps both
/// trials reported (a step the best trial lacks is left out). As a safeguard the trial is
/// kept when the best trial's average is no better than this trial's, whatever the test
/// says.
public struct WilcoxonPruner: Pruner {
  /// Prune when the test's p-value falls below this. Default 0.1.
  public let pThreshold: Double
  /// Shared steps needed before the test is made. Default 2.
  public let startupSteps: Int

  /// Creates a pruner.
  ///
  /// - Parameters:
  ///   - pThreshold: The significance level, in `(0, 1]`.
  ///   - startupSteps: Shared steps needed before testing, at least 0.
  /// - Throws: ``TuningError`` for a value out of range.
  public init(pThreshold: Double = 0.1, startupSteps: Int = 2) throws {
    guard pThreshold > 0, pThreshold <= 1 else {
      throw TuningError("pThreshold must be in (0, 1], got \(pThreshold)")
    }
    guard startupSteps >= 0 else { throw TuningError("startupSteps must be at least 0, got \(startupSteps)") }
    self.pThreshold = pThreshold
    self.startupSteps = startupSteps
  }

  /// The p-value of "this trial is worse than the best one at the steps both reported",
  /// or `nil` when the rules above say not to test.
  ///
  /// - Parameters:
  ///   - trial: The running trial.
  ///   - history: The study's other trials; the best complete one is the reference.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: The one-sided p-value, or `nil`.
  public func pValue(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Double? {
    test(trial, history: history, direction: direction)?.pValue
  }

  /// `true`: the test pairs the trials' scores on the same fold or instance.
  public var comparesStepValues: Bool { true }

  /// Whether the trial is significantly worse than the best trial.
  ///
  /// - Parameters:
  ///   - trial: The running trial.
  ///   - history: The study's other trials.
  ///   - direction: Whether smaller or larger values are better.
  /// - Returns: `true` to stop the trial.
  public func shouldPrune(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction) -> Bool {
    guard let (p, averageIsBest) = test(trial, history: history, direction: direction) else { return false }
    return p < pThreshold && !averageIsBest
  }

  private func test(_ trial: FrozenTrial, history: [FrozenTrial], direction: Direction)
    -> (pValue: Double, averageIsBest: Bool)?
  {
    let values = trial.intermediateValues
    guard !values.isEmpty, values.values.allSatisfy(\.isFinite) else { return nil }
    // The earliest of equally good trials with a finite value, as ``Study/bestTrial``.
    guard let best = direction.best(of: history.filter { $0.number != trial.number }) else { return nil }
    let reference = best.intermediateValues
    guard !reference.isEmpty, reference.values.allSatisfy(\.isFinite) else { return nil }
    // The steps both trials reported, as Optuna pairs them; at least two differences:
    // one gives p = 0.5 or 1 whatever it is.
    let steps = values.keys.filter { reference[$0] != nil }.sorted()
    guard steps.count >= Swift.max(2, startupSteps) else { return nil }
    let differences = steps.map { (values[$0] ?? 0) - (reference[$0] ?? 0) }
    // Means over every reported step, summed in step order: a dictionary's order changes
    // from process to process, and with it the last bit of a sum.
    func mean(_ values: [Int: Double]) -> Double {
      values.keys.sorted().reduce(0) { $0 + (values[$1] ?? 0) } / Double(values.count)
    }
    let (mean, referenceMean) = (mean(values), mean(reference))
    let averageIsBest = direction == .minimize ? referenceMean >= mean : referenceMean <= mean
    guard
      let result = try? WilcoxonSignedRankTest(
        differences: differences, alternative: direction == .minimize ? .greater : .less)
    else { return nil }
    return (result.pValue, averageIsBest)
  }
}
