import Foundation

/// "Nice" axis ticks: multiples of 1, 2 or 5 times a power of ten that cover the data
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
package struct NiceTicks: Equatable, Sendable {
  /// The tick values, ascending; the first and last bound the axis.
  package let values: [Double]
  /// The distance between neighbouring ticks.
  package let step: Double

  /// The smallest 1-2-5 step whose ticks cover `low...high` in at most `maxCount` ticks.
  ///
  /// The axis runs from the largest tick at or below `low` to the smallest at or above
  /// `high`. An empty range (`low == high`) is widened by half the value's magnitude (or
  /// ±0.5 around zero) so a constant series still gets an axis; non-finite bounds give the
  /// axis `0...1`.
  ///
  /// - Parameters:
  ///   - low: The smallest value to show.
  ///   - high: The largest value to show.
  ///   - maxCount: The most ticks wanted (at least 2).
  ///   - integral: Whether only whole-number steps are allowed (counts, trial numbers).
  package init(low: Double, high: Double, maxCount: Int = 6, integral: Bool = false) {
    (values, step) =
      low.isFinite && high.isFinite
      ? Self.compute(low: low, high: high, maxCount: maxCount, integral: integral)
      : Self.compute(low: 0, high: 1, maxCount: maxCount, integral: integral)
  }

  private static func compute(low: Double, high: Double, maxCount: Int, integral: Bool) -> (
    values: [Double], step: Double
  ) {
    var lo = Swift.min(low, high)
    var hi = Swift.max(low, high)
    if hi - lo <= 1e-12 * Swift.max(abs(lo), abs(hi)) {
      let pad = Swift.max(abs(lo), 1) * 0.5
      lo -= pad
      hi += pad
    }
    let count = Swift.max(2, maxCount)
    let exponent = Int(floor(log10((hi - lo) / Double(count - 1))))
    for power in (exponent - 1)...(exponent + 2) {
      for mantissa in [1.0, 2.0, 5.0] {
        let step = mantissa * pow(10, Double(power))
        if integral && step < 1 { continue }
        // The small slack keeps a bound that is a multiple of the step from spilling
        // into one more tick through rounding (0.6 / 0.2 = 2.9999999999999996).
        let first = (lo / step + 1e-9).rounded(.down)
        let last = (hi / step - 1e-9).rounded(.up)
        guard last - first + 1 <= Double(count) else { continue }
        let decimals = Swift.max(0, -power)
        let scale = pow(10, Double(decimals))
        let values = stride(from: first, through: last, by: 1).map { k in
          let value = (k * step * scale).rounded() / scale
          return value == 0 ? 0 : value
        }
        return (values, step)
      }
    }
    // Unreachable for finite input: a step of 10^(exponent+2) always fits. Kept total.
    return ([lo, hi], hi - lo)
  }

  /// The first tick (the axis minimum).
  package var low: Double { values.first ?? 0 }
  /// The last tick (the axis maximum).
  package var high: Double { values.last ?? 1 }
}

/// A linear map from data values to pixels.
package struct LinearScale: Equatable, Sendable {
  /// The data interval.
  package let domain: (low: Double, high: Double)
  /// The pixel interval `domain` maps onto; `high < low` flips the axis (SVG's y grows
  /// downwards).
  package let range: (low: Double, high: Double)

  /// Creates a scale.
  ///
  /// - Parameters:
  ///   - domain: The data interval (a zero-width one maps everything to the range's middle).
  ///   - range: The pixel interval.
  package init(domain: (Double, Double), range: (Double, Double)) {
    self.domain = domain
    self.range = range
  }

  /// The pixel position of `x`.
  package func callAsFunction(_ x: Double) -> Double {
    let width = domain.high - domain.low
    guard width != 0 else { return (range.low + range.high) / 2 }
    return range.low + (x - domain.low) / width * (range.high - range.low)
  }

  /// Scales are equal when they map the same interval onto the same pixels.
  package static func == (a: LinearScale, b: LinearScale) -> Bool {
    a.domain == b.domain && a.range == b.range
  }
}
