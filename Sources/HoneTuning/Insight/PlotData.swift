import Foundation

/// One trial's point on an optimisation-history plot.
public struct OptimizationHistoryPoint: Codable, Sendable, Equatable {
  /// The trial number.
  public var number: Int
  /// The objective value, for complete trials.
  public var value: Double?
  /// The best complete value up to and including this trial, or `nil` before the first.
  public var bestSoFar: Double?
  /// How the trial ended.
  public var state: FrozenTrial.State

  /// Creates a point.
  ///
  /// - Parameters:
  ///   - number: The trial number.
  ///   - value: The objective value.
  ///   - bestSoFar: The running best.
  ///   - state: The trial's state.
  public init(number: Int, value: Double?, bestSoFar: Double?, state: FrozenTrial.State) {
    self.number = number
    self.value = value
    self.bestSoFar = bestSoFar
    self.state = state
  }
}

/// One axis of a parallel-coordinates plot: a parameter (or the objective) with every
/// trial's position on `[0, 1]` and the ticks to label it.
public struct ParallelCoordinateAxis: Codable, Sendable, Equatable {
  /// A labelled position on the axis.
  public struct Tick: Codable, Sendable, Equatable {
    /// Where on `[0, 1]`.
    public var position: Double
    /// The value shown there.
    public var label: String

    /// Creates a tick.
    ///
    /// - Parameters:
    ///   - position: Where on `[0, 1]`.
    ///   - label: The value shown.
    public init(position: Double, label: String) {
      self.position = position
      self.label = label
    }
  }

  /// The parameter's name, or `"objective"`.
  public var name: String
  /// One position per plotted trial, `nil` where the trial did not sample the parameter
  /// (or sampled it as another kind: a choice on a numeric axis).
  public var positions: [Double?]
  /// The labelled positions.
  public var ticks: [Tick]

  /// Creates an axis.
  ///
  /// - Parameters:
  ///   - name: The axis name.
  ///   - positions: One position per trial.
  ///   - ticks: The labelled positions.
  public init(name: String, positions: [Double?], ticks: [Tick]) {
    self.name = name
    self.positions = positions
    self.ticks = ticks
  }
}

/// The data of a parallel-coordinates plot: one polyline per complete trial across the
/// parameter axes and the objective axis.
public struct ParallelCoordinates: Codable, Sendable, Equatable {
  /// The trial numbers, in the order of every axis's positions.
  public var trialNumbers: [Int]
  /// The objective values, in the same order.
  public var values: [Double]
  /// The parameter axes (by name) followed by the objective axis.
  public var axes: [ParallelCoordinateAxis]

  /// Creates plot data.
  ///
  /// - Parameters:
  ///   - trialNumbers: The trial numbers.
  ///   - values: The objective values.
  ///   - axes: The axes.
  public init(trialNumbers: [Int], values: [Double], axes: [ParallelCoordinateAxis]) {
    self.trialNumbers = trialNumbers
    self.values = values
    self.axes = axes
  }
}

/// Data for the plots a study report draws.
public enum StudyPlots {
  /// Every trial in number order with its value and the running best complete value.
  ///
  /// - Parameters:
  ///   - trials: The trials (any order, any states; those that died with their process,
  ///     and were retried under a later number, are left out).
  ///   - direction: Which values are better.
  /// - Returns: One point per trial kept.
  public static func optimizationHistory(_ trials: [FrozenTrial], direction: Direction)
    -> [OptimizationHistoryPoint]
  {
    var best: Double?
    // A trial that died with its process was run again under a later number: it is not a
    // result of its own.
    return trials.filter { !$0.diedWithProcess }.sorted { $0.number < $1.number }.map { trial in
      let value = trial.state == .complete ? trial.value.flatMap { $0.isFinite ? $0 : nil } : nil
      if let value, best.map({ direction.isBetter(value, than: $0) }) ?? true { best = value }
      return OptimizationHistoryPoint(
        number: trial.number, value: trial.state == .complete ? trial.value : nil, bestSoFar: best, state: trial.state)
    }
  }

