/// The SplitMix64 generator (Steele, Lea & Flood 2014): a 64-bit state advanced by a
/// constant, scrambled by two multiply-xorshift rounds.
///
/// It is fast and passes BigCrush, and it is the recommended way to expand one 64-bit
/// seed into the larger state of ``Xoshiro256StarStar``. Its output is fixed by the
/// algorithm, so a seed gives the same stream on every platform and Swift version.
public struct SplitMix64: SeededRandomNumberGenerator {
  /// The current state.
  public private(set) var state: UInt64

  /// Creates a generator whose first output derives from `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
