import Foundation
import HoneLinearAlgebra
import Testing

/// A matrix as written in the fixture file: a list of rows.
typealias Rows = [[Double]]

/// The reference results produced by `Fixtures/make_fixtures.py` (NumPy and SciPy).
struct LinearAlgebraFixtures: Codable, Sendable {
  let solve: [SolveCase]
  let lu: [LUCase]
  let cholesky: [CholeskyCase]
  let leastSquares: [LeastSquaresCase]
  let qr: [QRCase]
  let eigen: [EigenCase]
  let svd: [SVDCase]
  let vectors: [VectorCase]
  let gemm: [GemmCase]
  let gemv: [GemvCase]
  let ger: [GerCase]
  let syrk: [SyrkCase]
  let trsm: [TrsmCase]

  /// The decoded fixture file, read once per test process.
  static func load() throws -> LinearAlgebraFixtures { try cached.get() }

  private static let cached = Result { try decodeBundledFile() }

  private static func decodeBundledFile() throws -> LinearAlgebraFixtures {
    guard
      let url = Bundle.module.url(
        forResource: "linalg_fixtures", withExtension: "json", subdirectory: "Fixtures")
    else {
      throw FixtureError.missingFile
    }
    return try JSONDecoder().decode(LinearAlgebraFixtures.self, from: Data(contentsOf: url))
  }
}

enum FixtureError: Error {
  case missingFile
}

/// A fixture case named after its inputs, so parameterised test results say which case failed.
protocol NamedCase: Codable, Sendable, CustomTestStringConvertible {
  var name: String { get }
}

extension NamedCase {
  var testDescription: String { name }
}

struct SolveCase: NamedCase {
  let name: String
  let a: Rows
  let b: Rows
  let x: Rows
  let conditionOne: Double
}

struct LUCase: NamedCase {
  let name: String
  let a: Rows
  let packed: Rows
  let pivots: [Int]
  let determinant: Double
  let sign: Double
  let logAbsDeterminant: Double
  let inverse: Rows
  let conditionOne: Double
}

struct CholeskyCase: NamedCase {
  let name: String
  let a: Rows
  let lower: Rows
  let b: Rows
  let x: Rows
  let logDeterminant: Double
}

struct LeastSquaresCase: NamedCase {
  let name: String
  let a: Rows
  let b: Rows
  let rcond: Double
  let x: Rows
  let rank: Int
  let singularValues: [Double]
  let fullRank: Bool
}

struct QRCase: NamedCase {
  let name: String
  let a: Rows
  let q: Rows
  let r: Rows
}

struct EigenCase: NamedCase {
  let name: String
  let a: Rows
  let values: [Double]
  let vectors: Rows
}

struct SVDCase: NamedCase {
  let name: String
  let a: Rows
  let u: Rows
  let singularValues: [Double]
  let vt: Rows
}

struct VectorCase: NamedCase {
  let name: String
  let x: [Double]
  let y: [Double]
  let alpha: Double
  let dot: Double
  let axpy: [Double]
  let scal: [Double]
  let nrm2: Double
  let asum: Double
}

struct GemmCase: NamedCase {
  let name: String
  let transposeA: Bool
  let transposeB: Bool
  let alpha: Double
  let beta: Double
  let a: Rows
  let b: Rows
  let c: Rows
  let result: Rows
}

struct GemvCase: NamedCase {
  let name: String
  let transpose: Bool
  let alpha: Double
  let beta: Double
  let a: Rows
  let x: [Double]
  let y: [Double]
  let result: [Double]
}

struct GerCase: NamedCase {
  let name: String
  let alpha: Double
  let a: Rows
  let x: [Double]
  let y: [Double]
  let result: Rows
}

struct SyrkCase: NamedCase {
  let name: String
  let transpose: Bool
  let alpha: Double
  let beta: Double
  let a: Rows
  let c: Rows
  let result: Rows
}

struct TrsmCase: NamedCase {
  let name: String
  let side: String
  let triangle: String
  let transpose: Bool
  let unitDiagonal: Bool
  let alpha: Double
  let a: Rows
  let b: Rows
  let result: Rows
}
