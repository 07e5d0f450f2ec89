import HoneCore
import HoneLinearAlgebra

/// Ridge regression with the penalty chosen by efficient leave-one-out cross-validation
/// over a grid of alphas, all from one factorisation (scikit-learn's `RidgeCV` with its
/// default `cv=None`).
///
/// ```swift
/// let result = try RidgeCV(alphas: [0.01, 0.1, 1, 10, 100]).fitWithScores(data)
/// print(result.model.alpha, result.meanSquaredErrors)
/// ```
///
/// For a linear smoother `ŷ = Hy` the leave-one-out residual needs no refit:
/// `yᵢ − ŷ₋ᵢ = (yᵢ − ŷᵢ) / (1 − Hᵢᵢ)` (Golub, Heath & Wahba 1979, "Generalized
/// cross-validation as a method for choosing a good ridge parameter", Technometrics 21;
/// Rifkin & Lippert 2007, "Notes on regularized least squares", MIT-CSAIL-TR-2007-025).
/// Working on the centred, weighted (and optionally standardised) design `X̃` of
/// ``Ridge``, the hat matrix of the ridge fit with an unpenalised intercept is
/// `H = X̃(X̃ᵀX̃ + αI)⁻¹X̃ᵀ + √w√wᵀ/Σw`: the second term is the intercept's leverage.
///
/// - When n > p the fit eigendecomposes the Gram matrix `X̃ᵀX̃ = QΛQᵀ` (`dsyevd`, O(p³)) and
///   forms `Z = X̃Q` with one `dgemm` (O(n p²)); then, for each alpha,
///   `Hᵢᵢ = wᵢ/Σw + Σₖ Zᵢₖ²/(λₖ + α)` and the fitted values cost two `dgemv`, O(n p).
/// - When n ≤ p it takes the thin SVD `X̃ = UΣVᵀ` (`dgesdd`, O(n² p)); `U` is then square, so
///   `1 − Hᵢᵢ` is computed directly as `Σₖ Uᵢₖ² α/(σₖ² + α)` minus the intercept term, which
///   avoids the cancellation of `1 − Hᵢᵢ` when the fit nearly interpolates. O(n²) per alpha.
///
/// The score of an alpha follows scikit-learn 1.9's `_RidgeGCV` with `scoring=None`: each
/// leave-one-out residual is multiplied by `√wᵢ` (the residual of the weighted problem),
/// and the score is the mean over the n rows of the squared results,
/// `(1/n) Σᵢ wᵢ (yᵢ − ŷ₋ᵢ)²` — the plain leave-one-out mean squared error without weights.
/// The alpha with the smallest score wins; on an exact tie the first in the grid wins, as
/// in scikit-learn. The returned model is the ridge fit at that alpha on all rows, taken
/// from the same factorisation.
public struct RidgeCV: Estimator {
  /// Which factorisation evaluates the grid.
  public enum Mode: String, Codable, Sendable, CaseIterable {
    /// The Gram eigendecomposition when n > p, otherwise the SVD (scikit-learn's
    /// `gcv_mode="auto"` makes the same split).
    case auto
    /// Eigendecomposition of the p × p Gram matrix `X̃ᵀX̃`.
    case eigen
    /// Thin SVD of the design `X̃`.
    case svd
  }

  /// RidgeCV hyperparameters (scikit-learn names in parentheses where they differ).
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The penalties to try, each finite and > 0. Default `[0.1, 1, 10]`, as scikit-learn.
    public var alphas: [Double] = [0.1, 1, 10]
    /// Whether to fit an unpenalised intercept. Default `true` (`fit_intercept`).
    public var fitIntercept: Bool = true
    /// Whether to scale features to unit weighted standard deviation before fitting, as
    /// ``Ridge/Hyperparameters/standardize``; the scale comes from all rows. Default `false`.
    public var standardize: Bool = false
    /// The factorisation. Default `.auto` (`gcv_mode`).
    public var mode: Mode = .auto

