import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// Ridge against scikit-learn 1.9.1's `Ridge` (`Fixtures/make_ridge_fixtures.py`), and the
/// behaviour every linear model shares: bad input throws, predictions are `Xβ + b`, and
/// models survive a model file.
@Suite("Ridge vs scikit-learn")
struct RidgeTests {
  static let cases = RidgeFixtures.split(RidgeFixtures.shared?.ridge ?? []) { $0.dataset }

  @Test(arguments: cases.synthetic)
  func synthetic(_ reference: RidgeFixtures.RidgeCase) throws { try check(reference) }

  @Test(.enabled(if: SharedDatasets.directory != nil, SharedDatasets.skipMessage), arguments: cases.real)
  func realData(_ reference: RidgeFixtures.RidgeCase) throws { try check(reference) }

  func check(_ reference: RidgeFixtures.RidgeCase) throws {
    let data = try RidgeFixtures.dataset(reference.dataset, weighted: reference.weighted)
    let solver = try #require(Ridge.Solver(rawValue: reference.solver))
    let model = try Ridge(
      .init(
        alpha: reference.alpha, fitIntercept: reference.fitIntercept, standardize: reference.standardize,
        solver: solver)
    ).fit(data)
    #expect(model.estimator == "ridge")
    #expect(model.alpha == reference.alpha)
    #expect(model.diagnostics.solver == reference.solver)
    let coefficientError = relativeError(model.coefficients, reference.coef)
    let intercept = interceptError(model.intercept, reference.intercept, coefficients: reference.coef, data: data)
    let objective = ridgeObjective(
      data, coefficients: model.coefficients, intercept: model.intercept, alpha: reference.alpha,
      standardize: reference.standardize)
    let objectiveError = abs(objective - reference.objective) / reference.objective
    reportAgreement(
      reference.name, ["coef": coefficientError, "intercept": intercept, "objective": objectiveError])
    // Closed form on both sides (sklearn: scipy `solve(assume_a="pos")` or numpy's SVD;
    // Hone: dpotrf or dgesdd); the penalty keeps the systems well conditioned, so the
    // difference is rounding, of order κ·ε ≤ 1e-10. 1e-6 relative flags a wrong formula.
    #expect(coefficientError < 1e-6)
    #expect(intercept < 1e-6)
    // The objective is stationary at the solution: rounding-level coefficient differences
    // change it to second order only, so 1e-8 relative is generous and still catches a
    // different objective (penalty scale, weight handling).
    #expect(objectiveError < 1e-8)
  }

  /// Both solvers solve the same problem, also with p > n where Cholesky works on the
  /// p × p system and the SVD on the n × p design.
  @Test(arguments: ["small", "duplicated", "wide"], [0.01, 3.0])
  func solversAgree(dataset: String, alpha: Double) throws {
    let data = try RidgeFixtures.dataset(dataset, weighted: true)
    let cholesky = try Ridge(.init(alpha: alpha, solver: .cholesky)).fit(data)
    let svd = try Ridge(.init(alpha: alpha, solver: .svd)).fit(data)
    // Two backward-stable solvers of one well-conditioned (α > 0) system: rounding only.
    #expect(relativeError(cholesky.coefficients, svd.coefficients) < 1e-9)
  }

  /// The singularity check is relative to each column's own scale: features whose
  /// variances differ by 10²⁰ still solve at alpha = 0.
  @Test func choleskyAcceptsWidelyScaledFeatures() throws {
    let data = try RidgeFixtures.dataset("small", weighted: false)
    var x = data.features
    for i in 0..<x.rows {
      x[i, 0] *= 1e-6
      x[i, 3] *= 1e4
    }
    let scaled = try Dataset(features: x, target: data.target)
    let cholesky = try Ridge(.init(alpha: 0, solver: .cholesky)).fit(scaled)
    let ols = try LinearRegression(.init(solver: .qr)).fit(scaled)
    // The point is that no error is thrown. Cholesky is insensitive to diagonal scaling, so
    // the scaled problem is as well conditioned as the original and the solutions agree to
    // rounding, measured against the largest (now 1e6-sized) coefficient.
    #expect(relativeError(cholesky.coefficients, ols.coefficients) < 1e-6)
  }

