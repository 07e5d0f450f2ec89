import Foundation
import HoneCore
import Testing

/// `hone train --model gbdt` and `hone predict` through the built binary: LightGBM
/// parameter names, validation files, progress lines, ignored columns and JSON summaries.
@Suite("hone train/predict with boosted trees")
struct GradientBoostingCLITests {
  let cli = HoneCLITests()

  /// XOR of two features' signs with 10% of labels flipped, an id column that must be
  /// ignored (it would leak: it equals the row number) and a pure-noise column.
  static func write(rows: Int, seed: UInt64, to path: String) throws {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var text = "id,a,b,noise,label\n"
    for i in 0..<rows {
      let (a, b, noise) = (next() * 2 - 1, next() * 2 - 1, next())
      var label = (a > 0) != (b > 0) ? 1 : 0
      if next() < 0.1 { label = 1 - label }
      text += "\(i),\(a),\(b),\(noise),\(label)\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  func directory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-gbdt-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// The ROC area by Mann–Whitney average ranks, independent of the library's sweep.
  static func areaUnderCurve(_ scores: [Double], _ labels: [Double]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var positives = 0.0
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
      for k in i...j where labels[order[k]] == 1 {
        rankSum += Double(i + j + 2) / 2
        positives += 1
      }
      i = j + 1
    }
    let negatives = Double(order.count) - positives
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }

  @Test func trainWithLightGBMNamesValidationFilesAndEarlyStopping() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let train = folder.appendingPathComponent("train.csv").path
    let recent = folder.appendingPathComponent("recent.csv").path
    let older = folder.appendingPathComponent("older.csv").path
    let model = folder.appendingPathComponent("model.hone").path
    try Self.write(rows: 600, seed: 1, to: train)
    try Self.write(rows: 300, seed: 2, to: recent)
    try Self.write(rows: 300, seed: 3, to: older)
    let result = try cli.run([
      "train", "--data", train, "--target", "label", "--model", "gbdt", "--ignore", "id", "--valid", recent,
      "--valid", older, "--param", "num_leaves=4", "--param", "n_estimators=150", "--param", "learning_rate=0.3",
      "--param", "min_data_in_leaf=5", "--param", "metric=auc,binary_logloss", "--param", "early_stopping_round=10",
      "--param", "bagging_fraction=0.8", "--param", "bagging_freq=2", "--param", "seed=3", "--log-every", "5",
      "--out", model, "--json",
    ])
    #expect(result.status == 0, "\(result.error)")
    let report = try json(result.output)
    #expect(report["features"] as? [String] == ["a", "b", "noise"])
    let hyperparameters = try #require(report["hyperparameters"] as? String)
    for setting in ["maxLeaves=4", "rounds=150", "learningRate=0.3", "baggingFrequency=2", "earlyStoppingRounds=10"] {
      #expect(hyperparameters.contains(setting), "\(setting) in \(hyperparameters)")
    }
    let rounds = try #require(report["rounds"] as? Int)
    let best = try #require(report["bestIteration"] as? Int)
    #expect(rounds == min(best + 10, 150))
    #expect(report["output"] as? String == model)
    #expect((report["seconds"] as? Double ?? -1) >= 0)

    // One progress line every 5 rounds, with the training rows and both sets.
    let lines = result.error.split(separator: "\n").filter { $0.hasPrefix("[") }
    #expect(lines.count == rounds / 5)
    let first = try #require(lines.first)
    #expect(first.hasPrefix("[5]"))
    for part in ["training: auc", "recent: auc", "older: auc", "binary_logloss"] {
      #expect(first.contains(part), "\(first)")
    }

    // The reported validation AUC and log-loss are those of the saved (best-round) model's
    // probabilities, recomputed here from `hone predict`'s output.
    let predictions = folder.appendingPathComponent("recent-predictions.csv").path
    let predicted = try cli.run(["predict", "--data", recent, "--model", model, "--out", predictions, "--json"])
    #expect(predicted.status == 0, "\(predicted.error)")
    let summary = try json(predicted.output)
    #expect(summary["rows"] as? Int == 300)
    #expect(summary["columns"] as? [String] == ["prediction", "probability"])
    let table = try CSV.read(contentsOf: predictions)
    let probability = try table.column(named: "probability").doubleValues
    let labels = try CSV.read(contentsOf: recent).column(named: "label").doubleValues
    let metrics = try #require(report["metrics"] as? [String: [String: Double]])
    let recentMetrics = try #require(metrics["recent"])
    // The training rows are scored on printed rounds only; both sets at the kept round.
    #expect(metrics.keys.contains("older"))
    // Shortest round-trip decimals in the CSV: the probabilities are the model's exactly;
    // only the two AUC algorithms' rounding differs.
    #expect(abs(Self.areaUnderCurve(probability, labels) - (recentMetrics["auc"] ?? 0)) < 1e-12)
    let logLoss = zip(probability, labels).map { $1 == 1 ? -log($0) : -log(1 - $0) }.reduce(0, +) / 300
    #expect(abs(logLoss - (recentMetrics["binary_logloss"] ?? 0)) < 1e-12)
    let classes = try table.column(named: "prediction").doubleValues
    #expect(zip(classes, probability).allSatisfy { $0 == ($1 > 0.5 ? 1 : 0) })
  }