    /// Creates hyperparameters; every parameter has the documented default.
    public init(
      alphas: [Double] = [0.1, 1, 10], fitIntercept: Bool = true, standardize: Bool = false, mode: Mode = .auto
    ) {
      self.alphas = alphas
      self.fitIntercept = fitIntercept
      self.standardize = standardize
      self.mode = mode
    }
  }

  /// A fit together with the score of every alpha in the grid.
  public struct Result: Sendable, Equatable {
    /// The ridge model at the chosen alpha (``LinearModel/alpha``), fitted on all rows.
    public let model: LinearModel
    /// The grid, in the order given.
    public let alphas: [Double]
    /// For each alpha, `(1/n) Σᵢ wᵢ (yᵢ − ŷ₋ᵢ)²` with `ŷ₋ᵢ` the prediction of the fit
    /// without row i (`wᵢ = 1` without weights): the mean of scikit-learn's
    /// `cv_results_` per alpha.
    public let meanSquaredErrors: [Double]
    /// The index of the chosen alpha in ``alphas``.
    public let bestIndex: Int
  }

  /// The hyperparameters.
  public var hyperparameters: Hyperparameters

  /// Creates an estimator.
  ///
  /// - Parameter hyperparameters: The grid and options.
  public init(_ hyperparameters: Hyperparameters = Hyperparameters()) { self.hyperparameters = hyperparameters }

  /// Creates an estimator over the given grid with defaults for the rest.
  ///
  /// - Parameter alphas: The penalties to try, each finite and > 0.
  public init(alphas: [Double]) { self.init(Hyperparameters(alphas: alphas)) }

  /// Fits the model at the alpha with the smallest leave-one-out error.
  ///
  /// - Parameter data: Features, target and optional sample weights.
  /// - Returns: The ridge model at the chosen alpha (`estimator == "ridge"`).
  /// - Throws: ``LinearModelError`` as ``fitWithScores(_:)``.
  /// - Complexity: As ``fitWithScores(_:)``.
  public func fit(_ data: Dataset) throws -> LinearModel { try fitWithScores(data).model }

  /// Scores every alpha by leave-one-out cross-validation and fits the best.
  ///
  /// - Parameter data: Features, target and optional sample weights.
  /// - Returns: The model at the chosen alpha and every alpha's score.
  /// - Throws: ``LinearModelError`` for an empty grid, an alpha that is not finite and
  ///   > 0 (alpha = 0 leaves the leave-one-out formula undefined on collinear columns;
  ///   use ``LinearRegression`` for an unpenalised fit), non-finite features, or a failed
  ///   factorisation.
  /// - Complexity: n > p: O(n p² + p³) once, then O(n p) per alpha. n ≤ p: O(n² p) once,
  ///   then O(n²) per alpha. Memory: three n × min(n, p) matrices.
  public func fitWithScores(_ data: Dataset) throws -> Result {
    let h = hyperparameters
    guard !h.alphas.isEmpty else {
      throw LinearModelError("RidgeCV needs at least one alpha; pass a grid such as [0.1, 1, 10]")
    }
    for (index, alpha) in h.alphas.enumerated() where !(alpha.isFinite && alpha > 0) {
      throw LinearModelError(
        "alphas[\(index)] is \(alpha); every alpha must be finite and > 0 (for alpha = 0 use LinearRegression)")
    }
    try LinearModelValidation.checkTraining(data)
    // Leaving a row out needs another row to fit on; a lone row would give 0/0.
    let contributing = data.weights?.filter { $0 > 0 }.count ?? data.rowCount
    guard contributing >= 2 else {
      throw LinearModelError(
        "leave-one-out cross-validation needs at least 2 rows with positive weight, got \(contributing)")
    }

    let t = NormalEquations.transformedDesign(
      features: data.features, target: data.target, weights: data.weights, fitIntercept: h.fitIntercept,
      standardize: h.standardize)
    // √wᵢ/√Σw spans the intercept's direction; nil without an intercept.
    let interceptDirection: [Double]? =
      h.fitIntercept
      ? (data.weights.map { $0.map { $0.squareRoot() } } ?? [Double](repeating: 1, count: data.rowCount))
        .map { $0 / t.weightSum.squareRoot() }
      : nil
    let useEigen = h.mode == .eigen || (h.mode == .auto && data.rowCount > data.featureCount)
    let path: LeaveOneOut =
      useEigen
      ? try .eigen(design: t.design, target: t.target)
      : try .svd(design: t.design, target: t.target, interceptDirection: interceptDirection)

    var scores: [Double] = []
    var best: (index: Int, score: Double, beta: [Double], residualSquares: Double)?
    for (index, alpha) in h.alphas.enumerated() {
      let evaluation = try path.evaluate(alpha: alpha, target: t.target, interceptDirection: interceptDirection)
      let score = evaluation.looSquares / Double(data.rowCount)
      scores.append(score)
      // Strictly smaller: the first alpha wins a tie, as scikit-learn's strict `>` on scores.
      if let current = best, !(score < current.score) { continue }
      best = (index, score, try path.coefficients(alpha: alpha), evaluation.residualSquares)
    }
    guard let best else { throw LinearModelError("RidgeCV evaluated no alpha") }
    let alpha = h.alphas[best.index]
    let (coefficients, intercept) = NormalEquations.originalScale(
      best.beta, xMean: t.xMean, yMean: t.yMean, xScale: t.xScale)
    var warnings: [String] = []
    if h.alphas.count > 1 && (alpha == h.alphas.min() || alpha == h.alphas.max()) {
      warnings.append(
        "the chosen alpha \(alpha) is at the edge of the grid \(h.alphas.min() ?? alpha)…\(h.alphas.max() ?? alpha); extend the grid past it"
      )
    }
    let penalty = alpha * best.beta.reduce(0) { $0 + $1 * $1 }
    let diagnostics = FitDiagnostics(
      solver: path.solverName, rank: path.rank, objective: best.residualSquares + penalty, warnings: warnings)
    let model = LinearModel(
      estimator: "ridge", coefficients: coefficients, intercept: intercept, alpha: alpha, diagnostics: diagnostics)
    return Result(model: model, alphas: h.alphas, meanSquaredErrors: scores, bestIndex: best.index)
  }
}

