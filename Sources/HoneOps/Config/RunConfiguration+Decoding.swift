import Foundation
import HoneCore
import HonePipeline
import HoneTuning

/// How relative data paths are resolved while decoding: against the folder of the file
/// a value was written in, else against the working directory.
struct PathResolution: Sendable {
  /// The folder of each source file, by the name its locations carry.
  var fileDirectories: [String: String]
  /// The folder relative paths from overrides resolve against.
  var workingDirectory: String

  func resolve(_ path: String, location: SourceLocation?) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
    let base = location?.file.flatMap { fileDirectories[$0] } ?? workingDirectory
    return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: base, isDirectory: true))
      .standardizedFileURL.path
  }
}

extension RunConfiguration {
  /// The top-level keys of a configuration document.
  public static let keys = [
    "name", "seed", "data", "target", "features", "split", "holdout", "models", "tuning", "selection", "backtest",
    "output",
  ]

  /// Decodes and validates a configuration from a parsed document; absent keys take their
  /// defaults.
  ///
  /// - Parameters:
  ///   - document: The merged document (file plus overrides).
  ///   - workingDirectory: The folder relative data paths from overrides (and from
  ///     documents without a file) resolve against.
  ///   - fileDirectories: The folder of each source file, by the file name its
  ///     locations carry; relative data paths written there resolve against it.
  /// - Throws: ``ConfigError`` naming the field path, location and allowed values of the
  ///   first problem.
  public init(
    document: ConfigValue, workingDirectory: String, fileDirectories: [String: String] = [:]
  ) throws {
    let paths = PathResolution(fileDirectories: fileDirectories, workingDirectory: workingDirectory)
    let root = try ConfigReader(document).object(allowed: Self.keys)
    let name = try root.string("name", default: Self.defaultName)
    let seed = try root.optional("seed")?.uint64() ?? 0
    let data = try DataConfiguration.decode(root.required("data", hint: "give at least data: {path: FILE}"), paths)
    let target = try TargetConfiguration.decode(
      root.required("target", hint: "give target: {column: NAME} or a label recipe"), data: data)
    var features =
      try root.optional("features").map { try FeatureConfiguration.decode($0, data: data) } ?? FeatureConfiguration()
    // The recipes follow the data's time and symbol columns whether or not the file has a
    // features section, so an explained configuration decodes back to the same value.
    if let timestamp = data.timestamp { features.prices.timestamp = timestamp }
    features.prices.symbol = data.symbol
    let split =
      try root.optional("split").map { try SplitConfiguration.decode($0, task: target.resolvedTask) }
      ?? .default
    let holdout = try root.optional("holdout").map { try HoldoutConfiguration.decode($0, data: data) } ?? .default
    let modelsReader = try root.required("models", hint: "list at least one candidate, e.g. models: [{kind: gbdt}]")
    let models = try ModelCandidate.decodeList(modelsReader, task: target.resolvedTask)
    let tuning = try root.optional("tuning").map(TuningConfiguration.decode) ?? TuningConfiguration()
    let selection = try root.optional("selection").map(SelectionConfiguration.decode) ?? SelectionConfiguration()
    let backtest =
      try root.optional("backtest").map { try BacktestConfiguration.decode($0, target: target) }
      ?? BacktestConfiguration()
    let output = try root.optional("output").map(OutputConfiguration.decode) ?? OutputConfiguration()
    self.init(
      name: name, seed: seed, data: data, target: target, features: features, split: split, holdout: holdout,
      models: models, tuning: tuning, selection: selection, backtest: backtest, output: output)
  }
}

extension DataConfiguration {
  static let keys = ["path", "format", "delimiter", "missing", "types", "timestamp", "symbol", "ignore"]
  static let typeNames = ["float", "int", "integer", "categorical", "timestamp"]

