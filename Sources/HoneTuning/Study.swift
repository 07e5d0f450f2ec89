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
/// Parallel trials run with BLAS on one thread each (``BLASThreadPolicy``). An `async`
/// objective runs through the `async` overload of ``optimize(trials:parallelism:timeout:onTrial:_:)``
/// — each wave a task group — with the same trials for the same seed.
///
/// Failed trials keep their error and do not stop the study; a pruned trial keeps its
/// intermediate values.
///
/// **Known and repeated configurations.** ``enqueue(_:skipIfExists:)`` queues a
/// configuration for the next trial, optionally refused when a trial already has it. An
/// objective that calls ``Trial/refuseDuplicate()`` after suggesting is not evaluated
/// again for a configuration a complete trial has: the trial is recorded as its copy.
///
/// **Storage.** Trials live in a ``StudyStorage``: in memory by default, or in a
/// ``JournalStorage`` file to survive a crash and to share a study between processes.
/// Opening a study by name on a durable storage resumes it: finished trials are kept, and
/// running trials whose process stopped sending heartbeats are marked failed; the next
/// trials asked for — by any process sharing the storage — retry their parameters, each
/// dead trial exactly once (the claim is recorded in the storage, so a retry owed by a
/// process that dies before making it is taken up by the next).
public final class Study: @unchecked Sendable {
  // `@unchecked Sendable`: all mutable state sits behind `records`' lock.
  private struct Records {
    /// The trials last read from the storage, returned when it cannot be read.
    var trials: [FrozenTrial] = []
    /// Trials this object runs, which it keeps alive with heartbeats.
    var running: Set<Int> = []
    /// The jointly sampled parameters of the running trials this object asked for, shown
    /// to later trials' samplers before the objective has suggested them.
    var planned: [Int: (parameters: [String: ParameterValue], distributions: [String: Distribution])] = [:]
    /// The first storage error met where it could not be thrown and that belongs to no
    /// one trial (a heartbeat, a trial's final record inside `optimize`).
    var storageError: (any Error)?
    /// The heartbeat timer, started by the first ask and kept until the study object goes
    /// (it beats for nobody while ``running`` is empty): making and cancelling a timer per
    /// trial was a twentieth of a sequential ask's cost.
    var heartbeat: HeartbeatTimer?
    /// Whether an `optimize` call is running on this object.
    var optimizing = false
    /// Set by ``stop()``: the running `optimize` starts no further wave.
    var stopRequested = false
  }

  /// The study's name.
  public let name: String
  /// Whether the objective is minimised or maximised.
  public let direction: Direction
  /// The sampler.
  public let sampler: any Sampler
  /// The pruner.
  public let pruner: any Pruner
  /// Where the trials are kept.
  public let storage: any StudyStorage
  /// Seconds between heartbeats of the trials this object runs — through
  /// ``optimize(trials:parallelism:timeout:onTrial:_:)`` or asked for with ``ask()`` and not yet
  /// told.
  public let heartbeatInterval: Double
  /// Seconds without a heartbeat after which another process's running trial counts as
  /// dead: it is failed, and the next trial asked for retries its parameters.
  public let staleAfter: Double
  private let records = Mutex(Records())
  /// The first storage error met recording each trial's suggestions and reports, thrown
  /// by that trial's tell — not by another's.
  private let trialStorageErrors = Mutex<[Int: any Error]>([:])

  /// The longest finite heartbeat interval a study takes, in seconds (about 31 years).
  public static let longestHeartbeatInterval = 1e9

  /// Creates a study kept in memory.
  public init(
    name: String = "study", direction: Direction = .minimize, sampler: any Sampler = TPESampler(),
    pruner: any Pruner = NoPruner()
  ) {
    self.name = name
    self.direction = direction
    self.sampler = sampler
    self.pruner = pruner
    self.storage = InMemoryStorage(study: name, direction: direction)
    self.heartbeatInterval = 10
    self.staleAfter = 60
  }

