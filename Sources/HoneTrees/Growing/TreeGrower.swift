/// A node of a tree while it grows: splits are on bin codes, and leaves remember their
/// rows (a range of the grower's row array).
struct GrowerNode: Equatable {
  /// The split feature, or -1 for a leaf.
  var feature = -1
  /// Bins `0...bin` go left.
  var bin = 0
  var missingGoesLeft = false
  /// For a categorical split, the bins going left (every other bin, missing included,
  /// goes right); `nil` for a threshold split.
  var categories: BinSet?
  var left = -1
  var right = -1
  /// The leaf value, learning rate included (leaves only).
  var value = 0.0
  /// The split's gain (internal nodes only).
  var gain = 0.0
  var count = 0
  var sumHessian = 0.0

  var isLeaf: Bool { feature < 0 }

  /// Whether a row with bin code `code` on ``feature`` goes left.
  @inline(__always)
  func goesLeft(_ code: UInt8) -> Bool {
    if let categories { return categories.contains(code) }
    return code == BinMapper.missingBin ? missingGoesLeft : Int(code) <= bin
  }
}

/// A grown tree: its nodes, and for each leaf the rows of the training sample it holds.
struct GrownTree {
  var nodes: [GrowerNode]
  /// The sample's rows, grouped by leaf: leaf `node` holds `rows[start ..< start + count]`.
  var rows: [Int32]
  var leaves: [(node: Int, start: Int, count: Int)]
}

/// Grows one tree leaf-wise (best-first, Ke et al. 2017 §2.1 "leaf-wise tree growth"):
/// always split the leaf whose best split lowers the loss most, until `maxLeaves` leaves,
/// the depth limit, or no split with a positive gain remains. Depth-wise
/// (``TreeGrowth/depthWise``, XGBoost's default policy) differs only in which leaf goes
/// next: the shallowest splittable one, the largest gain first within a level, so a tree
/// fills level by level and `maxLeaves` cuts the deepest level rather than a branch.
///
/// Each leaf's rows are kept contiguous: the row indices, their row-major bin codes and
/// their gradient pairs are partitioned stably together on every split, so the histogram
/// kernel streams a leaf's codes and pairs in order with no gather. Only the smaller child's histogram is built;
/// the larger one's is the parent's minus it.
///
/// Monotone constraints use LightGBM's basic method: every leaf carries bounds on its
/// output; a split on a constrained feature whose children's outputs go the wrong way is
/// rejected, and an accepted one caps the left child's outputs and floors the right
/// child's (or the reverse for a decreasing constraint) at the midpoint of the two, so
/// every leaf below one side stays on its side of every leaf below the other.
struct TreeGrower {
  var finder: SplitFinder
  var maxLeaves: Int
  /// The depth limit, or `Int.max`.
  var maxDepth: Int
  var growth: TreeGrowth
  var learningRate: Double
  var threads: Int

  /// The grower `hyperparameters` describe, building histograms on `threads` threads.
  init(_ hyperparameters: GradientBoostingHyperparameters, threads: Int) {
    finder = SplitFinder(hyperparameters)
    maxLeaves = hyperparameters.maxLeaves
    maxDepth = hyperparameters.maxDepth > 0 ? hyperparameters.maxDepth : Int.max
    growth = hyperparameters.growth
    learningRate = hyperparameters.learningRate
    self.threads = threads
  }

  private struct Leaf {
    var node: Int
    /// Which of the two planes holds the leaf's rows.
    var plane: Int
    var start: Int
    var count: Int
    var depth: Int
    var sums: NodeSums
    /// The range the leaf's outputs, and its descendants', must stay in.
    var bounds: OutputBounds
    var histogram: Histogram?
    var best: SplitCandidate?
  }

