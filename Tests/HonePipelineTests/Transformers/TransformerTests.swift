import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import HonePipeline
import Testing

/// scikit-learn 1.9.1 references from `Fixtures/make_transformer_fixtures.py`.
struct TransformerFixtures: Decodable {
  struct Inputs: Decodable {
    let a: [Double?]
    let b: [Double]
    let c: [String?]
    let d: [String]
    let y: [Double]
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let new_c: [String?]
  }

  let inputs: Inputs
  let values: [String: [Double?]]
  let categories: [[String]]
  let targetMeans: [String: Double]

  private struct Raw: Decodable {
    let inputs: Inputs
  }

  static let shared: TransformerFixtures? = {
    guard
      let url = Bundle.module.url(forResource: "transformer_fixtures", withExtension: "json", subdirectory: "Fixtures"),
      let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let raw = try? JSONDecoder().decode(Raw.self, from: data)
    else { return nil }
    var values: [String: [Double?]] = [:]
    for (key, value) in object {
      if let list = value as? [Any], list.allSatisfy({ $0 is NSNumber || $0 is NSNull }) {
        values[key] = list.map { ($0 as? NSNumber)?.doubleValue }
      }
    }
    let categories = (object["onehot_categories"] as? [[String]]) ?? []
    var means: [String: Double] = [:]
    for key in ["target_auto_mean", "target_value_mean"] { means[key] = (object[key] as? NSNumber)?.doubleValue }
    return TransformerFixtures(inputs: raw.inputs, values: values, categories: categories, targetMeans: means)
  }()

  func table() throws -> Table {
    try Table([
      .float("a", inputs.a.map { $0 ?? .nan }),
      .integer("b", inputs.b.map { Int64($0) }),
      .categorical("c", inputs.c),
      .categorical("d", inputs.d.map { Optional($0) }),
    ])
  }

  func expected(_ key: String) throws -> [Double] {
    try #require(values[key], "fixture \(key)").map { $0 ?? .nan }
  }
}

/// Column-major values of the named columns, for comparing with the fixtures' `ravel("F")`.
func columnMajor(_ table: Table, _ names: [String]) throws -> [Double] {
  try names.flatMap { try table.column(named: $0).doubleValues }
}

/// Element-wise agreement with NaN equal to NaN. The transformers compute the same
/// formulas as scikit-learn with at most a different order of a few operations, so
/// 1e-12 relative (of each value, at least 1) covers the rounding differences.
func expectMatches(_ actual: [Double], _ expected: [Double], _ label: String) {
  #expect(actual.count == expected.count, "\(label): count")
  for (i, (x, e)) in zip(actual, expected).enumerated() {
    if e.isNaN {
      #expect(x.isNaN, "\(label)[\(i)] should be NaN, got \(x)")
    } else {
      #expect(abs(x - e) <= 1e-12 * max(1, abs(e)), "\(label)[\(i)]: \(x) vs \(e)")
    }
  }
}

@Suite("Transformers against scikit-learn")
struct TransformerTests {
  let fixtures: TransformerFixtures

