import Foundation
import Testing

@testable import HoneOps

/// Every file in `Examples/` parses, validates and survives explain → parse.
@Suite struct ExampleConfigTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")

  static var files: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [])
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
  }

  @Test func theExamplesAreThere() {
    #expect(Set(Self.files).isSuperset(of: ["quickstart.yaml", "stocks.yaml", "adult.yaml"]))
  }

  @Test(arguments: files)
  func exampleLoadsAndRoundTrips(name: String) throws {
    let path = Self.examples.appendingPathComponent(name).path
    let resolved = try ConfigurationLoader(workingDirectory: "/").load(file: path)
    let again = try ConfigurationLoader(workingDirectory: "/").load(text: resolved.explain())
    #expect(again.configuration == resolved.configuration)
    // Parameter names in params and spaces are the catalog's.
    try resolved.validate(parameterNames: ModelCatalog.hyperparameterNames)
    for dataPath in resolved.configuration.data.paths { #expect(dataPath.hasPrefix("/")) }
  }

  @Test func theQuickstartReadsTheBundledMarket() throws {
    let path = Self.examples.appendingPathComponent("quickstart.yaml").path
    let c = try ConfigurationLoader(workingDirectory: "/").load(file: path).configuration
    let root = Self.examples.deletingLastPathComponent()
    #expect(
      c.data.paths == [root.appendingPathComponent("Datasets/market/quickstart_market.csv").standardizedFileURL.path])
    #expect(FileManager.default.fileExists(atPath: c.data.paths[0]))
    #expect(c.models.map(\.kind) == [.gbdt, .ridge, .mlp])
    #expect(c.tuning.trials == 30)
    #expect(c.backtest.enabled)
    #expect(c.split.needsLabelIntervals)
  }
}

/// The annotated example of the DocC article stays a valid configuration.
@Suite struct ConfigurationArticleTests {
  @Test func theArticlesExampleLoads() throws {
    let article = ExampleConfigTests.examples.deletingLastPathComponent()
      .appendingPathComponent("Sources/HoneOps/HoneOps.docc/Configuration.md")
    let text = try String(contentsOf: article, encoding: .utf8)
    let section = try #require(text.range(of: "## A complete example"))
    let start = try #require(text.range(of: "```yaml\n", range: section.upperBound..<text.endIndex))
    let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
    let resolved = try ConfigurationLoader(workingDirectory: "/").load(
      text: String(text[start.upperBound..<end.lowerBound]), file: "article.yaml", directory: "/repo/Examples")
    #expect(resolved.configuration.name == "stocks-aapl")
    #expect(resolved.configuration.data.paths == ["/shared/datasets/stocks_daily/AAPL.csv"])
    #expect(resolved.configuration.models[0].fixedParameters == ["rounds": .int(200), "maxBins": .int(63)])
  }
}
