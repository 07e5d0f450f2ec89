import Foundation
import Synchronization

/// What the TPE sampler keeps between asks: the internal positions of complete trials'
/// parameters, so each finished trial's dictionaries are read once rather than at every
/// ask, and the joint model's sorted orders and kernel normalisers, so an ask that sees
/// one more finished trial inserts it instead of re-sorting and renormalising everything.
///
/// Nothing here can change a choice. A position is used only when the trial handed in has
/// the same parameters and distributions as the one it was made from: the same dictionary
/// storage — which the copies handed out by a store for a finished trial share — checked
/// by reading one word of the trial in place, else equal contents by `==`, so a sampler shared between
/// studies, or a history decoded afresh, still gets correct rows, only without the saving.
/// The joint model is reused only when every trial it holds is still complete in the
/// history with the same value and position; otherwise it is built again from the history.
final class TPEHistoryCache: Sendable {
  /// A class, so checking an entry at every ask retains one reference rather than copying
  /// three fields.
  fileprivate final class Entry: Sendable {
    let parameters: [String: ParameterValue]
    let distributions: [String: Distribution]
    let row: [Double]
    /// The two dictionaries as words — their storage references, which stay unique to that
    /// storage while the entry keeps the dictionaries alive — and where a `FrozenTrial`
    /// holds them; `nil` where a dictionary is not one word or the field has no fixed
    /// offset, and only `==` decides.
    private let words: (parameters: UInt, distributions: UInt, parametersOffset: Int, distributionsOffset: Int)?

    init(parameters: [String: ParameterValue], distributions: [String: Distribution], row: [Double]) {
      self.parameters = parameters
      self.distributions = distributions
      self.row = row
      if MemoryLayout<[String: ParameterValue]>.size == MemoryLayout<UInt>.size,
        MemoryLayout<[String: Distribution]>.size == MemoryLayout<UInt>.size,
        let p = MemoryLayout<FrozenTrial>.offset(of: \.parameters),
        let d = MemoryLayout<FrozenTrial>.offset(of: \.distributions)
      {
        words = (
          withUnsafeBytes(of: parameters) { $0.loadUnaligned(as: UInt.self) },
          withUnsafeBytes(of: distributions) { $0.loadUnaligned(as: UInt.self) }, p, d
        )
      } else {
        words = nil
      }
    }

    /// Whether the trial at `i` holds this entry's dictionaries themselves (the same
    /// storage, so the same contents), read in place: the copies handed out by a store for
    /// a finished trial do, and comparing them with `==` cost a retain and a release of
    /// each dictionary per trial per ask. `false` says nothing; the caller then compares
    /// contents.
    func isShared(by trials: UnsafeBufferPointer<FrozenTrial>, at i: Int) -> Bool {
      guard let words, let base = trials.baseAddress else { return false }
      let trial = UnsafeRawPointer(base + i)
      return trial.loadUnaligned(fromByteOffset: words.parametersOffset, as: UInt.self) == words.parameters
        && trial.loadUnaligned(fromByteOffset: words.distributionsOffset, as: UInt.self) == words.distributions
    }
  }

  fileprivate struct State {
    var names: [String] = []
    var distributions: [Distribution] = []
    /// By trial number.
    var entries: [Entry?] = []
    var model: IncrementalJointModel?
  }

  /// Trial numbers past this are not cached, so a stray huge number cannot allocate.
  fileprivate static let maximumNumber = 1 << 22

  private let state = Mutex(State())

  /// The internal positions of `names` (under `distributions`) for the complete trials at
  /// `complete` in `history`: one column per name, indexed by position in `history`
  /// (other positions hold 0); `nil` when some complete trial lacks one of the names or
  /// has it under another distribution.
  func columns(
    names: [String], distributions: [Distribution], history: [FrozenTrial], complete: [Int]
  ) -> [[Double]]? {
    state.withLock { s in
      s.reset(names: names, distributions: distributions)
      var columns = [[Double]](repeating: [Double](repeating: 0, count: history.count), count: names.count)
      for i in complete {
        guard let row = s.row(of: history, at: i) else { return nil }
        for j in names.indices { columns[j][i] = row[j] }
      }
      return columns
    }
  }

