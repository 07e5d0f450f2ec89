/// HoneOps: the layer that turns one configuration file into a finished, registered run.
///
/// It holds the run configuration (layered YAML/JSON with path-naming validation), the
/// model catalog (model kinds by name with default hyperparameters and search spaces),
/// the content-addressed artifact store, the model registry and run tracking (an embedded
/// SQLite database), the HTML report, and the orchestrator behind `hone run`.
public enum HoneOps {
  /// The folder, relative to the working directory, where runs keep their store by default.
  public static let defaultStoreDirectory = ".hone"
}
