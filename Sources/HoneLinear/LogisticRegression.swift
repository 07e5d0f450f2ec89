import HoneCore
import HoneLinearAlgebra

/// Logistic regression for two or more classes: binomial for two, multinomial (softmax)
/// for more, fitted by penalised maximum likelihood.
///
/// ```swift
/// let model = try LogisticRegression(.init(c: 0.5)).fit(data)
/// let probabilities = try model.predictProbabilities(x)   // n × K
/// let labels = try model.predict(x)                         // class labels as Double
/// ```
///
/// **Objective.** Exactly scikit-learn 1.9's `LogisticRegression`:
///
///     C · Σᵢ wᵢ · logloss(yᵢ, pᵢ) + penalty(β)
///
/// where `wᵢ` is the sample weight times the class weight, `β` the coefficients (the
/// intercepts are not penalised) and the penalty is `½‖β‖²` (`.l2`), `‖β‖₁` (`.l1`),
/// `r‖β‖₁ + ½(1 − r)‖β‖²` with `r = l1Ratio` (`.elasticNet`), or none (`.none`, where `C`
/// is ignored and the objective is `Σ wᵢ logloss`). The corresponding scikit-learn
/// settings (1.8 deprecated `penalty` in favour of `l1_ratio` and `C`):
///
/// | Hone | scikit-learn ≥ 1.8 | before 1.8 |
/// |---|---|---|
/// | `penalty: .l2, c: C` | `C=C, l1_ratio=0` | `penalty="l2"` |
/// | `penalty: .l1, c: C` | `C=C, l1_ratio=1` | `penalty="l1"` |
/// | `penalty: .elasticNet, c: C, l1Ratio: r` | `C=C, l1_ratio=r` | `penalty="elasticnet"` |
/// | `penalty: .none` | `C=np.inf` | `penalty=None` |
/// | `classWeights: .balanced` | `class_weight="balanced"` | |
/// | `tolerance`, `maxIterations` | `tol`, `max_iter` | |
///
/// Binary models have one coefficient row (the log-odds of the second class, as
/// scikit-learn's `coef_` of shape `1 × p`); multinomial models have one row per class
/// in the symmetric parameterisation, with intercepts (and, without an L1 term,
/// coefficients) centred to sum to zero over the classes — the objective does not see
/// that shift, and it is the solution scikit-learn's solvers return.
///
/// **Solvers.** `.lbfgs` (L-BFGS with a strong Wolfe line search) for L2 and no
/// penalty; `.newton` (IRLS: Newton steps with the Hessian `X̃ᵀDX̃` formed by `dsyrk`
/// and solved by Cholesky), binary only; `.proximalNewton` (GLMNET-style proximal
/// Newton with coordinate descent on each quadratic model) for L1 and elastic net, and
/// any other penalty. `.auto` picks `.lbfgs` for L2 and none, `.proximalNewton`
/// otherwise. All three stop when the largest entry of the (minimum-norm sub)gradient
/// of the objective divided by `C·Σw` is at most `tolerance`: scikit-learn's lbfgs
/// criterion (`gtol = tol` on the same scaled objective).
///
/// **Separable classes.** Without a penalty, linearly separable classes have no
/// maximum-likelihood estimate: the loss keeps falling as the coefficients grow. The
/// solvers then stop at `maxIterations`, at the gradient tolerance (the gradient shrinks
/// as the margins grow) or when the Newton Hessian becomes singular, always with finite
/// coefficients, and the diagnostics carry a warning that the training classes are
/// separated. Use a penalty for a well-defined answer.
public struct LogisticRegression: Estimator {
  /// The penalty on the coefficients.
  public enum Penalty: String, Codable, Sendable, CaseIterable {
    /// `½‖β‖²`.
    case l2
    /// `‖β‖₁`.
    case l1
    /// `l1Ratio·‖β‖₁ + ½(1 − l1Ratio)·‖β‖²`.
    case elasticNet
    /// No penalty (`c` is ignored).
    case none
  }