  static func decode(_ reader: ConfigReader, _ resolution: PathResolution) throws -> DataConfiguration {
    let o = try reader.object(allowed: keys)
    let pathReader = try o.required("path", hint: "give the CSV or .npy file (relative to this config's folder)")
    let pathReaders: [ConfigReader]
    if case .array = pathReader.value.content {
      pathReaders = try pathReader.array()
      guard !pathReaders.isEmpty else { throw pathReader.error(.invalidValue, "the list of files is empty") }
    } else {
      pathReaders = [pathReader]
    }
    let paths = try pathReaders.map {
      resolution.resolve(try $0.nonEmptyString(), location: $0.value.location)
    }
    let format = try o.optional("format")?.choice(Format.self)
    var delimiter: Character = ","
    if let r = o.optional("delimiter") {
      let text = try r.string()
      guard text.count == 1, let c = text.first, c != "\"", c != "\n" else {
        throw r.error(.invalidValue, "\"\(text)\" is not one character; use e.g. \",\", \";\" or \"\\t\"")
      }
      delimiter = c
    }
    let missing = try o.optional("missing")?.strings() ?? CSVReadOptions.defaultMissingTokens
    var types: [String: ColumnType] = [:]
    if let r = o.optional("types") {
      guard case .object(let members) = r.value.content else { throw r.mismatch("a mapping from column to type") }
      for member in members {
        let typeReader = ConfigReader(member.value, path: r.path.appending(member.key))
        switch try typeReader.name(of: typeNames) {
        case "float": types[member.key] = .float
        case "int", "integer": types[member.key] = .integer
        case "categorical": types[member.key] = .categorical
        default: types[member.key] = .timestamp
        }
      }
    }
    let timestamp = try o.optional("timestamp")?.nonEmptyString()
    let symbol = try o.optional("symbol")?.nonEmptyString()
    let ignore = try o.optional("ignore")?.strings() ?? []
    return DataConfiguration(
      paths: paths, format: format, delimiter: delimiter, missing: missing, types: types, timestamp: timestamp,
      symbol: symbol, ignore: ignore)
  }
}

extension TargetConfiguration {
  static let sources = ["column", "forwardReturn", "threshold", "tripleBarrier"]
  static let keys = sources + ["task"]

  static func decode(_ reader: ConfigReader, data: DataConfiguration) throws -> TargetConfiguration {
    let o = try reader.object(allowed: keys)
    let given = sources.filter { o.has($0) }
    guard given.count == 1, let kind = given.first, let body = o.optional(kind) else {
      throw reader.error(
        given.isEmpty ? .missingKey : .invalidValue,
        "give exactly one of \(sources.joined(separator: ", "))"
          + (given.isEmpty ? "" : "; found \(given.joined(separator: " and "))"))
    }
    let task = try o.optional("task")?.choice(PredictionTask.self)
    let source: Source
    switch kind {
    case "column": source = .column(try body.nonEmptyString())
    case "forwardReturn":
      let b = try body.object(allowed: ["price", "horizon", "logarithmic"])
      source = .forwardReturn(
        ForwardReturnLabel(
          horizon: try b.required("horizon").int(atLeast: 1), logarithmic: try b.bool("logarithmic", default: false),
          columns: try labelColumns(b, body, data)))
    case "threshold":
      let b = try body.object(allowed: ["price", "horizon", "threshold"])
      source = .threshold(
        ThresholdLabel(
          horizon: try b.required("horizon").int(atLeast: 1),
          threshold: try b.double("threshold", default: 0, "use a return ≥ 0") { $0 >= 0 },
          columns: try labelColumns(b, body, data)))
    default:
      source = .tripleBarrier(try tripleBarrier(body, data))
    }
    if task == .classification, case .forwardReturn = source, let r = o.optional("task") {
      throw r.error(
        .invalidValue,
        "a forwardReturn label is continuous, so the task must be regression; use threshold or "
          + "tripleBarrier for classes")
    }
    return TargetConfiguration(source, task: task)
  }

  private static func labelColumns(_ o: ObjectReader, _ body: ConfigReader, _ data: DataConfiguration) throws
    -> OHLCVColumns
  {
    guard let timestamp = data.timestamp else {
      throw body.error(
        .missingKey,
        "a label needs the rows' times to follow each symbol forward; set data.timestamp to the time column")
    }
    return OHLCVColumns(timestamp: timestamp, symbol: data.symbol, close: try o.string("price", default: "close"))
  }

  static let volatilityNames = ["ewm", "column", "constant"]

