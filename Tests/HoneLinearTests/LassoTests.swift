import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import Testing

/// Lasso and ElasticNet against closed forms and invariants: soft thresholding on one
/// feature, alpha_max, ridge equivalence at l1Ratio = 0, KKT conditions, positivity,
/// convergence reporting and input validation.
@Suite("Lasso and ElasticNet: closed forms and invariants")
struct LassoTests {
  /// A correlated regression problem: y = Xβ + 3 + noise with a sparse β and columns on
  /// different scales, optionally weighted.
  static func problem(seed: UInt64, rows: Int, columns: Int, weighted: Bool = false) throws -> Dataset {
    var rng = Xoshiro256StarStar(seed: seed)
    var columnsData: [[Double]] = []
    let shared = (0..<rows).map { _ in rng.nextGaussian() }
    for j in 0..<columns {
      let scale = 0.5 + Double(j)
      columnsData.append((0..<rows).map { i in (0.7 * shared[i] + rng.nextGaussian()) * scale })
    }
    let beta = (0..<columns).map { j in j % 3 == 0 ? (j % 2 == 0 ? 1.5 : -2) : 0 }
    let target = (0..<rows).map { i in
      3 + (0..<columns).reduce(0) { $0 + columnsData[$1][i] * beta[$1] } + 0.3 * rng.nextGaussian()
    }
    let weights = weighted ? (0..<rows).map { _ in 0.2 + 2 * rng.nextUnitDouble() } : nil
    return try Dataset(features: Matrix(columnArrays: columnsData), target: target, weights: weights)
  }

  /// alpha_max = max|Σwᵢ(xᵢⱼ − x̄ⱼ)(yᵢ − ȳ)| / (Σw·l1Ratio), computed here from scratch.
  static func alphaMax(_ data: Dataset, l1Ratio: Double) -> Double {
    let m = weightedMoments(data)
    let w = data.weights ?? [Double](repeating: 1, count: data.rowCount)
    var largest = 0.0
    for j in 0..<data.featureCount {
      let c = (0..<data.rowCount).reduce(0) {
        $0 + w[$1] * (data.features[$1, j] - m.xMean[j]) * (data.target[$1] - m.yMean)
      }
      largest = max(largest, abs(c))
    }
    return largest / (m.weightSum * l1Ratio)
  }

  // MARK: Closed forms

  /// One feature: β = S(c, α·l1Ratio) / (s + α(1 − l1Ratio)) with c = Σwx̃ỹ/Σw and
  /// s = Σwx̃²/Σw (on the standardised scale s = 1), S the soft-thresholding operator.
  @Test(
    "one feature gives the soft-thresholding formula",
    arguments: [0.01, 0.3, 2.0], [1.0, 0.5, 0.0])
  func oneFeatureSoftThreshold(alpha: Double, l1Ratio: Double) throws {
    for weighted in [false, true] {
      for standardize in [false, true] {
        let data = try Self.problem(seed: 3, rows: 40, columns: 1, weighted: weighted)
        let m = weightedMoments(data)
        let w = data.weights ?? [Double](repeating: 1, count: data.rowCount)
        let sigma = standardize ? m.xScale[0] : 1
        let xs = (0..<data.rowCount).map { (data.features[$0, 0] - m.xMean[0]) / sigma }
        let c = (0..<data.rowCount).reduce(0) { $0 + w[$1] * xs[$1] * (data.target[$1] - m.yMean) } / m.weightSum
        let s = (0..<data.rowCount).reduce(0) { $0 + w[$1] * xs[$1] * xs[$1] } / m.weightSum
        let shrunk = max(abs(c) - alpha * l1Ratio, 0) * (c < 0 ? -1 : 1)
        let expected = shrunk / (s + alpha * (1 - l1Ratio)) / sigma
        let model = try ElasticNet(
          .init(alpha: alpha, l1Ratio: l1Ratio, standardize: standardize, tolerance: 1e-12)
        ).fit(data)
        // One coordinate is minimised exactly in one update: agreement to rounding.
        #expect(abs(model.coefficients[0] - expected) <= 1e-12 * max(abs(expected), 1))
        #expect(abs(model.intercept - (m.yMean - expected * m.xMean[0])) <= 1e-10 * max(abs(m.yMean), 1))
        #expect(model.diagnostics.converged)
      }
    }
  }

