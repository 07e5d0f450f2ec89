import Foundation
import HoneCore
import HoneLinearAlgebra
import HoneTrees
import Testing

/// LightGBM text models against lightgbm 4.7.0's own predictions.
///
/// Tolerance 1e-12 relative, and in practice the difference is exactly 0: the text file
/// holds every threshold and leaf value with 17 significant digits (float64 round-trips),
/// LightGBM walks trees in float64 and adds leaves in float64 in tree order, as the
/// import does, and the sigmoid and softmax call the same glibc `exp`. Any rule that
/// differs (`<` for `<=`, NaN or zero handling, a float32 comparison) moves some of the
/// threshold rows in the fixtures to the other child, by a whole leaf value.
@Suite("LightGBM import")
struct LightGBMImportTests {
  static let tolerance = 1e-12

  @Test("all LightGBM fixtures are present")
  func fixturesPresent() {
    #expect(ImportFixtures.manifest?.lightgbm == "4.7.0")
    #expect(ImportFixtures.entries(library: "lightgbm", data: "synthetic").count == 6)
  }

  @Test(
    "raw scores and predictions match LightGBM on synthetic rows with NaNs, zeros and thresholds",
    arguments: ImportFixtures.entries(library: "lightgbm", data: "synthetic"))
  func matchesLightGBM(_ entry: ImportFixtures.Entry) throws {
    let model = try LightGBMModel.load(contentsOf: ImportFixtures.path(entry.model))
    let features = try ImportFixtures.syntheticRows()
    try Self.check(model, features, try ImportFixtures.predictions(entry), name: entry.name)
  }

  @Test(
    "raw scores and probabilities match LightGBM on lightgbm/binary_test.csv",
    .enabled(if: ImportFixtures.datasetsDirectory != nil, ImportFixtures.skipMessage))
  func matchesLightGBMOnRealData() throws {
    let entry = try #require(ImportFixtures.entries(library: "lightgbm", data: "real").first)
    let model = try LightGBMModel.load(contentsOf: ImportFixtures.path(entry.model))
    let features = try ImportFixtures.realTestFeatures()
    #expect(features.rows == 500)
    try Self.check(model, features, try ImportFixtures.predictions(entry), name: entry.name)
  }

  static func check(
    _ model: LightGBMModel, _ features: Matrix, _ expected: ImportFixtures.Predictions, name: String
  ) throws {
    let raw = try model.predictRaw(features)
    let transformed = try model.predictTransformed(features)
    let rawError = try ImportFixtures.maxRelativeError(raw, expected.raw)
    let transformedError = try ImportFixtures.maxRelativeError(transformed, expected.transformed)
    print("\(name): \(features.rows) rows, max relative error raw \(rawError), predict \(transformedError)")
    #expect(rawError <= tolerance)
    #expect(transformedError <= tolerance)

    // The single-row path gives the batch path's numbers bit for bit.
    var output: [Double] = []
    for i in stride(from: 0, to: features.rows, by: 7) {
      try model.predictRaw(row: (0..<features.columns).map { features[i, $0] }, into: &output)
      #expect(output == (0..<raw.columns).map { raw[i, $0] })
    }

    // Probabilities and labels are consistent with LightGBM's predict output.
    guard !model.classes.isEmpty else {
      #expect(try model.predict(features) == transformed.storage)
      return
    }
    let probabilities = try model.predictProbabilities(features)
    let labels = try model.predict(features)
    #expect(probabilities.columns == model.classes.count)
    for i in 0..<features.rows {
      let row = (0..<probabilities.columns).map { probabilities[i, $0] }
      #expect(abs(row.reduce(0, +) - 1) <= 1e-12)  // a few float64 roundings of numbers ≤ 1
      let best = row.indices.max { row[$0] < row[$1] } ?? 0
      #expect(labels[i] == Double(best) || row[Int(labels[i])] == row[best])
    }
  }

