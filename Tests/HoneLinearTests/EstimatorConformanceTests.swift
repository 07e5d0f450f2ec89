import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// The checks every estimator must pass, whatever its algorithm: the same data gives the
/// same model, a refit does not remember the previous fit, the model survives the
/// model-file envelope unchanged, and bad shapes or non-finite input throw.
@Suite("Estimator conformance")
struct EstimatorConformanceTests {
  /// A small, well-posed problem with a binary target, usable by every estimator.
  static func problem(seed: UInt64) throws -> Dataset {
    var rng = Xoshiro256StarStar(seed: seed)
    var x = Matrix(rows: 80, columns: 4)
    var y = [Double](repeating: 0, count: 80)
    for i in 0..<80 {
      var score = 0.3
      for j in 0..<4 {
        x[i, j] = rng.nextGaussian()
        score += Double(j + 1) * 0.4 * x[i, j]
      }
      y[i] = score + 0.8 * rng.nextGaussian() > 0 ? 1 : 0
    }
    return try Dataset(features: x, target: y)
  }

  static func check<E: Estimator>(_ estimator: E) throws where E.Fitted: Equatable {
    let data = try problem(seed: 1)
    let other = try problem(seed: 2)
    let first = try estimator.fit(data)
    #expect(try estimator.fit(data) == first, "the same data gives the same model")
    _ = try estimator.fit(other)
    #expect(try estimator.fit(data) == first, "a refit on other data leaves no trace")
    let restored = try ModelFile.decode(E.Fitted.self, from: try ModelFile.encode(first))
    #expect(restored == first, "the model survives the model file unchanged")
    #expect(try restored.predict(data.features) == first.predict(data.features))
    #expect(throws: (any Error).self, "a wrong column count throws") {
      try first.predict(Matrix(rows: 3, columns: 5))
    }
    var withNaN = data.features
    withNaN[4, 2] = .nan
    #expect(throws: (any Error).self, "a NaN feature throws at predict time") { try first.predict(withNaN) }
    #expect(throws: (any Error).self, "a NaN feature throws at fit time") {
      try estimator.fit(try Dataset(features: withNaN, target: data.target))
    }
  }

  @Test func linearRegression() throws { try Self.check(LinearRegression()) }
  @Test func ridge() throws { try Self.check(Ridge(alpha: 0.5)) }
  @Test func ridgeCV() throws { try Self.check(RidgeCV()) }
  @Test func lasso() throws { try Self.check(Lasso(.init(alpha: 0.01))) }
  @Test func elasticNet() throws { try Self.check(ElasticNet(alpha: 0.01, l1Ratio: 0.5)) }
  @Test func logisticRegression() throws { try Self.check(LogisticRegression()) }
}
