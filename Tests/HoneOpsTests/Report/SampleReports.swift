import Foundation
import HoneCore
import HoneOps
import HonePipeline
import HoneTuning

/// Realistic synthetic reports: what a trading run and a classification run produce.
enum SampleReports {
  static func history(trials: Int, seed: UInt64, base: Double, direction: Direction) -> [OptimizationHistoryPoint] {
    var generator = Xoshiro256StarStar(seed: seed)
    let frozen = (0..<trials).map { number -> FrozenTrial in
      let draw = generator.nextUnitDouble()
      if draw < 0.12 { return FrozenTrial(number: number, state: .pruned) }
      if draw < 0.15 { return FrozenTrial(number: number, state: .failed, error: "diverged") }
      // Values improve as the sampler learns, with noise.
      let progress = 1 - exp(-Double(number) / 12)
      let value = base + 0.04 * progress + 0.02 * generator.nextGaussian()
      return FrozenTrial(number: number, state: .complete, value: value)
    }
    return StudyPlots.optimizationHistory(frozen, direction: direction)
  }

  static func trading() -> RunReport {
    var generator = Xoshiro256StarStar(seed: 42)
    var equity: [Double] = [1]
    for _ in 1..<2500 { equity.append(equity[equity.count - 1] * (1 + 0.0004 + 0.009 * generator.nextGaussian())) }
    var peak = 0.0
    let drawdown = equity.map { value -> Double in
      peak = max(peak, value)
      return value / peak - 1
    }
    let names = ["gbdt <tuned>", "ridge & friends", "mlp \"wide\""]
    return RunReport(
      runName: "quickstart: synthetic market <GBDT vs ridge vs MLP>", runID: "run-2026-11-26-a1b2c3",
      created: "2026-11-26T20:30:00Z", honeVersion: HoneVersion.current,
      configText:
        "name: quickstart\ndata:\n  source: synthetic_market.csv\nmodels:\n  - kind: gbdt\n    trials: 30\n  - kind: ridge\n",
      data: DataSummary(
        sources: ["Datasets/market/synthetic_market.csv"], rows: 12_000, featureCount: 18,
        target: "triple_barrier(label)", trainingRows: 9_600, holdoutRows: 2_400,
        period: "2018-01-02 – 2025-12-31", dataHash: "9f2c1e"),
      task: .classification, selectionMetric: "auc", greaterIsBetter: true,
      leaderboard: [
        LeaderboardRow(
          candidate: names[0], kind: "gbdt", cvMean: 0.5612, cvStandardDeviation: 0.0123, holdoutScore: 0.5541,
          trials: 30, pruned: 4, seconds: 83.2, isWinner: true),
        LeaderboardRow(
          candidate: names[1], kind: "ridge", cvMean: 0.5311, cvStandardDeviation: 0.0087, trials: 30, pruned: 0,
          seconds: 4.1, isWinner: false),
        LeaderboardRow(
          candidate: names[2], kind: "mlp", cvMean: 0.5487, cvStandardDeviation: 0.0191, trials: 30, pruned: 9,
          seconds: 141.7, isWinner: false),
      ],
      candidates: names.enumerated().map { index, name in
        CandidateDetail(
          candidate: name, history: history(trials: 30, seed: UInt64(index + 1), base: 0.51, direction: .maximize),
          importance: [
            ParameterImportance(name: "learningRate", importance: 0.52, standardDeviation: 0.08),
            ParameterImportance(name: "numLeaves", importance: 0.27, standardDeviation: 0.06),
            ParameterImportance(
              name: "minSamplesLeaf_with_a_rather_long_name", importance: 0.15, standardDeviation: 0.05),
            ParameterImportance(name: "l2", importance: 0.06, standardDeviation: 0.02),
          ],
          foldScores: (0..<5).map { 0.53 + 0.01 * Double(index) + 0.015 * sin(Double($0 * (index + 2))) },
          bestParameters: ["learningRate": "0.0412", "numLeaves": "31", "l2": "0.8"])
      },
      featureImportance: (0..<24).map { k in
        FeatureImportance(
          name: "feature_\(k)_ret\(k % 4 == 0 ? "_zscore_20d" : "")", mean: 0.03 * exp(-Double(k) / 5) - 0.001,
          standardDeviation: 0.002 + 0.001 * Double(k % 3), drops: [])
      },
      classification: ClassificationCurves(
        roc: (0...50).map { i in
          let fpr = Double(i) / 50
          return .init(falsePositiveRate: fpr, truePositiveRate: pow(fpr, 0.8))
        }, auc: 0.5541,
        calibration: (0..<10).map { b in
          let p = (Double(b) + 0.5) / 10
          return .init(meanPredicted: p, observedFrequency: 0.5 + 0.7 * (p - 0.5), count: 240 - 10 * abs(b - 5))
        }),
      holdoutMetrics: [NamedValue("auc", 0.5541), NamedValue("accuracy", 0.5312), NamedValue("logloss", 0.6897)],
      trading: TradingSection(
        equity: equity, drawdown: drawdown,
        metrics: [
          NamedValue("annualised return", 0.094), NamedValue("annualised volatility", 0.143),
          NamedValue("Sharpe ratio", 0.66), NamedValue("max drawdown", drawdown.min() ?? .nan),
        ], deflatedSharpeRatio: 0.81, probabilityOfBacktestOverfitting: 0.23, period: "2024-01-02 – 2025-12-31"),
      registry: RegistryEntry(modelName: "quickstart", version: 3, alias: "champion"))
  }

  static func regression() -> RunReport {
    var generator = Xoshiro256StarStar(seed: 7)
    let actual = (0..<600).map { _ in 3 * generator.nextGaussian() + 10 }
    let predicted = actual.map { 10 + 0.8 * ($0 - 10) + 0.9 * generator.nextGaussian() }
    return RunReport(
      runName: "housing", runID: "run-b", created: "2026-11-26T21:00:00Z", honeVersion: HoneVersion.current,
      task: .regression, selectionMetric: "rmse", greaterIsBetter: false,
      leaderboard: [
        LeaderboardRow(
          candidate: "ridge", kind: "ridge", cvMean: 1.21, cvStandardDeviation: 0.04, holdoutScore: 1.19, trials: 20,
          pruned: 0, seconds: 2, isWinner: true)
      ],
      regression: RegressionResiduals(predicted: predicted, actual: actual),
      holdoutMetrics: [NamedValue("rmse", 1.19), NamedValue("r2", 0.84)])
  }
}
