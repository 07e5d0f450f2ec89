import Foundation
import HoneCore
import Synchronization

/// A finished (or running) trial as the study records it.
public struct FrozenTrial: Codable, Sendable, Equatable {
  /// How a trial ended.
  public enum State: String, Codable, Sendable {
    /// The objective is still running.
    case running
    /// The objective returned a value.
    case complete
    /// A pruner stopped the trial.
    case pruned
    /// The objective threw an error or returned a non-finite value.
    case failed
  }

  /// The trial's number in the study, from 0.
  public var number: Int
  /// How it ended.
  public var state: State
  /// The objective value (complete trials).
  public var value: Double?
  /// The sampled hyperparameters.
  public var parameters: [String: ParameterValue]
  /// The distribution each parameter was drawn from.
  public var distributions: [String: Distribution]
  /// Values reported during the trial, by step (boosting round, epoch, fold).
  public var intermediateValues: [Int: Double]
  /// Free-form notes attached by the objective.
  public var userAttributes: [String: String]
  /// The error of a failed trial.
  public var error: String?
  /// Wall-clock seconds the objective ran.
  public var seconds: Double

  /// Creates a record (for storage back ends, imports and tests).
  public init(
    number: Int, state: State, value: Double? = nil, parameters: [String: ParameterValue] = [:],
    distributions: [String: Distribution] = [:], intermediateValues: [Int: Double] = [:],
    userAttributes: [String: String] = [:], error: String? = nil, seconds: Double = 0
  ) {
    self.number = number
    self.state = state
    self.value = value
    self.parameters = parameters
    self.distributions = distributions
    self.intermediateValues = intermediateValues
    self.userAttributes = userAttributes
    self.error = error
    self.seconds = seconds
  }

  /// The attributes that record how a trial ran in its own study — its sampling
  /// position, death, retry count, queue entry, the trial it copied, its CMA-ES
  /// generation — and mean nothing in another: ``Study/addTrial(_:)`` drops them.
  public static let bookkeepingAttributes = [
    samplingIndexAttribute, diedWithProcessAttribute, attemptAttribute, enqueuedAttribute, duplicateOfAttribute,
    CMAESSampler.generationAttribute,
  ]

  /// The user attribute counting, on a trial that retries one whose process died, which
  /// run of the configuration it is: 2 for the first retry. A trial without it is the
  /// first run.
  public static let attemptAttribute = "hone.attempt"

  /// How many times a configuration whose process died is run again. One that kills its
  /// process every time — it runs out of memory, say — is run this many more times and then
  /// left failed, so the study moves on rather than retrying it for ever.
  public static let retriesAfterDeath = 2

  /// Which run of its configuration the trial is (``attemptAttribute``): 1, or more for a
  /// retry of a trial whose process died.
  public var attempt: Int { userAttributes[Self.attemptAttribute].flatMap { Int($0) } ?? 1 }

  /// Whether the trial died with its process after suggesting and a later trial runs (or
  /// will run) its parameters again: it is not the last run ``retriesAfterDeath`` allows.
  public var isRetriedAfterDeath: Bool {
    diedWithProcess && !parameters.isEmpty && attempt <= Self.retriesAfterDeath
  }

  /// The user attribute a storage sets to `"true"` on a trial it failed because the
  /// process running it stopped sending heartbeats.
  public static let diedWithProcessAttribute = "hone.diedWithProcess"

  /// The user attribute recording a trial's position in the sampler's random stream, so
  /// a retry of the trial, should its process die, takes the same position.
  public static let samplingIndexAttribute = "hone.samplingIndex"

  /// The user attribute that, set to `"true"`, says the trial's intermediate values are
  /// running summaries — the mean of the cross-validation folds so far, as `ModelTuner`
  /// reports them — rather than a learning curve. ``MedianPruner`` then judges the trial
  /// by its latest value: the best of a running mean over steps says nothing about the
  /// mean (folds scoring 0.5 then 3.0 have a best of 0.5 and a mean of 1.75).
  public static let runningSummaryAttribute = "hone.runningSummary"

  /// The user attribute naming, on a trial recorded without evaluation because it
  /// repeated a complete trial's parameters (``Trial/refuseDuplicate()``), that trial's
  /// number.
  public static let duplicateOfAttribute = "hone.duplicateOf"

  /// The user attribute holding, on a trial that ran a queued configuration, that
  /// configuration as JSON (its other parameters were sampled): what
  /// ``Study/enqueue(_:skipIfExists:)`` compares with.
  public static let enqueuedAttribute = "hone.enqueued"

