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
  /// All rows in order (`rows == nil`) stream each feature's column; a leaf's scattered
  /// rows read the row-major codes instead, each thread taking a fixed block of features.
  /// Either way a feature's slots sum its rows in the same order whatever the thread
  /// count, so the histogram is bit-identical for 1 or 2 threads.
  ///
  /// - Complexity: O(rows.count · features.count), parallel over features.
  mutating func build(
    data: BinnedDataset, rows: UnsafeBufferPointer<Int32>?, pairs: UnsafeBufferPointer<SIMD2<Float>>,
    features: [Int], threads: Int
  ) {
    let n = data.rowCount
    let p = data.featureCount
    sums.withUnsafeMutableBufferPointer { sumSlots in
      counts.withUnsafeMutableBufferPointer { countSlots in
        nonisolated(unsafe) let sumOut = sumSlots
        nonisolated(unsafe) let countOut = countSlots
        guard let rows else {
          data.codes.withUnsafeBufferPointer { codes in
            parallelFor(count: features.count, threads: threads) { index in
              let j = features[index]
              let slot = j * Self.binsPerFeature
              let s = sumOut.baseAddress! + slot
              let c = countOut.baseAddress! + slot
              s.update(repeating: .zero, count: Self.binsPerFeature)
              c.update(repeating: 0, count: Self.binsPerFeature)
              Self.accumulate(column: codes.baseAddress! + j * n, pairs: pairs, sums: s, counts: c)
            }
          }
          return
        }
        data.rowCodes.withUnsafeBufferPointer { rowCodes in
          features.withUnsafeBufferPointer { featureList in
            let blocks = max(1, min(threads, features.count))
            parallelFor(count: blocks, threads: threads) { block in
              let list = UnsafeBufferPointer(
                rebasing: featureList[(block * features.count / blocks)..<((block + 1) * features.count / blocks)])
              for j in list {
                (sumOut.baseAddress! + j * Self.binsPerFeature).update(repeating: .zero, count: Self.binsPerFeature)
                (countOut.baseAddress! + j * Self.binsPerFeature).update(repeating: 0, count: Self.binsPerFeature)
              }
              Self.accumulateRows(
                codes: rowCodes.baseAddress!, featureCount: p, rows: rows, pairs: pairs, features: list,
                sums: sumOut.baseAddress!, counts: countOut.baseAddress!)
            }
          }
        }
      }
    }
  }

  /// The row-wise kernel: for each gathered row, add its pair to the slot of every listed
  /// feature's code. One row's codes are contiguous, so a scattered row costs one cache
  /// miss rather than one per feature.
  @inline(__always)
  private static func accumulateRows(
    codes: UnsafePointer<UInt8>, featureCount p: Int, rows: UnsafeBufferPointer<Int32>,
    pairs: UnsafeBufferPointer<SIMD2<Float>>, features: UnsafeBufferPointer<Int>,
    sums: UnsafeMutablePointer<SIMD2<Double>>, counts: UnsafeMutablePointer<UInt32>
  ) {
    let r = rows.baseAddress!
    let g = pairs.baseAddress!
    let f = features.baseAddress!
    let q = features.count
    for k in 0..<rows.count {
      let row = codes + Int(r[k]) * p
      let pair = SIMD2<Double>(g[k])
      var index = 0
      while index + 2 <= q {
        let j0 = f[index]
        let j1 = f[index + 1]
        let b0 = j0 &* binsPerFeature &+ Int(row[j0])
        let b1 = j1 &* binsPerFeature &+ Int(row[j1])
        sums[b0] += pair
        counts[b0] &+= 1
        sums[b1] += pair
        counts[b1] &+= 1
        index += 2
      }
      if index < q {
        let j = f[index]
        let b = j &* binsPerFeature &+ Int(row[j])
        sums[b] += pair
        counts[b] &+= 1
      }
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
