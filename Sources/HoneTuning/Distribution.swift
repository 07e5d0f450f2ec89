import Foundation

/// The range a hyperparameter is drawn from.
public enum Distribution: Codable, Sendable, Hashable {
  /// Real numbers in `low...high`, uniformly or on a log scale, optionally on a grid of
  /// `step` (log scale and step cannot be combined).
  case float(low: Double, high: Double, log: Bool, step: Double?)
  /// Integers in `low...high`, uniformly or on a log scale, in multiples of `step` from `low`.
  case int(low: Int, high: Int, log: Bool, step: Int)
  /// One of a list of choices.
  case categorical([String])

  /// Checks that the range is well formed.
  ///
  /// - Throws: ``TuningError`` for an empty or inverted range, a non-positive bound on a
  ///   log scale, a bad step, or no choices.
  public func validate(name: String) throws {
    switch self {
    case .float(let low, let high, let log, let step):
      guard low.isFinite, high.isFinite, low <= high, (high - low).isFinite else {
        throw TuningError("`\(name)`: the range \(low)...\(high) is empty or not finite")
      }
      if log {
        guard low > 0 else { throw TuningError("`\(name)`: a log-scale range needs low > 0, got \(low)") }
        guard step == nil else { throw TuningError("`\(name)`: a log-scale range cannot have a step") }
      }
      if let step {
        guard step > 0, step.isFinite else { throw TuningError("`\(name)`: the step must be positive, got \(step)") }
        // The samplers count the grid's points in a Double, and find a value's point by
        // division: both need the count exact.
        guard (high - low) / step <= Self.maximumStepCount else {
          throw TuningError(
            "`\(name)`: the step \(step) makes more than 2^53 points of \(low)...\(high); use a larger step or none")
        }
      }
    case .int(let low, let high, let log, let step):
      guard low <= high else { throw TuningError("`\(name)`: the range \(low)...\(high) is empty") }
      guard step >= 1 else { throw TuningError("`\(name)`: the step must be at least 1, got \(step)") }
      // The samplers count the grid's points; that count must be an Int.
      let (span, overflow) = high.subtractingReportingOverflow(low)
      guard !overflow, span < Int.max else {
        throw TuningError("`\(name)`: the range \(low)...\(high) is too wide to count; narrow it or use a float")
      }
      if log {
        guard low >= 1 else { throw TuningError("`\(name)`: a log-scale integer range needs low ≥ 1, got \(low)") }
        guard step == 1 else { throw TuningError("`\(name)`: a log-scale integer range cannot have a step") }
      }
    case .categorical(let choices):
      guard !choices.isEmpty else { throw TuningError("`\(name)`: a categorical parameter needs at least one choice") }
      guard Set(choices).count == choices.count else { throw TuningError("`\(name)`: the choices repeat") }
    }
  }

  /// The distribution's only value, when it has one: a range with `low == high` (or one
  /// grid point), a single choice. Samplers are not asked about such a parameter, as in
  /// Optuna; its zero-width kernels would make every density NaN.
  public var singleValue: ParameterValue? {
    switch self {
    case .float(let low, let high, _, let step):
      if low == high { return .double(low) }
      if let step, Self.stepCount(low: low, high: high, step: step) == 0 { return .double(low) }
      return nil
    case .int(let low, let high, _, let step):
      return high - low < step ? .int(low) : nil
    case .categorical(let choices):
      return choices.count == 1 ? choices.first.map { .string($0) } : nil
    }
  }

  /// `value` as the distribution holds it — an integer for a real parameter as that
  /// real, a whole real for an integer parameter as that integer, a number for a
  /// categorical one as its text (the choices of `suggestCategorical("layers", [1, 2, 3])`
  /// are "1", "2", "3") — when it lies in the distribution; `nil` otherwise. How given
  /// values (enqueued, added, typed on a command line) are taken.
  public func accepting(_ value: ParameterValue) -> ParameterValue? {
    let converted: ParameterValue =
      switch (value, self) {
      case (.int(let i), .float): .double(Double(i))
      case (.double(let d), .int) where d.rounded() == d && abs(d) < 9e15: .int(Int(d))
      case (.int(let i), .categorical(let choices)):
        .string(choices.contains(String(i)) ? String(i) : Double(i).description)
      case (.double(let d), .categorical): .string(d.description)
      default: value
      }
    return contains(converted) ? converted : nil
  }

