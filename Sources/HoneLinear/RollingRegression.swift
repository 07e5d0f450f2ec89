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
    let refreshEvery = h.refreshInterval ?? Swift.max(64, first)
    let p = features.columns
    let windows = n - first + 1
    var path = [Double](repeating: 0, count: windows * p)
    var intercepts = [Double](repeating: 0, count: windows)
    var refreshes = 0
    try features.withUnsafeBufferPointer { xBuffer in
      try target.withUnsafeBufferPointer { yBuffer in
        try path.withUnsafeMutableBufferPointer { pathBuffer in
          guard let x = xBuffer.baseAddress, let y = yBuffer.baseAddress, let out = pathBuffer.baseAddress else {
            return
          }
          let solver = RollingCholesky(
            x: x, y: y, rows: n, columns: p, firstWindow: 0..<first, alpha: h.alpha, fitIntercept: h.fitIntercept)
          try solver.refresh(rows: 0..<first)
          var start = 0
          for (k, end) in ((first - 1)..<n).enumerated() {
            if end >= first {
              var refresh = (k % refreshEvery) == 0
              if !refresh {
                if let size {
                  refresh = !solver.slide(adding: end, removing: end - size)
                } else {
                  refresh = !solver.add(row: end)
                }
              }
              if let size { start = end - size + 1 }
              if refresh { try solver.refresh(rows: start..<(end + 1)) }
            }
            intercepts[k] = solver.solve(into: out, row: k, stride: windows)
          }
          refreshes = solver.refreshes
        }
      }
    }
    return Result(
      coefficients: Matrix(uncheckedRows: windows, columns: p, storage: path), intercepts: intercepts,
      endRows: Array((first - 1)..<n), refreshes: refreshes)
  }
}

/// The Cholesky factor of a window's augmented normal equations, with O(p²) updates.
///
/// The per-step work (two rank-one modifications and two triangular solves of order
/// p + 1) runs on buffers allocated once, through raw pointers: at p ≈ 20 the arithmetic
/// is a few thousand flops, so array bookkeeping would otherwise dominate.
private final class RollingCholesky {
  private let x: UnsafePointer<Double>
  private let y: UnsafePointer<Double>
  private let rows: Int
  private let columns: Int
  private let alpha: Double
  private let fitIntercept: Bool
  /// The shift removed from features and target (the first window's means).
  private let xShift: [Double]
  private let yShift: Double
  /// Order of the augmented system: p + 1 with an intercept, else p.
  private let order: Int
  /// Lower-triangular factor, column-major `order × order`.
  private let factor: UnsafeMutablePointer<Double>
  /// `Σ z (y − y₀)` over the window.
  private let zty: UnsafeMutablePointer<Double>
  /// The row being added or removed; overwritten by the rotations.
  private let z: UnsafeMutablePointer<Double>
  /// The row leaving the window in ``slide(adding:removing:)``.
  private let leaving: UnsafeMutablePointer<Double>
  /// The right-hand side and solution of the two triangular solves.
  private let v: UnsafeMutablePointer<Double>
  /// `1 / L[k, k]`, kept so that the steps divide once per diagonal entry.
  private let inverseDiagonal: UnsafeMutablePointer<Double>
  private(set) var refreshes = 0

  /// - Parameters: `x` (column-major `rows × columns`) and `y` must outlive the object.
  init(
    x: UnsafePointer<Double>, y: UnsafePointer<Double>, rows: Int, columns: Int, firstWindow: Range<Int>,
    alpha: Double, fitIntercept: Bool
  ) {
    self.x = x
    self.y = y
    self.rows = rows
    self.columns = columns
    self.alpha = alpha
    self.fitIntercept = fitIntercept
    let count = Double(firstWindow.count)
    xShift = (0..<columns).map { j in
      fitIntercept ? firstWindow.reduce(0) { $0 + x[$1 + j * rows] } / count : 0
    }
    yShift = fitIntercept ? firstWindow.reduce(0) { $0 + y[$1] } / count : 0
    order = columns + (fitIntercept ? 1 : 0)
    factor = .allocate(capacity: order * order)
    factor.initialize(repeating: 0, count: order * order)
    zty = .allocate(capacity: order)
    zty.initialize(repeating: 0, count: order)
    z = .allocate(capacity: order)
    z.initialize(repeating: 0, count: order)
    leaving = .allocate(capacity: order)
    leaving.initialize(repeating: 0, count: order)
    v = .allocate(capacity: order)
    v.initialize(repeating: 0, count: order)
    inverseDiagonal = .allocate(capacity: order)
    inverseDiagonal.initialize(repeating: 0, count: order)
  }

  deinit {
    factor.deallocate()
    zty.deallocate()
    z.deallocate()
    leaving.deallocate()
    v.deallocate()
    inverseDiagonal.deallocate()
  }

  /// Fills `destination` (`z` by default) with row `i`'s augmented vector and returns
  /// its shifted target.
  @inline(__always)
  private func loadRow(_ i: Int, into destination: UnsafeMutablePointer<Double>? = nil) -> Double {
    let target = destination ?? z
    let offset = fitIntercept ? 1 : 0
    if fitIntercept { target[0] = 1 }
    for j in 0..<columns { target[j + offset] = x[i + j * rows] - xShift[j] }
    return y[i] - yShift
  }

