import Foundation
import HoneCore
import HoneTuning
import Testing

/// `hone tune` end to end: the JSON summary against the study journal it wrote, resuming
/// from the journal, and the refitted model predicting through `hone predict`.
@Suite("hone tune")
struct TuneCLITests {
  /// 120 rows of two features, a categorical one and a binary label.
  static func writeData(to path: String) throws {
    var rng = Xoshiro256StarStar(seed: 3)
    var lines = ["x1,x2,color,label"]
    for _ in 0..<120 {
      let (a, b) = (rng.nextGaussian(), rng.nextGaussian())
      let color = ["red", "green", "blue"][rng.nextInt(below: 3)]
      let z = 1.2 * a - b + (color == "red" ? 0.8 : 0) + rng.nextGaussian()
      lines.append("\(a),\(b),\(color),\(z > 0 ? 1 : 0)")
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// The fields of the `--json` summary the test reads. `JSONDecoder` rather than
  /// `JSONSerialization`, which can read a double an ulp off on Linux.
  struct Summary: Decodable {
    struct Best: Decodable {
      var number: Int
      var value: Double
      var foldScores: [Double]
      var parameters: [String: Double]
    }
    var trials: Int
    var newTrials: [Int]
    var metric: String
    var direction: String
    var best: Best?
    var output: String?
  }

  static func summary(_ text: String) throws -> Summary {
    try JSONDecoder().decode(Summary.self, from: Data(text.utf8))
  }

  @Test func tunesResumesAndSavesAModelThatPredicts() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    let journal = folder.appendingPathComponent("studies.jsonl").path
    let model = folder.appendingPathComponent("best.hone").path
    try Self.writeData(to: data)
    let common = [
      "tune", "--data", data, "--target", "label", "--model", "gbdt", "--cv", "stratified:3", "--metric", "auc",
      "--param", "rounds=10", "--storage", journal, "--study", "cli", "--seed", "5", "--json",
    ]
    // A run that adds no trial (here: only checks its settings) does not label the study
    // for good: the first run with trials says what the study is.
    // (With no trial complete the command exits non-zero, by design.)
    _ = try HoneCLITests().run(common + ["--trials", "0", "--cv", "kfold:3"])
    #expect(try JournalStorage(path: journal).studyAttributes(inStudy: "cli")["cv"] == "kfold:3")
    let first = try HoneCLITests().run(common + ["--trials", "4", "--out", model])
    #expect(first.status == 0, "\(first.error)")
    // One leaderboard line per trial on standard error.
    #expect(first.error.split(separator: "\n").filter { $0.hasPrefix("trial ") }.count == 4)
    let summary = try Self.summary(first.output)
    #expect(summary.trials == 4)
    #expect(summary.newTrials == [0, 1, 2, 3])
    #expect(summary.metric == "auc")
    #expect(summary.direction == "maximize")

    // What the study is, recorded once for `hone studies show`.
    let attributes = [
      "data": data, "target": "label", "model": "gbdt", "metric": "auc", "cv": "stratified:3", "rows": "120",
    ]
    #expect(try JournalStorage(path: journal).studyAttributes(inStudy: "cli") == attributes)

    // The summary's best is the best complete trial in the journal, read independently.
    let stored = try JournalStorage(path: journal).trials(inStudy: "cli")
    #expect(stored.map(\.number) == [0, 1, 2, 3])
    let complete = stored.filter { $0.state == .complete }
    let bestValue = try #require(complete.compactMap(\.value).max())
    let best = try #require(summary.best)
    #expect(best.value == bestValue)
    #expect(best.foldScores.count == 3)
    // The mean of three scores summed in fold order is the trial's value to rounding.
    #expect(abs(best.foldScores.reduce(0, +) / 3 - bestValue) <= 1e-12)
    let bestTrial = try #require(complete.first { $0.value == bestValue })
    #expect(best.number == bestTrial.number)
    for (name, value) in bestTrial.parameters {
      switch value {
      case .double(let x): #expect(best.parameters[name] == x, "\(name)")
      case .int(let x): #expect(best.parameters[name] == Double(x), "\(name)")
      case .string: Issue.record("gbdt's space has no categorical parameter `\(name)`")
      }
    }
    #expect(best.parameters.count == bestTrial.parameters.count)
    #expect(summary.output == model)

    // Resuming adds trials after the stored ones, never reusing a number.
    let second = try HoneCLITests().run(common + ["--trials", "3"])
    #expect(second.status == 0, "\(second.error)")
    #expect(second.error.contains("resuming study `cli` with 4 trial(s)"))
    let resumed = try Self.summary(second.output)
    #expect(resumed.newTrials == [4, 5, 6])
    #expect(resumed.trials == 7)
    let after = try JournalStorage(path: journal).trials(inStudy: "cli")
    #expect(after.map(\.number) == Array(0..<7))
    #expect(Array(after.prefix(4)) == stored)
    #expect(try JournalStorage(path: journal).studyAttributes(inStudy: "cli") == attributes)

    // The refitted pipeline reads the raw table, categorical column included.
    let predicted = try HoneCLITests().run(["predict", data, "--model", model, "--probabilities"])
    #expect(predicted.status == 0, "\(predicted.error)")
    let lines = predicted.output.split(separator: "\n")
    #expect(lines.first == "prediction,probability_0,probability_1")
    #expect(lines.count == 121)
  }

  @Test func aModelThatCannotLearnTheTaskIsRefused() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    try Self.writeData(to: data)
    let result = try HoneCLITests().run(["tune", "--data", data, "--target", "label", "--model", "ridge"])
    #expect(result.status != 0)
    #expect(result.error.contains("cannot learn a classification task"))
    let typo = try HoneCLITests().run([
      "tune", "--data", data, "--target", "label", "--model", "gbdt", "--param", "leaves=3",
    ])
    #expect(typo.status != 0)
    #expect(typo.error.contains("unknown hyperparameter `leaves`"))
    #expect(typo.error.contains("maxLeaves"))
    // Every trial fails to fit: each gets a FAILED leaderboard line with its error, and
    // the command ends non-zero because nothing completed.
    let failing = try HoneCLITests().run([
      "tune", "--data", data, "--target", "label", "--model", "gbdt", "--trials", "2", "--param", "maxBins=300",
    ])
    #expect(failing.status != 0)
    let failed = failing.error.split(separator: "\n").filter { $0.hasPrefix("trial ") && $0.contains("FAILED") }
    #expect(failed.count == 2)
    #expect(failed.allSatisfy { $0.contains("maxBins") })
    #expect(failing.output.contains("no trial completed"))
  }

