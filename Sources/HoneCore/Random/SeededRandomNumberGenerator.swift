import Foundation

/// A random number generator created from a 64-bit seed, whose output is fixed by its
/// algorithm.
///
/// The helpers in this protocol's extension are Hone's own, and deterministic across
/// platforms and Swift versions — unlike the standard library's `Int.random(in:using:)`
/// and `shuffle(using:)`, whose algorithms may change between releases. Use them for
/// anything that must be reproducible.
public protocol SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
  /// Creates a generator from a seed.
  init(seed: UInt64)
}

extension SeededRandomNumberGenerator {
  /// A uniform `Double` in `[0, 1)` with 53 random bits.
  public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in `0..<bound`, without modulo bias (Lemire 2019).
  ///
  /// - Precondition: `bound > 0` (a programming error otherwise, like an empty range).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "nextInt(below:) needs a positive bound")
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold { product = next().multipliedFullWidth(by: range) }
    }
    return Int(product.high)
  }

  /// A standard normal variate (mean 0, variance 1) by the Box–Muller transform.
  public mutating func nextGaussian() -> Double {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    let u1 = 1 - nextUnitDouble()
    let u2 = nextUnitDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// Shuffles `array` in place with the Fisher–Yates algorithm.
  public mutating func shuffle<T>(_ array: inout [T]) {
    var i = array.count - 1
    while i > 0 {
      let j = nextInt(below: i + 1)
      if i != j { array.swapAt(i, j) }
      i -= 1
    }
  }

  /// A random permutation of `0..<count`.
  public mutating func permutation(_ count: Int) -> [Int] {
    var order = Array(0..<count)
    shuffle(&order)
    return order
  }
}
