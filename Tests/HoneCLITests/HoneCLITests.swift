import Foundation
import HoneCore
import Testing

/// Runs the built `hone` executable as a user would and checks what it prints.
@Suite("hone command line")
struct HoneCLITests {
  struct Result {
    let status: Int32
    let output: String
    let error: String
  }

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The `hone` binary beside the test bundle in the build folder.
  static var executable: URL {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
      bundle, bundle.deletingLastPathComponent(), bundle.deletingLastPathComponent().deletingLastPathComponent(),
    ]
    return candidates.map { $0.appendingPathComponent("hone") }.first {
      FileManager.default.isExecutableFile(atPath: $0.path)
    } ?? bundle.appendingPathComponent("hone")
  }

  func run(_ arguments: [String]) throws -> Result { try Self.runHone(arguments) }

  /// Runs the built `hone` with `arguments` in `directory` (the package root by default)
  /// and collects its exit status, standard output and standard error; every CLI suite
  /// uses it.
  static func runHone(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
      error: String(decoding: error, as: UTF8.self))
  }

  @Test func describeReportsTheBundledMarketAsJSON() throws {
    let result = try run(["data", "describe", "Datasets/market/synthetic_market.csv", "--json"])
    #expect(result.status == 0, "\(result.error)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    #expect(object["rows"] as? Int == 1500)
    #expect(object["columns"] as? Int == 8)
    let summary = try #require(object["summary"] as? [[String: Any]])
    #expect(
      summary.map { $0["name"] as? String } == [
        "timestamp", "symbol", "open", "high", "low", "close", "volume", "regime",
      ])
    // The mean of `close` computed independently from the table Hone reads.
    let table = try CSV.read(
      contentsOf: Self.packageRoot.appendingPathComponent("Datasets/market/synthetic_market.csv").path)
    let close = try table.column(named: "close").doubleValues
    let mean = close.reduce(0, +) / Double(close.count)
    let reported = try #require(summary.first { $0["name"] as? String == "close" }?["mean"] as? Double)
    #expect(abs(reported - mean) <= 1e-12 * mean)
  }

  @Test func describeAMissingFileFailsWithTheReason() throws {
    let result = try run(["data", "describe", "no/such/file.csv"])
    #expect(result.status != 0)
    #expect(result.error.contains("no/such/file.csv"))
    #expect(result.error.contains("no such file"))
  }

  @Test func describeAMalformedFileNamesLineAndColumn() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bad.csv").path
    try "a,b\n1,2\n3,4,5\n".write(toFile: path, atomically: true, encoding: .utf8)
    let result = try run(["data", "describe", path])
    #expect(result.status != 0)
    #expect(result.error.contains("line 3"))
    #expect(result.error.contains("expected 2 fields"))
  }

  @Test func leastSquaresRecoversAnExactLinearRelation() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("linear.csv").path
    // y = 2 + 3·a − 0.5·b exactly, so least squares must return these coefficients.
    var text = "a,b,y\n"
    for i in 0..<20 {
      let a = Double(i)
      let b = Double((i * 7) % 11)
      text += "\(a),\(b),\(2 + 3 * a - 0.5 * b)\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let result = try run(["linalg", "lstsq", path, "--target", "y", "--json"])
    #expect(result.status == 0, "\(result.error)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    let coefficients = try #require(object["coefficients"] as? [Double])
    #expect(coefficients.count == 3)
    // A well-conditioned 20 x 3 problem: the solution is exact up to a few ulps of |y| ≤ 60.
    for (got, expected) in zip(coefficients, [2.0, 3.0, -0.5]) { #expect(abs(got - expected) < 1e-10) }
    #expect(object["rank"] as? Int == 3)
  }

  @Test func infoPrintsTheBLASConfiguration() throws {
    let result = try run(["info", "--json"])
    #expect(result.status == 0, "\(result.error)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    let blas = try #require(object["blas"] as? [String: Any])
    #expect((blas["threads"] as? Int ?? 0) >= 1)
    #expect((blas["configuration"] as? String)?.contains("OpenBLAS") == true)
  }

  @Test func trainThenPredictReproducesAnExactLinearRelation() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("train.csv").path
    let model = directory.appendingPathComponent("ols.hone").path
    let predictions = directory.appendingPathComponent("predictions.csv").path
    // y = 1 − 2·a + 0.25·b exactly; the label column is categorical and must be skipped.
    var text = "a,label,b,y\n"
    for i in 0..<30 {
      let (a, b) = (Double(i % 7), Double((i * 5) % 13))
      text += "\(a),c\(i % 3),\(b),\(1 - 2 * a + 0.25 * b)\n"
    }
    try text.write(toFile: data, atomically: true, encoding: .utf8)
    let train = try run(["train", data, "--target", "y", "--model", "ols", "--output", model])
    #expect(train.status == 0, "\(train.error)")
    #expect(train.error.contains("skipping non-numeric columns `label`"))
    let predict = try run(["predict", data, "--model", model, "--output", predictions])
    #expect(predict.status == 0, "\(predict.error)")
    let table = try CSV.read(contentsOf: predictions)
    let expected = try CSV.read(contentsOf: data).column(named: "y").doubleValues
    let got = try table.column(named: "prediction").doubleValues
    #expect(got.count == 30)
    // An exact relation on a well-conditioned 30 x 2 design: residuals are rounding only.
    #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-10 })
  }

  @Test func trainRejectsUnknownAndMistypedParameters() throws {
    let unknown = try run([
      "train", "Datasets/market/synthetic_market.csv", "--target", "close", "--model", "ridge", "--param", "beta=2",
      "--output", "/nonexistent-dir/m.hone",
    ])
    #expect(unknown.status != 0)
    #expect(unknown.error.contains("unknown hyperparameter `beta`"))
    let mistyped = try run([
      "train", "Datasets/market/synthetic_market.csv", "--target", "close", "--model", "ridge", "--param",
      "fitIntercept=maybe", "--output", "/nonexistent-dir/m.hone",
    ])
    #expect(mistyped.status != 0)
    #expect(mistyped.error.contains("fitIntercept"))
    let badModel = try run(["train", "Datasets/market/synthetic_market.csv", "--target", "close", "--model", "forest"])
    #expect(badModel.error.contains("unknown model `forest`"))
  }

  @Test func logisticTrainAndPredictWriteProbabilitiesThatSumToOne() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("classes.csv").path
    let model = directory.appendingPathComponent("logistic.hone").path
    // Three classes by the sign pattern of two features, with overlap from a third.
    var text = "a,b,c,label\n"
    for i in 0..<60 {
      let (a, b, c) = (Double(i % 10) - 4.5, Double((i * 7) % 11) - 5, Double((i * 3) % 5))
      text += "\(a),\(b),\(c),\(a > 0 ? 2 : (b > 0 ? 1 : 0))\n"
    }
    try text.write(toFile: data, atomically: true, encoding: .utf8)
    let train = try run(["train", data, "--target", "label", "--model", "logistic", "--output", model, "--json"])
    #expect(train.status == 0, "\(train.error)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(train.output.utf8)) as? [String: Any])
    let metrics = try #require(report["trainingMetrics"] as? [String: Double])
    #expect((metrics["accuracy"] ?? 0) > 0.8)
    let predict = try run(["predict", data, "--model", model, "--probabilities"])
    #expect(predict.status == 0, "\(predict.error)")
    let table = try CSV.read(string: predict.output)
    #expect(table.columnNames == ["prediction", "probability_0", "probability_1", "probability_2"])
    let columns = try (0..<3).map { try table.column(named: "probability_\($0)").doubleValues }
    for row in 0..<table.rowCount {
      // Softmax outputs printed in shortest round-trip form: the sum is 1 up to a few ulps.
      #expect(abs(columns[0][row] + columns[1][row] + columns[2][row] - 1) < 1e-12)
    }
  }

  @Test func mlpTrainAndPredictWithArrayHyperparameters() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("xor.csv").path
    let model = directory.appendingPathComponent("mlp.hone").path
    // XOR of the signs of two features: no linear model gets above ~75% accuracy.
    var text = "a,b,label\n"
    for i in 0..<200 {
      let (a, b) = (Double(i % 20) - 9.5, Double((i * 7) % 13) - 6)
      text += "\(a),\(b),\((a > 0) != (b > 0) ? 1 : 0)\n"
    }
    try text.write(toFile: data, atomically: true, encoding: .utf8)
    let train = try run([
      "train", data, "--target", "label", "--model", "mlp", "--param", "hiddenLayers=16,16", "--param", "epochs=200",
      "--param", "batchSize=32", "--param", "optimizer=adam", "--param", "learningRate=0.01", "--param", "seed=0",
      "--output", model, "--json",
    ])
    #expect(train.status == 0, "\(train.error)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(train.output.utf8)) as? [String: Any])
    #expect(report["kind"] as? String == "mlp")
    #expect((report["hyperparameters"] as? String)?.contains("hiddenLayers=16,16") == true)
    let metrics = try #require(report["trainingMetrics"] as? [String: Double])
    #expect((metrics["accuracy"] ?? 0) > 0.95, "\(metrics)")
    #expect((metrics["logLoss"] ?? 1) < 0.2, "\(metrics)")
    let predict = try run(["predict", data, "--model", model, "--probabilities"])
    #expect(predict.status == 0, "\(predict.error)")
    let table = try CSV.read(string: predict.output)
    #expect(table.columnNames == ["prediction", "probability_0", "probability_1"])
    let bad = try run(["train", data, "--target", "label", "--model", "mlp", "--param", "hiddenLayers=16,x"])
    #expect(bad.status != 0)
    #expect(bad.error.contains("hiddenLayers"))
  }

  /// A LightGBM model imported with `hone import` predicts what LightGBM itself predicted
  /// (stored by `Tests/HoneTreesTests/Fixtures/import/make_import_fixtures.py`).
  @Test(
    .enabled(
      if: FileManager.default.fileExists(
        atPath: Self.packageRoot.appendingPathComponent("../shared/datasets/lightgbm/binary_test.csv").path),
      "shared datasets not found"))
  func importedLightGBMModelPredictsAsLightGBM() throws {
    let fixtures = Self.packageRoot.appendingPathComponent("Tests/HoneTreesTests/Fixtures/import")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("lgb.hone").path
    let features = (1...28).map { "f\($0)" }.joined(separator: ",")
    let imported = try run([
      "import", fixtures.appendingPathComponent("lightgbm_binary_real.txt").path, "--features", features, "--output",
      model,
    ])
    #expect(imported.status == 0, "\(imported.error)")
    let data = Self.packageRoot.appendingPathComponent("../shared/datasets/lightgbm/binary_test.csv").path
    let predicted = try run(["predict", data, "--model", model, "--probabilities"])
    #expect(predicted.status == 0, "\(predicted.error)")
    let table = try CSV.read(string: predicted.output)
    // JSONDecoder parses doubles exactly; Foundation's JSONSerialization can be an ulp off.
    struct Reference: Decodable { let transformed: [[Double]] }
    let reference = try JSONDecoder().decode(
      Reference.self, from: Data(contentsOf: fixtures.appendingPathComponent("lightgbm_binary_real.predictions.json")))
    let transformed = reference.transformed.map { $0[0] }
    let ours = try table.column(named: "probability_1").doubleValues
    #expect(ours.count == transformed.count)
    // Same float64 thresholds and sums in the same order, and the CSV prints shortest
    // round-trip decimals: the probabilities agree exactly.
    #expect(ours == transformed)
  }

  @Test func gbdtTrainAndPredict() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("xor.csv").path
    let model = directory.appendingPathComponent("gbdt.hone").path
    // XOR of the signs of two features: trees of depth 2 separate it exactly.
    var text = "a,b,label\n"
    for i in 0..<200 {
      let (a, b) = (Double(i % 20) - 9.5, Double((i * 7) % 13) - 6)
      text += "\(a),\(b),\((a > 0) != (b > 0) ? 1 : 0)\n"
    }
    try text.write(toFile: data, atomically: true, encoding: .utf8)
    let train = try run([
      "train", data, "--target", "label", "--model", "gbdt", "--param", "rounds=50", "--param", "maxLeaves=4",
      "--param", "minDataInLeaf=5", "--param", "learningRate=0.3", "--output", model, "--json",
    ])
    #expect(train.status == 0, "\(train.error)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(train.output.utf8)) as? [String: Any])
    #expect(report["kind"] as? String == "gbdt")
    let metrics = try #require(report["trainingMetrics"] as? [String: Double])
    #expect((metrics["accuracy"] ?? 0) > 0.95, "\(metrics)")
    let predict = try run(["predict", data, "--model", model, "--probabilities"])
    #expect(predict.status == 0, "\(predict.error)")
    let table = try CSV.read(string: predict.output)
    #expect(table.columnNames == ["prediction", "probability_0", "probability_1"])
    let bad = try run(["train", data, "--target", "label", "--model", "gbdt", "--param", "numLeaves=4"])
    #expect(bad.status != 0)
    #expect(bad.error.contains("maxLeaves"))
  }
}
