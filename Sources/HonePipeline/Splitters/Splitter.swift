/// A cross-validation scheme: turns a description of the rows into a list of train/test
/// splits.
///
/// Every splitter works on row positions only, so one splitter serves any estimator and
/// any table. What a splitter needs beyond the row count — class targets for
/// stratification, groups, label intervals for purging — it reads from ``SplitData``, and it
/// throws ``SplitterError`` with kind ``SplitterError/Kind/missingInput`` when that is
/// absent. Each conforming type documents how many splits it yields.
///
/// ```swift
/// let data = try SplitData(rowCount: 1_000, labelIntervals: intervals)
/// for split in try PurgedKFold(folds: 5, embargo: 0.01).splits(for: data) {
///   let train = try table.rows(at: split.train)
///   // …
/// }
/// ```
public protocol Splitter: Sendable {
  /// The train/test splits for the rows described by `data`.
  ///
  /// - Parameter data: The row count and whatever targets, groups or label intervals the
  ///   splitter needs.
  /// - Returns: The splits, in the splitter's documented order; each has sorted, disjoint
  ///   train and test indices.
  /// - Throws: ``SplitterError`` for bad parameters, missing or malformed input, or a split
  ///   that would have no training rows.
  func splits(for data: SplitData) throws -> [Split]
}

extension Splitter {
  /// Row ranges of `folds` contiguous blocks covering `0..<rowCount`, sized as
  /// scikit-learn's `KFold`: the first `rowCount % folds` blocks hold one extra row.
  static func contiguousBlocks(rowCount: Int, folds: Int) -> [Range<Int>] {
    let base = rowCount / folds
    let extra = rowCount % folds
    var blocks: [Range<Int>] = []
    blocks.reserveCapacity(folds)
    var start = 0
    for fold in 0..<folds {
      let size = base + (fold < extra ? 1 : 0)
      blocks.append(start..<(start + size))
      start += size
    }
    return blocks
  }

  /// Splits in which each fold's rows are the test set and every other row trains.
  ///
  /// - Parameters:
  ///   - fold: The fold of each row, in `0..<folds`.
  ///   - folds: The number of folds.
  static func splits(fromFoldOfRow fold: [Int], folds: Int) -> [Split] {
    var tests = [[Int]](repeating: [], count: folds)
    for (row, f) in fold.enumerated() { tests[f].append(row) }
    return tests.map { test in
      var train: [Int] = []
      train.reserveCapacity(fold.count - test.count)
      var next = 0
      for row in test {
        while next < row {
          train.append(next)
          next += 1
        }
        next = row + 1
      }
      while next < fold.count {
        train.append(next)
        next += 1
      }
      return Split(sortedTrain: train, sortedTest: test)
    }
  }

  /// Checks the common k-fold preconditions: at least 2 folds, no more folds than rows.
  static func validateFolds(_ folds: Int, name: String = "folds", rowCount: Int, splitter: String) throws {
    guard folds >= 2 else { throw SplitterError.invalidFolds(splitter, name, folds) }
    guard folds <= rowCount else {
      throw SplitterError.moreFoldsThanRows(splitter, name, folds: folds, rows: rowCount)
    }
  }
}
