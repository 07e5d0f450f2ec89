extension SplitFinder {
  /// The best partition of a categorical feature's categories for a leaf, or `nil`.
  ///
  /// LightGBM's method (Ke et al. 2017; Fisher 1958 for why sorting works): with at most
  /// ``maxCategoriesForOneHot`` categories, each category alone against the rest. With
  /// more, the categories with at least ``categoricalSmoothing`` rows are sorted by
  /// `ΣG / (ΣH + categoricalSmoothing)` — for squared error, the smoothed mean residual —
  /// and the left set is a prefix of that order, scanned from either end, of at most
  /// ``maxCategoricalThreshold`` categories (and half of them). For a convex loss the
  /// best two-way partition is such a prefix, so the scan is O(k log k) instead of 2^k.
  /// Sorted splits add ``categoricalL2`` to the L2 penalty, and a step of the scan must
  /// add ``minDataPerGroup`` rows (the right side must keep as many), which keeps small
  /// noisy categories from being split off one by one.
  ///
  /// The missing bin (missing, rare and unseen categories) always goes right, so the
  /// split stored is the set of categories going left.
  func bestCategoricalSplit(
    histogram: Histogram, feature: Int, valueBins: Int, total: NodeSums, bounds: OutputBounds = OutputBounds()
  ) -> SplitCandidate? {
    let base = feature * Histogram.binsPerFeature
    // The parent term is its unbounded optimum under the plain L2 penalty, as LightGBM.
    let parentScore = score(total.gradient, total.hessian)
    var best: SplitCandidate?
    var bestGain = minGainToSplit

    func consider(_ left: NodeSums, l2 penalty: Double, categories: @autoclosure () -> BinSet) {
      let right = NodeSums(
        gradient: total.gradient - left.gradient, hessian: total.hessian - left.hessian, count: total.count - left.count
      )
      let wl = bounds.clamp(-thresholded(left.gradient) / (left.hessian + penalty))
      let wr = bounds.clamp(-thresholded(right.gradient) / (right.hessian + penalty))
      let gain =
        score(left.gradient, left.hessian, output: wl, l2: penalty)
        + score(right.gradient, right.hessian, output: wr, l2: penalty) - parentScore
      if gain > bestGain {
        bestGain = gain
        best = SplitCandidate(
          feature: feature, bin: -1, missingGoesLeft: false, gain: gain, left: left, right: right, leftOutput: wl,
          rightOutput: wr, categories: categories())
      }
    }

    func sums(_ bin: Int) -> NodeSums {
      let s = histogram.sum(base + bin)
      return NodeSums(gradient: s.x, hessian: s.y, count: histogram.count(base + bin))
    }

    if valueBins <= maxCategoriesForOneHot {
      for bin in 0..<valueBins {
        let left = sums(bin)
        let rightCount = total.count - left.count
        let rightHessian = total.hessian - left.hessian
        guard left.count >= minDataInLeaf, left.hessian >= minSumHessian, rightCount >= minDataInLeaf,
          rightHessian >= minSumHessian
        else { continue }
        consider(left, l2: l2, categories: BinSet([bin]))
      }
      return best
    }

    let smoothing = categoricalSmoothing
    let used = (0..<valueBins).filter { bin in
      let count = histogram.count(base + bin)
      return count > 0 && Double(count) >= smoothing
    }
    let ratios = used.map { bin -> Double in
      let s = histogram.sum(base + bin)
      return s.x / (s.y + smoothing)
    }
    // Ties keep the bin order, so the scan does not depend on the sort's stability.
    let order = used.indices.sorted { ratios[$0] != ratios[$1] ? ratios[$0] < ratios[$1] : used[$0] < used[$1] }
      .map { used[$0] }
    let limit = min(maxCategoricalThreshold, (order.count + 1) / 2)
    let penalty = l2 + categoricalL2
    for ascending in [true, false] {
      var left = NodeSums(gradient: 0, hessian: 0, count: 0)
      var groupCount = 0
      for step in 0..<min(limit, order.count) {
        let bin = ascending ? order[step] : order[order.count - 1 - step]
        let s = sums(bin)
        left.gradient += s.gradient
        left.hessian += s.hessian
        left.count += s.count
        groupCount += s.count
        if left.count < minDataInLeaf || left.hessian < minSumHessian { continue }
        let rightCount = total.count - left.count
        if rightCount < minDataInLeaf || rightCount < minDataPerGroup { break }
        if total.hessian - left.hessian < minSumHessian { break }
        if groupCount < minDataPerGroup { continue }
        groupCount = 0
        let prefix = ascending ? order[...step] : order[(order.count - 1 - step)...]
        consider(left, l2: penalty, categories: BinSet(prefix))
      }
    }
    return best
  }
}
