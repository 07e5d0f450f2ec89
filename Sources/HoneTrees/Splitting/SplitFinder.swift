/// The sums of gradients, hessians and rows on one side of a split.
struct NodeSums: Equatable {
  var gradient: Double
  var hessian: Double
  var count: Int
}

/// A set of bin codes of one feature (256 bits): the categories a categorical split sends left.
struct BinSet: Equatable, Hashable {
  private var words = SIMD4<UInt64>(repeating: 0)

  init() {}

  init(_ bins: some Sequence<Int>) {
    for bin in bins { insert(bin) }
  }

  mutating func insert(_ bin: Int) {
    words[bin >> 6] |= UInt64(1) << UInt64(bin & 63)
  }

  @inline(__always)
  func contains(_ bin: UInt8) -> Bool {
    words[Int(bin >> 6)] & (UInt64(1) << UInt64(bin & 63)) != 0
  }

  /// The bins in the set, increasing.
  var bins: [Int] { (0..<256).filter { contains(UInt8($0)) } }
}

/// The range a leaf's output must stay in so that every monotone split above it keeps
/// its direction (LightGBM's "basic" monotone method, `monotone_constraints_method=basic`).
struct OutputBounds: Equatable {
  var lower = -Double.infinity
  var upper = Double.infinity

  var isUnbounded: Bool { lower == -.infinity && upper == .infinity }

  @inline(__always)
  func clamp(_ value: Double) -> Double { min(max(value, lower), upper) }
}

/// The best split of one leaf: send bins `0...bin` of `feature` left, missing values to
/// the side `missingGoesLeft` says — or, for a categorical feature, the bins in
/// `categories` left and every other bin (missing, rare and unseen categories too) right.
struct SplitCandidate: Equatable {
  var feature: Int
  var bin: Int
  var missingGoesLeft: Bool
  var gain: Double
  var left: NodeSums
  var right: NodeSums
  /// The children's Newton outputs (before the learning rate), within the leaf's bounds.
  var leftOutput: Double
  var rightOutput: Double
  /// The bins going left of a categorical split; `nil` for a threshold split.
  var categories: BinSet? = nil
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
/// When a leaf's output is bounded (monotone constraints), each side's output is clamped
/// into the bounds and its score becomes the objective decrease at that output,
/// `−(2·T(G)·w + (H + λ₂)·w²)`, which equals `score(G, H)` at the unclamped optimum. The
/// parent's term stays its unclamped `score(G, H)`, as in LightGBM, so a split under a
/// bound must beat the best the parent could do unbounded.
struct SplitFinder {
  var l1: Double
  var l2: Double
  var minDataInLeaf: Int
  var minSumHessian: Double
  var minGainToSplit: Double
  /// The most categories a sorted categorical split may send left (`max_cat_threshold`).
  var maxCategoricalThreshold = 32
  /// Added to a category's hessian sum when sorting by gradient ratio, and the fewest rows
  /// a category needs to be sorted at all (`cat_smooth`).
  var categoricalSmoothing = 10.0
  /// Extra L2 penalty of sorted categorical splits (`cat_l2`).
  var categoricalL2 = 10.0
  /// The fewest rows each step of the sorted scan must add, and the right side must keep
  /// (`min_data_per_group`).
  var minDataPerGroup = 100
  /// Features with at most this many categories are split one category against the rest
  /// (`max_cat_to_onehot`).
  var maxCategoriesForOneHot = 4
  /// Per feature: +1 output non-decreasing in the feature, −1 non-increasing, 0 free;
  /// empty for no constraints.
  var monotoneConstraints: [Int] = []

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

  /// The objective decrease of a leaf with sums `g`, `h` and output `w`.
  @inline(__always)
  func score(_ g: Double, _ h: Double, output w: Double, l2: Double) -> Double {
    -(2 * thresholded(g) * w + (h + l2) * w * w)
  }

  /// The Newton leaf value `−T(G) / (H + λ₂)` (before the learning rate).
  func leafValue(_ sums: NodeSums) -> Double { -thresholded(sums.gradient) / (sums.hessian + l2) }

  @inline(__always)
  private func output(_ g: Double, _ h: Double, l2: Double, bounds: OutputBounds) -> Double {
    bounds.clamp(-thresholded(g) / (h + l2))
  }

