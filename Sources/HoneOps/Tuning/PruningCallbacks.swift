import HoneNeural
import HoneTrees
import HoneTuning
import Synchronization

/// Prunes a gradient-boosted fit round by round: after every round it reports a
/// validation metric to the trial (step *k* is round *k*, from 1; Optuna's
/// `LightGBMPruningCallback` counts from 0, so a pruner's `warmupSteps: w` waits one
/// round more here) and stops growing trees when the study's pruner gives up on the
/// trial — as that callback does.
///
/// ```swift
/// try study.optimize(trials: 50) { trial in
///   var h = GradientBoostingHyperparameters()
///   h.learningRate = try trial.suggestFloat("learningRate", 0.01...0.3, log: true)
///   h.metrics = [.binaryLogloss]
///   let pruning = BoostingPruning(trial)
///   let model = try GradientBoostingClassifier(h)
///     .fit(train, validation: valid, onRound: pruning.onRound)
///   try pruning.check()  // TrialPruned when the pruner stopped the fit
///   return model.history.last?.validationLoss ?? .nan
/// }
/// ```
///
/// The round callback cannot throw, so a stopped fit returns its trees as usual and
/// ``check()`` turns the stop into `TrialPruned` (or into the error that stopped it).
public final class BoostingPruning: Sendable {
  /// The trial reported to.
  public let trial: Trial
  /// The validation set whose metric is reported; `nil` for the first one.
  public let set: String?
  /// The metric reported (a LightGBM name such as `auc` or `binary_logloss`); `nil` for
  /// the set's first.
  public let metric: String?
  private let outcome = Mutex<Outcome>(.running)

  private enum Outcome {
    case running
    case pruned
    case refused(String)
  }

  /// Creates the callback for one fit.
  ///
  /// - Parameters:
  ///   - trial: The trial to report to and prune.
  ///   - set: The validation set to watch; by default the first.
  ///   - metric: The metric to watch, which must improve in the study's direction (a
  ///     loss for a minimised study, `auc` for a maximised one); by default the set's first.
  public init(_ trial: Trial, set: String? = nil, metric: String? = nil) {
    self.trial = trial
    self.set = set
    self.metric = metric
  }

  /// The `onRound` argument of the gradient-boosting fits.
  public var onRound: (BoostingRound) -> BoostingControl { { [self] round in observe(round) } }

  /// Throws `TrialPruned` when the pruner stopped the fit, or a `TuningError` when the
  /// watched metric was missing or improves the other way than the study; returns when
  /// the fit ran to its end.
  public func check() throws {
    switch outcome.withLock({ $0 }) {
    case .running: return
    case .pruned: throw TrialPruned()
    case .refused(let message): throw TuningError(message)
    }
  }

  private func observe(_ round: BoostingRound) -> BoostingControl {
    let watched = round.evaluations.first { evaluation in
      (set.map { evaluation.set == $0 } ?? (evaluation.set != "training"))
        && (metric.map { evaluation.metric == $0 } ?? true)
    }
    guard let watched else {
      let offered = round.evaluations.map { "\($0.set)/\($0.metric)" }.joined(separator: ", ")
      return refuse(
        "round \(round.iteration) has no \(metric ?? "metric") on \(set.map { "validation set `\($0)`" } ?? "a validation set") to prune by (it has: \(offered.isEmpty ? "none" : offered)); fit with a validation set and the metric in hyperparameters.metrics"
      )
    }
    guard watched.higherIsBetter == (trial.direction == .maximize) else {
      return refuse(
        "\(watched.metric) improves \(watched.higherIsBetter ? "upwards" : "downwards") but the study \(trial.direction.rawValue)s; watch a metric that improves the study's way (e.g. \(trial.direction == .maximize ? "auc" : "binary_logloss or l2"))"
      )
    }
    trial.report(watched.value, step: round.iteration)
    guard trial.shouldPrune() else { return .proceed }
    outcome.withLock { $0 = .pruned }
    return .stop
  }

  private func refuse(_ message: String) -> BoostingControl {
    outcome.withLock { $0 = .refused(message) }
    return .stop
  }
}

/// Prunes an MLP fit epoch by epoch: after every epoch it reports the fit's validation
/// quantity — its ``MLPHyperparameters/validationMetric``, the loss by default — to the
/// trial (step *k* is epoch *k*) and throws `TrialPruned` out of the fit when the study's
/// pruner gives up on the trial. The signal passes through cross-validation unwrapped,
/// but there every fold would report epochs 1, 2, … again over the last fold's values:
/// watch one validation set, or prune per fold (as `ModelTuner` does).
///
/// ```swift
/// try study.optimize(trials: 30) { trial in
///   var h = MLPHyperparameters()
///   h.learningRate = try trial.suggestFloat("learningRate", 1e-4...1e-1, log: true)
///   let model = try MLPRegressor(h)
///     .fit(train, validation: valid, onEpoch: try MLPPruning(trial, hyperparameters: h).onEpoch)
///   // The model holds the best epoch's weights (restoreBestWeights), not the last's.
///   let d = model.diagnostics
///   return d.history.first { $0.epoch == d.selectedEpoch }?.validationLoss ?? .nan
/// }
/// ```
///
/// Steps count epochs from 1 (Optuna's Keras and PyTorch callbacks count from 0), so
/// a pruner's `warmupSteps: w` waits for epoch w + 1 here, one epoch more.
public struct MLPPruning: Sendable {
  /// The trial reported to.
  public let trial: Trial
  /// What is reported: the fit's validation metric (`.loss`: the validation loss).
  public let monitoring: MLPHyperparameters.ValidationMetric

  /// Creates the callback for a fit with `hyperparameters`.
  ///
  /// - Parameters:
  ///   - trial: The trial to report to and prune.
  ///   - hyperparameters: The fit's hyperparameters; their `validationMetric` is what is
  ///     reported, and it must improve in the study's direction.
  /// - Throws: `TuningError` when the validation metric improves the other way than the
  ///   study.
  public init(_ trial: Trial, hyperparameters: MLPHyperparameters) throws {
    let monitoring = hyperparameters.validationMetric
    guard monitoring.higherIsBetter == (trial.direction == .maximize) else {
      throw TuningError(
        "MLPPruning: the fit's validation metric \(monitoring.rawValue) improves \(monitoring.higherIsBetter ? "upwards" : "downwards") but the study \(trial.direction.rawValue)s; set hyperparameters.validationMetric to one that improves the study's way"
      )
    }
    self.trial = trial
    self.monitoring = monitoring
  }

  /// The `onEpoch` argument of the MLP fits.
  public var onEpoch: MLPEpochCallback {
    { [trial, monitoring] record in
      let value = monitoring == .loss ? record.validationLoss : record.validationMetric
      guard let value else {
        throw TuningError(
          "MLPPruning: epoch \(record.epoch) has no validation \(monitoring.rawValue); fit with a validation set")
      }
      trial.report(value, step: record.epoch)
      if trial.shouldPrune() { throw TrialPruned() }
      return .proceed
    }
  }
}