  /// Creates the study `name` in `storage`, or resumes it.
  ///
  /// Resuming keeps every finished trial. A running trial whose last heartbeat is older
  /// than `staleAfter` seconds belonged to a process that died: it is marked failed, and
  /// the next trial asked for retries its parameters (``StudyStorage/claimRetry(inStudy:for:)``).
  /// The check is made again at every ``ask()`` while another process's trial is running,
  /// so a trial that dies after this study started is retried too.
  ///
  /// - Parameters:
  ///   - name: The study's name in the storage.
  ///   - direction: Whether to minimise or maximise; must match a stored study's.
  ///   - sampler: The sampler.
  ///   - pruner: The pruner.
  ///   - storage: Where trials are kept, e.g. ``JournalStorage``.
  ///   - heartbeatInterval: Seconds between heartbeats of running trials.
  ///   - staleAfter: Seconds without a heartbeat after which a running trial counts as
  ///     dead; keep it several times `heartbeatInterval`, or live trials of other
  ///     processes sharing the storage are failed.
  /// - Throws: ``TuningError`` for a direction that differs from the stored study's,
  ///   non-positive intervals, or a heartbeat interval longer than
  ///   ``longestHeartbeatInterval``; the storage's I/O errors.
  public init(
    name: String, direction: Direction = .minimize, sampler: any Sampler = TPESampler(),
    pruner: any Pruner = NoPruner(), storage: any StudyStorage, heartbeatInterval: Double = 10,
    staleAfter: Double = 60
  ) throws {
    guard heartbeatInterval > 0, staleAfter > 0 else {
      throw TuningError(
        "heartbeatInterval and staleAfter must be positive, got \(heartbeatInterval) and \(staleAfter)")
    }
    // Dispatch's timer counts its interval in nanoseconds in a UInt64 (about 585 years);
    // infinity means no beat at all.
    guard heartbeatInterval <= Self.longestHeartbeatInterval || heartbeatInterval == .infinity else {
      throw TuningError(
        "heartbeatInterval must be at most \(Self.longestHeartbeatInterval) seconds (or infinity for no "
          + "heartbeats), got \(heartbeatInterval)")
    }
    self.name = name
    self.direction = direction
    self.sampler = sampler
    self.pruner = pruner
    self.storage = storage
    self.heartbeatInterval = heartbeatInterval
    self.staleAfter = staleAfter
    try storage.createStudy(named: name, direction: direction)
    _ = try storage.failStaleTrials(inStudy: name, olderThan: staleAfter)
    let trials = try storage.trials(inStudy: name)
    records.withLock { r in r.trials = trials }
  }

  /// Opens the study `name` that `storage` holds, in its stored direction — Optuna's
  /// `load_study`. Unlike ``init(name:direction:sampler:pruner:storage:heartbeatInterval:staleAfter:)``
  /// it does not create a study that is missing.
  ///
  /// ```swift
  /// let study = try Study.load(name: "gbdt", storage: JournalStorage(path: "studies.jsonl"))
  /// print(study.direction, study.bestTrial?.parameters ?? [:])
  /// ```
  ///
  /// - Throws: ``TuningError`` when the storage has no study `name` (naming those it has);
  ///   the storage's errors, including a back end's that cannot list its studies.
  public static func load(
    name: String, sampler: any Sampler = TPESampler(), pruner: any Pruner = NoPruner(), storage: any StudyStorage,
    heartbeatInterval: Double = 10, staleAfter: Double = 60
  ) throws -> Study {
    let studies = try storage.studies()
    guard let stored = studies.first(where: { $0.name == name }) else {
      let names = studies.map(\.name)
      throw TuningError(
        "no study named `\(name)` in this storage; "
          + (names.isEmpty ? "it holds none" : "it holds \(names.map { "`\($0)`" }.joined(separator: ", "))"))
    }
    return try Study(
      name: name, direction: stored.direction, sampler: sampler, pruner: pruner, storage: storage,
      heartbeatInterval: heartbeatInterval, staleAfter: staleAfter)
  }

  /// Every trial so far, by number, including those of other processes sharing the
  /// storage. If the storage cannot be read, the trials last read.
  public var trials: [FrozenTrial] {
    do {
      let trials = try storage.trials(inStudy: name)
      records.withLock { $0.trials = trials }
      return trials
    } catch {
      return records.withLock { $0.trials }
    }
  }

  /// The best complete trial, or `nil` before one completes. Ties go to the earliest.
  public var bestTrial: FrozenTrial? { direction.best(of: trials) }

  /// Sets a user attribute of the study — Optuna's `study.set_user_attr` — kept in the
  /// storage with the trials: what the study is about, the data it ran on.
  ///
  /// - Throws: The storage's error, e.g. ``TuningError`` from a back end without study
  ///   attributes.
  public func setUserAttribute(_ key: String, _ value: String) throws {
    try storage.setStudyAttributes([key: value], inStudy: name)
  }

  /// Sets several user attributes of the study in one step: a crash leaves all or none.
  ///
  /// - Throws: As ``setUserAttribute(_:_:)``.
  public func setUserAttributes(_ attributes: [String: String]) throws {
    try storage.setStudyAttributes(attributes, inStudy: name)
  }

  /// The study's user attributes — Optuna's `study.user_attrs` — including those other
  /// processes sharing the storage set.
  ///
  /// - Throws: The storage's error when it cannot be read.
  public func userAttributes() throws -> [String: String] {
    try storage.studyAttributes(inStudy: name)
  }

  /// The best complete trial's value — Optuna's `study.best_value` — or `nil` before one
  /// completes.
  public var bestValue: Double? { bestTrial?.value }

  /// The best complete trial's parameters — Optuna's `study.best_params` — or `nil`
  /// before one completes.
  public var bestParameters: [String: ParameterValue]? { bestTrial?.parameters }

