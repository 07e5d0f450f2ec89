import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneNeural

/// Hone's MLP against scikit-learn's `MLPClassifier` with the same architecture and
/// optimiser on LightGBM's binary example (7,000 training, 500 test rows), through the
/// test AUCs in `Fixtures/mlp_fixtures.json` (`Fixtures/make_mlp_fixtures.py`).
@Suite("scikit-learn comparison")
struct SklearnComparisonTests {
  struct Reference: Decodable {
    let sklearn_version: String
    let epochs: Int
    let seeds: [Int]
    let test_auc: [Double]
    let test_auc_mean: Double
    let test_auc_std: Double
    let logistic_test_auc: Double
  }

  static let reference: Reference? = {
    guard let url = Bundle.module.url(forResource: "Fixtures/mlp_fixtures", withExtension: "json"),
      let data = try? Data(contentsOf: url)
    else { return nil }
    return try? JSONDecoder().decode(Reference.self, from: data)
  }()

  @Test(
    "test AUC on LightGBM's binary example is within noise of scikit-learn's",
    .enabled(
      if: NeuralTestSupport.datasetsDirectory != nil,
      "shared datasets not found: set HONE_DATASETS or add ../shared/datasets"),
    arguments: MLPHyperparameters.Precision.allCases)
  func aucMatchesSklearn(precision: MLPHyperparameters.Precision) throws {
    let reference = try #require(Self.reference)
    let directory = try #require(NeuralTestSupport.datasetsDirectory)
    let train = try NeuralTestSupport.lightGBM("binary_train.csv", in: directory)
    let test = try NeuralTestSupport.lightGBM("binary_test.csv", in: directory)
    // scikit-learn's settings: (64, 64) ReLU, Adam lr 1e-3 β 0.9/0.999 ε 1e-8, batch
    // 256, alpha 1e-4, Glorot-uniform initialisation, standardised input.
    var h = MLPHyperparameters(
      hiddenLayers: [64, 64], activation: .relu, optimizer: .adam, learningRate: 1e-3, batchSize: 256,
      epochs: reference.epochs)
    h.weightDecay = 1e-4
    h.initialization = .glorot
    h.precision = precision
    let seeds: [UInt64] = [0, 1, 2]
    var aucs: [Double] = []
    for seed in seeds {
      h.seed = seed
      let model = try MLPClassifier(h).fit(train)
      let p = try model.predictProbabilities(test.features)
      aucs.append(NeuralTestSupport.pairwiseAUC(scores: (0..<test.rowCount).map { p[$0, 1] }, labels: test.target))
    }
    let mean = aucs.reduce(0, +) / Double(aucs.count)
    // The band: scikit-learn's seed-to-seed spread (std over 20 seeds) makes a mean of 3
    // seeds uncertain by std/√3; 3 standard errors of the difference of two such means
    // is 3·std·√(2/3) (≈ 0.021 for std 0.0086), at least 0.01. That is "within noise",
    // yet narrower than the gap to a linear model (logistic regression, AUC 0.693 in the
    // fixture), checked below, and to an untrained net (≈ 0.5).
    let band = max(0.01, 3 * reference.test_auc_std * (2.0 / 3).squareRoot())
    #expect(band < reference.test_auc_mean - reference.logistic_test_auc)
    #expect(
      abs(mean - reference.test_auc_mean) <= band,
      "Hone \(precision.rawValue) AUC \(aucs) (mean \(mean)) vs scikit-learn \(reference.sklearn_version) \(reference.test_auc_mean) ± \(reference.test_auc_std); band \(band)"
    )
  }
}
