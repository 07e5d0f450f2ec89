/// One epoch of training, as the history records it and the epoch callback sees it.
public struct MLPEpochRecord: Codable, Sendable, Equatable {
  /// The epoch, counted from 1.
  public var epoch: Int
  /// The mean training loss over the epoch's mini-batches, weighted by their rows, as
  /// the batches were trained (without the weight penalty).
  public var trainLoss: Double
  /// The loss on the validation rows after the epoch, if there are any.
  public var validationLoss: Double?
  /// The validation metric (``MLPHyperparameters/validationMetric``) after the epoch,
  /// if there are validation rows.
  public var validationMetric: Double?
  /// The learning rate of the epoch's last step.
  public var learningRate: Double

  /// Creates a record.
  ///
  /// - Parameters:
  ///   - epoch: The epoch, from 1.
  ///   - trainLoss: The mean training loss.
  ///   - validationLoss: The validation loss, if any.
  ///   - validationMetric: The validation metric, if any.
  ///   - learningRate: The last learning rate.
  public init(epoch: Int, trainLoss: Double, validationLoss: Double?, validationMetric: Double?, learningRate: Double) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.validationMetric = validationMetric
    self.learningRate = learningRate
  }
}

/// What the epoch callback of ``MLPClassifier/fit(_:validation:onEpoch:)`` asks for next.
public enum MLPEpochDecision: Sendable, Equatable {
  /// Train the next epoch.
  case proceed
  /// Stop now (a tuning pruner gave up on the trial); the fit returns a model as after
  /// early stopping.
  case stop
}

/// Called after every epoch with its record; tuning's pruners return ``MLPEpochDecision/stop``
/// to end unpromising trials. Errors it throws end the fit and propagate.
public typealias MLPEpochCallback = (MLPEpochRecord) throws -> MLPEpochDecision

/// How a multilayer perceptron's training went: the per-epoch history and why it stopped.
public struct MLPDiagnostics: Codable, Sendable, Equatable {
  /// Why training ended.
  public enum StopReason: String, Codable, Sendable {
    /// All ``MLPHyperparameters/epochs`` ran.
    case epochLimit
    /// The monitored quantity did not improve for ``MLPHyperparameters/earlyStoppingPatience`` epochs.
    case earlyStopping
    /// The epoch callback asked to stop.
    case callback
  }

  /// One record per epoch that ran.
  public var history: [MLPEpochRecord]
  /// Why training ended.
  public var stopReason: StopReason
  /// The epoch whose weights the model holds (the best one when best weights were
  /// restored, else the last).
  public var selectedEpoch: Int
  /// The number of optimiser steps (mini-batches) taken.
  public var steps: Int
  /// Human-readable warnings.
  public var warnings: [String]

  /// The number of epochs that ran.
  public var epochsRun: Int { history.count }

  /// Creates diagnostics.
  ///
  /// - Parameters:
  ///   - history: The per-epoch records.
  ///   - stopReason: Why training ended.
  ///   - selectedEpoch: The epoch whose weights the model holds.
  ///   - steps: The optimiser steps taken.
  ///   - warnings: Human-readable warnings.
  public init(
    history: [MLPEpochRecord], stopReason: StopReason, selectedEpoch: Int, steps: Int, warnings: [String] = []
  ) {
    self.history = history
    self.stopReason = stopReason
    self.selectedEpoch = selectedEpoch
    self.steps = steps
    self.warnings = warnings
  }
}
