import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

@Suite("Rolling and expanding regressions")
struct RollingRegressionTests {
  /// A time series with drifting coefficients and feature means far from zero, so the
  /// windows differ and the uncentred system would be badly conditioned.
  static func series(rows: Int, features: Int, seed: UInt64) throws -> (Matrix, [Double]) {
    var rng = Xoshiro256StarStar(seed: seed)
    var x = Matrix(rows: rows, columns: features)
    var y = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
      var value = 0.5 + rng.nextGaussian()
      for j in 0..<features {
        x[i, j] = 10 * Double(j + 1) + rng.nextGaussian()
        let coefficient = sin(Double(i) / 40 + Double(j))
        value += coefficient * x[i, j]
      }
      y[i] = value
    }
    return (x, y)
  }

  /// Every window's coefficients against a fresh ``Ridge`` (or least-squares) fit on the
  /// same rows. Relative 1e-8 of the coefficient scale: the fresh fit and the updated
  /// factor both solve a system whose condition number is about 1e3 here, so each is
  /// accurate to ~1e-12; the updates and downdates add rounding that the periodic refresh
  /// bounds well below 1e-8.
  @Test(arguments: [(0.0, 30), (1.0, 30), (5.0, 12)])
  func rollingMatchesAFreshFitAtEveryWindow(alpha: Double, window: Int) throws {
    let (x, y) = try Self.series(rows: 400, features: 4, seed: 3)
    let result = try RollingRegression(window: .rolling(window), alpha: alpha).fit(features: x, target: y)
    #expect(result.endRows == Array((window - 1)..<400))
    for (k, end) in result.endRows.enumerated() {
      let rows = Array((end - window + 1)...end)
      let data = try Dataset(features: try x.selectingRows(rows), target: rows.map { y[$0] })
      let fresh =
        alpha == 0
        ? try LinearRegression().fit(data)
        : try Ridge(.init(alpha: alpha, solver: .cholesky)).fit(data)
      let scale = max(1, fresh.coefficients.map(abs).max() ?? 1)
      for j in 0..<4 {
        #expect(abs(result.coefficients[k, j] - fresh.coefficients[j]) <= 1e-8 * scale, "window \(k), feature \(j)")
      }
      // The intercept is ȳ − β·x̄, so its error scale is |ȳ| + Σ|βⱼ x̄ⱼ| (x̄ⱼ is 10 to 40 here).
      let means = (0..<4).map { j in rows.reduce(0) { $0 + x[$1, j] } / Double(rows.count) }
      let interceptScale =
        abs(fresh.intercept) + zip(fresh.coefficients, means).reduce(0) { $0 + abs($1.0 * $1.1) }
      #expect(abs(result.intercepts[k] - fresh.intercept) <= 1e-8 * interceptScale, "window \(k)")
    }
  }

  @Test func expandingMatchesAFreshFitOnAllRowsSoFar() throws {
    let (x, y) = try Self.series(rows: 300, features: 3, seed: 9)
    let result = try RollingRegression(window: .expanding(minimum: 10), alpha: 0.5).fit(features: x, target: y)
    #expect(result.endRows.count == 291)
    for (k, end) in result.endRows.enumerated() where k % 7 == 0 || end == 299 {
      let rows = Array(0...end)
      let fresh = try Ridge(.init(alpha: 0.5, solver: .cholesky)).fit(
        try Dataset(features: try x.selectingRows(rows), target: rows.map { y[$0] }))
      let scale = max(1, fresh.coefficients.map(abs).max() ?? 1)
      for j in 0..<3 { #expect(abs(result.coefficients[k, j] - fresh.coefficients[j]) <= 1e-8 * scale) }
    }
  }

  @Test func withoutAnInterceptMatchesRidgeWithoutOne() throws {
    let (x, y) = try Self.series(rows: 120, features: 2, seed: 4)
    let result = try RollingRegression(window: .rolling(25), alpha: 2, fitIntercept: false).fit(features: x, target: y)
    for (k, end) in result.endRows.enumerated() where k % 11 == 0 {
      let rows = Array((end - 24)...end)
      let fresh = try Ridge(.init(alpha: 2, fitIntercept: false, solver: .cholesky)).fit(
        try Dataset(features: try x.selectingRows(rows), target: rows.map { y[$0] }))
      for j in 0..<2 { #expect(abs(result.coefficients[k, j] - fresh.coefficients[j]) <= 1e-8) }
      #expect(result.intercepts[k] == 0)
    }
  }

  @Test func refreshesHappenOnSchedule() throws {
    let (x, y) = try Self.series(rows: 200, features: 2, seed: 1)
    var h = RollingRegression.Hyperparameters(window: .rolling(20), alpha: 1)
    h.refreshInterval = 50
    let result = try RollingRegression(h).fit(features: x, target: y)
    // Windows 0, 50, 100, 150 refresh (181 windows in all), plus any failed downdate.
    #expect(result.refreshes >= 4)
    #expect(result.refreshes < 20)
  }

  @Test func badInputThrows() throws {
    let (x, y) = try Self.series(rows: 50, features: 3, seed: 2)
    #expect(throws: LinearModelError.self) { try RollingRegression(window: .rolling(0)).fit(features: x, target: y) }
    #expect(throws: LinearModelError.self) { try RollingRegression(window: .rolling(51)).fit(features: x, target: y) }
    #expect(throws: LinearModelError.self) {
      try RollingRegression(window: .rolling(10), alpha: -1).fit(features: x, target: y)
    }
    #expect(throws: LinearModelError.self) {
      try RollingRegression(window: .rolling(10)).fit(features: x, target: Array(y.dropLast()))
    }
    var withNaN = y
    withNaN[7] = .nan
    #expect(throws: LinearModelError.self) {
      try RollingRegression(window: .rolling(10)).fit(features: x, target: withNaN)
    }
    // Least squares on 3 rows with 3 features plus an intercept is singular.
    let error = try #require(throws: LinearModelError.self) {
      try RollingRegression(window: .rolling(3)).fit(features: x, target: y)
    }
    #expect(error.message.contains("singular"))
  }
}
