import HonePipeline
import Testing

/// Bad parameters and bad input throw ``SplitterError`` of the right kind.
@Suite struct SplitterErrorTests {
  static func expectError(
    _ kind: SplitterError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
  ) {
    do {
      try body()
      Issue.record("expected a SplitterError of kind \(kind)", sourceLocation: sourceLocation)
    } catch let error as SplitterError {
      #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
      #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
      Issue.record("expected a SplitterError, got \(error)", sourceLocation: sourceLocation)
    }
  }

  static let pointLabels = try? LabelIntervals(endRows: Array(0..<10))

  @Test func fewerThanTwoFolds() throws {
    let data = try SplitData(
      rowCount: 10, targets: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], groups: Array(0..<10), labelIntervals: Self.pointLabels)
    let splitters: [any Splitter] = [
      KFold(folds: 1), StratifiedKFold(folds: 0), GroupKFold(folds: 1), PurgedKFold(folds: -3),
      TimeSeriesSplit(splits: 1), CombinatorialPurgedKFold(groupCount: 1, testGroupCount: 1),
    ]
    for splitter in splitters {
      Self.expectError(.invalidParameter) { _ = try splitter.splits(for: data) }
    }
  }

  @Test func moreFoldsThanRows() throws {
    let data = try SplitData(
      rowCount: 10, targets: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], groups: Array(0..<10), labelIntervals: Self.pointLabels)
    let splitters: [any Splitter] = [
      KFold(folds: 11), StratifiedKFold(folds: 11), GroupKFold(folds: 11), PurgedKFold(folds: 11),
      TimeSeriesSplit(splits: 10), CombinatorialPurgedKFold(groupCount: 11, testGroupCount: 2),
    ]
    for splitter in splitters {
      Self.expectError(.tooFewRows) { _ = try splitter.splits(for: data) }
    }
  }

  @Test func missingInputs() throws {
    let data = try SplitData(rowCount: 10)
    let splitters: [any Splitter] = [
      StratifiedKFold(folds: 2), GroupKFold(folds: 2), PurgedKFold(folds: 2),
      CombinatorialPurgedKFold(groupCount: 4, testGroupCount: 2),
    ]
    for splitter in splitters {
      Self.expectError(.missingInput) { _ = try splitter.splits(for: data) }
    }
  }

  @Test func groupsFewerThanFolds() throws {
    let oneGroup = try SplitData(rowCount: 6, groups: [3, 3, 3, 3, 3, 3])
    Self.expectError(.tooFewGroups) { _ = try GroupKFold(folds: 2).splits(for: oneGroup) }
    let twoGroups = try SplitData(rowCount: 6, groups: [1, 1, 1, 2, 2, 2])
    Self.expectError(.tooFewGroups) { _ = try GroupKFold(folds: 3).splits(for: twoGroups) }
    Self.expectError(.tooFewGroups) { _ = try GroupKFold(folds: 3, shuffleSeed: 1).splits(for: twoGroups) }
  }

  @Test func labelIntervalsEndingBeforeTheyStart() {
    Self.expectError(.invalidLabelInterval) { _ = try LabelIntervals(starts: [0, 5, 6], ends: [1, 4, 6]) }
    Self.expectError(.invalidLabelInterval) { _ = try LabelIntervals(endRows: [0, 1, 1]) }
    Self.expectError(.invalidLabelInterval) { _ = try LabelIntervals(starts: [0, 1], ends: [2, Int64.min]) }
    Self.expectError(.lengthMismatch) { _ = try LabelIntervals(starts: [0, 1], ends: [2]) }
  }

  @Test func unsortedStartsWhereOrderMatters() throws {
    let intervals = try LabelIntervals(starts: [0, 1, 2, 5, 4, 6], ends: [0, 1, 2, 5, 4, 6])
    let data = try SplitData(rowCount: 6, labelIntervals: intervals)
    Self.expectError(.unsortedLabelStarts) { _ = try PurgedKFold(folds: 2).splits(for: data) }
    Self.expectError(.unsortedLabelStarts) {
      _ = try CombinatorialPurgedKFold(groupCount: 3, testGroupCount: 1).splits(for: data)
    }
    // K-fold ignores label intervals, so their order does not matter there.
    #expect(try KFold(folds: 2).splits(for: data).count == 2)
  }

  @Test func sizesThatLeaveNoTrainingData() throws {
    Self.expectError(.emptyTrainingSet) {
      _ = try TimeSeriesSplit(splits: 3, gap: 8).splits(for: SplitData(rowCount: 10))
    }
    Self.expectError(.emptyTrainingSet) {
      _ = try TimeSeriesSplit(splits: 3, testSize: 4).splits(for: SplitData(rowCount: 12))
    }
    Self.expectError(.tooFewRows) {
      _ = try WalkForwardSplit(window: .rolling(size: 5), testSize: 3, gap: 3).splits(for: SplitData(rowCount: 10))
    }
    Self.expectError(.invalidParameter) {
      _ = try WalkForwardSplit(window: .expanding(minimumSize: 0), testSize: 3).splits(for: SplitData(rowCount: 10))
    }
    Self.expectError(.invalidParameter) {
      _ = try WalkForwardSplit(window: .rolling(size: 3), testSize: 2, step: 0).splits(for: SplitData(rowCount: 10))
    }
    Self.expectError(.invalidParameter) {
      _ = try WalkForwardSplit(window: .rolling(size: 3), testSize: 2, gap: -1).splits(for: SplitData(rowCount: 10))
    }
    Self.expectError(.invalidParameter) {
      _ = try TimeSeriesSplit(splits: 2, gap: -1).splits(for: SplitData(rowCount: 10))
    }
    Self.expectError(.invalidParameter) {
      _ = try TimeSeriesSplit(splits: 2, maxTrainSize: 0).splits(for: SplitData(rowCount: 10))
    }
    // Every label spans the whole series: whatever is tested, the rest overlaps it.
    let spanning = try LabelIntervals(starts: Array(0..<8), ends: Array(repeating: 7, count: 8))
    let data = try SplitData(rowCount: 8, labelIntervals: spanning)
    Self.expectError(.emptyTrainingSet) { _ = try PurgedKFold(folds: 4).splits(for: data) }
    Self.expectError(.emptyTrainingSet) {
      _ = try CombinatorialPurgedKFold(groupCount: 4, testGroupCount: 2).splits(for: data)
    }
    // An embargo as long as the series empties the first fold's training set.
    let points = try SplitData(rowCount: 10, labelIntervals: Self.pointLabels)
    Self.expectError(.emptyTrainingSet) { _ = try PurgedKFold(folds: 2, embargo: 0.5).splits(for: points) }
  }

  @Test func badEmbargoAndTestGroupCounts() throws {
    let data = try SplitData(rowCount: 10, labelIntervals: Self.pointLabels)
    for embargo in [-0.1, 1, .nan, .infinity] {
      Self.expectError(.invalidParameter) { _ = try PurgedKFold(folds: 2, embargo: embargo).splits(for: data) }
    }
    for testGroups in [0, 4, 5] {
      Self.expectError(.invalidParameter) {
        _ = try CombinatorialPurgedKFold(groupCount: 4, testGroupCount: testGroups).splits(for: data)
      }
    }
    Self.expectError(.tooManySplits) {
      _ = try CombinatorialPurgedKFold(groupCount: 200, testGroupCount: 100).testGroupCombinations()
    }
  }

  @Test func badTargetsAndLengths() throws {
    Self.expectError(.invalidTargets) {
      _ = try StratifiedKFold(folds: 2).splits(for: SplitData(rowCount: 4, targets: [0, 1, 0.5, 1]))
    }
    Self.expectError(.invalidTargets) {
      _ = try StratifiedKFold(folds: 2).splits(for: SplitData(rowCount: 4, targets: [0, 1, .nan, 1]))
    }
    // Every class smaller than the folds: scikit-learn raises here too.
    Self.expectError(.invalidTargets) {
      _ = try StratifiedKFold(folds: 3).splits(for: SplitData(rowCount: 4, targets: [0, 0, 1, 1]))
    }
    Self.expectError(.lengthMismatch) { _ = try SplitData(rowCount: 4, targets: [0, 1]) }
    Self.expectError(.lengthMismatch) { _ = try SplitData(rowCount: 4, groups: [0, 1, 2, 3, 4]) }
    Self.expectError(.lengthMismatch) { _ = try SplitData(rowCount: 3, labelIntervals: Self.pointLabels) }
    Self.expectError(.invalidParameter) { _ = try SplitData(rowCount: -1) }
  }
}