  /// Queues a configuration to be tried next: the next trial asked for — by any process
  /// sharing the storage, once any retry of a dead trial is made — takes these values
  /// instead of sampling them (a known good configuration, a baseline); a number given
  /// as an integer for a real parameter, or as a whole real for an integer one, is taken
  /// as that number. The queue is kept in the storage, so a study resumed after a crash
  /// still runs it; a trial that took it and died is retried with it like any dead trial,
  /// or, if it died before suggesting, leaves it waiting once its death is found.
  ///
  /// - Parameters:
  ///   - parameters: The values, by parameter name.
  ///   - skipIfExists: Refuse a configuration the study has — queued before, or run by a
  ///     trial in any state (compared by what it was queued with) — with the same names
  ///     and values (numbers by value), as Optuna's `skip_if_exists`, so a script that
  ///     enqueues its baselines can be run again; checked in the storage's atomic step, so
  ///     two processes enqueuing the same configuration at once queue it once.
  /// - Returns: Whether the configuration was queued.
  /// - Throws: The storage's error when it cannot be read or written.
  @discardableResult
  public func enqueue(_ parameters: [String: ParameterValue], skipIfExists: Bool = false) throws -> Bool {
    try storage.enqueue(parameters, inStudy: name, skipIfExists: skipIfExists)
  }

  /// Starts a trial for the ask-and-tell interface; finish it with ``tell(_:value:seconds:)``
  /// or ``tell(_:state:error:seconds:)``.
  ///
  /// The trial records each suggestion and report in the storage, which also counts as a
  /// heartbeat, and a timer beats for it every ``heartbeatInterval`` seconds until it is
  /// told, so a long objective that neither suggests nor reports is not failed as dead by
  /// another process resuming the study. (A trial never told keeps beating while this
  /// study object lives.)
  ///
  /// The sampler sees the study's other trials, running ones included: those of this
  /// study object carry the parameters their sampler chose jointly when they were asked
  /// for (so a constant-liar sampler can steer a wave's trials apart deterministically),
  /// those of other processes the parameters they have suggested so far.
  ///
  /// - Throws: ``TuningError`` when the sampler's declared space has a malformed
  ///   distribution; the storage's error when it cannot allocate a trial number.
  public func ask() throws -> Trial {
    // The sampler draws from its declared space before any suggest could validate it.
    for (parameter, distribution) in (sampler.declaredSpace ?? [:]).sorted(by: { $0.key < $1.key }) {
      do {
        try distribution.validate(name: parameter)
      } catch let error as TuningError {
        throw TuningError("the sampler's declared space: \(error.message)")
      }
    }
    // The history is read before the trial is created, so it holds exactly the trials
    // numbered below it (less any another process creates in between, which have no
    // parameters yet) and can be handed to the sampler without copying each trial.
    var stored = try storage.trials(inStudy: name)
    // A running trial that is not this object's is another process's; if that process
    // died since the last look, its trial is failed now and retried below. (By index: a
    // closure over the elements would copy every record.)
    let mine = records.withLock { $0.running }
    let othersRunning = stored.indices.contains { stored[$0].state == .running && !mine.contains(stored[$0].number) }
    if othersRunning, try !storage.failStaleTrials(inStudy: name, olderThan: staleAfter).isEmpty {
      stored = try storage.trials(inStudy: name)
    }
    let number = try storage.createTrial(inStudy: name)
    // Earlier trials that died with their process after suggesting: a retry of one is
    // owed first (the claim is skipped when none died), and a retry takes over the dead
    // trial's position in the sampler's stream, so the others leave it — each new trial
    // that is not a retry takes the next position no other trial has taken, even when a
    // death is found only after later trials began. (A trial that died before suggesting
    // is never retried and keeps its position.)
    let died = Self.deathsAfterSuggesting(in: stored)
    let retry: FrozenTrial?
    let queued: [String: ParameterValue]?
    do {
      retry = died > 0 ? try storage.claimRetry(inStudy: name, for: number) : nil
      // Otherwise the oldest queued configuration, taken in the storage so that exactly
      // one trial of all the processes runs it.
      queued = retry == nil ? try storage.claimQueued(inStudy: name, for: number) : nil
    } catch {
      // The trial is not run, nor left running unbeaten; recorded as one whose process
      // never ran it, so a claim that reached the storage is offered to the next trial.
      let abandoned = FrozenTrial(
        number: number, state: .failed, userAttributes: [FrozenTrial.diedWithProcessAttribute: "true"],
        error: "not run: asking for it failed: \(error)")
      try? storage.updateTrial(abandoned, inStudy: name)
      throw error
    }
    let samplingIndex = retry.map { Self.samplingIndex(of: $0, in: stored) } ?? number - died
    // A retry of a trial that ran a queued configuration takes the queued values it had
    // not suggested yet as well as those it had.
    let fixed =
      retry.map { dead in (dead.enqueuedParameters ?? [:]).merging(dead.parameters) { _, suggested in suggested } }
      ?? queued ?? [:]
    let enqueued = retry?.userAttributes[FrozenTrial.enqueuedAttribute] ?? queued.flatMap(FrozenTrial.encodeParameters)
    let planned = records.withLock { r in
      r.running.insert(number)
      if r.heartbeat == nil { r.heartbeat = HeartbeatTimer(startHeartbeats()) }
      return r.planned
    }
    // Running trials of this object show the parameters their sampler planned; only then
    // is the history copied (at a thousand trials, copying every trial's record was a
    // tenth of an ask).
    var history = stored
    if !planned.isEmpty {
      for k in history.indices where history[k].state == .running {
        guard let plan = planned[history[k].number] else { continue }
        history[k].parameters.merge(plan.parameters) { suggested, _ in suggested }
        history[k].distributions.merge(plan.distributions) { suggested, _ in suggested }
      }
    }
    // The pruner may narrow what the sampler learns from (Hyperband: the trial's bracket);
    // the sampling index still counts every earlier trial.
    let visible = pruner.samplerHistory(history, forTrial: number)
    // Weakly: a trial kept after it was told does not keep the study, its storage and
    // its heartbeat timer alive.
    let trial = Trial(number: number, samplingIndex: samplingIndex, context: context(visible), fixed: fixed) {
      [weak self] record in
      guard let self else { return }
      do {
        try storage.updateTrial(record, inStudy: name)
      } catch {
        trialStorageErrors.withLock { errors in errors[record.number] = errors[record.number] ?? error }
      }
    }
    // A retry runs the dead trial's values, so what the sampler recorded about drawing
    // them (a CMA-ES generation) is the dead trial's — or nothing — not today's.
    let noted = sampler.trialAttributes(trial: samplingIndex, history: visible, direction: direction)
    for (key, value) in noted {
      if let retry {
        if let recorded = retry.userAttributes[key] { trial.setUserAttribute(key, recorded) }
      } else {
        trial.setUserAttribute(key, value)
      }
    }
    if let enqueued { trial.setUserAttribute(FrozenTrial.enqueuedAttribute, enqueued) }
    if let retry { trial.setUserAttribute(FrozenTrial.attemptAttribute, String(retry.attempt + 1)) }
    // Stored at once, so another process sees them before the trial first suggests (a
    // rerun enqueuing with `skipIfExists` the configuration this trial took), and a retry
    // that dies is known for one.
    if enqueued != nil || retry != nil || !noted.isEmpty {
      do {
        try storage.updateTrial(trial.snapshot, inStudy: name)
      } catch {
        // Not left running (and beating) for as long as the study lives.
        try? tell(trial, state: .failed, error: "not run: its record could not be stored: \(error)")
        throw error
      }
    }
    // Joint choices depend only on the frozen history, so making them now rather than at
    // the first suggestion changes no value; it lets the next trial of the wave see them.
    let plan = trial.plannedParameters()
    if !plan.parameters.isEmpty { records.withLock { $0.planned[number] = plan } }
    return trial
  }

