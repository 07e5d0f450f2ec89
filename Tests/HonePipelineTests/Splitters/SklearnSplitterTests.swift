import HonePipeline
import Testing

/// The standard splitters against scikit-learn 1.9.1's folds: the comparison is exact,
/// since both sides produce integer row indices.
@Suite struct SklearnSplitterTests {
  @Test func fixturesLoad() throws {
    let fixtures = try SplitterFixtures.load()
    #expect(fixtures.versions["sklearn"] == "1.9.1")
    #expect(!fixtures.kfold.isEmpty && !fixtures.stratifiedKfold.isEmpty)
    #expect(!fixtures.groupKfold.isEmpty && !fixtures.timeSeriesSplit.isEmpty)
  }

  @Test(arguments: SplitterFixtures.shared?.kfold ?? [])
  func kFoldMatchesScikitLearn(_ reference: SplitterFixtures.KFoldCase) throws {
    let splits = try KFold(folds: reference.k).splits(for: SplitData(rowCount: reference.n))
    #expect(splits.map(\.fold) == reference.splits)
  }

  @Test(arguments: SplitterFixtures.shared?.stratifiedKfold ?? [])
  func stratifiedKFoldMatchesScikitLearn(_ reference: SplitterFixtures.StratifiedCase) throws {
    let data = try SplitData(rowCount: reference.targets.count, targets: reference.targets)
    let splits = try StratifiedKFold(folds: reference.k).splits(for: data)
    #expect(splits.map(\.fold) == reference.splits)
  }

  /// With a shuffle, rows differ from scikit-learn's (another generator), but the number of
  /// rows of each class in each test fold is fixed by the allocation, which must agree.
  @Test(arguments: SplitterFixtures.shared?.stratifiedKfold ?? [])
  func shuffledStratifiedKFoldKeepsScikitLearnAllocation(_ reference: SplitterFixtures.StratifiedCase) throws {
    let data = try SplitData(rowCount: reference.targets.count, targets: reference.targets)
    let classes = Array(Set(reference.targets)).sorted()
    func counts(_ test: [Int]) -> [Int] {
      classes.map { label in test.count(where: { reference.targets[$0] == label }) }
    }
    for seed: UInt64 in [1, 2, 3] {
      let splits = try StratifiedKFold(folds: reference.k, shuffleSeed: seed).splits(for: data)
      #expect(splits.map { counts($0.test) } == reference.splits.map { counts($0.test) })
      #expect(splits.flatMap(\.test).sorted() == Array(0..<reference.targets.count))
    }
  }

  @Test(arguments: SplitterFixtures.shared?.groupKfold ?? [])
  func groupKFoldMatchesScikitLearn(_ reference: SplitterFixtures.GroupCase) throws {
    let data = try SplitData(rowCount: reference.groups.count, groups: reference.groups)
    let splits = try GroupKFold(folds: reference.k).splits(for: data)
    #expect(splits.map(\.fold) == reference.splits)
  }

  @Test(arguments: SplitterFixtures.shared?.timeSeriesSplit ?? [])
  func timeSeriesSplitMatchesScikitLearn(_ reference: SplitterFixtures.TimeSeriesCase) throws {
    let splitter = TimeSeriesSplit(
      splits: reference.k, maxTrainSize: reference.maxTrainSize, testSize: reference.testSize, gap: reference.gap)
    let splits = try splitter.splits(for: SplitData(rowCount: reference.n))
    #expect(splits.map(\.fold) == reference.splits)
  }
}
