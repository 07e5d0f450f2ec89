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
  private static let lock = Mutex<Void>(())

  /// The number of cores this process may use, as the operating system reports it.
  public static var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// The number of threads OpenBLAS will use for its next call.
  public static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// Sets the number of threads OpenBLAS uses, process-wide, clamped to `1...availableCores`.
  ///
  /// - Parameter count: The requested thread count.
  public static func setThreadCount(_ count: Int) {
    let clamped = Swift.max(1, Swift.min(count, availableCores))
    lock.withLock { _ in openblas_set_num_threads(Int32(clamped)) }
  }

  /// Runs `body` with OpenBLAS limited to `count` threads, then restores the previous count.
  ///
  /// Calls may nest; concurrent callers with different counts see whichever was set
  /// last, so set the count once around the parallel region rather than inside it.
  ///
  /// - Parameters:
  ///   - count: The thread count for the duration of `body`.
  ///   - body: The work to run.
  /// - Returns: What `body` returns.
  public static func withThreadCount<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
    let previous = threadCount
    setThreadCount(count)
    defer { setThreadCount(previous) }
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
    let previous = threadCount
    setThreadCount(count)
    defer { setThreadCount(previous) }
    return try await body()
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
