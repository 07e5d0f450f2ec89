import HoneCore
import HoneLinearAlgebra

/// Ridge or least-squares fits over a moving window of rows, refitted at every step by
/// rank-one updates and downdates of a Cholesky factor: O(p²) per step instead of the
/// O(w·p²) of a fresh fit on a window of w rows.
///
/// For time-ordered rows `0..<n`, window `t` holds rows `start(t)...t` — the last `size`
/// rows for ``Window/rolling(_:)``, all rows so far for ``Window/expanding(minimum:)`` —
/// and its fit minimises `‖y − Xβ − b‖² + alpha·‖β‖²` over those rows, exactly the
/// problem ``Ridge`` (or ``LinearRegression`` when `alpha` is 0) solves on them.
///
/// ```swift
/// let path = try RollingRegression(window: .rolling(250), alpha: 1).fit(features: x, target: y)
/// // path.coefficients[k, j]: coefficient j of the window ending at row path.endRows[k]
/// ```
///
/// How it works: with an intercept, each row enters as `z = [1, x − x₀]` (x₀ the first
/// window's mean, which keeps the system well conditioned) and the window's
/// `A = Σ zzᵀ + diag(0, α, …, α)` is kept as its Cholesky factor `L`. A new row is a
/// rank-one update of `L`, a row leaving the window a rank-one downdate (both O(p²),
/// Golub & Van Loan, *Matrix Computations*, §6.5.4); the coefficients come from two
/// triangular solves. To keep rounding from accumulating, `A` and `Zᵀy` are recomputed
/// from the window's rows and `L` refactorised every ``Hyperparameters/refreshInterval``
/// steps, and whenever a downdate would lose positive definiteness.
public struct RollingRegression: Sendable {
  /// Which rows each fit uses.
  public enum Window: Sendable, Equatable, Codable {
    /// The last `size` rows (the first fit ends at row `size − 1`).
    case rolling(Int)
    /// Every row so far, starting once `minimum` rows are available.
    case expanding(minimum: Int)
  }

  /// Rolling-fit hyperparameters.
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The window.
    public var window: Window
    /// The ridge penalty, ≥ 0; 0 is ordinary least squares. Default 0.
    public var alpha: Double
    /// Whether to fit an unpenalised intercept. Default `true`.
    public var fitIntercept: Bool
    /// Steps between exact refreshes of the factor (`nil`: the window size, at least 64).
    public var refreshInterval: Int?

    /// Creates hyperparameters.
    public init(window: Window, alpha: Double = 0, fitIntercept: Bool = true, refreshInterval: Int? = nil) {
      self.window = window
      self.alpha = alpha
      self.fitIntercept = fitIntercept
      self.refreshInterval = refreshInterval
    }
  }

  /// The coefficient path.
  public struct Result: Sendable, Equatable {
    /// One row per window, one column per feature.
    public let coefficients: Matrix
    /// One intercept per window (zeros without an intercept).
    public let intercepts: [Double]
    /// The last row of each window.
    public let endRows: [Int]
    /// How many times the factor was rebuilt from the window's rows.
    public let refreshes: Int
  }

  /// The hyperparameters.
  public var hyperparameters: Hyperparameters

  /// Creates a rolling fit.
  public init(_ hyperparameters: Hyperparameters) { self.hyperparameters = hyperparameters }

  /// Creates a rolling fit with a window, a penalty and an intercept.
  public init(window: Window, alpha: Double = 0, fitIntercept: Bool = true) {
    self.init(Hyperparameters(window: window, alpha: alpha, fitIntercept: fitIntercept))
  }

  /// Fits every window.
  ///
  /// - Parameters:
  ///   - features: The rows in time order (`n × p`).
  ///   - target: One value per row.
  /// - Returns: The coefficient path, one row per window.
  /// - Throws: ``LinearModelError`` for a window smaller than 1 or larger than `n`, a
  ///   negative alpha, non-finite values, or a window whose system is singular (α = 0
  ///   with fewer rows than features, or collinear columns).
  /// - Complexity: O(w·p² + n·p² + (n / refreshInterval)·(w·p² + p³)).
  public func fit(features: Matrix, target: [Double]) throws -> Result {
    let h = hyperparameters
    try LinearModelValidation.checkPenalty(h.alpha, name: "alpha")
    try LinearModelValidation.checkFinite(features)
    guard target.count == features.rows else {
      throw LinearModelError("the target has \(target.count) values but the features have \(features.rows) rows")
    }
    if let bad = target.firstIndex(where: { !$0.isFinite }) {
      throw LinearModelError("the target is \(target[bad]) at row \(bad); rolling fits need finite targets")
    }
    let n = features.rows
    let (first, size): (Int, Int?) =
      switch h.window {
      case .rolling(let size): (size, size)
      case .expanding(let minimum): (minimum, nil)
      }
    guard first >= 1, first <= n else {
      throw LinearModelError("the window needs between 1 and \(n) rows (the row count), got \(first)")
    }
    if let interval = h.refreshInterval, interval < 1 {
      throw LinearModelError("refreshInterval must be at least 1, got \(interval)")
    }
    var solver = RollingCholesky(
      features: features, target: target, firstWindow: 0..<first, alpha: h.alpha, fitIntercept: h.fitIntercept)
    let refreshEvery = h.refreshInterval ?? Swift.max(64, first)
    let p = features.columns
    let windows = n - first + 1
    var path = [Double](repeating: 0, count: windows * p)
    var intercepts = [Double](repeating: 0, count: windows)
    var start = 0
    try solver.refresh(rows: 0..<first)
    for (k, end) in ((first - 1)..<n).enumerated() {
      if end >= first {
        var refresh = (k % refreshEvery) == 0
        if !refresh { refresh = !solver.add(row: end) }
        if let size, !refresh {
          refresh = !solver.remove(row: end - size)
        }
        if let size { start = end - size + 1 }
        if refresh { try solver.refresh(rows: start..<(end + 1)) }
      }
      let (beta, intercept) = try solver.solve()
      for j in 0..<p { path[k + j * windows] = beta[j] }
      intercepts[k] = intercept
    }
    return Result(
      coefficients: Matrix(uncheckedRows: windows, columns: p, storage: path), intercepts: intercepts,
      endRows: Array((first - 1)..<n), refreshes: solver.refreshes)
  }
}

