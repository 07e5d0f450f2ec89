import HoneCore

/// The Sobol low-discrepancy sequence (Sobol' 1967) with Joe & Kuo's direction numbers
/// (Joe & Kuo 2008), in Gray-code order as SciPy's `qmc.Sobol` draws it, optionally
/// scrambled.
///
/// Point `i` is computed directly from the Gray code of `i`, so any point can be drawn
/// without its predecessors — which is what lets a sampler tie point `i` to trial `i`.
/// The first `2^m` points of every dimension put exactly one point in each interval
/// `[k/2^m, (k+1)/2^m)`, scrambled or not.
///
/// ```swift
/// let sobol = try SobolSequence(dimensions: 3, scrambling: .owen, seed: 7)
/// let u = sobol.point(5)   // three numbers in [0, 1)
/// ```
public struct SobolSequence: Sendable, Equatable {
  /// How the points are randomised.
  public enum Scrambling: String, Codable, Sendable, CaseIterable {
    /// The plain sequence; its first point is the origin.
    case none
    /// Each dimension's digits are XOR-ed with one random word (a digital shift, Owen 1995's
    /// simplest randomisation): cheap, and every net stays a net.
    case digitalShift
    /// Nested uniform (Owen 1995) scrambling, each digit flipped by a hash of the digits
    /// above it (Laine & Karras 2011's permutation as Burley 2020 applies it): unbiased
    /// points that keep the net structure and break the sequence's lattice patterns.
    case owen
  }

  /// The dimensions the table covers (Joe & Kuo's first 64).
  public static let maximumDimensions = sobolDirectionNumbers.count + 1
  /// Bits per coordinate: the sequence repeats after `2^32` points.
  static let bits = 32

  /// The number of coordinates of each point.
  public let dimensions: Int
  /// The randomisation.
  public let scrambling: Scrambling
  /// Direction numbers `v_{d,j}`, one row of `bits` words per dimension.
  private let directions: [[UInt32]]
  /// Per-dimension shift words or hash seeds, from the seed.
  private let keys: [UInt32]

  /// Creates the sequence.
  ///
  /// - Parameters:
  ///   - dimensions: Coordinates per point, in `1...maximumDimensions`.
  ///   - scrambling: The randomisation. Default none.
  ///   - seed: Seeds the scrambling; ignored without one.
  /// - Throws: ``TuningError`` for a dimension count outside the table.
  public init(dimensions: Int, scrambling: Scrambling = .none, seed: UInt64 = 0) throws {
    guard dimensions >= 1, dimensions <= Self.maximumDimensions else {
      throw TuningError(
        "a Sobol sequence has 1 to \(Self.maximumDimensions) dimensions (Joe & Kuo's table as committed), got \(dimensions); sample the rest at random"
      )
    }
    self.dimensions = dimensions
    self.scrambling = scrambling
    var rows: [[UInt32]] = []
    for d in 0..<dimensions { rows.append(Self.directionNumbers(dimension: d)) }
    directions = rows
    var mixer = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
    keys = (0..<dimensions).map { _ in UInt32(truncatingIfNeeded: mixer.next() >> 32) }
  }

  /// Point `index` (taken modulo `2^32`), each coordinate in `[0, 1)`.
  ///
  /// - Parameter index: The position in the sequence, from 0.
  /// - Returns: `dimensions` coordinates.
  public func point(_ index: Int) -> [Double] {
    let i = UInt32(truncatingIfNeeded: index)
    let gray = i ^ (i >> 1)
    return (0..<dimensions).map { d in
      var x: UInt32 = 0
      var bits = gray
      var j = 0
      while bits != 0 {
        if bits & 1 == 1 { x ^= directions[d][j] }
        bits >>= 1
        j += 1
      }
      switch scrambling {
      case .none: break
      case .digitalShift: x ^= keys[d]
      case .owen: x = Self.nestedUniformScramble(x, seed: keys[d])
      }
      return Double(x) / 4_294_967_296
    }
  }

  /// Coordinate `dimension` of point `index` of the sequence in `dimension + 1` or more
  /// dimensions, randomised with `scrambling` keyed by `key` instead of a key from a seed:
  /// what a caller that draws one coordinate at a time, with its own key, needs (the TPE
  /// sampler's space-filling start, where parameters appear one by one).
  ///
  /// - Parameters:
  ///   - index: The position in the sequence, from 0 (taken modulo `2^32`).
  ///   - dimension: The coordinate, in `0..<maximumDimensions`.
  ///   - scrambling: The randomisation.
  ///   - key: The shift word or hash seed of that coordinate.
  /// - Returns: A number in `[0, 1)`.
  static func coordinate(_ index: Int, dimension: Int, scrambling: Scrambling, key: UInt32) -> Double {
    let directions = directionNumbers(dimension: dimension)
    let i = UInt32(truncatingIfNeeded: index)
    var bits = i ^ (i >> 1)
    var x: UInt32 = 0
    var j = 0
    while bits != 0 {
      if bits & 1 == 1 { x ^= directions[j] }
      bits >>= 1
      j += 1
    }
    switch scrambling {
    case .none: break
    case .digitalShift: x ^= key
    case .owen: x = nestedUniformScramble(x, seed: key)
    }
    return Double(x) / 4_294_967_296
  }

  /// Dimension `d`'s direction numbers `v_j = m_j · 2^(32 − j)`, the `m_j` beyond the
  /// initial ones from the recurrence of the dimension's primitive polynomial (Bratley & Fox
  /// 1988, in Joe & Kuo's formulation).
  static func directionNumbers(dimension d: Int) -> [UInt32] {
    var v = [UInt32](repeating: 0, count: bits)
    guard d > 0 else {
      for j in 0..<bits { v[j] = 1 << UInt32(bits - 1 - j) }
      return v
    }
    let row = sobolDirectionNumbers[d - 1]
    let s = row.degree
    for j in 0..<Swift.min(s, bits) { v[j] = row.initial[j] << UInt32(bits - 1 - j) }
    if s < bits {
      for j in s..<bits {
        var value = v[j - s] ^ (v[j - s] >> UInt32(s))
        for k in 1..<s where (row.coefficients >> UInt32(s - 1 - k)) & 1 == 1 { value ^= v[j - k] }
        v[j] = value
      }
    }
    return v
  }

  /// Owen scrambling by hashing: reversing the bits turns "each digit depends on the
  /// digits above it" into "each bit depends on the bits below it", which additions and
  /// multiplications by even constants provide (Burley 2020, "Practical hash-based Owen
  /// scrambling", with Laine & Karras's permutation).
  static func nestedUniformScramble(_ x: UInt32, seed: UInt32) -> UInt32 {
    var y = x.bitReversed
    y = y &+ seed
    y ^= y &* 0x6C50_B47C
    y ^= y &* 0xB82F_1E52
    y ^= y &* 0xC7AF_E638
    y ^= y &* 0x8D22_F6E6
    return y.bitReversed
  }
}

extension UInt32 {
  /// The bits in reverse order.
  fileprivate var bitReversed: UInt32 {
    var x = self
    x = ((x >> 1) & 0x5555_5555) | ((x & 0x5555_5555) << 1)
    x = ((x >> 2) & 0x3333_3333) | ((x & 0x3333_3333) << 2)
    x = ((x >> 4) & 0x0F0F_0F0F) | ((x & 0x0F0F_0F0F) << 4)
    x = ((x >> 8) & 0x00FF_00FF) | ((x & 0x00FF_00FF) << 8)
    return (x >> 16) | (x << 16)
  }
}
