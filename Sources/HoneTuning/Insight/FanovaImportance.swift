import Foundation
import HoneCore

/// How much of the objective's variation one hyperparameter explains.
public struct ParameterImportance: Codable, Sendable, Equatable {
  /// The parameter's name.
  public var name: String
  /// Its share of the explained variation; the shares of one evaluation sum to 1.
  public var importance: Double
  /// The spread of the share across the forest's trees, on the scale of ``importance``
  /// (0 for a single tree).
  public var standardDeviation: Double

  /// Creates an importance record.
  ///
  /// - Parameters:
  ///   - name: The parameter's name.
  ///   - importance: Its normalised share.
  ///   - standardDeviation: The spread of the share across trees.
  public init(name: String, importance: Double, standardDeviation: Double) {
    self.name = name
    self.importance = importance
    self.standardDeviation = standardDeviation
  }
}

/// Hyperparameter importance by functional ANOVA over a random forest (Hutter, Hoos &
/// Leyton-Brown 2014, "An Efficient Approach for Assessing Hyperparameter Importance").
///
/// A small seeded forest of regression trees learns the objective from the completed
/// trials, with each parameter mapped to the unit interval of its distribution's internal
/// scale (logarithmic for log ranges; categories as equal-width cells in choice order).
/// For each tree the main effect of a parameter is the variance of the tree's marginal in
/// that parameter — computed exactly from the leaf boxes — divided by the tree's total
/// variance. The shares are averaged over the trees and normalised to sum to 1, as
/// Optuna's `FanovaImportanceEvaluator` reports them.
///
/// ```swift
/// let importances = try FanovaImportance(seed: 1).evaluate(study.trials)
/// for p in importances { print(p.name, p.importance) }
/// ```
public struct FanovaImportance: Sendable {
  /// The number of trees in the forest.
  public var treeCount: Int
  /// The deepest level a tree may grow to.
  public var maxDepth: Int
  /// The fewest trials in a leaf.
  public var minSamplesLeaf: Int
  /// The seed of the bootstrap draws; the same seed gives the same importances.
  public var seed: UInt64

  /// Creates an evaluator.
  ///
  /// The defaults follow Optuna's evaluator (64 trees, depth 64, one trial per leaf).
  ///
  /// - Parameters:
  ///   - treeCount: The number of trees (at least 1).
  ///   - maxDepth: The deepest level (at least 1).
  ///   - minSamplesLeaf: The fewest trials per leaf (at least 1).
  ///   - seed: The seed of the bootstrap samples.
  public init(treeCount: Int = 64, maxDepth: Int = 64, minSamplesLeaf: Int = 1, seed: UInt64 = 0) {
    self.treeCount = treeCount
    self.maxDepth = maxDepth
    self.minSamplesLeaf = minSamplesLeaf
    self.seed = seed
  }

  /// The importance of each parameter that every completed trial sampled.
  ///
  /// Only complete trials with a finite value count. With `parameters` left `nil`, a
  /// parameter a conditional space sampled in some trials only, or whose range depended
  /// on another parameter's value, is left out. The shares do not depend on the
  /// objective's units: the values are centred and scaled before the trees are grown, and
  /// values that differ by less than 1e-12 of the largest count as equal.
  ///
  /// - Parameters:
  ///   - trials: The study's trials (any states).
  ///   - parameters: The parameters to rate; `nil` rates every parameter common to all
  ///     completed trials.
  /// - Returns: One record per parameter, most important first (ties by name). When the
  ///   forest explains no variation at all — every trial scored the same — every share is 0.
  /// - Throws: ``TuningError`` when the settings are out of range, fewer than two trials
  ///   completed, or a requested parameter is missing from some completed trial.
  /// - Complexity: `O(trees · d · n log n · depth)` for `n` trials and `d` parameters.
  public func evaluate(_ trials: [FrozenTrial], parameters: [String]? = nil) throws -> [ParameterImportance] {
    guard treeCount >= 1, maxDepth >= 1, minSamplesLeaf >= 1 else {
      throw TuningError(
        "fANOVA needs treeCount, maxDepth and minSamplesLeaf of at least 1, got \(treeCount), \(maxDepth), \(minSamplesLeaf)"
      )
    }
    let design = try ImportanceDesign(trials: trials, parameters: parameters)
    let n = design.targets.count
    var shares = Array(repeating: [Double](), count: design.names.count)
    // One generator per tree, seeded by the next output of a SplitMix64 stream from the
    // seed: each tree is reproducible on its own, and seeds `s` and `s + 1` share no tree.
    var seeds = SplitMix64(seed: seed)
    for _ in 0..<treeCount {
      var generator = Xoshiro256StarStar(seed: seeds.next())
      let rows = (0..<n).map { _ in generator.nextInt(below: n) }
      let fitted = LeafBoxTree(
        points: design.points, targets: design.targets, rows: rows, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
        generator: &generator)
      let total = fitted.totalVariance
      // A tree that found nothing to explain (a bootstrap of equal values) says nothing
      // about any parameter; Optuna skips such trees too.
      guard total > 0 else { continue }
      for feature in design.names.indices {
        shares[feature].append(fitted.marginalVariance(feature: feature) / total)
      }
    }
    let means = shares.map { $0.isEmpty ? 0 : $0.reduce(0, +) / Double($0.count) }
    let deviations = zip(shares, means).map { values, mean in
      values.count < 2 ? 0 : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
    let sum = means.reduce(0, +)
    let scale = sum > 0 ? 1 / sum : 0
    let records = design.names.indices.map {
      ParameterImportance(
        name: design.names[$0], importance: means[$0] * scale, standardDeviation: deviations[$0] * scale)
    }
    return records.sorted { $0.importance != $1.importance ? $0.importance > $1.importance : $0.name < $1.name }
  }
}

/// Completed trials as points in the unit cube: the input every importance estimate shares.
struct ImportanceDesign {
  let names: [String]
  let distributions: [Distribution]
  let points: [[Double]]
  let targets: [Double]

