import Foundation
import Testing

@testable import HoneOps

/// Every invalid field is reported at its path with what is allowed.
@Suite struct ConfigValidationTests {
  /// One bad value per field family, applied with `--set` to the minimal valid document:
  /// the override, the path the error must name, and a fragment of the message.
  static let invalidFields: [(override: String, path: String, message: String)] = [
    ("name=\"\"", "name", "must not be empty"),
    ("seed=-1", "seed", "negative"),
    ("seed=abc", "seed", "expected a whole number"),
    ("data.path=[]", "data.path", "empty"),
    ("data.format=parquet", "data.format", "\"parquet\" is not one of csv, npy"),
    ("data.delimiter=;;", "data.delimiter", "not one character"),
    ("data.missing=3", "data.missing", "expected a list"),
    ("data.types={a: text}", "data.types.a", "is not one of float, int, integer, categorical, timestamp"),
    ("data.timestamp=", "target.tripleBarrier", "set data.timestamp"),
    ("target={}", "target", "give exactly one of column, forwardReturn, threshold, tripleBarrier"),
    ("target={column: y, threshold: {horizon: 1}}", "target", "found column and threshold"),
    ("target.task=regresion", "target.task", "(did you mean \"regression\"?)"),
    ("target={forwardReturn: {horizon: 0}}", "target.forwardReturn.horizon", "use a value ≥ 1"),
    ("target={forwardReturn: {horizon: 5}, task: classification}", "target.task", "must be regression"),
    ("target={threshold: {horizon: 5, threshold: -0.1}}", "target.threshold.threshold", "use a return ≥ 0"),
    ("target.tripleBarrier.profitTaking=-1", "target.tripleBarrier.profitTaking", "multiple ≥ 0"),
    ("target.tripleBarrier.maxHoldingRows=", "target.tripleBarrier", "set maxHoldingRows or maxHoldingTime"),
    ("target.tripleBarrier.maxHoldingTime=10x", "target.tripleBarrier.maxHoldingTime", "is not a duration"),
    ("target.tripleBarrier.volatility={ewma: {}}", "target.tripleBarrier.volatility", "(did you mean \"ewm\"?)"),
    ("target.tripleBarrier.volatility={constant: 0}", "target.tripleBarrier.volatility.constant", "positive"),
    ("target.tripleBarrier.verticalBarrier=zer0", "target.tripleBarrier.verticalBarrier", "did you mean \"zero\""),
    ("features.columns=some", "features.columns", "\"some\" is not one of all, none"),
    ("features.prices.close=\"\"", "features.prices.close", "must not be empty"),
    ("features.recipes=[{rsi: {}}]", "features.recipes[0]", "is not one of simpleReturn"),
    ("features.recipes=[{rollingMean: {column: close}}]", "features.recipes[0].rollingMean.window", "is required"),
    ("features.recipes=[{macd: {fast: 30}}]", "features.recipes[0].macd.fast", "must be below slow"),
    ("features.recipes=[{calendar: {field: weekday}}]", "features.recipes[0].calendar.field", "day_of_week"),
    ("features.recipes=[logReturn, logReturn]", "features.recipes[1]", "already makes"),
    ("split={purged: {folds: 1}}", "split.purged.folds", "use a value ≥ 2"),
    ("split={purged: {embargo: 1.5}}", "split.purged.embargo", "[0, 1)"),
    ("split=purge", "split", "(did you mean \"purged\"?)"),
    ("split={combinatorialPurged: {groups: 4, testGroups: 4}}", "split.combinatorialPurged.testGroups", "below groups"),
    ("split={walkForward: {testSize: 10}}", "split.walkForward.size", "is required"),
    ("split={walkForward: {size: 10, testSize: 5, window: sliding}}", "split.walkForward.window", "rolling, expanding"),
    ("split={timeSeries: {gap: -1}}", "split.timeSeries.gap", "use a value ≥ 0"),
    ("holdout={fraction: 1.5}", "holdout.fraction", "strictly between 0 and 1"),
    ("holdout={fraction: 0.2, rows: 10}", "holdout", "exactly one of fraction, rows or after"),
    ("holdout={after: yesterday}", "holdout.after", "ISO 8601"),
    ("holdout=nothing", "holdout", "is not one of none"),
    ("models=[]", "models", "give at least one candidate"),
    ("models[0].kind=xgboost", "models[0].kind", "is not one of gbdt, ols, ridge, lasso, elasticnet, logistic, mlp"),
    ("models[0].kind=ridge", "models[0].kind", "ridge cannot learn a classification target"),
    ("models[1]={kind: gbdt}", "models[1]", "already used by models[0]"),
    (
      "models[0].space={alpha: {float: [0, 1], log: true}}", "models[0].space.alpha",
      "low bound 0 is not allowed with log scale"
    ),
    ("models[0].space={alpha: {float: [2, 1]}}", "models[0].space.alpha", "above high bound"),
    ("models[0].space={alpha: {float: [1]}}", "models[0].space.alpha", "give two bounds"),
    (
      "models[0].space={n: {int: [0, 10], log: true}}", "models[0].space.n", "low bound 0 is not allowed with log scale"
    ),
    ("models[0].space={n: {int: [1, 10], step: 0}}", "models[0].space.n.step", "use a value ≥ 1"),
    ("models[0].space={n: {int: [1.5, 10]}}", "models[0].space.n.int[0]", "expected a whole number"),
    ("models[0].space={a: {float: [1, 2], log: true, step: 0.1}}", "models[0].space.a.step", "cannot have a step"),
    ("models[0].space={a: {float: [1, 2], choice: [x]}}", "models[0].space.a", "found float and choice"),
    ("models[0].space={a: {choice: []}}", "models[0].space.a.choice", "empty"),
    ("models[0].space={a: {choice: [x, x]}}", "models[0].space.a.choice[1]", "repeats"),
    ("models[0].space={a: {choice: [x], log: true}}", "models[0].space.a.log", "not choices"),
    ("models[0].space=defaults", "models[0].space", "(did you mean \"default\"?)"),
    ("models[0].params={a: [1]}", "models[0].params.a", "expected a number, text or true/false"),
    ("models[0].params={maxLeaves: 16}", "models[0].space.maxLeaves", "also fixed in params"),
    ("tuning.trials=0", "tuning.trials", "use a value ≥ 1"),
    ("tuning.trials=2.5", "tuning.trials", "expected a whole number"),
    ("tuning.timeout=-5", "tuning.timeout", "positive number of seconds"),
    ("tuning.parallelism=0", "tuning.parallelism", "use a value ≥ 1"),
    ("tuning.earlyStoppingRounds=0", "tuning.earlyStoppingRounds", "use a value ≥ 1"),
    ("tuning.earlyStoppingRounds=2.5", "tuning.earlyStoppingRounds", "expected a whole number"),
    (
      "tuning.sampler=tpee", "tuning.sampler",
      "\"tpee\" is not one of tpe, random, grid, sobol, cmaes (did you mean \"tpe\"?)"
    ),
    ("tuning.sampler={tpe: {candidates: 0}}", "tuning.sampler.tpe.candidates", "use a value ≥ 1"),
    ("tuning.pruner={percentile: {percentile: 150}}", "tuning.pruner.percentile.percentile", "[0, 100]"),
    ("tuning.pruner={percentile: {}}", "tuning.pruner.percentile.percentile", "is required"),
    ("tuning.seed=x", "tuning.seed", "expected a whole number"),
    ("selection.metric=rmsee", "selection.metric", "(did you mean \"rmse\"?)"),
    ("backtest.positions=ranked", "backtest.positions", "(did you mean \"rank\"?)"),
    ("backtest.quantile=0.7", "backtest.quantile", "(0, 0.5]"),
    ("backtest.costBps=-1", "backtest.costBps", "basis points ≥ 0"),
    ("backtest.slippageBps=.nan", "backtest.slippageBps", "not finite"),
    ("backtest.periodsPerYear=0", "backtest.periodsPerYear", "positive"),
    ("backtest.enabled=yes", "backtest.enabled", "expected true or false"),
    ("output.store=\"\"", "output.store", "must not be empty"),
    ("output.runDirectory=5", "output.runDirectory", "expected text"),
  ]

