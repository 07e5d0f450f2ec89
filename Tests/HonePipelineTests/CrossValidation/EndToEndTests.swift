import Foundation
import HoneCore
import HoneDatasets
import HoneLinear
import HoneLinearAlgebra
import HonePipeline
import Testing

/// The whole leakage-safe path on one series: features from past bars, triple-barrier
/// labels with end times, purged k-fold with embargo, and a pipeline fitted per fold.
@Suite("Features, labels and purged cross-validation together")
struct EndToEndTests {
  @Test func purgedCrossValidationOnTripleBarrierLabels() throws {
    let bars = try SyntheticMarket.generate(.init(symbols: ["ALPHA"], days: 600, seed: 21))
    let features = FeatureSet([
      .logReturn(column: "close", horizon: 1), .logReturn(column: "close", horizon: 5),
      .relativeStrengthIndex(column: "close", period: 14), .volumeZScore(window: 20),
    ])
    let withFeatures = try features.apply(to: bars)
    let labels = try TripleBarrierLabel(
      profitTaking: 1.5, stopLoss: 1.5, maxHoldingRows: 10, volatility: .constant(value: 0.01)
    ).labels(for: bars)
    // Keep rows with a label whose features are past their warm-up.
    let rows = labels.labeledRows.filter { $0 >= features.warmUpRows }
    #expect(!rows.isEmpty && rows.count < bars.rowCount)
    let table = try withFeatures.rows(at: rows)
      .setting(.float("label", rows.map { labels.values[$0] > 0 ? 1 : 0 }))
      .selecting(features.outputNames + ["label"])
    let data = try SplitData(rowCount: rows.count, labelIntervals: try labels.intervals(rows: rows))
    let splitter = PurgedKFold(folds: 5, embargo: 0.01)
    let result = try crossValidate(
      Pipeline([.imputer(.init(strategy: .median)), .standardScaler(.init())], LogisticRegression()),
      table: table, target: "label", splitter: splitter, splitData: data,
      scoring: [Metric.rocAUC.scoring, Metric.accuracy.scoring])
    #expect(result.folds.count == 5)
    let intervals = try labels.intervals(rows: rows)
    for fold in result.folds {
      // No training label may overlap a test label: the purge held.
      let testStart = fold.testRows.map { intervals.starts[$0] }.min() ?? 0
      let testEnd = fold.testRows.map { intervals.ends[$0] }.max() ?? 0
      for row in fold.trainRows {
        #expect(intervals.ends[row] < testStart || intervals.starts[row] > testEnd)
      }
      // Purging and embargo removed rows beyond the test block (labels span up to 10 bars).
      #expect(fold.trainRows.count + fold.testRows.count < rows.count)
      let auc = try #require(fold.scores["auc"])
      #expect(auc >= 0 && auc <= 1)
    }
  }
}
