import HonePipeline
import HoneTuning

/// Everything one `hone run` needs: where the data is, what to predict, which features,
/// how to cross-validate, which candidate models to tune and how, how to pick and test
/// the winner, and where to write the results.
///
/// A configuration is read from a YAML or JSON file by ``ConfigurationLoader``, layered
/// over built-in defaults and under environment variables and `--set` overrides. Every
/// section has a documented default except ``data``, ``target`` and ``models``, which a
/// file must give. The schema with every key is in the *Configuration* article.
public struct RunConfiguration: Codable, Sendable, Equatable {
  /// The run's name, used in the registry and the report. Default `run`.
  public var name: String
  /// The seed every random choice of the run derives from (shuffles, samplers, models).
  /// Default 0.
  public var seed: UInt64
  /// Where the rows come from and how to read them.
  public var data: DataConfiguration
  /// What to predict: a column, or a label computed from a price column.
  public var target: TargetConfiguration
  /// The model inputs: raw columns and computed trading features. Default: every raw
  /// column that is not the target, timestamp, symbol or ignored, and no recipes.
  public var features: FeatureConfiguration
  /// The cross-validation scheme used while tuning. Default purged 5-fold with a 1 %
  /// embargo.
  public var split: SplitConfiguration
  /// The most recent slice kept out of tuning and scored once at the end. Default the
  /// last 20 % of rows.
  public var holdout: HoldoutConfiguration
  /// The candidate models, each tuned separately; at least one.
  public var models: [ModelCandidate]
  /// The tuning budget and algorithms.
  public var tuning: TuningConfiguration
  /// How the winner is chosen.
  public var selection: SelectionConfiguration
  /// How holdout predictions become positions and are backtested.
  public var backtest: BacktestConfiguration
  /// Where results go.
  public var output: OutputConfiguration

  /// The default run name.
  public static let defaultName = "run"

  /// Creates a configuration; omitted sections take their defaults.
  ///
  /// - Parameters:
  ///   - name: The run's name.
  ///   - seed: The run's seed.
  ///   - data: The data source.
  ///   - target: What to predict.
  ///   - features: The model inputs.
  ///   - split: The cross-validation scheme.
  ///   - holdout: The holdout policy.
  ///   - models: The candidate models.
  ///   - tuning: The tuning budget.
  ///   - selection: How the winner is chosen.
  ///   - backtest: The backtest settings.
  ///   - output: Where results go.
  public init(
    name: String = RunConfiguration.defaultName, seed: UInt64 = 0, data: DataConfiguration,
    target: TargetConfiguration, features: FeatureConfiguration = FeatureConfiguration(),
    split: SplitConfiguration = .default, holdout: HoldoutConfiguration = .default, models: [ModelCandidate],
    tuning: TuningConfiguration = TuningConfiguration(), selection: SelectionConfiguration = SelectionConfiguration(),
    backtest: BacktestConfiguration = BacktestConfiguration(), output: OutputConfiguration = OutputConfiguration()
  ) {
    self.name = name
    self.seed = seed
    self.data = data
    self.target = target
    self.features = features
    self.split = split
    self.holdout = holdout
    self.models = models
    self.tuning = tuning
    self.selection = selection
    self.backtest = backtest
    self.output = output
  }
}
