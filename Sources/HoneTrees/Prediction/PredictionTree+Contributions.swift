/// One element of the TreeSHAP path: a feature split on between the root and the current
/// node, the fractions of the path that flow through it when the feature is absent
/// (`zero`, the cover ratio) or present (`one`, 1 or 0 as `x` goes that way), and the
/// permutation weight of subsets of the path's size.
struct ContributionPathElement {
  var feature: Int
  var zero: Double
  var one: Double
  var weight: Double
}

extension PredictionTree {
  /// The tree's expected value: the cover-weighted mean of its leaf values, which is the
  /// prediction with every feature absent under TreeSHAP's path-dependent expectation.
  ///
  /// - Returns: The mean leaf value, or 0 for a tree without covers.
  func expectedValue() -> Double {
    guard covers.count == nodes.count, let rootCover = covers.first, rootCover > 0 else { return 0 }
    var sum = 0.0
    for (index, node) in nodes.enumerated() where node.isLeaf { sum += covers[index] * node.threshold }
    return sum / rootCover
  }

  /// The tree's depth: the longest root-to-leaf path, in splits.
  var depth: Int {
    var deepest = 0
    var stack = [(node: 0, depth: 0)]
    while let (index, depth) = stack.popLast() {
      let node = nodes[index]
      if node.isLeaf {
        deepest = max(deepest, depth)
      } else {
        stack.append((Int(node.left), depth + 1))
        stack.append((Int(node.right), depth + 1))
      }
    }
    return deepest
  }

  /// The number of path elements ``addContributions(row:into:path:)`` needs: every level
  /// of the recursion keeps its own copy of the path, one element longer than its parent's.
  static func pathCapacity(depth: Int) -> Int { (depth + 2) * (depth + 3) / 2 }

  /// Adds the row's exact SHAP values for this tree to `phi` (one slot per feature).
  ///
  /// Algorithm 2 of Lundberg, Erion & Lee (2018), "Consistent individualized feature
  /// attribution for tree ensembles": one walk over the tree that carries, for the unique
  /// features split on above the current node, the proportion of all feature subsets of
  /// each size that reach it, so each leaf credits each feature on its path in
  /// O(depth) instead of enumerating 2^p subsets. A missing value follows the split's
  /// learned default direction, as in prediction.
  ///
  /// - Parameters:
  ///   - row: The row's feature value for feature `j`.
  ///   - phi: Accumulates the contributions; its count is the feature count.
  ///   - path: Scratch of at least ``pathCapacity(depth:)`` elements for this tree.
  /// - Complexity: O(leaves · depth²), no allocation.
  func addContributions(
    row: (Int) -> Double, into phi: UnsafeMutableBufferPointer<Double>,
    path: UnsafeMutableBufferPointer<ContributionPathElement>
  ) {
    guard covers.count == nodes.count, nodes.count > 1 else { return }
    nodes.withUnsafeBufferPointer { nodes in
      covers.withUnsafeBufferPointer { covers in
        recurse(
          node: 0, nodes: nodes, covers: covers, row: row, phi: phi, path: path, start: 0, uniqueDepth: 0,
          zeroFraction: 1, oneFraction: 1, feature: -1)
      }
    }
  }