  /// Records a trial's objective value; a non-finite value fails the trial.
  ///
  /// - Throws: The storage's error when it cannot record the trial, e.g.
  ///   ``TrialAlreadyFinished`` when another process already failed it as dead.
  public func tell(_ trial: Trial, value: Double, seconds: Double = 0) throws {
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
    try store(record)
  }

  /// Records a trial that was pruned or failed.
  ///
  /// - Throws: ``TuningError`` when `state` is not `.pruned` or `.failed` (a complete
  ///   trial needs its value: ``tell(_:value:seconds:)``); the storage's error when it
  ///   cannot record the trial.
  public func tell(_ trial: Trial, state: FrozenTrial.State, error: String? = nil, seconds: Double = 0) throws {
    guard state == .pruned || state == .failed else {
      throw TuningError(
        state == .complete
          ? "trial \(trial.number) cannot be told complete without a value; use tell(_:value:)"
          : "trial \(trial.number) can be told pruned or failed, not \(state)")
    }
    let record = trial.finish { record in
      record.state = state
      record.error = error
      record.seconds = seconds
    }
    try store(record)
  }

  /// Runs `trials` more trials of `objective`.
  ///
  /// ```swift
  /// // Stop once 100 trials of all the processes sharing the storage are complete
  /// // (Optuna's MaxTrialsCallback), or as soon as one reaches the target.
  /// func enough(_ trial: FrozenTrial) {
  ///   let complete = study.trials.filter { $0.state == .complete }.count
  ///   if complete >= 100 || (trial.value ?? .infinity) < 1e-3 { study.stop() }
  /// }
  /// try study.optimize(trials: 100, parallelism: 2, onTrial: enough) { trial in
  ///   try loss(trial.suggestFloat("x", -5...5))
  /// }
  /// ```
  ///
  /// - Parameters:
  ///   - trials: How many trials to run.
  ///   - parallelism: Trials run at once (in waves); at most the core count is useful.
  ///   - timeout: Seconds after which no new wave starts.
  ///   - onTrial: Called with each finished trial's record, in trial order once its wave
  ///     is done, on the calling thread — Optuna's `callbacks`. Call ``stop()`` in it to
  ///     end the study after this wave; an error it throws ends it and is rethrown.
  ///   - objective: Suggests parameters on the trial and returns the value to optimise;
  ///     throw ``TrialPruned`` to prune, any other error to fail the trial.
  /// - Throws: ``TuningError`` for `trials < 0` or `parallelism < 1`, or when this study
  ///   object is already optimizing (a call from its objective, `onTrial` or another
  ///   thread); the storage's errors, except ``TrialAlreadyFinished`` for a trial another
  ///   process already failed as dead: that record stands, and the study goes on; what
  ///   `onTrial` throws.
  public func optimize(
    trials: Int, parallelism: Int = 1, timeout: Double? = nil, onTrial: ((FrozenTrial) throws -> Void)? = nil,
    _ objective: @escaping @Sendable (Trial) throws -> Double
  ) throws {
    try Self.checkBudget(trials: trials, parallelism: parallelism)
    try beginOptimizing()
    defer { endOptimizing() }
    let start = Date()
    var remaining = trials
    while let wave = nextWave(&remaining, parallelism: parallelism, start: start, timeout: timeout) {
      let asked = try startWave(of: wave)
      let run: @Sendable (Int) -> Void = { [self] k in
        let begun = DispatchTime.now().uptimeNanoseconds
        record(asked[k], Result { try objective(asked[k]) }, begun: begun)
      }
      if wave == 1 {
        run(0)
      } else {
        BLASThreadPolicy.withThreadCount(1) { DispatchQueue.concurrentPerform(iterations: wave, execute: run) }
      }
      try finishWave(asked, onTrial: onTrial)
    }
  }