  @Test("ModelFile round trip keeps the model and its predictions")
  func modelFileRoundTrip() throws {
    let entry = try #require(
      ImportFixtures.entries(library: "lightgbm", data: "synthetic").first { $0.name.contains("categorical") })
    let model = try LightGBMModel.load(contentsOf: ImportFixtures.path(entry.model))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hone-lgb-\(UUID().uuidString).hone").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    #expect(try ModelFile.header(at: path).kind == "lightgbm-import")
    let restored = try ModelFile.load(LightGBMModel.self, from: path)
    #expect(restored == model)
    let features = try ImportFixtures.syntheticRows()
    #expect(try restored.predictRaw(features) == model.predictRaw(features))
    #expect(throws: ModelFileError.self) { try ModelFile.load(XGBoostModel.self, from: path) }
  }

  @Test("model properties come from the header")
  func properties() throws {
    let binary = try LightGBMModel.load(
      contentsOf: ImportFixtures.path("lightgbm_binary_categorical.txt"))
    #expect(binary.objective == .binary(sigmoid: 0.7))
    #expect(binary.featureCount == 8)
    #expect(binary.featureNames.first == "Column_0")
    #expect(binary.classes == [0, 1])
    #expect(binary.iterationCount == 30)
    let multiclass = try LightGBMModel.load(contentsOf: ImportFixtures.path("lightgbm_multiclass.txt"))
    #expect(multiclass.objective == .multiclass(classCount: 3))
    #expect(multiclass.ensemble.treeCount == 36)
    let rf = try LightGBMModel.load(contentsOf: ImportFixtures.path("lightgbm_rf_binary.txt"))
    #expect(rf.averagesOutput)
    let regression = try LightGBMModel.load(contentsOf: ImportFixtures.path("lightgbm_regression.txt"))
    #expect(regression.classes.isEmpty)
    let error = #expect(throws: ModelImportError.self) {
      try regression.predictProbabilities(Matrix(rows: 1, columns: 8))
    }
    #expect(error?.kind == .notApplicable)
    let mismatch = #expect(throws: ModelImportError.self) { try regression.predict(Matrix(rows: 2, columns: 7)) }
    #expect(mismatch?.kind == .featureCountMismatch(expected: 8, found: 7))
  }

  // MARK: - Malformed files

  static func fixtureText() throws -> String {
    try String(contentsOfFile: ImportFixtures.path("lightgbm_binary_categorical.txt"), encoding: .utf8)
  }

  /// The 1-based line number of the first line starting with `prefix`.
  static func line(_ text: String, _ prefix: String) throws -> Int {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return try #require(lines.firstIndex { $0.hasPrefix(prefix) }) + 1
  }

  /// Replaces the first line starting with `prefix`.
  static func replacingLine(_ text: String, _ prefix: String, with replacement: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) { lines[index] = replacement }
    return lines.joined(separator: "\n")
  }

  static func importError(_ text: String) -> ModelImportError? {
    #expect(throws: ModelImportError.self) { try LightGBMModel(text: text, source: "model.txt") }
  }

  @Test("errors name the line of the bad field")
  func malformedLines() throws {
    let text = try Self.fixtureText()
    let thresholdLine = try Self.line(text, "threshold=")
    let shortThreshold = Self.replacingLine(text, "threshold=", with: "threshold=0.5 0.25")
    let short = Self.importError(shortThreshold)
    #expect(short?.kind == .malformed)
    #expect(short?.location == "model.txt:\(thresholdLine)")
    #expect(short?.message.contains("`threshold` has 2 values, expected 14") == true)

    let leafLine = try Self.line(text, "leaf_value=")
    let badLeaf = Self.importError(
      Self.replacingLine(
        text, "leaf_value=", with: "leaf_value=" + Array(repeating: "x", count: 15).joined(separator: " ")))
    #expect(badLeaf?.location == "model.txt:\(leafLine)")

    let childLine = try Self.line(text, "left_child=")
    let badChild = Self.importError(
      Self.replacingLine(text, "left_child=", with: "left_child=-40" + String(repeating: " -1", count: 13)))
    #expect(badChild?.location == "model.txt:\(childLine)")
    #expect(badChild?.message.contains("leaf 39 of 15") == true)

    let loop = Self.importError(
      Self.replacingLine(text, "left_child=", with: "left_child=0" + String(repeating: " -1", count: 13)))
    #expect(loop?.message.contains("children must come after their parent") == true)

    let featureLine = try Self.line(text, "split_feature=")
    let farFeature = Self.importError(
      Self.replacingLine(text, "split_feature=", with: "split_feature=8" + String(repeating: " 0", count: 13)))
    #expect(farFeature?.location == "model.txt:\(featureLine)")

    let notTree = Self.importError("{\"learner\": {}}")
    #expect(notTree?.location == "model.txt:1")

    let end = try #require(text.range(of: "end of trees"))
    let truncated = Self.importError(String(text[..<end.lowerBound]))
    #expect(truncated?.message.contains("truncated") == true)

    let noClasses = Self.importError(Self.replacingLine(text, "num_class=", with: "num_klass=1"))
    #expect(noClasses?.message.contains("num_class") == true)

    let misnumbered = Self.importError(Self.replacingLine(text, "Tree=1", with: "Tree=5"))
    #expect(misnumbered?.location == "model.txt:\(try Self.line(text, "Tree=1"))")
  }

  @Test("unsupported objectives and linear trees throw .unsupported with the line")
  func unsupported() throws {
    let text = try Self.fixtureText()
    let objectiveLine = try Self.line(text, "objective=")
    let poisson = Self.importError(Self.replacingLine(text, "objective=", with: "objective=poisson"))
    #expect(poisson?.kind == .unsupported)
    #expect(poisson?.location == "model.txt:\(objectiveLine)")
    #expect(poisson?.message.contains("poisson") == true)

    let linearLine = try Self.line(text, "is_linear=")
    let linear = Self.importError(Self.replacingLine(text, "is_linear=", with: "is_linear=1"))
    #expect(linear?.kind == .unsupported)
    #expect(linear?.location == "model.txt:\(linearLine)")

    let missingFile = #expect(throws: ModelImportError.self) {
      try LightGBMModel.load(contentsOf: "/nonexistent/model.txt")
    }
    #expect(missingFile?.kind == .io)
  }
}
