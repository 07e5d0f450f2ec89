import Foundation
import HoneCore
import HoneLinearAlgebra
import HoneTrees
import Testing

/// XGBoost JSON models against xgboost 3.2.0's own predictions.
///
/// Tolerance 1e-12 relative, and in practice the difference is exactly 0: XGBoost
/// predicts in float32 — inputs rounded to float32, float32 thresholds and leaf values,
/// a float32 sum starting from the float32 base margin, `expf` in the sigmoid and
/// softmax — and the import repeats each of those roundings, so it produces the same
/// float32 numbers. Summing in float64 instead would already differ by ~1e-8 relative;
/// comparing in float64 sends the fixtures' "one float64 ulp below a float32 threshold"
/// rows to the wrong child.
@Suite("XGBoost import")
struct XGBoostImportTests {
  static let tolerance = 1e-12

  @Test("all XGBoost fixtures are present")
  func fixturesPresent() {
    #expect(ImportFixtures.manifest?.xgboost == "3.2.0")
    #expect(ImportFixtures.entries(library: "xgboost", data: "synthetic").count == 3)
  }

  @Test(
    "margins and predictions match XGBoost on synthetic rows with NaNs and float32 thresholds",
    arguments: ImportFixtures.entries(library: "xgboost", data: "synthetic"))
  func matchesXGBoost(_ entry: ImportFixtures.Entry) throws {
    let model = try XGBoostModel.load(contentsOf: ImportFixtures.path(entry.model))
    let features = try ImportFixtures.syntheticRows()
    try Self.check(model, features, try ImportFixtures.predictions(entry), name: entry.name)
  }

  @Test(
    "margins and probabilities match XGBoost on lightgbm/binary_test.csv",
    .enabled(if: ImportFixtures.datasetsDirectory != nil, ImportFixtures.skipMessage))
  func matchesXGBoostOnRealData() throws {
    let entry = try #require(ImportFixtures.entries(library: "xgboost", data: "real").first)
    let model = try XGBoostModel.load(contentsOf: ImportFixtures.path(entry.model))
    let features = try ImportFixtures.realTestFeatures()
    try Self.check(model, features, try ImportFixtures.predictions(entry), name: entry.name)
  }

  static func check(
    _ model: XGBoostModel, _ features: Matrix, _ expected: ImportFixtures.Predictions, name: String
  ) throws {
    let raw = try model.predictRaw(features)
    let transformed = try model.predictTransformed(features)
    let rawError = try ImportFixtures.maxRelativeError(raw, expected.raw)
    let transformedError = try ImportFixtures.maxRelativeError(transformed, expected.transformed)
    print("\(name): \(features.rows) rows, max relative error margin \(rawError), predict \(transformedError)")
    #expect(rawError <= tolerance)
    #expect(transformedError <= tolerance)
    // Every output is a float32 value, as XGBoost's.
    #expect(raw.storage.allSatisfy { Double(Float($0)) == $0 })

    var output: [Double] = []
    for i in stride(from: 0, to: features.rows, by: 7) {
      try model.predictRaw(row: (0..<features.columns).map { features[i, $0] }, into: &output)
      #expect(output == (0..<raw.columns).map { raw[i, $0] })
    }
    if !model.classes.isEmpty {
      let probabilities = try model.predictProbabilities(features)
      #expect(probabilities.columns == model.classes.count)
      let labels = try model.predict(features)
      for i in 0..<features.rows {
        let row = (0..<probabilities.columns).map { probabilities[i, $0] }
        let best = row.indices.max { row[$0] < row[$1] } ?? 0
        #expect(row[Int(labels[i])] == row[best])
      }
    }
  }

  @Test("base_score becomes the float32 base margin")
  func baseMargins() throws {
    let binary = try XGBoostModel.load(contentsOf: ImportFixtures.path("xgboost_binary.json"))
    // base_score "[4.9233332E-1]" → −logf(1/p − 1), worked in float32.
    let p = Float(0.49233332)
    #expect(binary.ensemble.baseMargins == [Double(-log(1 / p - 1))])
    #expect(binary.objective == .logistic)
    let multiclass = try XGBoostModel.load(contentsOf: ImportFixtures.path("xgboost_multiclass.json"))
    #expect(multiclass.ensemble.baseMargins == [-1.1023879E-2, 1.0365248E-3, 9.987354E-3].map { Double(Float($0)) })
    #expect(multiclass.classes == [0, 1, 2])
  }

  @Test("ModelFile round trip keeps the model and its predictions")
  func modelFileRoundTrip() throws {
    let model = try XGBoostModel.load(contentsOf: ImportFixtures.path("xgboost_multiclass.json"))
    let bytes = try ModelFile.encode(model)
    let restored = try ModelFile.decode(XGBoostModel.self, from: bytes)
    #expect(restored == model)
    let features = try ImportFixtures.syntheticRows()
    #expect(try restored.predictProbabilities(features) == model.predictProbabilities(features))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hone-xgb-\(UUID().uuidString).hone").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    #expect(try ModelFile.header(at: path).kind == "xgboost-import")
    #expect(try ModelFile.load(XGBoostModel.self, from: path) == model)
  }

