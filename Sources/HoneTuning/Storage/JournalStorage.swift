import Foundation
import HoneCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps studies in an append-only journal file that the processes of one machine share:
/// one JSON event per line, replayed on load (Optuna's `JournalStorage` design).
///
/// ```swift
/// let storage = try JournalStorage(path: "runs/tuning.jsonl")
/// let study = try Study(name: "gbdt", direction: .minimize, storage: storage)
/// try study.optimize(trials: 100) { trial in ... }   // run it again after a crash to resume
/// ```
///
/// **Why a journal and not SQLite.** It needs no dependency beyond the C library.
/// Appending is crash-safe by construction: a crash can only tear the last line, which
/// replay ignores (and reports in ``ignoredLines``); every earlier line is intact, and a
/// finished trial's line is `fsync`ed before ``updateTrial(_:inStudy:)`` returns. Processes
/// share it through `flock(2)`: each writer takes an exclusive lock, reads the lines other
/// processes appended since its last look, then appends its event with a single
/// `write(2)` on an `O_APPEND` descriptor — so trial numbers are allocated atomically and
/// lines never interleave. The lock is advisory and local: the file must sit on a local
/// file system, not NFS; many machines need a database back end.
///
/// A running trial's new intermediate values are appended as a short `report` event, not
/// as its whole record, so a trial reporting k steps adds O(k) bytes. Queued
/// configurations are `enqueue` and `claimQueued` events. (A build from before an event
/// kind skips its lines, reporting them in ``ignoredLines``.)
///
/// - Complexity: Each operation reads only the lines appended since the last one; loading
///   replays the whole file once.
public final class JournalStorage: StudyStorage {
  /// A journal line that replay skipped.
  public struct IgnoredLine: Sendable, Equatable, CustomStringConvertible {
    /// The line's number in the file, from 1.
    public let line: Int
    /// Why it was skipped.
    public let reason: String

    /// The line number and the reason.
    public var description: String { "line \(line): \(reason)" }
  }

  private struct Replay {
    var state = StorageState()
    /// Bytes of the file consumed so far; always the end of a complete line.
    var offset: Int64 = 0
    var lines = 0
    /// Lines that decoded as events: a file with complete lines and none of them is not
    /// a journal.
    var events = 0
    var ignored: [Int: String] = [:]
  }

  /// The journal's path.
  public let path: String
  /// Whether the journal was opened only to be read: every write is refused.
  public let readOnly: Bool
  private let descriptor: Int32
  /// `path` made absolute when opened, to check the file is still the one open.
  private let absolutePath: String
  private let replay = Mutex(Replay())