  /// Runs `trials` more trials of an `async` objective — one that awaits, say, data or a
  /// remote evaluation — exactly as ``optimize(trials:parallelism:timeout:onTrial:_:)`` runs a
  /// synchronous one: the same waves, each wave's trials run as child tasks of a task
  /// group with BLAS on one thread, the same trials for the same seed.
  ///
  /// ```swift
  /// try await study.optimize(trials: 40, parallelism: 4) { trial in
  ///   let rate = try trial.suggestFloat("learningRate", 1e-3...0.3, log: true)
  ///   return try await evaluateRemotely(rate)
  /// }
  /// ```
  ///
  /// - Parameters:
  ///   - trials: How many trials to run.
  ///   - parallelism: Trials run at once (in waves).
  ///   - timeout: Seconds after which no new wave starts.
  ///   - onTrial: As for the synchronous driver: each finished trial, in order, after its
  ///     wave.
  ///   - objective: As for the synchronous driver, but `async`.
  /// Swift picks this overload for a closure that awaits; one that does not runs through
  /// the synchronous driver, blocking the calling task's thread until the study is done.
  ///
  /// OpenBLAS has one thread count per process; two studies optimizing in parallel waves
  /// at the same time in one process keep it at one thread until both waves are done
  /// (``BLASThreadPolicy``).
  ///
  /// - Throws: As ``optimize(trials:parallelism:timeout:onTrial:_:)``, and `CancellationError`
  ///   when the task is cancelled: the wave running then finishes (objectives that check
  ///   for cancellation fail their trials), and no other starts.
  public func optimize(
    trials: Int, parallelism: Int = 1, timeout: Double? = nil, onTrial: ((FrozenTrial) throws -> Void)? = nil,
    _ objective: @escaping @Sendable (Trial) async throws -> Double
  ) async throws {
    try Self.checkBudget(trials: trials, parallelism: parallelism)
    try beginOptimizing()
    defer { endOptimizing() }
    let start = Date()
    var remaining = trials
    while let wave = nextWave(&remaining, parallelism: parallelism, start: start, timeout: timeout) {
      // A cancelled task starts no more waves (their objectives would only fail).
      try Task.checkCancellation()
      let asked = try startWave(of: wave)
      let run: @Sendable (Trial) async -> Void = { [self] trial in
        let begun = DispatchTime.now().uptimeNanoseconds
        let outcome: Result<Double, any Error>
        do {
          outcome = .success(try await objective(trial))
        } catch {
          outcome = .failure(error)
        }
        record(trial, outcome, begun: begun)
      }
      if wave == 1 {
        await run(asked[0])
      } else {
        await BLASThreadPolicy.withThreadCount(1) {
          await withTaskGroup(of: Void.self) { group in
            for trial in asked { group.addTask { await run(trial) } }
          }
        }
      }
      try finishWave(asked, onTrial: onTrial)
    }
    // Cancelled during the last wave: its trials are recorded, and the caller still learns
    // that the task was cancelled.
    try Task.checkCancellation()
  }

  /// Ends the running ``optimize(trials:parallelism:timeout:onTrial:_:)`` after the wave in
  /// progress — Optuna's `study.stop()`: call it from the objective or `onTrial` (or
  /// another thread) once a target is reached. The trials running finish and are
  /// recorded; no further wave starts. With no `optimize` running it does nothing, and
  /// the next `optimize` call runs normally.
  public func stop() {
    records.withLock { r in if r.optimizing { r.stopRequested = true } }
  }

