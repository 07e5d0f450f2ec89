internal import CHoneBLAS
import Foundation
import Synchronization

/// The process-wide number of threads OpenBLAS uses.
///
/// OpenBLAS keeps one global thread count (`openblas_set_num_threads`), so the count is a
/// property of the process, not of a call. Hone's rule is that exactly one layer
/// parallelises at a time: code that runs folds, trials or tree building on several
/// threads wraps that work in ``withThreadCount(_:_:)`` with a count of 1, and single
/// large BLAS calls run with every core.
///
/// ```swift
/// BLASThreadPolicy.withThreadCount(1) {
///   // parallel folds, each calling BLAS single-threaded
/// }
/// ```
public enum BLASThreadPolicy {
  private static let regions = Mutex(ThreadCountRegions())

  /// The number of cores this process may use, as the operating system reports it.
  public static var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// The number of threads OpenBLAS will use for its next call.
  public static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// Sets the number of threads OpenBLAS uses, process-wide, clamped to `1...availableCores`.
  /// Inside a ``withThreadCount(_:_:)`` region (of any thread) it sets the count the last
  /// region to end goes back to, and the region's count stays.
  ///
  /// - Parameter count: The requested thread count.
  public static func setThreadCount(_ count: Int) {
    regions.withLock { r in
      if let apply = r.set(count, cores: availableCores) { openblas_set_num_threads(Int32(apply)) }
    }
  }

  /// Runs `body` with OpenBLAS limited to `count` threads, then restores the previous count.
  ///
  /// Regions may nest and overlap, on any threads: while any is running, OpenBLAS uses the
  /// smallest of their counts — a region inside a single-threaded one stays
  /// single-threaded — and when the last one ends the count it found comes back. (Saving
  /// and restoring per region let one region, ending, lift the count of another still
  /// running: two studies in parallel waves oversubscribed the cores.)
  ///
  /// - Parameters:
  ///   - count: The thread count for the duration of `body`.
  ///   - body: The work to run.
  /// - Returns: What `body` returns.
  public static func withThreadCount<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
    let entered = enter(count)
    defer { leave(entered) }
    return try body()
  }

  /// Runs the `async` `body` with OpenBLAS limited to `count` threads, then restores the
  /// previous count (for task groups, as ``withThreadCount(_:_:)`` is for dispatch).
  ///
  /// - Parameters:
  ///   - count: The thread count for the duration of `body`.
  ///   - body: The work to run.
  /// - Returns: What `body` returns.
  public static func withThreadCount<R>(_ count: Int, _ body: () async throws -> R) async rethrows -> R {
    let entered = enter(count)
    defer { leave(entered) }
    return try await body()
  }

  private static func enter(_ count: Int) -> Int {
    regions.withLock { r in
      let (entered, apply) = r.enter(count, cores: availableCores, current: threadCount)
      openblas_set_num_threads(Int32(apply))
      return entered
    }
  }

  private static func leave(_ entered: Int) {
    regions.withLock { r in openblas_set_num_threads(Int32(r.leave(entered))) }
  }

  /// The OpenBLAS build configuration string (version, kernels, threading model).
  public static var configuration: String {
    guard let config = openblas_get_config() else { return "unknown" }
    return String(cString: config)
  }

  /// The name of the CPU kernel set OpenBLAS selected at start-up (for example `SkylakeX`).
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The threading model OpenBLAS was built with: `sequential`, `pthreads` or `OpenMP`.
  public static var parallelModel: String {
    switch openblas_get_parallel() {
    case 0: return "sequential"
    case 1: return "pthreads"
    case 2: return "OpenMP"
    default: return "unknown"
    }
  }
}

/// The thread-count regions running now, and the count to go back to when the last one
/// ends: the bookkeeping of ``BLASThreadPolicy``, apart from OpenBLAS so that it can be
/// tested without a process-wide count that other tests change.
struct ThreadCountRegions {
  /// The clamped counts of the regions running now, one entry each.
  private(set) var counts: [Int] = []
  /// The count outside every region.
  private(set) var outside = 1

  /// Enters a region of `count` threads, clamped to `1...cores`; `current` is the count
  /// in use, kept as it is (unclamped) when this is the first region.
  ///
  /// - Returns: The clamped count, to give back to ``leave(_:)``, and the count to apply.
  mutating func enter(_ count: Int, cores: Int, current: Int) -> (entered: Int, apply: Int) {
    if counts.isEmpty { outside = Swift.max(1, current) }
    let entered = Self.clamp(count, cores: cores)
    counts.append(entered)
    return (entered, counts.min() ?? entered)
  }

  /// Leaves a region entered with `entered`.
  ///
  /// - Returns: The count to apply: the smallest of the regions left, or the count outside.
  mutating func leave(_ entered: Int) -> Int {
    if let index = counts.firstIndex(of: entered) { counts.remove(at: index) }
    return counts.min() ?? outside
  }

  /// Sets the count outside every region, clamped to `1...cores`.
  ///
  /// - Returns: The count to apply now, or `nil` while a region runs (it applies when the
  ///   last region ends).
  mutating func set(_ count: Int, cores: Int) -> Int? {
    outside = Self.clamp(count, cores: cores)
    return counts.isEmpty ? outside : nil
  }

  static func clamp(_ count: Int, cores: Int) -> Int { Swift.max(1, Swift.min(count, cores)) }
}
