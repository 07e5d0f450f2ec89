import HoneCore
import HonePipeline
import HoneTuning

/// Builders for document trees, so the encoders below read like the schema.
private func object(_ members: [(String, ConfigValue)]) -> ConfigValue {
  ConfigValue(.object(members.map { ConfigValue.Member(key: $0.0, value: $0.1) }))
}
private func text(_ s: String) -> ConfigValue { ConfigValue(.string(s)) }
private func int(_ i: Int) -> ConfigValue { ConfigValue(.int(i)) }
private func number(_ d: Double) -> ConfigValue { ConfigValue(.double(d)) }
private func flag(_ b: Bool) -> ConfigValue { ConfigValue(.bool(b)) }
private let null = ConfigValue(.null)
private func optional<T>(_ value: T?, _ make: (T) -> ConfigValue) -> ConfigValue { value.map(make) ?? null }
private func texts(_ items: [String]) -> ConfigValue { ConfigValue(.array(items.map(text))) }
private func seedValue(_ s: UInt64) -> ConfigValue {
  // Seeds above Int.max cannot be written as a YAML/JSON integer the reader accepts; the
  // decoder rejects them too, so every decoded seed fits.
  int(Int(truncatingIfNeeded: s))
}

extension RunConfiguration {
  /// The configuration as a document tree with every key written out, defaults included,
  /// in schema order. Decoding the tree gives this configuration back.
  ///
  /// - Returns: The tree ``explain`` and ``canonicalJSON()`` print.
  public func document() -> ConfigValue {
    object([
      ("name", text(name)), ("seed", seedValue(seed)), ("data", data.document()), ("target", target.document()),
      ("features", features.document()), ("split", split.document()), ("holdout", holdout.document()),
      ("models", ConfigValue(.array(models.map { $0.document() }))), ("tuning", tuning.document()),
      ("selection", object([("metric", optional(selection.metric) { text($0.name) })])),
      ("backtest", backtest.document()), ("output", output.document()),
    ])
  }
}

extension DataConfiguration {
  func document() -> ConfigValue {
    let typeNames: [ColumnType: String] = [
      .float: "float", .integer: "int", .categorical: "categorical", .timestamp: "timestamp",
    ]
    return object([
      ("path", paths.count == 1 ? text(paths[0]) : texts(paths)), ("format", optional(format) { text($0.rawValue) }),
      ("delimiter", text(String(delimiter))), ("missing", texts(missing)),
      ("types", object(types.keys.sorted().map { ($0, text(typeNames[types[$0] ?? .float] ?? "float")) })),
      ("timestamp", optional(timestamp, text)), ("symbol", optional(symbol, text)), ("ignore", texts(ignore)),
    ])
  }
}

extension TargetConfiguration {
  func document() -> ConfigValue {
    let source: (String, ConfigValue)
    switch self.source {
    case .column(let name): source = ("column", text(name))
    case .forwardReturn(let l):
      source = (
        "forwardReturn",
        object([("price", text(l.columns.close)), ("horizon", int(l.horizon)), ("logarithmic", flag(l.logarithmic))])
      )
    case .threshold(let l):
      source = (
        "threshold",
        object([("price", text(l.columns.close)), ("horizon", int(l.horizon)), ("threshold", number(l.threshold))])
      )
    case .tripleBarrier(let l):
      let volatility: ConfigValue
      switch l.volatility {
      case .exponentialStandardDeviation(let span, let minimumPeriods):
        volatility = object([("ewm", object([("span", int(span)), ("minimumPeriods", int(minimumPeriods))]))])
      case .column(let name): volatility = object([("column", text(name))])
      case .constant(let value): volatility = object([("constant", number(value))])
      }
      source = (
        "tripleBarrier",
        object([
          ("price", text(l.columns.close)), ("profitTaking", number(l.profitTaking)), ("stopLoss", number(l.stopLoss)),
          ("maxHoldingRows", optional(l.maxHoldingRows, int)),
          ("maxHoldingTime", optional(l.maxHoldingTime) { text(DurationText.text($0)) }), ("volatility", volatility),
          ("verticalBarrier", text(l.verticalBarrierValue.rawValue)),
        ])
      )
    }
    return object([source, ("task", optional(task) { text($0.rawValue) })])
  }
}