  @Test("alpha ≥ alpha_max gives all zeros and the weighted mean; just below does not", arguments: [1.0, 0.4])
  func alphaMaxIsTheZeroThreshold(l1Ratio: Double) throws {
    for weighted in [false, true] {
      let data = try Self.problem(seed: 5, rows: 80, columns: 6, weighted: weighted)
      let alphaMax = Self.alphaMax(data, l1Ratio: l1Ratio)
      let above = try ElasticNet(.init(alpha: alphaMax * (1 + 1e-9), l1Ratio: l1Ratio)).fit(data)
      #expect(above.coefficients.allSatisfy { $0 == 0 })
      // With β = 0 the intercept is the weighted target mean.
      #expect(abs(above.intercept - weightedMoments(data).yMean) <= 1e-12 * abs(above.intercept))
      // Just below alpha_max, β = 0 already has a gap of about ½(1 − 0.99)²‖ỹ‖², under
      // the default tolerance (scikit-learn returns zeros there too): tighten it.
      let below = try ElasticNet(.init(alpha: alphaMax * 0.99, l1Ratio: l1Ratio, tolerance: 1e-10)).fit(data)
      #expect(below.coefficients.contains { $0 != 0 })
      // The path starts at the same alpha_max; the two sums differ only in rounding.
      let path = try ElasticNet(.init(l1Ratio: l1Ratio)).path(data, count: 3)
      #expect(abs(path.alphas[0] - alphaMax) <= 1e-12 * alphaMax)
      #expect(path.coefficients[0].allSatisfy { $0 == 0 })
    }
  }

  /// (1/(2Σw))‖r‖²_W + ½α‖β‖² is Ridge's ‖r‖²_W + (αΣw)‖β‖² divided by 2Σw.
  @Test("l1Ratio = 0 is ridge with alpha scaled by Σw", arguments: [false, true])
  func l1RatioZeroIsRidge(weighted: Bool) throws {
    let data = try Self.problem(seed: 9, rows: 60, columns: 5, weighted: weighted)
    let alpha = 0.7
    let enet = try ElasticNet(.init(alpha: alpha, l1Ratio: 0, tolerance: 1e-14)).fit(data)
    let weightSum = data.weights?.reduce(0, +) ?? Double(data.rowCount)
    let ridge = try Ridge(alpha: alpha * weightSum).fit(data)
    #expect(enet.diagnostics.converged)
    // Gap ≤ 1e-14·var(y) bounds ½α‖Δβ‖² (strong convexity), so ~1e-7·‖β‖ at worst; the
    // iterates converge linearly and land much closer.
    #expect(maxDifference(enet.coefficients, ridge.coefficients) <= 1e-8 * maxAbs(ridge.coefficients))
  }

  // MARK: Optimality and constraints