  /// The queued configuration this trial ran (``enqueuedAttribute``), if any.
  public var enqueuedParameters: [String: ParameterValue]? {
    userAttributes[Self.enqueuedAttribute].flatMap {
      try? JSONDecoder().decode([String: ParameterValue].self, from: Data($0.utf8))
    }
  }

  /// `parameters` as JSON with sorted keys, or `nil` if they cannot be encoded.
  static func encodeParameters(_ parameters: [String: ParameterValue]) -> String? {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(parameters)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Whether the trial failed because its process died (its parameters were retried by
  /// a later trial), rather than because the objective failed.
  public var diedWithProcess: Bool { state == .failed && userAttributes[Self.diedWithProcessAttribute] == "true" }
}

/// Thrown by ``Trial/refuseDuplicate()`` for a configuration a complete trial already
/// evaluated: ``Study/optimize(trials:parallelism:timeout:onTrial:_:)`` records the trial complete
/// with the original's value without evaluating it again. Under ask-and-tell, tell the
/// trial `original.value` yourself.
public struct DuplicateTrial: PassThroughError, Sendable, CustomStringConvertible {
  /// The complete trial with the same parameters.
  public let original: FrozenTrial

  /// What happened.
  public var description: String {
    "trial \(original.number) already evaluated these parameters (value \(original.value.map { "\($0)" } ?? "none"))"
  }
}

/// Thrown by an objective to stop a trial that a pruner judged unpromising — also from
/// inside a fit (an MLP's epoch callback): cross-validation passes it on unwrapped
/// (``PassThroughError``), so the study still records the trial as pruned.
public struct TrialPruned: PassThroughError, Sendable {
  /// Creates the signal.
  public init() {}
}

/// One evaluation of the objective: it suggests hyperparameters (define-by-run, so later
/// choices may depend on earlier ones), reports intermediate values and asks whether to
/// stop.
///
/// ```swift
/// try study.optimize(trials: 50) { trial in
///   let depth = try trial.suggestInt("maxDepth", 2...8)
///   let rate = try trial.suggestFloat("learningRate", 1e-3...0.3, log: true)
///   return try crossValidatedLoss(depth: depth, rate: rate)
/// }
/// ```
public final class Trial: @unchecked Sendable {
  // `@unchecked Sendable`: a trial is used by the one thread running its objective; the
  // lock guards the record against the study reading it for a pruning decision.
  private let state: Mutex<FrozenTrial>
  private let context: StudyContext
  private let fixed: [String: ParameterValue]
  /// The trial's position in the sampler's random stream: its number minus the earlier
  /// trials that died with their process after suggesting (each retried by a later
  /// trial). A retry takes over the dead trial's position, so a study resumed after a
  /// crash samples what an uninterrupted one would. Recorded in the trial's user
  /// attributes (``FrozenTrial/samplingIndexAttribute``).
  private let samplingIndex: Int
  /// The sampler's joint choices, made at the first suggestion.
  private let joint = Mutex<[String: (Distribution, ParameterValue)]?>(nil)
  /// Tells the study's storage about a new parameter or intermediate value, so a trial
  /// whose process dies can be retried with the parameters it had reached.
  private let onChange: @Sendable (FrozenTrial) -> Void

  init(
    number: Int, samplingIndex: Int? = nil, context: StudyContext, fixed: [String: ParameterValue],
    onChange: @escaping @Sendable (FrozenTrial) -> Void = { _ in }
  ) {
    self.context = context
    self.fixed = fixed
    let samplingIndex = samplingIndex ?? number
    self.samplingIndex = samplingIndex
    self.onChange = onChange
    state = Mutex(
      FrozenTrial(
        number: number, state: .running, value: nil, parameters: [:], distributions: [:], intermediateValues: [:],
        userAttributes: [FrozenTrial.samplingIndexAttribute: String(samplingIndex)], error: nil, seconds: 0))
  }

  /// The trial's number in the study.
  public var number: Int { state.withLock { $0.number } }

  /// Whether the study minimises or maximises: the direction in which reported
  /// intermediate values must improve for the pruner to judge them right.
  public var direction: Direction { context.direction }

  /// The record so far.
  public var snapshot: FrozenTrial { state.withLock { $0 } }

  /// Suggests a real number in `range`, on a log scale with `log`, or on a grid of `step`.
  ///
  /// - Throws: ``TuningError`` for a malformed range, or a name suggested before with a
  ///   different range.
  public func suggestFloat(_ name: String, _ range: ClosedRange<Double>, log: Bool = false, step: Double? = nil) throws
    -> Double
  {
    guard
      case .double(let x) = try suggest(
        name, .float(low: range.lowerBound, high: range.upperBound, log: log, step: step))
    else { throw TuningError("`\(name)` is not a float parameter") }
    return x
  }

  /// Suggests an integer in `range`, on a log scale with `log`, or in multiples of `step`.
  ///
  /// - Throws: ``TuningError`` as ``suggestFloat(_:_:log:step:)``.
  public func suggestInt(_ name: String, _ range: ClosedRange<Int>, log: Bool = false, step: Int = 1) throws -> Int {
    guard
      case .int(let x) = try suggest(name, .int(low: range.lowerBound, high: range.upperBound, log: log, step: step))
    else { throw TuningError("`\(name)` is not an integer parameter") }
    return x
  }

  /// Suggests one of `choices`.
  ///
  /// - Throws: ``TuningError`` as ``suggestFloat(_:_:log:step:)``.
  public func suggestCategorical(_ name: String, _ choices: [String]) throws -> String {
    guard case .string(let x) = try suggest(name, .categorical(choices)) else {
      throw TuningError("`\(name)` is not a categorical parameter")
    }
    return x
  }

  /// Suggests one of `choices` that are not strings — layer counts, flags, the cases of an
  /// enum conforming to `LosslessStringConvertible` — as Optuna's `suggest_categorical`
  /// takes any values. They are recorded (and shown to
  /// the sampler) as their text, so choices must differ in their text.
  ///
  /// ```swift
  /// let layers = try trial.suggestCategorical("layers", [1, 2, 3])
  /// let centred = try trial.suggestCategorical("centred", [true, false])
  /// ```
  ///
  /// - Throws: ``TuningError`` as ``suggestFloat(_:_:log:step:)``, or for two choices
  ///   with the same text.
  public func suggestCategorical<Choice: LosslessStringConvertible>(_ name: String, _ choices: [Choice]) throws
    -> Choice
  {
    let texts = choices.map(\.description)
    guard Set(texts).count == texts.count else {
      throw TuningError(
        "`\(name)` has choices with the same text (\(texts.joined(separator: ", "))); make them distinct")
    }
    let chosen = try suggestCategorical(name, texts)
    guard let index = texts.firstIndex(of: chosen) else {
      throw TuningError("`\(name)` took `\(chosen)`, which is not one of \(texts.joined(separator: ", "))")
    }
    return choices[index]
  }

  /// Suggests a value from any distribution.
  ///
  /// - Throws: ``TuningError`` for a malformed distribution, a name reused with another
  ///   distribution, a name the sampler's declared space gives another distribution
  ///   (``Sampler/declaredSpace``), or an enqueued value — or one the sampler gave, such
  ///   as a grid's — outside the distribution.
  public func suggest(_ name: String, _ distribution: Distribution) throws -> ParameterValue {
    try distribution.validate(name: name)
    if let declared = context.sampler.declaredSpace?[name], declared != distribution {
      throw TuningError(
        "`\(name)` is suggested as \(distribution) but the sampler's declared space has \(declared); suggest it as declared or declare it as suggested (otherwise the sampler cannot model it and draws it at random)"
      )
    }
    if let existing = state.withLock({ $0.distributions[name] }) {
      guard existing == distribution else {
        throw TuningError("`\(name)` was suggested before with \(existing); one name, one distribution per trial")
      }
      if let value = state.withLock({ $0.parameters[name] }) { return value }
    }
    let value: ParameterValue
    if let given = fixed[name] {
      guard let accepted = distribution.accepting(given) else {
        throw TuningError(
          "the fixed value \(given) of `\(name)` (enqueued, or kept from a trial that died) is outside \(distribution)")
      }
      value = accepted
    } else if let only = distribution.singleValue {
      value = only
    } else {
      let drawn: ParameterValue
      if let joint = jointChoices()[name], joint.0 == distribution {
        drawn = joint.1
      } else {
        drawn = context.sampler.sample(
          name, distribution, trial: samplingIndex, history: context.history, direction: context.direction)
      }
      // The built-in samplers draw inside the range; a grid's listed values, or another
      // sampler's, are taken as given values are (an integer for a real parameter).
      guard let accepted = distribution.accepting(drawn) else {
        throw TuningError(
          "the sampler gave `\(name)` the value \(drawn), which is outside \(distribution); "
            + "list values inside the range (a grid's decimal steps are best written out, not summed)")
      }
      value = accepted
    }
    let record = state.withLock {
      $0.distributions[name] = distribution
      $0.parameters[name] = value
      return $0
    }
    onChange(record)
    return value
  }

  /// The values this trial will take for the parameters the sampler chose jointly, with
  /// enqueued values in their place: what a constant-liar sampler assumes a running trial
  /// has, before the objective suggests them.
  func plannedParameters() -> (parameters: [String: ParameterValue], distributions: [String: Distribution]) {
    var parameters: [String: ParameterValue] = [:]
    var distributions: [String: Distribution] = [:]
    for (name, choice) in jointChoices() {
      distributions[name] = choice.0
      parameters[name] = fixed[name].flatMap(choice.0.accepting) ?? choice.1
    }
    return (parameters, distributions)
  }

  private func jointChoices() -> [String: (Distribution, ParameterValue)] {
    joint.withLock { cached in
      if let cached { return cached }
      let choices = context.sampler.sampleJointly(
        trial: samplingIndex, history: context.history, direction: context.direction)
      cached = choices
      return choices
    }
  }

  /// Records an intermediate value at `step` (a boosting round, an epoch, a fold). A
  /// step reported before keeps its first value, as in Optuna: pruners have judged it, and
  /// other trials compare with it. A report after the trial was told is ignored.
  public func report(_ value: Double, step: Int) {
    let record: FrozenTrial? = state.withLock {
      guard $0.state == .running, $0.intermediateValues[step] == nil else { return nil }
      $0.intermediateValues[step] = value
      return $0
    }
    if let record { onChange(record) }
  }

  /// Whether the study's pruner says to stop this trial now; if so, throw ``TrialPruned``.
  public func shouldPrune() -> Bool {
    let decision = context.pruner.decide(snapshot, history: context.history, direction: context.direction)
    if !decision.attributes.isEmpty {
      // Stored at once, as Optuna stores a rung's value when it judges it.
      let record = state.withLock {
        $0.userAttributes.merge(decision.attributes) { _, new in new }
        return $0
      }
      onChange(record)
    }
    return decision.prune
  }

  /// The earliest complete trial with exactly this trial's parameters — the same names
  /// and values — among the trials finished when this one started (those its sampler
  /// learns from); `nil` when there is none or nothing has been suggested yet.
  ///
  /// Samplers repeat configurations, above all in integer and categorical spaces; when
  /// the objective is deterministic, ``refuseDuplicate()`` saves evaluating one again.
  public var completedDuplicate: FrozenTrial? {
    let parameters = state.withLock { $0.parameters }
    guard !parameters.isEmpty else { return nil }
    return context.history
      .filter { $0.state == .complete && $0.value?.isFinite == true && $0.parameters == parameters }
      .min { $0.number < $1.number }
  }

  /// Throws ``DuplicateTrial`` when a complete trial already evaluated this trial's
  /// parameters (``completedDuplicate``); call it after suggesting every parameter.
  /// Inside ``Study/optimize(trials:parallelism:timeout:onTrial:_:)`` the trial is then recorded
  /// complete with that trial's value, intermediate values and attributes (and
  /// ``FrozenTrial/duplicateOfAttribute``) without evaluating it again. Use it only for a
  /// deterministic objective: a noisy one should see a configuration again.
  public func refuseDuplicate() throws {
    if let original = completedDuplicate { throw DuplicateTrial(original: original) }
  }

  /// Attaches a note to the trial.
  public func setUserAttribute(_ key: String, _ value: String) {
    state.withLock { $0.userAttributes[key] = value }
  }

  func finish(_ update: (inout FrozenTrial) -> Void) -> FrozenTrial {
    state.withLock { record in
      update(&record)
      return record
    }
  }
}

/// What a trial sees of its study: the other trials at the time it started — finished
/// ones, and running ones with the parameters they had or were planned to take — the
/// sampler, the pruner and the direction. Freezing the history per trial, in the order
/// trials are asked, is what makes parallel studies reproducible.
struct StudyContext: Sendable {
  let history: [FrozenTrial]
  let sampler: any Sampler
  let pruner: any Pruner
  let direction: Direction
}

/// Whether the study minimises or maximises the objective.
public enum Direction: String, Codable, Sendable {
  /// Smaller is better.
  case minimize
  /// Larger is better.
  case maximize

  /// Whether `a` is better than `b`.
  public func isBetter(_ a: Double, than b: Double) -> Bool { self == .minimize ? a < b : a > b }

  /// The complete trial with the best finite value, the earliest on a tie; `nil` when
  /// none has one. (A record written straight to a storage can hold a NaN or no value,
  /// which no comparison would ever replace.)
  public func best(of trials: [FrozenTrial]) -> FrozenTrial? {
    trials.filter { $0.state == .complete && $0.value?.isFinite == true }.reduce(nil) { best, trial in
      guard let best, let bestValue = best.value, let value = trial.value else { return best ?? trial }
      return isBetter(value, than: bestValue) ? trial : best
    }
  }
}
