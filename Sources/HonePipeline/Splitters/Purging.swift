/// Purging and embargo shared by ``PurgedKFold`` and ``CombinatorialPurgedKFold``
/// (López de Prado 2018, *Advances in Financial Machine Learning*, §7.4.1–7.4.2).
enum Purging {
  /// The embargo in rows, `ceil(fraction × rowCount)`.
  ///
  /// The product is rounded to the nearest integer first when it lies within a relative
  /// 1e-9 of one, because binary floating point turns exact-looking fractions into values
  /// just above an integer (0.07 × 100 = 7.000000000000001) and `ceil` would then embargo
  /// one row more than the user asked for.
  static func embargoRows(fraction: Double, rowCount: Int) -> Int {
    let product = fraction * Double(rowCount)
    let nearest = product.rounded()
    if abs(product - nearest) <= 1e-9 * max(1, product) { return Int(nearest) }
    return Int(product.rounded(.up))
  }

  /// Throws unless `fraction` is a finite fraction in `[0, 1)`.
  static func validateEmbargo(_ fraction: Double, splitter: String) throws {
    guard fraction.isFinite, fraction >= 0, fraction < 1 else {
      throw SplitterError(
        .invalidParameter,
        "\(splitter): embargo is \(fraction), but it is a fraction of the rows in [0, 1); López de Prado suggests about 0.01"
      )
    }
  }

  /// The training rows left when `testBlocks` are tested: every row outside the blocks,
  /// minus purged rows (whose label interval overlaps a test label interval) and embargoed
  /// rows (the `embargoRows` rows that follow each block's purged region, and any further
  /// rows that start at the same time as the last of them).
  ///
  /// Each block is purged on its own, so the training rows between two test blocks are
  /// judged against their neighbours only. With starts sorted, a row before a block
  /// overlaps some test interval exactly when its end reaches the block's first start, and
  /// a row after a block exactly when its start is at or before the block's latest end —
  /// the latest end, not the last row's end, because an earlier test label may reach
  /// further. The rows after a block with overlapping starts form a prefix, so the embargo
  /// starts right after them: it is measured from the end of the information the test
  /// labels used (t₁ in §7.4.2), as in López de Prado's snippet 7.3, not from the block's
  /// last row, which would let it fall inside the purged region and do nothing. In a panel
  /// (several rows per time, one per symbol) the embargo is López de Prado's span of time
  /// rounded up to whole times: counted in rows it could otherwise end part-way through a
  /// bar, training on some symbols of a bar whose other symbols are embargoed.
  ///
  /// - Precondition: the blocks are non-empty and inside `0..<intervals.count`, and
  ///   `intervals.starts` never decreases (callers check it).
  /// - Complexity: O(*n*) per block.
  static func trainingRows(testBlocks: [Range<Int>], intervals: LabelIntervals, embargoRows: Int) -> [Int] {
    let n = intervals.count
    var isTraining = [Bool](repeating: true, count: n)
    intervals.starts.withUnsafeBufferPointer { starts in
      intervals.ends.withUnsafeBufferPointer { ends in
        for block in testBlocks {
          let testStart = starts[block.lowerBound]
          var testEnd = Int64.min
          for row in block {
            isTraining[row] = false
            testEnd = max(testEnd, ends[row])
          }
          for row in 0..<block.lowerBound where ends[row] >= testStart { isTraining[row] = false }
          var row = block.upperBound
          while row < n, starts[row] <= testEnd {
            isTraining[row] = false
            row += 1
          }
          var embargoEnd = row + min(embargoRows, n - row)
          // Never part-way through a time: rows that start with the last embargoed row
          // (the other symbols of its bar) are embargoed with it.
          if embargoEnd > row {
            while embargoEnd < n, starts[embargoEnd] == starts[embargoEnd - 1] { embargoEnd += 1 }
          }
          while row < embargoEnd {
            isTraining[row] = false
            row += 1
          }
        }
      }
    }
    return isTraining.indices.filter { isTraining[$0] }
  }
}