  /// KKT at the optimum: X̃ⱼᵀr/Σw − α(1 − ρ)βⱼ equals αρ·sign(βⱼ) when βⱼ ≠ 0 and lies
  /// in [−αρ, αρ] (or ≤ αρ with positivity) when βⱼ = 0.
  @Test(
    "converged fits satisfy the KKT conditions",
    arguments: [(1.0, false), (0.5, false), (1.0, true), (0.3, true)])
  func kktConditionsHold(l1Ratio: Double, positive: Bool) throws {
    let data = try Self.problem(seed: 13, rows: 120, columns: 9, weighted: true)
    let alpha = 0.05 * Self.alphaMax(data, l1Ratio: l1Ratio)
    let model = try ElasticNet(.init(alpha: alpha, l1Ratio: l1Ratio, tolerance: 1e-13, positive: positive)).fit(data)
    #expect(model.diagnostics.converged)
    let m = weightedMoments(data)
    let w = try #require(data.weights)
    let predictions = try model.predict(data.features)
    let bound = alpha * l1Ratio
    for j in 0..<data.featureCount {
      let correlation =
        (0..<data.rowCount).reduce(0) {
          $0 + w[$1] * (data.features[$1, j] - m.xMean[j]) * (data.target[$1] - predictions[$1])
        }
        / m.weightSum
      let g = correlation - alpha * (1 - l1Ratio) * model.coefficients[j]
      let b = model.coefficients[j]
      // Gap ≤ 1e-13·var(y) leaves a gradient error of order √(gap); 1e-5·αρ is far
      // above it yet far below the subgradient range 2αρ.
      let slack = 1e-5 * bound
      if b != 0 {
        #expect(abs(g - bound * (b > 0 ? 1 : -1)) <= slack, "feature \(j)")
      } else if positive {
        #expect(g <= bound + slack, "feature \(j)")
      } else {
        #expect(abs(g) <= bound + slack, "feature \(j)")
      }
    }
  }

  @Test("positive: true keeps every coefficient ≥ 0 where the free fit has negatives", arguments: [1.0, 0.5])
  func positivityIsRespected(l1Ratio: Double) throws {
    let data = try Self.problem(seed: 17, rows: 100, columns: 8)
    let alpha = 0.01 * Self.alphaMax(data, l1Ratio: l1Ratio)
    let free = try ElasticNet(.init(alpha: alpha, l1Ratio: l1Ratio)).fit(data)
    #expect(free.coefficients.contains { $0 < 0 }, "the problem must have a negative coefficient to constrain")
    for solver in ElasticNet.Solver.allCases {
      let constrained = try ElasticNet(.init(alpha: alpha, l1Ratio: l1Ratio, positive: true, solver: solver)).fit(data)
      #expect(constrained.coefficients.allSatisfy { $0 >= 0 })
      #expect(constrained.coefficients.contains { $0 > 0 })
      let path = try ElasticNet(.init(l1Ratio: l1Ratio, positive: true, solver: solver)).path(data, count: 10)
      #expect(path.coefficients.allSatisfy { $0.allSatisfy { $0 >= 0 } })
    }
  }

  @Test("the duality gap meets the default tolerance at convergence", arguments: [UInt64(1), 2, 3])
  func dualityGapMeetsTolerance(seed: UInt64) throws {
    let data = try Self.problem(seed: seed, rows: 150, columns: 7, weighted: seed == 2)
    let model = try Lasso(alpha: 0.02 * Self.alphaMax(data, l1Ratio: 1)).fit(data)
    #expect(model.diagnostics.converged)
    #expect(model.diagnostics.warnings.isEmpty)
    let m = weightedMoments(data)
    let w = data.weights ?? [Double](repeating: 1, count: data.rowCount)
    let variance = zip(w, data.target).reduce(0) { $0 + $1.0 * ($1.1 - m.yMean) * ($1.1 - m.yMean) } / m.weightSum
    let gap = try #require(model.diagnostics.dualityGap)
    #expect(gap <= 1e-4 * variance)
    #expect(gap >= -1e-12 * variance, "a duality gap is non-negative up to rounding")
  }

  @Test("maxIterations: 1 stops unconverged with a warning instead of throwing", arguments: ElasticNet.Solver.allCases)
  func nonConvergenceIsReported(solver: ElasticNet.Solver) throws {
    let data = try Self.problem(seed: 21, rows: 200, columns: 10)
    let model = try ElasticNet(
      .init(alpha: 1e-3, l1Ratio: 0.9, maxIterations: 1, tolerance: 1e-12, solver: solver)
    ).fit(data)
    #expect(!model.diagnostics.converged)
    #expect(model.diagnostics.iterations == 1)
    #expect(model.diagnostics.warnings.contains { $0.contains("did not converge") })
    #expect(try #require(model.diagnostics.dualityGap) > 0)
    let path = try Lasso(.init(maxIterations: 1, tolerance: 1e-12, solver: solver)).path(data, count: 5)
    #expect(!path.converged)
    #expect(try !path.model(at: 4).diagnostics.converged)
  }

