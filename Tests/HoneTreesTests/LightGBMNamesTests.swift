import Foundation
import Testing

@testable import HoneTrees

@Suite("LightGBM parameter names")
struct LightGBMNamesTests {
  /// The documented table: LightGBM's primary name → Hone's hyperparameter.
  static let table: [String: String] = [
    "num_iterations": "rounds", "learning_rate": "learningRate", "num_leaves": "maxLeaves", "max_depth": "maxDepth",
    "min_data_in_leaf": "minDataInLeaf", "min_sum_hessian_in_leaf": "minSumHessianInLeaf", "lambda_l1": "l1",
    "lambda_l2": "l2", "min_gain_to_split": "minGainToSplit", "bagging_fraction": "rowSubsample",
    "bagging_freq": "baggingFrequency", "feature_fraction": "columnSubsample", "max_bin": "maxBins", "seed": "seed",
    "num_threads": "threads", "early_stopping_round": "earlyStoppingRounds",
    "first_metric_only": "earlyStoppingCriterion", "metric": "metrics", "objective": "objective", "alpha": "alpha",
    "categorical_feature": "categoricalFeatures", "max_cat_threshold": "maxCategoricalThreshold",
    "cat_smooth": "categoricalSmoothing", "cat_l2": "categoricalL2", "min_data_per_group": "minDataPerGroup",
    "max_cat_to_onehot": "maxCategoriesForOneHot", "monotone_constraints": "monotoneConstraints",
  ]

  /// Names Hone accepts from other libraries: XGBoost's `grow_policy`.
  static let otherLibraries: Set<String> = ["grow_policy"]

  /// LightGBM's own alias lists, dumped from the library by `make_lightgbm_aliases.py`.
  static func lightGBMAliases() throws -> [String: [String]] {
    struct File: Decodable { let aliases: [String: [String]] }
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/evaluation/lightgbm_aliases.json")
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).aliases
  }

  @Test("every name LightGBM accepts for a mapped parameter reaches the right hyperparameter, and no other")
  func aliasesMatchLightGBM() throws {
    let reference = try Self.lightGBMAliases()
    #expect(Set(reference.keys) == Set(Self.table.keys))
    let native = Set(Mirror(reflecting: GradientBoostingHyperparameters()).children.compactMap(\.label))
    var accepted = Set<String>()
    for (primary, names) in reference {
      let target = try #require(Self.table[primary])
      #expect(native.contains(target))
      for name in names {
        accepted.insert(name)
        #expect((GradientBoostingHyperparameters.lightGBMAliases[name] ?? name) == target, "\(name)")
      }
    }
    for name in GradientBoostingHyperparameters.lightGBMAliases.keys where !Self.otherLibraries.contains(name) {
      #expect(accepted.contains(name), "\(name) is not a LightGBM name")
    }
  }

  @Test("settings are rewritten to Hone's names and values")
  func translation() throws {
    let (settings, classification) = try GradientBoostingHyperparameters.translatingLightGBMSettings([
      "num_leaves": "4", "subsample_freq": "3", "first_metric_only": "true", "metric": "auc", "objective": "binary",
      "l2": "1",
    ])
    #expect(
      settings == [
        "maxLeaves": "4", "baggingFrequency": "3", "earlyStoppingCriterion": "first_metric", "metrics": "auc",
        "l2": "1",
      ])
    #expect(classification == true)
    let regression = try GradientBoostingHyperparameters.translatingLightGBMSettings([
      "objective": "regression_l1", "first_metric_only": "false",
    ])
    #expect(regression.settings == ["objective": "absoluteError", "earlyStoppingCriterion": "every"])
    let categorical = try GradientBoostingHyperparameters.translatingLightGBMSettings([
      "categorical_feature": "name:workclass,race", "mc": "1,-1", "cat_smooth": "5",
    ])
    #expect(
      categorical.settings == [
        "categoricalFeatures": "workclass,race", "monotoneConstraints": "1,-1", "categoricalSmoothing": "5",
      ])
    #expect(regression.classification == false)
    #expect(try GradientBoostingHyperparameters.translatingLightGBMSettings(["rounds": "5"]).classification == nil)
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingHyperparameters.translatingLightGBMSettings(["num_leaves": "4", "maxLeaves": "8"])
    }
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingHyperparameters.translatingLightGBMSettings(["objective": "tweedie"])
    }
    #expect(throws: GradientBoostingError.self) {
      try GradientBoostingHyperparameters.translatingLightGBMSettings(["first_metric_only": "maybe"])
    }
  }
}