  /// Rebuilds `Zᵀy` and the factor from the rows in `window`: the window's augmented
  /// rows go into one block, `dsyrk` forms `ZᵀZ`, and `dpotrf` factorises it.
  func refresh(rows window: Range<Int>) throws {
    refreshes += 1
    let count = window.count
    var block = Matrix(rows: count, columns: order)
    var target = [Double](repeating: 0, count: count)
    for (r, i) in window.enumerated() {
      target[r] = loadRow(i)
      for c in 0..<order { block[r, c] = z[c] }
    }
    var a = Matrix(rows: order, columns: order)
    try BLAS.syrk(block, &a, transpose: .transpose)
    for j in (fitIntercept ? 1 : 0)..<order { a[j, j] += alpha }
    let rhs = try block.multiplied(by: target, transposingSelf: true)
    for c in 0..<order { zty[c] = rhs[c] }
    do {
      let lower = try CholeskyFactorization(a).lower
      lower.withUnsafeBufferPointer { l in
        for k in 0..<(order * order) { factor[k] = l[k] }
      }
      for k in 0..<order { inverseDiagonal[k] = 1 / factor[k + k * order] }
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
  func add(row i: Int) -> Bool {
    let r = loadRow(i)
    for c in 0..<order { zty[c] += z[c] * r }
    return rankOneUpdate()
  }

  /// Adds row `entering` and removes row `leavingRow` in one sweep over the factor: the
  /// update rotation and the downdate rotation of each column are applied together, and
  /// their two square roots do not depend on each other, which halves the chain of
  /// dependent square roots and divisions that bounds a step's time.
  /// Returns `false` if the downdate failed (the factor then needs a refresh).
  func slide(adding entering: Int, removing leavingRow: Int) -> Bool {
    let rIn = loadRow(entering)
    let rOut = loadRow(leavingRow, into: leaving)
    for c in 0..<order { zty[c] += z[c] * rIn - leaving[c] * rOut }
    let n = order
    let l = factor
    for k in 0..<n {
      let diagonal = l[k + k * n]
      let inverse = inverseDiagonal[k]
      let (a, b) = (z[k], leaving[k])
      let updatedSquare = diagonal * diagonal + a * a
      let downdatedSquare = updatedSquare - b * b
      guard downdatedSquare > updatedSquare * 1e-10, downdatedSquare.isFinite else { return false }
      let r1 = updatedSquare.squareRoot()
      let r2 = downdatedSquare.squareRoot()
      let (inverseR1, inverseR2) = (1 / r1, 1 / r2)
      let (c1, s1, inverseC1) = (r1 * inverse, a * inverse, diagonal * inverseR1)
      let (c2, s2, inverseC2) = (r2 * inverseR1, b * inverseR1, r1 * inverseR2)
      l[k + k * n] = r2
      inverseDiagonal[k] = inverseR2
      let column = l + k * n
      for i in (k + 1)..<n {
        let u = (column[i] + s1 * z[i]) * inverseC1
        z[i] = c1 * z[i] - s1 * u
        let w = (u - s2 * leaving[i]) * inverseC2
        leaving[i] = c2 * leaving[i] - s2 * w
        column[i] = w
      }
    }
    return true
  }

  /// `L Lᵀ + z zᵀ` by a sequence of plane rotations (Golub & Van Loan §6.5.4).
  private func rankOneUpdate() -> Bool {
    let n = order
    let l = factor
    for k in 0..<n {
      let diagonal = l[k + k * n]
      let inverse = inverseDiagonal[k]
      let zk = z[k]
      let squared = diagonal * diagonal + zk * zk
      guard squared.isFinite else { return false }
      let r = squared.squareRoot()
      let inverseR = 1 / r
      let c = r * inverse
      let s = zk * inverse
      let inverseC = diagonal * inverseR
      l[k + k * n] = r
      inverseDiagonal[k] = inverseR
      let column = l + k * n
      for i in (k + 1)..<n {
        let updated = (column[i] + s * z[i]) * inverseC
        z[i] = c * z[i] - s * updated
        column[i] = updated
      }
    }
    return true
  }

  /// Solves the current window's system and writes its coefficients into row `row` of
  /// a column-major path with `stride` rows; returns the intercept.
  ///
  /// Forward and back substitution are written out: at the orders rolling fits use, a
  /// BLAS `trsm` call per step costs more in overhead than the O(p²) arithmetic.
  func solve(into path: UnsafeMutablePointer<Double>, row: Int, stride: Int) -> Double {
    let n = order
    let l = factor
    for i in 0..<n { v[i] = zty[i] }
    // L·u = Zᵀy, column by column.
    for k in 0..<n {
      let value = v[k] * inverseDiagonal[k]
      v[k] = value
      let column = l + k * n
      for i in (k + 1)..<n { v[i] -= column[i] * value }
    }
    // Lᵀ·β = u; row k of Lᵀ is column k of L.
    for k in Swift.stride(from: n - 1, through: 0, by: -1) {
      let column = l + k * n
      var total = v[k]
      for i in (k + 1)..<n { total -= column[i] * v[i] }
      v[k] = total * inverseDiagonal[k]
    }
    let offset = fitIntercept ? 1 : 0
    var shifted = 0.0
    for j in 0..<columns {
      let beta = v[j + offset]
      path[row + j * stride] = beta
      shifted += beta * xShift[j]
    }
    return fitIntercept ? yShift + v[0] - shifted : 0
  }
}