  /// The base document: valid, with a triple-barrier label so the label fields exist.
  static let base = """
    data: {path: data.csv, timestamp: ts}
    target:
      tripleBarrier: {price: close, profitTaking: 2, stopLoss: 1, maxHoldingRows: 5}
    models:
      - kind: gbdt
        space:
          maxLeaves: {int: [8, 64]}
    """

  @Test func theBaseDocumentIsValid() throws {
    _ = try ConfigFixture.load(Self.base)
  }

  @Test(arguments: invalidFields)
  func invalidFieldNamesItsPath(override: String, path: String, message: String) throws {
    let error = try #require(ConfigFixture.error(Self.base, overrides: [override]), "\(override) was accepted")
    #expect(error.path == path, "\(error)")
    #expect(error.message.contains(message), "\(error)")
    #expect(error.description.contains("\(path): "), "\(error)")
  }

  /// The column-target fields need a base without a label.
  @Test func stratifiedFoldsNeedClasses() throws {
    let error = try #require(
      ConfigFixture.error(ConfigFixture.minimal, overrides: ["target.task=regression", "split=stratified"]))
    #expect(error.path == "split")
    #expect(error.message.contains("regression"))
  }

  @Test func aColumnBacktestNeedsReturns() throws {
    let error = try #require(ConfigFixture.error(ConfigFixture.minimal, overrides: ["backtest.enabled=true"]))
    #expect(error.path == "backtest.enabled")
    #expect(error.message.contains("backtest.returns"))
    _ = try ConfigFixture.load(ConfigFixture.minimal, overrides: ["backtest.enabled=true", "backtest.returns=fwd"])
  }

  @Test func missingSectionsAreNamed() throws {
    for (text, path) in [
      ("target: {column: y}\nmodels: [{kind: gbdt}]", "data"),
      ("data: {path: a.csv}\nmodels: [{kind: gbdt}]", "target"),
      ("data: {path: a.csv}\ntarget: {column: y}", "models"),
      ("data: {}\ntarget: {column: y}\nmodels: []", "data.path"),
    ] {
      let error = try #require(ConfigFixture.error(text))
      #expect(error.path == path)
      #expect(error.kind == .missingKey)
    }
  }

  /// Errors in the file carry its line and column (counted by hand).
  @Test func fileErrorsCarryTheirLocation() throws {
    let text = """
      data: {path: data.csv}
      target: {column: y}
      models:
        - kind: gbdt
        - kind: ridge
          space:
            learningRate: {float: [0, 1], log: true}
      tuning:
        sampler: tpee
      """
    let error = try #require(ConfigFixture.error(text))
    #expect(
      error.description
        == "run.yaml:7:29: models[1].space.learningRate: low bound 0 is not allowed with log scale; use a low bound > 0"
    )
    let sampler = try #require(
      ConfigFixture.error(text.replacingOccurrences(of: "[0, 1]", with: "[0.1, 1]")))
    #expect(
      sampler.description
        == "run.yaml:9:12: tuning.sampler: \"tpee\" is not one of tpe, random, grid, sobol, cmaes (did you mean \"tpe\"?)"
    )
  }

  /// Unknown keys at several depths: the path of the key, its location, and the suggestion.
  @Test(arguments: [
    ("modles: []", "modles", "models"),
    ("data: {path: a.csv, timestap: ts}", "data.timestap", "timestamp"),
    ("target: {tripleBarrier: {stoploss: 1}}", "target.tripleBarrier.stoploss", "stopLoss"),
    ("models: [{kind: gbdt, spaces: default}]", "models[0].spaces", "space"),
    ("models: [{kind: gbdt, space: {a: {float: [1, 2], logg: true}}}]", "models[0].space.a.logg", "log"),
    ("tuning: {sampler: {tpe: {candidate: 3}}}", "tuning.sampler.tpe.candidate", "candidates"),
    ("features: {recipes: [{rollingMean: {windw: 3}}]}", "features.recipes[0].rollingMean.windw", "window"),
    ("split: {purged: {embarg: 0.1}}", "split.purged.embarg", "embargo"),
    ("backtest: {costbps: 3}", "backtest.costbps", "costBps"),
    ("output: {stor: x}", "output.stor", "store"),
  ])
  func unknownKeysSuggestTheNearestKey(line: String, path: String, suggestion: String) throws {
    // The bad line comes first so its location is line 1; later keys are valid.
    let text =
      line + "\n"
      + ConfigFixture.minimal.split(separator: "\n").filter {
        !line.hasPrefix(String($0.prefix { $0 != ":" }) + ":")
      }.joined(separator: "\n")
    let error = try #require(ConfigFixture.error(text), "\(text)")
    #expect(error.kind == .unknownKey, "\(error)")
    #expect(error.path == path, "\(error)")
    #expect(error.message.contains("(did you mean \"\(suggestion)\"?)"), "\(error)")
    #expect(error.location?.line == 1, "\(error)")
  }

  @Test func unknownKeysFromOverridesNameTheOverride() throws {
    let error = try #require(ConfigFixture.error(ConfigFixture.minimal, overrides: ["tuning.trails=3"]))
    #expect(error.description.hasPrefix("--set tuning.trails: tuning.trails: unknown key \"trails\""))
    #expect(error.message.contains("(did you mean \"trials\"?)"))
  }

  @Test func parameterNamesAreCheckedAgainstTheCatalog() throws {
    let resolved = try ConfigFixture.load(ConfigFixture.full)
    let names: (ModelKind, PredictionTask) -> Set<String>? = { kind, _ in
      switch kind {
      case .gbdt:
        ["rounds", "objective", "learningRate", "maxLeaves", "minDataInLeaf", "columnSubsample", "extraTrees"]
      case .logistic: ["c", "penalty"]
      default: nil
      }
    }
    try resolved.validate(parameterNames: names)
    let misspelt = try ConfigFixture.load(
      ConfigFixture.full, overrides: ["models[1].space.C={float: [1, 2]}", "models[1].space.c="])
    #expect {
      try misspelt.validate(parameterNames: names)
    } throws: { error in
      guard let error = error as? ConfigError else { return false }
      return error.path == "models[1].space.C" && error.kind == .unknownKey
        && error.message.contains("(did you mean \"c\"?)") && error.location?.file == "--set models[1].space.C"
    }
    let fixed = try ConfigFixture.load(ConfigFixture.full, overrides: ["models[0].params.round=3"])
    #expect {
      try fixed.validate(parameterNames: names)
    } throws: { error in
      (error as? ConfigError)?.path == "models[0].params.round"
        && (error as? ConfigError)?.message.contains("(did you mean \"rounds\"?)") == true
    }
  }
}
