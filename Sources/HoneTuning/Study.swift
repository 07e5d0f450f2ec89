import Dispatch
import Foundation
import HoneCore
import HoneLinearAlgebra
import Synchronization

/// A hyperparameter search: a direction, a sampler, a pruner and the trials so far.
///
/// ```swift
/// let study = Study(direction: .minimize, sampler: TPESampler(seed: 7))
/// try study.optimize(trials: 100, parallelism: 2) { trial in
///   let x = try trial.suggestFloat("x", -5...5)
///   return (x - 2) * (x - 2)
/// }
/// print(study.bestTrial?.parameters ?? [:])
/// ```
///
/// **Reproducibility.** With a seeded sampler the same objective gives the same trials,
/// also in parallel: trials run in waves of `parallelism`, and every trial of a wave sees
/// exactly the trials finished before the wave, whatever order the threads finish in.
/// Parallel trials run with BLAS on one thread each (``BLASThreadPolicy``).
///
/// Failed trials keep their error and do not stop the study; a pruned trial keeps its
/// intermediate values.
public final class Study: @unchecked Sendable {
  // `@unchecked Sendable`: all mutable state sits behind `records`' lock.
  private struct Records {
    var trials: [FrozenTrial] = []
    var queue: [[String: ParameterValue]] = []
  }

  /// The study's name.
  public let name: String
  /// Whether the objective is minimised or maximised.
  public let direction: Direction
  /// The sampler.
  public let sampler: any Sampler
  /// The pruner.
  public let pruner: any Pruner
  private let records = Mutex(Records())

  /// Creates a study.
  public init(
    name: String = "study", direction: Direction = .minimize, sampler: any Sampler = TPESampler(),
    pruner: any Pruner = NoPruner()
  ) {
    self.name = name
    self.direction = direction
    self.sampler = sampler
    self.pruner = pruner
  }

  /// Every trial so far, by number.
  public var trials: [FrozenTrial] { records.withLock { $0.trials } }

  /// The best complete trial, or `nil` before one completes. Ties go to the earliest.
  public var bestTrial: FrozenTrial? {
    trials.filter { $0.state == .complete }.reduce(nil) { best, trial in
      guard let best, let bestValue = best.value, let value = trial.value else { return best ?? trial }
      return direction.isBetter(value, than: bestValue) ? trial : best
    }
  }

  /// Queues a configuration to be tried next: the next trial takes these values instead
  /// of sampling them (a known good configuration, a baseline).
  public func enqueue(_ parameters: [String: ParameterValue]) {
    records.withLock { $0.queue.append(parameters) }
  }

  /// Starts a trial for the ask-and-tell interface; finish it with ``tell(_:value:)`` or
  /// ``tell(_:state:error:)``.
  public func ask() -> Trial {
    let (number, history, fixed) = records.withLock { r -> (Int, [FrozenTrial], [String: ParameterValue]) in
      let number = r.trials.count
      let fixed = r.queue.isEmpty ? [:] : r.queue.removeFirst()
      let history = r.trials.filter { $0.state != .running }
      r.trials.append(placeholder(number))
      return (number, history, fixed)
    }
    return Trial(number: number, context: context(history), fixed: fixed)
  }

  /// Records a trial's objective value; a non-finite value fails the trial.
  public func tell(_ trial: Trial, value: Double, seconds: Double = 0) {
    let record = trial.finish { record in
      record.seconds = seconds
      if value.isFinite {
        record.state = .complete
        record.value = value
      } else {
        record.state = .failed
        record.error = "the objective returned \(value)"
      }
    }
    store(record)
  }

  /// Records a trial that was pruned or failed.
  public func tell(_ trial: Trial, state: FrozenTrial.State, error: String? = nil, seconds: Double = 0) {
    let record = trial.finish { record in
      record.state = state
      record.error = error
      record.seconds = seconds
    }
    store(record)
  }

  /// Runs `trials` more trials of `objective`.
  ///
  /// - Parameters:
  ///   - trials: How many trials to run.
  ///   - parallelism: Trials run at once (in waves); at most the core count is useful.
  ///   - timeout: Seconds after which no new wave starts.
  ///   - objective: Suggests parameters on the trial and returns the value to optimise;
  ///     throw ``TrialPruned`` to prune, any other error to fail the trial.
  /// - Throws: ``TuningError`` for `trials < 0` or `parallelism < 1`.
  public func optimize(
    trials: Int, parallelism: Int = 1, timeout: Double? = nil, _ objective: @escaping @Sendable (Trial) throws -> Double
  ) throws {
    guard trials >= 0 else { throw TuningError("trials must be ≥ 0, got \(trials)") }
    guard parallelism >= 1 else { throw TuningError("parallelism must be ≥ 1, got \(parallelism)") }
    let start = Date()
    var remaining = trials
    while remaining > 0 {
      if let timeout, Date().timeIntervalSince(start) >= timeout { break }
      let wave = Swift.min(parallelism, remaining)
      remaining -= wave
      let asked = (0..<wave).map { _ in ask() }
      let run: @Sendable (Int) -> Void = { [self] k in evaluate(asked[k], objective) }
      if wave == 1 {
        run(0)
      } else {
        BLASThreadPolicy.withThreadCount(1) { DispatchQueue.concurrentPerform(iterations: wave, execute: run) }
      }
    }
  }

  /// The trials as CSV: number, state, value, seconds, then one column per parameter.
  public func trialsCSV() -> String {
    let all = trials
    let names = Set(all.flatMap { $0.parameters.keys }).sorted()
    var lines = [(["number", "state", "value", "seconds"] + names).joined(separator: ",")]
    for t in all {
      let cells =
        [String(t.number), t.state.rawValue, t.value.map { $0.description } ?? "", t.seconds.description]
        + names.map { t.parameters[$0].map { quoteCSV($0.description) } ?? "" }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The trials as JSON (an array of ``FrozenTrial``).
  ///
  /// - Throws: An encoding error (not expected for finite values).
  public func trialsJSON() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(trials)
  }

  // MARK: Internals

  private func evaluate(_ trial: Trial, _ objective: @Sendable (Trial) throws -> Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    do {
      let value = try objective(trial)
      tell(trial, value: value, seconds: elapsed())
    } catch is TrialPruned {
      tell(trial, state: .pruned, seconds: elapsed())
    } catch {
      tell(trial, state: .failed, error: "\(error)", seconds: elapsed())
    }
  }

  private func store(_ record: FrozenTrial) {
    records.withLock { r in
      if record.number < r.trials.count { r.trials[record.number] = record }
    }
  }

  private func context(_ history: [FrozenTrial]) -> StudyContext {
    StudyContext(history: history, sampler: sampler, pruner: pruner, direction: direction)
  }

  private func placeholder(_ number: Int) -> FrozenTrial {
    FrozenTrial(
      number: number, state: .running, value: nil, parameters: [:], distributions: [:], intermediateValues: [:],
      userAttributes: [:], error: nil, seconds: 0)
  }
}

private func quoteCSV(_ text: String) -> String {
  text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}
