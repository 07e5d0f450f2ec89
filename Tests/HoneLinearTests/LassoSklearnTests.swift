import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// Lasso and ElasticNet against scikit-learn 1.9 (`Fixtures/make_enet_fixtures.py`):
/// converged fits on real data (concrete, red wine, read from the shared datasets) and
/// on synthetic data (stored in the fixture), with and without weights, positivity and
/// standardisation, and warm-started paths.
@Suite("Lasso and ElasticNet: scikit-learn agreement")
struct LassoSklearnTests {
  static let fixtures = ElasticNetFixtures.shared
  static let syntheticFits = fixtures.fits.filter { !ElasticNetFixtures.realDatasets.contains($0.dataset) }
  static let realFits = fixtures.fits.filter { ElasticNetFixtures.realDatasets.contains($0.dataset) }
  static let syntheticPaths = fixtures.paths.filter { !ElasticNetFixtures.realDatasets.contains($0.dataset) }
  static let realPaths = fixtures.paths.filter { ElasticNetFixtures.realDatasets.contains($0.dataset) }

  /// Both sides stop at a duality gap ≤ 1e-12·‖ỹ‖², which bounds the coefficient error
  /// only through the conditioning of X̃ᵀX̃ (concrete's mixture columns nearly sum to a
  /// constant). Measured agreement is ≤ 2e-12 relative; 1e-6 keeps that margin on other
  /// BLAS builds while any wrong scaling of alpha or the weights (≥ 1e-3 effects) fails.
  static let coefficientTolerance = 1e-6
  /// At a converged point the objective is flat, so its error is second order in the
  /// coefficients' and bounded by the gap, 1e-12·var(y); measured ≤ 3e-15 relative, so
  /// 1e-8 is generous yet far below the effect of any modelling difference.
  static let objectiveTolerance = 1e-8

  @Test("fits match scikit-learn on synthetic data", arguments: syntheticFits, ElasticNet.Solver.allCases)
  func syntheticFitMatches(_ reference: ElasticNetFixtures.Fit, solver: ElasticNet.Solver) throws {
    try checkFit(reference, solver: solver)
  }

  @Test(
    "fits match scikit-learn on concrete and red wine",
    .enabled(if: SharedDatasets.available, SharedDatasets.skipMessage),
    arguments: realFits, ElasticNet.Solver.allCases)
  func realFitMatches(_ reference: ElasticNetFixtures.Fit, solver: ElasticNet.Solver) throws {
    try checkFit(reference, solver: solver)
  }

  @Test("paths match scikit-learn on synthetic data", arguments: syntheticPaths, ElasticNet.Solver.allCases)
  func syntheticPathMatches(_ reference: ElasticNetFixtures.Path, solver: ElasticNet.Solver) throws {
    try checkPath(reference, solver: solver)
  }

  @Test(
    "paths match scikit-learn on concrete and red wine",
    .enabled(if: SharedDatasets.available, SharedDatasets.skipMessage),
    arguments: realPaths, ElasticNet.Solver.allCases)
  func realPathMatches(_ reference: ElasticNetFixtures.Path, solver: ElasticNet.Solver) throws {
    try checkPath(reference, solver: solver)
  }

  @Test("the fixture covers every case the Swift tests expect")
  func fixtureIsComplete() {
    #expect(Self.fixtures.sklearn.hasPrefix("1.9"))
    #expect(Self.fixtures.fits.count >= 17)
    #expect(Self.fixtures.paths.count >= 3)
  }

  // MARK: Checks

  func checkFit(_ reference: ElasticNetFixtures.Fit, solver: ElasticNet.Solver) throws {
    let data = try fixtureDataset(reference.dataset, weighted: reference.weighted)
    let hyperparameters = ElasticNet.Hyperparameters(
      alpha: reference.alpha, l1Ratio: reference.l1Ratio, fitIntercept: reference.fitIntercept,
      standardize: reference.standardize, maxIterations: 100_000, tolerance: 1e-12, positive: reference.positive,
      solver: solver)
    let model: LinearModel
    if reference.l1Ratio == 1 {
      model = try Lasso(
        .init(
          alpha: reference.alpha, fitIntercept: reference.fitIntercept, standardize: reference.standardize,
          maxIterations: 100_000, tolerance: 1e-12, positive: reference.positive, solver: solver)
      ).fit(data)
      #expect(model.estimator == "lasso")
    } else {
      model = try ElasticNet(hyperparameters).fit(data)
      #expect(model.estimator == "elasticnet")
    }
    #expect(model.diagnostics.converged, "\(model.diagnostics.warnings)")
    #expect(model.diagnostics.solver == "coordinate-descent")
    if solver == .naive {
      // scikit-learn's fixture ran its residual-update solver with the same cyclic order
      // and stopping rule, so the sweep counts agree (measured: exactly); a couple of
      // sweeps of slack allow for rounding moving one stopping check.
      #expect(
        abs(model.diagnostics.iterations - reference.nIter) <= 2,
        "sweeps \(model.diagnostics.iterations) vs \(reference.nIter)")
    }