  /// Opens (or creates) the journal at `path` and replays it.
  ///
  /// - Parameters:
  ///   - path: The journal file; its folder must exist.
  ///   - readOnly: Open an existing journal only to read it — one the user may not write
  ///     to, or one that must not change (an archived study, a report while workers run):
  ///     it is not created, reads take a shared lock, stale trials are left as recorded,
  ///     and every write throws. `Study.load` on it reads the study's trials and
  ///     attributes; asking for a trial throws.
  /// - Throws: `FileError` when the file cannot be opened, locked or read, or is not a
  ///   journal (a non-empty file whose lines are not journal events; it is left as it is).
  public init(path: String, readOnly: Bool = false) throws {
    self.path = path
    self.readOnly = readOnly
    let fd = readOnly ? open(path, O_RDONLY | O_CLOEXEC) : open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw FileError(
        path: path,
        message: readOnly
          ? "cannot open the study journal for reading: \(reason); check the path names a journal file"
          : "cannot open the study journal: \(reason); check the folder exists and is writable")
    }
    descriptor = fd
    absolutePath = URL(fileURLWithPath: path).path
    do {
      try Self.checkLooksLikeAJournal(fd, path: path)
      try locked { r in
        // Every journal's first line is a study's creation, written whole; a torn first
        // write leaves no complete line at all.
        guard r.lines == 0 || r.events > 0 else { throw Self.notAJournal(path) }
      }
    } catch {
      close(fd)
      throw error
    }
  }

  /// Refuses a file whose first byte does not open a JSON event — a CSV, a NumPy array,
  /// a model passed as `--storage` by mistake — before reading all of it, so nothing is
  /// appended to it.
  private static func checkLooksLikeAJournal(_ fd: Int32, path: String) throws {
    var first: UInt8 = 0
    var n: Int
    repeat { n = pread(fd, &first, 1, 0) } while n < 0 && errno == EINTR
    guard n >= 0 else {
      throw FileError(path: path, message: "cannot read the study journal: \(String(cString: strerror(errno)))")
    }
    if n == 1 && first != UInt8(ascii: "{") { throw notAJournal(path) }
  }

  private static func notAJournal(_ path: String) -> FileError {
    FileError(
      path: path,
      message: "this file is not a study journal (its lines are not journal events), so it was left untouched; "
        + "name a new file or an existing journal, e.g. --storage studies.jsonl")
  }

  deinit { close(descriptor) }

  /// Lines replay skipped: a torn last line left by a crash mid-write, or a damaged line.
  /// Their events are lost; every other line is applied.
  public var ignoredLines: [IgnoredLine] {
    replay.withLock { r in r.ignored.sorted { $0.key < $1.key }.map { IgnoredLine(line: $0.key, reason: $0.value) } }
  }

  /// Creates the study `name`, or checks the existing one's direction.
  ///
  /// - Throws: ``TuningError`` when the study exists with the other direction; `FileError`.
  public func createStudy(named name: String, direction: Direction) throws {
    try locked { r in
      if try r.state.checkCreate(name, direction) {
        guard !readOnly else {
          let names = r.state.listing.map { "`\($0.name)`" }.joined(separator: ", ")
          throw TuningError(
            "no study named `\(name)` in \(path), opened read-only; "
              + (names.isEmpty ? "it holds none" : "it holds \(names)"))
        }
        try append(
          JournalEvent(kind: .createStudy, study: name, direction: direction, time: currentTime()), &r, sync: true)
      }
    }
  }

  /// Allocates the next trial number under the file lock.
  ///
  /// - Throws: ``TuningError`` for an unknown study; `FileError`.
  public func createTrial(inStudy study: String) throws -> Int {
    try locked { r in
      let number = try r.state.study(study).trials.count
      try append(JournalEvent(kind: .createTrial, study: study, number: number, time: currentTime()), &r, sync: false)
      return number
    }
  }

  /// Appends a trial update; a finished trial's line is `fsync`ed before returning.
  ///
  /// - Throws: ``TuningError`` for an unknown study or trial; `FileError`.
  public func updateTrial(_ trial: FrozenTrial, inStudy study: String) throws {
    try locked { r in
      guard try r.state.checkUpdate(trial, study) else { return }
      try append(try r.state.updateEvent(trial, study, time: currentTime()), &r, sync: trial.state != .running)
    }
  }

  /// Every study in the journal, including those other processes created, by name.
  ///
  /// - Throws: `FileError`.
  public func studies() throws -> [(name: String, direction: Direction)] {
    try locked { r in r.state.listing }
  }

  /// Appends study attributes as one line, flushed to disk before it returns.
  ///
  /// - Throws: ``TuningError`` for an unknown study; `FileError`.
  public func setStudyAttributes(_ attributes: [String: String], inStudy study: String) throws {
    try locked { r in
      _ = try r.state.study(study)
      try append(
        JournalEvent(kind: .setStudyAttribute, study: study, time: currentTime(), attributes: attributes), &r,
        sync: true)
    }
  }

  /// The study's attributes, including those other processes set.
  ///
  /// - Throws: ``TuningError`` for an unknown study; `FileError`.
  public func studyAttributes(inStudy study: String) throws -> [String: String] {
    try locked { r in try r.state.study(study).attributes }
  }

  /// Every trial of `study`, including those other processes appended.
  ///
  /// - Throws: ``TuningError`` for an unknown study; `FileError`.
  public func trials(inStudy study: String) throws -> [FrozenTrial] {
    try locked { r in try r.state.study(study).trials }
  }

  /// Appends a heartbeat.
  ///
  /// - Throws: `FileError`.
  public func heartbeat(trial number: Int, inStudy study: String) throws {
    try locked { r in
      // A trial another process failed as dead meanwhile beats no more. (Read-only, the
      // write is refused whatever the trial.)
      guard readOnly || r.state.isRunning(number, study) else { return }
      try append(JournalEvent(kind: .heartbeat, study: study, number: number, time: currentTime()), &r, sync: false)
    }
  }

  /// Fails running trials silent for more than `seconds`, under the file lock so two
  /// resuming processes never fail (and retry) the same trial twice. A read-only journal
  /// fails none and returns none.
  ///
  /// - Throws: ``TuningError`` for an unknown study; `FileError`.
  public func failStaleTrials(inStudy study: String, olderThan seconds: Double) throws -> [FrozenTrial] {
    try locked { r in
      let failures = try r.state.staleFailures(study, olderThan: seconds, now: currentTime())
      // Read-only: the trials stay as recorded (a reader cannot fail them), so a study
      // opened on it for a report does not throw because a worker once died.
      guard !readOnly else { return [] }
      for event in failures { try append(event, &r, sync: true) }
      return failures.compactMap(\.trial)
    }
  }

  /// Makes trial `number` the retry of the oldest dead trial nobody retries yet, under the
  /// journal's lock (see ``StudyStorage/claimRetry(inStudy:for:)``); the claim is flushed
  /// to disk before it returns.
  ///
  /// - Throws: ``TuningError`` for an unknown study; ``FileError`` when the journal cannot
  ///   be read or written.
  public func claimRetry(inStudy study: String, for number: Int) throws -> FrozenTrial? {
    try locked { r in
      guard let dead = try r.state.owedRetry(study) else { return nil }
      try append(
        JournalEvent(kind: .claimRetry, study: study, number: number, retryOf: dead.number, time: currentTime()), &r,
        sync: true)
      return dead
    }
  }

  /// Appends a queued configuration, flushed to disk before it returns — unless
  /// `skipIfExists` and the study has it, checked under the journal's lock.
  ///
  /// - Throws: ``TuningError`` for an unknown study; ``FileError``.
  public func enqueue(_ parameters: [String: ParameterValue], inStudy study: String, skipIfExists: Bool) throws
    -> Bool
  {
    try locked { r in
      if try skipIfExists && r.state.hasConfiguration(parameters, study) { return false }
      _ = try r.state.study(study)
      try append(
        JournalEvent(
          kind: .enqueue, study: study, time: currentTime(), parameters: parameters,
          queueID: UUID().uuidString), &r, sync: true)
      return true
    }
  }

  /// The configurations still waiting, as the journal holds them now.
  ///
  /// - Throws: ``TuningError`` for an unknown study; ``FileError``.
  public func queued(inStudy study: String) throws -> [[String: ParameterValue]] {
    try locked { r in try r.state.waiting(study).map(\.parameters) }
  }

  /// Makes trial `number` take the oldest waiting configuration under the journal's lock
  /// (see ``StudyStorage/claimQueued(inStudy:for:)``); the claim is flushed to disk before
  /// it returns, and nothing is written when none waits.
  ///
  /// - Throws: ``TuningError`` for an unknown study; ``FileError``.
  public func claimQueued(inStudy study: String, for number: Int) throws -> [String: ParameterValue]? {
    try locked { r in
      guard let next = try r.state.waiting(study).first else { return nil }
      try append(
        JournalEvent(kind: .claimQueued, study: study, number: number, time: currentTime(), queueID: next.id),
        &r, sync: true)
      return next.parameters
    }
  }

  // MARK: Internals

  /// Runs `body` holding the in-process mutex and the file lock (shared when read-only),
  /// after reading what other processes appended.
  private func locked<T>(_ body: (inout Replay) throws -> T) throws -> T {
    try replay.withLock { r in
      while flock(descriptor, readOnly ? LOCK_SH : LOCK_EX) != 0 {
        guard errno == EINTR else { throw failure("cannot lock the study journal") }
      }
      defer { flock(descriptor, LOCK_UN) }
      try catchUp(&r)
      return try body(&r)
    }
  }

  /// Applies the complete lines past `r.offset`. Called under the file lock, so a partial
  /// last line is not a write in progress but a torn one.
  private func catchUp(_ r: inout Replay) throws {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw failure("cannot read the study journal's size") }
    // The journal only grows, and only in place: a file that shrank was truncated, and
    // a path that names another file now was replaced (an editor's save, `sed -i`), so
    // what this process read or would append no longer matches what others see.
    var named = stat()
    guard stat(absolutePath, &named) == 0, named.st_dev == info.st_dev, named.st_ino == info.st_ino else {
      throw FileError(
        path: path,
        message: "the study journal was moved, deleted or replaced by another file while open; every process "
          + "writing to it must reopen it (nothing more was written here)")
    }
    let size = Int64(info.st_size)
    guard size >= r.offset else {
      throw FileError(
        path: path,
        message: "the study journal shrank from \(r.offset) to \(size) bytes while open (truncated by another "
          + "program?); nothing more was written here — restore it from a copy, or reopen it to go on from what it holds"
      )
    }
    guard size > r.offset else { return }
    var bytes = [UInt8](repeating: 0, count: Int(size - r.offset))
    var filled = 0
    while filled < bytes.count {
      let n = bytes.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return pread(descriptor, base + filled, buffer.count - filled, off_t(r.offset) + off_t(filled))
      }
      if n < 0 && errno == EINTR { continue }
      guard n != 0 else {
        throw FileError(path: path, message: "the study journal ended early while being read (truncated?)")
      }
      guard n > 0 else { throw failure("cannot read the study journal") }
      filled += n
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    var start = 0
    while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
      r.lines += 1
      let line = bytes[start..<end]
      if !line.isEmpty {
        do {
          r.state.apply(try decoder.decode(JournalEvent.self, from: Data(line)))
          r.events += 1
          r.ignored[r.lines] = nil
        } catch {
          r.ignored[r.lines] = r.ignored[r.lines] ?? "not a journal event (a damaged or torn line); skipped"
        }
      }
      start = end + 1
    }
    r.offset += Int64(start)
    if start < bytes.count {
      r.ignored[r.lines + 1] = "incomplete: the process writing it stopped mid-write (a crash); skipped"
    }
  }

  /// Appends `event` as one line with one `write(2)`; the caller holds the lock and has
  /// caught up.
  private func append(_ event: JournalEvent, _ r: inout Replay, sync: Bool) throws {
    guard !readOnly else {
      throw FileError(
        path: path, message: "the study journal was opened read-only; open it with readOnly: false to change it")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    var line = [UInt8](try encoder.encode(event))
    line.append(UInt8(ascii: "\n"))
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw failure("cannot read the study journal's size") }
    // A torn line left by a crash gets its own line end first, so this event is not
    // glued to it.
    if Int64(info.st_size) > r.offset { line.insert(UInt8(ascii: "\n"), at: 0) }
    let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == line.count else { throw failure("cannot append to the study journal") }
    if sync, fsync(descriptor) != 0 { throw failure("cannot flush the study journal to disk") }
    try catchUp(&r)
  }

  private func failure(_ what: String) -> FileError {
    FileError(path: path, message: "\(what): \(String(cString: strerror(errno)))")
  }
}
