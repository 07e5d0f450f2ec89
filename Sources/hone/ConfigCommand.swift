import ArgumentParser
import Foundation
import Hone

/// `hone config …`: read, layer and check run configurations without running them.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Explain or validate a run configuration.",
    discussion: """
      A configuration is layered: built-in defaults < the file < environment variables \
      named HONE__section__key (e.g. HONE__tuning__trials=50; a step of digits is a list \
      index) < --set path=value arguments (e.g. --set models[0].space.maxLeaves.int=[8,64]).
      """,
    subcommands: [Explain.self, Validate.self])

  /// Options shared by the subcommands.
  struct Source: ParsableArguments {
    @Argument(help: "The configuration file (YAML, or JSON for a .json extension).") var file: String
    @Option(
      name: .customLong("set"),
      help: ArgumentHelp("Override one value, e.g. tuning.trials=50 (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    func load() throws -> ResolvedConfiguration {
      try ConfigurationLoader(environment: ProcessInfo.processInfo.environment, overrides: overrides).load(file: file)
    }
  }

  /// `hone config explain FILE`: the resolved configuration with each value's origin.
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the resolved configuration, each value with where it came from.",
      discussion: """
        The YAML output lists every key, defaults included, each followed by its origin \
        (# default, # file, # env …, # --set …), and parses back to the same configuration. \
        With --json it prints the canonical JSON whose SHA-256 is the configuration hash.
        """)

    @OptionGroup var source: Source
    @Flag(help: "Print the canonical JSON instead of annotated YAML.") var json = false

    func run() throws {
      let resolved = try source.load()
      print(json ? resolved.configuration.canonicalJSON() : resolved.explain(), terminator: json ? "\n" : "")
    }
  }

  /// `hone config validate FILE`: check a configuration and report the first problem.
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a configuration; print its hash, or the first problem with its field path and location.",
      discussion: "Model parameter names in params and space are checked against the model catalog.")

    @OptionGroup var source: Source

    func run() throws {
      let resolved = try source.load()
      try resolved.validate(parameterNames: ModelCatalog.hyperparameterNames)
      let configuration = resolved.configuration
      print("\(source.file): valid; \(configuration.models.count) candidate(s), config hash \(configuration.hash)")
    }
  }
}
