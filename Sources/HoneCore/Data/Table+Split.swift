extension Table {
  /// Splits the rows into a training and a test table, deterministically for a seed.
  ///
  /// With `shuffle: true` (the default) rows are permuted by a Fisher–Yates shuffle
  /// driven by ``Xoshiro256StarStar`` seeded with `seed`, so the split is the same on
  /// every machine and Swift version. With `shuffle: false` the first rows train and the
  /// last rows test — the only correct split for time-ordered data.
  ///
  /// - Parameters:
  ///   - testFraction: The share of rows in the test table, in `(0, 1)`. The test size is
  ///     `round(testFraction × rowCount)`.
  ///   - seed: The seed for the shuffle.
  ///   - shuffle: Whether to shuffle before splitting.
  /// - Returns: The training and test tables; row order inside each follows the permutation.
  /// - Throws: ``TableError`` when `testFraction` is outside `(0, 1)` or either side would be empty.
  public func trainTestSplit(
    testFraction: Double, seed: UInt64 = 0, shuffle: Bool = true
  ) throws -> (train: Table, test: Table) {
    let (train, test) = try Table.splitIndices(
      rowCount: rowCount, testFraction: testFraction, seed: seed, shuffle: shuffle)
    return (try rows(at: train), try rows(at: test))
  }

  /// The row indices of a train/test split; see ``trainTestSplit(testFraction:seed:shuffle:)``.
  ///
  /// - Throws: ``TableError`` when `testFraction` is outside `(0, 1)` or either side would be empty.
  public static func splitIndices(
    rowCount: Int, testFraction: Double, seed: UInt64 = 0, shuffle: Bool = true
  ) throws -> (train: [Int], test: [Int]) {
    guard testFraction > 0, testFraction < 1 else {
      throw TableError("testFraction must be between 0 and 1 (exclusive), got \(testFraction)")
    }
    let testCount = Int((testFraction * Double(rowCount)).rounded())
    guard testCount > 0, testCount < rowCount else {
      throw TableError(
        "a test fraction of \(testFraction) of \(rowCount) rows leaves an empty training or test set; use more rows or another fraction"
      )
    }
    var order = Array(0..<rowCount)
    if shuffle {
      var generator = Xoshiro256StarStar(seed: seed)
      generator.shuffle(&order)
    }
    let trainCount = rowCount - testCount
    return (Array(order[..<trainCount]), Array(order[trainCount...]))
  }
}
