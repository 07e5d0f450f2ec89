import HonePipeline

extension FeatureConfiguration {
  static let keys = ["columns", "prices", "recipes"]

  static func decode(_ reader: ConfigReader, data: DataConfiguration) throws -> FeatureConfiguration {
    let o = try reader.object(allowed: keys)
    var features = FeatureConfiguration()
    if let r = o.optional("columns") {
      if case .array = r.value.content {
        features.columns = .list(try r.strings())
      } else {
        features.columns = try r.name(of: ["all", "none"]) == "all" ? .all : .none
      }
    }
    if let r = o.optional("prices") {
      let p = try r.object(allowed: ["open", "high", "low", "close", "volume"])
      features.prices = OHLCVColumns(
        open: try p.string("open", default: "open"), high: try p.string("high", default: "high"),
        low: try p.string("low", default: "low"), close: try p.string("close", default: "close"),
        volume: try p.string("volume", default: "volume"))
    }
    if let r = o.optional("recipes") {
      features.recipes = try r.array().map { try decodeRecipe($0, close: features.prices.close) }
      if !features.recipes.isEmpty {
        guard data.timestamp != nil else {
          throw r.error(
            .missingKey, "trading features follow each symbol in time order; set data.timestamp to the time column")
        }
        var seen: [String: Int] = [:]
        for (i, recipe) in features.recipes.enumerated() {
          for name in recipe.outputNames {
            if let first = seen[name] {
              throw ConfigError(
                .invalidValue, path: r.path.appending(index: i).description,
                location: r.value.value(at: ConfigPath([.index(i)]))?.location,
                "produces the column \"\(name)\" that recipes[\(first)] already makes; remove one")
            }
            seen[name] = i
          }
        }
      }
    }
    return features
  }

  /// The recipe names and their parameters, in ``FeatureSpec`` order.
  static let recipeParameters: [(name: String, keys: [String])] = [
    ("simpleReturn", ["column", "horizon"]), ("logReturn", ["column", "horizon"]), ("lag", ["column", "periods"]),
    ("rollingMean", ["column", "window"]), ("rollingStandardDeviation", ["column", "window"]),
    ("rollingZScore", ["column", "window"]), ("rollingMinimum", ["column", "window"]),
    ("rollingMaximum", ["column", "window"]), ("rollingSkewness", ["column", "window"]),
    ("exponentialMovingAverage", ["column", "period"]), ("relativeStrengthIndex", ["column", "period"]),
    ("macd", ["column", "fast", "slow", "signal"]), ("bollingerBands", ["column", "period", "deviations"]),
    ("averageTrueRange", ["period"]), ("onBalanceVolume", []), ("volumeZScore", ["window"]), ("calendar", ["field"]),
  ]

  static func decodeRecipe(_ reader: ConfigReader, close: String) throws -> FeatureSpec {
    let names = recipeParameters.map(\.name)
    let (name, options) = try reader.tagged(names)
    let keys = recipeParameters.first { $0.name == name }?.keys ?? []
    let body =
      options
      ?? ConfigReader(ConfigValue(.object([]), location: reader.value.location), path: reader.path.appending(name))
    let o = try body.object(allowed: keys)
    let column = try o.string("column", default: close)
    func count(_ key: String, default value: Int? = nil, atLeast minimum: Int = 1) throws -> Int {
      if let value { return try o.int(key, default: value, atLeast: minimum) }
      return try o.required(key).int(atLeast: minimum)
    }
    switch name {
    case "simpleReturn": return .simpleReturn(column: column, horizon: try count("horizon", default: 1))
    case "logReturn": return .logReturn(column: column, horizon: try count("horizon", default: 1))
    case "lag": return .lag(column: column, periods: try count("periods", default: 1))
    case "rollingMean": return .rollingMean(column: column, window: try count("window"))
    case "rollingStandardDeviation": return .rollingStandardDeviation(column: column, window: try count("window"))
    case "rollingZScore": return .rollingZScore(column: column, window: try count("window"))
    case "rollingMinimum": return .rollingMinimum(column: column, window: try count("window"))
    case "rollingMaximum": return .rollingMaximum(column: column, window: try count("window"))
    case "rollingSkewness": return .rollingSkewness(column: column, window: try count("window", atLeast: 3))
    case "exponentialMovingAverage": return .exponentialMovingAverage(column: column, period: try count("period"))
    case "relativeStrengthIndex":
      return .relativeStrengthIndex(column: column, period: try count("period", default: 14))
    case "macd":
      let fast = try count("fast", default: 12)
      let slow = try count("slow", default: 26)
      guard fast < slow else {
        throw (o.optional("fast") ?? body).error(.invalidValue, "fast (\(fast)) must be below slow (\(slow))")
      }
      return .macd(column: column, fast: fast, slow: slow, signal: try count("signal", default: 9))
    case "bollingerBands":
      return .bollingerBands(
        column: column, period: try count("period", default: 20),
        deviations: try o.double("deviations", default: 2, "use a positive multiple of the standard deviation") {
          $0 > 0
        })
    case "averageTrueRange": return .averageTrueRange(period: try count("period", default: 14))
    case "onBalanceVolume": return .onBalanceVolume
    case "volumeZScore": return .volumeZScore(window: try count("window"))
    default:
      return .calendar(field: try o.required("field", hint: "e.g. day_of_week").choice(CalendarField.self))
    }
  }
}
