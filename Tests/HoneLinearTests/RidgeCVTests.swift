import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// RidgeCV against scikit-learn 1.9.1's `RidgeCV` (`Fixtures/make_ridge_fixtures.py`) and
/// against brute-force leave-one-out refits.
@Suite("RidgeCV")
struct RidgeCVTests {
  static let cases = RidgeFixtures.split(RidgeFixtures.shared?.ridgecv ?? []) { $0.dataset }

  @Test(arguments: cases.synthetic)
  func synthetic(_ reference: RidgeFixtures.RidgeCVCase) throws { try check(reference) }

  @Test(.enabled(if: SharedDatasets.directory != nil, SharedDatasets.skipMessage), arguments: cases.real)
  func realData(_ reference: RidgeFixtures.RidgeCVCase) throws { try check(reference) }

  func check(_ reference: RidgeFixtures.RidgeCVCase) throws {
    let data = try RidgeFixtures.dataset(reference.dataset, weighted: reference.weighted)
    let result = try RidgeCV(
      .init(alphas: reference.alphas, fitIntercept: reference.fitIntercept, standardize: reference.standardize)
    ).fitWithScores(data)
    let model = result.model
    // The fixture script asserts that the best score beats the runner-up by more than
    // 1e-9 relative, far above the differences measured below, so the choice is exact.
    #expect(model.alpha == reference.alpha)
    #expect(result.alphas[result.bestIndex] == reference.alpha)
    #expect(model.estimator == "ridge")
    let coefficientError = relativeError(model.coefficients, reference.coef)
    let intercept = interceptError(model.intercept, reference.intercept, coefficients: reference.coef, data: data)
    let scoreError = relativeError(result.meanSquaredErrors, reference.mse)
    let objectiveError = abs((model.diagnostics.objective ?? .nan) - reference.objective) / reference.objective
    reportAgreement(
      reference.name,
      ["coef": coefficientError, "intercept": intercept, "mse": scoreError, "objective": objectiveError])
    // Closed-form ridge at the chosen alpha, from an eigendecomposition (sklearn: numpy's
    // eigh/SVD; Hone: dsyevd/dgesdd) of a penalised, well-conditioned system: rounding-level
    // differences, of order κ·ε ≤ 1e-10; 1e-6 relative flags a wrong formula.
    #expect(coefficientError < 1e-6)
    #expect(intercept < 1e-6)
    // The scores are sums of squared closed-form residuals over 1 − Hᵢᵢ. sklearn's
    // covariance path keeps a rounding-level X̃ᵀ√w term Hone drops (it is zero for a
    // centred design), so agreement is ~1e-12; 1e-8 relative separates that from any
    // change in definition (weights, intercept leverage, mean over n rather than Σw).
    #expect(scoreError < 1e-8)
    // The objective reported in the diagnostics, against sklearn's coefficients: stationary
    // at the optimum, so only second-order in the coefficient differences.
    #expect(objectiveError < 1e-8)
  }

  /// Every score against n explicit refits without one row each, through Ridge's SVD
  /// solver: an independent reference that needs no hat matrix.
  @Test(arguments: ["small", "duplicated", "wide"], [false, true])
  func scoresMatchBruteForceLeaveOneOut(dataset: String, weighted: Bool) throws {
    let data = try RidgeFixtures.dataset(dataset, weighted: weighted)
    let alphas = [0.05, 0.7, 9.0]
    for fitIntercept in [true, false] {
      let result = try RidgeCV(.init(alphas: alphas, fitIntercept: fitIntercept)).fitWithScores(data)
      for (alpha, score) in zip(alphas, result.meanSquaredErrors) {
        let expected = try bruteForceScore(data, alpha: alpha, fitIntercept: fitIntercept)
        // n separate closed-form fits against one factorisation: both exact up to rounding
        // amplified by κ of the penalised system (≤ 1e4 here).
        #expect(abs(score - expected) <= 1e-9 * expected, "alpha \(alpha), intercept \(fitIntercept)")
      }
    }
  }