  /// Whether `value` lies in the distribution (on its grid, for steps).
  public func contains(_ value: ParameterValue) -> Bool {
    switch (self, value) {
    case (.float(let low, let high, _, let step), .double(let x)):
      guard x >= low, x <= high else { return false }
      guard let step else { return true }
      let k = ((x - low) / step).rounded()
      return abs(low + k * step - x) <= Self.gridTolerance(low: low, high: high, step: step)
    case (.int(let low, let high, _, let step), .int(let x)):
      return x >= low && x <= high && (x - low) % step == 0
    case (.categorical(let choices), .string(let x)):
      return choices.contains(x)
    default:
      return false
    }
  }

  /// Every value of a discrete distribution, in order: each choice, each integer step,
  /// each step of a float range with a `step` (its last point the last one in range).
  ///
  /// - Parameters:
  ///   - name: The parameter's name, for errors.
  ///   - limit: The most points to list.
  /// - Throws: ``TuningError`` for a float range without a step or more than `limit` points.
  public func gridPoints(name: String, limit: Int = 100_000) throws -> [ParameterValue] {
    let count: Int
    switch self {
    case .categorical(let choices): count = choices.count
    case .int(let low, let high, _, let step):
      let (span, overflow) = high.subtractingReportingOverflow(low)
      count = overflow ? Int.max : span / step + 1
    case .float(let low, let high, _, let step):
      guard let step else {
        throw TuningError("`\(name)`: a grid search needs a step on a float range; add `step:` or use a choice")
      }
      let steps = Self.stepCount(low: low, high: high, step: step)
      count = steps < Double(limit) ? Int(steps) + 1 : Int.max
    }
    guard count <= limit else {
      throw TuningError(
        "`\(name)`: \(self) has more than \(limit) grid points; use a larger step, a list of choices or another sampler"
      )
    }
    return (0..<count).map { k in
      switch self {
      case .categorical(let choices): .string(choices[k])
      case .int(let low, _, _, let step): .int(low + k * step)
      case .float(let low, let high, _, let step): .double(Swift.min(high, low + Double(k) * (step ?? 0)))
      }
    }
  }

  /// The number of steps from `low` to the grid's last point in `low...high`: the
  /// largest k with low + k·step ≤ high, to the tolerance ``contains(_:)`` allows, so a
  /// `high` on the grid counts even when the division rounds just below it (0.3 / 0.1).
  static func stepCount(low: Double, high: Double, step: Double) -> Double {
    let k = ((high - low) / step).rounded()
    return low + k * step <= high + gridTolerance(low: low, high: high, step: step) ? k : k - 1
  }

  /// How far a value may be from a grid point of a stepped float range and still be that
  /// point: a billionth of the step (decimal steps are not exact in binary), plus a few
  /// units in the last place of the range's largest magnitude (the rounding of low + k·step).
  /// Scaled by the step, not by the value: a tolerance relative to the value let an
  /// off-grid 700000000.5 into `0...1e9` with step 1, and a range of width 1e-9 keep a
  /// point past its end.
  static func gridTolerance(low: Double, high: Double, step: Double) -> Double {
    1e-9 * step + 4 * Swift.max(abs(low), abs(high)).ulp
  }

  /// The most steps a float range may hold: 2^53, the last count a Double holds exactly.
  static let maximumStepCount = 9_007_199_254_740_992.0

