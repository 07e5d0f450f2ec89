import Foundation
import HoneLinearAlgebra
import Testing

/// The references written by `Fixtures/make_metric_fixtures.py` (scikit-learn 1.9.1,
/// SciPy, NumPy). Property names mirror the JSON keys so the decoder needs no mapping.
struct MetricFixtures: Decodable {
  /// A classification result: a scalar or a confusion matrix.
  enum Value: Decodable {
    case scalar(Double)
    case table([[Double]])

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let value = try? container.decode(Double.self) {
        self = .scalar(value)
      } else {
        self = .table(try container.decode([[Double]].self))
      }
    }

    var scalar: Double? {
      if case .scalar(let value) = self { return value }
      return nil
    }
  }

  struct ClassificationCase: Decodable, CustomTestStringConvertible {
    let name: String
    let y_true: [Double]
    let y_pred: [Double]
    let scores: [Double]?
    let probabilities: [Double]?
    let probability_matrix: [[Double]]?
    let classes: [Double]?
    let weights: [Double]
    let results: [String: [String: Value]]
    var testDescription: String { name }
  }

  struct RegressionCase: Decodable, CustomTestStringConvertible {
    let name: String
    let y_true: [Double]
    let y_pred: [Double]
    let weights: [Double]
    let results: [String: [String: Double]]
    var testDescription: String { name }
  }

  struct RankIC: Decodable {
    let periods: [Int]
    let signal: [Double]
    let returns: [Double]
    let periods_with_ic: [Int]
    let ics: [Double]
    let skipped: [Int]
    let mean: Double
    let standard_deviation: Double
    let t_statistic: Double
  }

  struct Signal: Decodable {
    let signal: [Double]
    let returns: [Double]
    let pearson: Double
    let spearman: Double
    let rank_ic: RankIC
  }

  struct Trading: Decodable {
    let returns: [Double]
    let periods_per_year: Double
    let annualised_return_compounded: Double
    let annualised_return_arithmetic: Double
    let annualised_volatility: Double
    let sharpe: Double
    let sortino: Double
    let max_drawdown: Double
  }

  struct SharpeCase: Decodable {
    let name: String
    let returns: [Double]?
    let trial_sharpe_ratios: [Double]?
    let observations: Int?
    let sharpe_ratio: Double
    let skewness: Double
    let kurtosis: Double
    let variance_term: Double?
    let psr_benchmark_0: Double?
    let psr_benchmark_0_02: Double?
    let trials: Int
    let sharpe_ratio_variance: Double
    let quantile_1_minus_1_over_n: Double?
    let quantile_1_minus_1_over_ne: Double?
    let expected_maximum: Double
    let z_dsr: Double
    let dsr: Double
    let published_expected_maximum: Double?
    let published_dsr: Double?
  }

  struct CSCVMatrix: Decodable {
    let rows: Int
    let columns: Int
    let row_major: [Double]
  }

  struct CSCVCase: Decodable, CustomTestStringConvertible {
    let name: String
    let matrix: String
    let blocks: Int
    let performance: String
    let logits: [Double]
    let selected: [Int]
    let pbo: Double
    var testDescription: String { name }
  }

  struct CSCV: Decodable {
    let matrices: [String: CSCVMatrix]
    let cases: [CSCVCase]
  }

  let classification: [ClassificationCase]
  let regression: [RegressionCase]
  let signal: Signal
  let trading: Trading
  let sharpe: [SharpeCase]
  let normal_quantiles: [[Double]]
  let normal_cdf: [[Double]]
  let cscv: CSCV

  /// Decoded once per test process; a missing or malformed file fails every test that
  /// needs it with the decoding error.
  static let shared: Result<MetricFixtures, any Error> = Result {
    guard
      let url = Bundle.module.url(forResource: "metric_fixtures", withExtension: "json", subdirectory: "Fixtures")
    else { throw CocoaError(.fileNoSuchFile) }
    return try JSONDecoder().decode(MetricFixtures.self, from: Data(contentsOf: url))
  }

  static func load() throws -> MetricFixtures { try shared.get() }

  /// Test arguments must exist before the tests run; an unreadable file yields no cases
  /// here and the `fixturesLoad` test reports why.
  static var classificationCases: [ClassificationCase] { (try? load().classification) ?? [] }
  static var regressionCases: [RegressionCase] { (try? load().regression) ?? [] }
  static var cscvCases: [CSCVCase] { (try? load().cscv.cases) ?? [] }
}

/// The relative difference, for the agreement report.
func relativeDifference(_ value: Double, _ reference: Double) -> Double {
  value == reference ? 0 : abs(value - reference) / max(abs(reference), .leastNormalMagnitude)
}

/// Relative agreement with an absolute floor of 1e-15 for references that are 0 or nearly
/// so (a logit of a rank exactly at the median, an IC near zero), where a relative bound
/// would demand more than the last bit.
func isClose(_ value: Double, _ reference: Double, tolerance: Double) -> Bool {
  abs(value - reference) <= tolerance * abs(reference) + 1e-15
}

/// Prints the measured agreement so the test log records how close each family came.
func reportAgreement(_ name: String, _ worst: Double) {
  print("agreement \(name): max relative difference \(worst)")
}

/// Parameterised tests get no cases from an unreadable fixture file; this suite fails
/// loudly instead, with the decoding error.
@Suite("Metric fixtures")
struct MetricFixturesTests {
  @Test func fixturesLoad() throws {
    let fixtures = try MetricFixtures.load()
    #expect(fixtures.classification.count == 4)
    #expect(fixtures.regression.count == 2)
    #expect(fixtures.cscv.cases.count == 6)
  }
}