  /// Grows a tree on `sample` (row indices into `data`, `nil` for all rows in order) with
  /// gradient–hessian pairs `pairs` (one per row of `data`), splitting only on `features`.
  func grow(
    data: BinnedDataset, pairs: [SIMD2<Float>], sample: [Int32]?, features: [Int], workspace: GrowerWorkspace
  ) -> GrownTree {
    data.rowCodes.withUnsafeBufferPointer { source in
      pairs.withUnsafeBufferPointer { allPairs in
        grow(data: data, source: source, pairs: allPairs, sample: sample, features: features, workspace: workspace)
      }
    }
  }

  private func grow(
    data: BinnedDataset, source: UnsafeBufferPointer<UInt8>, pairs allPairs: UnsafeBufferPointer<SIMD2<Float>>,
    sample: [Int32]?, features: [Int], workspace: GrowerWorkspace
  ) -> GrownTree {
    let n = data.rowCount
    // Codes are moved in whole 64-bit words: `p` is the padded row stride.
    let p = data.rowStride
    let m = sample?.count ?? n
    // Planes 0 and 1 are the workspace's double buffer: a leaf's rows sit contiguously in
    // one plane, and a split writes its children into the other, so a partition is one
    // pass with no copy back. Plane 2 is the data itself, read in place by the root when
    // every row is used (it is never written).
    guard let codeBase = source.baseAddress, let pairBase = allPairs.baseAddress else {
      return GrownTree(nodes: [GrowerNode()], rows: [], leaves: [])
    }
    let planes =
      workspace.planes + [
        (
          rows: workspace.identity, codes: UnsafeMutablePointer(mutating: codeBase),
          pairs: UnsafeMutablePointer(mutating: pairBase)
        )
      ]
    let rootPlane: Int
    if let sample {
      rootPlane = 0
      let first = planes[0]
      for (k, row) in sample.enumerated() {
        first.rows[k] = row
        first.pairs[k] = allPairs[Int(row)]
        Self.copyRow(codeBase + Int(row) * p, to: first.codes + k * p, words: p / 8)
      }
    } else {
      rootPlane = 2
    }
    let valueBins = data.mappers.map(\.valueBinCount)
    let categorical = data.mappers.map(\.isCategorical)

    func makeHistogram(plane: Int, start: Int, count: Int) -> Histogram {
      var histogram = workspace.pool.popLast() ?? Histogram(featureCount: data.featureCount)
      histogram.build(
        codes: planes[plane].codes + start * p, featureCount: p, count: count, pairs: planes[plane].pairs + start,
        features: features, threads: threads)
      return histogram
    }

    func bestSplit(_ histogram: Histogram, _ leaf: Leaf) -> SplitCandidate? {
      let (sums, depth, bounds) = (leaf.sums, leaf.depth, leaf.bounds)
      guard depth < maxDepth, sums.count >= 2 * finder.minDataInLeaf else { return nil }
      var perFeature = [SplitCandidate?](repeating: nil, count: features.count)
      perFeature.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let out = slots
        // Split finding is ~256 steps per feature: threads only pay off for wide data.
        parallelFor(count: features.count, threads: features.count >= 64 ? threads : 1) { index in
          let j = features[index]
          out[index] =
            categorical[j]
            ? finder.bestCategoricalSplit(
              histogram: histogram, feature: j, valueBins: valueBins[j], total: sums, bounds: bounds)
            : finder.bestSplit(histogram: histogram, feature: j, valueBins: valueBins[j], total: sums, bounds: bounds)
        }
      }
      // Ties go to the lowest feature index, in a fixed order, for determinism.
      var best: SplitCandidate?
      for candidate in perFeature {
        if let candidate, candidate.gain > (best?.gain ?? -.infinity) { best = candidate }
      }
      return best
    }

    var total = NodeSums(gradient: 0, hessian: 0, count: m)
    for k in 0..<m {
      total.gradient += Double(planes[rootPlane].pairs[k].x)
      total.hessian += Double(planes[rootPlane].pairs[k].y)
    }
    let rootOutput = finder.leafValue(total)
    var nodes = [GrowerNode(value: rootOutput * learningRate, count: m, sumHessian: total.hessian)]
    let rootHistogram = makeHistogram(plane: rootPlane, start: 0, count: m)
    var root = Leaf(
      node: 0, plane: rootPlane, start: 0, count: m, depth: 0, sums: total, bounds: OutputBounds(),
      histogram: rootHistogram, best: nil)
    root.best = bestSplit(rootHistogram, root)
    var leaves = [root]

