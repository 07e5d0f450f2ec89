/// A node of a tree while it grows: splits are on bin codes, and leaves remember their
/// rows (a range of the grower's row array).
struct GrowerNode: Equatable {
  /// The split feature, or -1 for a leaf.
  var feature = -1
  /// Bins `0...bin` go left.
  var bin = 0
  var missingGoesLeft = false
  var left = -1
  var right = -1
  /// The leaf value, learning rate included (leaves only).
  var value = 0.0
  /// The split's gain (internal nodes only).
  var gain = 0.0
  var count = 0
  var sumHessian = 0.0

  var isLeaf: Bool { feature < 0 }
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
/// the depth limit, or no split with a positive gain remains.
///
/// Each leaf's rows are kept contiguous: the row indices, their row-major bin codes and
/// their gradient pairs are partitioned stably together on every split, so the histogram
/// kernel streams a leaf's codes and pairs in order with no gather. Only the smaller child's histogram is built;
/// the larger one's is the parent's minus it.
struct TreeGrower {
  var finder: SplitFinder
  var maxLeaves: Int
  /// The depth limit, or `Int.max`.
  var maxDepth: Int
  var learningRate: Double
  var threads: Int

  private struct Leaf {
    var node: Int
    var start: Int
    var count: Int
    var depth: Int
    var sums: NodeSums
    var histogram: Histogram?
    var best: SplitCandidate?
  }

