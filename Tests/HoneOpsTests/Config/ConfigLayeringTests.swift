import Foundation
import Testing

@testable import HoneOps

/// Defaults < file < environment < `--set`, with each value's origin.
@Suite struct ConfigLayeringTests {
  static let withTrials = ConfigFixture.minimal + "\ntuning: {trials: 10}"

  /// The four layers, each checked with and without the layers above it.
  @Test func precedenceIsDefaultFileEnvironmentSet() throws {
    let trials = try ConfigPath(parsing: "tuning.trials")
    let defaults = try ConfigFixture.load(ConfigFixture.minimal)
    #expect(defaults.configuration.tuning.trials == 50)
    #expect(defaults.origin(of: trials) == .builtInDefault)

    let file = try ConfigFixture.load(Self.withTrials)
    #expect(file.configuration.tuning.trials == 10)
    #expect(file.origin(of: trials) == .file("run.yaml"))

    let environment = ["HONE__tuning__trials": "20", "PATH": "/bin", "HONE_tuning_trials": "99"]
    let env = try ConfigFixture.load(Self.withTrials, environment: environment)
    #expect(env.configuration.tuning.trials == 20)
    #expect(env.origin(of: trials) == .environment(variable: "HONE__tuning__trials"))

    let set = try ConfigFixture.load(Self.withTrials, environment: environment, overrides: ["tuning.trials=30"])
    #expect(set.configuration.tuning.trials == 30)
    #expect(set.origin(of: trials) == .commandLine(argument: "tuning.trials=30"))
    // Layers only touch what they name.
    #expect(set.origin(of: try ConfigPath(parsing: "tuning.parallelism")) == .builtInDefault)
    #expect(set.origin(of: try ConfigPath(parsing: "target.column")) == .file("run.yaml"))
  }

  @Test func laterSetArgumentsWin() throws {
    let resolved = try ConfigFixture.load(ConfigFixture.minimal, overrides: ["seed=1", "seed=2"])
    #expect(resolved.configuration.seed == 2)
    #expect(resolved.origin(of: try ConfigPath(parsing: "seed")) == .commandLine(argument: "seed=2"))
  }

  @Test func anEmptyValueRestoresTheDefault() throws {
    let resolved = try ConfigFixture.load(Self.withTrials, overrides: ["tuning.trials="])
    #expect(resolved.configuration.tuning.trials == 50)
  }

  @Test func environmentPathsUseDoubleUnderscoresAndIndices() throws {
    let base = ConfigFixture.minimal.replacingOccurrences(
      of: "models: [{kind: gbdt}]", with: "models: [{kind: gbdt, space: {maxLeaves: {int: [8, 32]}}}]")
    let resolved = try ConfigFixture.load(
      base, environment: ["HONE__models__0__space__maxLeaves__int": "[16, 64]", "HONE__selection__metric": "r2"])
    #expect(
      resolved.configuration.models[0].space
        == .custom(["maxLeaves": .search(.int(low: 16, high: 64, log: false, step: 1))]))
    #expect(resolved.configuration.selection.metric == .r2)
  }

  @Test func setReachesIntoListsByIndex() throws {
    let text = """
      data: {path: data.csv}
      target: {column: y, task: regression}
      models:
        - kind: gbdt
          space: {maxLeaves: {int: [8, 32]}}
        - kind: ridge
      """
    let resolved = try ConfigFixture.load(
      text,
      overrides: [
        "models[0].space.maxLeaves.int=[4, 16]", "models[1].name=ridge-small", "models[1].params.alpha=0.5",
        "models[2]={kind: mlp, params: {epochs: 5}}",
      ])
    let models = resolved.configuration.models
    #expect(models.count == 3)
    #expect(models[0].space == .custom(["maxLeaves": .search(.int(low: 4, high: 16, log: false, step: 1))]))
    #expect(models[1].name == "ridge-small")
    #expect(models[1].params == ["alpha": .double(0.5)])
    #expect(models[2] == ModelCandidate(kind: .mlp, params: ["epochs": .int(5)]))
    #expect(
      resolved.origin(of: try ConfigPath(parsing: "models[0].space.maxLeaves.int"))
        == .commandLine(argument: "models[0].space.maxLeaves.int=[4, 16]"))
    #expect(resolved.origin(of: try ConfigPath(parsing: "models[1].kind")) == .file("run.yaml"))
  }

  @Test func setPastTheEndOfAListIsAnError() throws {
    let error = try #require(ConfigFixture.error(ConfigFixture.minimal, overrides: ["models[3]={kind: mlp}"]))
    #expect(error.kind == .invalidOverride)
    #expect(error.path == "models[3]")
    #expect(error.message.contains("use an index up to 1"))
  }

  @Test(arguments: ["tuning.trials", "=5", "tuning..trials=5", "models[x].kind=gbdt"])
  func malformedOverridesAreRejected(argument: String) {
    #expect(throws: ConfigError.self) { _ = try ConfigFixture.load(ConfigFixture.minimal, overrides: [argument]) }
  }

  @Test func setRefinesANamedChoice() throws {
    let text = ConfigFixture.minimal + "\ntuning: {sampler: tpe}\nsplit: purged"
    let resolved = try ConfigFixture.load(
      text, overrides: ["tuning.sampler.tpe.candidates=48", "split.purged.folds=3"])
    #expect(resolved.configuration.tuning.sampler == .tpe(startupTrials: 10, candidates: 48, multivariate: true))
    #expect(resolved.configuration.split == .purged(folds: 3, embargo: 0.01))
  }

  /// Relative data paths: against the file's folder when written in the file, against
  /// the working directory when given by an override; absolute paths stay.
  @Test func relativeDataPathsResolveAgainstTheirSource() throws {
    func path(_ text: String, overrides: [String] = []) throws -> [String] {
      try ConfigFixture.load(text, overrides: overrides).configuration.data.paths
    }
    let rest = "\ntarget: {column: y}\nmodels: [{kind: gbdt}]"
    #expect(try path("data: {path: data.csv}" + rest) == ["/configs/data.csv"])
    #expect(try path("data: {path: ../shared/a.csv}" + rest) == ["/shared/a.csv"])
    #expect(try path("data: {path: [a.csv, sub/b.csv]}" + rest) == ["/configs/a.csv", "/configs/sub/b.csv"])
    #expect(try path("data: {path: /abs/x.npy}" + rest) == ["/abs/x.npy"])
    #expect(try path("data: {path: data.csv}" + rest, overrides: ["data.path=other.csv"]) == ["/work/cwd/other.csv"])
  }

  @Test func loadingAFileResolvesAgainstItsFolder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-config-\(getpid())")
      .appendingPathComponent("nested")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let file = folder.appendingPathComponent("run.yaml")
    try Data("data: {path: ../data.csv}\ntarget: {column: y}\nmodels: [{kind: ridge}]\n".utf8).write(to: file)
    let resolved = try ConfigurationLoader(workingDirectory: "/").load(file: file.path)
    let expected = folder.deletingLastPathComponent().appendingPathComponent("data.csv").standardizedFileURL.path
    #expect(resolved.configuration.data.paths == [expected])
    #expect(throws: ConfigError.self) {
      _ = try ConfigurationLoader(workingDirectory: "/").load(file: folder.appendingPathComponent("missing.yaml").path)
    }
  }
}