    while leaves.count < maxLeaves {
      // The first leaf in the policy's order wins a tie, for determinism.
      var chosen = -1
      for (index, leaf) in leaves.enumerated() {
        guard let gain = leaf.best?.gain else { continue }
        if chosen < 0 {
          chosen = index
          continue
        }
        let incumbent = leaves[chosen]
        if growth == .depthWise && leaf.depth != incumbent.depth {
          if leaf.depth < incumbent.depth { chosen = index }
        } else if gain > (incumbent.best?.gain ?? -.infinity) {
          chosen = index
        }
      }
      guard chosen >= 0, let split = leaves[chosen].best else { break }
      var parent = leaves[chosen]
      // The parent's histogram becomes the larger child's in place: no other copy of it may
      // stay alive, or subtracting would copy its 140 KB first (copy-on-write).
      leaves[chosen].histogram = nil
      var parentHistogram = parent.histogram.take()

      let childPlane = parent.plane == 0 ? 1 : 0
      let leftCount = split.left.count
      partition(
        start: parent.start, count: parent.count, leftCount: leftCount, split: split, stride: p,
        from: planes[parent.plane], to: planes[childPlane])

      let leftNode = nodes.count
      nodes.append(
        GrowerNode(
          value: split.leftOutput * learningRate, count: split.left.count, sumHessian: split.left.hessian))
      nodes.append(
        GrowerNode(
          value: split.rightOutput * learningRate, count: split.right.count, sumHessian: split.right.hessian))
      nodes[parent.node].feature = split.feature
      nodes[parent.node].bin = split.bin
      nodes[parent.node].missingGoesLeft = split.missingGoesLeft
      nodes[parent.node].categories = split.categories
      nodes[parent.node].left = leftNode
      nodes[parent.node].right = leftNode + 1
      nodes[parent.node].gain = split.gain
      nodes[parent.node].value = 0

      var leftBounds = parent.bounds
      var rightBounds = parent.bounds
      let direction = split.categories == nil ? finder.constraint(split.feature) : 0
      if direction != 0 {
        let middle = (split.leftOutput + split.rightOutput) / 2
        if direction > 0 {
          leftBounds.upper = middle
          rightBounds.lower = middle
        } else {
          leftBounds.lower = middle
          rightBounds.upper = middle
        }
      }
      var left = Leaf(
        node: leftNode, plane: childPlane, start: parent.start, count: leftCount, depth: parent.depth + 1,
        sums: split.left, bounds: leftBounds, histogram: nil, best: nil)
      var right = Leaf(
        node: leftNode + 1, plane: childPlane, start: parent.start + leftCount, count: parent.count - leftCount,
        depth: parent.depth + 1, sums: split.right, bounds: rightBounds, histogram: nil, best: nil)
      let canSplit = { (leaf: Leaf) in leaf.depth < maxDepth && leaf.count >= 2 * finder.minDataInLeaf }
      // The split that fills the leaf budget ends the tree: its children need no histograms
      // (for small trees, as tuning tries, that can be the largest histogram of the tree).
      let lastSplit = leaves.count + 1 >= maxLeaves
      if !lastSplit && (canSplit(left) || canSplit(right)) {
        var larger =
          parentHistogram.take() ?? makeHistogram(plane: parent.plane, start: parent.start, count: parent.count)
        let leftIsSmaller = left.count <= right.count
        let smallerLeaf = leftIsSmaller ? left : right
        let smaller = makeHistogram(plane: childPlane, start: smallerLeaf.start, count: smallerLeaf.count)
        larger.subtract(smaller, features: features)
        if leftIsSmaller {
          left.histogram = smaller
          right.histogram = larger
        } else {
          left.histogram = larger
          right.histogram = smaller
        }
        if let h = left.histogram { left.best = bestSplit(h, left) }
        if let h = right.histogram { right.best = bestSplit(h, right) }
      } else if let h = parentHistogram.take() {
        workspace.pool.append(h)
      }
      // A leaf that cannot split gives its histogram back to the pool.
      for index in [0, 1] {
        let leaf = index == 0 ? left : right
        if leaf.best == nil, let h = leaf.histogram {
          workspace.pool.append(h)
          if index == 0 { left.histogram = nil } else { right.histogram = nil }
        }
      }
      leaves[chosen] = left
      leaves.append(right)
    }
    for leaf in leaves { if let h = leaf.histogram { workspace.pool.append(h) } }
    // Every row is in exactly one leaf; collect them leaf by leaf from their planes.
    var rows = [Int32](repeating: 0, count: m)
    rows.withUnsafeMutableBufferPointer { out in
      guard let base = out.baseAddress else { return }
      for leaf in leaves {
        (base + leaf.start).update(from: planes[leaf.plane].rows + leaf.start, count: leaf.count)
      }
    }
    return GrownTree(nodes: nodes, rows: rows, leaves: leaves.map { ($0.node, $0.start, $0.count) })
  }

  /// Copies one row of codes as 64-bit words (rows are 8-byte aligned and padded), which
  /// beats a `memmove` call for a few dozen bytes.
  @inline(__always)
  private static func copyRow(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, words: Int) {
    let from = UnsafeRawPointer(source)
    let to = UnsafeMutableRawPointer(target)
    if words == 4 {
      // One 32-byte vector move (28–32 features, the common width).
      to.storeBytes(of: from.loadUnaligned(as: SIMD32<UInt8>.self), as: SIMD32<UInt8>.self)
      return
    }
    for w in 0..<words {
      to.storeBytes(of: from.load(fromByteOffset: w * 8, as: UInt64.self), toByteOffset: w * 8, as: UInt64.self)
    }
  }

  /// One plane of the grower's buffers: row indices, row-major codes, gradient pairs.
  typealias Plane = (
    rows: UnsafeMutablePointer<Int32>, codes: UnsafeMutablePointer<UInt8>, pairs: UnsafeMutablePointer<SIMD2<Float>>
  )

  /// Stable partition of the rows `start ..< start + count` of `source` — row indices,
  /// codes and pairs together — into the same range of `target`: the `leftCount` rows
  /// `split` sends left, then the others, each group in its original order.
  ///
  /// `leftCount` is exact (histogram counts are integers, the larger child's by exact
  /// subtraction), so the range can be cut in two halves that write at once: the first
  /// walks forward and writes from the front of each group, the second walks backward
  /// and writes from the back. The cut depends only on `count`, never on the thread
  /// count, and the result is the sequential stable partition either way.
  ///
  /// The loop has no data-dependent branch: the split's side for each of the 256 codes is
  /// looked up in a table made once per split (threshold and categorical splits alike), and
  /// the row goes to the left or right cursor by a mask (a branch on the side cannot be
  /// predicted for a balanced split; the branchless loop took half to four fifths of its time in a
  /// single-core test).
  private func partition(
    start: Int, count: Int, leftCount: Int, split: SplitCandidate, stride p: Int, from source: Plane,
    to target: Plane
  ) {
    let feature = split.feature
    var table = [Int](repeating: 0, count: 256)
    for code in 0..<256 {
      let bin = UInt8(code)
      let left: Bool
      if let categories = split.categories {
        left = categories.contains(bin)
      } else {
        left = bin == BinMapper.missingBin ? split.missingGoesLeft : code <= split.bin
      }
      // -1 (all bits set) for left, 0 for right: a mask for choosing the cursor.
      table[code] = left ? -1 : 0
    }
    let halves = count >= 65_536 ? 2 : 1
    let middle = halves == 2 ? start + count / 2 : start + count
    nonisolated(unsafe) let (source, target) = (source, target)
    table.withUnsafeBufferPointer { table in
      guard let sides = table.baseAddress else { return }
      nonisolated(unsafe) let side = sides
      parallelFor(count: halves, threads: threads) { half in
        let range = half == 0 ? start..<middle : middle..<(start + count)
        // The forward half fills each group from its front, the backward half from its back.
        let cursors = half == 0 ? (start, start + leftCount) : (start + leftCount - 1, start + count - 1)
        Self.move(range, cursors, forward: half == 0, feature, side, source, target, words: p / 8)
      }
    }
  }

  /// Moves the rows of `range` to `target`, each to the next slot of its side's cursor;
  /// `side[code]` is −1 for left and 0 for right. Kept out of line so that its variables
  /// stay in registers (inlined into `grow` they were spilled on every row), with a copy
  /// of the loop for each common row width so the row copy is unrolled.
  @inline(never)
  private static func move(
    _ range: Range<Int>, _ cursors: (left: Int, right: Int), forward: Bool, _ feature: Int,
    _ side: UnsafePointer<Int>, _ source: Plane, _ target: Plane, words: Int
  ) {
    switch words {
    case 1: moveRows(range, cursors, forward: forward, feature, side, source, target, words: 1)
    case 2: moveRows(range, cursors, forward: forward, feature, side, source, target, words: 2)
    case 3: moveRows(range, cursors, forward: forward, feature, side, source, target, words: 3)
    case 4: moveRows(range, cursors, forward: forward, feature, side, source, target, words: 4)
    default: moveRows(range, cursors, forward: forward, feature, side, source, target, words: words)
    }
  }

  @inline(__always)
  private static func moveRows(
    _ range: Range<Int>, _ cursors: (left: Int, right: Int), forward: Bool, _ feature: Int,
    _ side: UnsafePointer<Int>, _ source: Plane, _ target: Plane, words: Int
  ) {
    var (nextLeft, nextRight) = cursors
    let p = words &* 8
    let (sourceRows, sourcePairs, sourceCodes) = (source.rows, source.pairs, source.codes)
    let (targetRows, targetPairs, targetCodes) = (target.rows, target.pairs, target.codes)
    let splitCodes = sourceCodes + feature
    @inline(__always) func step(_ k: Int) -> Int {
      let mask = side[Int(splitCodes[k &* p])]
      let slot = nextRight ^ ((nextLeft ^ nextRight) & mask)
      targetRows[slot] = sourceRows[k]
      targetPairs[slot] = sourcePairs[k]
      copyRow(sourceCodes + k &* p, to: targetCodes + slot &* p, words: words)
      return mask
    }
    if forward {
      for k in range {
        let mask = step(k)
        nextLeft &-= mask
        nextRight &+= 1 &+ mask
      }
    } else {
      for k in range.reversed() {
        let mask = step(k)
        nextLeft &+= mask
        nextRight &-= 1 &+ mask
      }
    }
  }
}

/// Buffers a booster reuses for every tree: the grower's double buffer and its pool of
/// histograms. Allocating the ~70 MB of planes per tree cost page faults on every round.
final class GrowerWorkspace: @unchecked Sendable {
  // @unchecked: the grower is the only user, and writes to disjoint ranges from its threads.
  let planes: [TreeGrower.Plane]
  /// `0, 1, …, n − 1`: the row indices of the data in order.
  let identity: UnsafeMutablePointer<Int32>
  var pool: [Histogram] = []

  init(rows n: Int, stride p: Int) {
    planes = (0..<2).map { _ in
      (
        rows: UnsafeMutablePointer<Int32>.allocate(capacity: n),
        codes: UnsafeMutablePointer<UInt8>.allocate(capacity: n * p),
        pairs: UnsafeMutablePointer<SIMD2<Float>>.allocate(capacity: n)
      )
    }
    identity = UnsafeMutablePointer<Int32>.allocate(capacity: n)
    for k in 0..<n { identity[k] = Int32(k) }
  }

  deinit {
    for plane in planes {
      plane.rows.deallocate()
      plane.codes.deallocate()
      plane.pairs.deallocate()
    }
    identity.deallocate()
  }
}
