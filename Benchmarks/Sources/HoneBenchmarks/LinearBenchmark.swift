import ArgumentParser
import Foundation
import Hone

/// Linear-model solver times on the anchors' `linear` data (1,000,000 × 100), one task
/// per process call, printing JSON lines that `scripts/linear_vs_sklearn.sh` interleaves
/// with `peers/sklearn_linear.py`.
struct LinearBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "linear", abstract: "Time a linear-model fit on the anchors' linear.f64 (JSON lines).")

  @Option(help: "The task: ridge, lassopath or logistic.") var task: String = "ridge"
  @Option(help: "The anchors' data folder.")
  var data: String =
    (ProcessInfo.processInfo.environment["ANCHORS_DATA"] ?? NSHomeDirectory() + "/.cache/hone-anchors/data")
  @Option(help: "Timed repetitions in this process.") var repeats = 1
  @Option(help: "Ridge penalty.") var alpha = 1.0
  @Option(help: "Inverse L2 strength for logistic regression (scikit-learn's C).") var c = 1.0
  @Option(help: "Logistic regression tolerance (scikit-learn's tol).") var tolerance = 1e-4

  func run() throws {
    let (x, target, label) = try loadLinear(folder: data)
    for _ in 0..<repeats {
      switch task {
      case "ridge":
        var model: LinearModel?
        let estimator = Ridge(.init(alpha: alpha, solver: .cholesky))
        let dataset = try Dataset(features: x, target: target)
        let elapsed = try seconds { model = try estimator.fit(dataset) }
        guard let model else { return }
        let objective = try ridgeObjective(x, target, model)
        print(#"{"reader":"hone","task":"ridge","seconds":\#(elapsed),"objective":\#(objective)}"#)
      case "lassopath":
        var path: RegularizationPath?
        let dataset = try Dataset(features: x, target: target)
        let elapsed = try seconds { path = try Lasso().path(dataset, count: 100, epsilon: 1e-3) }
        guard let path else { return }
        let last = try path.model(at: path.count - 1)
        let predictions = try last.predict(x)
        let residual = zip(target, predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let objective =
          residual / (2 * Double(target.count)) + path.alphas[path.count - 1]
          * last.coefficients.reduce(0) { $0 + abs($1) }
        print(#"{"reader":"hone","task":"lassopath","seconds":\#(elapsed),"objective":\#(objective)}"#)
      case "logistic":
        var model: LogisticModel?
        var h = LogisticRegression.Hyperparameters()
        h.c = c
        h.tolerance = tolerance
        h.maxIterations = 1000
        let estimator = LogisticRegression(h)
        let dataset = try Dataset(features: x, target: label)
        let elapsed = try seconds { model = try estimator.fit(dataset) }
        guard let model else { return }
        // (Σ logloss + ‖w‖²/(2C)) / n, as the anchors' bench_linear.py reports it.
        let scores = try model.decisionFunction(x)
        var loss = 0.0
        for i in 0..<label.count {
          let z = scores[i, 0]
          loss += max(z, 0) + log1p(exp(-abs(z))) - label[i] * z
        }
        let weights = model.coefficients.storage
        let objective = (loss + weights.reduce(0) { $0 + $1 * $1 } / (2 * c)) / Double(label.count)
        print(
          #"{"reader":"hone","task":"logistic","seconds":\#(elapsed),"objective":\#(objective),"iterations":\#(model.diagnostics.iterations)}"#
        )
      default:
        throw ValidationError("unknown task `\(task)`")
      }
    }
  }

  /// ‖y − Xw − b‖² + α‖w‖², the objective scikit-learn's Ridge minimises.
  private func ridgeObjective(_ x: Matrix, _ y: [Double], _ model: LinearModel) throws -> Double {
    let predictions = try model.predict(x)
    let residual = zip(y, predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    return residual + alpha * model.coefficients.reduce(0) { $0 + $1 * $1 }
  }
}

/// Reads `linear.f64` (row-major float64, 102 columns: 100 features, target, label).
func loadLinear(folder: String) throws -> (x: Matrix, target: [Double], label: [Double]) {
  let path = folder + "/linear.f64"
  guard let handle = FileHandle(forReadingAtPath: path) else {
    throw ValidationError("\(path) not found: run ../shared/anchors/make_data.py --only linear --no-csv")
  }
  let bytes = try handle.readToEnd() ?? Data()
  let columns = 102
  let rows = bytes.count / (8 * columns)
  var features = [Double](repeating: 0, count: rows * 100)
  var target = [Double](repeating: 0, count: rows)
  var label = [Double](repeating: 0, count: rows)
  bytes.withUnsafeBytes { raw in
    let values = raw.bindMemory(to: Double.self)
    for i in 0..<rows {
      let base = i * columns
      for j in 0..<100 { features[i + j * rows] = values[base + j] }
      target[i] = values[base + 100]
      label[i] = values[base + 101]
    }
  }
  return (try Matrix(rows: rows, columns: 100, columnMajor: features), target, label)
}
