import Foundation
import Testing

@testable import HoneOps

/// Shared fixtures: a minimal valid document and a loader that reads no real environment.
enum ConfigFixture {
  /// The smallest valid configuration: a data file, a target column and one candidate.
  static let minimal = """
    data: {path: data.csv, timestamp: ts}
    target: {column: y}
    models: [{kind: gbdt}]
    """

  /// A configuration that uses every section, written out by hand.
  static let full = """
    name: full
    seed: 42
    data:
      path: prices.csv
      delimiter: ";"
      missing: ["", "NA"]
      types: {volume: float, day: int}
      timestamp: ts
      symbol: ticker
      ignore: [regime]
    target:
      tripleBarrier:
        price: close
        profitTaking: 2
        stopLoss: 1.5
        maxHoldingRows: 10
        maxHoldingTime: 14d
        volatility: {ewm: {span: 50, minimumPeriods: 10}}
        verticalBarrier: zero
    features:
      columns: [volume]
      prices: {high: hi, low: lo}
      recipes:
        - logReturn: {column: close, horizon: 5}
        - macd: {fast: 8, slow: 21}
        - bollingerBands: {period: 20, deviations: 2.5}
        - onBalanceVolume
        - calendar: {field: month}
    split:
      combinatorialPurged: {groups: 6, testGroups: 2, embargo: 0.02}
    holdout: {after: 2020-06-30}
    models:
      - kind: gbdt
        params: {rounds: 200, objective: binary}
        space:
          learningRate: {float: [1.0e-3, 0.3], log: true}
          maxLeaves: {int: [8, 256], log: true}
          minDataInLeaf: {int: [10, 100], step: 10}
          columnSubsample: {float: [0.5, 1], step: 0.1}
          extraTrees: true
      - kind: logistic
        name: lr
        space:
          c: {float: [1.0e-4, 100], log: true}
          penalty: {choice: [l1, l2, elasticnet]}
      - kind: mlp
        space: default
    tuning:
      trials: 12
      timeout: 90.5
      parallelism: 2
      sampler: {tpe: {startupTrials: 4, candidates: 48, multivariate: false}}
      pruner: {percentile: {percentile: 25, startupTrials: 3, warmupSteps: 1}}
      seed: 9
    selection: {metric: roc-auc}
    backtest:
      enabled: true
      positions: rank
      quantile: 0.25
      costBps: 2
      slippageBps: 0.5
      periodsPerYear: 365
    output: {store: /tmp/store, runDirectory: runs/full}
    """

  /// The same configuration as ``full`` in JSON, keys in another order.
  static let fullJSON = """
    {
      "seed": 42, "name": "full",
      "target": {"tripleBarrier": {"stopLoss": 1.5, "profitTaking": 2, "price": "close", "maxHoldingRows": 10,
        "maxHoldingTime": "336h", "volatility": {"ewm": {"minimumPeriods": 10, "span": 50}}, "verticalBarrier": "zero"}},
      "data": {"path": "prices.csv", "delimiter": ";", "missing": ["", "NA"], "types": {"day": "int", "volume": "float"},
        "timestamp": "ts", "symbol": "ticker", "ignore": ["regime"]},
      "features": {"recipes": [{"logReturn": {"horizon": 5, "column": "close"}}, {"macd": {"slow": 21, "fast": 8}},
        {"bollingerBands": {"period": 20, "deviations": 2.5}}, "onBalanceVolume", {"calendar": {"field": "month"}}],
        "columns": ["volume"], "prices": {"low": "lo", "high": "hi"}},
      "split": {"combinatorialPurged": {"embargo": 0.02, "groups": 6, "testGroups": 2}},
      "holdout": {"after": "2020-06-30"},
      "models": [
        {"kind": "gbdt", "params": {"objective": "binary", "rounds": 200}, "space": {
          "maxLeaves": {"int": [8, 256], "log": true}, "learningRate": {"log": true, "float": [0.001, 0.3]},
          "minDataInLeaf": {"step": 10, "int": [10, 100]}, "columnSubsample": {"float": [0.5, 1.0], "step": 0.1},
          "extraTrees": true}},
        {"name": "lr", "kind": "logistic", "space": {"penalty": {"choice": ["l1", "l2", "elasticnet"]},
          "c": {"float": [1e-4, 100], "log": true}}},
        {"kind": "mlp", "space": "default"}
      ],
      "tuning": {"trials": 12, "timeout": 90.5, "parallelism": 2,
        "sampler": {"tpe": {"candidates": 48, "startupTrials": 4, "multivariate": false}},
        "pruner": {"percentile": {"warmupSteps": 1, "percentile": 25, "startupTrials": 3}}, "seed": 9},
      "selection": {"metric": "auc"},
      "backtest": {"enabled": true, "positions": "rank", "quantile": 0.25, "costBps": 2, "slippageBps": 0.5,
        "periodsPerYear": 365},
      "output": {"runDirectory": "runs/full", "store": "/tmp/store"}
    }
    """

  /// A loader with an explicit (empty unless given) environment and a fixed working folder.
  static func loader(environment: [String: String] = [:], overrides: [String] = []) -> ConfigurationLoader {
    ConfigurationLoader(environment: environment, overrides: overrides, workingDirectory: "/work/cwd")
  }

  /// Loads `text` as if it were the file `/configs/run.yaml`.
  static func load(
    _ text: String, json: Bool = false, environment: [String: String] = [:], overrides: [String] = []
  ) throws -> ResolvedConfiguration {
    try loader(environment: environment, overrides: overrides).load(
      text: text, json: json, file: json ? "run.json" : "run.yaml", directory: "/configs")
  }

  /// The error loading `text` throws, or `nil` when it loads.
  static func error(_ text: String, overrides: [String] = [], environment: [String: String] = [:]) -> ConfigError? {
    do {
      _ = try load(text, environment: environment, overrides: overrides)
      return nil
    } catch let error as ConfigError {
      return error
    } catch {
      return ConfigError(.syntax, path: "?", "unexpected error type: \(error)")
    }
  }
}