  /// The optimisation algorithm.
  public enum Solver: String, Codable, Sendable, CaseIterable {
    /// `.lbfgs` for `.l2` and `.none`, `.proximalNewton` for `.l1` and `.elasticNet`.
    case auto
    /// Limited-memory BFGS (Nocedal & Wright 2006, ch. 7): two passes over the data per
    /// evaluation, O(p K) memory. L2 and no penalty.
    case lbfgs
    /// Newton's method / IRLS with a Cholesky solve of the `(p+1) × (p+1)` Hessian:
    /// O(n p²) per iteration, few iterations. Binary problems with L2 or no penalty.
    case newton
    /// Proximal Newton with coordinate descent on each quadratic model (Lee, Sun &
    /// Saunders 2014; Yuan, Ho & Lin 2012): O(n (p K)²) per iteration. Any penalty.
    case proximalNewton
  }

  /// Per-class weights multiplying the sample weights.
  public enum ClassWeights: Codable, Sendable, Equatable {
    /// `Σw / (K · Σ_{i in class k} wᵢ)` for class `k`: every class carries the same total
    /// weight (scikit-learn's `class_weight="balanced"`, King & Zeng 2001).
    case balanced
    /// A weight per class label; labels not listed weigh 1. Every listed label must
    /// occur in the training data and every weight must be finite and ≥ 0.
    case custom([Int: Double])
  }

  /// Logistic-regression hyperparameters (scikit-learn names in parentheses).
  public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The inverse regularisation strength `C > 0` (`C`). Default 1.
    public var c: Double = 1
    /// The penalty. Default `.l2`.
    public var penalty: Penalty = .l2
    /// The L1 share `r ∈ [0, 1]` of the elastic-net penalty (`l1_ratio`); used only by
    /// `.elasticNet`. Default 0.5.
    public var l1Ratio: Double = 0.5
    /// Whether to fit unpenalised intercepts (`fit_intercept`). Default `true`.
    public var fitIntercept: Bool = true
    /// Whether to scale features to unit weighted standard deviation (centring them too
    /// when fitting intercepts) before fitting. The penalty then applies on that scale,
    /// as for scikit-learn after `StandardScaler`; coefficients are reported on the
    /// original scale. Default `false`.
    public var standardize: Bool = false
    /// Class weights (`class_weight`); `nil` weighs every class 1. Default `nil`.
    public var classWeights: ClassWeights? = nil
    /// The solver. Default `.auto`.
    public var solver: Solver = .auto
    /// Stop when the largest entry of the gradient (minimum-norm subgradient with an L1
    /// term) of the objective divided by `C·Σw` is at most this (`tol`). Default 1e-4.
    public var tolerance: Double = 1e-4
    /// The iteration limit (`max_iter`). Default 100.
    public var maxIterations: Int = 100