  /// The size of the next wave of an `optimize` call begun at `start`, taken from
  /// `remaining`; `nil` once the budget is spent, the timeout has passed or ``stop()`` was
  /// called — the one rule both drivers follow.
  private func nextWave(_ remaining: inout Int, parallelism: Int, start: Date, timeout: Double?) -> Int? {
    guard remaining > 0, !records.withLock({ $0.stopRequested }) else { return nil }
    if let timeout, Date().timeIntervalSince(start) >= timeout { return nil }
    let wave = Swift.min(parallelism, remaining)
    remaining -= wave
    return wave
  }

  /// Marks this object as optimizing, refusing a second `optimize` at once.
  private func beginOptimizing() throws {
    try records.withLock { r in
      guard !r.optimizing else {
        throw TuningError(
          "study `\(name)` is already optimizing: optimize was called from its objective or onTrial, or from "
            + "another thread; run trials in parallel with `parallelism`, or open another Study on the same storage"
        )
      }
      r.optimizing = true
      r.stopRequested = false
    }
  }

  private func endOptimizing() {
    records.withLock { r in
      r.optimizing = false
      r.stopRequested = false
    }
  }

  /// Records `trial`, evaluated outside this study, for the sampler and pruner to learn
  /// from — Optuna's `study.add_trial(create_trial(...))`: results of an earlier
  /// experiment, a baseline, or another study's trials.
  ///
  /// ```swift
  /// try study.addTrial(FrozenTrial(
  ///   number: 0, state: .complete, value: 0.8312,
  ///   parameters: ["learningRate": .double(0.05), "maxLeaves": .int(31)],
  ///   distributions: [
  ///     "learningRate": .float(low: 0.01, high: 0.3, log: true, step: nil),
  ///     "maxLeaves": .int(low: 8, high: 256, log: true, step: 1),
  ///   ]))
  /// ```
  ///
  /// The record takes the next trial number (its own is ignored). The attributes that
  /// describe how the trial ran in the study it came from
  /// (``FrozenTrial/bookkeepingAttributes``: its sampling position, the process that died,
  /// the queue entry it took, the trial it copied, its CMA-ES generation) are dropped;
  /// the rest — what its values mean, the settings it ran with — are kept. A
  /// ``CMAESSampler`` counts complete trials added before its first trial as its first
  /// generations (a remainder short of a whole generation is not told) — and leaves a
  /// declared parameter they lack out of its model — and ignores those added later. To copy a study, skip its running trials:
  /// `for t in old.trials where t.state != .running { try study.addTrial(t) }`.
  ///
  /// - Parameter trial: A complete (with a finite value), pruned or failed (without a
  ///   value) record whose every parameter has its distribution and lies in it.
  /// - Returns: The record as stored, with its number.
  /// - Throws: ``TuningError`` naming what is wrong with the record — a running state, a
  ///   missing or non-finite value, a parameter without a distribution or outside it, a
  ///   distribution unlike the sampler's declared one; the storage's errors.
  @discardableResult
  public func addTrial(_ trial: FrozenTrial) throws -> FrozenTrial {
    var record = try checkedForAdding(trial)
    record.number = try storage.createTrial(inStudy: name)
    do {
      try storage.updateTrial(record, inStudy: name)
    } catch {
      // The record may be stored all the same (a journal line written, its fsync failed):
      // then it stands, and throwing would invite adding it twice.
      if let stored = try? storage.trials(inStudy: name), stored.indices.contains(record.number),
        stored[record.number].state == record.state
      {
        return stored[record.number]
      }
      // Otherwise not left running for another process to fail as dead and retry.
      var failed = FrozenTrial(number: record.number, state: .failed)
      failed.error = "not added: its record could not be stored: \(error)"
      try? storage.updateTrial(failed, inStudy: name)
      throw error
    }
    return record
  }

  private func checkedForAdding(_ trial: FrozenTrial) throws -> FrozenTrial {
    var record = trial
    switch trial.state {
    case .running:
      throw TuningError("a trial to add must be finished (complete, pruned or failed), not running")
    case .complete:
      guard let value = trial.value, value.isFinite else {
        throw TuningError(
          "a complete trial to add needs a finite value, got \(trial.value.map { "\($0)" } ?? "none")")
      }
    case .pruned:
      if let value = trial.value, !value.isFinite {
        throw TuningError("a pruned trial to add has the value \(value); give a finite value or none")
      }
    case .failed:
      guard trial.value == nil else {
        throw TuningError("a failed trial to add has the value \(trial.value ?? 0); a failed trial has none")
      }
    }
    for name in trial.parameters.keys.sorted() where trial.distributions[name] == nil {
      throw TuningError("the parameter `\(name)` of the trial to add has no distribution; give one for each")
    }
    for (name, distribution) in trial.distributions.sorted(by: { $0.key < $1.key }) {
      try distribution.validate(name: name)
      if let declared = sampler.declaredSpace?[name], declared != distribution {
        throw TuningError(
          "`\(name)` of the trial to add has \(distribution) but the sampler's declared space has \(declared)")
      }
      guard let given = trial.parameters[name] else {
        throw TuningError("the trial to add has a distribution for `\(name)` but no value; give both or neither")
      }
      guard let accepted = distribution.accepting(given) else {
        throw TuningError("the value \(given) of `\(name)` in the trial to add is outside \(distribution)")
      }
      record.parameters[name] = accepted
    }
    for key in FrozenTrial.bookkeepingAttributes { record.userAttributes[key] = nil }
    return record
  }

