import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// Largest absolute entry of `a − b`, over the largest absolute entry of `b`.
private func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
  let scale = b.reduce(0) { max($0, abs($1)) }
  let difference = zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
  return difference / max(scale, .leastNormalMagnitude)
}

private func rows(_ m: Matrix) -> [[Double]] { m.rowArrays }

@Suite("Logistic regression against scikit-learn 1.9.1")
struct LogisticRegressionFixtureTests {
  /// Fits `fixture` with `solver` and checks coefficients, intercepts, objective and
  /// probabilities against the reference.
  ///
  /// Tolerances:
  /// - coefficients and intercepts, `coefficientTolerance` relative to the largest
  ///   reference coefficient: both fits stop at a scaled gradient ≤ 1e-10, and the
  ///   distance to the optimum is about gradient / smallest Hessian eigenvalue, which is
  ///   1e-8 or less here; 1e-6 (L2: references from newton-cholesky) leaves room for the
  ///   conditioning, and 1e-5 for L1 / elastic net, whose saga references are only as
  ///   good as saga's weight-change stopping rule (checked: their subgradient reached
  ///   1e-11, and the measured gap is far below 1e-5).
  /// - objective, 1e-8 relative: at a stationary point the objective error is second
  ///   order in the coefficient error, so 1e-8 is loose for both (measured ~1e-14).
  /// - probabilities, 1e-6 absolute: first order in the coefficient error, times |x|.
  private func check(
    _ fixture: LogisticFixture, solver: LogisticRegression.Solver, data: Dataset, standardized: Bool = false,
    coefficientTolerance: Double
  ) throws {
    let model = try LogisticRegression(fixture.hyperparameters(solver: solver, standardize: standardized)).fit(data)
    #expect(model.diagnostics.converged, "\(fixture.name): \(model.diagnostics.warnings)")
    #expect(model.classes == fixture.classes)

    // References fitted on standardised data: bring Hone's original-scale answer there.
    var coefficients = rows(model.coefficients)
    var intercepts = model.intercepts
    if standardized {
      let (mean, deviation) = columnMoments(data.features)
      for k in coefficients.indices {
        intercepts[k] += zip(coefficients[k], mean).reduce(0) { $0 + $1.0 * $1.1 }
        for j in coefficients[k].indices { coefficients[k][j] *= deviation[j] }
      }
    }
    let reference = fixture.coef.flatMap { $0 }
    let coefficientError = relativeDifference(coefficients.flatMap { $0 }, reference)
    let scale = reference.reduce(0) { max($0, abs($1)) }
    let interceptError =
      zip(intercepts, fixture.intercept).reduce(0) { max($0, abs($1.0 - $1.1)) } / max(scale, 1e-300)
    let objectiveError = abs(try #require(model.diagnostics.objective) / fixture.objective - 1)
    print(
      "[logistic] \(fixture.name) solver=\(solver.rawValue) iterations=\(model.diagnostics.iterations) coef rel err=\(coefficientError) intercept rel err=\(interceptError) objective rel err=\(objectiveError)"
    )
    #expect(coefficientError <= coefficientTolerance, "\(fixture.name) coefficients")
    #expect(interceptError <= coefficientTolerance, "\(fixture.name) intercepts")
    #expect(objectiveError <= 1e-8, "\(fixture.name) objective")

    if !standardized {
      let probabilities = try model.predictProbabilities(Matrix(fixture.probaRows))
      for (row, expected) in zip(rows(probabilities), fixture.proba) {
        for (p, q) in zip(row, expected) { #expect(abs(p - q) <= 1e-6, "\(fixture.name) probabilities") }
      }
    }
  }

  static let smoothSynthetic = [
    "binary-l2", "binary-l2-no-intercept", "binary-none", "binary-l2-weighted-balanced", "binary-l2-class-dict",
    "multiclass-l2", "multiclass-none", "multiclass-l2-balanced",
  ]
  static let binarySmoothSynthetic = smoothSynthetic.filter { $0.hasPrefix("binary") }
  static let sparseSynthetic = ["binary-l1", "binary-elasticnet", "multiclass-l1", "multiclass-elasticnet"]

  @Test("lbfgs matches L2 and unpenalised references", arguments: smoothSynthetic)
  func lbfgs(_ name: String) throws {
    let fixture = try LogisticFixtures.named(name)
    try check(fixture, solver: .lbfgs, data: try fixture.dataset(), coefficientTolerance: 1e-6)
  }

  @Test("newton matches binary L2 and unpenalised references", arguments: binarySmoothSynthetic)
  func newton(_ name: String) throws {
    let fixture = try LogisticFixtures.named(name)
    try check(fixture, solver: .newton, data: try fixture.dataset(), coefficientTolerance: 1e-6)
  }

  @Test("proximal newton matches saga's L1 and elastic-net references", arguments: sparseSynthetic)
  func proximalNewton(_ name: String) throws {
    let fixture = try LogisticFixtures.named(name)
    try check(fixture, solver: .proximalNewton, data: try fixture.dataset(), coefficientTolerance: 1e-5)
  }

  @Test("proximal newton also solves the smooth problems", arguments: ["binary-l2", "multiclass-l2"])
  func proximalNewtonSmooth(_ name: String) throws {
    let fixture = try LogisticFixtures.named(name)
    try check(fixture, solver: .proximalNewton, data: try fixture.dataset(), coefficientTolerance: 1e-6)
  }

  @Test(
    "adult (5,000 rows, one-hot) matches with standardisation",
    .enabled(if: SharedLogisticData.adultAvailable, "shared datasets not found: set HONE_DATASETS"),
    arguments: [("adult-l2", LogisticRegression.Solver.lbfgs), ("adult-l2", .newton), ("adult-l1", .proximalNewton)])
  func adult(_ name: String, _ solver: LogisticRegression.Solver) throws {
    let fixture = try LogisticFixtures.named(name)
    let data = try SharedLogisticData.adult()
    #expect(data.featureCount == 33)
    try check(
      fixture, solver: solver, data: data, standardized: true, coefficientTolerance: name.hasSuffix("l1") ? 1e-5 : 1e-6)
  }

  @Test(
    "wine red (6 classes) matches with standardisation",
    .enabled(if: SharedLogisticData.wineAvailable, "shared datasets not found: set HONE_DATASETS"),
    arguments: [LogisticRegression.Solver.lbfgs, .proximalNewton])
  func wine(_ solver: LogisticRegression.Solver) throws {
    let fixture = try LogisticFixtures.named("wine-red-l2")
    try check(
      fixture, solver: solver, data: try SharedLogisticData.wineRed(), standardized: true, coefficientTolerance: 1e-6)
  }
}

@Suite("Logistic regression: gradient, probabilities, errors")
struct LogisticRegressionPropertyTests {
  /// A random problem: `n × p` Gaussian features on mixed scales, labels from `classes`.
  private static func problem(
    seed: UInt64, rows n: Int, features p: Int, classes k: Int, standardize: Bool, l2: Double
  ) -> LogisticObjective {
    var rng = Xoshiro256StarStar(seed: seed)
    var x = Matrix(rows: n, columns: p)
    for j in 0..<p {
      for i in 0..<n { x[i, j] = rng.nextGaussian() * Double(j + 1) + Double(j) }
    }
    let labels = (0..<n).map { _ in Int32(rng.nextInt(below: k)) }
    let weights = (0..<n).map { _ in 0.5 + Double(rng.nextInt(below: 100)) / 100 }
    let total = weights.reduce(0, +)
    let moments = LogisticObjective.moments(x, weights: nil, center: standardize, standardize: standardize)
    return LogisticObjective(
      features: x, classIndex: labels, weights: weights.map { $0 / total }, classCount: k, fitIntercept: true,
      mean: moments.mean, scale: moments.scale, l2: l2, l1: 0)
  }

  /// Central differences: truncation error O(h²·f‴) ≈ 1e-12 and rounding error
  /// O(ε·|f|/h) ≈ 1e-10 with h = 1e-6, both far below the 1e-6 relative bound, which a
  /// wrong sign, a missing weight or a dropped standardisation term would exceed by
  /// orders of magnitude.
  @Test(
    "gradient matches central differences",
    arguments: [(UInt64(1), 2, false), (2, 2, true), (3, 3, false), (4, 4, true)])
  func gradientMatchesFiniteDifferences(seed: UInt64, classes: Int, standardize: Bool) throws {
    let objective = Self.problem(
      seed: seed, rows: 60, features: 4, classes: classes, standardize: standardize, l2: 0.03)
    var rng = Xoshiro256StarStar(seed: seed &+ 100)
    let theta = (0..<objective.parameterCount).map { _ in 0.3 * rng.nextGaussian() }
    var gradient = [Double](repeating: 0, count: theta.count)
    _ = try objective.smoothValue(theta, gradient: &gradient)
    let h = 1e-6
    var numeric = [Double](repeating: 0, count: theta.count)
    for i in theta.indices {
      var plus = theta
      var minus = theta
      plus[i] += h
      minus[i] -= h
      numeric[i] = (try objective.smoothValue(plus) - objective.smoothValue(minus)) / (2 * h)
    }
    #expect(relativeDifference(gradient, numeric) < 1e-6)
  }

  /// The Hessian that the Newton solvers use, against central differences of the
  /// gradient; same error budget as the gradient check.
  @Test("hessian matches differences of the gradient", arguments: [(UInt64(5), 2, true), (6, 3, true), (7, 3, false)])
  func hessianMatchesFiniteDifferences(seed: UInt64, classes: Int, standardize: Bool) throws {
    let objective = Self.problem(seed: seed, rows: 50, features: 3, classes: classes, standardize: standardize, l2: 0.1)
    var rng = Xoshiro256StarStar(seed: seed &+ 200)
    let theta = (0..<objective.parameterCount).map { _ in 0.3 * rng.nextGaussian() }
    let hessian = try objective.hessian(theta)
    let h = 1e-6
    var numeric: [Double] = []
    for j in theta.indices {
      var plus = theta
      var minus = theta
      plus[j] += h
      minus[j] -= h
      var gPlus = [Double](repeating: 0, count: theta.count)
      var gMinus = gPlus
      _ = try objective.smoothValue(plus, gradient: &gPlus)
      _ = try objective.smoothValue(minus, gradient: &gMinus)
      numeric += zip(gPlus, gMinus).map { ($0 - $1) / (2 * h) }
    }
    #expect(relativeDifference(hessian.storage, numeric) < 1e-6)
  }

  @Test("probabilities are finite and sum to 1, also for huge scores", arguments: [2, 3, 5])
  func probabilitiesSumToOne(classes: Int) throws {
    var rng = Xoshiro256StarStar(seed: UInt64(classes))
    let n = 200
    var x = Matrix(rows: n, columns: 3)
    for i in 0..<n {
      for j in 0..<3 { x[i, j] = rng.nextGaussian() }
    }
    let y = (0..<n).map { Double($0 % classes) }
    let model = try LogisticRegression().fit(try Dataset(features: x, target: y))
    // Features 1e6 times larger push scores far past exp's overflow at 709.
    let huge = try Matrix(rows: n, columns: 3, columnMajor: x.storage.map { $0 * 1e6 })
    for input in [x, huge] {
      let p = try model.predictProbabilities(input)
      #expect(p.columns == classes)
      for i in 0..<n {
        let row = Array(p.row(i))
        #expect(row.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // Each entry is a rounded quotient and the sum adds K of them: a few ulps.
        #expect(abs(row.reduce(0, +) - 1) <= 1e-14)
      }
      // predict is the most probable class.
      let labels = try model.predict(input)
      for i in 0..<n {
        let row = Array(p.row(i))
        let best = row.indices.max { row[$0] < row[$1] } ?? 0
        #expect(labels[i] == Double(model.classes[best]) || abs(row[best] - 0.5) < 1e-12)
      }
    }
  }

  @Test("solvers agree with each other on an L2 problem")
  func solversAgree() throws {
    let fixture = try LogisticFixtures.named("binary-l2-weighted-balanced")
    let data = try fixture.dataset()
    let fits = try [LogisticRegression.Solver.lbfgs, .newton, .proximalNewton].map {
      try LogisticRegression(fixture.hyperparameters(solver: $0)).fit(data)
    }
    for model in fits.dropFirst() {
      // Three independent algorithms at a 1e-10 scaled gradient: same optimum to ~1e-9.
      #expect(relativeDifference(model.coefficients.storage, fits[0].coefficients.storage) < 1e-7)
    }
  }

  @Test("labels need not start at 0: classes are the sorted distinct labels")
  func arbitraryLabels() throws {
    let fixture = try LogisticFixtures.named("binary-l2")
    let data = try fixture.dataset()
    let shifted = try Dataset(features: data.features, target: data.target.map { $0 * 5 + 2 })
    let a = try LogisticRegression(fixture.hyperparameters(solver: .lbfgs)).fit(data)
    let b = try LogisticRegression(fixture.hyperparameters(solver: .lbfgs)).fit(shifted)
    #expect(b.classes == [2, 7])
    #expect(a.coefficients == b.coefficients)
    #expect(try b.predict(data.features) == (try a.predict(data.features)).map { $0 * 5 + 2 })
  }

  // MARK: Errors

  private static let x = (try? Matrix([[0.0, 1], [1, 0], [2, 1], [3, 0]])) ?? Matrix(rows: 0, columns: 0)

  @Test("a single class throws")
  func singleClass() throws {
    let data = try Dataset(features: Self.x, target: [1, 1, 1, 1])
    #expect { try LogisticRegression().fit(data) } throws: { error in
      (error as? LinearModelError)?.message.contains("a single class") == true
    }
  }

  @Test("labels that are not non-negative integers throw", arguments: [-1.0, 0.5, 1e12])
  func badLabels(_ bad: Double) throws {
    let data = try Dataset(features: Self.x, target: [0, 1, bad, 1])
    #expect(throws: LinearModelError.self) { try LogisticRegression().fit(data) }
  }

  @Test("NaN and infinite features throw", arguments: [Double.nan, .infinity])
  func nonFiniteFeatures(_ bad: Double) throws {
    var x = Self.x
    x[2, 1] = bad
    let data = try Dataset(features: x, target: [0, 1, 0, 1])
    #expect(throws: LinearModelError.self) { try LogisticRegression().fit(data) }
    let model = try LogisticRegression().fit(try Dataset(features: Self.x, target: [0, 1, 0, 1]))
    #expect(throws: LinearModelError.self) { try model.predictProbabilities(x) }
  }

  @Test(
    "invalid hyperparameters throw",
    arguments: [
      LogisticRegression.Hyperparameters(c: 0), .init(c: -1), .init(c: .infinity), .init(c: .nan),
      .init(penalty: .elasticNet, l1Ratio: 1.5), .init(l1Ratio: -0.1), .init(tolerance: 0), .init(maxIterations: 0),
      .init(classWeights: .custom([0: -1])), .init(classWeights: .custom([1: .nan])),
      .init(classWeights: .custom([7: 1])), .init(classWeights: .custom([0: 0, 1: 0])),
      .init(penalty: .l1, solver: .lbfgs), .init(penalty: .elasticNet, solver: .newton),
    ])
  func invalidHyperparameters(_ h: LogisticRegression.Hyperparameters) throws {
    let data = try Dataset(features: Self.x, target: [0, 1, 0, 1])
    #expect(throws: LinearModelError.self) { try LogisticRegression(h).fit(data) }
  }

  @Test("newton is binary only")
  func newtonMultinomialThrows() throws {
    let data = try Dataset(features: Self.x, target: [0, 1, 2, 1])
    #expect(throws: LinearModelError.self) { try LogisticRegression(.init(solver: .newton)).fit(data) }
  }

  @Test("the wrong column count throws at prediction")
  func wrongShape() throws {
    let model = try LogisticRegression().fit(try Dataset(features: Self.x, target: [0, 1, 0, 1]))
    #expect(throws: LinearModelError.self) { try model.predict(Matrix(rows: 2, columns: 3)) }
  }

  // MARK: Convergence

  @Test(
    "an iteration limit is flagged, not thrown", arguments: [LogisticRegression.Solver.lbfgs, .newton, .proximalNewton])
  func notConverged(_ solver: LogisticRegression.Solver) throws {
    let fixture = try LogisticFixtures.named("binary-l2")
    var h = fixture.hyperparameters(solver: solver)
    h.maxIterations = 1
    let model = try LogisticRegression(h).fit(try fixture.dataset())
    #expect(!model.diagnostics.converged)
    #expect(model.diagnostics.warnings.contains { $0.contains("did not converge") })
    #expect(model.coefficients.storage.allSatisfy { $0.isFinite })
  }

  @Test(
    "separable classes without a penalty: finite coefficients and a warning",
    arguments: [LogisticRegression.Solver.lbfgs, .newton])
  func separable(_ solver: LogisticRegression.Solver) throws {
    let x = try Matrix([[-2.0, 0.1], [-1, -0.3], [-0.5, 0.2], [0.5, 0.0], [1, 0.4], [2, -0.1]])
    let data = try Dataset(features: x, target: [0, 0, 0, 1, 1, 1])
    let model = try LogisticRegression(.init(penalty: .none, solver: solver, tolerance: 1e-12, maxIterations: 50))
      .fit(data)
    #expect(model.coefficients.storage.allSatisfy { $0.isFinite })
    #expect(model.intercepts.allSatisfy { $0.isFinite })
    #expect(model.diagnostics.warnings.contains { $0.contains("separable") })
    #expect(try model.predict(x) == data.target)
  }

  @Test("model and hyperparameters survive a JSON round trip")
  func codable() throws {
    let fixture = try LogisticFixtures.named("multiclass-elasticnet")
    let h = fixture.hyperparameters(solver: .auto)
    let model = try LogisticRegression(h).fit(try fixture.dataset())
    let decoded = try JSONDecoder().decode(LogisticModel.self, from: try JSONEncoder().encode(model))
    #expect(decoded == model)
    var weighted = h
    weighted.classWeights = .custom([0: 2, 2: 0.5])
    let hyper = try JSONDecoder().decode(
      LogisticRegression.Hyperparameters.self, from: try JSONEncoder().encode(weighted))
    #expect(hyper == weighted)
  }
}
