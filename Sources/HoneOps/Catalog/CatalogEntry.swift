import HoneCore
import HonePipeline
import HoneTuning

/// One model of the catalog: a ``ModelKind`` for one ``PredictionTask``, with its
/// estimator, documented default hyperparameters, default search space and
/// preprocessing.
///
/// Get entries from ``ModelCatalog/entry(_:task:)``.
public struct CatalogEntry: Sendable {
  /// The model family.
  public let kind: ModelKind
  /// The task the entry's estimator learns.
  public let task: PredictionTask
  /// The estimator's type name (`GradientBoostingClassifier`, `Ridge`, …).
  public let estimatorName: String
  /// The hyperparameters the estimator fits with unless told otherwise, by name.
  public let defaultHyperparameters: [String: ExactJSON]
  /// Every hyperparameter name that can be set or tuned.
  public let hyperparameterNames: [String]
  /// The space `hone tune` searches unless given another.
  public let searchSpace: SearchSpace
  /// The hyperparameter that sets the model's own thread count (`threads` for gbdt), so
  /// tuning can pin it to 1 while folds or trials already run in parallel; `nil` for
  /// models whose only threads are BLAS's, which the thread policy already governs.
  public let threadsParameter: String?
  /// The hyperparameter that sets how many rounds the model trains (`rounds` for gbdt,
  /// `epochs` for mlp),
  /// for models that can stop early inside tuning folds; `nil` for the others.
  public private(set) var roundsParameter: String?
  private var makeStopping:
    (@Sendable ([String: ParameterValue], [String: String], [TransformStep], Int, Metric) throws -> AnyTableEstimator)?
  private let make: @Sendable ([String: ParameterValue], [String: String], [TransformStep]) throws -> AnyTableEstimator
  private let resolve:
    @Sendable ([String: ParameterValue], [String: String], [TransformStep]) throws -> [String: ExactJSON]

  /// - Parameter categorical: For a model with native categorical splits, sets its
  ///   categorical features to the columns the preprocessing ordinal-encodes (unless the
  ///   hyperparameters already name some).
  init<E: Estimator>(
    kind: ModelKind, task: PredictionTask, defaults: E.Hyperparameters, space: SearchSpace,
    threadsParameter: String? = nil, estimator: @escaping @Sendable (E.Hyperparameters) -> E,
    categorical: (@Sendable (E.Hyperparameters, [String]) -> E.Hyperparameters)? = nil
  ) {
    self.kind = kind
    self.task = task
    estimatorName = String(describing: E.self)
    defaultHyperparameters = (try? HyperparameterOverrides.values(of: defaults)) ?? [:]
    hyperparameterNames = HyperparameterOverrides.names(of: defaults)
    searchSpace = space
    self.threadsParameter = threadsParameter
    make = { tuned, fixed, steps in
      var hyperparameters = try HyperparameterOverrides.apply(tuned: tuned, fixed: fixed, to: defaults)
      if let categorical { hyperparameters = categorical(hyperparameters, Self.ordinalEncodedColumns(steps)) }
      return AnyTableEstimator(Pipeline(steps, estimator(hyperparameters)))
    }
    resolve = { tuned, fixed, steps in
      var hyperparameters = try HyperparameterOverrides.apply(tuned: tuned, fixed: fixed, to: defaults)
      if let categorical { hyperparameters = categorical(hyperparameters, Self.ordinalEncodedColumns(steps)) }
      return try HyperparameterOverrides.values(of: hyperparameters)
    }
  }

