/// The xoshiro256** generator (Blackman & Vigna 2018): 256 bits of state, period 2²⁵⁶ − 1,
/// and ``jump()`` for independent parallel streams.
///
/// Hone's default generator for anything stochastic (shuffles, subsampling,
/// initialisation). The state is seeded from one 64-bit seed through ``SplitMix64``, as
/// the authors recommend, so nearby seeds give unrelated streams.
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 42)
/// let u = rng.nextUnitDouble()        // in [0, 1)
/// let k = rng.nextInt(below: 10)      // in 0..<10, unbiased
/// ```
public struct Xoshiro256StarStar: SeededRandomNumberGenerator {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator from a 64-bit seed, expanded by ``SplitMix64``.
  public init(seed: UInt64) {
    var expander = SplitMix64(seed: seed)
    s0 = expander.next()
    s1 = expander.next()
    s2 = expander.next()
    s3 = expander.next()
  }

  /// Creates a generator from a full 256-bit state, or `nil` when the state is all
  /// zeros, the one state the generator cannot leave.
  public init?(state: (UInt64, UInt64, UInt64, UInt64)) {
    guard state != (0, 0, 0, 0) else { return nil }
    (s0, s1, s2, s3) = state
  }

  /// The current 256-bit state.
  public var state: (UInt64, UInt64, UInt64, UInt64) { (s0, s1, s2, s3) }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// Advances the state by 2¹²⁸ steps, as if ``next()`` were called that often.
  ///
  /// Calling `jump()` k times on copies of one generator gives k non-overlapping streams
  /// for parallel workers.
  public mutating func jump() {
    let table: [UInt64] = [0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C]
    var (a, b, c, d): (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    for word in table {
      for bit in 0..<64 {
        if word & (1 << UInt64(bit)) != 0 {
          a ^= s0
          b ^= s1
          c ^= s2
          d ^= s3
        }
        _ = next()
      }
    }
    (s0, s1, s2, s3) = (a, b, c, d)
  }

  private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
