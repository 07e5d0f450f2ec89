/// The per-period rank information coefficients of a signal and their summary.
public struct RankICSummary<Period: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// The periods with a defined rank IC, ascending, and their IC.
  public let values: [(period: Period, ic: Double)]

  /// Periods left out because their IC is undefined: fewer than `minimumObservations`
  /// rows, or a signal or return that is constant within the period.
  public let skippedPeriods: [Period]

  /// The mean of the per-period ICs.
  public let mean: Double

  /// The sample standard deviation (divisor m − 1) of the per-period ICs.
  public let standardDeviation: Double

  /// `mean / (standardDeviation / √m)` over the m periods with a defined IC: the
  /// t-statistic of the hypothesis that the mean IC is zero, treating periods as
  /// independent.
  public let tStatistic: Double

  /// The ICs in period order, without their periods.
  public var ics: [Double] { values.map(\.ic) }

  /// Compares the periods and ICs (tuples are not `Equatable`).
  ///
  /// - Parameters:
  ///   - lhs: A summary.
  ///   - rhs: Another summary.
  /// - Returns: Whether every field is equal.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.values.map(\.period) == rhs.values.map(\.period) && lhs.ics == rhs.ics
      && lhs.skippedPeriods == rhs.skippedPeriods && lhs.mean == rhs.mean
      && lhs.standardDeviation == rhs.standardDeviation && lhs.tStatistic == rhs.tStatistic
  }
}

/// Signal-quality metrics: how well a score ranks or tracks the returns it predicts.
///
/// The information coefficient (IC) is a correlation between a signal and the realised
/// forward return (Grinold & Kahn 2000, *Active Portfolio Management*, ch. 6). Pearson IC
/// is scipy's `pearsonr`; Spearman (rank) IC is `spearmanr`: Pearson correlation of the
/// ranks, with tied values given their average rank.
public enum SignalMetrics {
  /// The Pearson correlation between a signal and returns.
  ///
  /// - Parameters:
  ///   - signal: The signal (prediction) for each row.
  ///   - returns: The realised return for each row, aligned with `signal`.
  /// - Returns: The correlation, in [−1, 1].
  /// - Throws: ``MetricError`` for misaligned or non-finite inputs, fewer than two rows, or
  ///   a constant input (correlation undefined).
  /// - Complexity: O(n).
  public static func pearsonIC(signal: [Double], returns: [Double]) throws -> Double {
    let metric = "pearsonIC"
    try validate(signal: signal, returns: returns, metric: metric)
    guard let correlation = correlation(signal, returns) else {
      throw MetricError(.undefined, "\(metric): signal or returns is constant, so the correlation is undefined.")
    }
    return correlation
  }

  /// The Spearman rank correlation between a signal and returns, ties at average ranks.
  ///
  /// - Parameters:
  ///   - signal: The signal (prediction) for each row.
  ///   - returns: The realised return for each row, aligned with `signal`.
  /// - Returns: The rank correlation, in [−1, 1].
  /// - Throws: ``MetricError`` as ``pearsonIC(signal:returns:)``.
  /// - Complexity: O(n log n).
  public static func spearmanIC(signal: [Double], returns: [Double]) throws -> Double {
    let metric = "spearmanIC"
    try validate(signal: signal, returns: returns, metric: metric)
    guard let correlation = correlation(averageRanks(signal), averageRanks(returns)) else {
      throw MetricError(.undefined, "\(metric): signal or returns is constant, so the rank correlation is undefined.")
    }
    return correlation
  }