  /// A study resumed with other data or settings is refused, naming what differs: its
  /// scores would mix two problems, and its best trial would be refit with other values.
  /// `--enqueue` runs its configurations first (the rest of the space sampled), a rerun
  /// does not queue them again, and names or values outside the searched space are
  /// refused before any trial runs.
  @Test func enqueuedConfigurationsRunFirstAndOnce() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeData(to: data)
    func tune(_ enqueue: String, _ more: [String] = [], trials: Int = 2) throws -> HoneCLITests.Result {
      try HoneCLITests().run(
        [
          "tune", "--data", data, "--target", "label", "--model", "gbdt", "--cv", "stratified:3", "--param",
          "rounds=5", "--storage", journal, "--study", "q", "--trials", String(trials), "--enqueue", enqueue,
        ] + more)
    }
    let first = try tune("learningRate=0.05 maxLeaves=9")
    #expect(first.status == 0, "\(first.error)")
    #expect(first.error.contains("queued learningRate=0.05 maxLeaves=9"))
    var stored = try JournalStorage(path: journal).trials(inStudy: "q")
    #expect(stored[0].parameters["learningRate"] == .double(0.05) && stored[0].parameters["maxLeaves"] == .int(9))
    #expect(stored[1].parameters["maxLeaves"] != .int(9) || stored[1].parameters["learningRate"] != .double(0.05))
    let again = try tune("learningRate=0.05 maxLeaves=9")
    #expect(again.status == 0, "\(again.error)")
    #expect(again.error.contains("not queued, the study already has it"))
    stored = try JournalStorage(path: journal).trials(inStudy: "q")
    #expect(stored.count == 4)
    #expect(stored[2].parameters["learningRate"] != .double(0.05))
    let unknown = try tune("depth=3")
    #expect(unknown.status != 0 && unknown.error.contains("not name=value for a searched parameter"))
    let outside = try tune("maxLeaves=1000")
    #expect(outside.status != 0 && outside.error.contains("is not a value of maxLeaves's range"))
    #expect(try JournalStorage(path: journal).trials(inStudy: "q").count == 4)
    // A bad second --enqueue queues neither; a whole real is an integer; what the budget
    // does not reach is reported and kept for the next run.
    let half = try tune("maxLeaves=12", ["--enqueue", "maxLeaves=nine"])
    #expect(half.status != 0)
    #expect(try JournalStorage(path: journal).queued(inStudy: "q").isEmpty)
    let later = try tune("maxLeaves=12.0", ["--enqueue", "maxLeaves=13"], trials: 1)
    #expect(later.status == 0, "\(later.error)")
    #expect(later.error.contains("1 queued configuration(s) left for the next run of study `q`"))
    #expect(try JournalStorage(path: journal).trials(inStudy: "q").last?.parameters["maxLeaves"] == .int(12))
    #expect(try JournalStorage(path: journal).queued(inStudy: "q") == [["maxLeaves": .int(13)]])
  }

  @Test func resumingWithOtherDataOrSettingsIsRefused() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    let other = folder.appendingPathComponent("other.csv").path
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeData(to: data)
    try Self.writeData(to: other)
    // The same rows with one label flipped: another file's contents.
    var lines = try String(contentsOfFile: other, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[1] = String(lines[1].dropLast()) + (lines[1].hasSuffix("1") ? "0" : "1")
    try (lines.joined(separator: "\n") + "\n").write(toFile: other, atomically: true, encoding: .utf8)
    func tune(_ file: String, _ extra: [String] = []) throws -> HoneCLITests.Result {
      try HoneCLITests().run(
        [
          "tune", "--data", file, "--target", "label", "--model", "gbdt", "--cv", "stratified:3", "--param",
          "rounds=5", "--trials", "1", "--storage", journal,
        ] + extra)
    }
    #expect(try tune(data).status == 0)
    let otherData = try tune(other)
    #expect(otherData.status != 0)
    #expect(
      otherData.error.contains("study `gbdt` in \(journal) was run with other settings: the data file's contents"))
    let otherParam = try tune(data, ["--param", "maxBins=63"])
    #expect(otherParam.status != 0)
    #expect(otherParam.error.contains("--param (`rounds=5` then, `maxBins=63 rounds=5` now)"))
    // The same bytes read another way are other features.
    let otherTypes = try tune(data, ["--types", "x1=categorical"])
    #expect(otherTypes.status != 0)
    #expect(otherTypes.error.contains("--types (`` then, `x1=categorical` now)"))
    // Another study name in the same journal is a fresh study, and the same settings resume.
    #expect(try tune(other, ["--study", "other"]).status == 0)
    let again = try tune(data)
    #expect(again.status == 0, "\(again.error)")
    #expect(again.error.contains("resuming study `gbdt` with 1 trial(s)"))
  }

  /// Classification folds are stratified by default, as scikit-learn's `cv=5` is: with 5
  /// positives in 100 rows, every stratified fold holds one and AUC can be scored, while
  /// shuffled plain folds leave some fold without a positive and every trial fails.
  @Test func classificationFoldsAreStratifiedByDefault() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("rare.csv").path
    var rng = Xoshiro256StarStar(seed: 11)
    var lines = ["x1,x2,label"]
    for row in 0..<100 {
      let positive = row % 20 == 7
      lines.append("\(rng.nextGaussian() + (positive ? 2 : 0)),\(rng.nextGaussian()),\(positive ? 1 : 0)")
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
    let base = [
      "tune", "--data", data, "--target", "label", "--model", "logistic", "--trials", "2", "--pruner", "none",
    ]
    let stratified = try HoneCLITests().run(base)
    #expect(stratified.status == 0, "\(stratified.error)")
    #expect(stratified.output.contains("2 complete"))
    let plain = try HoneCLITests().run(base + ["--cv", "kfold:5"])
    #expect(plain.status != 0)
    #expect(plain.error.contains("one class"))
  }

  /// Another process's running trial is reported at resume and in the summary, with what
  /// it means, rather than left out of the counts.
  @Test func anotherProcesssRunningTrialIsReported() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeData(to: data)
    // This process holds trial 0 open, beating, while `hone tune` runs two trials.
    let holder = try Study(name: "busy", direction: .maximize, storage: try JournalStorage(path: journal))
    let held = try holder.ask()
    _ = try held.suggestFloat("learningRate", 0.01...0.3, log: true)
    let result = try HoneCLITests().run([
      "tune", "--data", data, "--target", "label", "--model", "gbdt", "--cv", "stratified:3", "--param", "rounds=5",
      "--trials", "2", "--pruner", "none", "--storage", journal, "--study", "busy",
    ])
    #expect(result.status == 0, "\(result.error)")
    #expect(result.error.contains("resuming study `busy` with 1 trial(s); 1 running elsewhere"))
    #expect(result.output.contains("study busy: 3 trial(s), 2 complete, 0 pruned, 0 failed, 1 running elsewhere ("))
    #expect(result.output.contains("retried after 60 s without a heartbeat"))
    try holder.tell(held, value: 0.5)
  }

  /// Every new sampler and pruner runs end to end from the command line, records its
  /// trials in the journal, and an unknown name is refused with the valid ones.
  @Test(arguments: [("sobol", "wilcoxon", "1"), ("cmaes", "hyperband", "1"), ("tpe", "sha", "2")])
  func newSamplersAndPrunersRun(sampler: String, pruner: String, parallel: String) throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeData(to: data)
    let result = try HoneCLITests().run([
      "tune", "--data", data, "--target", "label", "--model", "gbdt", "--cv", "stratified:3", "--param", "rounds=5",
      "--trials", "4", "--sampler", sampler, "--pruner", pruner, "--parallel-trials", parallel, "--storage", journal,
      "--study", "s", "--json",
    ])
    #expect(result.status == 0, "\(result.error)")
    let stored = try JournalStorage(path: journal).trials(inStudy: "s")
    #expect(stored.count == 4)
    for trial in stored {
      #expect(trial.state == .complete || trial.state == .pruned, "\(trial)")
      for (name, value) in trial.parameters {
        #expect(trial.distributions[name]?.contains(value) == true, "\(name) = \(value)")
      }
    }
  }

  @Test func unknownSamplerAndPrunerNamesAreRefused() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    try Self.writeData(to: data)
    let base = ["tune", "--data", data, "--target", "label", "--model", "gbdt", "--trials", "1"]
    let sampler = try HoneCLITests().run(base + ["--sampler", "sobl"])
    #expect(sampler.status != 0)
    #expect(sampler.error.contains("--sampler must be tpe, random, sobol or cmaes"))
    let pruner = try HoneCLITests().run(base + ["--pruner", "asha"])
    #expect(pruner.status != 0)
    #expect(pruner.error.contains("--pruner must be median, none, sha, hyperband or wilcoxon"))
  }

  /// Names and syntax are refused before the data is read: here the data file does not
  /// exist, and the error is about the typo, not the file.
  @Test func typosAreRefusedBeforeTheDataIsRead() throws {
    let base = ["tune", "--data", "/nonexistent/train.csv", "--target", "label", "--model", "gbdt"]
    let cases: [([String], String)] = [
      (["--sampler", "sobl"], "--sampler must be"), (["--pruner", "asha"], "--pruner must be"),
      (["--cv", "purgd:5"], "is not a splitter"), (["--cv", "kfold:1"], "K ≥ 2"), (["--metric", "aucc"], "aucc"),
      (["--param", "rounds=5", "--param", "rounds=6"], "--param rounds is given twice"),
    ]
    for (extra, message) in cases {
      let result = try HoneCLITests().run(base + extra)
      #expect(result.status != 0, "\(extra)")
      #expect(result.error.contains(message) && !result.error.contains("nonexistent"), "\(extra): \(result.error)")
    }
  }

  /// A metric that cannot score the task's predictions is one error before any trial:
  /// accuracy on a regression used to complete every trial with a score of about 0, and
  /// AUC on three classes failed every trial.
  @Test func aMetricThatDoesNotFitTheTaskIsRefused() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    try Self.writeData(to: data)
    let base = ["tune", "--data", data, "--model", "gbdt", "--param", "rounds=5", "--trials", "2"]
    let regression = try HoneCLITests().run(
      base + ["--target", "label", "--task", "regression", "--metric", "accuracy"])
    #expect(regression.status != 0)
    #expect(regression.error.contains("--task classification"), "\(regression.error)")
    #expect(!regression.error.contains("trial "))
    let threeClasses = try HoneCLITests().run(base + ["--target", "color", "--ignore", "label", "--metric", "auc"])
    #expect(threeClasses.status != 0)
    #expect(threeClasses.error.contains("has 3"), "\(threeClasses.error)")
    #expect(!threeClasses.error.contains("trial "))
  }

  /// A run whose every trial failed (a fixed value the booster refuses) does not lock
  /// the study to its settings; a bad --enqueue neither queues nor creates anything; the
  /// fold scheme is compared in any case.
  @Test func failedRunsAndBadQueuesLeaveTheStudyFree() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeData(to: data)
    func tune(_ extra: [String]) throws -> HoneCLITests.Result {
      try HoneCLITests().run(
        ["tune", "--data", data, "--target", "label", "--model", "gbdt", "--trials", "1", "--storage", journal]
          + extra)
    }
    let bad = try tune(["--enqueue", "maxLeave=31", "--param", "rounds=5"])
    #expect(bad.status != 0 && bad.error.contains("maxLeave"))
    #expect(!FileManager.default.fileExists(atPath: journal))
    let failed = try tune(["--param", "maxBins=300", "--cv", "KFOLD:3"])
    #expect(failed.status != 0 && failed.error.contains("FAILED"))
    let fixed = try tune(["--param", "maxBins=255", "--param", "rounds=5", "--cv", "KFOLD:3"])
    #expect(fixed.status == 0, "\(fixed.error)")
    #expect(fixed.error.contains("resuming study"))
    let lowerCase = try tune(["--param", "maxBins=255", "--param", "rounds=5", "--cv", "kfold:3"])
    #expect(lowerCase.status == 0, "\(lowerCase.error)")
    let other = try tune(["--param", "maxBins=255", "--param", "rounds=6", "--cv", "kfold:3"])
    #expect(other.status != 0 && other.error.contains("other settings"))
  }

  /// Six layouts and seven trials: at least one trial repeats a configuration, and its
  /// leaderboard line says which trial it copies rather than passing for a new fit.
  @Test func aRepeatedConfigurationIsMarkedOnTheLeaderboard() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    try Self.writeData(to: data)
    let result = try HoneCLITests().run([
      "tune", "--data", data, "--target", "label", "--model", "mlp", "--trials", "7", "--cv", "kfold:2",
      "--param", "learningRate=0.001", "--param", "weightDecay=0.0001", "--param", "dropout=0", "--param", "epochs=2",
      "--pruner", "none",
    ])
    #expect(result.status == 0, "\(result.error)")
    let lines = result.error.split(separator: "\n").filter { $0.hasPrefix("trial ") }
    #expect(lines.count == 7)
    let marked = lines.filter { $0.contains(" = #") }
    #expect(!marked.isEmpty)
    let layouts = lines.compactMap { $0.split(separator: " ").first { $0.hasPrefix("hiddenLayers=") } }
    #expect(Set(layouts).count + marked.count == 7, "\(lines)")
  }

  /// With early stopping each fold stops on its own test rows, so the best score is a
  /// little high for the model; the summary line says so, and only then.
  @Test func anEarlyStoppedScoreIsMarked() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("train.csv").path
    try Self.writeData(to: data)
    let base = [
      "tune", "--data", data, "--target", "label", "--model", "gbdt", "--param", "rounds=10", "--trials", "1",
    ]
    let stopped = try HoneCLITests().run(base + ["--early-stopping", "3"])
    #expect(stopped.status == 0, "\(stopped.error)")
    #expect(stopped.output.contains("early-stopped on its test rows: leans optimistic"))
    let plain = try HoneCLITests().run(base)
    #expect(plain.status == 0 && !plain.output.contains("optimistic"))
  }
}