  init() throws { fixtures = try #require(TransformerFixtures.shared, "transformer fixtures missing") }

  @Test func scalers() throws {
    let table = try fixtures.table()
    let standard = try StandardScaler().fit(table).transform(table)
    expectMatches(try columnMajor(standard, ["a", "b"]), try fixtures.expected("standard"), "standard")
    let minMax = try MinMaxScaler(lower: -1, upper: 2).fit(table).transform(table)
    expectMatches(try columnMajor(minMax, ["a", "b"]), try fixtures.expected("minmax"), "minmax")
    let robust = try RobustScaler(quantileRange: 10...80).fit(table).transform(table)
    expectMatches(try columnMajor(robust, ["a", "b"]), try fixtures.expected("robust"), "robust")
    // Categorical columns pass through untouched.
    #expect(standard["c"] == table["c"])
  }

  @Test func scalerInverseRoundTrips() throws {
    let table = try fixtures.table()
    let scaler = try StandardScaler().fit(table)
    let scaled = try scaler.transform(table)
    let back = try scaler.inverse(try scaled.column(named: "a").doubleValues, column: "a")
    expectMatches(back, try table.column(named: "a").doubleValues, "inverse")
  }

  @Test(arguments: [
    (SimpleImputer.Strategy.mean, "impute_mean"), (.median, "impute_median"), (.mostFrequent, "impute_most_frequent"),
  ])
  func imputers(strategy: SimpleImputer.Strategy, key: String) throws {
    let table = try fixtures.table()
    let imputed = try SimpleImputer(columns: .names(["a"]), strategy: strategy).fit(table).transform(table)
    expectMatches(try imputed.column(named: "a").doubleValues, try fixtures.expected(key), key)
  }

  @Test func constantImputerWithIndicator() throws {
    let table = try fixtures.table()
    let imputer = SimpleImputer(columns: .names(["a"]), strategy: .constant, fillValue: -7.5, addIndicator: true)
    let imputed = try imputer.fit(table).transform(table)
    expectMatches(
      try columnMajor(imputed, ["a", "a_missing"]), try fixtures.expected("impute_constant_indicator"), "indicator")
  }

  @Test func categoricalImputerFillsTheMostFrequentCategory() throws {
    let table = try fixtures.table()
    let imputed = try SimpleImputer(columns: .names(["c"]), strategy: .mostFrequent).fit(table).transform(table)
    let present = fixtures.inputs.c.compactMap { $0 }
    let counts = Dictionary(present.map { ($0, 1) }, uniquingKeysWith: +)
    let best = try #require(counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
    let column = try imputed.column(named: "c")
    #expect(column.missingCount == 0)
    for (row, value) in fixtures.inputs.c.enumerated() { #expect(column.text(at: row) == (value ?? best.key)) }
    #expect(throws: TransformerError.self) { try SimpleImputer(columns: .names(["c"]), strategy: .mean).fit(table) }
  }

  @Test func oneHotEncoding() throws {
    let table = try fixtures.table()
    let encoder = try OneHotEncoder(handleUnknown: .ignore).fit(table)
    #expect(encoder.categories == fixtures.categories)
    let encoded = try encoder.transform(table)
    expectMatches(try columnMajor(encoded, encoder.outputColumns), try fixtures.expected("onehot"), "onehot")
    #expect(encoded["c"] == nil && encoded["a"] != nil)

    let unseen = try Table([
      .categorical("c", fixtures.inputs.new_c), .categorical("d", ["x", "y", "y", "x"]),
    ])
    expectMatches(
      try columnMajor(try encoder.transform(unseen), encoder.outputColumns), try fixtures.expected("onehot_new"),
      "onehot unseen")
    let strict = try OneHotEncoder().fit(table)
    let error = try #require(throws: TransformerError.self) { try strict.transform(unseen) }
    #expect(error.message.contains("violet"))

    let binaryDropped = try OneHotEncoder(drop: .ifBinary).fit(table)
    expectMatches(
      try columnMajor(try binaryDropped.transform(table), binaryDropped.outputColumns),
      try fixtures.expected("onehot_drop_if_binary"), "drop if binary")
  }

  @Test func ordinalEncoding() throws {
    let table = try fixtures.table()
    let encoder = try OrdinalEncoder(columns: .names(["c"]), handleUnknown: .ignore, unknownValue: -1).fit(table)
    expectMatches(
      try encoder.transform(table).column(named: "c").doubleValues, try fixtures.expected("ordinal"), "ordinal")
    let unseen = try Table([.categorical("c", fixtures.inputs.new_c)])
    expectMatches(
      try encoder.transform(unseen).column(named: "c").doubleValues, try fixtures.expected("ordinal_new"), "unseen")
  }

  /// scikit-learn's TargetEncoder with `shuffle=False` uses contiguous k-fold, which Hone
  /// reproduces with `shuffle: false`, so out-of-fold encodings match value for value.
  @Test(arguments: [("auto", TargetEncoder.Smoothing.auto), ("value", .value(3))])
  func targetEncoding(name: String, smoothing: TargetEncoder.Smoothing) throws {
    let table = try fixtures.table().selecting(["c"])
    let encoder = TargetEncoder(smoothing: smoothing, folds: 5, shuffle: false)
    let (fitted, outOfFold) = try encoder.fitTransform(table, target: fixtures.inputs.y)
    expectMatches(try outOfFold.column(named: "c").doubleValues, try fixtures.expected("target_\(name)_oof"), "oof")
    expectMatches(
      try fitted.transform(table).column(named: "c").doubleValues, try fixtures.expected("target_\(name)_full"), "full")
    let unseen = try Table([.categorical("c", fixtures.inputs.new_c)])
    expectMatches(
      try fitted.transform(unseen).column(named: "c").doubleValues, try fixtures.expected("target_\(name)_new"), "new")
    let mean = try #require(fixtures.targetMeans["target_\(name)_mean"])
    #expect(abs(fitted.targetMean - mean) <= 1e-12 * abs(mean))
  }

  @Test func targetEncoderOutOfFoldNeverSeesTheRowsOwnTarget() throws {
    // Changing one row's target must not change that row's out-of-fold encoding.
    let table = try fixtures.table().selecting(["c"])
    var y = fixtures.inputs.y
    let encoder = TargetEncoder(folds: 4, shuffle: true, seed: 9)
    let before = try encoder.fitTransform(table, target: y).1.column(named: "c").doubleValues
    y[6] += 1000
    let after = try encoder.fitTransform(table, target: y).1.column(named: "c").doubleValues
    #expect(before[6] == after[6])
    #expect(before != after, "other folds do see the change")
  }

  @Test func badInputThrows() throws {
    let table = try fixtures.table()
    #expect(throws: TransformerError.self) { try StandardScaler(columns: .names(["c"])).fit(table) }
    #expect(throws: TransformerError.self) { try StandardScaler(columns: .names(["nope"])).fit(table) }
    #expect(throws: TransformerError.self) { try MinMaxScaler(lower: 1, upper: 1).fit(table) }
    #expect(throws: TransformerError.self) { try TargetEncoder().fit(table, target: nil) }
    #expect(throws: TransformerError.self) { try TargetEncoder().fit(table, target: [1, 2]) }
    #expect(throws: TransformerError.self) { try OneHotEncoder(columns: .names(["a"])).fit(table) }
    let fitted = try StandardScaler().fit(table)
    #expect(throws: (any Error).self) { try fitted.transform(try table.dropping(["a"])) }
  }
}