  private static func checkBudget(trials: Int, parallelism: Int) throws {
    guard trials >= 0 else { throw TuningError("trials must be ≥ 0, got \(trials)") }
    guard parallelism >= 1 else { throw TuningError("parallelism must be ≥ 1, got \(parallelism)") }
  }

  /// After a wave: the storage error a trial met, else each trial's stored record to
  /// `onTrial` — as stored, not as told: another process may have failed a trial as dead
  /// first, and its record stands.
  private func finishWave(_ asked: [Trial], onTrial: ((FrozenTrial) throws -> Void)?) throws {
    if let error = takeStorageError(among: asked.map(\.number)) { throw error }
    guard let onTrial else { return }
    // Through `trials`, which falls back on the last read: a storage that cannot be read
    // just now fails no study whose trials are all recorded.
    let stored = trials
    for trial in asked {
      let number = trial.number
      // The last read may predate the trial's end (when this read failed): then its own.
      let found = stored.indices.contains(number) && stored[number].number == number ? stored[number] : nil
      try onTrial(found.flatMap { $0.state == .running ? nil : $0 } ?? trial.snapshot)
    }
  }

  /// Asks for a wave's trials. A wave starts whole or not at all: when an ask fails, the
  /// trials already asked for are failed rather than left running (and beating) for as
  /// long as the study lives.
  private func startWave(of size: Int) throws -> [Trial] {
    var started: [Trial] = []
    do {
      for _ in 0..<size { started.append(try ask()) }
    } catch {
      for trial in started {
        try? tell(trial, state: .failed, error: "not run: asking for the rest of its wave failed: \(error)")
      }
      throw error
    }
    return started
  }

  /// The trials as CSV, fields quoted as RFC 4180 asks, lines ending in LF: number,
  /// state, value, seconds, then one column per parameter named `params_<name>` and one
  /// per user attribute named `user_attrs_<key>` as in Optuna's `trials_dataframe` (so a
  /// parameter called `value` has a column of its own). Hone's own attributes (`hone.`
  /// keys: sampling positions, settings) are left out, as Optuna leaves out its system
  /// attributes.
  public func trialsCSV() -> String { Self.trialsCSV(trials) }

