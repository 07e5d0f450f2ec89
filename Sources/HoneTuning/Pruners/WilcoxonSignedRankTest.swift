import Foundation

/// The Wilcoxon signed-rank test (Wilcoxon 1945) of paired differences: are they
/// centred on zero?
///
/// Zeros follow the "zero split" rule (their ranks count half to each side), ties take
/// average ranks. The p-value is exact — from the permutation distribution of the rank
/// sum over all `2^n` sign assignments, counted by dynamic programming over (doubled)
/// ranks — for `n ≤ 50` without ties or zeros and for `n ≤ 13` otherwise; above that it is
/// the normal approximation with the tie-corrected variance and no continuity correction.
/// That is the rule `scipy.stats.wilcoxon(..., zero_method="zsplit")` follows by default,
/// so both give the same p-values.
public struct WilcoxonSignedRankTest: Sendable, Equatable {
  /// The alternative hypothesis.
  public enum Alternative: String, Sendable, CaseIterable {
    /// The differences are centred away from zero.
    case twoSided = "two-sided"
    /// The differences are centred below zero.
    case less
    /// The differences are centred above zero.
    case greater
  }

  /// The sum of the ranks of positive differences (plus half those of zeros) for a
  /// one-sided test; the smaller of that and its negative counterpart for a two-sided one.
  public let statistic: Double
  /// The probability, under the null hypothesis, of a statistic at least as extreme.
  public let pValue: Double
  /// Whether the p-value is exact rather than the normal approximation.
  public let isExact: Bool

  /// Tests paired differences.
  ///
  /// - Parameters:
  ///   - differences: The paired differences `x − y`, at least one.
  ///   - alternative: The alternative hypothesis. Default two-sided.
  /// - Throws: ``TuningError`` for no differences or a non-finite one.
  public init(differences: [Double], alternative: Alternative = .twoSided) throws {
    guard !differences.isEmpty else { throw TuningError("the Wilcoxon test needs at least one paired difference") }
    guard differences.allSatisfy(\.isFinite) else {
      throw TuningError("the Wilcoxon test needs finite differences, got \(differences.filter { !$0.isFinite })")
    }
    let n = differences.count
    // Doubled average ranks of |d| are integers: (first + last) of each tie block, 1-based.
    let order = differences.indices.sorted { abs(differences[$0]) < abs(differences[$1]) }
    var doubledRanks = [Int](repeating: 0, count: n)
    var tieCorrection = 0.0
    var hasTies = false
    var start = 0
    while start < n {
      var end = start
      while end + 1 < n && abs(differences[order[end + 1]]) == abs(differences[order[start]]) { end += 1 }
      for k in start...end { doubledRanks[order[k]] = (start + 1) + (end + 1) }
      let t = Double(end - start + 1)
      tieCorrection += t * t * t - t
      if end > start { hasTies = true }
      start = end + 1
    }
    let hasZeros = differences.contains(0)
    // In doubled ranks: positive differences count fully, zeros half to each side.
    var doubledPlus = 0
    var zeroPart = 0
    for (d, r) in zip(differences, doubledRanks) {
      if d > 0 { doubledPlus += r } else if d == 0 { zeroPart += r }
    }
    let total = doubledRanks.reduce(0, +)
    let rPlus = (Double(doubledPlus) + Double(zeroPart) / 2) / 2
    let rMinus = Double(total) / 2 - rPlus
    statistic = alternative == .twoSided ? Swift.min(rPlus, rMinus) : rPlus

    let exact = n <= 50 && ((!hasTies && !hasZeros) || n <= 13)
    isExact = exact
    if exact {
      // Only the signs of non-zero differences vary; zeros add a constant.
      let varying = zip(differences, doubledRanks).filter { $0.0 != 0 }.map(\.1)
      var counts = [Double](repeating: 0, count: varying.reduce(0, +) + 1)
      counts[0] = 1
      var reach = 0
      for r in varying {
        for s in stride(from: reach, through: 0, by: -1) where counts[s] != 0 { counts[s + r] += counts[s] }
        reach += r
      }
      let all = Foundation.pow(2, Double(varying.count))
      let greater = counts[doubledPlus...].reduce(0, +) / all
      let less = counts[...doubledPlus].reduce(0, +) / all
      switch alternative {
      case .greater: pValue = greater
      case .less: pValue = less
      case .twoSided: pValue = Swift.min(1, 2 * Swift.min(greater, less))
      }
    } else {
      let count = Double(n)
      let mean = count * (count + 1) / 4
      let deviation = ((count * (count + 1) * (2 * count + 1) - tieCorrection / 2) / 24).squareRoot()
      let z = (rPlus - mean) / deviation
      switch alternative {
      case .greater: pValue = normalCDF(-z)
      case .less: pValue = normalCDF(z)
      case .twoSided: pValue = Swift.min(1, 2 * Swift.min(normalCDF(z), normalCDF(-z)))
      }
    }
  }
}