extension FeatureConfiguration {
  func document() -> ConfigValue {
    let columns: ConfigValue =
      switch self.columns {
      case .all: text("all")
      case .none: text("none")
      case .list(let names): texts(names)
      }
    return object([
      ("columns", columns),
      (
        "prices",
        object([
          ("open", text(prices.open)), ("high", text(prices.high)), ("low", text(prices.low)),
          ("close", text(prices.close)), ("volume", text(prices.volume)),
        ])
      ),
      ("recipes", ConfigValue(.array(recipes.map(Self.document)))),
    ])
  }

  static func document(_ spec: FeatureSpec) -> ConfigValue {
    let body: [(String, ConfigValue)]
    switch spec {
    case .simpleReturn(let c, let h), .logReturn(let c, let h): body = [("column", text(c)), ("horizon", int(h))]
    case .lag(let c, let k): body = [("column", text(c)), ("periods", int(k))]
    case .rollingMean(let c, let w), .rollingStandardDeviation(let c, let w), .rollingZScore(let c, let w),
      .rollingMinimum(let c, let w), .rollingMaximum(let c, let w), .rollingSkewness(let c, let w):
      body = [("column", text(c)), ("window", int(w))]
    case .exponentialMovingAverage(let c, let p), .relativeStrengthIndex(let c, let p):
      body = [("column", text(c)), ("period", int(p))]
    case .macd(let c, let f, let s, let g):
      body = [("column", text(c)), ("fast", int(f)), ("slow", int(s)), ("signal", int(g))]
    case .bollingerBands(let c, let p, let d):
      body = [("column", text(c)), ("period", int(p)), ("deviations", number(d))]
    case .averageTrueRange(let p): body = [("period", int(p))]
    case .onBalanceVolume: body = []
    case .volumeZScore(let w): body = [("window", int(w))]
    case .calendar(let field): body = [("field", text(field.rawValue))]
    }
    return object([(recipeName(spec), object(body))])
  }

  static func recipeName(_ spec: FeatureSpec) -> String {
    switch spec {
    case .simpleReturn: "simpleReturn"
    case .logReturn: "logReturn"
    case .lag: "lag"
    case .rollingMean: "rollingMean"
    case .rollingStandardDeviation: "rollingStandardDeviation"
    case .rollingZScore: "rollingZScore"
    case .rollingMinimum: "rollingMinimum"
    case .rollingMaximum: "rollingMaximum"
    case .rollingSkewness: "rollingSkewness"
    case .exponentialMovingAverage: "exponentialMovingAverage"
    case .relativeStrengthIndex: "relativeStrengthIndex"
    case .macd: "macd"
    case .bollingerBands: "bollingerBands"
    case .averageTrueRange: "averageTrueRange"
    case .onBalanceVolume: "onBalanceVolume"
    case .volumeZScore: "volumeZScore"
    case .calendar: "calendar"
    }
  }
}

extension SplitConfiguration {
  func document() -> ConfigValue {
    let body: [(String, ConfigValue)]
    switch self {
    case .kfold(let folds, let shuffle), .stratified(let folds, let shuffle):
      body = [("folds", int(folds)), ("shuffle", flag(shuffle))]
    case .timeSeries(let splits, let maxTrainSize, let testSize, let gap):
      body = [
        ("splits", int(splits)), ("maxTrainSize", optional(maxTrainSize, int)), ("testSize", optional(testSize, int)),
        ("gap", int(gap)),
      ]
    case .walkForward(let window, let testSize, let step, let gap):
      let (kind, size) =
        switch window {
        case .rolling(let size): ("rolling", size)
        case .expanding(let minimumSize): ("expanding", minimumSize)
        }
      body = [
        ("window", text(kind)), ("size", int(size)), ("testSize", int(testSize)), ("step", optional(step, int)),
        ("gap", int(gap)),
      ]
    case .purged(let folds, let embargo): body = [("folds", int(folds)), ("embargo", number(embargo))]
    case .combinatorialPurged(let groups, let testGroups, let embargo):
      body = [("groups", int(groups)), ("testGroups", int(testGroups)), ("embargo", number(embargo))]
    }
    return object([(name, object(body))])
  }
}

extension HoldoutConfiguration {
  func document() -> ConfigValue {
    switch self {
    case .none: text("none")
    case .fraction(let f): object([("fraction", number(f))])
    case .rows(let n): object([("rows", int(n))])
    case .after(let instant): object([("after", text(Timestamp.iso8601(nanoseconds: instant)))])
    }
  }
}