  @Test func aRegressionObjectiveTrainsARegressor() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("data.csv").path
    let model = folder.appendingPathComponent("model.hone").path
    // y = 3·a exactly on a grid.
    var text = "a,y\n"
    for i in 0..<200 { text += "\(Double(i) / 10),\(Double(i) * 0.3)\n" }
    try text.write(toFile: data, atomically: true, encoding: .utf8)
    let result = try cli.run([
      "train", data, "--target", "y", "--model", "gbdt", "--param", "objective=regression", "--param",
      "num_iterations=100", "--param", "learning_rate=0.3", "--param", "metric=l1", "--log-every", "0", "--out", model,
      "--json",
    ])
    #expect(result.status == 0, "\(result.error)")
    #expect(!result.error.contains("[10]"))
    let report = try json(result.output)
    #expect((report["hyperparameters"] as? String)?.contains("objective=squaredError") == true)
    let training = try #require(report["trainingMetrics"] as? [String: Double])
    // A classifier would have refused the fractional labels. y spans 0…60 (sd 17); leaves
    // of at least 20 of the 200 rows cover a span of 6 in y, so a fit is within about
    // 6/√12 ≈ 1.7, and a broken one stays near the sd.
    #expect((training["rmse"] ?? 100) < 2, "\(training)")
    let predicted = try cli.run(["predict", data, "--model", model])
    #expect(predicted.status == 0, "\(predicted.error)")
    #expect(try CSV.read(string: predicted.output).columnNames == ["prediction"])
  }

  @Test func badSettingsFailWithTheValidNames() throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("data.csv").path
    try Self.write(rows: 100, seed: 4, to: data)
    let unknown = try cli.run(["train", data, "--target", "label", "--model", "gbdt", "--param", "numLeaves=4"])
    #expect(unknown.status != 0)
    for name in ["unknown hyperparameter `numLeaves`", "maxLeaves", "num_leaves", "bagging_freq"] {
      #expect(unknown.error.contains(name), "\(unknown.error)")
    }
    let twice = try cli.run([
      "train", data, "--target", "label", "--model", "gbdt", "--param", "num_leaves=4", "--param", "maxLeaves=8",
    ])
    #expect(twice.status != 0)
    #expect(twice.error.contains("give it once"), "\(twice.error)")
    let objective = try cli.run([
      "train", data, "--target", "label", "--model", "gbdt", "--param", "objective=lambdarank",
    ])
    #expect(objective.error.contains("objective `lambdarank`"), "\(objective.error)")
    let metric = try cli.run(["train", data, "--target", "label", "--model", "gbdt", "--param", "metric=ndcg"])
    #expect(metric.status != 0)
    #expect(metric.error.contains("ndcg"), "\(metric.error)")
    let ignore = try cli.run(["train", data, "--target", "label", "--model", "gbdt", "--ignore", "nothere"])
    #expect(ignore.error.contains("`nothere`, which is not a column"), "\(ignore.error)")
    let valid = try cli.run(["train", data, "--target", "label", "--model", "ridge", "--valid", data])
    #expect(valid.error.contains("does not take validation sets"), "\(valid.error)")
    let both = try cli.run(["train", data, "--data", data, "--target", "label", "--model", "gbdt"])
    #expect(both.error.contains("give the training file once"), "\(both.error)")
  }

  @Test func categoriesAreEncodedWithTheTrainingFilesCodesInValidationAndScoringFiles() throws {
    // The target is 0, 10 or 20 by colour. Each file meets the colours in another order,
    // so its own dictionary codes differ; the model must still see red as red.
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let colours = ["red": 0.0, "blue": 10, "green": 20]
    func write(_ order: [String], repeats: Int, to name: String) throws -> String {
      var text = "colour,x,y\n"
      for r in 0..<repeats {
        for colour in order { text += "\(colour),\(Double(r % 7)),\(colours[colour] ?? .nan)\n" }
      }
      let path = folder.appendingPathComponent(name).path
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      return path
    }
    let train = try write(["red", "blue", "green"], repeats: 40, to: "train.csv")
    let valid = try write(["green", "red", "blue"], repeats: 10, to: "valid.csv")
    let score = try write(["blue", "purple", "green", "red"], repeats: 1, to: "score.csv")
    let model = folder.appendingPathComponent("model.hone").path
    let predictions = folder.appendingPathComponent("predictions.csv").path
    let trained = try cli.run([
      "train", "--data", train, "--target", "y", "--model", "gbdtregressor", "--features", "colour,x",
      "--valid", valid, "--param", "rounds=30", "--param", "learningRate=0.5", "--param", "minDataInLeaf=5",
      "--param", "metric=l2", "--out", model, "--json",
    ])
    #expect(trained.status == 0, "\(trained.error)")
    // With the training codes the validation error is near 0; with the file's own codes
    // (green read as red, …) it would be about 200.
    let report = try json(trained.output)
    let metrics = try #require(report["metrics"] as? [String: [String: Double]])
    #expect(try #require(metrics["valid"]?["l2"]) < 1)
    let scored = try cli.run(["predict", "--model", model, "--data", score, "--out", predictions])
    #expect(scored.status == 0, "\(scored.error)")
    #expect(scored.error.contains("1 row(s) of `colour` hold categories the model never saw"))
    let values = try CSV.read(contentsOf: predictions).column(named: "prediction").doubleValues
    #expect(values.count == 4)
    for (value, expected) in zip([values[0], values[2], values[3]], [10.0, 20, 0]) {
      #expect(abs(value - expected) < 0.5, "\(values)")
    }
  }
}
