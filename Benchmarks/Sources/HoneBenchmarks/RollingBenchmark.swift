import ArgumentParser
import Foundation
import Hone

/// Rolling ridge by rank-one updates versus refitting ``Ridge`` on every window.
struct RollingBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rolling", abstract: "Rolling ridge (updates/downdates) versus a fresh Ridge fit per window.")

  @Option(help: "Rows.") var rows = 100_000
  @Option(help: "Features.") var features = 20
  @Option(help: "Window length.") var window = 250
  @Option(help: "Ridge penalty.") var alpha = 1.0
  @Option(help: "Refit every k-th window only and scale the time up (1 = every window).") var refitStride = 1
  @Option(help: "Steps between exact refreshes (default: the library's).") var refreshInterval: Int?
  @Option(help: "Interleaved rounds (rolling, refit, rolling, refit, …); medians are reported.") var rounds = 3

  func run() throws {
    var rng = Xoshiro256StarStar(seed: 42)
    var x = Matrix(rows: rows, columns: features)
    var y = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
      var value = rng.nextGaussian()
      for j in 0..<features {
        x[i, j] = rng.nextGaussian()
        value += sin(Double(i) / 500 + Double(j)) * x[i, j]
      }
      y[i] = value
    }
    var hyperparameters = RollingRegression.Hyperparameters(window: .rolling(window), alpha: alpha)
    hyperparameters.refreshInterval = refreshInterval
    let rollingFit = RollingRegression(hyperparameters)
    let estimator = Ridge(.init(alpha: alpha, solver: .cholesky))
    var result = try rollingFit.fit(features: x, target: y)
    var rollingTimes: [Double] = []
    var refitTimes: [Double] = []
    var worst = 0.0
    var refits = 0
    for _ in 0..<rounds {
      rollingTimes.append(try seconds { result = try rollingFit.fit(features: x, target: y) })
      refits = 0
      refitTimes.append(
        try seconds {
          for (k, end) in result.endRows.enumerated() where k % refitStride == 0 {
            let rowsInWindow = Array((end - window + 1)...end)
            let model = try estimator.fit(
              try Dataset(features: try x.selectingRows(rowsInWindow), target: rowsInWindow.map { y[$0] }))
            for j in 0..<features { worst = max(worst, abs(model.coefficients[j] - result.coefficients[k, j])) }
            refits += 1
          }
        })
    }
    let rolling = median(rollingTimes)
    let refit = median(refitTimes)
    let refitAll = refit * Double(result.endRows.count) / Double(refits)
    print(
      "rolling ridge: n=\(rows), p=\(features), window=\(window), \(result.endRows.count) windows; median of \(rounds) interleaved rounds; refit timed on every \(refitStride)-th window and scaled"
    )
    print("| method | seconds | µs per window |")
    print("|---|---:|---:|")
    print(
      "| rank-one updates (RollingRegression) | \(fixed(rolling, 3)) | \(fixed(rolling / Double(result.endRows.count) * 1e6, 2)) |"
    )
    print(
      "| fresh Ridge fit per window | \(fixed(refitAll, 3)) | \(fixed(refitAll / Double(result.endRows.count) * 1e6, 2)) |"
    )
    print(
      "speed-up: \(fixed(refitAll / rolling, 1))x; max |coefficient difference| = \(worst); refreshes: \(result.refreshes)"
    )
  }
}