  private static func tripleBarrier(_ body: ConfigReader, _ data: DataConfiguration) throws -> TripleBarrierLabel {
    let b = try body.object(allowed: [
      "price", "profitTaking", "stopLoss", "maxHoldingRows", "maxHoldingTime", "volatility", "verticalBarrier",
    ])
    let rule = "use a multiple ≥ 0 of the volatility (0 removes the barrier)"
    let profitTaking = try b.required("profitTaking").double(rule) { $0 >= 0 }
    let stopLoss = try b.required("stopLoss").double(rule) { $0 >= 0 }
    let rows = try b.optional("maxHoldingRows")?.int(atLeast: 1)
    let time = try b.optional("maxHoldingTime").map(DurationText.decode)
    guard rows != nil || time != nil else {
      throw body.error(
        .missingKey,
        "set maxHoldingRows or maxHoldingTime (e.g. \"10d\"): without a vertical barrier a label's end is unbounded")
    }
    var volatility = TripleBarrierLabel.Volatility.exponentialStandardDeviation(span: 100, minimumPeriods: 20)
    if let v = b.optional("volatility") {
      let (name, options) = try v.tagged(volatilityNames)
      switch name {
      case "ewm":
        let o = try options?.object(allowed: ["span", "minimumPeriods"])
        volatility = .exponentialStandardDeviation(
          span: try o?.int("span", default: 100, atLeast: 1) ?? 100,
          minimumPeriods: try o?.int("minimumPeriods", default: 20, atLeast: 1) ?? 20)
      case "column":
        guard let options else { throw v.error(.missingKey, "give the column: volatility: {column: sigma}") }
        volatility = .column(name: try options.nonEmptyString())
      default:
        guard let options else { throw v.error(.missingKey, "give the value: volatility: {constant: 0.01}") }
        volatility = .constant(value: try options.double("use a positive σ") { $0 > 0 })
      }
    }
    let vertical: TripleBarrierLabel.VerticalBarrierValue =
      try b.optional("verticalBarrier")?.name(of: ["sign", "zero"]) == "zero" ? .zero : .sign
    return TripleBarrierLabel(
      profitTaking: profitTaking, stopLoss: stopLoss, maxHoldingRows: rows, maxHoldingTime: time,
      volatility: volatility, verticalBarrierValue: vertical, columns: try labelColumns(b, body, data))
  }
}

/// Durations written `<number><unit>`: `500ms`, `90s`, `15m`, `12h`, `10d`, `2w`.
enum DurationText {
  static let units: [(name: String, nanoseconds: Int64)] = [
    ("w", 604_800_000_000_000), ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
    ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1000), ("ns", 1),
  ]

  static func decode(_ reader: ConfigReader) throws -> Int64 {
    let text = try reader.string()
    let rule =
      "write a positive duration with a unit, e.g. \"10d\", \"12h\", \"90s\" (units \(units.map(\.name).joined(separator: ", ")))"
    let number = text.prefix { $0.isNumber || $0 == "." }
    let unit = text.dropFirst(number.count)
    guard let value = Double(number), let scale = units.first(where: { $0.name == unit })?.nanoseconds else {
      throw reader.error(.invalidValue, "\"\(text)\" is not a duration; \(rule)")
    }
    let nanoseconds = (value * Double(scale)).rounded()
    guard nanoseconds >= 1, nanoseconds < 9e18 else { throw reader.error(.invalidValue, "\"\(text)\": \(rule)") }
    return Int64(nanoseconds)
  }

  /// The duration in the largest unit that divides it exactly.
  static func text(_ nanoseconds: Int64) -> String {
    for unit in units where nanoseconds % unit.nanoseconds == 0 {
      return "\(nanoseconds / unit.nanoseconds)\(unit.name)"
    }
    return "\(nanoseconds)ns"
  }
}

extension HoldoutConfiguration {
  static let forms = ["fraction", "rows", "after"]