  @Test(arguments: [-1.0, -.ulpOfOne, .nan, .infinity])
  func invalidAlphaThrows(_ alpha: Double) throws {
    let data = try RidgeFixtures.dataset("small", weighted: false)
    for solver in Ridge.Solver.allCases {
      #expect(throws: LinearModelError.self) { try Ridge(.init(alpha: alpha, solver: solver)).fit(data) }
    }
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity])
  func nonFiniteFeaturesThrow(_ bad: Double) throws {
    let x = try Matrix([[1, 2], [2, 1], [3, bad], [4, 0]])
    let data = try Dataset(features: x, target: [1, 2, 3, 4])
    for solver in Ridge.Solver.allCases {
      #expect(throws: LinearModelError.self) { try Ridge(.init(alpha: 1, solver: solver)).fit(data) }
    }
  }

  @Test func zeroRowsAreRejectedByDataset() throws {
    #expect(throws: DatasetError.self) { try Dataset(features: Matrix(rows: 0, columns: 3), target: []) }
  }

  /// α = 0 with a duplicated column makes `X̃ᵀX̃` singular: Cholesky must say so rather than
  /// return the huge coefficients a rounding-level pivot would give.
  @Test(arguments: [false, true], [false, true])
  func singularCholeskyThrows(weighted: Bool, standardize: Bool) throws {
    let data = try RidgeFixtures.dataset("duplicated", weighted: weighted)
    #expect(throws: LinearModelError.self) {
      try Ridge(.init(alpha: 0, standardize: standardize, solver: .cholesky)).fit(data)
    }
    // The SVD solver returns the minimum-norm least-squares solution instead.
    let svd = try Ridge(.init(alpha: 0, solver: .svd)).fit(data)
    let ols = try LinearRegression().fit(data)
    // Same minimum-norm problem through dgesdd and dgelsd: rounding only.
    #expect(relativeError(svd.coefficients, ols.coefficients) < 1e-9)
  }

  @Test(arguments: ["small", "wide"])
  func predictionsAreXBetaPlusB(dataset: String) throws {
    let data = try RidgeFixtures.dataset(dataset, weighted: false)
    let model = try Ridge(alpha: 0.5).fit(data)
    let predictions = try model.predict(data.features)
    for i in 0..<data.rowCount {
      var expected = model.intercept
      for j in 0..<data.featureCount { expected += data.features[i, j] * model.coefficients[j] }
      // dgemv and this loop add the same terms in different orders: a few ulps of the
      // largest term.
      #expect(abs(predictions[i] - expected) <= 1e-12 * max(1, abs(expected)))
    }
  }

  @Test func predictionRejectsBadInput() throws {
    let model = try Ridge(alpha: 1).fit(try RidgeFixtures.dataset("small", weighted: false))
    #expect(throws: LinearModelError.self) { try model.predict(Matrix(rows: 2, columns: 3)) }
    var x = Matrix(rows: 2, columns: model.featureCount)
    x[1, 2] = .nan
    #expect(throws: LinearModelError.self) { try model.predict(x) }
  }

  @Test func modelFileRoundTrip() throws {
    let data = try RidgeFixtures.dataset("duplicated", weighted: true)
    let models = [
      try Ridge(.init(alpha: 0.3, standardize: true)).fit(data),
      try LinearRegression().fit(data),
      try RidgeCV(alphas: [0.1, 1, 10]).fit(data),
    ]
    for model in models {
      let bytes = try ModelFile.encode(model, metadata: ["test": "round trip"])
      let decoded = try ModelFile.decode(LinearModel.self, from: bytes)
      // JSON writes doubles with enough digits to round-trip exactly.
      #expect(decoded == model)
      #expect(try decoded.predict(data.features) == model.predict(data.features))
    }
  }
}