  /// The Spearman IC computed separately within each period (a cross-section of assets on
  /// one date, say), with the mean, standard deviation and t-statistic across periods.
  ///
  /// - Parameters:
  ///   - signal: The signal for each row.
  ///   - returns: The realised return for each row.
  ///   - periods: The period of each row; rows need not be sorted or contiguous.
  ///   - minimumObservations: The fewest rows a period needs for its IC; at least 2.
  /// - Returns: The per-period ICs and their summary.
  /// - Throws: ``MetricError`` for misaligned or non-finite inputs, `minimumObservations`
  ///   below 2, or fewer than two periods with a defined IC (no standard deviation), or ICs
  ///   with zero spread (t-statistic undefined).
  /// - Complexity: O(n log n).
  public static func rankIC<Period: Hashable & Comparable & Sendable>(
    signal: [Double], returns: [Double], periods: [Period], minimumObservations: Int = 2
  ) throws -> RankICSummary<Period> {
    let metric = "rankIC"
    try MetricValidation.requireSameLength("signal", signal.count, "returns", returns.count, metric: metric)
    try MetricValidation.requireSameLength("signal", signal.count, "periods", periods.count, metric: metric)
    try MetricValidation.requireFinite(signal, "signal", metric: metric)
    try MetricValidation.requireFinite(returns, "returns", metric: metric)
    guard minimumObservations >= 2 else {
      throw MetricError(
        .invalidParameter, "\(metric): minimumObservations is \(minimumObservations); a correlation needs at least 2.")
    }
    let groups = Dictionary(grouping: signal.indices, by: { periods[$0] })
    var values: [(period: Period, ic: Double)] = []
    var skipped: [Period] = []
    for period in groups.keys.sorted() {
      let rows = groups[period] ?? []
      guard rows.count >= minimumObservations,
        let ic = correlation(averageRanks(rows.map { signal[$0] }), averageRanks(rows.map { returns[$0] }))
      else {
        skipped.append(period)
        continue
      }
      values.append((period, ic))
    }
    guard values.count >= 2 else {
      throw MetricError(
        .insufficientData,
        "\(metric): only \(values.count) period(s) have a defined IC (\(skipped.count) skipped: too few rows or "
          + "constant values); the spread across periods needs at least 2.")
    }
    let ics = values.map(\.ic)
    let count = Double(ics.count)
    let mean = ics.reduce(0, +) / count
    let variance = ics.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
    let standardDeviation = variance.squareRoot()
    guard standardDeviation > 0 else {
      throw MetricError(
        .undefined, "\(metric): every period has the same IC (\(mean)), so the t-statistic is undefined.")
    }
    return RankICSummary(
      values: values, skippedPeriods: skipped, mean: mean, standardDeviation: standardDeviation,
      tStatistic: mean / (standardDeviation / count.squareRoot()))
  }

  // MARK: - Helpers

  private static func validate(signal: [Double], returns: [Double], metric: String) throws {
    try MetricValidation.requireSameLength("signal", signal.count, "returns", returns.count, metric: metric)
    guard signal.count >= 2 else {
      throw MetricError(.insufficientData, "\(metric): \(signal.count) row(s); a correlation needs at least 2.")
    }
    try MetricValidation.requireFinite(signal, "signal", metric: metric)
    try MetricValidation.requireFinite(returns, "returns", metric: metric)
  }

  /// The Pearson correlation from centred sums (two passes, so no cancellation from raw
  /// sums of squares), or `nil` when either side is constant.
  static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
    // Tested exactly: a constant input's rounded mean can leave tiny non-zero deviations.
    guard !TradingMetrics.isConstant(x) && !TradingMetrics.isConstant(y) else { return nil }
    let count = Double(x.count)
    let meanX = x.reduce(0, +) / count
    let meanY = y.reduce(0, +) / count
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices {
      let dx = x[i] - meanX
      let dy = y[i] - meanY
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0 && syy > 0 else { return nil }
    // Clamp: rounding can push |r| a few ulps past 1 for perfectly (anti)correlated inputs.
    return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
  }

  /// Ranks 1...n with ties given the mean of the ranks they span (`scipy.stats.rankdata`'s
  /// `"average"` method).
  static func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = Array(repeating: 0.0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
      // Positions start...end (0-based) hold ranks start+1...end+1; their mean is:
      let rank = Double(start + end + 2) / 2
      for position in start...end { ranks[order[position]] = rank }
      start = end + 1
    }
    return ranks
  }
}