  static func decode(_ reader: ConfigReader, data: DataConfiguration) throws -> HoldoutConfiguration {
    if case .string = reader.value.content {
      _ = try reader.name(of: ["none"])
      return .none
    }
    let o = try reader.object(allowed: forms)
    let given = forms.filter { o.has($0) }
    guard given.count == 1, let form = given.first, let r = o.optional(form) else {
      throw reader.error(
        .invalidValue,
        "give exactly one of fraction, rows or after (or write holdout: none)"
          + (given.isEmpty ? "" : "; found \(given.joined(separator: " and "))"))
    }
    switch form {
    case "fraction": return .fraction(try r.double("use a fraction strictly between 0 and 1") { $0 > 0 && $0 < 1 })
    case "rows": return .rows(try r.int(atLeast: 1))
    default:
      let text = try r.string()
      guard let instant = Timestamp.parse(text) else {
        throw r.error(.invalidValue, "\"\(text)\" is not an ISO 8601 date or date-time; write e.g. 2019-01-01")
      }
      guard data.timestamp != nil else {
        throw r.error(.missingKey, "a holdout by date needs data.timestamp; set it to the time column")
      }
      return .after(instant)
    }
  }
}

extension SplitConfiguration {
  static func decode(_ reader: ConfigReader, task: PredictionTask?) throws -> SplitConfiguration {
    let (name, options) = try reader.tagged(names)
    let empty = ConfigReader(
      ConfigValue(.object([]), location: reader.value.location), path: reader.path.appending(name))
    let body = options ?? empty
    func folds(_ o: ObjectReader, _ key: String = "folds", default value: Int = 5) throws -> Int {
      try o.int(key, default: value, atLeast: 2)
    }
    let embargoRule = "use a fraction of rows in [0, 1), e.g. 0.01"
    switch name {
    case "kfold":
      let o = try body.object(allowed: ["folds", "shuffle"])
      return .kfold(folds: try folds(o), shuffle: try o.bool("shuffle", default: false))
    case "stratified":
      if task == .regression {
        throw reader.error(
          .invalidValue, "stratified folds need class labels, but the target is a regression; use kfold")
      }
      let o = try body.object(allowed: ["folds", "shuffle"])
      return .stratified(folds: try folds(o), shuffle: try o.bool("shuffle", default: false))
    case "timeSeries":
      let o = try body.object(allowed: ["splits", "maxTrainSize", "testSize", "gap"])
      return .timeSeries(
        splits: try folds(o, "splits"), maxTrainSize: try o.optional("maxTrainSize")?.int(atLeast: 1),
        testSize: try o.optional("testSize")?.int(atLeast: 1), gap: try o.int("gap", default: 0, atLeast: 0))
    case "walkForward":
      let o = try body.object(allowed: ["window", "size", "testSize", "step", "gap"])
      let kind = try o.optional("window")?.name(of: ["rolling", "expanding"]) ?? "expanding"
      let size = try o.required("size", hint: "the first split's training rows").int(atLeast: 1)
      return .walkForward(
        window: kind == "rolling" ? .rolling(size: size) : .expanding(minimumSize: size),
        testSize: try o.required("testSize").int(atLeast: 1), step: try o.optional("step")?.int(atLeast: 1),
        gap: try o.int("gap", default: 0, atLeast: 0))
    case "purged":
      let o = try body.object(allowed: ["folds", "embargo"])
      return .purged(
        folds: try folds(o), embargo: try o.double("embargo", default: 0.01, embargoRule) { $0 >= 0 && $0 < 1 })
    default:
      let o = try body.object(allowed: ["groups", "testGroups", "embargo"])
      let groups = try folds(o, "groups", default: 6)
      let testGroups = try o.int("testGroups", default: 2, atLeast: 1)
      if testGroups >= groups, let r = o.optional("testGroups") ?? o.optional("groups") {
        throw r.error(.invalidValue, "testGroups (\(testGroups)) must be below groups (\(groups))")
      }
      return .combinatorialPurged(
        groups: groups, testGroups: testGroups,
        embargo: try o.double("embargo", default: 0.01, embargoRule) { $0 >= 0 && $0 < 1 })
    }
  }
}

extension TuningConfiguration {
  static let keys = ["trials", "timeout", "parallelism", "earlyStoppingRounds", "sampler", "pruner", "seed"]

