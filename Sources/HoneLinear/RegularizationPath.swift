import HoneCore
import HoneLinearAlgebra

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lasso or elastic-net fits along a decreasing sequence of penalties, as returned by
/// ``Lasso/path(_:alphas:count:epsilon:)`` and ``ElasticNet/path(_:alphas:count:epsilon:)``
/// (scikit-learn's `lasso_path` / `enet_path`, plus intercepts).
///
/// Entry `k` of every array belongs to `alphas[k]`. Each fit starts from the previous
/// one's coefficients, so the whole path usually costs a few times one fit at the
/// smallest alpha.
public struct RegularizationPath: Codable, Sendable, Equatable {
  /// The estimator the path belongs to (`"lasso"` or `"elasticnet"`).
  public let estimator: String
  /// The L1 share of the penalty (1 for the lasso).
  public let l1Ratio: Double
  /// The penalties, largest first.
  public let alphas: [Double]
  /// The coefficients at each alpha, on the original feature scale.
  public let coefficients: [[Double]]
  /// The intercept at each alpha (0 without one).
  public let intercepts: [Double]
  /// How the fit at each alpha went: sweeps, convergence, duality gap, objective
  /// (on the standardised scale when standardising) and warnings.
  public let diagnostics: [FitDiagnostics]

  /// The number of alphas.
  public var count: Int { alphas.count }
  /// The final duality gap at each alpha, on the objective's scale.
  public var dualityGaps: [Double] { diagnostics.map { $0.dualityGap ?? 0 } }
  /// Coordinate-descent sweeps at each alpha.
  public var iterations: [Int] { diagnostics.map(\.iterations) }
  /// Whether every fit on the path met the tolerance.
  public var converged: Bool { diagnostics.allSatisfy(\.converged) }

  /// The fitted model at `alphas[index]`.
  ///
  /// - Parameter index: A position in ``alphas``.
  /// - Returns: The model with that alpha's coefficients, intercept and diagnostics.
  /// - Throws: ``LinearModelError`` when `index` is outside `0..<count`.
  public func model(at index: Int) throws -> LinearModel {
    guard alphas.indices.contains(index) else {
      throw LinearModelError("path index \(index) is outside 0..<\(count)")
    }
    return LinearModel(
      estimator: estimator, coefficients: coefficients[index], intercept: intercepts[index], alpha: alphas[index],
      diagnostics: diagnostics[index])
  }

  /// scikit-learn's `_alpha_grid`: `count` alphas from `alphaMax` down to
  /// `epsilon·alphaMax`, evenly spaced on a log scale.
  package static func grid(alphaMax: Double, count: Int, epsilon: Double) -> [Double] {
    // Below float64 resolution the data carry no signal for any alpha; scikit-learn then
    // returns a constant grid at that resolution rather than dividing by ~0 later.
    let resolution = 1e-15
    if alphaMax <= resolution { return [Double](repeating: resolution, count: count) }
    if count == 1 { return [alphaMax] }
    // NumPy's geomspace: evenly spaced base-10 exponents with both ends exact, so the
    // grid agrees with scikit-learn's to the last bits.
    let (top, bottom) = (log10(alphaMax), log10(alphaMax * epsilon))
    let step = (bottom - top) / Double(count - 1)
    var grid = (0..<count).map { k in pow(10, top + Double(k) * step) }
    grid[0] = alphaMax
    grid[count - 1] = alphaMax * epsilon
    return grid
  }

  /// Validates, prepares the data once, and solves each alpha warm-started from the last.
  package static func compute(
    _ data: Dataset, settings: ElasticNetSettings, estimator: String, alphas: [Double]?, count: Int,
    epsilon: Double
  ) throws -> RegularizationPath {
    try settings.validate()
    if let alphas {
      guard !alphas.isEmpty else {
        throw LinearModelError("alphas is empty; pass at least one alpha or nil for a grid")
      }
      for alpha in alphas { try LinearModelValidation.checkPenalty(alpha, name: "every alpha") }
    } else {
      guard count >= 1 else { throw LinearModelError("count must be at least 1, got \(count); the default is 100") }
      guard epsilon.isFinite, epsilon > 0, epsilon <= 1 else {
        throw LinearModelError("epsilon must be in (0, 1], got \(epsilon); the default is 1e-3")
      }
      guard settings.l1Ratio > 0 else {
        throw LinearModelError(
          "an automatic alpha grid needs l1Ratio > 0 (with no L1 penalty no alpha makes every coefficient zero); pass alphas explicitly"
        )
      }
    }
    try LinearModelValidation.checkTraining(data)
    let problem = ElasticNetProblem(data, settings: settings)
    let grid =
      alphas.map { $0.sorted(by: >) }
      ?? Self.grid(
        alphaMax: problem.alphaMax(l1Ratio: settings.l1Ratio, positive: settings.positive), count: count,
        epsilon: epsilon)
    var beta = [Double](repeating: 0, count: problem.featureCount)
    var models: [LinearModel] = []
    models.reserveCapacity(grid.count)
    for alpha in grid {
      let outcome = problem.solve(alpha: alpha, beta: &beta, settings: settings)
      models.append(
        try problem.model(estimator: estimator, alpha: alpha, beta: beta, outcome: outcome, settings: settings))
    }
    return RegularizationPath(
      estimator: estimator, l1Ratio: settings.l1Ratio, alphas: grid, coefficients: models.map(\.coefficients),
      intercepts: models.map(\.intercept), diagnostics: models.map(\.diagnostics))
  }
}
