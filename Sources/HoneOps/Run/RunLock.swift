import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive, non-blocking advisory lock on a file (`flock`), held until released or
/// the process ends, so two `hone run`s never tune the same candidate of the same
/// configuration at once; the kernel drops it when a process dies.
final class RunLock: @unchecked Sendable {
  // `@unchecked Sendable`: the descriptor is written once in `init` and closed once.
  private var descriptor: Int32

  /// Takes the lock on `path`, creating the file.
  ///
  /// - Throws: ``RunDataError`` when another process holds it or the file cannot be opened.
  init(path: String, holder: String) throws {
    descriptor = open(path, O_RDWR | O_CREAT, 0o644)
    guard descriptor >= 0 else {
      throw RunDataError("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      descriptor = -1
      throw RunDataError(
        "another `hone run` is working on \(holder) (lock \(path)); wait for it to finish or stop it")
    }
  }

  /// Releases the lock.
  func release() {
    guard descriptor >= 0 else { return }
    flock(descriptor, LOCK_UN)
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }
}