  /// `random`, `sobol` (Owen-scrambled) or `{sobol: {scramble: …}}`.
  static func startupDesign(_ reader: ConfigReader) throws -> TPESampler.StartupDesign {
    let (name, options) = try reader.tagged(["random", "sobol"])
    guard name == "sobol" else {
      _ = try options?.object(allowed: [])
      return .random
    }
    let q = try options?.object(allowed: ["scramble"])
    return .sobol(try q?.optional("scramble")?.choice(SobolSequence.Scrambling.self) ?? .owen)
  }

  static func decode(_ reader: ConfigReader) throws -> TuningConfiguration {
    let o = try reader.object(allowed: keys)
    var tuning = TuningConfiguration()
    tuning.trials = try o.int("trials", default: tuning.trials, atLeast: 1)
    tuning.timeout = try o.optional("timeout")?.double("use a positive number of seconds, or null for none") { $0 > 0 }
    tuning.parallelism = try o.int("parallelism", default: tuning.parallelism, atLeast: 1)
    tuning.earlyStoppingRounds = try o.optional("earlyStoppingRounds")?.int(atLeast: 1)
    if let r = o.optional("sampler") {
      let (name, options) = try r.tagged(SamplerChoice.names)
      switch name {
      case "tpe":
        let t = try options?.object(allowed: [
          "startupTrials", "candidates", "multivariate", "constantLiar", "belowBandwidthFactor", "startupDesign",
        ])
        tuning.sampler = .tpe(
          startupTrials: try t?.int("startupTrials", default: 10, atLeast: 0) ?? 10,
          candidates: try t?.int("candidates", default: 24, atLeast: 1) ?? 24,
          multivariate: try t?.bool("multivariate", default: true) ?? true,
          constantLiar: try t?.bool("constantLiar", default: false) ?? false,
          belowBandwidthFactor: try t?.optional("belowBandwidthFactor")?.double(
            "use a positive factor on the below density's kernel widths (1 gives Optuna's)"
          ) { $0 > 0 && $0.isFinite },
          startupDesign: try t?.optional("startupDesign").map(Self.startupDesign))
      case "random":
        _ = try options?.object(allowed: [])
        tuning.sampler = .random
      case "sobol":
        let q = try options?.object(allowed: ["scramble"])
        tuning.sampler = .sobol(scrambling: try q?.optional("scramble")?.choice(SobolSequence.Scrambling.self) ?? .owen)
      case "cmaes":
        let c = try options?.object(allowed: ["sigma0", "populationSize", "restarts"])
        tuning.sampler = .cmaes(
          sigma0: try c?.double("sigma0", default: 1.0 / 6, "use a step size in (0, 1], a fraction of each range") {
            $0 > 0 && $0 <= 1
          } ?? 1.0 / 6,
          populationSize: try c?.optional("populationSize")?.int(atLeast: 2),
          restarts: try c?.int("restarts", default: 0, atLeast: 0) ?? 0)
      default:
        _ = try options?.object(allowed: [])
        tuning.sampler = .grid
      }
    }
    if let r = o.optional("pruner") {
      let (name, options) = try r.tagged(PrunerChoice.names)
      switch name {
      case "none":
        _ = try options?.object(allowed: [])
        tuning.pruner = .none
      case "median":
        let p = try options?.object(allowed: ["startupTrials", "warmupSteps"])
        tuning.pruner = .median(
          startupTrials: try p?.int("startupTrials", default: 5, atLeast: 0) ?? 5,
          warmupSteps: try p?.int("warmupSteps", default: 0, atLeast: 0) ?? 0)
      case "successiveHalving":
        let p = try options?.object(allowed: ["minResource", "reductionFactor", "minEarlyStoppingRate"])
        tuning.pruner = .successiveHalving(
          minResource: try p?.int("minResource", default: 1, atLeast: 1) ?? 1,
          reductionFactor: try p?.int("reductionFactor", default: 4, atLeast: 2) ?? 4,
          minEarlyStoppingRate: try p?.int("minEarlyStoppingRate", default: 0, atLeast: 0) ?? 0)
      case "hyperband":
        let body = options ?? ConfigReader(ConfigValue(.object([])), path: r.path.appending(name))
        let p = try body.object(allowed: ["minResource", "maxResource", "reductionFactor"])
        let minResource = try p.int("minResource", default: 1, atLeast: 1)
        let maxReader = try p.required(
          "maxResource", hint: "the last step a trial reports; for K-fold cross-validation, K − 1")
        let maxResource = try maxReader.int(atLeast: 1)
        guard maxResource >= minResource else {
          throw maxReader.error(
            .invalidValue, "maxResource (\(maxResource)) must be at least minResource (\(minResource))")
        }
        tuning.pruner = .hyperband(
          minResource: minResource, maxResource: maxResource,
          reductionFactor: try p.int("reductionFactor", default: 3, atLeast: 2))
      case "wilcoxon":
        let p = try options?.object(allowed: ["pThreshold", "startupSteps"])
        tuning.pruner = .wilcoxon(
          pThreshold: try p?.double("pThreshold", default: 0.1, "use a significance level in (0, 1]") {
            $0 > 0 && $0 <= 1
          } ?? 0.1,
          startupSteps: try p?.int("startupSteps", default: 2, atLeast: 0) ?? 2)
      default:
        let body = options ?? ConfigReader(ConfigValue(.object([])), path: r.path.appending(name))
        let p = try body.object(allowed: ["percentile", "startupTrials", "warmupSteps"])
        tuning.pruner = .percentile(
          percentile: try p.required("percentile", hint: "the percentile of completed trials to beat, in [0, 100]")
            .double("use a percentile in [0, 100]") { $0 >= 0 && $0 <= 100 },
          startupTrials: try p.int("startupTrials", default: 5, atLeast: 0),
          warmupSteps: try p.int("warmupSteps", default: 0, atLeast: 0))
      }
    }
    tuning.seed = try o.optional("seed")?.uint64()
    return tuning
  }
}