extension ModelCandidate {
  func document() -> ConfigValue {
    let space: ConfigValue
    switch self.space {
    case .catalogDefault: space = text("default")
    case .custom(let specs):
      space = object(specs.keys.sorted().map { ($0, specs[$0].map(Self.document) ?? null) })
    }
    return object([
      ("kind", text(kind.rawValue)), ("name", text(name)),
      ("params", object(params.keys.sorted().map { ($0, params[$0].map(Self.document) ?? null) })), ("space", space),
    ])
  }

  static func document(_ value: ParameterValue) -> ConfigValue {
    switch value {
    case .int(let i): int(i)
    case .double(let d): number(d)
    case .string(let s): text(s)
    }
  }

  static func document(_ spec: ParameterSpec) -> ConfigValue {
    switch spec {
    case .fixed(let value): return document(value)
    case .search(.float(let low, let high, let log, let step)):
      var members = [("float", ConfigValue(.array([number(low), number(high)]))), ("log", flag(log))]
      if let step { members.append(("step", number(step))) }
      return object(members)
    case .search(.int(let low, let high, let log, let step)):
      return object([("int", ConfigValue(.array([int(low), int(high)]))), ("log", flag(log)), ("step", int(step))])
    case .search(.categorical(let choices)):
      return object([("choice", texts(choices))])
    }
  }
}

extension TuningConfiguration {
  func document() -> ConfigValue {
    let sampler: ConfigValue
    switch self.sampler {
    case .tpe(let startup, let candidates, let multivariate, let liar, let factor, let design):
      var options = [
        ("startupTrials", int(startup)), ("candidates", int(candidates)), ("multivariate", flag(multivariate)),
      ]
      // Written only when on, so configurations from before the option keep their hash
      // (and their finished stages).
      if liar { options.append(("constantLiar", flag(liar))) }
      if let factor { options.append(("belowBandwidthFactor", number(factor))) }
      switch design {
      case nil: break
      case .random?: options.append(("startupDesign", text("random")))
      case .sobol(let scrambling)?:
        options.append(("startupDesign", object([("sobol", object([("scramble", text(scrambling.rawValue))]))])))
      }
      sampler = object([("tpe", object(options))])
    case .random: sampler = text("random")
    case .grid: sampler = text("grid")
    case .sobol(let scrambling): sampler = object([("sobol", object([("scramble", text(scrambling.rawValue))]))])
    case .cmaes(let sigma0, let populationSize, let restarts):
      sampler = object([
        (
          "cmaes",
          object([
            ("sigma0", number(sigma0)), ("populationSize", optional(populationSize, int)), ("restarts", int(restarts)),
          ])
        )
      ])
    }
    let pruner: ConfigValue
    switch self.pruner {
    case .none: pruner = text("none")
    case .median(let startup, let warmup):
      pruner = object([("median", object([("startupTrials", int(startup)), ("warmupSteps", int(warmup))]))])
    case .percentile(let p, let startup, let warmup):
      pruner = object([
        (
          "percentile",
          object([("percentile", number(p)), ("startupTrials", int(startup)), ("warmupSteps", int(warmup))])
        )
      ])
    case .successiveHalving(let minResource, let factor, let rate):
      pruner = object([
        (
          "successiveHalving",
          object([
            ("minResource", int(minResource)), ("reductionFactor", int(factor)), ("minEarlyStoppingRate", int(rate)),
          ])
        )
      ])
    case .hyperband(let minResource, let maxResource, let factor):
      pruner = object([
        (
          "hyperband",
          object([
            ("minResource", int(minResource)), ("maxResource", int(maxResource)), ("reductionFactor", int(factor)),
          ])
        )
      ])
    case .wilcoxon(let threshold, let startup):
      pruner = object([
        ("wilcoxon", object([("pThreshold", number(threshold)), ("startupSteps", int(startup))]))
      ])
    }
    return object([
      ("trials", int(trials)), ("timeout", optional(timeout, number)), ("parallelism", int(parallelism)),
      ("earlyStoppingRounds", optional(earlyStoppingRounds, int)), ("sampler", sampler), ("pruner", pruner),
      ("seed", optional(seed, seedValue)),
    ])
  }
}

extension BacktestConfiguration {
  func document() -> ConfigValue {
    object([
      ("enabled", flag(enabled)), ("positions", text(positions.rawValue)), ("threshold", number(threshold)),
      ("quantile", number(quantile)), ("costBps", number(costBps)), ("slippageBps", number(slippageBps)),
      ("periodsPerYear", number(periodsPerYear)), ("returns", optional(returns, text)),
    ])
  }
}

extension OutputConfiguration {
  func document() -> ConfigValue {
    object([("store", text(store)), ("runDirectory", optional(runDirectory, text))])
  }
}
