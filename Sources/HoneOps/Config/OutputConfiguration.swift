/// Where a run writes its results.
///
/// Paths are used as written: relative ones are relative to the working directory of
/// `hone run`, not to the config file, so one store collects the runs of many configs.
public struct OutputConfiguration: Codable, Sendable, Equatable {
  /// The store: artifacts, registry and tracking database. Default `.hone`.
  public var store: String
  /// The folder the run's report and exported files go to, or `nil` for
  /// `<store>/runs/<run id>`. Default `nil`.
  public var runDirectory: String?

  /// Creates an output section.
  ///
  /// - Parameters:
  ///   - store: The store folder.
  ///   - runDirectory: The run folder, or `nil` for one inside the store.
  public init(store: String = HoneOps.defaultStoreDirectory, runDirectory: String? = nil) {
    self.store = store
    self.runDirectory = runDirectory
  }
}