  // MARK: Solvers, warm starts, naming

  @Test("covariance and naive updates reach the same solution", arguments: [(200, 6), (15, 30)])
  func solversAgree(rows: Int, columns: Int) throws {
    let data = try Self.problem(seed: 31, rows: rows, columns: columns, weighted: true)
    let alpha = 0.05 * Self.alphaMax(data, l1Ratio: 0.8)
    var fits: [LinearModel] = []
    for solver in ElasticNet.Solver.allCases {
      fits.append(try ElasticNet(.init(alpha: alpha, l1Ratio: 0.8, tolerance: 1e-13, solver: solver)).fit(data))
    }
    // Same iterates in exact arithmetic; only rounding and stopping differ (gap ≤ 1e-13·var(y)).
    let scale = maxAbs(fits[0].coefficients)
    for fit in fits.dropFirst() {
      #expect(maxDifference(fit.coefficients, fits[0].coefficients) <= 1e-7 * scale)
    }
  }

  @Test("a warm start at the solution converges at once")
  func warmStartAtSolution() throws {
    let data = try Self.problem(seed: 41, rows: 90, columns: 6)
    let estimator = ElasticNet(.init(alpha: 0.05, l1Ratio: 0.7, tolerance: 1e-10))
    let cold = try estimator.fit(data)
    let warm = try estimator.fit(data, warmStart: cold.coefficients)
    #expect(warm.diagnostics.iterations <= 1)
    #expect(warm.diagnostics.iterations < cold.diagnostics.iterations)
    // Both meet the same gap; starting at the answer moves it by at most one sweep's
    // worth of rounding-level changes.
    #expect(maxDifference(warm.coefficients, cold.coefficients) <= 1e-8 * maxAbs(cold.coefficients))
    #expect(throws: LinearModelError.self) { try estimator.fit(data, warmStart: [1, 2]) }
  }

  @Test("a path with explicit alphas is fitted in decreasing order and matches single fits")
  func explicitAlphasMatchSingleFits() throws {
    let data = try Self.problem(seed: 43, rows: 70, columns: 5)
    let alphas = [0.01, 0.5, 0.1]
    let path = try Lasso(.init(tolerance: 1e-12)).path(data, alphas: alphas)
    #expect(path.alphas == [0.5, 0.1, 0.01])
    for (k, alpha) in path.alphas.enumerated() {
      let single = try Lasso(.init(alpha: alpha, tolerance: 1e-12)).fit(data)
      // Warm and cold starts stop at different points inside the same 1e-12 gap.
      #expect(maxDifference(path.coefficients[k], single.coefficients) <= 1e-6 * max(maxAbs(single.coefficients), 1e-3))
      let model = try path.model(at: k)
      #expect(model.alpha == alpha)
      #expect(model.estimator == "lasso")
    }
    #expect(throws: LinearModelError.self) { try path.model(at: 3) }
  }

  @Test("hyperparameters and models survive a JSON round trip")
  func codableRoundTrip() throws {
    let h = ElasticNet.Hyperparameters(
      alpha: 0.3, l1Ratio: 0.2, fitIntercept: false, standardize: true, maxIterations: 50, tolerance: 1e-6,
      positive: true, solver: .naive)
    let decoded = try JSONDecoder().decode(ElasticNet.Hyperparameters.self, from: JSONEncoder().encode(h))
    #expect(decoded == h)
    let lasso = Lasso.Hyperparameters(alpha: 2, solver: .covariance)
    #expect(try JSONDecoder().decode(Lasso.Hyperparameters.self, from: JSONEncoder().encode(lasso)) == lasso)
    let model = try ElasticNet(h).fit(try Self.problem(seed: 47, rows: 30, columns: 3))
    #expect(model.estimator == "elasticnet")
    #expect(try JSONDecoder().decode(LinearModel.self, from: JSONEncoder().encode(model)) == model)
  }

