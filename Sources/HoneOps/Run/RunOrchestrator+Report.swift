import Foundation
import HoneCore
import HonePipeline
import HoneTuning

extension RunOrchestrator {
  /// Everything the HTML report shows, gathered from the stages' outputs.
  func makeReport(
    runID: String, prepared: PreparedData, outcomes: [CandidateOutcome], leaderboard: [LeaderboardEntry],
    metric: Metric, refit: RefitOutcome, holdoutMetrics: [String: Double], backtest: BacktestResult?,
    selection: SelectionStatistics?, version: ModelVersion, seconds: Double
  ) throws -> RunReport {
    let direction: Direction = metric.greaterIsBetter ? .maximize : .minimize
    let rows = leaderboard.map { entry in
      LeaderboardRow(
        candidate: entry.name, kind: entry.kind.rawValue, cvMean: entry.score ?? .nan,
        cvStandardDeviation: entry.scoreStandardDeviation ?? .nan,
        holdoutScore: entry.isWinner ? holdoutMetrics[metric.name] : nil, trials: entry.complete + entry.failed,
        pruned: entry.pruned, seconds: entry.seconds, isWinner: entry.isWinner)
    }
    let candidates = outcomes.map { outcome in
      CandidateDetail(
        candidate: outcome.name, history: StudyPlots.optimizationHistory(outcome.trials, direction: direction),
        importance: outcome.importance, foldScores: outcome.bestFoldScores,
        bestParameters: outcome.bestParameters.mapValues(Self.text))
    }
    let features = refit.featureImportance.map {
      FeatureImportance(name: $0.key, mean: $0.value, standardDeviation: 0, drops: [])
    }.sorted { $0.mean > $1.mean }
    var report = RunReport(
      runName: configuration.name, runID: runID, created: Self.timestamp(Date()), honeVersion: HoneVersion.current,
      configText: configurationText,
      data: DataSummary(
        sources: configuration.data.paths, rows: prepared.table.rowCount, featureCount: prepared.featureNames.count,
        target: targetDescription, trainingRows: prepared.trainingRows.count,
        holdoutRows: prepared.holdoutRows.count,
        period: periodDescription(prepared, rows: Array(prepared.periods.indices)),
        dataHash: prepared.dataHash),
      task: prepared.task, selectionMetric: metric.name, greaterIsBetter: metric.greaterIsBetter,
      leaderboard: rows, candidates: candidates, featureImportance: features,
      holdoutMetrics: holdoutMetrics.sorted { $0.key < $1.key }.map { NamedValue($0.key, $0.value) },
      registry: RegistryEntry(modelName: version.name, version: version.version, alias: version.aliases.first))
    let target = try prepared.holdoutTable().column(named: PreparedData.targetColumn).doubleValues
    switch prepared.task {
    case .regression:
      report.regression = RegressionResiduals(predicted: refit.holdoutPredictions, actual: target)
    case .classification:
      if prepared.classes.count == 2, let matrix = holdoutProbabilityMatrix(prepared, refit: refit) {
        let scores = (0..<matrix.rows).map { matrix[$0, 1] }
        let positives = target.map { $0 == prepared.classes[1] }
        report.classification = ClassificationCurves(
          roc: Self.rocCurve(scores: scores, positives: positives), auc: holdoutMetrics["auc"] ?? .nan,
          calibration: Self.calibration(scores: scores, positives: positives, bins: 10))
      }
    }
    if let backtest {
      report.trading = TradingSection(
        equity: backtest.equity, drawdown: backtest.drawdown,
        metrics: backtest.metrics.sorted { $0.key < $1.key }.map { NamedValue($0.key, $0.value) },
        deflatedSharpeRatio: selection?.deflatedSharpeRatio,
        probabilityOfBacktestOverfitting: selection?.probabilityOfBacktestOverfitting,
        period: periodDescription(prepared, rows: prepared.holdoutRows))
    }
    return report
  }

  var targetDescription: String {
    switch configuration.target.source {
    case .column(let name): return name
    case .forwardReturn(let label): return "forward return over \(label.horizon) rows"
    case .threshold(let label): return "forward return over \(label.horizon) rows above \(label.threshold)"
    case .tripleBarrier: return "triple-barrier label (1 = upper barrier first)"
    }
  }

  func periodDescription(_ prepared: PreparedData, rows: [Int]) -> String? {
    guard let first = rows.first, let last = rows.last,
      configuration.data.timestamp != nil
        || prepared.periods.first.map({ $0 > 1_000_000_000_000 }) == true
    else { return nil }
    return
      "\(Timestamp.iso8601(nanoseconds: prepared.periods[first])) to \(Timestamp.iso8601(nanoseconds: prepared.periods[last]))"
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  /// The ROC curve's corner points: thresholds at every distinct score, highest first.
  static func rocCurve(scores: [Double], positives: [Bool]) -> [ClassificationCurves.ROCPoint] {
    let p = Double(positives.filter { $0 }.count)
    let n = Double(positives.count) - p
    guard p > 0, n > 0 else { return [] }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var points = [ClassificationCurves.ROCPoint(falsePositiveRate: 0, truePositiveRate: 0)]
    var tp = 0.0
    var fp = 0.0
    for (k, i) in order.enumerated() {
      if positives[i] { tp += 1 } else { fp += 1 }
      if k + 1 == order.count || scores[order[k + 1]] != scores[i] {
        points.append(.init(falsePositiveRate: fp / n, truePositiveRate: tp / p))
      }
    }
    return points
  }

  /// Reliability bins of equal width on [0, 1]; empty bins are left out.
  static func calibration(scores: [Double], positives: [Bool], bins: Int) -> [ClassificationCurves.CalibrationBin] {
    var sums = [Double](repeating: 0, count: bins)
    var hits = [Double](repeating: 0, count: bins)
    var counts = [Int](repeating: 0, count: bins)
    for (i, score) in scores.enumerated() where score.isFinite {
      let bin = Swift.min(bins - 1, Swift.max(0, Int(score * Double(bins))))
      sums[bin] += score
      hits[bin] += positives[i] ? 1 : 0
      counts[bin] += 1
    }
    return (0..<bins).filter { counts[$0] > 0 }.map {
      .init(
        meanPredicted: sums[$0] / Double(counts[$0]), observedFrequency: hits[$0] / Double(counts[$0]),
        count: counts[$0])
    }
  }
}
