import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

@Suite("Linear models: closed-form checks")
struct LinearModelClosedFormTests {
  /// y = 1 + 2·x exactly: OLS must recover the line.
  @Test(arguments: [LinearRegression.Solver.qr, .svd])
  func olsRecoversAnExactLine(solver: LinearRegression.Solver) throws {
    let x = try Matrix([[0], [1], [2], [3]])
    let model = try LinearRegression(.init(solver: solver)).fit(try Dataset(features: x, target: [1, 3, 5, 7]))
    // A 4 x 1 well-conditioned problem: exact up to a few ulps.
    #expect(abs(model.coefficients[0] - 2) < 1e-12)
    #expect(abs(model.intercept - 1) < 1e-12)
  }

  /// One centred feature: β = Σx̃ỹ / (Σx̃² + α) in closed form.
  @Test(arguments: [Ridge.Solver.cholesky, .svd])
  func ridgeMatchesTheOneFeatureClosedForm(solver: Ridge.Solver) throws {
    let xs: [Double] = [0, 1, 2, 3, 4]
    let ys: [Double] = [1, 2, 2, 5, 4]
    let (mx, my) = (xs.reduce(0, +) / 5, ys.reduce(0, +) / 5)
    let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    let alpha = 2.5
    let model = try Ridge(.init(alpha: alpha, solver: solver)).fit(
      try Dataset(features: Matrix.columnVector(xs), target: ys))
    let beta = sxy / (sxx + alpha)
    #expect(abs(model.coefficients[0] - beta) < 1e-12)
    #expect(abs(model.intercept - (my - beta * mx)) < 1e-12)
  }
}