  /// An entry whose model trains in rounds and can stop early on validation rows.
  ///
  /// - Parameter roundsParameter: The hyperparameter holding the round count.
  init<E: RoundTrainedEstimator>(
    kind: ModelKind, task: PredictionTask, defaults: E.Hyperparameters, space: SearchSpace,
    threadsParameter: String? = nil, roundsParameter: String, estimator: @escaping @Sendable (E.Hyperparameters) -> E,
    categorical: (@Sendable (E.Hyperparameters, [String]) -> E.Hyperparameters)? = nil
  ) {
    self.init(
      kind: kind, task: task, defaults: defaults, space: space, threadsParameter: threadsParameter,
      estimator: estimator, categorical: categorical)
    self.roundsParameter = roundsParameter
    makeStopping = { tuned, fixed, steps, patience, metric in
      var hyperparameters = try HyperparameterOverrides.apply(tuned: tuned, fixed: fixed, to: defaults)
      if let categorical { hyperparameters = categorical(hyperparameters, Self.ordinalEncodedColumns(steps)) }
      let stopping = estimator(hyperparameters).stoppingEarly(after: patience, watching: metric)
      return AnyTableEstimator(stoppingEarly: Pipeline(steps, stopping))
    }
  }

  /// Whether the model trains in rounds and can stop early on validation rows
  /// (``estimator(tuned:fixed:preprocessing:stoppingEarlyAfter:watching:)``).
  public var canStopEarly: Bool { makeStopping != nil }

  /// The estimator with tuned values and fixed overrides applied, after `preprocessing`.
  ///
  /// - Parameters:
  ///   - tuned: Values a study sampled, by hyperparameter name.
  ///   - fixed: Values given as text (`--param`), by name; they win over `tuned`.
  ///   - preprocessing: The pipeline steps before the estimator, usually
  ///     ``preprocessing(for:excluding:)``.
  /// - Returns: The pipeline, type-erased for `crossValidate`.
  /// - Throws: ``HyperparameterError`` for an unknown name (listing the valid ones) or a
  ///   value of the wrong type.
  public func estimator(
    tuned: [String: ParameterValue] = [:], fixed: [String: String] = [:], preprocessing: [TransformStep]
  ) throws -> AnyTableEstimator {
    try make(tuned, fixed, preprocessing)
  }

  /// The estimator as ``estimator(tuned:fixed:preprocessing:)`` builds it, set to stop
  /// after `patience` rounds without improvement on the validation rows it is given
  /// (`AnyTableEstimator.fit(_:target:weights:validation:)`) and to keep its best round.
  ///
  /// The validation score is the per-round twin of `metric` when the model has one (gbdt:
  /// AUC, RMSE, MSE, MAE; mlp: AUC, accuracy, MSE for MSE and RMSE, R²), else the
  /// objective's own loss (log-loss for classifiers).
  ///
  /// - Parameters:
  ///   - tuned: Values a study sampled, by hyperparameter name.
  ///   - fixed: Values given as text, by name; they win over `tuned`.
  ///   - preprocessing: The pipeline steps before the estimator.
  ///   - patience: Rounds without improvement that end training, at least 1.
  ///   - metric: The selection metric the validation score stands for.
  /// - Returns: The pipeline, type-erased, with ``AnyTableEstimator/canValidate`` set.
  /// - Throws: ``ModelCatalogError`` when the model does not train in rounds (see
  ///   ``canStopEarly``) or `patience` is below 1; ``HyperparameterError`` as
  ///   ``estimator(tuned:fixed:preprocessing:)``.
  public func estimator(
    tuned: [String: ParameterValue] = [:], fixed: [String: String] = [:], preprocessing: [TransformStep],
    stoppingEarlyAfter patience: Int, watching metric: Metric
  ) throws -> AnyTableEstimator {
    guard let makeStopping else {
      let able = ModelKind.allCases.filter { (try? ModelCatalog.entry($0, task: task))?.canStopEarly == true }
      throw ModelCatalogError(
        "\(estimatorName) does not train in rounds, so it cannot stop early; turn early stopping off for `\(kind.rawValue)` or use \(able.map(\.rawValue).joined(separator: ", "))"
      )
    }
    guard patience >= 1 else {
      throw ModelCatalogError("early stopping needs at least 1 round of patience, got \(patience)")
    }
    return try makeStopping(tuned, fixed, preprocessing, patience, metric)
  }