  init(trials: [FrozenTrial], parameters: [String]?) throws {
    let completed = trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
      .sorted { $0.number < $1.number }
    guard completed.count >= 2, let first = completed.first else {
      throw TuningError(
        "importance needs at least two completed trials with finite values, got \(completed.count): run more trials")
    }
    let names: [String]
    if let parameters {
      for name in parameters where first.distributions[name] == nil {
        throw TuningError(
          "parameter `\(name)` is not in the completed trials; available: \(first.distributions.keys.sorted().joined(separator: ", "))"
        )
      }
      names = parameters
    } else {
      // The intersection search space, as Optuna's: parameters every completed trial
      // sampled from the same distribution. One whose range depended on another's value
      // (`y` in 0...x) is left out rather than leaving too few trials to rate the rest.
      names = first.distributions.keys.sorted().filter { name in
        let distribution = first.distributions[name]
        return completed.allSatisfy { $0.parameters[name] != nil && $0.distributions[name] == distribution }
      }
    }
    let distributions = names.compactMap { first.distributions[$0] }
    let usable = completed.filter { trial in
      zip(names, distributions).allSatisfy { name, distribution in
        trial.distributions[name] == distribution && trial.parameters[name] != nil
      }
    }
    if parameters != nil, usable.count < completed.count {
      throw TuningError(
        "\(completed.count - usable.count) completed trials lack one of \(names.joined(separator: ", ")) or used another range for it; rate only parameters every trial sampled"
      )
    }
    guard usable.count >= 2 else {
      throw TuningError("importance needs at least two completed trials sharing the parameters, got \(usable.count)")
    }
    self.names = names
    self.distributions = distributions
    self.points = usable.map { trial in
      zip(names, distributions).map { name, distribution in
        trial.parameters[name].map { distribution.unitPosition($0) } ?? 0.5
      }
    }
    // Centred and scaled to at most 1 in size: the shares do not change, and the trees'
    // split test — relative to the targets' squares, with an absolute floor — then sees
    // the spread whatever the units (values of 1e-9 stopped the trees at the root) and
    // no square overflows (values of 1e160 gave NaN).
    let values = usable.compactMap(\.value)
    let size = values.reduce(0) { Swift.max($0, abs($1)) }
    let unit = size > 0 ? values.map { $0 / size } : values
    let mean = unit.reduce(0, +) / Double(unit.count)
    let centred = unit.map { $0 - mean }
    // Values that differ only by rounding (0.3 and 0.1 + 0.2) scored the same: scaling
    // their difference up would turn it into an effect.
    let spread = centred.reduce(0) { Swift.max($0, abs($1)) }
    self.targets = spread > 1e-12 ? centred.map { $0 / spread } : centred.map { _ in 0 }
  }
}

extension Distribution {
  /// Where `value` sits on the unit interval of the internal scale: `0` is the low end,
  /// `1` the high end; choice `i` of `k` sits at the centre of cell `i`, `(i + ½) / k`.
  ///
  /// - Parameter value: A value of this distribution.
  /// - Returns: The position, clamped to `[0, 1]`; 0.5 for a value of the wrong kind.
  public func unitPosition(_ value: ParameterValue) -> Double {
    if case .categorical(let choices) = self {
      guard case .string(let x) = value, let index = choices.firstIndex(of: x) else { return 0.5 }
      return (Double(index) + 0.5) / Double(choices.count)
    }
    let x = internalValue(value)
    let (low, high) = internalBounds
    guard x.isFinite else { return 0.5 }
    guard high > low else { return 0.5 }
    return Swift.min(1, Swift.max(0, (x - low) / (high - low)))
  }
}