  /// The monotone direction of `feature`: +1, −1 or 0.
  func constraint(_ feature: Int) -> Int { feature < monotoneConstraints.count ? monotoneConstraints[feature] : 0 }

  /// The best split of `feature` for a leaf with totals `total` whose outputs must stay
  /// within `bounds`, or `nil` when no split satisfies the constraints with a gain above
  /// `minGainToSplit`.
  func bestSplit(
    histogram: Histogram, feature: Int, valueBins: Int, total: NodeSums, bounds: OutputBounds = OutputBounds()
  ) -> SplitCandidate? {
    let base = feature * Histogram.binsPerFeature
    let missingSlot = base + Int(BinMapper.missingBin)
    let missing = histogram.sum(missingSlot)
    let missingCount = histogram.count(missingSlot)
    let direction = constraint(feature)
    let constrained = direction != 0 || !bounds.isUnbounded
    let parentScore = score(total.gradient, total.hessian)
    // The best split is kept as scalars and built once at the end: assigning the whole
    // candidate (with its optional category set) on every improvement was a memory copy
    // in the innermost loop.
    var bestGain = minGainToSplit
    var found = false
    var bestBin = 0
    var bestMissingLeft = false
    var bestLeft = NodeSums(gradient: 0, hessian: 0, count: 0)
    var bestOutputs = (0.0, 0.0)
    // Missing to the right, then (when there are missing values) to the left.
    for pass in 0..<(missingCount > 0 ? 2 : 1) {
      let missingLeft = pass == 1
      var g = missingLeft ? missing.x : 0
      var h = missingLeft ? missing.y : 0
      var c = missingLeft ? missingCount : 0
      // With missing values on the right, "all values left" is a real split too.
      let lastBin = missingCount > 0 && !missingLeft ? valueBins - 1 : valueBins - 2
      guard lastBin >= 0 else { continue }
      for bin in 0...lastBin {
        let s = histogram.sum(base + bin)
        g += s.x
        h += s.y
        c += histogram.count(base + bin)
        let rc = total.count - c
        if c < minDataInLeaf || h < minSumHessian { continue }
        if rc < minDataInLeaf { break }
        let rh = total.hessian - h
        if rh < minSumHessian { continue }
        let rg = total.gradient - g
        let gain: Double
        var wl = 0.0
        var wr = 0.0
        if constrained {
          wl = output(g, h, l2: l2, bounds: bounds)
          wr = output(rg, rh, l2: l2, bounds: bounds)
          // A split against the constraint's direction is rejected outright.
          if (direction > 0 && wl > wr) || (direction < 0 && wl < wr) { continue }
          gain = score(g, h, output: wl, l2: l2) + score(rg, rh, output: wr, l2: l2) - parentScore
        } else {
          gain = score(g, h) + score(rg, rh) - parentScore
        }
        if gain > bestGain {
          bestGain = gain
          found = true
          bestBin = bin
          bestMissingLeft = missingLeft
          bestLeft = NodeSums(gradient: g, hessian: h, count: c)
          bestOutputs = constrained ? (wl, wr) : (-thresholded(g) / (h + l2), -thresholded(rg) / (rh + l2))
        }
      }
    }
    guard found else { return nil }
    return SplitCandidate(
      feature: feature, bin: bestBin, missingGoesLeft: bestMissingLeft, gain: bestGain, left: bestLeft,
      right: NodeSums(
        gradient: total.gradient - bestLeft.gradient, hessian: total.hessian - bestLeft.hessian,
        count: total.count - bestLeft.count),
      leftOutput: bestOutputs.0, rightOutput: bestOutputs.1)
  }
}

extension SplitFinder {
  /// A finder with the hyperparameters' constraints, penalties and categorical settings.
  init(_ h: GradientBoostingHyperparameters) {
    self.init(
      l1: h.l1, l2: h.l2, minDataInLeaf: h.minDataInLeaf, minSumHessian: h.minSumHessianInLeaf,
      minGainToSplit: h.minGainToSplit, maxCategoricalThreshold: h.maxCategoricalThreshold,
      categoricalSmoothing: h.categoricalSmoothing, categoricalL2: h.categoricalL2, minDataPerGroup: h.minDataPerGroup,
      maxCategoriesForOneHot: h.maxCategoriesForOneHot, monotoneConstraints: h.monotoneConstraints)
  }
}
