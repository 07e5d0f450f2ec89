import HoneCore

/// Replaces each categorical (or integer) column with a smoothed mean of the target per
/// category (Micci-Barreca 2001; scikit-learn's `TargetEncoder` for binary and
/// continuous targets).
///
/// The encoding of category `c` is `λ·mean_c + (1 − λ)·mean`, shrinking rare categories
/// towards the overall target mean. With ``Smoothing/auto`` the weight is
/// `λ = n_c·σ² / (n_c·σ² + σ²_c)` (σ² the target variance, σ²_c the variance within the
/// category: Micci-Barreca's equations 5–6, as scikit-learn); with `.value(m)` the encoding
/// is `(Σ_c y + m·mean) / (n_c + m)`.
///
/// **Out of fold.** `fitTransform` — what a pipeline calls on its training rows — splits
/// them into ``folds`` folds and encodes each fold with statistics from the other folds
/// only, so a model never sees a row's own target through its encoding. `transform` on
/// new rows uses statistics from all training rows. Missing values form a category of
/// their own; a category not seen when fitting encodes as the target mean.
///
/// Differences from scikit-learn: folds are contiguous (`shuffle: false`) or shuffled by
/// Hone's seeded generator, and binary targets are not stratified; multiclass targets are
/// not supported.
public struct TargetEncoder: Transformer, Equatable {
  /// How strongly to shrink category means towards the overall mean.
  public enum Smoothing: Codable, Sendable, Equatable {
    /// Empirical Bayes weight from the within-category and overall variances.
    case auto
    /// A fixed pseudo-count `m ≥ 0`.
    case value(Double)
  }

  /// The columns to encode. Default: every categorical column.
  public var columns: ColumnChoice
  /// The smoothing. Default `.auto`.
  public var smoothing: Smoothing
  /// Folds for the out-of-fold encoding of training rows. Default 5.
  public var folds: Int
  /// Whether to shuffle rows before forming folds. Default `true`.
  public var shuffle: Bool
  /// The shuffle seed. Default 0.
  public var seed: UInt64

  /// Creates an encoder.
  public init(
    columns: ColumnChoice = .categorical, smoothing: Smoothing = .auto, folds: Int = 5, shuffle: Bool = true,
    seed: UInt64 = 0
  ) {
    self.columns = columns
    self.smoothing = smoothing
    self.folds = folds
    self.shuffle = shuffle
    self.seed = seed
  }

  /// The fitted encoder: each column's category encodings from all training rows.
  public struct Fitted: FittedTransformer, Equatable {
    /// The encoded columns.
    public let columns: [String]
    /// Each column's encoding by category (`nan` stands for missing).
    public let encodings: [[String: Double]]
    /// The overall target mean, used for unknown categories.
    public let targetMean: Double

    /// Replaces each encoded column with its target encoding.
    ///
    /// - Throws: ``TransformerError`` for a missing or unsuitable column.
    public func transform(_ table: Table) throws -> Table {
      let encoded = try columns.enumerated().map { j, name -> Column in
        let view = try CategoryView(table, column: name, for: "TargetEncoder")
        return .float(name, view.rows.map { encodings[j][$0 ?? "nan"] ?? targetMean })
      }
      return try table.replacing(encoded)
    }
  }

  /// Learns the encodings from all rows.
  ///
  /// - Throws: ``TransformerError`` without a target, with a target of the wrong length
  ///   or with non-finite values, or for an unsuitable column.
  public func fit(_ table: Table, target: [Double]?) throws -> Fitted {
    let (names, views, y) = try prepare(table, target: target)
    let all = Array(0..<table.rowCount)
    return Fitted(
      columns: names, encodings: views.map { encode($0, y, rows: all) }, targetMean: mean(y, rows: all))
  }

  /// Learns the encodings and encodes the training rows out of fold.
  ///
  /// - Throws: ``TransformerError`` as ``fit(_:target:)``, or when there are fewer rows
  ///   than folds.
  public func fitTransform(_ table: Table, target: [Double]?) throws -> (Fitted, Table) {
    let fitted = try fit(table, target: target)
    let (names, views, y) = try prepare(table, target: target)
    let n = table.rowCount
    guard folds >= 2, folds <= n else {
      throw TransformerError("TargetEncoder: folds must be between 2 and the row count (\(n)), got \(folds)")
    }
    var order = Array(0..<n)
    if shuffle {
      var generator = Xoshiro256StarStar(seed: seed)
      generator.shuffle(&order)
    }
    // Fold sizes as k-fold: the first n mod k folds get one extra row.
    var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: names.count)
    var start = 0
    for fold in 0..<folds {
      let size = n / folds + (fold < n % folds ? 1 : 0)
      let held = Set(order[start..<(start + size)])
      let training = (0..<n).filter { !held.contains($0) }
      let foldMean = mean(y, rows: training)
      for (j, view) in views.enumerated() {
        let encoding = encode(view, y, rows: training)
        for row in held { out[j][row] = encoding[view.rows[row] ?? "nan"] ?? foldMean }
      }
      start += size
    }
    let table = try table.replacing(names.enumerated().map { .float($1, out[$0]) })
    return (fitted, table)
  }

  private func prepare(_ table: Table, target: [Double]?) throws -> ([String], [CategoryView], [Double]) {
    guard let target else {
      throw TransformerError("TargetEncoder needs the target; fit it inside a pipeline or pass it")
    }
    guard target.count == table.rowCount else {
      throw TransformerError("TargetEncoder: the target has \(target.count) values for \(table.rowCount) rows")
    }
    if let bad = target.firstIndex(where: { !$0.isFinite }) {
      throw TransformerError("TargetEncoder: the target is \(target[bad]) at row \(bad); it must be finite")
    }
    if case .value(let m) = smoothing, !(m >= 0 && m.isFinite) {
      throw TransformerError("TargetEncoder: the smoothing value must be finite and ≥ 0, got \(m)")
    }
    let names = try columns.resolve(in: table)
    let views = try names.map { try CategoryView(table, column: $0, for: "TargetEncoder") }
    return (names, views, target)
  }

  private func mean(_ y: [Double], rows: [Int]) -> Double {
    rows.isEmpty ? 0 : rows.reduce(0) { $0 + y[$1] } / Double(rows.count)
  }

  /// Category encodings from `rows`, following scikit-learn's two-pass computation.
  private func encode(_ view: CategoryView, _ y: [Double], rows: [Int]) -> [String: Double] {
    let overall = mean(y, rows: rows)
    let variance = rows.isEmpty ? 0 : rows.reduce(0) { $0 + (y[$1] - overall) * (y[$1] - overall) } / Double(rows.count)
    var sums: [String: Double] = [:]
    var counts: [String: Double] = [:]
    for row in rows {
      let key = view.rows[row] ?? "nan"
      sums[key, default: 0] += y[row]
      counts[key, default: 0] += 1
    }
    var encodings: [String: Double] = [:]
    switch smoothing {
    case .value(let m):
      for (key, sum) in sums { encodings[key] = (sum + m * overall) / ((counts[key] ?? 0) + m) }
    case .auto:
      var squares: [String: Double] = [:]
      for row in rows {
        let key = view.rows[row] ?? "nan"
        let d = y[row] - (sums[key] ?? 0) / (counts[key] ?? 1)
        squares[key, default: 0] += d * d
      }
      for (key, sum) in sums {
        let count = counts[key] ?? 1
        let lambda = variance * count / (variance * count + (squares[key] ?? 0) / count)
        encodings[key] = lambda.isNaN ? overall : lambda * (sum / count) + (1 - lambda) * overall
      }
    }
    return encodings
  }
}
