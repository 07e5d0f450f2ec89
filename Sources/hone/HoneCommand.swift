import ArgumentParser
import Hone

/// The `hone` command-line tool.
@main
struct HoneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hone",
    abstract: "Model selection for tabular and time-series data.",
    version: HoneVersion.current,
    subcommands: [
      InfoCommand.self, DataCommand.self, TrainCommand.self, PredictCommand.self, ImportCommand.self,
      TuneCommand.self,
      LinalgCommand.self,
      RunCommand.self, ConfigCommand.self, RegistryCommand.self, RunsCommand.self, StudiesCommand.self,
      DatasetsCommand.self, StudyWorkerCommand.self, StoreWorkerCommand.self,
    ]
  )
}