  // The path of the current call lives at `path[start...start + uniqueDepth]`; children
  // get a copy just after it, so a call's path survives its first child's changes.
  private func recurse(
    node index: Int, nodes: UnsafeBufferPointer<PredictionNode>, covers: UnsafeBufferPointer<Double>,
    row: (Int) -> Double, phi: UnsafeMutableBufferPointer<Double>,
    path: UnsafeMutableBufferPointer<ContributionPathElement>, start: Int, uniqueDepth: Int,
    zeroFraction: Double, oneFraction: Double, feature: Int
  ) {
    var uniqueDepth = uniqueDepth
    let m = UnsafeMutableBufferPointer(rebasing: path[start...])
    Self.extend(m, uniqueDepth: uniqueDepth, zero: zeroFraction, one: oneFraction, feature: feature)
    let node = nodes[index]
    if node.isLeaf {
      // Element 0 is the root's placeholder (feature -1), so features start at 1.
      if uniqueDepth > 0 {
        for i in 1...uniqueDepth {
          let weight = Self.unwoundSum(m, uniqueDepth: uniqueDepth, index: i)
          let element = m[i]
          phi[element.feature] += weight * (element.one - element.zero) * node.threshold
        }
      }
      return
    }
    let splitFeature = Int(node.feature)
    let x = row(splitFeature)
    let goesLeft = goesLeft(node, x)
    let hot = Int(goesLeft ? node.left : node.right)
    let cold = Int(goesLeft ? node.right : node.left)

    // A feature split on again further down keeps one path element: undo its earlier
    // extension and carry its fractions into this split, so it is counted once.
    var incomingZero = 1.0
    var incomingOne = 1.0
    var previous = -1
    var k = 1
    while k <= uniqueDepth, previous < 0 {
      if m[k].feature == splitFeature { previous = k }
      k += 1
    }
    if previous >= 0 {
      incomingZero = m[previous].zero
      incomingOne = m[previous].one
      Self.unwind(m, uniqueDepth: uniqueDepth, index: previous)
      uniqueDepth -= 1
    }
    let cover = covers[index]
    let hotZero = cover > 0 ? covers[hot] / cover : 0
    let coldZero = cover > 0 ? covers[cold] / cover : 0
    let childStart = start + uniqueDepth + 1
    // The row follows `hot`, so only there is the feature's "present" fraction nonzero.
    // A branch no training row and not this row reaches adds nothing, and skipping it
    // avoids dividing by its zero fractions when unwinding.
    if hotZero * incomingZero != 0 || incomingOne != 0 {
      for k in 0...uniqueDepth { path[childStart + k] = m[k] }
      recurse(
        node: hot, nodes: nodes, covers: covers, row: row, phi: phi, path: path, start: childStart,
        uniqueDepth: uniqueDepth + 1, zeroFraction: hotZero * incomingZero, oneFraction: incomingOne,
        feature: splitFeature)
    }
    if coldZero * incomingZero != 0 {
      for k in 0...uniqueDepth { path[childStart + k] = m[k] }
      recurse(
        node: cold, nodes: nodes, covers: covers, row: row, phi: phi, path: path, start: childStart,
        uniqueDepth: uniqueDepth + 1, zeroFraction: coldZero * incomingZero, oneFraction: 0,
        feature: splitFeature)
    }
  }

  /// Grows the path by one element and updates the subset-size weights: each old weight
  /// splits between subsets that leave the new feature out (scaled by `zero`) and those
  /// that include it (scaled by `one`), with the Shapley factor for the new size.
  private static func extend(
    _ m: UnsafeMutableBufferPointer<ContributionPathElement>, uniqueDepth: Int, zero: Double, one: Double,
    feature: Int
  ) {
    m[uniqueDepth] = ContributionPathElement(
      feature: feature, zero: zero, one: one, weight: uniqueDepth == 0 ? 1 : 0)
    let size = Double(uniqueDepth + 1)
    var i = uniqueDepth - 1
    while i >= 0 {
      m[i + 1].weight += one * m[i].weight * Double(i + 1) / size
      m[i].weight = zero * m[i].weight * Double(uniqueDepth - i) / size
      i -= 1
    }
  }

  /// Removes element `index` from the path, inverting ``extend`` for its fractions.
  private static func unwind(_ m: UnsafeMutableBufferPointer<ContributionPathElement>, uniqueDepth: Int, index: Int) {
    let one = m[index].one
    let zero = m[index].zero
    let size = Double(uniqueDepth + 1)
    var next = m[uniqueDepth].weight
    var i = uniqueDepth - 1
    while i >= 0 {
      if one != 0 {
        let saved = m[i].weight
        m[i].weight = next * size / (Double(i + 1) * one)
        next = saved - m[i].weight * zero * Double(uniqueDepth - i) / size
      } else {
        m[i].weight = m[i].weight * size / (zero * Double(uniqueDepth - i))
      }
      i -= 1
    }
    for k in index..<uniqueDepth {
      m[k].feature = m[k + 1].feature
      m[k].zero = m[k + 1].zero
      m[k].one = m[k + 1].one
    }
  }

  /// The total weight the path would have without element `index`: ``unwind`` without
  /// changing the path, which is all a leaf needs.
  private static func unwoundSum(
    _ m: UnsafeMutableBufferPointer<ContributionPathElement>, uniqueDepth: Int, index: Int
  ) -> Double {
    let one = m[index].one
    let zero = m[index].zero
    let size = Double(uniqueDepth + 1)
    var next = m[uniqueDepth].weight
    var total = 0.0
    var i = uniqueDepth - 1
    while i >= 0 {
      if one != 0 {
        let weight = next * size / (Double(i + 1) * one)
        total += weight
        next = m[i].weight - weight * zero * Double(uniqueDepth - i) / size
      } else {
        total += m[i].weight * size / (zero * Double(uniqueDepth - i))
      }
      i -= 1
    }
    return total
  }
}
