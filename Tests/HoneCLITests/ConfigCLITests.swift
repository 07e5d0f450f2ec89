import Foundation
import HoneCore
import Testing

/// `hone config explain|validate`, run as a user would from the repository root.
@Suite("hone config")
struct ConfigCLITests {
  typealias Result = HoneCLITests.Result

  func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
    try HoneCLITests.runHone(
      ["config"] + arguments,
      environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HONE__") }.merging(environment) {
        $1
      })
  }

  @Test(arguments: ["quickstart.yaml", "stocks.yaml", "adult.yaml"])
  func validateAcceptsTheExamples(name: String) throws {
    let result = try run(["validate", "Examples/\(name)"])
    #expect(result.status == 0, "\(result.error)")
    // The printed hash is the SHA-256 of the canonical JSON `explain --json` prints.
    let json = try run(["explain", "--json", "Examples/\(name)"])
    let canonical = json.output.trimmingCharacters(in: .newlines)
    #expect(result.output.contains("config hash \(SHA256.hexDigest(Array(canonical.utf8)))"), "\(result.output)")
  }

  @Test func explainShowsOriginsOfEveryLayer() throws {
    let result = try run(
      ["explain", "Examples/quickstart.yaml", "--set", "tuning.trials=7"], environment: ["HONE__seed": "5"])
    #expect(result.status == 0, "\(result.error)")
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.contains("seed: 5  # env HONE__seed"))
    #expect(lines.contains("  trials: 7  # --set tuning.trials=7"))
    #expect(lines.contains("  parallelism: 2  # file"))
    #expect(lines.contains("  timeout: null  # default"))
  }

  @Test func validateChecksParameterNamesAgainstTheCatalog() throws {
    let result = try run(["validate", "Examples/quickstart.yaml", "--set", "models[0].params.learningrate=0.1"])
    #expect(result.status != 0)
    #expect(
      result.error.contains(
        "models[0].params.learningrate: gbdt has no parameter \"learningrate\" (did you mean \"learningRate\"?)"),
      "\(result.error)")
  }

  @Test func validateReportsThePathLocationAndSuggestion() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-config-cli-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("bad.yaml")
    try Data("data: {path: x.csv}\ntarget: {column: y}\nmodels: [{kind: gbdt}]\ntuning:\n  sampler: tpee\n".utf8)
      .write(to: file)
    let result = try run(["validate", file.path])
    #expect(result.status != 0)
    #expect(
      result.error.contains(
        "bad.yaml:5:12: tuning.sampler: \"tpee\" is not one of tpe, random, grid, sobol, cmaes (did you mean \"tpe\"?)"),
      "\(result.error)")
  }
}
