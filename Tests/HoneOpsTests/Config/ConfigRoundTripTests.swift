import Foundation
import HonePipeline
import HoneTuning
import Testing

@testable import HoneOps

/// YAML ≡ JSON, explain → parse, canonical JSON and the configuration hash.
@Suite struct ConfigRoundTripTests {
  @Test func yamlAndJSONOfTheSameConfigDecodeEqual() throws {
    let yaml = try ConfigFixture.load(ConfigFixture.full).configuration
    let json = try ConfigFixture.load(ConfigFixture.fullJSON, json: true).configuration
    #expect(yaml == json)
    #expect(yaml.hash == json.hash)
  }

  /// The full fixture decoded field by field against the values written in it.
  @Test func theFullFixtureDecodesToTheWrittenValues() throws {
    let c = try ConfigFixture.load(ConfigFixture.full).configuration
    #expect(c.name == "full")
    #expect(c.seed == 42)
    #expect(c.data.paths == ["/configs/prices.csv"])
    #expect(c.data.delimiter == ";")
    #expect(c.data.types == ["volume": .float, "day": .integer])
    let columns = OHLCVColumns(timestamp: "ts", symbol: "ticker", close: "close")
    #expect(
      c.target.source
        == .tripleBarrier(
          TripleBarrierLabel(
            profitTaking: 2, stopLoss: 1.5, maxHoldingRows: 10, maxHoldingTime: 14 * 86_400 * 1_000_000_000,
            volatility: .exponentialStandardDeviation(span: 50, minimumPeriods: 10), verticalBarrierValue: .zero,
            columns: columns)))
    #expect(c.target.resolvedTask == .classification)
    #expect(c.features.columns == .list(["volume"]))
    #expect(c.features.prices == OHLCVColumns(timestamp: "ts", symbol: "ticker", high: "hi", low: "lo"))
    #expect(
      c.features.recipes == [
        .logReturn(column: "close", horizon: 5), .macd(column: "close", fast: 8, slow: 21, signal: 9),
        .bollingerBands(column: "close", period: 20, deviations: 2.5), .onBalanceVolume, .calendar(field: .month),
      ])
    #expect(c.split == .combinatorialPurged(groups: 6, testGroups: 2, embargo: 0.02))
    // 2020-06-30T00:00:00Z is 1_593_475_200 s after the epoch (date -d 2020-06-30Z +%s).
    #expect(c.holdout == .after(1_593_475_200 * 1_000_000_000))
    #expect(c.models.map(\.name) == ["gbdt", "lr", "mlp"])
    #expect(c.models[0].params == ["rounds": .int(200), "objective": .string("binary")])
    #expect(
      c.models[0].searchedParameters.map(\.name) == ["columnSubsample", "learningRate", "maxLeaves", "minDataInLeaf"])
    #expect(c.models[0].fixedParameters["extraTrees"] == .string("true"))
    #expect(
      c.models[1].space
        == .custom([
          "c": .search(.float(low: 1e-4, high: 100, log: true, step: nil)),
          "penalty": .search(.categorical(["l1", "l2", "elasticnet"])),
        ]))
    #expect(c.models[2].space == .catalogDefault)
    #expect(
      c.tuning
        == TuningConfiguration(
          trials: 12, timeout: 90.5, parallelism: 2,
          sampler: .tpe(startupTrials: 4, candidates: 48, multivariate: false),
          pruner: .percentile(percentile: 25, startupTrials: 3, warmupSteps: 1), seed: 9))
    #expect(c.selection.metric == .rocAUC)
    #expect(c.selection.direction(for: .classification) == .maximize)
    #expect(
      c.backtest
        == BacktestConfiguration(
          enabled: true, positions: .rank, quantile: 0.25, costBps: 2, slippageBps: 0.5, periodsPerYear: 365))
    #expect(c.output == OutputConfiguration(store: "/tmp/store", runDirectory: "runs/full"))
  }

  @Test func defaultsAreTheDocumentedOnes() throws {
    let c = try ConfigFixture.load(ConfigFixture.minimal).configuration
    #expect(c.name == "run")
    #expect(c.seed == 0)
    #expect(c.data.delimiter == ",")
    #expect(c.data.missing == ["", "NA", "N/A", "NaN", "nan", "NULL", "null", "?"])
    #expect(c.features == FeatureConfiguration(columns: .all, prices: OHLCVColumns(timestamp: "ts")))
    #expect(c.split == .purged(folds: 5, embargo: 0.01))
    #expect(c.holdout == .fraction(0.2))
    #expect(c.models == [ModelCandidate(kind: .gbdt)])
    #expect(
      c.tuning
        == TuningConfiguration(
          trials: 50, timeout: nil, parallelism: 1,
          sampler: .tpe(startupTrials: 10, candidates: 24, multivariate: true), pruner: .none, seed: nil))
    #expect(c.selection.metric == nil)
    #expect(c.selection.metric(for: .regression) == .rootMeanSquaredError)
    #expect(c.selection.direction(for: .regression) == .minimize)
    #expect(
      c.backtest
        == BacktestConfiguration(
          enabled: false, positions: .sign, threshold: 0, quantile: 0.2, costBps: 1, slippageBps: 1, periodsPerYear: 252
        ))
    #expect(c.output == OutputConfiguration(store: ".hone", runDirectory: nil))
  }

  static let documents: [(String, Bool)] = [
    (ConfigFixture.minimal, false), (ConfigFixture.full, false), (ConfigFixture.fullJSON, true),
    (
      ConfigFixture.minimal + "\nholdout: none\nsplit: {walkForward: {window: rolling, size: 100, testSize: 20}}", false
    ),
    (ConfigFixture.minimal + "\nholdout: {rows: 30}\nsplit: {timeSeries: {splits: 4, testSize: 10, gap: 2}}", false),
    (ConfigFixture.minimal + "\nsplit: {kfold: {shuffle: true}}\ntuning: {sampler: grid, pruner: median}", false),
    (
      "data: {path: a.csv, timestamp: t, symbol: s}\ntarget: {forwardReturn: {horizon: 3, logarithmic: true}}\n"
        + "models: [{kind: ridge, space: {alpha: {float: [1.0e-5, 10], log: true}, fitIntercept: false}}]", false
    ),
    (
      "data: {path: a.csv, timestamp: t}\ntarget: {threshold: {horizon: 2, threshold: 0.001}}\n"
        + "models: [{kind: logistic}]\nselection: {metric: pinball:0.9}", false
    ),
  ]

  /// The explanation parses back to the same configuration, and so does the canonical JSON.
  @Test(arguments: documents)
  func explainParsesBackToTheSameConfiguration(text: String, json: Bool) throws {
    let resolved = try ConfigFixture.load(text, json: json)
    let explained = resolved.explain()
    let again = try ConfigFixture.load(explained).configuration
    #expect(again == resolved.configuration, "\(explained)")
    let fromJSON = try ConfigFixture.load(resolved.configuration.canonicalJSON(), json: true).configuration
    #expect(fromJSON == resolved.configuration)
    #expect(again.hash == resolved.configuration.hash)
  }

  @Test func explainAnnotatesEveryValueWithItsOrigin() throws {
    let resolved = try ConfigFixture.load(
      ConfigFixture.minimal, environment: ["HONE__seed": "5"], overrides: ["tuning.trials=7"])
    let lines = resolved.explain().split(separator: "\n").map(String.init)
    #expect(lines.contains("seed: 5  # env HONE__seed"))
    #expect(lines.contains("  trials: 7  # --set tuning.trials=7"))
    #expect(lines.contains("  column: \"y\"  # file"))
    #expect(lines.contains("  parallelism: 1  # default"))
    #expect(
      lines.contains { $0.hasPrefix("# Config hash (SHA-256 of the canonical JSON): \(resolved.configuration.hash)") })
    // Every value line ends in an origin comment.
    for line in lines where !line.hasPrefix("#") && !line.hasSuffix(":") {
      #expect(line.contains("  # "), "\(line)")
    }
    #expect(resolved.origins["tuning.trials"] == .commandLine(argument: "tuning.trials=7"))
  }

  @Test func theHashIsStableAndSensitive() throws {
    let a = try ConfigFixture.load(ConfigFixture.full).configuration
    let b = try ConfigFixture.load(ConfigFixture.full).configuration
    #expect(a.hash == b.hash)
    #expect(a.hash.count == 64 && a.hash.allSatisfy { $0.isHexDigit })
    // Writing a default explicitly does not change the configuration or its hash.
    let explicit = try ConfigFixture.load(ConfigFixture.full, overrides: ["backtest.threshold=0"]).configuration
    #expect(explicit.hash == a.hash)
    for change in ["tuning.trials=13", "seed=43", "models[0].space.learningRate.float=[0.002, 0.3]", "name=other"] {
      let changed = try ConfigFixture.load(ConfigFixture.full, overrides: [change]).configuration
      #expect(changed.hash != a.hash, "\(change)")
    }
  }

  @Test func canonicalJSONSortsKeysAndKeepsDoublesExact() throws {
    let json = try ConfigFixture.load(ConfigFixture.full).configuration.canonicalJSON()
    #expect(json.hasPrefix(#"{"backtest":{"costBps":2.0,"enabled":true,"#))
    #expect(json.contains(#""learningRate":{"float":[0.001,0.3],"log":true}"#))
    #expect(!json.contains(" "))
  }

  @Test func splitterBuildsTheConfiguredScheme() throws {
    let shuffled = try ConfigFixture.load(
      ConfigFixture.minimal + "\nseed: 17\nsplit: {kfold: {folds: 4, shuffle: true}}")
    #expect(shuffled.configuration.splitter as? KFold == KFold(folds: 4, shuffleSeed: 17))
    let purged = try ConfigFixture.load(ConfigFixture.minimal)
    #expect(purged.configuration.splitter as? PurgedKFold == PurgedKFold(folds: 5, embargo: 0.01))
    let cpcv = try ConfigFixture.load(ConfigFixture.full)
    #expect(
      cpcv.configuration.splitter as? CombinatorialPurgedKFold
        == CombinatorialPurgedKFold(groupCount: 6, testGroupCount: 2, embargo: 0.02))
    #expect(
      SplitConfiguration.walkForward(window: .rolling(size: 50), testSize: 10, step: nil, gap: 1)
        .makeSplitter(seed: 0) as? WalkForwardSplit
        == WalkForwardSplit(window: .rolling(size: 50), testSize: 10, gap: 1))
  }

  /// Holdout sizes computed by hand: ceil(0.2 · 1000) = 200, ceil(0.25 · 10) = 3.
  @Test func holdoutRowCounts() {
    #expect(HoldoutConfiguration.fraction(0.2).rowCount(outOf: 1000) == 200)
    #expect(HoldoutConfiguration.fraction(0.25).rowCount(outOf: 10) == 3)
    #expect(HoldoutConfiguration.rows(50).rowCount(outOf: 20) == 20)
    #expect(HoldoutConfiguration.none.rowCount(outOf: 20) == 0)
    #expect(HoldoutConfiguration.after(0).rowCount(outOf: 20) == nil)
  }

  /// A grid enumerates every choice, integer step and float step (counted by hand).
  @Test func gridSamplerCoversTheSpace() throws {
    let tuning = TuningConfiguration(sampler: .grid)
    let sampler = try tuning.makeSampler(
      space: [
        "a": .categorical(["x", "y"]), "n": .int(low: 1, high: 7, log: false, step: 3),
        "f": .float(low: 0, high: 1, log: false, step: 0.25),
      ], runSeed: 1)
    #expect((sampler as? GridSampler)?.combinationCount == 2 * 3 * 5)
    #expect(throws: TuningError.self) {
      _ = try tuning.makeSampler(space: ["f": .float(low: 0, high: 1, log: false, step: nil)], runSeed: 1)
    }
    #expect(try TuningConfiguration(sampler: .random, seed: 4).makeSampler(space: [:], runSeed: 1) is RandomSampler)
  }
}