/// The Cholesky factor of a window's augmented normal equations, with O(p²) updates.
private struct RollingCholesky {
  private let x: Matrix
  private let y: [Double]
  private let alpha: Double
  private let fitIntercept: Bool
  /// The shift removed from features and target (the first window's means).
  private let xShift: [Double]
  private let yShift: Double
  /// Order of the augmented system: p + 1 with an intercept, else p.
  private let order: Int
  /// Lower-triangular factor, column-major `order × order`.
  private var factor: [Double]
  /// `Σ z (y − y₀)` over the window.
  private var zty: [Double]
  private var scratch: [Double]
  private(set) var refreshes = 0

  init(features: Matrix, target: [Double], firstWindow: Range<Int>, alpha: Double, fitIntercept: Bool) {
    x = features
    y = target
    self.alpha = alpha
    self.fitIntercept = fitIntercept
    let p = features.columns
    if fitIntercept {
      let count = Double(firstWindow.count)
      xShift = (0..<p).map { j in firstWindow.reduce(0) { $0 + features[$1, j] } / count }
      yShift = firstWindow.reduce(0) { $0 + target[$1] } / count
    } else {
      xShift = [Double](repeating: 0, count: p)
      yShift = 0
    }
    order = p + (fitIntercept ? 1 : 0)
    factor = [Double](repeating: 0, count: order * order)
    zty = [Double](repeating: 0, count: order)
    scratch = [Double](repeating: 0, count: order)
  }

  /// Fills `scratch` with row `i`'s augmented vector `z`.
  private mutating func loadRow(_ i: Int) {
    let offset = fitIntercept ? 1 : 0
    if fitIntercept { scratch[0] = 1 }
    for j in 0..<x.columns { scratch[j + offset] = x[i, j] - xShift[j] }
  }

  /// Rebuilds `A`, `Zᵀy` and the factor from the rows in `window`.
  mutating func refresh(rows window: Range<Int>) throws {
    refreshes += 1
    var a = Matrix(rows: order, columns: order)
    zty = [Double](repeating: 0, count: order)
    for i in window {
      loadRow(i)
      let r = y[i] - yShift
      for c in 0..<order {
        let zc = scratch[c]
        zty[c] += zc * r
        for rIndex in c..<order { a[rIndex, c] += scratch[rIndex] * zc }
      }
    }
    for j in (fitIntercept ? 1 : 0)..<order { a[j, j] += alpha }
    do {
      factor = try CholeskyFactorization(a).lower.storage
    } catch let error as LinearAlgebraError {
      if case .notPositiveDefinite = error.kind {
        throw LinearModelError(
          "the window of rows \(window.lowerBound)...\(window.upperBound - 1) gives a singular system (fewer rows than features, or collinear columns, with alpha = \(alpha)); use a longer window or alpha > 0"
        )
      }
      throw error
    }
  }

  /// Adds row `i` to the window; returns `false` if the factor needs a refresh.
  mutating func add(row i: Int) -> Bool {
    loadRow(i)
    let r = y[i] - yShift
    for c in 0..<order { zty[c] += scratch[c] * r }
    return rankOne(sign: 1)
  }

  /// Removes row `i` from the window; returns `false` if the downdate failed.
  mutating func remove(row i: Int) -> Bool {
    loadRow(i)
    let r = y[i] - yShift
    for c in 0..<order { zty[c] -= scratch[c] * r }
    return rankOne(sign: -1)
  }

  /// `L Lᵀ ± z zᵀ` with `z` in `scratch`, by a sequence of plane rotations (hyperbolic for
  /// the downdate). Returns `false` when the downdate would make the matrix indefinite.
  private mutating func rankOne(sign: Double) -> Bool {
    let n = order
    return factor.withUnsafeMutableBufferPointer { l in
      scratch.withUnsafeMutableBufferPointer { z in
        for k in 0..<n {
          let diagonal = l[k + k * n]
          let squared = diagonal * diagonal + sign * z[k] * z[k]
          // A downdate that leaves (almost) nothing on the diagonal has lost accuracy.
          guard squared > diagonal * diagonal * 1e-10, squared.isFinite else { return false }
          let r = squared.squareRoot()
          let c = r / diagonal
          let s = z[k] / diagonal
          l[k + k * n] = r
          for i in (k + 1)..<n {
            let updated = (l[i + k * n] + sign * s * z[i]) / c
            z[i] = c * z[i] - s * updated
            l[i + k * n] = updated
          }
        }
        return true
      }
    }
  }

  /// The coefficients and intercept of the current window.
  func solve() throws -> (beta: [Double], intercept: Double) {
    let l = Matrix(uncheckedRows: order, columns: order, storage: factor)
    var b = Matrix.columnVector(zty)
    try BLAS.trsm(l, &b, triangle: .lower)
    try BLAS.trsm(l, &b, triangle: .lower, transpose: .transpose)
    let solution = b.storage
    guard fitIntercept else { return (solution, 0) }
    let beta = Array(solution[1...])
    let intercept = yShift + solution[0] - zip(beta, xShift).reduce(0) { $0 + $1.0 * $1.1 }
    return (beta, intercept)
  }
}