extension SelectionConfiguration {
  static func decode(_ reader: ConfigReader) throws -> SelectionConfiguration {
    let o = try reader.object(allowed: ["metric"])
    guard let r = o.optional("metric") else { return SelectionConfiguration() }
    let text = try r.string()
    do {
      return SelectionConfiguration(metric: try Metric(parsing: text))
    } catch {
      let normalised = text.lowercased().replacingOccurrences(of: "-", with: "_")
      throw r.error(
        .invalidValue,
        "\"\(text)\" is not a metric; use one of \(Metric.validNames.joined(separator: ", ")) or pinball:<alpha>"
          + Suggestion.clause(for: normalised, in: Metric.validNames))
    }
  }
}

extension BacktestConfiguration {
  static let keys = [
    "enabled", "positions", "threshold", "quantile", "costBps", "slippageBps", "periodsPerYear", "returns",
  ]

  static func decode(_ reader: ConfigReader, target: TargetConfiguration) throws -> BacktestConfiguration {
    let o = try reader.object(allowed: keys)
    var b = BacktestConfiguration()
    b.enabled = try o.bool("enabled", default: b.enabled)
    b.positions = try o.optional("positions")?.choice(Positions.self) ?? b.positions
    b.threshold = try o.double("threshold", default: b.threshold, "use a dead band ≥ 0") { $0 >= 0 }
    b.quantile = try o.double("quantile", default: b.quantile, "use a fraction in (0, 0.5]") { $0 > 0 && $0 <= 0.5 }
    b.costBps = try o.double("costBps", default: b.costBps, "use basis points ≥ 0") { $0 >= 0 }
    b.slippageBps = try o.double("slippageBps", default: b.slippageBps, "use basis points ≥ 0") { $0 >= 0 }
    b.periodsPerYear = try o.double("periodsPerYear", default: b.periodsPerYear, "use a positive number, e.g. 252") {
      $0 > 0
    }
    b.returns = try o.optional("returns")?.nonEmptyString()
    if b.enabled, b.returns == nil, case .column = target.source, let r = o.optional("enabled") {
      throw r.error(
        .missingKey,
        "a backtest of a column target needs the realised returns; set backtest.returns to the column holding "
          + "each row's forward return")
    }
    return b
  }
}

extension OutputConfiguration {
  static func decode(_ reader: ConfigReader) throws -> OutputConfiguration {
    let o = try reader.object(allowed: ["store", "runDirectory"])
    return OutputConfiguration(
      store: try o.string("store", default: HoneOps.defaultStoreDirectory),
      runDirectory: try o.optional("runDirectory")?.nonEmptyString())
  }
}
