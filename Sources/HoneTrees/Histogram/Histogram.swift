/// Per-feature, per-bin sums of gradients and hessians (and row counts) of one leaf.
///
/// Sums are `Double` although gradients are `Float`: a leaf can hold millions of rows,
/// and `Float` accumulation would lose the small differences the split gains depend on
/// (scikit-learn's `common.pyx` makes the same choice). Every feature owns 256 slots —
/// the value bins and, at index 255, the missing bin — so one feature's slots never
/// overlap another's and features can be filled in parallel without locks.
struct Histogram {
  /// Slots per feature (255 value bins at most, then the missing bin).
  static let binsPerFeature = 256

  /// `(ΣG, ΣH)` per slot, feature `j`'s slots at `j * 256 ..< (j + 1) * 256`.
  var sums: [SIMD2<Double>]
  /// Row counts per slot.
  var counts: [UInt32]

  init(featureCount: Int) {
    sums = [SIMD2<Double>](repeating: .zero, count: featureCount * Self.binsPerFeature)
    counts = [UInt32](repeating: 0, count: featureCount * Self.binsPerFeature)
  }

  /// Fills the slots of `features` from the rows `rows` of `data`, with `pairs[k]` the
  /// gradient and hessian of row `rows[k]` (already gathered, so they are read in order).
  /// Other features' slots are left as they are.
  ///
  /// - Complexity: O(rows.count · features.count), parallel over features.
  mutating func build(
    data: BinnedDataset, rows: UnsafeBufferPointer<Int32>?, pairs: UnsafeBufferPointer<SIMD2<Float>>,
    features: [Int], threads: Int
  ) {
    let n = data.rowCount
    sums.withUnsafeMutableBufferPointer { sumSlots in
      counts.withUnsafeMutableBufferPointer { countSlots in
        data.codes.withUnsafeBufferPointer { codes in
          nonisolated(unsafe) let sumOut = sumSlots
          nonisolated(unsafe) let countOut = countSlots
          parallelFor(count: features.count, threads: threads) { index in
            let j = features[index]
            let slot = j * Self.binsPerFeature
            let s = UnsafeMutablePointer(sumOut.baseAddress! + slot)
            let c = UnsafeMutablePointer(countOut.baseAddress! + slot)
            s.initialize(repeating: .zero, count: Self.binsPerFeature)
            c.initialize(repeating: 0, count: Self.binsPerFeature)
            let column = codes.baseAddress! + j * n
            if let rows {
              Self.accumulate(column: column, rows: rows, pairs: pairs, sums: s, counts: c)
            } else {
              Self.accumulate(column: column, pairs: pairs, sums: s, counts: c)
            }
          }
        }
      }
    }
  }

  /// The histogram kernel for a leaf's rows, gathered through `rows`. Four rows are
  /// loaded before any store so the loads overlap the previous adds.
  @inline(__always)
  private static func accumulate(
    column: UnsafePointer<UInt8>, rows: UnsafeBufferPointer<Int32>, pairs: UnsafeBufferPointer<SIMD2<Float>>,
    sums: UnsafeMutablePointer<SIMD2<Double>>, counts: UnsafeMutablePointer<UInt32>
  ) {
    let m = rows.count
    let r = rows.baseAddress!
    let g = pairs.baseAddress!
    var k = 0
    while k + 4 <= m {
      let b0 = Int(column[Int(r[k])])
      let b1 = Int(column[Int(r[k + 1])])
      let b2 = Int(column[Int(r[k + 2])])
      let b3 = Int(column[Int(r[k + 3])])
      let p0 = SIMD2<Double>(g[k])
      let p1 = SIMD2<Double>(g[k + 1])
      let p2 = SIMD2<Double>(g[k + 2])
      let p3 = SIMD2<Double>(g[k + 3])
      sums[b0] += p0
      counts[b0] &+= 1
      sums[b1] += p1
      counts[b1] &+= 1
      sums[b2] += p2
      counts[b2] &+= 1
      sums[b3] += p3
      counts[b3] &+= 1
      k += 4
    }
    while k < m {
      let b = Int(column[Int(r[k])])
      sums[b] += SIMD2<Double>(g[k])
      counts[b] &+= 1
      k += 1
    }
  }

  /// The kernel for all rows in order (the root without bagging): no index gather.
  @inline(__always)
  private static func accumulate(
    column: UnsafePointer<UInt8>, pairs: UnsafeBufferPointer<SIMD2<Float>>,
    sums: UnsafeMutablePointer<SIMD2<Double>>, counts: UnsafeMutablePointer<UInt32>
  ) {
    let m = pairs.count
    let g = pairs.baseAddress!
    var k = 0
    while k + 4 <= m {
      let b0 = Int(column[k])
      let b1 = Int(column[k + 1])
      let b2 = Int(column[k + 2])
      let b3 = Int(column[k + 3])
      let p0 = SIMD2<Double>(g[k])
      let p1 = SIMD2<Double>(g[k + 1])
      let p2 = SIMD2<Double>(g[k + 2])
      let p3 = SIMD2<Double>(g[k + 3])
      sums[b0] += p0
      counts[b0] &+= 1
      sums[b1] += p1
      counts[b1] &+= 1
      sums[b2] += p2
      counts[b2] &+= 1
      sums[b3] += p3
      counts[b3] &+= 1
      k += 4
    }
    while k < m {
      let b = Int(column[k])
      sums[b] += SIMD2<Double>(g[k])
      counts[b] &+= 1
      k += 1
    }
  }

  /// Turns the parent's histogram into the larger child's: parent − smaller sibling, for
  /// the given features (Ke et al. 2017, §3: one histogram pass per split instead of two).
  mutating func subtract(_ sibling: Histogram, features: [Int]) {
    for j in features {
      let start = j * Self.binsPerFeature
      for b in start..<(start + Self.binsPerFeature) {
        sums[b] -= sibling.sums[b]
        counts[b] &-= sibling.counts[b]
      }
    }
  }
}