    /// Creates hyperparameters; every parameter has the documented default.
    public init(
      c: Double = 1, penalty: Penalty = .l2, l1Ratio: Double = 0.5, fitIntercept: Bool = true,
      standardize: Bool = false, classWeights: ClassWeights? = nil, solver: Solver = .auto,
      tolerance: Double = 1e-4, maxIterations: Int = 100
    ) {
      self.c = c
      self.penalty = penalty
      self.l1Ratio = l1Ratio
      self.fitIntercept = fitIntercept
      self.standardize = standardize
      self.classWeights = classWeights
      self.solver = solver
      self.tolerance = tolerance
      self.maxIterations = maxIterations
    }
  }

  /// The hyperparameters.
  public var hyperparameters: Hyperparameters

  /// Creates an estimator.
  ///
  /// - Parameter hyperparameters: The hyperparameters; defaults as documented.
  public init(_ hyperparameters: Hyperparameters = Hyperparameters()) { self.hyperparameters = hyperparameters }

  /// Fits the model. Labels are the target values, which must be non-negative integers
  /// (`0, 1, …`); the model's classes are the distinct labels, sorted.
  ///
  /// A fit that stops before meeting `tolerance` returns the model with
  /// `diagnostics.converged == false` and a warning rather than throwing.
  ///
  /// - Parameter data: Features, integer class labels and optional sample weights.
  /// - Returns: The fitted model.
  /// - Throws: ``LinearModelError`` for `c ≤ 0` or non-finite, `l1Ratio` outside
  ///   `[0, 1]`, a non-positive tolerance or iteration limit, a solver that does not
  ///   support the penalty or the class count, labels that are not non-negative
  ///   integers, a single class, bad class weights, or NaN/infinite features.
  /// - Complexity: Per iteration O(n p K) for `.lbfgs`, O(n p²) for `.newton`,
  ///   O(n (pK)²) for `.proximalNewton`.
  public func fit(_ data: Dataset) throws -> LogisticModel {
    let h = hyperparameters
    try Self.validate(h)
    try LinearModelValidation.checkTraining(data)
    let labels = try Self.labels(data.target)
    let classes = labels.classes
    let solver = try Self.resolveSolver(h, classCount: classes.count)
    let weights = try Self.rowWeights(data, classIndex: labels.index, classes: classes, classWeights: h.classWeights)
    let weightSum = weights.reduce(0, +)
    guard weightSum > 0, weightSum.isFinite else {
      throw LinearModelError(
        "the sample weights times the class weights sum to \(weightSum); give at least one row a positive, finite weight"
      )
    }

    // Divide by C·Σw as scikit-learn's lbfgs does, so `tolerance` means the same thing.
    let penaltyScale = h.penalty == .none ? 0 : 1 / (h.c * weightSum)
    let (l1Share, l2Share): (Double, Double) =
      switch h.penalty {
      case .l2: (0, 1)
      case .l1: (1, 0)
      case .elasticNet: (h.l1Ratio, 1 - h.l1Ratio)
      case .none: (0, 0)
      }
    let moments = LogisticObjective.moments(
      data.features, weights: data.weights, center: h.standardize && h.fitIntercept, standardize: h.standardize)
    let objective = LogisticObjective(
      features: data.features, classIndex: labels.index, weights: weights.map { $0 / weightSum },
      classCount: classes.count, fitIntercept: h.fitIntercept, mean: moments.mean, scale: moments.scale,
      l2: l2Share * penaltyScale, l1: l1Share * penaltyScale)

    var solution: LogisticSolution
    switch solver {
    case .lbfgs:
      solution = try Self.solveLBFGS(objective, tolerance: h.tolerance, maxIterations: h.maxIterations)
    case .newton:
      solution = try Self.solveNewton(objective, tolerance: h.tolerance, maxIterations: h.maxIterations)
    case .proximalNewton, .auto:
      solution = try Self.solveProximalNewton(objective, tolerance: h.tolerance, maxIterations: h.maxIterations)
    }
    if objective.blockCount > 1 {
      Self.centerAcrossClasses(&solution.theta, objective: objective)
    }

    let (coefficients, intercepts) = objective.originalScale(solution.theta)
    let value = try objective.value(solution.theta)
    // Undo the 1/(C·Σw) scaling: report scikit-learn's objective.
    let reportScale = (h.penalty == .none ? 1 : h.c) * weightSum
    var warnings = solution.warnings
    if h.penalty == .none, try Self.separates(objective, theta: solution.theta) {
      warnings.append(
        "the training classes are linearly separable: without a penalty the likelihood has no maximum and the coefficients grow with every iteration; use penalty l2 (or l1) for a finite optimum"
      )
    }
    return try LogisticModel(
      classes: classes, coefficients: coefficients.transposed, intercepts: intercepts,
      diagnostics: FitDiagnostics(
        solver: solver.rawValue, iterations: solution.iterations, converged: solution.converged,
        gradientNorm: solution.optimality, objective: value * reportScale, warnings: warnings))
  }

  // MARK: Validation

  private static func validate(_ h: Hyperparameters) throws {
    guard h.c.isFinite, h.c > 0 else {
      throw LinearModelError(
        "c (the inverse regularisation strength) must be finite and > 0, got \(h.c); for no penalty use penalty none")
    }
    guard h.l1Ratio.isFinite, (0...1).contains(h.l1Ratio) else {
      throw LinearModelError("l1Ratio must be in [0, 1], got \(h.l1Ratio)")
    }
    guard h.tolerance.isFinite, h.tolerance > 0 else {
      throw LinearModelError("tolerance must be finite and > 0, got \(h.tolerance)")
    }
    guard h.maxIterations >= 1 else {
      throw LinearModelError("maxIterations must be at least 1, got \(h.maxIterations)")
    }
  }

  private static func resolveSolver(_ h: Hyperparameters, classCount: Int) throws -> Solver {
    let smooth = h.penalty == .l2 || h.penalty == .none
    switch h.solver {
    case .auto:
      return smooth ? .lbfgs : .proximalNewton
    case .lbfgs, .newton:
      guard smooth else {
        throw LinearModelError(
          "solver \(h.solver.rawValue) needs a differentiable objective but penalty is \(h.penalty.rawValue); use solver proximalNewton or auto"
        )
      }
      if h.solver == .newton, classCount > 2 {
        throw LinearModelError(
          "solver newton handles two classes but the data has \(classCount); use solver lbfgs or proximalNewton for multinomial models"
        )
      }
      return h.solver
    case .proximalNewton:
      return .proximalNewton
    }
  }

  /// The sorted distinct labels and each row's index into them.
  private static func labels(_ target: [Double]) throws -> (classes: [Int], index: [Int32]) {
    var seen = Set<Int>()
    for (row, value) in target.enumerated() {
      guard value >= 0, value <= Double(Int32.max), value == value.rounded(.towardZero) else {
        throw LinearModelError(
          "the target is \(value) at row \(row): logistic regression needs class labels 0, 1, 2, … (non-negative integers); encode the classes first"
        )
      }
      seen.insert(Int(value))
    }
    let classes = seen.sorted()
    guard classes.count >= 2 else {
      throw LinearModelError(
        "the target has a single class (\(classes.first.map(String.init) ?? "none")); logistic regression needs at least two classes"
      )
    }
    var position = [Int: Int32]()
    for (k, label) in classes.enumerated() { position[label] = Int32(k) }
    return (classes, target.map { position[Int($0)] ?? 0 })
  }

  /// Each row's sample weight times its class weight.
  private static func rowWeights(
    _ data: Dataset, classIndex: [Int32], classes: [Int], classWeights: ClassWeights?
  ) throws -> [Double] {
    let sample = data.weights ?? [Double](repeating: 1, count: data.rowCount)
    guard let classWeights else { return sample }
    var perClass = [Double](repeating: 1, count: classes.count)
    switch classWeights {
    case .balanced:
      var totals = [Double](repeating: 0, count: classes.count)
      for (i, k) in classIndex.enumerated() { totals[Int(k)] += sample[i] }
      let total = totals.reduce(0, +)
      for k in classes.indices {
        guard totals[k] > 0 else {
          throw LinearModelError(
            "class \(classes[k]) has zero total sample weight, so balanced class weights are undefined; drop the class or give its rows weight"
          )
        }
        perClass[k] = total / (Double(classes.count) * totals[k])
      }
    case .custom(let table):
      for (label, weight) in table.sorted(by: { $0.key < $1.key }) {
        guard let k = classes.firstIndex(of: label) else {
          throw LinearModelError(
            "classWeights names class \(label), which is not a label in the training data (classes \(classes)); remove it"
          )
        }
        guard weight.isFinite, weight >= 0 else {
          throw LinearModelError(
            "the class weight of class \(label) is \(weight); class weights must be finite and ≥ 0")
        }
        perClass[k] = weight
      }
    }
    return zip(sample, classIndex).map { $0 * perClass[Int($1)] }
  }

  // MARK: Post-processing

  /// Shifts the multinomial intercepts (and, without an L1 term, each feature's
  /// coefficients) to sum to zero over the classes. Softmax probabilities do not change,
  /// nor the loss; the L2 penalty can only fall. This picks the one solution
  /// scikit-learn returns among the equivalent ones.
  private static func centerAcrossClasses(_ theta: inout [Double], objective: LogisticObjective) {
    let (k, q, p) = (objective.blockCount, objective.stride, objective.featureCount)
    let columns = objective.l1 > 0 ? (p..<q) : (0..<q)
    for j in columns {
      var mean = 0.0
      for c in 0..<k { mean += theta[c * q + j] }
      mean /= Double(k)
      for c in 0..<k { theta[c * q + j] -= mean }
    }
  }

  /// Whether the fitted scores put every training row with positive weight strictly on
  /// its own class's side: the signature of separable classes.
  private static func separates(_ objective: LogisticObjective, theta: [Double]) throws -> Bool {
    let z = try objective.scores(theta)
    let k = objective.blockCount
    for (i, label) in objective.classIndex.enumerated() where objective.weights[i] > 0 {
      if k == 1 {
        if (label == 1) != (z[i] > 0) { return false }
      } else {
        let own = z[i * k + Int(label)]
        for c in 0..<k where c != Int(label) && z[i * k + c] >= own { return false }
      }
    }
    return true
  }
}