// MARK: - Leave-one-out from one factorisation

/// One factorisation of the transformed design `X̃` (n × p), from which every alpha's
/// leave-one-out residuals and coefficients follow in O(n · min(n, p)).
private struct LeaveOneOut {
  enum Kind {
    /// `X̃ᵀX̃ = QΛQᵀ`; `basis` is `Z = X̃Q`, `directions` is `Q`, `spectrum` is `Λ`.
    case eigen
    /// `X̃ = UΣVᵀ`; `basis` is `U`, `directions` is `V`, `spectrum` is `Σ`.
    case svd
  }

  let kind: Kind
  let basis: Matrix
  /// `basis ∘ basis`, for hat diagonals with one `dgemv`.
  let squaredBasis: Matrix
  let directions: Matrix
  let spectrum: [Double]
  /// `basisᵀ ỹ`.
  let projection: [Double]
  /// `basisᵀ √w/√Σw` (SVD only, with an intercept).
  let interceptProjection: [Double]?
  let rank: Int

  var solverName: String { kind == .eigen ? "eigen" : "svd" }

  /// Whether `1 − Hᵢᵢ` is formed as a sum over a complete basis of the rows (thin SVD with
  /// n ≤ p, where `U` is square) rather than as a difference from 1.
  var isComplete: Bool { kind == .svd && basis.columns == basis.rows }

  static func eigen(design: Matrix, target: [Double]) throws -> LeaveOneOut {
    // The Gram matrix comes from X̃, which the leave-one-out step needs whole anyway, so
    // one dsyrk over it replaces NormalEquations' blocked pass over the raw features.
    let decomposition = try SymmetricEigendecomposition(design.gram())
    // X̃ᵀX̃ is positive semidefinite; rounding can leave its null eigenvalues slightly
    // negative, which would put λ + α near zero for a tiny alpha.
    let values = decomposition.values.map { Swift.max($0, 0) }
    let z = try design.multiplied(by: decomposition.vectors)
    // Eigenvalues carry an absolute rounding error of about p·ε·λ_max, so smaller ones are
    // numerically zero (this is the squared form of the SVD cutoff).
    let largest = values.last ?? 0
    let cutoff = largest * Double(Swift.max(design.rows, design.columns)) * .ulpOfOne
    return LeaveOneOut(
      kind: .eigen, basis: z, squaredBasis: squared(z), directions: decomposition.vectors, spectrum: values,
      projection: try z.multiplied(by: target, transposingSelf: true), interceptProjection: nil,
      rank: values.filter { $0 > cutoff }.count)
  }

