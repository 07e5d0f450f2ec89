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
    var workspace = PartitionWorkspace(rows: m, stride: p)
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

      let leftCount = partition(
        start: parent.start, count: parent.count, split: split, stride: p, rows: &rows, codes: &codes,
        pairs: &orderedPairs, workspace: &workspace)

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

  /// Scratch space for ``partition``: each chunk's left and right rows, before they are
  /// copied back in order.
  struct PartitionWorkspace {
    var leftRows: [Int32]
    var rightRows: [Int32]
    var leftCodes: [UInt8]
    var rightCodes: [UInt8]
    var leftPairs: [SIMD2<Float>]
    var rightPairs: [SIMD2<Float>]

    init(rows m: Int, stride p: Int) {
      leftRows = [Int32](repeating: 0, count: m)
      rightRows = leftRows
      leftCodes = [UInt8](repeating: 0, count: m * p)
      rightCodes = leftCodes
      leftPairs = [SIMD2<Float>](repeating: .zero, count: m)
      rightPairs = leftPairs
    }
  }

  /// Stable partition of the rows `start ..< start + count` — row indices, codes and
  /// pairs together — into the rows `split` sends left, then those it sends right.
  ///
  /// Large ranges are cut into one chunk per thread: each chunk splits into its own
  /// scratch, then every chunk copies its left part after the earlier chunks' left parts
  /// and its right part after all left rows. The result is the sequential stable
  /// partition, whatever the thread count.
  ///
  /// - Returns: The number of rows sent left.
  private func partition(
    start: Int, count: Int, split: SplitCandidate, stride p: Int, rows: inout [Int32], codes: inout [UInt8],
    pairs: inout [SIMD2<Float>], workspace: inout PartitionWorkspace
  ) -> Int {
    let chunks = count >= 65_536 ? max(1, threads) : 1
    var lefts = [Int](repeating: 0, count: chunks)
    let words = p / 8
    let feature = split.feature
    let bin = split.bin
    let missingLeft = split.missingGoesLeft
    rows.withUnsafeMutableBufferPointer { r in
      codes.withUnsafeMutableBufferPointer { c in
        pairs.withUnsafeMutableBufferPointer { g in
          workspace.leftRows.withUnsafeMutableBufferPointer { lr in
            workspace.rightRows.withUnsafeMutableBufferPointer { rr in
              workspace.leftCodes.withUnsafeMutableBufferPointer { lc in
                workspace.rightCodes.withUnsafeMutableBufferPointer { rc in
                  workspace.leftPairs.withUnsafeMutableBufferPointer { lg in
                    workspace.rightPairs.withUnsafeMutableBufferPointer { rg in
                      lefts.withUnsafeMutableBufferPointer { leftSlots in
                        nonisolated(unsafe) let (r, c, g, lr, rr, lc, rc, lg, rg) = (r, c, g, lr, rr, lc, rc, lg, rg)
                        nonisolated(unsafe) let leftOut = leftSlots
                        let bounds = { (chunk: Int) in
                          (start + chunk * count / chunks, start + (chunk + 1) * count / chunks)
                        }
                        parallelFor(count: chunks, threads: threads) { chunk in
                          let (lo, hi) = bounds(chunk)
                          var nl = lo
                          var nr = lo
                          let cb = c.baseAddress!
                          for k in lo..<hi {
                            let code = cb[k &* p &+ feature]
                            let goesLeft = code == BinMapper.missingBin ? missingLeft : Int(code) <= bin
                            if goesLeft {
                              lr[nl] = r[k]
                              lg[nl] = g[k]
                              Self.copyRow(cb + k &* p, to: lc.baseAddress! + nl &* p, words: words)
                              nl += 1
                            } else {
                              rr[nr] = r[k]
                              rg[nr] = g[k]
                              Self.copyRow(cb + k &* p, to: rc.baseAddress! + nr &* p, words: words)
                              nr += 1
                            }
                          }
                          leftOut[chunk] = nl - lo
                        }
                        var leftTotal = 0
                        for chunk in 0..<chunks { leftTotal += leftOut[chunk] }
                        parallelFor(count: chunks, threads: threads) { chunk in
                          let (lo, hi) = bounds(chunk)
                          var leftBefore = 0
                          for earlier in 0..<chunk { leftBefore += leftOut[earlier] }
                          let rightBefore = (lo - start) - leftBefore
                          let nl = leftOut[chunk]
                          let nr = (hi - lo) - nl
                          let leftTarget = start + leftBefore
                          let rightTarget = start + leftTotal + rightBefore
                          (r.baseAddress! + leftTarget).update(from: lr.baseAddress! + lo, count: nl)
                          (g.baseAddress! + leftTarget).update(from: lg.baseAddress! + lo, count: nl)
                          (c.baseAddress! + leftTarget * p).update(from: lc.baseAddress! + lo * p, count: nl * p)
                          (r.baseAddress! + rightTarget).update(from: rr.baseAddress! + lo, count: nr)
                          (g.baseAddress! + rightTarget).update(from: rg.baseAddress! + lo, count: nr)
                          (c.baseAddress! + rightTarget * p).update(from: rc.baseAddress! + lo * p, count: nr * p)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return lefts.reduce(0, +)
  }
}
