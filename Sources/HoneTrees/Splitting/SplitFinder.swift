/// The sums of gradients, hessians and rows on one side of a split.
struct NodeSums: Equatable {
  var gradient: Double
  var hessian: Double
  var count: Int
}

/// The best split of one leaf: send bins `0...bin` of `feature` left, missing values to
/// the side `missingGoesLeft` says.
struct SplitCandidate: Equatable {
  var feature: Int
  var bin: Int
  var missingGoesLeft: Bool
  var gain: Double
  var left: NodeSums
  var right: NodeSums
}

/// Finds the best split of a leaf from its histogram: the exact best over bin boundaries
/// and missing-value directions, under the size and regularisation constraints.
///
/// The gain of a split is the decrease of the second-order objective (Chen & Guestrin
/// 2016, eq. 7; Ke et al. 2017):
///
///     score(G, H) = T(G)² / (H + λ₂),   T(G) = sign(G)·max(|G| − λ₁, 0)
///     gain = score(G_L, H_L) + score(G_R, H_R) − score(G, H)
///
/// (without the ½, as LightGBM reports it), and a leaf's value is `−T(G) / (H + λ₂)`.
struct SplitFinder {
  var l1: Double
  var l2: Double
  var minDataInLeaf: Int
  var minSumHessian: Double
  var minGainToSplit: Double

  /// `T(G)` of the L1 penalty.
  @inline(__always)
  func thresholded(_ g: Double) -> Double {
    if l1 <= 0 { return g }
    return g > l1 ? g - l1 : (g < -l1 ? g + l1 : 0)
  }

  @inline(__always)
  func score(_ g: Double, _ h: Double) -> Double {
    let t = thresholded(g)
    return t * t / (h + l2)
  }

  /// The Newton leaf value `−T(G) / (H + λ₂)` (before the learning rate).
  func leafValue(_ sums: NodeSums) -> Double { -thresholded(sums.gradient) / (sums.hessian + l2) }

  /// The best split of `feature` for a leaf with totals `total`, or `nil` when no split
  /// satisfies the constraints with a gain above `minGainToSplit`.
  func bestSplit(
    histogram: Histogram, feature: Int, valueBins: Int, total: NodeSums
  ) -> SplitCandidate? {
    let base = feature * Histogram.binsPerFeature
    let missingSlot = base + Int(BinMapper.missingBin)
    let missing = histogram.sums[missingSlot]
    let missingCount = Int(histogram.counts[missingSlot])
    let parentScore = score(total.gradient, total.hessian)
    var best: SplitCandidate?
    var bestGain = minGainToSplit
    // Missing to the right, then (when there are missing values) to the left.
    for missingLeft in missingCount > 0 ? [false, true] : [false] {
      var g = missingLeft ? missing.x : 0
      var h = missingLeft ? missing.y : 0
      var c = missingLeft ? missingCount : 0
      // With missing values on the right, "all values left" is a real split too.
      let lastBin = missingCount > 0 && !missingLeft ? valueBins - 1 : valueBins - 2
      guard lastBin >= 0 else { continue }
      for bin in 0...lastBin {
        let s = histogram.sums[base + bin]
        g += s.x
        h += s.y
        c += Int(histogram.counts[base + bin])
        let rc = total.count - c
        if c < minDataInLeaf || h < minSumHessian { continue }
        if rc < minDataInLeaf { break }
        let rh = total.hessian - h
        if rh < minSumHessian { continue }
        let rg = total.gradient - g
        let gain = score(g, h) + score(rg, rh) - parentScore
        if gain > bestGain {
          bestGain = gain
          best = SplitCandidate(
            feature: feature, bin: bin, missingGoesLeft: missingLeft, gain: gain,
            left: NodeSums(gradient: g, hessian: h, count: c), right: NodeSums(gradient: rg, hessian: rh, count: rc))
        }
      }
    }
    return best
  }
}