  // MARK: - Malformed files

  /// The regression fixture as a JSON object, edited by `edit`, back to text.
  static func edited(_ edit: (inout [String: Any]) -> Void) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: ImportFixtures.path("xgboost_regression.json")))
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    edit(&object)
    return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }

  /// Applies `edit` to `learner` → `gradient_booster` → `model` → `trees[0]`.
  static func editFirstTree(_ edit: @escaping (inout [String: Any]) -> Void) throws -> String {
    try edited { root in
      var learner = root["learner"] as? [String: Any] ?? [:]
      var booster = learner["gradient_booster"] as? [String: Any] ?? [:]
      var model = booster["model"] as? [String: Any] ?? [:]
      var trees = model["trees"] as? [[String: Any]] ?? []
      edit(&trees[0])
      model["trees"] = trees
      booster["model"] = model
      learner["gradient_booster"] = booster
      root["learner"] = learner
    }
  }

  static func editLearner(_ edit: @escaping (inout [String: Any]) -> Void) throws -> String {
    try edited { root in
      var learner = root["learner"] as? [String: Any] ?? [:]
      edit(&learner)
      root["learner"] = learner
    }
  }

  static func importError(_ json: String) -> ModelImportError? {
    #expect(throws: ModelImportError.self) { try XGBoostModel(json: json, source: "model.json") }
  }

  @Test("errors name the JSON path of the bad field")
  func malformedPaths() throws {
    let missing = Self.importError(try Self.editFirstTree { $0["left_children"] = nil })
    #expect(missing?.kind == .malformed)
    #expect(missing?.location == "model.json: $.learner.gradient_booster.model.trees[0]")
    #expect(missing?.message.contains("left_children") == true)

    let short = Self.importError(try Self.editFirstTree { $0["split_conditions"] = [0.5] })
    #expect(short?.location == "model.json: $.learner.gradient_booster.model.trees[0].split_conditions")

    let notNumber = Self.importError(
      try Self.editFirstTree { tree in
        var values = tree["split_indices"] as? [Any] ?? []
        values[2] = "two"
        tree["split_indices"] = values
      })
    #expect(notNumber?.location == "model.json: $.learner.gradient_booster.model.trees[0].split_indices[2]")

    let cycle = Self.importError(
      try Self.editFirstTree { tree in
        var lefts = tree["left_children"] as? [Int] ?? []
        lefts[1] = 0
        tree["left_children"] = lefts
      })
    #expect(cycle?.location == "model.json: $.learner.gradient_booster.model.trees[0].left_children")

    let farFeature = Self.importError(
      try Self.editFirstTree { tree in
        var features = tree["split_indices"] as? [Int] ?? []
        features[0] = 99
        tree["split_indices"] = features
      })
    #expect(farFeature?.message.contains("feature 99") == true)

    let badBase = Self.importError(
      try Self.editLearner { learner in
        var parameters = learner["learner_model_param"] as? [String: Any] ?? [:]
        parameters["base_score"] = "[abc]"
        learner["learner_model_param"] = parameters
      })
    #expect(badBase?.location == "model.json: $.learner.learner_model_param.base_score")

    let syntax = Self.importError("{\n  \"learner\": [1, 2,,]\n}")
    #expect(syntax?.location == "model.json:2:20")  // the second comma

    let missingFile = #expect(throws: ModelImportError.self) {
      try XGBoostModel.load(contentsOf: "/nonexistent/model.json")
    }
    #expect(missingFile?.kind == .io)
  }

  @Test("unsupported objectives, boosters and categorical splits throw .unsupported")
  func unsupported() throws {
    let objective = Self.importError(
      try Self.editLearner { learner in
        learner["objective"] = ["name": "reg:pseudohubererror"]
      })
    #expect(objective?.kind == .unsupported)
    #expect(objective?.location == "model.json: $.learner.objective.name")

    let dart = Self.importError(
      try Self.editLearner { learner in
        var booster = learner["gradient_booster"] as? [String: Any] ?? [:]
        booster["name"] = "dart"
        learner["gradient_booster"] = booster
      })
    #expect(dart?.kind == .unsupported)
    #expect(dart?.location == "model.json: $.learner.gradient_booster.name")

    let categorical = Self.importError(
      try Self.editFirstTree { tree in
        var types = tree["split_type"] as? [Int] ?? []
        types[0] = 1
        tree["split_type"] = types
      })
    #expect(categorical?.kind == .unsupported)
    #expect(categorical?.message.contains("categorical split on feature") == true)

    let regression = try XGBoostModel.load(contentsOf: ImportFixtures.path("xgboost_regression.json"))
    let error = #expect(throws: ModelImportError.self) {
      try regression.predictProbabilities(Matrix(rows: 1, columns: 8))
    }
    #expect(error?.kind == .notApplicable)
    let mismatch = #expect(throws: ModelImportError.self) { try regression.predictRaw(Matrix(rows: 1, columns: 9)) }
    #expect(mismatch?.kind == .featureCountMismatch(expected: 8, found: 9))
  }
}
