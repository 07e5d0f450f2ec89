import HoneCore
import HonePipeline
import Testing

/// Invariants over random sizes and seeds: disjoint sorted train and test sets for every
/// splitter, and for the purged splitters no train/test label overlap and the embargo,
/// checked against a brute-force reference written from the definitions.
@Suite struct SplitterPropertyTests {
  /// Random time-ordered label intervals: starts advance by 0–2 (ties model several
  /// symbols per bar), labels last 0–4 units, and one in eight lasts up to 15, so test
  /// blocks often have an early label reaching past their last row.
  static func intervals(rows: Int, generator: inout Xoshiro256StarStar) throws -> LabelIntervals {
    var starts: [Int64] = []
    var time: Int64 = 1_000
    for _ in 0..<rows {
      time += Int64(generator.nextInt(below: 3))
      starts.append(time)
    }
    let ends = starts.map { start in
      let long = generator.nextInt(below: 8) == 0
      return start + Int64(generator.nextInt(below: long ? 16 : 5))
    }
    return try LabelIntervals(starts: starts, ends: ends)
  }

  /// Training rows by the definitions of López de Prado 2018, §7.4: drop test rows, every
  /// row whose interval overlaps some test row's interval (checked pair by pair), and, for
  /// each block, the first `embargo` rows after it that start after the block's labels end,
  /// with every row that starts at the same time as the last of those (whole times).
  static func referenceTraining(blocks: [Range<Int>], intervals: LabelIntervals, embargo: Int) -> [Int] {
    let n = intervals.count
    var excluded = Set(blocks.flatMap { Array($0) })
    for block in blocks {
      for row in 0..<n where !excluded.contains(row) {
        let overlaps = block.contains { test in
          intervals.starts[row] <= intervals.ends[test] && intervals.starts[test] <= intervals.ends[row]
        }
        if overlaps { excluded.insert(row) }
      }
      let labelsEnd = block.map { intervals.ends[$0] }.max() ?? Int64.min
      let after = (block.upperBound..<n).filter { intervals.starts[$0] > labelsEnd }
      let embargoed = after.prefix(embargo)
      excluded.formUnion(embargoed)
      if let last = embargoed.last {
        excluded.formUnion(after.filter { intervals.starts[$0] == intervals.starts[last] })
      }
    }
    return (0..<n).filter { !excluded.contains($0) }
  }

  static func checkBasic(_ split: Split, rows: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(zip(split.train, split.train.dropFirst()).allSatisfy { $0 < $1 }, sourceLocation: sourceLocation)
    #expect(zip(split.test, split.test.dropFirst()).allSatisfy { $0 < $1 }, sourceLocation: sourceLocation)
    #expect(Set(split.train).isDisjoint(with: split.test), sourceLocation: sourceLocation)
    #expect((split.train + split.test).allSatisfy { (0..<rows).contains($0) }, sourceLocation: sourceLocation)
    #expect(!split.train.isEmpty && !split.test.isEmpty, sourceLocation: sourceLocation)
  }

  static func checkNoOverlap(
    _ split: Split, _ intervals: LabelIntervals, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for train in split.train {
      let leaks = split.test.filter { test in
        intervals.starts[train] <= intervals.ends[test] && intervals.starts[test] <= intervals.ends[train]
      }
      #expect(leaks.isEmpty, "train row \(train) overlaps test rows \(leaks)", sourceLocation: sourceLocation)
    }
  }

  static let cases: [(rows: Int, seed: UInt64)] = [(12, 1), (30, 2), (57, 3), (100, 4), (257, 5), (64, 6), (19, 7)]

  @Test(arguments: cases)
  func purgedKFoldMatchesTheDefinitions(rows: Int, seed: UInt64) throws {
    var generator = Xoshiro256StarStar(seed: seed)
    let intervals = try Self.intervals(rows: rows, generator: &generator)
    let data = try SplitData(rowCount: rows, labelIntervals: intervals)
    for folds in [2, 3, 5] where folds <= rows {
      for embargo in [0, 0.02, 0.07] {
        let splitter = PurgedKFold(folds: folds, embargo: embargo)
        let h = splitter.embargoRows(rowCount: rows)
        let blocks = try KFold(folds: folds).splits(for: SplitData(rowCount: rows)).map {
          $0.test[0]..<($0.test[0] + $0.test.count)
        }
        let expected = blocks.map { Self.referenceTraining(blocks: [$0], intervals: intervals, embargo: h) }
        do {
          let splits = try splitter.splits(for: data)
          #expect(splits.map(\.train) == expected, "folds \(folds), embargo \(embargo)")
          #expect(splits.flatMap(\.test) == Array(0..<rows), "test blocks tile the rows in order")
          for split in splits {
            Self.checkBasic(split, rows: rows)
            Self.checkNoOverlap(split, intervals)
          }
        } catch let error as SplitterError where error.kind == .emptyTrainingSet {
          #expect(expected.contains { $0.isEmpty }, "threw \(error) though every reference split trains")
        }
      }
    }
  }