  /// Parallel-coordinates data for the complete trials with finite values.
  ///
  /// Parameter positions use ``Distribution/unitPosition(_:)``, so log ranges are spread
  /// evenly in the logarithm; a parameter sampled from ranges that differ between trials
  /// (`y` in `0...x`) gets one axis spanning them all; the objective axis maps the smallest value to 0 and the
  /// largest to 1. Numeric axes get five ticks labelled with the value at each, choice
  /// axes one tick per choice.
  ///
  /// - Parameters:
  ///   - trials: The trials.
  ///   - parameters: The axes to draw; `nil` draws every parameter any complete trial
  ///     sampled, by name.
  /// - Returns: The plot data (no axes but the objective when no trial completed).
  public static func parallelCoordinates(_ trials: [FrozenTrial], parameters: [String]? = nil) -> ParallelCoordinates {
    let completed = trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
      .sorted { $0.number < $1.number }
    var distributions: [String: [Distribution]] = [:]
    for trial in completed {
      for (name, distribution) in trial.distributions where distributions[name]?.contains(distribution) != true {
        distributions[name, default: []].append(distribution)
      }
    }
    let names = parameters ?? distributions.keys.sorted()
    var axes: [ParallelCoordinateAxis] = names.compactMap { name in
      guard let axis = distributions[name].flatMap(Distribution.axis(spanning:)) else { return nil }
      let positions = completed.map { trial -> Double? in
        guard let value = trial.parameters[name], let onAxis = axis.accepting(value) else { return nil }
        return axis.unitPosition(onAxis)
      }
      return ParallelCoordinateAxis(name: name, positions: positions, ticks: axis.axisTicks)
    }
    let values = completed.compactMap(\.value)
    let low = values.min() ?? 0
    let high = values.max() ?? 1
    let span = high - low
    let objectivePositions: [Double?] = values.map { span > 0 ? ($0 - low) / span : 0.5 }
    let objectiveTicks = (0...4).map { step -> ParallelCoordinateAxis.Tick in
      let position = Double(step) / 4
      return .init(position: span > 0 ? position : 0.5, label: shortLabel(low + position * span))
    }
    axes.append(
      ParallelCoordinateAxis(
        name: "objective", positions: objectivePositions, ticks: span > 0 ? objectiveTicks : [objectiveTicks[0]]))
    return ParallelCoordinates(trialNumbers: completed.map(\.number), values: values, axes: axes)
  }

  /// A value with at most four significant digits, as an axis label.
  static func shortLabel(_ x: Double) -> String {
    String(format: "%.4g", x)
  }
}

extension Distribution {
  /// One axis for every range a parameter was sampled from (`y` in `0...x` has one per
  /// value of `x`): the union of the numeric ranges — integer when all are, on a log scale
  /// when all are — or of the choices, in the order first met. Ranges of another kind
  /// than the first's are left off the axis (their trials get no position).
  static func axis(spanning distributions: [Distribution]) -> Distribution? {
    guard let first = distributions.first else { return nil }
    if distributions.count == 1 { return first }
    if case .categorical = first {
      var choices: [String] = []
      for case .categorical(let more) in distributions {
        for choice in more where !choices.contains(choice) { choices.append(choice) }
      }
      return .categorical(choices)
    }
    var low = Double.infinity
    var high = -Double.infinity
    var log = true
    var integer = true
    var intLow = Int.max
    var intHigh = Int.min
    for distribution in distributions {
      switch distribution {
      case .float(let l, let h, let isLog, _):
        (low, high, log, integer) = (Swift.min(low, l), Swift.max(high, h), log && isLog, false)
      case .int(let l, let h, let isLog, _):
        (low, high, log) = (Swift.min(low, Double(l)), Swift.max(high, Double(h)), log && isLog)
        (intLow, intHigh) = (Swift.min(intLow, l), Swift.max(intHigh, h))
      case .categorical:
        continue
      }
    }
    if integer, (try? Distribution.int(low: intLow, high: intHigh, log: log, step: 1).validate(name: "")) != nil {
      return .int(low: intLow, high: intHigh, log: log, step: 1)
    }
    return .float(low: low, high: high, log: log, step: nil)
  }

  /// Axis ticks on the unit interval: five values for numeric ranges (geometric on a log
  /// scale), each choice for categoricals.
  var axisTicks: [ParallelCoordinateAxis.Tick] {
    switch self {
    case .categorical(let choices):
      return choices.enumerated().map {
        .init(position: (Double($0.offset) + 0.5) / Double(choices.count), label: $0.element)
      }
    case .float, .int:
      let (low, high) = internalBounds
      var ticks: [ParallelCoordinateAxis.Tick] = []
      for step in 0...4 {
        let value = self.value(atInternal: low + Double(step) / 4 * (high - low))
        // Narrow integer ranges snap several positions to one value; label it once.
        if ticks.last?.label != value.shortDescription {
          ticks.append(.init(position: unitPosition(value), label: value.shortDescription))
        }
      }
      return ticks
    }
  }
}

extension ParameterValue {
  /// The value as a short label (four significant digits for reals).
  var shortDescription: String {
    if case .double(let x) = self { return StudyPlots.shortLabel(x) }
    return description
  }
}
