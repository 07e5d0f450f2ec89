import ArgumentParser
import CBenchBLAS
import Hone

/// GFLOP/s of dgemm, dgemv and dpotrf through Hone's wrappers versus the same call made
/// straight through the C interface, interleaved (A B A B …) so machine noise hits both.
struct BLASBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "blas", abstract: "Wrapper overhead: Matrix/BLAS calls versus direct C calls.")

  @Option(help: "Matrix orders for dgemm.") var gemmSizes: [Int] = [512, 1024, 2048]
  @Option(help: "Matrix order for dgemv.") var gemvSize = 4096
  @Option(help: "Matrix order for dpotrf.") var potrfSize = 2048
  @Option(help: "Timed repetitions of each variant.") var repeats = 7
  @Option(help: "BLAS threads.") var threads = 2

  func run() throws {
    BLASThreadPolicy.setThreadCount(threads)
    print("OpenBLAS \(BLASThreadPolicy.coreName), \(BLASThreadPolicy.threadCount) threads, \(repeats) repeats, median")
    print("| routine | n | Hone GFLOP/s | direct C GFLOP/s | ratio |")
    print("|---|---:|---:|---:|---:|")
    var rng = Xoshiro256StarStar(seed: 1)
    for n in gemmSizes {
      let a = randomMatrix(n, n, &rng)
      let b = randomMatrix(n, n, &rng)
      var c = Matrix(rows: n, columns: n)
      var raw = [Double](repeating: 0, count: n * n)
      let (aRaw, bRaw) = (a.storage, b.storage)
      let flops = 2 * Double(n) * Double(n) * Double(n)
      let (hone, direct) = try interleave(
        hone: { try BLAS.gemm(a, b, &c) },
        direct: {
          cblas_dgemm(
            CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, aRaw, Int32(n), bRaw,
            Int32(n), 0, &raw, Int32(n))
        })
      report("dgemm", n, flops, hone, direct)
    }
    do {
      let n = gemvSize
      let a = randomMatrix(n, n, &rng)
      let x = (0..<n).map { _ in rng.nextUnitDouble() }
      var y = [Double](repeating: 0, count: n)
      var yRaw = y
      let aRaw = a.storage
      let (hone, direct) = try interleave(
        hone: { try BLAS.gemv(a, x, &y) },
        direct: {
          cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(n), 1, aRaw, Int32(n), x, 1, 0, &yRaw, 1)
        })
      report("dgemv", n, 2 * Double(n) * Double(n), hone, direct)
    }
    do {
      let n = potrfSize
      let g = randomMatrix(n + 16, n, &rng).gram() + Matrix.identity(n)
      var work = g.storage
      let (hone, direct) = try interleave(
        hone: { _ = try CholeskyFactorization(g) },
        direct: {
          work = g.storage
          _ = LAPACKE_dpotrf(Int32(LAPACK_COL_MAJOR), Int8(UInt8(ascii: "L")), Int32(n), &work, Int32(n))
        })
      report("dpotrf", n, Double(n) * Double(n) * Double(n) / 3, hone, direct)
    }
  }

  private func randomMatrix(_ m: Int, _ n: Int, _ rng: inout Xoshiro256StarStar) -> Matrix {
    Matrix.columnVector((0..<(m * n)).map { _ in rng.nextUnitDouble() - 0.5 }).reshaped(rows: m, columns: n)
  }

  private func interleave(hone: () throws -> Void, direct: () throws -> Void) throws -> (Double, Double) {
    try hone()
    try direct()
    var honeTimes: [Double] = []
    var directTimes: [Double] = []
    for _ in 0..<repeats {
      honeTimes.append(try seconds(hone))
      directTimes.append(try seconds(direct))
    }
    return (median(honeTimes), median(directTimes))
  }

  private func report(_ name: String, _ n: Int, _ flops: Double, _ hone: Double, _ direct: Double) {
    let (h, d) = (flops / hone / 1e9, flops / direct / 1e9)
    print("| \(name) | \(n) | \(fixed(h, 1)) | \(fixed(d, 1)) | \(fixed(h / d, 3)) |")
  }
}

extension Matrix {
  fileprivate func reshaped(rows: Int, columns: Int) -> Matrix {
    (try? Matrix(rows: rows, columns: columns, columnMajor: storage)) ?? Matrix(rows: rows, columns: columns)
  }
}
