/// The bin edges of one feature: values map to `UInt8` bin codes by quantile thresholds.
///
/// Bin `b` holds the values `v` with `upperBounds[b − 1] < v ≤ upperBounds[b]`; the last
/// value bin is open above. NaN goes to ``missingBin`` (255), which the split finder
/// sends to whichever side lowers the loss (Ke et al. 2017, LightGBM; Chen & Guestrin
/// 2016 "sparsity-aware split finding"). With at most `maxBins` distinct values the
/// bounds are the midpoints between consecutive distinct values, so every distinct value
/// gets its own bin, as in LightGBM and scikit-learn's `_BinMapper`.
public struct BinMapper: Codable, Sendable, Equatable {
  /// Two mappers are equal when their bounds are.
  public static func == (lhs: BinMapper, rhs: BinMapper) -> Bool { lhs.upperBounds == rhs.upperBounds }

  /// The bin code of missing (NaN) values in every feature.
  public static let missingBin: UInt8 = 255
  /// The largest number of value bins a feature can have (the 256th code is for NaN).
  public static let maximumValueBins = 255

  /// The upper bound of each value bin except the last, increasing.
  public let upperBounds: [Double]
  /// `upperBounds` padded with +∞ to 256 entries, for the branch-free search.
  private let searchBounds: [Double]

  /// The number of value bins (missing excluded): `upperBounds.count + 1`.
  public var valueBinCount: Int { upperBounds.count + 1 }

  /// Creates a mapper from upper bounds.
  ///
  /// - Parameter upperBounds: Strictly increasing finite bounds, at most 254.
  public init(upperBounds: [Double]) {
    self.upperBounds = upperBounds
    searchBounds = upperBounds + [Double](repeating: .infinity, count: 256 - upperBounds.count)
  }

  private enum CodingKeys: String, CodingKey { case upperBounds }

  /// Decodes the bounds (the padded search copy is rebuilt).
  ///
  /// - Throws: `DecodingError` when there are more than 254 bounds.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let bounds = try container.decode([Double].self, forKey: .upperBounds)
    guard bounds.count < BinMapper.maximumValueBins else {
      throw DecodingError.dataCorruptedError(
        forKey: .upperBounds, in: container, debugDescription: "\(bounds.count) bounds; at most 254")
    }
    self.init(upperBounds: bounds)
  }

  /// Encodes the bounds.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(upperBounds, forKey: .upperBounds)
  }

  /// Finds quantile bins for one feature.
  ///
  /// - Parameters:
  ///   - values: The feature's values (NaN is missing); a sample is enough.
  ///   - maxBins: The largest number of value bins, 2…255.
  /// - Returns: A mapper with at most `maxBins` value bins.
  /// - Complexity: O(n log n) for `n` values (one sort).
  public static func fit(_ values: some Sequence<Double>, maxBins: Int) -> BinMapper {
    var sorted = values.filter { !$0.isNaN }
    sorted.sort()
    guard !sorted.isEmpty else { return BinMapper(upperBounds: []) }
    var distinct: [Double] = []
    var counts: [Int] = []
    for value in sorted {
      if let last = distinct.last, last == value {
        counts[counts.count - 1] += 1
      } else {
        distinct.append(value)
        counts.append(1)
      }
    }
    if distinct.count <= maxBins {
      return BinMapper(upperBounds: (0..<(distinct.count - 1)).map { midpoint(distinct[$0], distinct[$0 + 1]) })
    }
    // Quantile bounds over the distinct values weighted by their counts: walk the
    // cumulative count and cut where it passes each `k/maxBins` quantile, so heavy values
    // (zeros, ties) do not waste bins.
    var bounds: [Double] = []
    bounds.reserveCapacity(maxBins - 1)
    let total = Double(sorted.count)
    var cumulative = 0
    var nextCut = 1
    for index in 0..<(distinct.count - 1) {
      cumulative += counts[index]
      if Double(cumulative) >= total * Double(nextCut) / Double(maxBins) {
        bounds.append(midpoint(distinct[index], distinct[index + 1]))
        while nextCut < maxBins && Double(cumulative) >= total * Double(nextCut) / Double(maxBins) { nextCut += 1 }
        if bounds.count == maxBins - 1 { break }
      }
    }
    return BinMapper(upperBounds: bounds)
  }

  /// The bin code of `value`.
  ///
  /// - Complexity: O(log bins): eight branch-free steps over the padded bounds (a
  ///   branchy search mispredicts about half its steps on quantile bins).
  @inline(__always)
  public func bin(_ value: Double) -> UInt8 {
    if value.isNaN { return Self.missingBin }
    return searchBounds.withUnsafeBufferPointer { bounds in
      // Counts the bounds below `value`: the first bin whose upper bound is ≥ it.
      var index = 0
      var step = 128
      while step > 0 {
        index &+= value > bounds[index &+ step &- 1] ? step : 0
        step >>= 1
      }
      return UInt8(truncatingIfNeeded: index)
    }
  }

  /// The raw-value threshold of a split that sends bins `0...bin` left: values `≤` it go left.
  func threshold(afterBin bin: Int) -> Double {
    bin < upperBounds.count ? upperBounds[bin] : .infinity
  }

  private static func midpoint(_ a: Double, _ b: Double) -> Double {
    let mid = a + (b - a) / 2
    // Keep the bound strictly below `b` so `b` lands in the next bin even when the
    // midpoint rounds up to `b` (adjacent doubles).
    return mid < b ? mid : a
  }
}