  @Test(arguments: cases)
  func combinatorialPurgedKFoldMatchesTheDefinitions(rows: Int, seed: UInt64) throws {
    var generator = Xoshiro256StarStar(seed: seed &+ 100)
    let intervals = try Self.intervals(rows: rows, generator: &generator)
    let data = try SplitData(rowCount: rows, labelIntervals: intervals)
    for (groups, testGroups) in [(4, 2), (6, 2), (5, 3)] where groups <= rows {
      for embargo in [0, 0.05] {
        let splitter = CombinatorialPurgedKFold(groupCount: groups, testGroupCount: testGroups, embargo: embargo)
        let h = PurgedKFold(embargo: embargo).embargoRows(rowCount: rows)
        let ranges = try splitter.groupRanges(rowCount: rows)
        let combinations = try splitter.testGroupCombinations()
        let expected = combinations.map { chosen in
          Self.referenceTraining(blocks: chosen.map { ranges[$0] }, intervals: intervals, embargo: h)
        }
        do {
          let splits = try splitter.splits(for: data)
          #expect(splits.map(\.train) == expected, "N \(groups), k \(testGroups), embargo \(embargo)")
          for (split, chosen) in zip(splits, combinations) {
            #expect(split.test == chosen.flatMap { Array(ranges[$0]) })
            Self.checkBasic(split, rows: rows)
            Self.checkNoOverlap(split, intervals)
          }
        } catch let error as SplitterError where error.kind == .emptyTrainingSet {
          #expect(expected.contains { $0.isEmpty }, "threw \(error) though every reference split trains")
        }
      }
    }
  }

  @Test(arguments: cases)
  func standardSplittersAreDisjointAndCover(rows: Int, seed: UInt64) throws {
    var generator = Xoshiro256StarStar(seed: seed &+ 200)
    let targets = (0..<rows).map { _ in Double(generator.nextInt(below: 3)) }
    let groups = (0..<rows).map { _ in generator.nextInt(below: max(4, rows / 3)) }
    let data = try SplitData(rowCount: rows, targets: targets, groups: groups)
    let folds = min(4, Set(groups).count)
    let partitioning: [any Splitter] = [
      KFold(folds: folds), KFold(folds: folds, shuffleSeed: seed), StratifiedKFold(folds: folds),
      StratifiedKFold(folds: folds, shuffleSeed: seed), GroupKFold(folds: folds),
      GroupKFold(folds: folds, shuffleSeed: seed),
    ]
    for splitter in partitioning {
      let splits = try splitter.splits(for: data)
      #expect(splits.count == folds, "\(splitter)")
      #expect(splits.flatMap(\.test).sorted() == Array(0..<rows), "each row tested once by \(splitter)")
      for split in splits {
        Self.checkBasic(split, rows: rows)
        #expect(split.train.count + split.test.count == rows)
      }
    }
    for split in try GroupKFold(folds: folds).splits(for: data) {
      #expect(Set(split.test.map { groups[$0] }).isDisjoint(with: split.train.map { groups[$0] }))
    }

    // Time-ordered splitters: training strictly before testing, gap respected.
    let ordered: [(any Splitter, gap: Int)] = [
      (TimeSeriesSplit(splits: 3, gap: 1), 1),
      (TimeSeriesSplit(splits: 2, maxTrainSize: rows / 4, testSize: rows / 5, gap: 2), 2),
      (WalkForwardSplit(window: .rolling(size: rows / 3), testSize: rows / 6, gap: 1), 1),
      (WalkForwardSplit(window: .expanding(minimumSize: rows / 4), testSize: rows / 6, step: 2), 0),
    ]
    for (splitter, gap) in ordered {
      for split in try splitter.splits(for: data) {
        Self.checkBasic(split, rows: rows)
        let lastTrain = try #require(split.train.last)
        let firstTest = try #require(split.test.first)
        #expect(firstTest - lastTrain - 1 == gap, "\(splitter)")
      }
    }
  }

  /// A gap and test size near Int.max are refused with an error, not an overflow trap.
  @Test func absurdGapsAreRefusedNotTrapped() throws {
    let data = try SplitData(rowCount: 50)
    #expect(throws: SplitterError.self) {
      try TimeSeriesSplit(splits: 2, testSize: Int.max / 3, gap: Int.max).splits(for: data)
    }
    #expect(throws: SplitterError.self) { try TimeSeriesSplit(splits: 2, gap: 50).splits(for: data) }
  }
}