  /// The eigen and SVD paths compute the same quantities from different factorisations.
  @Test(arguments: ["small", "duplicated", "wide"], [false, true])
  func modesAgree(dataset: String, standardize: Bool) throws {
    let data = try RidgeFixtures.dataset(dataset, weighted: true)
    let grid = [0.01, 0.3, 4.0, 60.0]
    let eigen = try RidgeCV(.init(alphas: grid, standardize: standardize, mode: .eigen)).fitWithScores(data)
    let svd = try RidgeCV(.init(alphas: grid, standardize: standardize, mode: .svd)).fitWithScores(data)
    #expect(eigen.model.diagnostics.solver == "eigen")
    #expect(svd.model.diagnostics.solver == "svd")
    // Rounding only; with p > n the eigen path forms 1 − Hᵢᵢ by subtraction and the
    // smallest alpha loses up to ~4 digits to cancellation, hence 1e-8 rather than 1e-12.
    #expect(relativeError(eigen.meanSquaredErrors, svd.meanSquaredErrors) < 1e-8)
    #expect(relativeError(eigen.model.coefficients, svd.model.coefficients) < 1e-8)
    #expect(eigen.model.diagnostics.rank == svd.model.diagnostics.rank)
  }

  /// The returned model is exactly Ridge at the chosen alpha.
  @Test(arguments: ["small", "wide"], [false, true])
  func modelIsRidgeAtTheChosenAlpha(dataset: String, standardize: Bool) throws {
    let data = try RidgeFixtures.dataset(dataset, weighted: true)
    let estimator = RidgeCV(.init(alphas: [0.02, 0.2, 2, 20, 200], standardize: standardize))
    let result = try estimator.fitWithScores(data)
    #expect(try estimator.fit(data) == result.model)
    let ridge = try Ridge(.init(alpha: result.model.alpha, standardize: standardize, solver: .svd)).fit(data)
    // Two closed-form solutions of the same penalised system: rounding only.
    #expect(relativeError(result.model.coefficients, ridge.coefficients) < 1e-9)
    #expect(abs(result.model.intercept - ridge.intercept) < 1e-9 * max(1, abs(ridge.intercept)))
    let best = result.meanSquaredErrors.min()
    #expect(result.meanSquaredErrors[result.bestIndex] == best)
  }

  @Test func warnsWhenTheBestAlphaIsAtTheEdgeOfTheGrid() throws {
    let data = try RidgeFixtures.dataset("small", weighted: false)
    // The small set has little noise, so the least penalty wins on this grid.
    let model = try RidgeCV(alphas: [100, 1000, 10_000]).fit(data)
    #expect(model.alpha == 100)
    #expect(model.diagnostics.warnings.contains { $0.contains("edge of the grid") })
  }

  @Test(arguments: [[], [1, -1], [0], [1, .nan], [.infinity]] as [[Double]])
  func invalidGridThrows(_ alphas: [Double]) throws {
    let data = try RidgeFixtures.dataset("small", weighted: false)
    #expect(throws: LinearModelError.self) { try RidgeCV(alphas: alphas).fit(data) }
  }

  @Test(arguments: [Double.nan, .infinity], [RidgeCV.Mode.eigen, .svd])
  func nonFiniteFeaturesThrow(_ bad: Double, mode: RidgeCV.Mode) throws {
    let x = try Matrix([[1, 2], [2, 1], [3, bad], [4, 0]])
    let data = try Dataset(features: x, target: [1, 2, 3, 4])
    #expect(throws: LinearModelError.self) { try RidgeCV(.init(mode: mode)).fit(data) }
  }

  @Test func oneContributingRowThrows() throws {
    let x = try Matrix([[1, 2], [2, 1], [3, 5]])
    let data = try Dataset(features: x, target: [1, 2, 3], weights: [0, 2, 0])
    #expect(throws: LinearModelError.self) { try RidgeCV().fit(data) }
  }

  /// `(1/n) Σᵢ wᵢ (yᵢ − ŷ₋ᵢ)²` from n refits, each without row i.
  func bruteForceScore(_ data: Dataset, alpha: Double, fitIntercept: Bool) throws -> Double {
    let n = data.rowCount
    let weights = data.weights ?? [Double](repeating: 1, count: n)
    var total = 0.0
    for i in 0..<n {
      let kept = (0..<n).filter { $0 != i }
      let subset = try Dataset(
        features: try data.features.selectingRows(kept), target: kept.map { data.target[$0] },
        weights: data.weights.map { w in kept.map { w[$0] } })
      let model = try Ridge(.init(alpha: alpha, fitIntercept: fitIntercept, solver: .svd)).fit(subset)
      var prediction = model.intercept
      for j in 0..<data.featureCount { prediction += data.features[i, j] * model.coefficients[j] }
      let error = data.target[i] - prediction
      total += weights[i] * error * error
    }
    return total / Double(n)
  }
}
