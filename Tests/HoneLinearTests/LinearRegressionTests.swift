import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// Ordinary least squares against scikit-learn 1.9.1's `LinearRegression`
/// (`Fixtures/make_ridge_fixtures.py`).
@Suite("LinearRegression vs scikit-learn")
struct LinearRegressionTests {
  static let cases = RidgeFixtures.split(RidgeFixtures.shared?.ols ?? []) { $0.dataset }

  @Test func fixturesLoad() throws {
    let fixtures = try RidgeFixtures.load()
    #expect(fixtures.versions["sklearn"] == "1.9.1")
    #expect(!fixtures.ols.isEmpty && !fixtures.ridge.isEmpty && !fixtures.ridgecv.isEmpty)
  }

  @Test(arguments: cases.synthetic)
  func synthetic(_ reference: RidgeFixtures.OLSCase) throws { try check(reference) }

  @Test(.enabled(if: SharedDatasets.directory != nil, SharedDatasets.skipMessage), arguments: cases.real)
  func realData(_ reference: RidgeFixtures.OLSCase) throws { try check(reference) }

  /// sklearn's dense path is `scipy.linalg.lstsq(cond=tol)` (`gelsd`), so `.svd` with the
  /// same relative cutoff reproduces it, rank included; full-rank cases also go through `.qr`.
  func check(_ reference: RidgeFixtures.OLSCase) throws {
    let data = try RidgeFixtures.dataset(reference.dataset, weighted: reference.weighted)
    let svd = try LinearRegression(.init(fitIntercept: reference.fitIntercept, solver: .svd, rcond: reference.rcond))
      .fit(data)
    #expect(svd.diagnostics.rank == reference.rank)
    var solvers = [(name: "svd", model: svd)]
    if reference.rank == data.featureCount {
      solvers.append(("qr", try LinearRegression(.init(fitIntercept: reference.fitIntercept, solver: .qr)).fit(data)))
    } else {
      #expect(throws: LinearModelError.self) {
        try LinearRegression(.init(fitIntercept: reference.fitIntercept, solver: .qr)).fit(data)
      }
    }
    for (name, model) in solvers {
      let coefficientError = relativeError(model.coefficients, reference.coef)
      let intercept = interceptError(
        model.intercept, reference.intercept, coefficients: reference.coef, data: data)
      let objective = ridgeObjective(
        data, coefficients: model.coefficients, intercept: model.intercept, alpha: 0, standardize: false)
      let objectiveError = abs(objective - reference.objective) / reference.objective
      reportAgreement(
        "\(reference.name) \(name)", ["coef": coefficientError, "intercept": intercept, "objective": objectiveError])
      // Both sides solve the same least-squares problem in closed form with backward-stable
      // LAPACK routines; the forward error is about κ(X̃)·ε ≈ 1e-11 for the worst case here
      // (wine without an intercept), so 1e-6 flags a wrong formula, not rounding.
      #expect(coefficientError < 1e-6, "\(name)")
      #expect(intercept < 1e-6, "\(name)")
      // At the minimum the objective is flat in the coefficients, so their rounding-level
      // differences change it only to second order; 1e-8 relative catches a different
      // problem (weights applied twice, a missing intercept).
      #expect(objectiveError < 1e-8, "\(name)")
    }
  }

  /// A duplicated column leaves the minimum-norm solution, which splits the weight
  /// equally between the copies.
  @Test func minimumNormSplitsDuplicatedColumnsEqually() throws {
    let data = try RidgeFixtures.dataset("duplicated", weighted: false)
    let model = try LinearRegression().fit(data)
    // Columns 1 and 4 are identical, so the minimum-norm solution gives them the same
    // coefficient up to rounding in the SVD.
    #expect(abs(model.coefficients[1] - model.coefficients[4]) < 1e-10)
    #expect(model.diagnostics.rank == 4)
    #expect(!model.diagnostics.warnings.isEmpty)
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity])
  func nonFiniteFeaturesThrow(_ bad: Double) throws {
    let x = try Matrix([[1, 2], [2, bad], [3, 1], [4, 0]])
    let data = try Dataset(features: x, target: [1, 2, 3, 4])
    for solver in LinearRegression.Solver.allCases {
      #expect(throws: LinearModelError.self) { try LinearRegression(.init(solver: solver)).fit(data) }
    }
  }
}
