import Foundation
import HoneCore
import HonePipeline
import Testing

/// Shuffled k-fold variants, walk-forward windows worked out by hand, and ``Split``.
@Suite struct StandardSplitterTests {
  /// Shuffling changes which rows share a fold, never the fold sizes (scikit-learn's rule:
  /// the first n % k folds one row longer), and each row is tested exactly once.
  @Test(arguments: [(10, 3), (23, 5), (7, 7), (100, 10)])
  func shuffledKFoldKeepsSizesAndPartitions(rows: Int, folds: Int) throws {
    let data = try SplitData(rowCount: rows)
    let plain = try KFold(folds: folds).splits(for: data)
    for seed: UInt64 in [0, 1, 42] {
      let shuffled = try KFold(folds: folds, shuffleSeed: seed).splits(for: data)
      #expect(shuffled.map(\.test.count) == plain.map(\.test.count))
      #expect(shuffled.flatMap(\.test).sorted() == Array(0..<rows))
      #expect(try KFold(folds: folds, shuffleSeed: seed).splits(for: data) == shuffled, "a seed fixes the folds")
    }
    if folds < rows {
      let shuffled = try KFold(folds: folds, shuffleSeed: 7).splits(for: data)
      #expect(shuffled != plain, "a shuffle that left every fold contiguous would be no shuffle")
    }
  }

  /// The seeded shuffle is Hone's Fisher–Yates over xoshiro256**: rows at positions of the
  /// permutation `Xoshiro256StarStar(seed).permutation(n)` fill the folds in order.
  @Test func shuffledKFoldFollowsTheSeededPermutation() throws {
    var generator = Xoshiro256StarStar(seed: 2024)
    let order = generator.permutation(11)
    let splits = try KFold(folds: 4, shuffleSeed: 2024).splits(for: SplitData(rowCount: 11))
    #expect(splits[0].test == Array(order[0..<3]).sorted())
    #expect(splits[1].test == Array(order[3..<6]).sorted())
    #expect(splits[2].test == Array(order[6..<9]).sorted())
    #expect(splits[3].test == Array(order[9..<11]).sorted())
  }

  /// Shuffled group k-fold keeps every group on one side, and gives each fold
  /// `groups / k` or one more whole groups.
  @Test(arguments: [UInt64(0), 5, 99])
  func shuffledGroupKFoldKeepsGroupsWhole(seed: UInt64) throws {
    var generator = Xoshiro256StarStar(seed: seed &+ 1000)
    let groups = (0..<60).map { _ in generator.nextInt(below: 11) * 3 - 7 }
    let distinct = Set(groups).count
    let splits = try GroupKFold(folds: 4, shuffleSeed: seed).splits(for: SplitData(rowCount: 60, groups: groups))
    #expect(splits.count == 4)
    #expect(splits.flatMap(\.test).sorted() == Array(0..<60))
    for split in splits {
      let testGroups = Set(split.test.map { groups[$0] })
      #expect(testGroups.isDisjoint(with: split.train.map { groups[$0] }))
      #expect(testGroups.count == distinct / 4 || testGroups.count == distinct / 4 + 1)
    }
  }

  /// n = 10, rolling window of 4, test 2, step 2, gap 1: (10 − 4 − 1 − 2) / 2 + 1 = 2 splits.
  @Test func walkForwardRollingByHand() throws {
    let splits = try WalkForwardSplit(window: .rolling(size: 4), testSize: 2, step: 2, gap: 1)
      .splits(for: SplitData(rowCount: 10))
    #expect(
      splits == [
        Split(train: [0, 1, 2, 3], test: [5, 6]),
        Split(train: [2, 3, 4, 5], test: [7, 8]),
      ])
  }

  @Test func walkForwardExpandingByHand() throws {
    let splits = try WalkForwardSplit(window: .expanding(minimumSize: 4), testSize: 2, step: 2, gap: 1)
      .splits(for: SplitData(rowCount: 10))
    #expect(
      splits == [
        Split(train: [0, 1, 2, 3], test: [5, 6]),
        Split(train: [0, 1, 2, 3, 4, 5], test: [7, 8]),
      ])
  }

  /// Step below the test size: overlapping test windows; the default step tiles them.
  @Test func walkForwardStepControlsOverlap() throws {
    let data = try SplitData(rowCount: 7)
    let overlapping = try WalkForwardSplit(window: .rolling(size: 3), testSize: 2, step: 1).splits(for: data)
    #expect(
      overlapping == [
        Split(train: [0, 1, 2], test: [3, 4]),
        Split(train: [1, 2, 3], test: [4, 5]),
        Split(train: [2, 3, 4], test: [5, 6]),
      ])
    let tiled = try WalkForwardSplit(window: .expanding(minimumSize: 3), testSize: 2).splits(for: data)
    #expect(tiled == [Split(train: [0, 1, 2], test: [3, 4]), Split(train: [0, 1, 2, 3, 4], test: [5, 6])])
  }

  /// The documented count `(n − w − g − t) / s + 1`, against counting windows one by one.
  @Test(arguments: [(30, 5, 3, 2, 0), (31, 7, 4, 3, 2), (12, 1, 1, 1, 0), (50, 10, 5, 7, 3)])
  func walkForwardCount(rows: Int, train: Int, test: Int, step: Int, gap: Int) throws {
    let splits = try WalkForwardSplit(window: .rolling(size: train), testSize: test, step: step, gap: gap)
      .splits(for: SplitData(rowCount: rows))
    var expected = 0
    while train + expected * step + gap + test <= rows { expected += 1 }
    #expect(splits.count == expected)
    for split in splits {
      #expect(split.train.count == train)
      let lastTrain = try #require(split.train.last)
      let firstTest = try #require(split.test.first)
      #expect(firstTest - lastTrain - 1 == gap)
    }
  }

  @Test func splitSortsAndDeduplicates() {
    let split = Split(train: [5, 1, 3, 1], test: [9, 7, 7])
    #expect(split.train == [1, 3, 5])
    #expect(split.test == [7, 9])
  }
}

/// Decoding goes through the validating initializers, so a file cannot smuggle in an
/// interval that ends before it starts or an unsorted split.
@Suite struct SplitCodingTests {
  @Test func decodingValidates() throws {
    let decoder = JSONDecoder()
    let split = try decoder.decode(Split.self, from: Data(#"{"train":[4,2,2],"test":[9,7]}"#.utf8))
    #expect(split == Split(train: [2, 4], test: [7, 9]))
    let intervals = try decoder.decode(LabelIntervals.self, from: Data(#"{"starts":[0,1],"ends":[3,1]}"#.utf8))
    #expect(intervals == (try LabelIntervals(starts: [0, 1], ends: [3, 1])))
    #expect(throws: SplitterError.self) {
      try decoder.decode(LabelIntervals.self, from: Data(#"{"starts":[0,5],"ends":[3,4]}"#.utf8))
    }
    let splitter = PurgedKFold(folds: 4, embargo: 0.01)
    #expect(try decoder.decode(PurgedKFold.self, from: JSONEncoder().encode(splitter)) == splitter)
  }
}