    let scale = maxAbs(reference.coef)
    let difference = maxDifference(model.coefficients, reference.coef)
    #expect(difference <= Self.coefficientTolerance * scale, "max |Δβ| = \(difference), max |β| = \(scale)")

    let moments = weightedMoments(data)
    // The intercept is ȳ − x̄·β, so the coefficient tolerance carries over multiplied by
    // Σ|x̄ⱼ| (large for concrete, whose features are in kg/m³).
    let xMeanSum = reference.fitIntercept ? moments.xMean.reduce(0) { $0 + abs($1) } : 0
    #expect(
      abs(model.intercept - reference.intercept)
        <= Self.coefficientTolerance * scale * (1 + xMeanSum) + 1e-12 * abs(reference.intercept))

    let objective = try elasticNetObjective(
      model, data, alpha: reference.alpha, l1Ratio: reference.l1Ratio,
      scale: reference.standardize ? moments.xScale : nil)
    #expect(
      abs(objective - reference.objective) <= Self.objectiveTolerance * reference.objective,
      "objective \(objective) vs scikit-learn \(reference.objective)")
    // The solver's own objective comes from the Gram form ‖ỹ‖² − 2qᵀβ + βᵀGβ, which
    // loses a few ulps of ‖ỹ‖² to cancellation: 1e-9 relative covers it.
    let reported = try #require(model.diagnostics.objective)
    #expect(abs(reported - objective) <= 1e-9 * objective)
    // The solver stops at gap ≤ tolerance·‖ỹ‖²/Σw, the tolerance times the weighted
    // second moment of the (centred) target.
    let target = data.target.map { $0 - (reference.fitIntercept ? moments.yMean : 0) }
    let w = data.weights ?? [Double](repeating: 1, count: data.rowCount)
    let secondMoment = zip(w, target).reduce(0) { $0 + $1.0 * $1.1 * $1.1 } / moments.weightSum
    let gap = try #require(model.diagnostics.dualityGap)
    #expect(gap <= 1e-12 * secondMoment)
  }

  func checkPath(_ reference: ElasticNetFixtures.Path, solver: ElasticNet.Solver) throws {
    let data = try fixtureDataset(reference.dataset, weighted: reference.weighted)
    let path: RegularizationPath
    if reference.l1Ratio == 1 {
      path = try Lasso(.init(maxIterations: 100_000, tolerance: 1e-12, positive: reference.positive, solver: solver))
        .path(data, count: reference.count, epsilon: reference.epsilon)
    } else {
      path = try ElasticNet(
        .init(
          l1Ratio: reference.l1Ratio, maxIterations: 100_000, tolerance: 1e-12, positive: reference.positive,
          solver: solver)
      ).path(data, count: reference.count, epsilon: reference.epsilon)
    }
    #expect(path.converged)
    try #require(path.count == reference.alphas.count)
    // The grid is alpha_max·10^(k·step): a handful of roundings, so 1e-12 relative.
    for (alpha, expected) in zip(path.alphas, reference.alphas) {
      #expect(abs(alpha - expected) <= 1e-12 * expected)
    }
    // One scale for the whole path: at alpha_max every coefficient is zero, so a
    // per-alpha scale would demand exact agreement of zeros reached by rounding.
    let scale = maxAbs(reference.coefs.flatMap { $0 })
    let xMeanSum = weightedMoments(data).xMean.reduce(0) { $0 + abs($1) }
    for k in 0..<path.count {
      let difference = maxDifference(path.coefficients[k], reference.coefs[k])
      #expect(
        difference <= Self.coefficientTolerance * scale, "alpha[\(k)] = \(path.alphas[k]): max |Δβ| = \(difference)")
      #expect(
        abs(path.intercepts[k] - reference.intercepts[k])
          <= Self.coefficientTolerance * scale * (1 + xMeanSum) + 1e-12 * abs(reference.intercepts[k]))
    }
    #expect(path.coefficients[0].allSatisfy { $0 == 0 }, "alpha_max must give all zeros")
  }
}