  @Test("defaults are scikit-learn's")
  func defaults() {
    let h = ElasticNet.Hyperparameters()
    #expect(h.alpha == 1 && h.l1Ratio == 0.5 && h.fitIntercept && !h.standardize && !h.positive)
    #expect(h.maxIterations == 1000 && h.tolerance == 1e-4 && h.solver == .auto)
    let l = Lasso.Hyperparameters()
    #expect(l.alpha == 1 && l.maxIterations == 1000 && l.tolerance == 1e-4)
  }

  // MARK: Invalid input

  @Test(
    "invalid hyperparameters throw",
    arguments: [
      ElasticNet.Hyperparameters(alpha: -1), .init(alpha: .nan), .init(alpha: .infinity), .init(l1Ratio: -0.1),
      .init(l1Ratio: 1.5), .init(l1Ratio: .nan), .init(maxIterations: 0), .init(tolerance: 0), .init(tolerance: -1),
      .init(tolerance: .nan),
    ])
  func invalidHyperparametersThrow(_ h: ElasticNet.Hyperparameters) throws {
    let data = try Self.problem(seed: 51, rows: 20, columns: 3)
    #expect(throws: LinearModelError.self) { try ElasticNet(h).fit(data) }
    // Lasso has no l1Ratio; the other invalid settings must throw there too.
    if (0...1).contains(h.l1Ratio) {
      #expect(throws: LinearModelError.self) {
        try Lasso(.init(alpha: h.alpha, maxIterations: h.maxIterations, tolerance: h.tolerance)).fit(data)
      }
    }
  }

  @Test("non-finite features throw, naming the cell")
  func nonFiniteFeaturesThrow() throws {
    for bad in [Double.nan, .infinity] {
      let data = try Dataset(features: Matrix([[1, 2], [3, bad], [5, 6]]), target: [1, 2, 3])
      let error = try #require(throws: LinearModelError.self) { try Lasso(alpha: 0.1).fit(data) }
      #expect(error.message.contains("row 1, column 1"))
      #expect(throws: LinearModelError.self) { try ElasticNet(l1Ratio: 0.5).path(data) }
    }
  }

  @Test("invalid path settings throw")
  func invalidPathSettingsThrow() throws {
    let data = try Self.problem(seed: 53, rows: 20, columns: 3)
    #expect(throws: LinearModelError.self) { try Lasso().path(data, count: 0) }
    #expect(throws: LinearModelError.self) { try Lasso().path(data, epsilon: 0) }
    #expect(throws: LinearModelError.self) { try Lasso().path(data, epsilon: 2) }
    #expect(throws: LinearModelError.self) { try Lasso().path(data, alphas: []) }
    #expect(throws: LinearModelError.self) { try Lasso().path(data, alphas: [0.1, -1]) }
    #expect(throws: LinearModelError.self) { try ElasticNet(l1Ratio: 0).path(data) }
    // With explicit alphas l1Ratio = 0 is fine.
    #expect(try ElasticNet(l1Ratio: 0).path(data, alphas: [1, 0.1]).count == 2)
  }

  @Test("a constant feature gets a zero coefficient; a constant target gives all zeros")
  func degenerateColumns() throws {
    let x = try Matrix(columnArrays: [[1, 2, 3, 4, 5, 6], [7, 7, 7, 7, 7, 7]])
    let fit = try Lasso(alpha: 0.01).fit(try Dataset(features: x, target: [1, 2.5, 2.9, 4.2, 5.1, 5.8]))
    #expect(fit.coefficients[1] == 0)
    #expect(fit.coefficients[0] > 0)
    let flat = try Lasso(alpha: 0.01).fit(try Dataset(features: x, target: [2, 2, 2, 2, 2, 2]))
    #expect(flat.coefficients == [0, 0])
    #expect(flat.intercept == 2)
    #expect(flat.diagnostics.converged)
  }
}
