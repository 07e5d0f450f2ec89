import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra

/// One scikit-learn reference fit from `Fixtures/logistic_fixtures.json`
/// (`Fixtures/make_logistic_fixtures.py`).
struct LogisticFixture: Decodable, Sendable {
  /// scikit-learn's `class_weight`: `"balanced"` or a label → weight table.
  enum ClassWeight: Decodable, Sendable {
    case balanced
    case table([String: Double])

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let text = try? container.decode(String.self), text == "balanced" {
        self = .balanced
      } else {
        self = .table(try container.decode([String: Double].self))
      }
    }
  }

  let name: String
  let penalty: String
  let C: Double
  let l1Ratio: Double
  let fitIntercept: Bool
  let classWeight: ClassWeight?
  let solver: String
  let nIter: Int
  let classes: [Int]
  let coef: [[Double]]
  let intercept: [Double]
  let objective: Double
  let optimality: Double
  let probaRows: [[Double]]
  let proba: [[Double]]
  let lbfgsCoef: [[Double]]?
  let lbfgsObjective: Double?
  let lbfgsVsNewtonCholesky: Double?
  let X: [[Double]]?
  let y: [Double]?
  let sampleWeight: [Double]?

  /// The Hone hyperparameters that mean the same fit, with a tight tolerance.
  func hyperparameters(solver: LogisticRegression.Solver, standardize: Bool = false)
    -> LogisticRegression.Hyperparameters
  {
    let penalty: LogisticRegression.Penalty =
      switch self.penalty {
      case "l1": .l1
      case "elasticnet": .elasticNet
      case "none": .none
      default: .l2
      }
    let weights: LogisticRegression.ClassWeights? =
      switch classWeight {
      case .none: nil
      case .balanced: .balanced
      case .table(let table):
        .custom(Dictionary(uniqueKeysWithValues: table.compactMap { key, value in Int(key).map { ($0, value) } }))
      }
    // 1e-10 on the scaled gradient is what the references reached (their `optimality`
    // is 1e-11 or smaller), so both sides sit at the optimum to well inside the test
    // tolerances; the iteration cap only guards against a hang.
    return LogisticRegression.Hyperparameters(
      c: C, penalty: penalty, l1Ratio: l1Ratio, fitIntercept: fitIntercept, standardize: standardize,
      classWeights: weights, solver: solver, tolerance: 1e-10, maxIterations: 10_000)
  }

  /// The stored synthetic data set.
  func dataset() throws -> Dataset {
    guard let X, let y else { throw LinearModelError("fixture \(name) has no stored data") }
    return try Dataset(features: Matrix(X), target: y, weights: sampleWeight)
  }
}

enum LogisticFixtures {
  struct File: Decodable {
    let sklearnVersion: String
    let cases: [LogisticFixture]
  }

  static let all: [String: LogisticFixture] = {
    guard
      let url = Bundle.module.url(forResource: "logistic_fixtures", withExtension: "json", subdirectory: "Fixtures"),
      let data = try? Data(contentsOf: url)
    else { return [:] }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    guard let file = try? decoder.decode(File.self, from: data) else { return [:] }
    return Dictionary(uniqueKeysWithValues: file.cases.map { ($0.name, $0) })
  }()

  static func named(_ name: String) throws -> LogisticFixture {
    guard let fixture = all[name] else { throw LinearModelError("no fixture named \(name)") }
    return fixture
  }
}

/// The real data sets in `../shared/datasets` (or `$HONE_DATASETS`), prepared exactly as
/// `make_logistic_fixtures.py` prepares them.
enum SharedLogisticData {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static var directory: URL? {
    let configured = ProcessInfo.processInfo.environment["HONE_DATASETS"]
    let url =
      configured.map { URL(fileURLWithPath: $0, relativeTo: packageRoot) }
      ?? packageRoot.appendingPathComponent("../shared/datasets")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }

  static var adultAvailable: Bool {
    directory.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("adult/adult_train.csv").path) }
      ?? false
  }

  static var wineAvailable: Bool {
    directory.map {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent("wine_quality/winequality-red.csv").path)
    } ?? false
  }

  static let adultNumeric = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
  static let adultCategorical = ["workclass", "marital-status", "relationship", "race", "sex"]
  static let adultRows = 5000

  /// The first 5,000 rows of `adult_train.csv`: the numeric columns `age`,
  /// `education-num`, `capital-gain`, `capital-loss`, `hours-per-week`, then one-hot
  /// columns of `workclass`, `marital-status`, `relationship`, `race`, `sex`, each
  /// column's categories in byte order with a missing value as category `"?"`; target
  /// 1 when `income` is `>50K`. Not standardised here: the fit does that.
  static func adult() throws -> Dataset {
    guard let directory else { throw LinearModelError("shared datasets not found") }
    let table = try CSV.read(contentsOf: directory.appendingPathComponent("adult/adult_train.csv").path)
    let n = adultRows
    var columns: [[Double]] = []
    for name in adultNumeric {
      columns.append(Array(try table.column(named: name).doubleValues.prefix(n)))
    }
    for name in adultCategorical {
      let column = try table.column(named: name)
      let values = (0..<n).map { column.text(at: $0) ?? "?" }
      let levels = Set(values).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for level in levels { columns.append(values.map { $0 == level ? 1 : 0 }) }
    }
    let income = try table.column(named: "income")
    let target = (0..<n).map { income.text(at: $0) == ">50K" ? 1.0 : 0.0 }
    return try Dataset(features: Matrix(columnArrays: columns), target: target)
  }

  /// All of `winequality-red.csv`: the 11 physico-chemical columns, target `quality`.
  static func wineRed() throws -> Dataset {
    guard let directory else { throw LinearModelError("shared datasets not found") }
    let table = try CSV.read(contentsOf: directory.appendingPathComponent("wine_quality/winequality-red.csv").path)
    return try Dataset(table, target: "quality")
  }
}

/// Population mean and standard deviation of each column: what scikit-learn's
/// `StandardScaler` divides by, used to move fixture coefficients fitted on
/// standardised data to the original scale.
func columnMoments(_ x: Matrix) -> (mean: [Double], deviation: [Double]) {
  var mean: [Double] = []
  var deviation: [Double] = []
  for j in 0..<x.columns {
    let column = Array(x.column(j))
    let m = column.reduce(0, +) / Double(column.count)
    let variance = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(column.count)
    mean.append(m)
    deviation.append(variance > 0 ? variance.squareRoot() : 1)
  }
  return (mean, deviation)
}