  /// The joint model's "below" and "above" estimators over `names` for the complete trials
  /// at `complete` in `history` (objective values in `values`, by position in `history`),
  /// exactly as ``JointParzenEstimator/init(columns:rows:distributions:trials:bandwidthFactor:)``
  /// builds them from the ranked history (the "below" one's widths times
  /// `belowBandwidthFactor`); `nil` when the history does not fit the incremental model
  /// (a complete trial without one of the names, trial numbers out of order, a non-finite
  /// value or position), and the caller builds the estimators itself.
  ///
  /// - Complexity: O(*n*·*d*) for *n* complete trials and *d* names, plus O(log *n*)
  ///   comparisons and an O(*n*) move per dimension for each trial finished since the
  ///   previous call; a full sort when the kept state does not match the history.
  func jointEstimators(
    names: [String], distributions: [Distribution], direction: Direction, history: [FrozenTrial],
    complete: [Int], values: [Double], belowBandwidthFactor: Double
  ) -> (below: JointParzenEstimator, above: JointParzenEstimator)? {
    state.withLock { s in
      s.reset(names: names, distributions: distributions)
      var numbers: [Int] = []
      numbers.reserveCapacity(complete.count)
      var objectives: [Double] = []
      objectives.reserveCapacity(complete.count)
      for i in complete {
        let number = history[i].number
        // Ties in value rank by position in the history; with numbers ascending that is
        // by number, which is what the kept order uses.
        guard number > (numbers.last ?? -1), number < Self.maximumNumber, values[i].isFinite else { return nil }
        numbers.append(number)
        objectives.append(values[i])
      }
      var model = s.model.take() ?? IncrementalJointModel(direction: direction, dimensions: names.count)
      if model.direction != direction { model = IncrementalJointModel(direction: direction, dimensions: names.count) }
      var fresh: [(number: Int, value: Double, row: [Double])] = []
      var kept = 0
      var stale = false
      for (t, i) in complete.enumerated() {
        guard let row = s.row(of: history, at: i), row.allSatisfy(\.isFinite) else { return nil }
        if model.isPlaced(numbers[t]) {
          // A kept trial whose value or position changed invalidates the kept orders.
          if model.matches(number: numbers[t], value: objectives[t], row: row) {
            kept += 1
          } else {
            stale = true
          }
          continue
        }
        fresh.append((numbers[t], objectives[t], row))
      }
      // A kept trial missing from the history (another study, a rewritten store) too.
      if stale || kept != model.count {
        model = IncrementalJointModel(direction: direction, dimensions: names.count)
        fresh = []
        for (t, i) in complete.enumerated() {
          guard let row = s.row(of: history, at: i) else { return nil }
          fresh.append((numbers[t], objectives[t], row))
        }
      }
      model.place(fresh, distributions: distributions)
      let estimators = model.estimators(
        distributions: distributions, numbersAscending: numbers, belowBandwidthFactor: belowBandwidthFactor)
      s.model = model
      return estimators
    }
  }
}

extension TPEHistoryCache.State {
  /// Forgets everything when the parameter set changes.
  fileprivate mutating func reset(names: [String], distributions: [Distribution]) {
    if self.names != names || self.distributions != distributions {
      self = Self(names: names, distributions: distributions, entries: [], model: nil)
    }
  }

  /// The trial's positions for the kept names, from its entry when the entry was made from
  /// the same parameters, else read from the trial (and kept); `nil` when the trial lacks a
  /// name or has it under another distribution.
  ///
  /// The trial is read in place, by index: passing it by value copied the whole record
  /// (a retain per field) for every trial at every ask.
  fileprivate mutating func row(of history: [FrozenTrial], at i: Int) -> [Double]? {
    let number = history[i].number
    if number >= 0, number < entries.count, let entry = entries[number],
      history.withUnsafeBufferPointer({ entry.isShared(by: $0, at: i) })
        || (entry.parameters == history[i].parameters && entry.distributions == history[i].distributions)
    {
      return entry.row
    }
    var row: [Double] = []
    row.reserveCapacity(names.count)
    for (name, d) in zip(names, distributions) {
      guard history[i].distributions[name] == d, let value = history[i].parameters[name] else { return nil }
      row.append(d.internalValue(value))
    }
    guard number >= 0, number < TPEHistoryCache.maximumNumber else { return row }
    if number >= entries.count {
      entries += [TPEHistoryCache.Entry?](repeating: nil, count: number + 1 - entries.count)
    }
    entries[number] = TPEHistoryCache.Entry(
      parameters: history[i].parameters, distributions: history[i].distributions, row: row)
    return row
  }
}