  /// The value at position `u ∈ [0, 1)` of the distribution's internal (log or linear)
  /// scale, snapped to the grid: the map samplers use to turn unit numbers into values.
  func value(atUnit u: Double) -> ParameterValue {
    switch self {
    case .float(let low, let high, let log, let step):
      if log {
        // exp(log(x)) can land an ulp outside the range.
        let x = Foundation.exp(Foundation.log(low) + u * (Foundation.log(high) - Foundation.log(low)))
        return .double(Swift.min(high, Swift.max(low, x)))
      }
      let x = low + u * (high - low)
      guard let step else { return .double(Swift.min(x, high)) }
      let count = Self.stepCount(low: low, high: high, step: step)
      // A grid point computed an ulp past `high` (0.1 · 3 > 0.3) is `high`.
      return .double(Swift.min(high, low + Swift.min(count, (u * (count + 1)).rounded(.down)) * step))
    case .int(let low, let high, let log, let step):
      if log {
        let x = Foundation.exp(
          Foundation.log(Double(low) - 0.5) + u
            * (Foundation.log(Double(high) + 0.5) - Foundation.log(Double(low) - 0.5)))
        return .int(Swift.min(high, Swift.max(low, Int(x.rounded()))))
      }
      let count = (high - low) / step
      return .int(low + Swift.min(count, Int((u * Double(count + 1)).rounded(.down))) * step)
    case .categorical(let choices):
      return .string(choices[Swift.min(choices.count - 1, Int(u * Double(choices.count)))])
    }
  }

  /// The position of `value` on the internal scale (the inverse of ``value(atUnit:)`` up
  /// to snapping): where samplers build densities.
  func internalValue(_ value: ParameterValue) -> Double {
    switch (self, value) {
    case (.float(_, _, let log, _), .double(let x)): return log ? Foundation.log(x) : x
    case (.int(_, _, let log, _), .int(let x)): return log ? Foundation.log(Double(x)) : Double(x)
    case (.categorical(let choices), .string(let x)): return Double(choices.firstIndex(of: x) ?? 0)
    default: return .nan
    }
  }

  /// The internal-scale bounds of a numeric distribution (widened by half a step for
  /// discrete ranges so every grid point has an equal share).
  var internalBounds: (low: Double, high: Double) {
    switch self {
    case .float(let low, let high, let log, let step):
      if log { return (Foundation.log(low), Foundation.log(high)) }
      guard let step else { return (low, high) }
      // The grid's last point, not `high`, bounds a stepped range (as Optuna adjusts it).
      return (low - step / 2, low + Self.stepCount(low: low, high: high, step: step) * step + step / 2)
    case .int(let low, let high, let log, let step):
      if log { return (Foundation.log(Double(low) - 0.5), Foundation.log(Double(high) + 0.5)) }
      // The grid's last point, not `high`, bounds the range when the step does not divide it.
      return (Double(low) - Double(step) / 2, Double(high - (high - low) % step) + Double(step) / 2)
    case .categorical(let choices): return (0, Double(choices.count))
    }
  }

  /// The value nearest to the internal-scale point `x`, inside the range and on its grid.
  func value(atInternal x: Double) -> ParameterValue {
    switch self {
    case .float(let low, let high, let log, let step):
      let v = log ? Foundation.exp(x) : x
      guard let step else { return .double(Swift.min(high, Swift.max(low, v))) }
      // Clamped to the grid's ends, so a point past the last grid point below `high`
      // takes that point rather than `high`, which is off the grid.
      let k = Swift.min(Self.stepCount(low: low, high: high, step: step), Swift.max(0, ((v - low) / step).rounded()))
      return .double(Swift.min(high, low + k * step))
    case .int(let low, let high, let log, let step):
      let v = log ? Foundation.exp(x) : x
      // Grid steps from `low`, clamped while still a Double: near Int.max the top of the
      // range (`high + ½` on the internal scale) is 2⁶³, which no Int holds.
      let last = (high - low) / step
      let k = ((v - Double(low)) / Double(step)).rounded()
      let steps = !(k > 0) ? 0 : k >= Double(last) ? last : Int(k)
      return .int(low + steps * step)
    case .categorical(let choices):
      let index = !(x > 0) ? 0 : x >= Double(choices.count - 1) ? choices.count - 1 : Int(x)
      return .string(choices[index])
    }
  }
}

/// A sampled hyperparameter value.
public enum ParameterValue: Codable, Sendable, Hashable, CustomStringConvertible {
  /// A real number.
  case double(Double)
  /// An integer.
  case int(Int)
  /// A categorical choice.
  case string(String)

  /// The value as text (`0.01`, `255`, `gbdt`).
  public var description: String {
    switch self {
    case .double(let x): x.description
    case .int(let x): String(x)
    case .string(let x): x
    }
  }
}

/// An error from defining or running a study: what and how to fix it.
public struct TuningError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
