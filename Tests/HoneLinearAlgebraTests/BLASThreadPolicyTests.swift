import Testing

@testable import HoneLinearAlgebra

/// The OpenBLAS thread count is process-wide and other suites change it while these run,
/// so the bookkeeping is tested on its own, and the process-wide count only where no
/// other region can change it (inside a single-threaded one).
@Suite(.serialized) struct BLASThreadPolicyTests {
  /// The bookkeeping alone, away from the process-wide count that other suites' parallel
  /// folds and trials change while these tests run.
  @Test func regionsClampNestAndRestore() {
    var r = ThreadCountRegions()
    #expect(r.set(0, cores: 2) == 1)
    #expect(r.set(-8, cores: 2) == 1)
    #expect(r.set(102, cores: 2) == 2)
    // A region of 1 from a count of 2, with a region asking for more inside it: the inner
    // one stays single-threaded (one layer parallelises), and each exit gives back the
    // smallest count still running, then the count found.
    let (outer, first) = r.enter(1, cores: 2, current: 2)
    #expect(first == 1)
    let (inner, nested) = r.enter(7, cores: 2, current: 1)
    #expect(inner == 2 && nested == 1)
    #expect(r.leave(inner) == 1)
    #expect(r.leave(outer) == 2)
  }

  /// Two regions overlapping on different threads (two studies' waves): the first to end
  /// must not lift the count while the second still runs — saving and restoring per region
  /// put back 2 there, oversubscribing the cores, and left 1 for good at the end.
  @Test func overlappingRegionsKeepTheSmallestCountUntilTheLastEnds() {
    var r = ThreadCountRegions()
    let (a, _) = r.enter(1, cores: 2, current: 2)
    let (b, _) = r.enter(1, cores: 2, current: 1)
    #expect(r.leave(a) == 1)
    #expect(r.leave(b) == 2)
    // A count set inside a region waits for the last region to end.
    let (c, _) = r.enter(1, cores: 2, current: 2)
    #expect(r.set(1, cores: 2) == nil)
    #expect(r.leave(c) == 1)
  }

  /// A count OpenBLAS started with above the cores the system reports (a CPU quota) is
  /// put back as it was, not clamped.
  @Test func theCountFoundIsRestoredUnclamped() {
    var r = ThreadCountRegions()
    let (a, apply) = r.enter(1, cores: 2, current: 8)
    #expect(apply == 1)
    #expect(r.leave(a) == 8)
  }

  /// The process-wide count inside a single-threaded region is 1 whatever other regions
  /// run at the same time (none can raise it), also in a nested region, and a region's
  /// error passes through.
  @Test func insideASingleThreadedRegionBLASUsesOneThread() throws {
    let seen = BLASThreadPolicy.withThreadCount(1) {
      let nested = BLASThreadPolicy.withThreadCount(BLASThreadPolicy.availableCores + 5) {
        BLASThreadPolicy.threadCount
      }
      return (BLASThreadPolicy.threadCount, nested)
    }
    #expect(seen == (1, 1))
    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try BLASThreadPolicy.withThreadCount(1) { throw Failure() }
    }
  }

  @Test func gemmAgreesAcrossThreadCounts() throws {
    let original = BLASThreadPolicy.threadCount
    defer { BLASThreadPolicy.setThreadCount(original) }
    // Large enough that OpenBLAS splits the work between threads.
    let n = 256
    let a = sineMatrix(rows: n, columns: n, seed: 1)
    let b = sineMatrix(rows: n, columns: n, seed: 2)
    let single = try BLASThreadPolicy.withThreadCount(1) { try a.multiplied(by: b) }
    let multi = try BLASThreadPolicy.withThreadCount(2) { try a.multiplied(by: b) }
    // Thread counts change the summation order, not the terms: with |entries| <= 1 each
    // element's rounding error is at most n·ε·n, and 1e-10 is well above 2·n²·ε ≈ 3e-11.
    expectClose(single, multi, within: 1e-10)
    expectClose(single, naiveProduct(a, b), within: 1e-10)
  }

  @Test func reportsItsBuild() {
    #expect(["sequential", "pthreads", "OpenMP"].contains(BLASThreadPolicy.parallelModel))
    #expect(!BLASThreadPolicy.configuration.isEmpty)
    #expect(!BLASThreadPolicy.coreName.isEmpty)
  }
}
