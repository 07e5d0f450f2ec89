import HoneLinearAlgebra
import Testing

/// The OpenBLAS thread count is process-wide, so these tests run one at a time and each
/// restores the count it found.
@Suite(.serialized) struct BLASThreadPolicyTests {
  @Test func setThreadCountClampsToAvailableCores() {
    let original = BLASThreadPolicy.threadCount
    defer { BLASThreadPolicy.setThreadCount(original) }
    let cores = BLASThreadPolicy.availableCores
    #expect(cores >= 1)

    BLASThreadPolicy.setThreadCount(0)
    #expect(BLASThreadPolicy.threadCount == 1)
    BLASThreadPolicy.setThreadCount(-8)
    #expect(BLASThreadPolicy.threadCount == 1)
    BLASThreadPolicy.setThreadCount(cores + 100)
    #expect(BLASThreadPolicy.threadCount == cores)
    BLASThreadPolicy.setThreadCount(1)
    #expect(BLASThreadPolicy.threadCount == 1)
  }

  @Test func withThreadCountRestoresThePreviousCount() throws {
    let original = BLASThreadPolicy.threadCount
    defer { BLASThreadPolicy.setThreadCount(original) }
    let cores = BLASThreadPolicy.availableCores
    let outer = cores
    let inner = 1
    BLASThreadPolicy.setThreadCount(outer)

    let seen = BLASThreadPolicy.withThreadCount(inner) {
      let nested = BLASThreadPolicy.withThreadCount(cores + 5) { BLASThreadPolicy.threadCount }
      #expect(nested == cores, "the nested count is clamped")
      return BLASThreadPolicy.threadCount
    }
    #expect(seen == inner, "the inner call restores the count of the outer one")
    #expect(BLASThreadPolicy.threadCount == outer)

    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try BLASThreadPolicy.withThreadCount(inner) { throw Failure() }
    }
    #expect(BLASThreadPolicy.threadCount == outer, "the count is restored when the body throws")
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
