import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

/// Hone against LightGBM 4.7.0 on real data with matched settings; the reference numbers
/// come from `Fixtures/make_categorical_fixtures.py` (`gbdt_categorical.json`).
@Suite("Real-data accuracy against LightGBM")
struct RealDataAccuracyTests {
  static var adultAvailable: Bool {
    FileManager.default.fileExists(atPath: SharedDatasets.path("adult/adult_train.csv"))
      && FileManager.default.fileExists(atPath: SharedDatasets.path("adult/adult_test.csv"))
  }

  static var wineAvailable: Bool {
    FileManager.default.fileExists(atPath: SharedDatasets.path("wine_quality/winequality-white.csv"))
  }

  /// The fixture's settings as Hone hyperparameters (LightGBM's names → Hone's).
  static func hyperparameters(_ settings: [String: Double]) throws -> GradientBoostingHyperparameters {
    var h = GradientBoostingHyperparameters()
    h.rounds = Int(try #require(settings["rounds"]))
    h.learningRate = try #require(settings["learning_rate"])
    h.maxLeaves = Int(try #require(settings["num_leaves"]))
    h.minDataInLeaf = Int(try #require(settings["min_data_in_leaf"]))
    h.minSumHessianInLeaf = try #require(settings["min_sum_hessian_in_leaf"])
    h.l2 = try #require(settings["lambda_l2"])
    h.maxBins = Int(try #require(settings["max_bin"]))
    h.maxCategoricalThreshold = Int(try #require(settings["max_cat_threshold"]))
    h.categoricalSmoothing = try #require(settings["cat_smooth"])
    h.categoricalL2 = try #require(settings["cat_l2"])
    h.minDataPerGroup = Int(try #require(settings["min_data_per_group"]))
    h.maxCategoriesForOneHot = Int(try #require(settings["max_cat_to_onehot"]))
    h.threads = 2
    return h
  }

  /// The test table's features coded like the training table's: categorical columns
  /// through the training categories (a category the training data never had becomes
  /// NaN, as a missing value), other columns as numbers.
  static func features(_ table: Table, codedLike train: Dataset) throws -> Matrix {
    let n = table.rowCount
    var storage: [Double] = []
    storage.reserveCapacity(n * train.featureCount)
    for (j, name) in train.featureNames.enumerated() {
      let column = try table.column(named: name)
      if let categories = train.categories[j] {
        let index = Dictionary(categories.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        storage += (0..<n).map { column.text(at: $0).flatMap { index[$0] } ?? .nan }
      } else {
        storage += column.doubleValues
      }
    }
    return try Matrix(rows: n, columns: train.featureCount, columnMajor: storage)
  }

  @Test(
    "Adult with native categorical splits: accuracy and AUC within noise of LightGBM's",
    .enabled(if: adultAvailable, "shared datasets not found: set HONE_DATASETS or add ../shared/datasets/adult"))
  func adult() throws {
    let fixture = try fixtureJSON("gbdt_categorical")
    let settings = try #require(fixture["settings"] as? [String: Double])
    let reference = try #require(fixture["adult"] as? [String: Any])
    let trainTable = try CSV.read(contentsOf: SharedDatasets.path("adult/adult_train.csv"))
    let testTable = try CSV.read(contentsOf: SharedDatasets.path("adult/adult_test.csv"))
    let rawTrain = try Dataset(trainTable, target: "income")
    let labels = { (table: Table) in
      try (0..<table.rowCount).map { try table.column(named: "income").text(at: $0) == ">50K" ? 1.0 : 0 }
    }
    let train = try Dataset(
      features: rawTrain.features, target: try labels(trainTable), featureNames: rawTrain.featureNames,
      categories: rawTrain.categories)
    let expectedCategorical = try #require(reference["categorical_features"] as? [String])
    #expect(train.categories.keys.sorted().map { train.featureNames[$0] } == expectedCategorical)
    let model = try GradientBoostingClassifier(try Self.hyperparameters(settings)).fit(train)
    #expect(model.trees.contains { $0.nodes.contains(where: \.isCategorical) })

    let x = try Self.features(testTable, codedLike: train)
    let y = try labels(testTable)
    let probabilities = try model.predictProbabilities(x)
    let p = (0..<x.rows).map { probabilities[$0, 1] }
    let auc = areaUnderCurve(p, y)
    let accuracy = Double(zip(p, y).filter { ($0.0 > 0.5) == ($0.1 == 1) }.count) / Double(y.count)
    let referenceAUC = try #require(reference["test_auc"] as? Double)
    let referenceAccuracy = try #require(reference["test_accuracy"] as? Double)
    let aucSE = try #require(reference["test_auc_se"] as? Double)
    let accuracySE = try #require(reference["test_accuracy_se"] as? Double)
    // The band is two bootstrap standard errors of LightGBM's own metric over the 16,281
    // test rows (0.0021 for AUC, 0.0026 for accuracy): differences smaller than that are
    // what resampling the test set alone produces. Both models see the same test rows,
    // so an honest implementation lands well inside (Hone is within 0.0005 of both).
    // On Adult, LightGBM with the categories as ordered codes scores about the same AUC
    // (`ordinal_codes_test_auc` in the fixture), so this checks the whole pipeline on
    // real categorical data with missing values; the exact partition is checked by the
    // hand-computed cases in CategoricalSplitTests.
    print("adult: AUC \(auc) (LightGBM \(referenceAUC)), accuracy \(accuracy) (LightGBM \(referenceAccuracy))")
    #expect(abs(auc - referenceAUC) <= 2 * aucSE, "AUC \(auc) vs LightGBM \(referenceAUC)")
    #expect(
      abs(accuracy - referenceAccuracy) <= 2 * accuracySE, "accuracy \(accuracy) vs LightGBM \(referenceAccuracy)")
  }

  @Test(
    "Wine quality (white) regression: test RMSE within noise of LightGBM's",
    .enabled(if: wineAvailable, "shared datasets not found: set HONE_DATASETS or add ../shared/datasets/wine_quality"))
  func wine() throws {
    // Regression rather than multiclass: quality is an ordered score (3…9) whose extreme
    // classes have 5–20 rows, too few for per-class trees; regressing it uses the order,
    // and RMSE compares cleanly with LightGBM's `regression` objective.
    let fixture = try fixtureJSON("gbdt_categorical")
    let settings = try #require(fixture["settings"] as? [String: Double])
    let reference = try #require(fixture["wine_white_regression"] as? [String: Double])
    let table = try CSV.read(contentsOf: SharedDatasets.path("wine_quality/winequality-white.csv"))
    let all = try Dataset(table, target: "quality")
    let testRows = (0..<all.rowCount).filter { $0 % 5 == 4 }
    let trainRows = (0..<all.rowCount).filter { $0 % 5 != 4 }
    func rows(_ indices: [Int]) throws -> (Matrix, [Double]) {
      var storage: [Double] = []
      for j in 0..<all.featureCount { storage += indices.map { all.features[$0, j] } }
      return (
        try Matrix(rows: indices.count, columns: all.featureCount, columnMajor: storage), indices.map { all.target[$0] }
      )
    }
    let (xTrain, yTrain) = try rows(trainRows)
    let (xTest, yTest) = try rows(testRows)
    #expect(yTrain.count == Int(reference["train_rows"] ?? 0))
    let model = try GradientBoostingRegressor(try Self.hyperparameters(settings)).fit(
      try Dataset(features: xTrain, target: yTrain))
    let predictions = try model.predict(xTest)
    let rmse = (zip(predictions, yTest).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(yTest.count))
      .squareRoot()
    let referenceRMSE = try #require(reference["test_rmse"])
    let se = try #require(reference["test_rmse_se"])
    // Two bootstrap standard errors of LightGBM's test RMSE (0.021 on 979 rows); the
    // mean-only model's RMSE (0.92) is twelve of them away, so the test can fail.
    print("wine (white): RMSE \(rmse) (LightGBM \(referenceRMSE))")
    #expect(abs(rmse - referenceRMSE) <= 2 * se, "RMSE \(rmse) vs LightGBM \(referenceRMSE)")
  }
}
