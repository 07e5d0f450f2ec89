import Foundation

extension GradientBoostingHyperparameters {
  /// LightGBM's parameter names, with the aliases LightGBM itself accepts, mapped to the
  /// Hone hyperparameter each one sets — so a LightGBM configuration can be pasted into
  /// `hone train --param`.
  ///
  /// `seed` drives both bagging and feature sampling (LightGBM's `bagging_seed` and
  /// `feature_fraction_seed` have no separate counterparts).
  public static let lightGBMAliases: [String: String] = {
    let groups: [(String, [String])] = [
      (
        "rounds",
        [
          "num_iterations", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds",
          "nrounds", "num_boost_round", "n_estimators", "max_iter",
        ]
      ),
      ("learningRate", ["learning_rate", "shrinkage_rate", "eta"]),
      ("maxLeaves", ["num_leaves", "num_leaf", "max_leaves", "max_leaf", "max_leaf_nodes"]),
      ("maxDepth", ["max_depth"]),
      (
        "minDataInLeaf", ["min_data_in_leaf", "min_data_per_leaf", "min_data", "min_child_samples", "min_samples_leaf"]
      ),
      (
        "minSumHessianInLeaf",
        [
          "min_sum_hessian_in_leaf", "min_sum_hessian_per_leaf", "min_sum_hessian",
          "min_hessian", "min_child_weight",
        ]
      ),
      ("l1", ["lambda_l1", "reg_alpha", "l1_regularization"]),
      ("l2", ["lambda_l2", "reg_lambda", "lambda", "l2_regularization"]),
      ("minGainToSplit", ["min_gain_to_split", "min_split_gain"]),
      ("rowSubsample", ["bagging_fraction", "sub_row", "subsample", "bagging"]),
      ("baggingFrequency", ["bagging_freq", "subsample_freq"]),
      ("columnSubsample", ["feature_fraction", "sub_feature", "colsample_bytree"]),
      ("maxBins", ["max_bin", "max_bins"]),
      ("seed", ["random_seed", "random_state"]),
      ("threads", ["num_threads", "num_thread", "nthread", "nthreads", "n_jobs"]),
      ("earlyStoppingRounds", ["early_stopping_round", "early_stopping_rounds", "early_stopping", "n_iter_no_change"]),
      ("earlyStoppingCriterion", ["first_metric_only"]),
      ("metrics", ["metric", "metric_types"]),
      ("objective", ["objective_type", "app", "application", "loss"]),
      (
        "categoricalFeatures",
        ["categorical_feature", "cat_feature", "categorical_column", "cat_column", "categorical_features"]
      ),
      ("maxCategoricalThreshold", ["max_cat_threshold"]),
      ("categoricalSmoothing", ["cat_smooth"]),
      ("categoricalL2", ["cat_l2"]),
      ("minDataPerGroup", ["min_data_per_group"]),
      ("maxCategoriesForOneHot", ["max_cat_to_onehot"]),
      ("monotoneConstraints", ["monotone_constraints", "mc", "monotone_constraint", "monotonic_cst"]),
      // XGBoost's name: LightGBM grows leaf-wise only.
      ("growth", ["grow_policy"]),
    ]
    var aliases: [String: String] = [:]
    for (native, names) in groups { for name in names { aliases[name] = native } }
    return aliases
  }()

  /// Rewrites `name=value` settings that use LightGBM's names and values into Hone's:
  /// names through ``lightGBMAliases``, `objective` values (`regression`, `regression_l1`,
  /// `huber`, `quantile`, `poisson`, and `binary`/`multiclass`, which choose a classifier)
  /// `first_metric_only` (`true` → ``EarlyStoppingCriterion/firstMetric``, `false` →
  /// ``EarlyStoppingCriterion/every``), `categorical_feature=name:a,b` (the `name:` prefix
  /// is dropped; Hone takes feature names, not column indices) and XGBoost's
  /// `grow_policy` (`lossguide` → ``TreeGrowth/leafWise``, `depthwise` →
  /// ``TreeGrowth/depthWise``). Metric names need no rewriting: ``EvaluationMetric``
  /// decodes LightGBM's names and aliases. Names that are neither pass through unchanged,
  /// for the caller to reject with the list of valid ones.
  ///
  /// - Parameter settings: Values by name, Hone's or LightGBM's.
  /// - Returns: The values by Hone name, and whether the objective asked for a classifier
  ///   (`true`), a regressor (`false`) or was not given (`nil`).
  /// - Throws: ``GradientBoostingError`` when one hyperparameter is set under two names,
  ///   or for an objective or `first_metric_only` value Hone does not have.
  public static func translatingLightGBMSettings(_ settings: [String: String]) throws -> (
    settings: [String: String], classification: Bool?
  ) {
    var result: [String: String] = [:]
    var given: [String: String] = [:]
    var classification: Bool?
    for name in settings.keys.sorted() {
      guard var value = settings[name] else { continue }
      let native = lightGBMAliases[name] ?? name
      if let earlier = given[native] {
        throw GradientBoostingError(
          "`\(earlier)` and `\(name)` both set `\(native)`; give it once")
      }
      given[native] = name
      switch native {
      case "objective":
        let objective = value.trimmingCharacters(in: .whitespaces)
        if ["binary", "multiclass", "softmax"].contains(objective.lowercased()) {
          classification = true
          continue
        }
        guard let regression = RegressionObjective(lightGBMName: objective) else {
          throw GradientBoostingError(
            "objective `\(objective)` is not one Hone trains; use binary, multiclass, regression (l2), regression_l1 (l1), huber, quantile or poisson"
          )
        }
        classification = false
        value = regression.rawValue
      case "earlyStoppingCriterion" where name == "first_metric_only":
        switch value.lowercased() {
        case "true", "1": value = EarlyStoppingCriterion.firstMetric.rawValue
        case "false", "0": value = EarlyStoppingCriterion.every.rawValue
        default: throw GradientBoostingError("first_metric_only is `\(value)`; use true or false")
        }
      case "categoricalFeatures" where name != native:
        if value.hasPrefix("name:") { value.removeFirst("name:".count) }
      case "growth" where name == "grow_policy":
        switch value.lowercased() {
        case "lossguide": value = TreeGrowth.leafWise.rawValue
        case "depthwise": value = TreeGrowth.depthWise.rawValue
        default: throw GradientBoostingError("grow_policy is `\(value)`; use lossguide or depthwise")
        }
      default: break
      }
      result[native] = value
    }
    return (result, classification)
  }
}

extension GradientBoostingHyperparameters.RegressionObjective {
  /// Reads an objective by Hone's name or LightGBM's (`regression`, `l2`, `mse`,
  /// `regression_l1`, `l1`, `mae`, `huber`, `quantile`, `poisson`, …).
  ///
  /// - Parameter name: The name, case-insensitive for LightGBM's.
  /// - Returns: The objective, or `nil` for a name Hone does not have.
  public init?(lightGBMName name: String) {
    if let native = Self(rawValue: name) {
      self = native
      return
    }
    switch name.lowercased() {
    case "regression", "regression_l2", "l2", "mean_squared_error", "mse", "l2_root", "root_mean_squared_error",
      "rmse":
      self = .squaredError
    case "regression_l1", "l1", "mean_absolute_error", "mae": self = .absoluteError
    case "huber": self = .huber
    case "quantile": self = .quantile
    case "poisson": self = .poisson
    default: return nil
    }
  }
}
