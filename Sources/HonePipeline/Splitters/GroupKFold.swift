import HoneCore

/// Group k-fold cross-validation: k-fold over groups, so that all rows of a group (a symbol,
/// a day, a patient) are on the same side of every split.
///
/// Without a shuffle seed the assignment equals scikit-learn 1.9's `GroupKFold()`: groups
/// are taken from the largest to the smallest (ties broken toward the larger group label)
/// and each goes to the fold with the fewest rows so far (ties toward the lower fold), which
/// balances fold sizes. With a shuffle seed the distinct group labels are permuted by
/// `Xoshiro256StarStar` and cut into `folds` contiguous runs of groups (the first
/// `groups % folds` runs one group longer), as scikit-learn's `shuffle=True` does with
/// NumPy's generator; fold contents therefore differ from scikit-learn's.
///
/// Yields `folds` splits, in fold order.
public struct GroupKFold: Splitter, Hashable, Codable {
  /// The number of folds, at least 2 and at most the number of distinct groups.
  public var folds: Int
  /// The seed of the group shuffle, or `nil` for scikit-learn's size-balancing assignment.
  public var shuffleSeed: UInt64?

  /// Creates a group k-fold splitter.
  ///
  /// - Parameters:
  ///   - folds: The number of folds (and splits); at least 2.
  ///   - shuffleSeed: A seed to assign shuffled groups to folds, or `nil` to balance fold
  ///     sizes greedily.
  public init(folds: Int = 5, shuffleSeed: UInt64? = nil) {
    self.folds = folds
    self.shuffleSeed = shuffleSeed
  }

  /// The `folds` group splits.
  ///
  /// - Parameter data: The rows, with ``SplitData/groups`` holding a group label per row.
  /// - Returns: `folds` splits; split *f* tests the groups of fold *f*.
  /// - Throws: ``SplitterError`` when groups are missing, `folds < 2`, `folds > rowCount`,
  ///   or there are fewer distinct groups than folds (including a single group).
  /// - Complexity: O(*n* + *g* log *g* + *g* × `folds`) for *g* distinct groups.
  public func splits(for data: SplitData) throws -> [Split] {
    let name = "GroupKFold"
    guard let groups = data.groups else {
      throw SplitterError.missing(name, "groups", hint: "pass a group label per row as SplitData(rowCount:groups:)")
    }
    try Self.validateFolds(folds, rowCount: data.rowCount, splitter: name)
    // Distinct labels in ascending order, as np.unique gives them.
    let labels = Array(Set(groups)).sorted()
    guard labels.count >= folds else {
      let detail = labels.count == 1 ? "only one group (\(labels[0]))" : "only \(labels.count) distinct groups"
      throw SplitterError(
        .tooFewGroups,
        "\(name): the data have \(detail) but folds = \(folds); every fold needs its own group, so use folds <= \(labels.count) or finer groups"
      )
    }
    var index: [Int: Int] = [:]
    for (position, label) in labels.enumerated() { index[label] = position }
    var groupOfRow: [Int] = []
    groupOfRow.reserveCapacity(groups.count)
    var sizes = [Int](repeating: 0, count: labels.count)
    for label in groups {
      let group = index[label] ?? 0
      groupOfRow.append(group)
      sizes[group] += 1
    }

    var foldOfGroup = [Int](repeating: 0, count: labels.count)
    if let shuffleSeed {
      var generator = Xoshiro256StarStar(seed: shuffleSeed)
      let order = generator.permutation(labels.count)
      for (fold, run) in Self.contiguousBlocks(rowCount: labels.count, folds: folds).enumerated() {
        for position in run { foldOfGroup[order[position]] = fold }
      }
    } else {
      // scikit-learn reverses a stable ascending argsort of the sizes, so equal sizes come
      // out with the larger group index first.
      let order = labels.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 > $1 }
      var foldSizes = [Int](repeating: 0, count: folds)
      for group in order {
        var lightest = 0
        for fold in 1..<folds where foldSizes[fold] < foldSizes[lightest] { lightest = fold }
        foldSizes[lightest] += sizes[group]
        foldOfGroup[group] = lightest
      }
    }
    return Self.splits(fromFoldOfRow: groupOfRow.map { foldOfGroup[$0] }, folds: folds)
  }
}