  /// Grows a tree on `sample` (row indices into `data`, `nil` for all rows in order) with
  /// gradient–hessian pairs `pairs` (one per row of `data`), splitting only on `features`.
  func grow(
    data: BinnedDataset, pairs: [SIMD2<Float>], sample: [Int32]?, features: [Int]
  ) -> GrownTree {
    let n = data.rowCount
    // Codes are moved in whole 64-bit words: `p` is the padded row stride.
    let p = data.rowStride
    let words = p / 8
    var rows = sample ?? (0..<Int32(n)).map { $0 }
    let m = rows.count
    // The sample's codes and pairs in leaf order, and scratch space for partitions.
    var codes = [UInt8](repeating: 0, count: m * p)
    var orderedPairs = [SIMD2<Float>](repeating: .zero, count: m)
    data.rowCodes.withUnsafeBufferPointer { source in
      codes.withUnsafeMutableBufferPointer { target in
        if sample == nil {
          _ = target.initialize(from: source)
        } else {
          for (k, row) in rows.enumerated() {
            (target.baseAddress! + k * p).update(from: source.baseAddress! + Int(row) * p, count: p)
          }
        }
      }
    }
    for (k, row) in rows.enumerated() { orderedPairs[k] = pairs[Int(row)] }
    var scratchRows = [Int32](repeating: 0, count: m)
    var scratchCodes = [UInt8](repeating: 0, count: m * p)
    var scratchPairs = [SIMD2<Float>](repeating: .zero, count: m)
    var pool: [Histogram] = []
    let valueBins = data.mappers.map(\.valueBinCount)

    func makeHistogram(start: Int, count: Int) -> Histogram {
      var histogram = pool.popLast() ?? Histogram(featureCount: data.featureCount)
      codes.withUnsafeBufferPointer { c in
        orderedPairs.withUnsafeBufferPointer { g in
          histogram.build(
            codes: c.baseAddress! + start * p, featureCount: p, count: count, pairs: g.baseAddress! + start,
            features: features, threads: threads)
        }
      }
      return histogram
    }

    func bestSplit(_ histogram: Histogram, _ sums: NodeSums, depth: Int) -> SplitCandidate? {
      guard depth < maxDepth, sums.count >= 2 * finder.minDataInLeaf else { return nil }
      var perFeature = [SplitCandidate?](repeating: nil, count: features.count)
      perFeature.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let out = slots
        // Split finding is ~256 steps per feature: threads only pay off for wide data.
        parallelFor(count: features.count, threads: features.count >= 64 ? threads : 1) { index in
          let j = features[index]
          out[index] = finder.bestSplit(histogram: histogram, feature: j, valueBins: valueBins[j], total: sums)
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
    for pair in orderedPairs {
      total.gradient += Double(pair.x)
      total.hessian += Double(pair.y)
    }
    var nodes = [GrowerNode(value: finder.leafValue(total) * learningRate, count: m, sumHessian: total.hessian)]
    let rootHistogram = makeHistogram(start: 0, count: m)
    var leaves = [
      Leaf(
        node: 0, start: 0, count: m, depth: 0, sums: total, histogram: rootHistogram,
        best: bestSplit(rootHistogram, total, depth: 0))
    ]

    while leaves.count < maxLeaves {
      var chosen = -1
      for (index, leaf) in leaves.enumerated() {
        if let gain = leaf.best?.gain, chosen < 0 || gain > (leaves[chosen].best?.gain ?? -.infinity) {
          chosen = index
        }
      }
      guard chosen >= 0, let split = leaves[chosen].best else { break }
      let parent = leaves[chosen]

      // Stable partition of the parent's rows, codes and pairs: left ones compacted in
      // place (a row only moves backwards), right ones via scratch, then copied after.
      var leftCount = 0
      rows.withUnsafeMutableBufferPointer { r in
        codes.withUnsafeMutableBufferPointer { c in
          orderedPairs.withUnsafeMutableBufferPointer { g in
            scratchRows.withUnsafeMutableBufferPointer { sr in
              scratchCodes.withUnsafeMutableBufferPointer { sc in
                scratchPairs.withUnsafeMutableBufferPointer { sg in
                  let cb = c.baseAddress!
                  let scb = sc.baseAddress!
                  var rightCount = 0
                  for k in parent.start..<(parent.start + parent.count) {
                    let code = cb[k * p + split.feature]
                    let goesLeft = code == BinMapper.missingBin ? split.missingGoesLeft : Int(code) <= split.bin
                    if goesLeft {
                      let target = parent.start + leftCount
                      if target != k {
                        r[target] = r[k]
                        g[target] = g[k]
                        Self.copyRow(cb + k * p, to: cb + target * p, words: words)
                      }
                      leftCount += 1
                    } else {
                      sr[rightCount] = r[k]
                      sg[rightCount] = g[k]
                      Self.copyRow(cb + k * p, to: scb + rightCount * p, words: words)
                      rightCount += 1
                    }
                  }
                  let base = parent.start + leftCount
                  (r.baseAddress! + base).update(from: sr.baseAddress!, count: rightCount)
                  (g.baseAddress! + base).update(from: sg.baseAddress!, count: rightCount)
                  (cb + base * p).update(from: scb, count: rightCount * p)
                }
              }
            }
          }
        }
      }

      let leftNode = nodes.count
      nodes.append(
        GrowerNode(
          value: finder.leafValue(split.left) * learningRate, count: split.left.count,
          sumHessian: split.left.hessian))
      nodes.append(
        GrowerNode(
          value: finder.leafValue(split.right) * learningRate, count: split.right.count,
          sumHessian: split.right.hessian))
      nodes[parent.node].feature = split.feature
      nodes[parent.node].bin = split.bin
      nodes[parent.node].missingGoesLeft = split.missingGoesLeft
      nodes[parent.node].left = leftNode
      nodes[parent.node].right = leftNode + 1
      nodes[parent.node].gain = split.gain
      nodes[parent.node].value = 0

      var left = Leaf(
        node: leftNode, start: parent.start, count: leftCount, depth: parent.depth + 1, sums: split.left,
        histogram: nil, best: nil)
      var right = Leaf(
        node: leftNode + 1, start: parent.start + leftCount, count: parent.count - leftCount,
        depth: parent.depth + 1, sums: split.right, histogram: nil, best: nil)
      let canSplit = { (leaf: Leaf) in leaf.depth < maxDepth && leaf.count >= 2 * finder.minDataInLeaf }
      if canSplit(left) || canSplit(right) {
        var larger = parent.histogram ?? makeHistogram(start: parent.start, count: parent.count)
        let leftIsSmaller = left.count <= right.count
        let smallerLeaf = leftIsSmaller ? left : right
        let smaller = makeHistogram(start: smallerLeaf.start, count: smallerLeaf.count)
        larger.subtract(smaller, features: features)
        if leftIsSmaller {
          left.histogram = smaller
          right.histogram = larger
        } else {
          left.histogram = larger
          right.histogram = smaller
        }
        if let h = left.histogram { left.best = bestSplit(h, left.sums, depth: left.depth) }
        if let h = right.histogram { right.best = bestSplit(h, right.sums, depth: right.depth) }
      } else if let h = parent.histogram {
        pool.append(h)
      }
      // A leaf that cannot split gives its histogram back to the pool.
      for index in [0, 1] {
        let leaf = index == 0 ? left : right
        if leaf.best == nil, let h = leaf.histogram {
          pool.append(h)
          if index == 0 { left.histogram = nil } else { right.histogram = nil }
        }
      }
      leaves[chosen] = left
      leaves.append(right)
    }
    return GrownTree(nodes: nodes, rows: rows, leaves: leaves.map { ($0.node, $0.start, $0.count) })
  }

  /// Copies one row of codes as 64-bit words (rows are 8-byte aligned and padded), which
  /// beats a `memmove` call for a few dozen bytes.
  @inline(__always)
  private static func copyRow(_ source: UnsafeMutablePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, words: Int) {
    let from = UnsafeRawPointer(source)
    let to = UnsafeMutableRawPointer(target)
    for w in 0..<words { to.storeBytes(of: from.load(fromByteOffset: w * 8, as: UInt64.self), toByteOffset: w * 8, as: UInt64.self) }
  }
}