/// The joint model's orders over the complete trials placed so far, kept sorted as trials
/// arrive: by value (best first) and, per dimension, by position. Ties break the way the
/// rebuild's stable sorts break them: equal values by trial number, equal positions by
/// rank. Both are total orders on distinct trial numbers, so inserting one trial at a
/// time gives the same sequence as sorting all of them.
struct IncrementalJointModel {
  let direction: Direction
  let dimensions: Int
  /// Placed trials best first.
  private(set) var ranked: [Int] = []
  /// Per dimension, the placed trials by position.
  private var byPosition: [[Int]]
  /// By trial number: whether placed, its value and (times `dimensions`) its positions.
  private var placed: [Bool] = []
  private var objectives: [Double] = []
  private var positions: [Double] = []
  /// By trial number times `dimensions`: the bandwidth its kernel last had in that
  /// dimension and the kernel's log normaliser for it (NaN: none yet). A trial's
  /// bandwidth changes only when a neighbour in its group changes, so most asks reuse
  /// the two normal CDFs and the logarithm.
  private var kernelSigmas: [Double] = []
  private var kernelTerms: [Double] = []

  init(direction: Direction, dimensions: Int) {
    self.direction = direction
    self.dimensions = dimensions
    byPosition = [[Int]](repeating: [], count: dimensions)
  }

  /// How many trials are placed.
  var count: Int { ranked.count }

  func isPlaced(_ number: Int) -> Bool { number < placed.count && placed[number] }

  /// Whether the placed trial `number` still has `value` and the positions `row`.
  func matches(number: Int, value: Double, row: [Double]) -> Bool {
    guard objectives[number].bitPattern == value.bitPattern else { return false }
    for j in 0..<dimensions where positions[number * dimensions + j].bitPattern != row[j].bitPattern {
      return false
    }
    return true
  }

  /// Whether `a` ranks before `b`: a better value, or an equal one and a smaller number.
  private func ranksBefore(_ a: Int, _ b: Int) -> Bool {
    let (x, y) = (objectives[a], objectives[b])
    if direction.isBetter(x, than: y) { return true }
    if direction.isBetter(y, than: x) { return false }
    return a < b
  }

  /// Whether `a` comes before `b` in dimension `j`: a smaller position, or an equal one
  /// and a better rank.
  private func positionBefore(_ a: Int, _ b: Int, dimension j: Int) -> Bool {
    let (x, y) = (positions[a * dimensions + j], positions[b * dimensions + j])
    if x < y { return true }
    if y < x { return false }
    return ranksBefore(a, b)
  }