  /// `trials` as ``trialsCSV()`` writes a study's: for records read from a storage without
  /// opening the study.
  public static func trialsCSV(_ all: [FrozenTrial]) -> String {
    let names = Set(all.flatMap { $0.parameters.keys }).sorted()
    let keys = Set(all.flatMap { $0.userAttributes.keys }).filter { !$0.hasPrefix("hone.") }.sorted()
    var lines = [
      (["number", "state", "value", "seconds"] + names.map { quoteCSV("params_" + $0) }
        + keys.map { quoteCSV("user_attrs_" + $0) }).joined(separator: ",")
    ]
    for t in all {
      let cells =
        [String(t.number), t.state.rawValue, t.value.map { $0.description } ?? "", t.seconds.description]
        + names.map { t.parameters[$0].map { quoteCSV($0.description) } ?? "" }
        + keys.map { t.userAttributes[$0].map(quoteCSV) ?? "" }
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

  /// Records what the objective gave `trial`, which began at `begun` (uptime
  /// nanoseconds): its errors fail or prune the trial; the storage's errors stop the study.
  private func record(_ trial: Trial, _ outcome: Result<Double, any Error>, begun: UInt64) {
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - begun) / 1e9
    do {
      switch outcome {
      case .success(let value): try tell(trial, value: value, seconds: seconds)
      case .failure(let duplicate as DuplicateTrial):
        try tellDuplicate(trial, of: duplicate.original, seconds: seconds)
      case .failure(is TrialPruned): try tell(trial, state: .pruned, seconds: seconds)
      case .failure(let error): try tell(trial, state: .failed, error: "\(error)", seconds: seconds)
      }
    } catch let late as TrialAlreadyFinished where late.diedWithProcess {
      // Another process failed the trial as dead while this one was paused; its record
      // stands, the next ask retries its parameters, and the study goes on.
    } catch {
      records.withLock { r in r.storageError = r.storageError ?? error }
    }
  }

  /// Records `trial` complete as a copy of `original`'s evaluation: its value,
  /// intermediate values and the user attributes the trial does not have itself, and
  /// ``FrozenTrial/duplicateOfAttribute``.
  private func tellDuplicate(_ trial: Trial, of original: FrozenTrial, seconds: Double) throws {
    guard let value = original.value else {
      return try tell(trial, state: .failed, error: "duplicate of trial \(original.number), which has no value")
    }
    let record = trial.finish { record in
      // The trial's own attributes stay (its sampling position, what its sampler
      // recorded, its settings); the original's results come with the copy.
      for (key, text) in original.userAttributes
      where record.userAttributes[key] == nil && key != FrozenTrial.diedWithProcessAttribute
        && key != FrozenTrial.attemptAttribute
      {
        record.userAttributes[key] = text
      }
      record.userAttributes[FrozenTrial.duplicateOfAttribute] = String(original.number)
      record.intermediateValues = original.intermediateValues
      record.state = .complete
      record.value = value
      record.seconds = seconds
    }
    try store(record)
  }

  private func store(_ record: FrozenTrial) throws {
    defer {
      records.withLock { r in
        r.running.remove(record.number)
        r.planned[record.number] = nil
      }
    }
    do {
      try storage.updateTrial(record, inStudy: name)
    } catch let finished as TrialAlreadyFinished {
      throw finished
    } catch {
      // The result is lost; recorded failed if the storage takes that now, rather than
      // left running for a later ask (this object's too) to fail as dead and run again.
      if record.state != .running {
        var failed = record
        failed.state = .failed
        failed.value = nil
        failed.error = "its result (\(record.state)) could not be stored: \(error)"
        try? storage.updateTrial(failed, inStudy: name)
      }
      throw error
    }
    // A failure to record one of its suggestions or reports could not be thrown where it
    // happened.
    if let error = takeStorageError(among: [record.number]) { throw error }
  }

  /// The first storage error one of `trials` met, in their order, else the study's.
  /// Each is taken once.
  private func takeStorageError(among trials: [Int]) -> (any Error)? {
    let own: (any Error)? = trialStorageErrors.withLock { errors in
      for number in trials {
        if let error = errors.removeValue(forKey: number) { return error }
      }
      return nil
    }
    if let own { return own }
    return records.withLock { r in
      let error = r.storageError
      r.storageError = nil
      return error
    }
  }

  /// Beats for every trial this object runs, from a timer, so a long objective that
  /// neither suggests nor reports still counts as alive. The timer holds the study
  /// weakly: a study object that is gone stops beating, as a dead process does.
  private func startHeartbeats() -> any DispatchSourceTimer {
    let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
    timer.schedule(deadline: .now() + heartbeatInterval, repeating: heartbeatInterval)
    timer.setEventHandler { [weak self] in
      guard let self else { return }
      for number in records.withLock({ $0.running }) {
        do {
          try storage.heartbeat(trial: number, inStudy: name)
        } catch {
          records.withLock { r in r.storageError = r.storageError ?? error }
        }
      }
    }
    timer.resume()
    return timer
  }

  /// The position a dead trial had in the sampler's stream: recorded on the trial, or for
  /// a record from before the attribute, its number less the trials below it that died
  /// after suggesting.
  private static func samplingIndex(of dead: FrozenTrial, in stored: [FrozenTrial]) -> Int {
    if let text = dead.userAttributes[FrozenTrial.samplingIndexAttribute], let index = Int(text) { return index }
    return dead.number - deathsAfterSuggesting(in: stored, below: dead.number)
  }

  /// The trials of `stored` numbered below `limit` that died with their process after
  /// suggesting and have a retry left (those a later trial retries, taking their sampling
  /// position; a configuration's last allowed run keeps its own). By index: a closure over the elements would
  /// copy every record, and the state is read first because the computed
  /// `diedWithProcess` copies the record it is asked of.
  private static func deathsAfterSuggesting(in stored: [FrozenTrial], below limit: Int = .max) -> Int {
    var count = 0
    for k in stored.indices
    where stored[k].number < limit && stored[k].state == .failed && stored[k].isRetriedAfterDeath {
      count += 1
    }
    return count
  }

  private func context(_ history: [FrozenTrial]) -> StudyContext {
    StudyContext(history: history, sampler: sampler, pruner: pruner, direction: direction)
  }

}

/// A CSV field (RFC 4180): quoted, inner quotes doubled, when it holds a comma, a quote,
/// a line feed or a carriage return (compared as scalars: `"\r\n"` is one `Character`).
private func quoteCSV(_ text: String) -> String {
  text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}

/// Owns a study's heartbeat timer and cancels it when the study goes. The study itself
/// has no `deinit`: with one reading its `Mutex`, release builds (Swift 6.3.1) corrupted
/// the heap when a study was freed, in up to half of the runs of `hone-bench hpo` —
/// never under AddressSanitizer or in debug builds, and never once the cancel moved here.
final class HeartbeatTimer: @unchecked Sendable {
  let source: any DispatchSourceTimer

  init(_ source: any DispatchSourceTimer) { self.source = source }

  deinit { source.cancel() }
}
