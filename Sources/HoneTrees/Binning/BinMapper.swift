/// The bin edges of one feature: values map to `UInt8` bin codes by quantile thresholds.
///
/// Bin `b` holds the values `v` with `upperBounds[b − 1] < v ≤ upperBounds[b]`; the last
/// value bin is open above. NaN goes to ``missingBin`` (255), which the split finder
/// sends to whichever side lowers the loss (Ke et al. 2017, LightGBM; Chen & Guestrin
/// 2016 "sparsity-aware split finding"). With at most `maxBins` distinct values the
/// bounds are the midpoints between consecutive distinct values, so every distinct value
/// gets its own bin, as in LightGBM and scikit-learn's `_BinMapper`.
///
/// A categorical feature (``isCategorical``) has one bin per kept category instead:
/// ``categories`` lists the category codes of bins `0, 1, …`, most frequent first.
/// Missing values, negative or non-integer codes, categories seen fewer than
/// ``minimumCategoryCount`` times, those beyond the per-feature cap and categories never
/// seen in training all share ``missingBin``, which a categorical split always sends
/// right (LightGBM does the same with its "other" bin).
public struct BinMapper: Codable, Sendable, Equatable {
  /// Two mappers are equal when their bounds and categories are.
  public static func == (lhs: BinMapper, rhs: BinMapper) -> Bool {
    lhs.upperBounds == rhs.upperBounds && lhs.categories == rhs.categories
  }

  /// The bin code of missing (NaN) values in every feature.
  public static let missingBin: UInt8 = 255
  /// The largest number of value bins a feature can have (the 256th code is for NaN).
  public static let maximumValueBins = 255

  /// The upper bound of each value bin except the last, increasing.
  public let upperBounds: [Double]
  /// `upperBounds` padded with +∞ to 256 entries, for the branch-free search.
  private let searchBounds: [Double]
  /// For a categorical feature, the category code of each bin; `nil` for a numeric one.
  public let categories: [Int]?
  /// For a categorical feature, the bin of each category code `0...max(categories)`
  /// (``missingBin`` for codes without a bin of their own).
  private let categoryBins: [UInt8]

  /// Category codes must be below this (2²⁰): bins and prediction bitsets are indexed by
  /// code, so a code of a billion would cost gigabytes. Dictionary codes are far smaller.
  public static let categoryCodeLimit = 1 << 20

  /// Categories seen fewer times than this share the missing bin, as LightGBM's
  /// `min_data_in_bin` (default 3): a split cannot learn anything reliable from them.
  public static let minimumCategoryCount = 3

  /// Whether the feature is categorical.
  public var isCategorical: Bool { categories != nil }

  /// The number of value bins (missing excluded): `upperBounds.count + 1`, or the number
  /// of kept categories.
  public var valueBinCount: Int { categories?.count ?? upperBounds.count + 1 }

  /// Creates a mapper from upper bounds.
  ///
  /// - Parameter upperBounds: Strictly increasing finite bounds, at most 254.
  public init(upperBounds: [Double]) {
    self.upperBounds = upperBounds
    searchBounds = upperBounds + [Double](repeating: .infinity, count: 256 - upperBounds.count)
    categories = nil
    categoryBins = []
  }

  /// Creates a categorical mapper: bin `b` holds category code `categories[b]`. Internal:
  /// callers (``fitCategorical(_:maxCategories:)`` and the decoder) check the codes.
  ///
  /// - Parameter categories: At most 255 distinct codes in `0..<categoryCodeLimit`.
  init(categories: [Int]) {
    upperBounds = []
    searchBounds = [Double](repeating: .infinity, count: 256)
    self.categories = categories
    var bins = [UInt8](repeating: Self.missingBin, count: (categories.max() ?? -1) + 1)
    for (bin, code) in categories.enumerated() { bins[code] = UInt8(truncatingIfNeeded: bin) }
    categoryBins = bins
  }

  private enum CodingKeys: String, CodingKey { case upperBounds, categories }

  /// Decodes the bounds or categories (the lookup tables are rebuilt). Files written
  /// before categorical features existed have no `categories` and decode as numeric.
  ///
  /// - Throws: `DecodingError` when there are more than 254 bounds, or the categories
  ///   are not distinct non-negative codes, at most 255 of them.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let categories = try container.decodeIfPresent([Int].self, forKey: .categories) {
      guard categories.count <= BinMapper.maximumValueBins,
        categories.allSatisfy({ $0 >= 0 && $0 < BinMapper.categoryCodeLimit }),
        Set(categories).count == categories.count
      else {
        throw DecodingError.dataCorruptedError(
          forKey: .categories, in: container,
          debugDescription: "categories must be at most 255 distinct codes in 0..<\(BinMapper.categoryCodeLimit)")
      }
      self.init(categories: categories)
      return
    }
    let bounds = try container.decode([Double].self, forKey: .upperBounds)
    guard bounds.count < BinMapper.maximumValueBins else {
      throw DecodingError.dataCorruptedError(
        forKey: .upperBounds, in: container, debugDescription: "\(bounds.count) bounds; at most 254")
    }
    self.init(upperBounds: bounds)
  }

  /// Encodes the bounds, or the categories of a categorical feature.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: The encoder's errors.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(upperBounds, forKey: .upperBounds)
    try container.encodeIfPresent(categories, forKey: .categories)
  }

  /// Finds the bins of a categorical feature: one per category code, most frequent first
  /// (ties by smaller code, for determinism), keeping at most `maxCategories` codes seen
  /// at least ``minimumCategoryCount`` times.
  ///
  /// - Parameters:
  ///   - values: The feature's values: non-negative integer codes; NaN and negative
  ///     values are missing. A sample is enough.
  ///   - maxCategories: The most categories with a bin of their own, 1…255.
  /// - Returns: A categorical mapper.
  /// - Throws: ``GradientBoostingError`` when a value is not an integer, or a code is not
  ///   below ``categoryCodeLimit``.
  /// - Complexity: O(n + c log c) for `n` values and `c` distinct codes.
  public static func fitCategorical(_ values: some Sequence<Double>, maxCategories: Int) throws -> BinMapper {
    var counts: [Int: Int] = [:]
    for value in values where !value.isNaN && value >= 0 {
      guard value.rounded() == value else {
        throw GradientBoostingError(
          "categorical value \(value) is not an integer code; encode categories as 0, 1, 2, … (NaN or a negative value for missing)"
        )
      }
      guard value < Double(categoryCodeLimit) else {
        throw GradientBoostingError(
          "categorical code \(Int(value)) is too large (codes must be below \(categoryCodeLimit)); renumber the categories 0, 1, 2, …"
        )
      }
      counts[Int(value), default: 0] += 1
    }
    let kept = counts.filter { $0.value >= minimumCategoryCount }
      .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .prefix(max(1, min(maxCategories, maximumValueBins)))
      .map(\.key)
    return BinMapper(categories: Array(kept))
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
    if categories != nil { return categoryBin(value) }
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

  /// The bin of a category code: its own, or ``missingBin`` for codes without one
  /// (unseen, rare, negative or non-integer).
  private func categoryBin(_ value: Double) -> UInt8 {
    guard value >= 0, value < Double(categoryBins.count) else { return Self.missingBin }
    let code = Int(value)
    return Double(code) == value ? categoryBins[code] : Self.missingBin
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
