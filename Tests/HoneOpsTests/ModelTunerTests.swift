import Foundation
import HoneCore
import HonePipeline
import HoneTuning
import Testing

@testable import HoneOps

@Suite("Model tuner")
struct ModelTunerTests {
  static let alphas = [0.01, 0.1, 1, 3, 10, 30, 100, 1000]

  /// Cross-validated mean squared error of ridge on `table`, computed by hand: per fold,
  /// standardise the two features with the training rows' mean and population standard
  /// deviation (the pipeline's StandardScaler), solve the 2 × 2 ridge system
  /// `(ZᵀZ + αI)β = Zᵀ(y − ȳ)` by Cramer's rule, predict `ȳ + zβ` on the test rows.
  static func handRidgeCV(_ table: Table, alpha: Double, splits: [Split]) throws -> [Double] {
    let x1 = try table.column(named: "x1").doubleValues
    let x2 = try table.column(named: "x2").doubleValues
    let y = try table.column(named: "y").doubleValues
    return splits.map { split in
      func standardiser(_ x: [Double]) -> (Double) -> Double {
        let values = split.train.map { x[$0] }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
        return { ($0 - mean) / sd }
      }
      let (s1, s2) = (standardiser(x1), standardiser(x2))
      let yBar = split.train.reduce(0) { $0 + y[$1] } / Double(split.train.count)
      var (a11, a12, a22, b1, b2) = (alpha, 0.0, alpha, 0.0, 0.0)
      for i in split.train {
        let (z1, z2, r) = (s1(x1[i]), s2(x2[i]), y[i] - yBar)
        a11 += z1 * z1
        a12 += z1 * z2
        a22 += z2 * z2
        b1 += z1 * r
        b2 += z2 * r
      }
      let det = a11 * a22 - a12 * a12
      let (beta1, beta2) = ((b1 * a22 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det)
      let squares = split.test.reduce(0.0) { sum, i in
        let residual = y[i] - (yBar + beta1 * s1(x1[i]) + beta2 * s2(x2[i]))
        return sum + residual * residual
      }
      return squares / Double(split.test.count)
    }
  }

  static func ridgeTuner(_ table: Table) throws -> ModelTuner {
    try ModelTuner(
      table: table, target: "y", task: .regression, kind: .ridge, splitter: KFold(folds: 5),
      metric: .meanSquaredError)
  }

  /// A missing target value, a missing weights column or a negative weight is refused
  /// before any trial runs, naming the data row (counted from 1), instead of failing every
  /// trial with a row number of one fold's training subset.
  @Test func badTargetsAndWeightsAreRefusedUpFront() throws {
    var y = (0..<40).map { Double($0 % 7) }
    y[12] = .nan
    let table = try Table([.float("x", (0..<40).map { Double($0) }), .float("y", y)])
    let error = try #require(throws: TuningError.self) { try Self.ridgeTuner(table) }
    #expect(error.message.contains("at data row 13"))
    let clean = try TestTables.ridge()
    #expect(throws: TuningError.self) {
      try ModelTuner(
        table: clean, target: "y", weights: "w", task: .regression, kind: .ridge, splitter: KFold(folds: 5),
        metric: .meanSquaredError)
    }
    let weighted = try Table([
      .float("x1", (0..<40).map { Double($0) }), .float("y", (0..<40).map { Double($0 % 5) }),
      .float("w", (0..<40).map { $0 == 3 ? -1 : 1 }),
    ])
    let negative = try #require(throws: TuningError.self) {
      try ModelTuner(
        table: weighted, target: "y", weights: "w", task: .regression, kind: .ridge, splitter: KFold(folds: 5),
        metric: .meanSquaredError)
    }
    #expect(negative.message.contains("at data row 4"))
  }

  @Test func gridSearchOverRidgeFindsTheHandComputedOptimum() throws {
    let table = try TestTables.ridge()
    let tuner = try Self.ridgeTuner(table)
    let study = Study(
      direction: tuner.direction, sampler: try GridSampler(["alpha": Self.alphas.map { .double($0) }]))
    let result = try tuner.run(study, trials: Self.alphas.count)
    let splits = try KFold(folds: 5).splits(for: try SplitData(rowCount: table.rowCount))
    let expected = try Self.alphas.map { alpha in
      let folds = try Self.handRidgeCV(table, alpha: alpha, splits: splits)
      return folds.reduce(0, +) / Double(folds.count)
    }
    #expect(result.trials.count == Self.alphas.count)
    for trial in result.trials {
      let alpha = try #require(trial.parameters["alpha"])
      let index = try #require(Self.alphas.firstIndex { ParameterValue.double($0) == alpha })
      let value = try #require(trial.value)
      // Cholesky on 2 × 2 normal equations against Cramer's rule: a few ulps of the sums.
      #expect(abs(value - expected[index]) <= 1e-10 * expected[index], "alpha \(alpha)")
    }
    let bestIndex = try #require(expected.indices.min { expected[$0] < expected[$1] })
    // The optimum is inside the grid, so the test says something about the search.
    #expect(bestIndex > 0 && bestIndex < Self.alphas.count - 1)
    #expect(result.bestParameters == ["alpha": .double(Self.alphas[bestIndex])])
  }

  /// `study.stop()` from the progress callback ends the tuning after that trial (one wave
  /// per trial here): the tuner runs the study's own driver rather than a call per wave.
  @Test func stoppingTheStudyFromProgressEndsTheTuning() throws {
    let tuner = try Self.ridgeTuner(try TestTables.ridge())
    let study = Study(
      direction: tuner.direction, sampler: try GridSampler(["alpha": Self.alphas.map { .double($0) }]))
    var reported: [Int] = []
    let result = try tuner.run(study, trials: Self.alphas.count) { report in
      reported.append(report.trial.number)
      if reported.count == 3 { study.stop() }
    }
    #expect(reported == [0, 1, 2])
    #expect(result.trials.count == 3)
    #expect(result.newTrials == [0, 1, 2])
  }

  @Test func storedFoldScoresAreCrossValidatesOwn() throws {
    let table = try TestTables.mixed(rows: 90)
    let tuner = try ModelTuner(
      table: table, target: "label", task: .classification, kind: .gbdt, fixed: ["rounds": "15"],
      excluding: ["y"], splitter: StratifiedKFold(folds: 3, shuffleSeed: 1),
      splitData: try SplitData(rowCount: 90, targets: try table.column(named: "label").doubleValues),
      metric: .rocAUC)
    let study = Study(direction: tuner.direction, sampler: TPESampler(seed: 4))
    let result = try tuner.run(study, trials: 4)
    for trial in result.trials {
      #expect(trial.state == .complete)
      let stored = try #require(result.foldScores[trial.number])
      let direct = try crossValidate(
        tuner.estimator(for: trial.parameters), table: table, target: "label", splitter: tuner.splitter,
        splitData: tuner.splitData, scoring: [Metric.rocAUC.scoring])
      #expect(stored == direct.folds.map { $0.scores["auc"] ?? .nan })
      #expect(trial.value == direct.mean["auc"])
      #expect(trial.userAttributes[ModelTuner.foldMeanAttribute] == direct.mean["auc"]?.description)
      #expect(
        trial.userAttributes[ModelTuner.foldStandardDeviationAttribute]
          == direct.standardDeviation["auc"]?.description)
      #expect(trial.intermediateValues.keys.sorted() == [0, 1, 2])
      // Step k holds the running mean of the first k + 1 folds.
      for (step, value) in trial.intermediateValues {
        let prefix = stored.prefix(step + 1)
        #expect(value == prefix.reduce(0, +) / Double(prefix.count))
      }
    }
  }

  /// A pruner that pairs folds (Wilcoxon) gets each fold's own score at its step, which
  /// the stored fold scores (crossValidate's own, checked above) give independently.
  @Test func aPairedPrunerGetsEachFoldsOwnScore() throws {
    let table = try TestTables.ridge()
    let tuner = try Self.ridgeTuner(table)
    let study = Study(
      direction: tuner.direction, sampler: try GridSampler(["alpha": Self.alphas.map { .double($0) }]),
      pruner: try WilcoxonPruner(pThreshold: 1e-9))
    let result = try tuner.run(study, trials: 3)
    for trial in result.trials {
      let stored = try #require(result.foldScores[trial.number])
      #expect(trial.userAttributes[FrozenTrial.runningSummaryAttribute] == nil, "fold scores are not a summary")
      #expect(trial.intermediateValues.keys.sorted() == Array(0..<5))
      for (step, value) in trial.intermediateValues { #expect(value == stored[step]) }
    }
  }

  /// A repeated configuration is recorded as a copy of its first evaluation, and the copy
  /// matches what evaluating it again gives (the tuner's trials are deterministic).
  @Test func aRepeatedConfigurationReusesItsEvaluation() throws {
    let table = try TestTables.ridge()
    func run(reuse: Bool) throws -> [FrozenTrial] {
      var tuner = try Self.ridgeTuner(table)
      tuner.reuseDuplicates = reuse
      let study = Study(
        direction: tuner.direction, sampler: try GridSampler(["alpha": [.double(1), .double(3), .double(1)]]))
      return try tuner.run(study, trials: 3).trials
    }
    let reused = try run(reuse: true)
    let evaluated = try run(reuse: false)
    #expect(reused[2].userAttributes[FrozenTrial.duplicateOfAttribute] == "0")
    #expect(evaluated[2].userAttributes[FrozenTrial.duplicateOfAttribute] == nil)
    for (a, b) in zip(reused, evaluated) {
      #expect(a.value == b.value && a.intermediateValues == b.intermediateValues)
      #expect(a.userAttributes[ModelTuner.foldScoresAttribute] == b.userAttributes[ModelTuner.foldScoresAttribute])
    }
  }

  /// Trials run best-first (small alphas) then worst (huge alphas), so the median rule
  /// has something to prune; each trial's fate is checked against the rule computed here.
  @Test func pruningFollowsTheMedianRule() throws {
    let table = try TestTables.ridge(rows: 60)
    var tuner = try Self.ridgeTuner(table)
    // The grid repeats 1 and 0.3 to judge them again against a later median; reused,
    // the repeats would be copies of their first, complete evaluations.
    tuner.reuseDuplicates = false
    // Inside the catalog's range for alpha, 1e-4...1e3: a grid value outside it fails its trial.
    let grid = [0.3, 1, 3, 10, 100, 300, 600, 1e3, 1, 0.3]
    // The grid sampler walks combinations in order; one parameter, so trial k takes grid[k].
    let study = Study(
      direction: .minimize, sampler: try GridSampler(["alpha": grid.map { .double($0) }]),
      pruner: MedianPruner(startupTrials: 3))
    let result = try tuner.run(study, trials: grid.count)
    var finished: [FrozenTrial] = []
    var prunedCount = 0
    for trial in result.trials {
      var expectedPruneStep: Int?
      // Optuna's rule for who sets the bar: completed trials only, and they count for
      // start-up. The values are means over the folds so far, so the trial's latest mean
      // — not its best over steps, as for a learning curve — must beat their median.
      #expect(trial.userAttributes[FrozenTrial.runningSummaryAttribute] == "true")
      let completed = finished.filter { $0.state == .complete }
      if completed.count >= 3 {
        // The pruner is not asked after the last fold (step 4 of 5).
        for step in trial.intermediateValues.keys.sorted() where step < 4 {
          let others = completed.compactMap { $0.intermediateValues[step] }.sorted()
          guard let value = trial.intermediateValues[step], !others.isEmpty else { continue }
          let middle = others.count / 2
          let median = others.count % 2 == 1 ? others[middle] : (others[middle - 1] + others[middle]) / 2
          if value > median {
            expectedPruneStep = step
            break
          }
        }
      }
      if let step = expectedPruneStep {
        #expect(trial.state == .pruned, "trial \(trial.number)")
        #expect(trial.intermediateValues.keys.max() == step, "trial \(trial.number) ran past the pruning step")
        #expect(result.foldScores[trial.number]?.count == step + 1)
        prunedCount += 1
      } else {
        #expect(trial.state == .complete, "trial \(trial.number)")
        #expect(trial.intermediateValues.count == 5)
      }
      finished.append(trial)
    }
    #expect(prunedCount >= 3)
  }

  @Test(arguments: [ModelTuner.Parallelism.folds, .trials(2)])
  func seededRunsReproduceExactly(parallelism: ModelTuner.Parallelism) throws {
    let table = try TestTables.mixed(rows: 80)
    func run() throws -> [FrozenTrial] {
      let tuner = try ModelTuner(
        table: table, target: "y", task: .regression, kind: .gbdt, fixed: ["rounds": "10"], excluding: ["label"],
        splitter: KFold(folds: 4, shuffleSeed: 2), metric: .rootMeanSquaredError, parallelism: parallelism)
      let study = Study(
        direction: tuner.direction, sampler: TPESampler(seed: 21, startupTrials: 3),
        pruner: MedianPruner(startupTrials: 2))
      return try tuner.run(study, trials: 7).trials.map {
        var trial = $0
        trial.seconds = 0
        return trial
      }
    }
    let first = try run()
    #expect(first.count == 7)
    #expect(try run() == first)
  }

  @Test func aFailingConfigurationBecomesAFailedTrialAndTheStudyGoesOn() throws {
    let table = try TestTables.mixed()
    let tuner = try ModelTuner(
      table: table, target: "y", task: .regression, kind: .gbdt,
      space: SearchSpace([("maxLeaves", .int(low: 1, high: 3, log: false, step: 1))]), fixed: ["rounds": "5"],
      excluding: ["label"], splitter: KFold(folds: 3), metric: .meanAbsoluteError)
    let study = Study(direction: .minimize, sampler: try GridSampler(["maxLeaves": [.int(1), .int(2), .int(3)]]))
    var reports: [TrialReport] = []
    let result = try tuner.run(study, trials: 3) { reports.append($0) }
    #expect(result.trials.map(\.state) == [.failed, .complete, .complete])
    #expect(result.trials[0].error?.contains("maxLeaves") == true)
    #expect(reports.map(\.trial.number) == [0, 1, 2])
    #expect(reports[0].best == nil)
    #expect(reports[2].best?.number == result.bestTrial?.number)
  }

  @Test func fixedNamesLeaveTheSpaceAndUnknownOnesAreRefused() throws {
    let table = try TestTables.ridge()
    let tuner = try ModelTuner(
      table: table, target: "y", task: .regression, kind: .elasticnet, fixed: ["l1Ratio": "0.5"],
      splitter: KFold(folds: 3), metric: .meanSquaredError)
    #expect(tuner.space.parameterNames == ["alpha"])
    #expect(throws: HyperparameterError.self) {
      try ModelTuner(
        table: table, target: "y", task: .regression, kind: .ridge, fixed: ["alfa": "1"], splitter: KFold(folds: 3),
        metric: .meanSquaredError)
    }
    // A purged splitter without label intervals fails before any trial, not in every trial.
    #expect(throws: SplitterError.self) {
      try ModelTuner(
        table: table, target: "y", task: .regression, kind: .ridge, splitter: PurgedKFold(folds: 3),
        metric: .meanSquaredError)
    }
    let study = Study(direction: .maximize)
    #expect(throws: TuningError.self) { try tuner.run(study, trials: 1) }
  }

  @Test func anEmptySpaceRunsOneTrialOnly() throws {
    let table = try TestTables.ridge()
    let tuner = try ModelTuner(
      table: table, target: "y", task: .regression, kind: .ols, splitter: KFold(folds: 3), metric: .meanSquaredError)
    let study = Study(direction: .minimize)
    #expect(try tuner.run(study, trials: 5).trials.count == 1)
    #expect(try tuner.run(study, trials: 5).newTrials.isEmpty)
  }
}
