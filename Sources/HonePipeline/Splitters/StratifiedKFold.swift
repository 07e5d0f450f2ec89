import HoneCore

/// Stratified k-fold cross-validation: k-fold whose folds keep each class's share of rows
/// as close as possible to its share in the whole data set.
///
/// Without a shuffle seed the folds equal scikit-learn 1.9's `StratifiedKFold(shuffle=False)`
/// exactly. Classes are numbered in order of first appearance; the number of rows of each
/// class in each fold is found by dealing the class-sorted rows round-robin over the folds;
/// then each class's rows, in row order, are assigned in blocks: the first rows of the class
/// to fold 0, the next to fold 1, and so on. Keeping blocks preserves row order within a
/// class as far as stratification allows.
///
/// With a shuffle seed, each class's block of fold numbers is shuffled (as scikit-learn
/// does) by `Xoshiro256StarStar` instead of NumPy's generator: the number of rows
/// of each class in each fold still equals scikit-learn's, but which rows go where differs.
///
/// Like scikit-learn, a class with fewer rows than folds is allowed (it is simply absent
/// from some test folds); the splitter throws only when every class is smaller than `folds`.
///
/// Yields `folds` splits, in fold order.
public struct StratifiedKFold: Splitter, Hashable, Codable {
  /// The number of folds, at least 2 and at most the row count.
  public var folds: Int
  /// The seed of the within-class shuffle, or `nil` not to shuffle.
  public var shuffleSeed: UInt64?

  /// Creates a stratified k-fold splitter.
  ///
  /// - Parameters:
  ///   - folds: The number of folds (and splits); at least 2.
  ///   - shuffleSeed: A seed to shuffle rows within each class, or `nil` not to shuffle.
  public init(folds: Int = 5, shuffleSeed: UInt64? = nil) {
    self.folds = folds
    self.shuffleSeed = shuffleSeed
  }

  /// The `folds` stratified splits.
  ///
  /// - Parameter data: The rows, with ``SplitData/targets`` holding a class label per row.
  /// - Returns: `folds` splits; split *f* tests fold *f*.
  /// - Throws: ``SplitterError`` when targets are missing, a target is not a finite integral
  ///   value (a class label), `folds < 2`, `folds > rowCount`, or every class has fewer than
  ///   `folds` rows.
  /// - Complexity: O(`folds` × *n* + *n* log *n*).
  public func splits(for data: SplitData) throws -> [Split] {
    let name = "StratifiedKFold"
    guard let targets = data.targets else {
      throw SplitterError.missing(
        name, "targets", hint: "pass the class labels as SplitData(rowCount:targets:), or use KFold")
    }
    try Self.validateFolds(folds, rowCount: data.rowCount, splitter: name)
    let (classOfRow, classCounts) = try Self.encodeClasses(targets)
    guard classCounts.contains(where: { $0 >= folds }) else {
      throw SplitterError(
        .invalidTargets,
        "\(name): every class has fewer than folds = \(folds) rows (largest class: \(classCounts.max() ?? 0) rows); use fewer folds"
      )
    }

    // allocation[f][c]: rows of class c in fold f, from dealing the class-sorted rows
    // round-robin, as scikit-learn's `np.bincount(y_order[i::n_splits])`.
    var allocation = [[Int]](repeating: [Int](repeating: 0, count: classCounts.count), count: folds)
    var position = 0
    for (label, count) in classCounts.enumerated() {
      for _ in 0..<count {
        allocation[position % folds][label] += 1
        position += 1
      }
    }

    var generator = shuffleSeed.map { Xoshiro256StarStar(seed: $0) }
    var foldsForClass = [[Int]](repeating: [], count: classCounts.count)
    for label in classCounts.indices {
      var block: [Int] = []
      block.reserveCapacity(classCounts[label])
      for fold in 0..<folds { block.append(contentsOf: repeatElement(fold, count: allocation[fold][label])) }
      generator?.shuffle(&block)
      foldsForClass[label] = block
    }
    var nextInClass = [Int](repeating: 0, count: classCounts.count)
    var foldOfRow = [Int](repeating: 0, count: data.rowCount)
    for (row, label) in classOfRow.enumerated() {
      foldOfRow[row] = foldsForClass[label][nextInClass[label]]
      nextInClass[label] += 1
    }
    return Self.splits(fromFoldOfRow: foldOfRow, folds: folds)
  }

  /// Class numbers in order of first appearance, and the number of rows of each class.
  private static func encodeClasses(_ targets: [Double]) throws -> (classOfRow: [Int], counts: [Int]) {
    var number: [Double: Int] = [:]
    var counts: [Int] = []
    var classOfRow: [Int] = []
    classOfRow.reserveCapacity(targets.count)
    for (row, value) in targets.enumerated() {
      guard value.isFinite, value == value.rounded() else {
        throw SplitterError(
          .invalidTargets,
          "StratifiedKFold: the target at row \(row) is \(value), not a class label; stratification needs finite integral class labels — bin a continuous target first, or use KFold"
        )
      }
      // Adding 0 folds −0.0 into +0.0 so both signs are one class.
      let key = value + 0
      if let label = number[key] {
        classOfRow.append(label)
        counts[label] += 1
      } else {
        number[key] = counts.count
        classOfRow.append(counts.count)
        counts.append(1)
      }
    }
    return (classOfRow, counts)
  }
}