  /// The hyperparameters the estimator would fit with, by name.
  ///
  /// - Parameters:
  ///   - tuned: Values a study sampled.
  ///   - fixed: Values given as text; they win over `tuned`.
  ///   - preprocessing: The steps before the model: a boosted tree splits the columns they
  ///     ordinal-encode as categories, which its hyperparameters then name.
  /// - Returns: Every hyperparameter's value.
  /// - Throws: ``HyperparameterError`` as ``estimator(tuned:fixed:preprocessing:)``.
  public func hyperparameters(
    tuned: [String: ParameterValue] = [:], fixed: [String: String] = [:], preprocessing: [TransformStep] = []
  ) throws -> [String: ExactJSON] {
    try resolve(tuned, fixed, preprocessing)
  }

  /// The columns `steps` ordinal-encode: category codes a boosted tree splits natively.
  static func ordinalEncodedColumns(_ steps: [TransformStep]) -> [String] {
    steps.flatMap { step -> [String] in
      guard case .columns(let transformer) = step else { return [] }
      return transformer.branches.flatMap { branch -> [String] in
        let encodes = branch.steps.contains { if case .ordinalEncoder = $0 { true } else { false } }
        guard encodes, case .names(let names) = branch.columns else { return [] }
        return names
      }
    }
  }

  /// The preprocessing this kind of model needs, built from `table`'s columns.
  ///
  /// Linear models and networks need finite, comparably scaled inputs: numeric columns
  /// get mean imputation and standard scaling, categorical columns most-frequent
  /// imputation and one-hot encoding (unseen categories encode as all zeros). Boosted
  /// trees split on raw values and send missing values down a learned side, so numeric
  /// columns pass as they are and categorical columns get ordinal codes (sorted
  /// categories, so training and new data agree; unseen categories become −1), which the
  /// gbdt estimator splits natively on as categories (its `categoricalFeatures`).
  /// Timestamp columns and the `excluded` ones are dropped.
  ///
  /// - Parameters:
  ///   - table: The training table (its schema decides the steps).
  ///   - excluding: Columns that are not features: the target, weights, label ends,
  ///     ignored columns.
  /// - Returns: The steps, one column transformer that drops every other column.
  /// - Throws: ``ModelCatalogError`` when no float, integer or categorical column is left.
  public func preprocessing(for table: Table, excluding: [String]) throws -> [TransformStep] {
    let excluded = Set(excluding)
    let columns = table.columns.filter { !excluded.contains($0.name) }
    let numeric = columns.filter { $0.type == .float || $0.type == .integer }.map(\.name)
    let categorical = columns.filter { $0.type == .categorical }.map(\.name)
    guard !numeric.isEmpty || !categorical.isEmpty else {
      throw ModelCatalogError(
        "no feature columns: the table has \(table.columnNames.joined(separator: ", ")) and \(excluding.joined(separator: ", ")) are excluded; features must be float, integer or categorical columns"
      )
    }
    var branches: [ColumnTransformer.Branch] = []
    if kind == .gbdt {
      if !numeric.isEmpty { branches.append(.init(columns: .names(numeric), steps: [])) }
      if !categorical.isEmpty {
        branches.append(.init(columns: .names(categorical), steps: [.ordinalEncoder(.init(handleUnknown: .ignore))]))
      }
    } else {
      if !numeric.isEmpty {
        branches.append(
          .init(columns: .names(numeric), steps: [.imputer(.init(strategy: .mean)), .standardScaler(.init())]))
      }
      if !categorical.isEmpty {
        branches.append(
          .init(
            columns: .names(categorical),
            steps: [.imputer(.init(strategy: .mostFrequent)), .oneHotEncoder(.init(handleUnknown: .ignore))]))
      }
    }
    return [.columns(ColumnTransformer(branches: branches, passthroughRemainder: false))]
  }
}
