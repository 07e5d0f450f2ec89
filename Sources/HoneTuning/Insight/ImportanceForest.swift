import HoneCore

/// A regression tree over points in the unit cube, kept as its leaves: each leaf is a box
/// and a constant, which is all an exact functional ANOVA of the tree needs.
struct LeafBoxTree: Sendable {
  /// One leaf: the box `[low[j], high[j]]` per feature and the mean target inside it.
  struct Leaf: Sendable {
    var low: [Double]
    var high: [Double]
    var value: Double
  }

  var leaves: [Leaf]

  /// The leaf's volume; boxes partition the unit cube, so the volumes sum to one.
  static func volume(_ leaf: Leaf) -> Double {
    var v = 1.0
    for j in leaf.low.indices { v *= leaf.high[j] - leaf.low[j] }
    return v
  }

  /// Grows a tree by exhaustive variance-reduction splits at midpoints between
  /// neighbouring distinct values, as scikit-learn's `DecisionTreeRegressor` does with
  /// every feature considered at each split — in an order drawn afresh at each node, so
  /// that of two features splitting equally well (a parameter and a copy of it) neither
  /// wins by its name.
  ///
  /// - Parameters:
  ///   - points: `points[i][j]`, feature `j` of sample `i`, in `[0, 1]`.
  ///   - targets: The objective value per sample.
  ///   - rows: The samples (with repeats, for a bootstrap) the tree sees.
  ///   - maxDepth: The deepest level a split may create.
  ///   - minSamplesLeaf: The fewest samples either side of a split.
  ///   - generator: Draws the order features are tried in at each node.
  init(
    points: [[Double]], targets: [Double], rows: [Int], maxDepth: Int, minSamplesLeaf: Int,
    generator: inout Xoshiro256StarStar
  ) {
    let dimension = points.first?.count ?? 0
    var leaves: [Leaf] = []
    // An explicit stack instead of recursion: depth is bounded by `maxDepth` but the
    // order (left before right) must stay fixed for determinism either way.
    var stack: [(rows: [Int], low: [Double], high: [Double], depth: Int)] = [
      (rows, Array(repeating: 0, count: dimension), Array(repeating: 1, count: dimension), 0)
    ]
    while let node = stack.popLast() {
      let mean = node.rows.reduce(0) { $0 + targets[$1] } / Double(max(node.rows.count, 1))
      // Fisher–Yates on our own draws: the standard library's shuffle may change its
      // algorithm between releases, and the importances must not.
      var order = Array(0..<dimension)
      for k in stride(from: dimension - 1, to: 0, by: -1) { order.swapAt(k, generator.nextInt(below: k + 1)) }
      guard node.depth < maxDepth, node.rows.count >= 2 * minSamplesLeaf,
        let split = Self.bestSplit(
          points: points, targets: targets, rows: node.rows, features: order, minSamplesLeaf: minSamplesLeaf)
      else {
        leaves.append(Leaf(low: node.low, high: node.high, value: mean))
        continue
      }
      var leftHigh = node.high
      leftHigh[split.feature] = split.threshold
      var rightLow = node.low
      rightLow[split.feature] = split.threshold
      let left = node.rows.filter { points[$0][split.feature] <= split.threshold }
      let right = node.rows.filter { points[$0][split.feature] > split.threshold }
      stack.append((right, rightLow, node.high, node.depth + 1))
      stack.append((left, node.low, leftHigh, node.depth + 1))
    }
    self.leaves = leaves
  }

  /// The split with the largest drop in squared error, or `nil` when no split lowers it
  /// (all targets equal, or all points equal). Features are tried in the order given; of
  /// equally good splits the first found is kept.
  private static func bestSplit(
    points: [[Double]], targets: [Double], rows: [Int], features: [Int], minSamplesLeaf: Int
  ) -> (feature: Int, threshold: Double)? {
    let n = rows.count
    let total = rows.reduce(0) { $0 + targets[$1] }
    let totalSquares = rows.reduce(0) { $0 + targets[$1] * targets[$1] }
    let parentError = totalSquares - total * total / Double(n)
    // Relative guard: a node whose targets differ only by rounding is a leaf.
    guard parentError > 1e-12 * max(1, totalSquares) else { return nil }
    var best: (gain: Double, feature: Int, threshold: Double)?
    for feature in features {
      let order = rows.sorted { points[$0][feature] < points[$1][feature] }
      var leftSum = 0.0
      for position in 0..<(n - 1) {
        leftSum += targets[order[position]]
        let here = points[order[position]][feature]
        let next = points[order[position + 1]][feature]
        let leftCount = position + 1
        guard next > here, leftCount >= minSamplesLeaf, n - leftCount >= minSamplesLeaf else { continue }
        let rightSum = total - leftSum
        // Maximising this is minimising the children's summed squared error.
        let gain = leftSum * leftSum / Double(leftCount) + rightSum * rightSum / Double(n - leftCount)
        if best.map({ gain > $0.gain * (1 + 1e-12) }) ?? true {
          best = (gain, feature, (here + next) / 2)
        }
      }
    }
    guard let best, best.gain - total * total / Double(n) > 1e-12 * max(1, totalSquares) else { return nil }
    return (best.feature, best.threshold)
  }

  /// The variance of the tree over the uniform measure on the unit cube.
  var totalVariance: Double {
    var mean = 0.0
    var meanSquare = 0.0
    for leaf in leaves {
      let v = Self.volume(leaf)
      mean += v * leaf.value
      meanSquare += v * leaf.value * leaf.value
    }
    return max(0, meanSquare - mean * mean)
  }

  /// The variance of the tree's marginal in `feature` — the tree averaged over every other
  /// feature — which is the main-effect variance of functional ANOVA (Hutter, Hoos &
  /// Leyton-Brown 2014, eq. 2–3).
  ///
  /// The marginal is piecewise constant between the tree's thresholds on `feature`: a leaf
  /// adds `value · volume / width` on its own interval. A sweep over the sorted interval
  /// ends adds every leaf once, so the cost is `O(L log L)` for `L` leaves.
  func marginalVariance(feature: Int) -> Double {
    var events: [(at: Double, delta: Double)] = []
    events.reserveCapacity(2 * leaves.count)
    var mean = 0.0
    for leaf in leaves {
      let width = leaf.high[feature] - leaf.low[feature]
      guard width > 0 else { continue }
      let volume = Self.volume(leaf)
      mean += volume * leaf.value
      let height = leaf.value * volume / width
      events.append((leaf.low[feature], height))
      events.append((leaf.high[feature], -height))
    }
    events.sort { $0.at < $1.at }
    var variance = 0.0
    var level = 0.0
    var index = 0
    while index < events.count {
      let at = events[index].at
      while index < events.count, events[index].at == at {
        level += events[index].delta
        index += 1
      }
      guard index < events.count else { break }
      let width = events[index].at - at
      variance += width * (level - mean) * (level - mean)
    }
    return variance
  }
}
