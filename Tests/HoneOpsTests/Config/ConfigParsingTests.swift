import Foundation
import Testing

@testable import HoneOps

/// Reading YAML and JSON into the shared tree, with locations.
@Suite struct ConfigParsingTests {
  /// Plain scalars typed by the YAML 1.2 core schema (spec §10.3.2), the table the
  /// reader implements: `yes` stays text (unlike YAML 1.1), `1e-5` is a float.
  @Test(arguments: [
    ("10", ConfigValue.Content.int(10)), ("-3", .int(-3)), ("0.5", .double(0.5)), ("1e-5", .double(1e-5)),
    ("-2.5E3", .double(-2500)), (".inf", .double(.infinity)), ("-.inf", .double(-.infinity)), ("true", .bool(true)),
    ("False", .bool(false)), ("~", .null), ("null", .null), ("yes", .string("yes")), ("tpe", .string("tpe")),
    ("1.2.3", .string("1.2.3")), ("inf", .string("inf")), ("2019-01-01", .string("2019-01-01")),
    ("0x1A", .string("0x1A")),
  ])
  func plainScalarsFollowTheCoreSchema(text: String, expected: ConfigValue.Content) throws {
    let value = try ConfigValue.parse(yaml: "key: \(text)")
    #expect(value["key"] == ConfigValue(expected))
  }

  @Test func quotedScalarsStayText() throws {
    let value = try ConfigValue.parse(yaml: "a: \"10\"\nb: 'true'")
    #expect(value["a"] == ConfigValue(.string("10")))
    #expect(value["b"] == ConfigValue(.string("true")))
  }

  @Test func yamlKeepsKeyOrderAndLocations() throws {
    let value = try ConfigValue.parse(yaml: "zeta: 1\nalpha:\n  - x\n  - {k: 2}\n", file: "f.yaml")
    guard case .object(let members) = value.content else {
      Issue.record("expected a mapping")
      return
    }
    #expect(members.map(\.key) == ["zeta", "alpha"])
    // Line 2, column 1 is `alpha`; its second item's `2` sits at line 4, column 9.
    #expect(members[1].keyLocation == SourceLocation(file: "f.yaml", line: 2, column: 1))
    let two = try #require(value.value(at: try ConfigPath(parsing: "alpha[1].k")))
    #expect(two.location == SourceLocation(file: "f.yaml", line: 4, column: 9))
  }

  @Test func jsonAndYamlGiveEqualTrees() throws {
    let yaml = try ConfigValue.parse(yaml: "a: [1, 2.5, \"x\", null, true]\nb: {c: \"d\\n\"}")
    let json = try ConfigValue.parse(json: "{\"a\": [1, 2.5, \"x\", null, true], \"b\": {\"c\": \"d\\n\"}}")
    #expect(yaml == json)
  }

  @Test func jsonNumbersAndEscapes() throws {
    let value = try ConfigValue.parse(json: #"{"i": -12, "d": 1e2, "f": 0.25, "s": "\u00e9\ud83d\ude00\t"}"#)
    #expect(value["i"] == ConfigValue(.int(-12)))
    #expect(value["d"] == ConfigValue(.double(100)))
    #expect(value["f"] == ConfigValue(.double(0.25)))
    #expect(value["s"] == ConfigValue(.string("é😀\t")))
  }

  /// Locations counted by hand: the `}` that follows `"b": ` is line 2, column 7.
  @Test func jsonSyntaxErrorsCarryLineAndColumn() {
    #expect {
      _ = try ConfigValue.parse(json: "{\"a\": 1,\n \"b\": }", file: "c.json")
    } throws: { error in
      guard let error = error as? ConfigError else { return false }
      return error.kind == .syntax && error.location == SourceLocation(file: "c.json", line: 2, column: 7)
    }
  }

  @Test func jsonDuplicateKeysAreRejected() {
    #expect(throws: ConfigError.self) { _ = try ConfigValue.parse(json: #"{"a": 1, "a": 2}"#) }
  }

  @Test func yamlSyntaxErrorsCarryALocation() {
    #expect {
      _ = try ConfigValue.parse(yaml: "a: [1, 2\nb: 3\n", file: "bad.yaml")
    } throws: { error in
      guard let error = error as? ConfigError, let location = error.location else { return false }
      return error.kind == .syntax && location.file == "bad.yaml" && location.line >= 1
        && error.description.hasPrefix("bad.yaml:")
    }
  }

  @Test func yamlDuplicateKeysAreRejected() {
    #expect(throws: ConfigError.self) { _ = try ConfigValue.parse(yaml: "a: 1\na: 2\n") }
  }

  @Test(arguments: [
    ("tuning.trials", [ConfigPath.Component.key("tuning"), .key("trials")]),
    ("models[0].space.maxLeaves.high", [.key("models"), .index(0), .key("space"), .key("maxLeaves"), .key("high")]),
    ("models[12]", [.key("models"), .index(12)]),
    ("data.types.education-num", [.key("data"), .key("types"), .key("education-num")]),
  ])
  func pathsParse(text: String, components: [ConfigPath.Component]) throws {
    let path = try ConfigPath(parsing: text)
    #expect(path.components == components)
    #expect(path.description == text)
  }

  @Test(arguments: ["", "a..b", "a[", "a[x]", "[0]", "a[0]b", "a."])
  func malformedPathsThrow(text: String) {
    #expect(throws: ConfigError.self) { _ = try ConfigPath(parsing: text) }
  }

  /// Levenshtein distances from the textbook examples.
  @Test(arguments: [("kitten", "sitting", 3), ("flaw", "lawn", 2), ("", "abc", 3), ("trials", "trials", 0)])
  func editDistance(a: String, b: String, distance: Int) {
    #expect(Suggestion.distance(Array(a.unicodeScalars), Array(b.unicodeScalars)) == distance)
  }

  @Test func suggestionsOnlyForNearMisses() {
    #expect(Suggestion.closest(to: "trails", in: ["trials", "timeout", "seed"]) == "trials")
    #expect(Suggestion.closest(to: "stoploss", in: ["stopLoss", "profitTaking"]) == "stopLoss")
    #expect(Suggestion.closest(to: "banana", in: ["trials", "timeout", "seed"]) == nil)
  }

  /// The expected text is Python's `json.dumps(value, sort_keys=True, separators=(",", ":"))`
  /// for `{"b": 1, "a": [0.5, "x\"y", None, True, 1e-05], "A": {"z": 2.0}}`.
  @Test func canonicalJSONMatchesPythonsSortedDump() throws {
    let value = try ConfigValue.parse(yaml: "b: 1\na: [0.5, 'x\"y', null, true, 1e-05]\nA: {z: 2.0}")
    #expect(value.canonicalJSON() == #"{"A":{"z":2.0},"a":[0.5,"x\"y",null,true,1e-05],"b":1}"#)
  }
}