  /// Where `number` goes in `list`, ordered by `before`.
  private func insertionIndex(of number: Int, in list: [Int], _ before: (Int, Int) -> Bool) -> Int {
    var (low, high) = (0, list.count)
    while low < high {
      let mid = (low + high) / 2
      if before(list[mid], number) { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Adds trials not placed yet: one by one into the kept orders when they are few, by
  /// sorting everything when they are many (the same orders either way).
  mutating func place(_ fresh: [(number: Int, value: Double, row: [Double])], distributions: [Distribution]) {
    guard let largest = fresh.map(\.number).max() else { return }
    if largest >= placed.count {
      let grow = largest + 1 - placed.count
      placed += [Bool](repeating: false, count: grow)
      objectives += [Double](repeating: 0, count: grow)
      positions += [Double](repeating: 0, count: grow * dimensions)
      kernelSigmas += [Double](repeating: .nan, count: grow * dimensions)
      kernelTerms += [Double](repeating: 0, count: grow * dimensions)
    }
    for (number, value, row) in fresh {
      placed[number] = true
      objectives[number] = value
      for j in 0..<dimensions {
        positions[number * dimensions + j] = row[j]
        kernelSigmas[number * dimensions + j] = .nan
      }
    }
    let numeric = distributions.indices.filter {
      if case .categorical = distributions[$0] { return false }
      return true
    }
    if fresh.count > 8 {
      let all = ranked + fresh.map(\.number)
      ranked = all.sorted { ranksBefore($0, $1) }
      for j in numeric { byPosition[j] = all.sorted { positionBefore($0, $1, dimension: j) } }
      return
    }
    for (number, _, _) in fresh {
      ranked.insert(number, at: insertionIndex(of: number, in: ranked) { ranksBefore($0, $1) })
      for j in numeric {
        let at = insertionIndex(of: number, in: byPosition[j]) { positionBefore($0, $1, dimension: j) }
        byPosition[j].insert(number, at: at)
      }
    }
  }

  /// The "below" and "above" estimators of the placed trials, as the rebuild makes them;
  /// `numbersAscending` lists the placed trials by number.
  mutating func estimators(
    distributions: [Distribution], numbersAscending: [Int], belowBandwidthFactor: Double
  ) -> (below: JointParzenEstimator, above: JointParzenEstimator) {
    let n = ranked.count
    let belowCount = Swift.min(Int((0.1 * Double(n)).rounded(.up)), 25, n)
    // Each trial's group (1 below, 2 above) and its component index there.
    var group = [UInt8](repeating: 0, count: placed.count)
    var slot = [Int](repeating: 0, count: placed.count)
    for (k, number) in ranked.enumerated() {
      group[number] = k < belowCount ? 1 : 2
      slot[number] = k < belowCount ? k : k - belowCount
    }
    let below = estimator(
      rows: ranked[..<belowCount], group: 1, groups: group, slots: slot, distributions: distributions,
      numbersAscending: numbersAscending, bandwidthFactor: belowBandwidthFactor)
    let above = estimator(
      rows: ranked[belowCount...], group: 2, groups: group, slots: slot, distributions: distributions,
      numbersAscending: numbersAscending, bandwidthFactor: 1)
    return (below, above)
  }

  private mutating func estimator(
    rows: ArraySlice<Int>, group: UInt8, groups: [UInt8], slots: [Int], distributions: [Distribution],
    numbersAscending: [Int], bandwidthFactor: Double
  ) -> JointParzenEstimator {
    let components = rows.count + 1
    let prior = components - 1
    let weights = componentWeights(oldestFirst: numbersAscending.compactMap { groups[$0] == group ? slots[$0] : nil })
    var points = [Double](repeating: 0, count: components * dimensions)
    var sigmas = [Double](repeating: 1, count: components * dimensions)
    var numeric: [Int] = []
    // One dimension's group members by position, and their component indices.
    var sorted = [Double](repeating: 0, count: rows.count)
    var sortedSlots = [Int](repeating: 0, count: rows.count)
    for (j, d) in distributions.enumerated() {
      let base = j * components
      for (k, number) in rows.enumerated() { points[base + k] = positions[number * dimensions + j] }
      if case .categorical = d {
        points[base + prior] = -1
        continue
      }
      numeric.append(j)
      let b = d.internalBounds
      points[base + prior] = (b.low + b.high) / 2
      // Every placed trial is visited in every dimension at every ask: raw buffers, as
      // appending to arrays here cost more than the bandwidths themselves.
      let dimensions = dimensions
      positions.withUnsafeBufferPointer { positions in
        byPosition[j].withUnsafeBufferPointer { order in
          sorted.withUnsafeMutableBufferPointer { sorted in
            sortedSlots.withUnsafeMutableBufferPointer { sortedSlots in
              var t = 0
              for number in order where groups[number] == group && t < sorted.count {
                sorted[t] = positions[number * dimensions + j]
                sortedSlots[t] = slots[number]
                t += 1
              }
            }
          }
        }
      }
      let bandwidths = neighborBandwidths(sorted: sorted, bounds: b)
      for (t, k) in sortedSlots.enumerated() { sigmas[base + k] = bandwidths[t] * bandwidthFactor }
      sigmas[base + prior] = b.high - b.low
    }
    var logConstants = [Double](repeating: 0, count: components)
    let priorTerms = numeric.map { j in
      truncatedKernelLogNormalizer(
        mean: points[j * components + prior], sigma: sigmas[j * components + prior],
        bounds: distributions[j].internalBounds)
    }
    let bounds = distributions.map(\.internalBounds)
    let dimensions = dimensions
    // Raw buffers: in this loop over every component and dimension, the arrays' checks and
    // uniqueness tests cost more than the arithmetic they guard.
    kernelSigmas.withUnsafeMutableBufferPointer { kernelSigmas in
      kernelTerms.withUnsafeMutableBufferPointer { kernelTerms in
        for k in 0..<components {
          var constant = log(weights[k])
          for (t, j) in numeric.enumerated() {
            guard k < prior else {
              constant -= priorTerms[t]
              continue
            }
            let cell = rows[rows.startIndex + k] * dimensions + j
            let sigma = sigmas[j * components + k]
            if kernelSigmas[cell] != sigma {
              kernelSigmas[cell] = sigma
              kernelTerms[cell] = truncatedKernelLogNormalizer(
                mean: points[j * components + k], sigma: sigma, bounds: bounds[j])
            }
            constant -= kernelTerms[cell]
          }
          logConstants[k] = constant
        }
      }
    }
    return JointParzenEstimator(
      points: points, sigmas: sigmas, weights: weights, distributions: distributions, logConstants: logConstants)
  }
}