  static func svd(design: Matrix, target: [Double], interceptDirection: [Double]?) throws -> LeaveOneOut {
    let decomposition = try SingularValueDecomposition(design)
    let values = decomposition.singularValues
    let largest = values.first ?? 0
    let cutoff = largest * Double(Swift.max(design.rows, design.columns)) * .ulpOfOne
    let u = decomposition.u
    return LeaveOneOut(
      kind: .svd, basis: u, squaredBasis: squared(u), directions: decomposition.vt.transposed, spectrum: values,
      projection: try u.multiplied(by: target, transposingSelf: true),
      interceptProjection: try interceptDirection.map { try u.multiplied(by: $0, transposingSelf: true) },
      rank: values.filter { $0 > cutoff }.count)
  }

  /// The sums of squared leave-one-out residuals (times `wᵢ`) and of squared training
  /// residuals (weighted) at `alpha`.
  func evaluate(
    alpha: Double, target: [Double], interceptDirection: [Double]?
  ) throws -> (looSquares: Double, residualSquares: Double) {
    let n = basis.rows
    var residual = [Double](repeating: 0, count: n)
    var denominator = [Double](repeating: 0, count: n)
    if isComplete {
      // U is square, so ỹ − ŷ = U(left ∘ Uᵀỹ) and 1 − Σₖ Uᵢₖ² σₖ²/(σₖ² + α) = Σₖ Uᵢₖ² left[k]
      // with left[k] = α/(σₖ² + α): both free of cancellation when the fit nearly
      // interpolates. The intercept's direction is (numerically) a column of U with σ ≈ 0,
      // so its leverage is removed through the same filter, as scikit-learn's
      // `_solve_svd_design_matrix_wide` does.
      let left = spectrum.map { alpha / ($0 * $0 + alpha) }
      try BLAS.gemv(basis, zip(left, projection).map { $0 * $1 }, &residual)
      try BLAS.gemv(squaredBasis, left, &denominator)
      if let interceptDirection, let interceptProjection {
        var leverage = [Double](repeating: 0, count: n)
        try BLAS.gemv(basis, zip(left, interceptProjection).map { $0 * $1 }, &leverage)
        for i in 0..<n { denominator[i] -= leverage[i] * interceptDirection[i] }
      }
    } else {
      // ŷ = B(f ∘ Bᵀỹ) and 1 − Hᵢᵢ = 1 − Σₖ Bᵢₖ² fₖ − wᵢ/Σw, with fₖ = 1/(λₖ + α) for
      // B = Z = X̃Q (whose squared entries already carry λₖ) and fₖ = σₖ²/(σₖ² + α) for B = U.
      let filter = kind == .eigen ? spectrum.map { 1 / ($0 + alpha) } : spectrum.map { $0 * $0 / ($0 * $0 + alpha) }
      residual = target
      try BLAS.gemv(basis, zip(filter, projection).map { $0 * $1 }, &residual, alpha: -1, beta: 1)
      try BLAS.gemv(squaredBasis, filter, &denominator, alpha: -1)
      for i in 0..<n { denominator[i] += 1 - (interceptDirection.map { $0[i] * $0[i] } ?? 0) }
    }
    var looSquares = 0.0
    var residualSquares = 0.0
    for i in 0..<n {
      let loo = residual[i] / denominator[i]
      looSquares += loo * loo
      residualSquares += residual[i] * residual[i]
    }
    return (looSquares, residualSquares)
  }

  /// The coefficients in the transformed space at `alpha`: `Q (Zᵀỹ)/(λ + α)` or
  /// `V diag(σ/(σ² + α)) Uᵀỹ`.
  func coefficients(alpha: Double) throws -> [Double] {
    let scaled: [Double]
    switch kind {
    case .eigen: scaled = zip(spectrum, projection).map { $1 / ($0 + alpha) }
    case .svd: scaled = zip(spectrum, projection).map { $1 * $0 / ($0 * $0 + alpha) }
    }
    return try directions.multiplied(by: scaled)
  }

  private static func squared(_ m: Matrix) -> Matrix {
    Matrix(uncheckedRows: m.rows, columns: m.columns, storage: m.storage.map { $0 * $0 })
  }
}
