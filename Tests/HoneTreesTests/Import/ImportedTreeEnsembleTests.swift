import Foundation
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

/// Hand-checkable decisions of the import predictor: one split, one input at a time,
/// against the rules in LightGBM's `tree.h` and XGBoost's `RegTree::GetNext`.
@Suite("Imported tree ensemble")
struct ImportedTreeEnsembleTests {
  typealias Node = ImportedTreeEnsemble.Node

  /// A stump on feature 0: left leaf −1, right leaf +1.
  static func stump(
    _ arithmetic: ImportedTreeEnsemble.Arithmetic, threshold: Double, defaultLeft: Bool,
    missing: ImportedTreeEnsemble.MissingType
  ) throws -> ImportedTreeEnsemble {
    try ImportedTreeEnsemble(
      featureCount: 1, outputCount: 1, arithmetic: arithmetic,
      nodes: [
        .split(feature: 0, threshold: threshold, left: 1, right: 2, defaultLeft: defaultLeft, missingType: missing),
        .leaf(-1), .leaf(1),
      ], roots: [0], treeOutputs: [0], baseMargins: [0])
  }

  static func side(_ ensemble: ImportedTreeEnsemble, _ x: Double) throws -> String {
    var output: [Double] = []
    try ensemble.rawScores(row: [x], into: &output)
    return output[0] < 0 ? "L" : "R"
  }

  struct DecisionCase: Sendable, CustomTestStringConvertible {
    let missing: ImportedTreeEnsemble.MissingType
    let defaultLeft: Bool
    let threshold: Double
    /// Expected side for NaN, 0, 1e-40, −1, 1.
    let expected: String
    var testDescription: String { "\(missing) default \(defaultLeft ? "left" : "right") t=\(threshold)" }
  }

  // Worked by hand from NumericalDecision: NaN reads as 0 unless the missing type is NaN;
  // Zero type sends |x| ≤ 1e-35 (and so NaN) to the default side; NaN type sends NaN
  // there; everything else compares x <= threshold. 1e-40 reads as 0 (dense-row drop).
  static let decisionCases: [DecisionCase] = [
    DecisionCase(missing: .none, defaultLeft: true, threshold: -0.5, expected: "RRRLR"),
    DecisionCase(missing: .none, defaultLeft: false, threshold: 0.5, expected: "LLLLR"),
    DecisionCase(missing: .zero, defaultLeft: true, threshold: -0.5, expected: "LLLLR"),
    DecisionCase(missing: .zero, defaultLeft: false, threshold: 0.5, expected: "RRRLR"),
    DecisionCase(missing: .nan, defaultLeft: true, threshold: -0.5, expected: "LRRLR"),
    DecisionCase(missing: .nan, defaultLeft: false, threshold: 0.5, expected: "RLLLR"),
  ]

  @Test("LightGBM numerical decisions for each missing type", arguments: decisionCases)
  func lightGBMDecisions(_ c: DecisionCase) throws {
    let ensemble = try Self.stump(.lightGBM, threshold: c.threshold, defaultLeft: c.defaultLeft, missing: c.missing)
    let sides = try [Double.nan, 0, 1e-40, -1, 1].map { try Self.side(ensemble, $0) }.joined()
    #expect(sides == c.expected)
  }

  @Test("LightGBM compares x <= threshold in float64")
  func lightGBMThresholdIsInclusive() throws {
    let threshold = 0.1
    let ensemble = try Self.stump(.lightGBM, threshold: threshold, defaultLeft: false, missing: .nan)
    #expect(try Self.side(ensemble, threshold) == "L")
    #expect(try Self.side(ensemble, threshold.nextUp) == "R")
    // A float64 comparison, not float32: Float(0.1.nextUp) == Float(0.1), yet it goes right.
    #expect(Float(threshold.nextUp) == Float(threshold))
  }

  @Test("LightGBM reads |x| <= 1e-35 as zero, as its dense-row conversion drops such values")
  func lightGBMTinyValuesAreZero() throws {
    let zeroThreshold = Double(Float(1e-35))
    let tinyThreshold = try Self.stump(.lightGBM, threshold: 5e-36, defaultLeft: false, missing: .nan)
    #expect(try Self.side(tinyThreshold, 8e-36) == "L")  // read as 0 ≤ 5e-36
    #expect(try Self.side(tinyThreshold, 2e-35) == "R")
    // LightGBM's own boundary: −kZeroThreshold reads as 0, which is above the threshold.
    let negative = try Self.stump(.lightGBM, threshold: -zeroThreshold, defaultLeft: true, missing: .nan)
    #expect(try Self.side(negative, -zeroThreshold) == "R")
    #expect(try Self.side(negative, -zeroThreshold.nextUp) == "L")
  }

  @Test("XGBoost rounds inputs to float32 and compares x < threshold")
  func xgboostFloat32Comparison() throws {
    let threshold = Double(Float(0.1))
    let ensemble = try Self.stump(.xgboost, threshold: threshold, defaultLeft: true, missing: .nan)
    #expect(try Self.side(ensemble, threshold) == "R")  // strict <
    // One float64 ulp below the threshold rounds up to it in float32: right, where a
    // float64 comparison would go left.
    #expect(try Self.side(ensemble, threshold.nextDown) == "R")
    #expect(try Self.side(ensemble, Double(Float(0.1).nextDown)) == "L")
    #expect(try Self.side(ensemble, .nan) == "L")
    // XGBoost has no zero-as-missing: 0 compares with the threshold.
    #expect(try Self.side(ensemble, 0) == "L")
  }

  @Test("XGBoost sums leaves in float32, LightGBM in float64")
  func accumulationPrecision() throws {
    let nodes: [Node] = [.leaf(1), .leaf(Double(Float(1e-8)))]
    let xgboost = try ImportedTreeEnsemble(
      featureCount: 1, outputCount: 1, arithmetic: .xgboost, nodes: nodes, roots: [0, 1], treeOutputs: [0, 0],
      baseMargins: [0])
    let lightGBM = try ImportedTreeEnsemble(
      featureCount: 1, outputCount: 1, arithmetic: .lightGBM, nodes: nodes, roots: [0, 1], treeOutputs: [0, 0],
      baseMargins: [0])
    var output: [Double] = []
    try xgboost.rawScores(row: [0], into: &output)
    #expect(output == [1])  // 1 + 1e-8 rounds back to 1 in float32
    try lightGBM.rawScores(row: [0], into: &output)
    #expect(output == [1 + Double(Float(1e-8))])
  }

  @Test("LightGBM categorical splits read cat_threshold bitsets")
  func categoricalBitset() throws {
    // Categories {1, 4} in word 0 and {33} in word 1 go left.
    let ensemble = try ImportedTreeEnsemble(
      featureCount: 1, outputCount: 1, arithmetic: .lightGBM,
      nodes: [.categoricalSplit(feature: 0, categorySet: 0, left: 1, right: 2), .leaf(-1), .leaf(1)],
      roots: [0], treeOutputs: [0], baseMargins: [0], categoryBoundaries: [0, 2],
      categoryBitsets: [0b10010, 0b10])
    let inputs: [Double] = [1, 4, 33, 1.9, 2, 0, -0.5, -1, .nan, 64, 1e10, -1e10]
    let sides = try inputs.map { try Self.side(ensemble, $0) }.joined()
    // 1.9 truncates to 1; −0.5 truncates to category 0 (not in the set); 64 is past the
    // bitset; 1e10 overflows int to INT_MIN on x86-64, which is negative.
    #expect(sides == "LLLLRRRRRRRR")
  }

  @Test("outputs add up per class in tree order, from the base margins")
  func multiOutput() throws {
    let ensemble = try ImportedTreeEnsemble(
      featureCount: 2, outputCount: 2, arithmetic: .lightGBM,
      nodes: [
        .split(feature: 1, threshold: 0, left: 1, right: 2, defaultLeft: false, missingType: .nan), .leaf(10),
        .leaf(20), .leaf(0.5), .leaf(0.25),
      ], roots: [0, 3, 4], treeOutputs: [0, 1, 1], baseMargins: [100, 200])
    let scores = try ensemble.rawScores(Matrix([[0, -1], [0, 1]]))
    #expect(scores.rowArrays == [[110, 200.75], [120, 200.75]])
  }

  @Test("the single-row path equals the batch path", arguments: [1, 300, 1000])
  func singleRowMatchesBatch(rows: Int) throws {
    let ensemble = try Self.stump(.lightGBM, threshold: 0.25, defaultLeft: true, missing: .nan)
    let values = (0..<rows).map { i in i % 7 == 0 ? Double.nan : sin(Double(i)) }
    let batch = try ensemble.rawScores(Matrix(rows: rows, columns: 1, columnMajor: values))
    var output = [0.0]
    for i in 0..<rows {
      try ensemble.rawScores(row: [values[i]], into: &output)
      #expect(output[0] == batch[i, 0])
    }
  }

  @Test("inconsistent ensembles throw instead of walking out of a tree")
  func invalidEnsembles() throws {
    func make(_ nodes: [Node], roots: [Int32] = [0], featureCount: Int = 1) throws -> ImportedTreeEnsemble {
      try ImportedTreeEnsemble(
        featureCount: featureCount, outputCount: 1, arithmetic: .lightGBM, nodes: nodes, roots: roots,
        treeOutputs: roots.map { _ in 0 }, baseMargins: [0])
    }
    let backward: [Node] = [
      .leaf(0), .split(feature: 0, threshold: 0, left: 0, right: 2, defaultLeft: false, missingType: .none), .leaf(1),
    ]
    #expect(throws: ModelImportError.self) { try make(backward, roots: [1]) }
    let selfLoop: [Node] = [.split(feature: 0, threshold: 0, left: 0, right: 1, defaultLeft: false, missingType: .none)]
    #expect(throws: ModelImportError.self) { try make(selfLoop + [.leaf(1)]) }
    let farFeature: [Node] = [
      .split(feature: 3, threshold: 0, left: 1, right: 2, defaultLeft: false, missingType: .none), .leaf(0), .leaf(1),
    ]
    #expect(throws: ModelImportError.self) { try make(farFeature) }
    let noSet: [Node] = [.categoricalSplit(feature: 0, categorySet: 0, left: 1, right: 2), .leaf(0), .leaf(1)]
    #expect(throws: ModelImportError.self) { try make(noSet) }
    let crossesTrees: [Node] = [
      .split(feature: 0, threshold: 0, left: 1, right: 2, defaultLeft: false, missingType: .none), .leaf(0), .leaf(1),
    ]
    #expect(throws: ModelImportError.self) { try make(crossesTrees, roots: [0, 2]) }
  }

  @Test("Codable round trip, and a tampered payload is rejected on decode")
  func codable() throws {
    let ensemble = try Self.stump(.xgboost, threshold: Double(Float(0.3)), defaultLeft: true, missing: .nan)
    let data = try JSONEncoder().encode(ensemble)
    #expect(try JSONDecoder().decode(ImportedTreeEnsemble.self, from: data) == ensemble)
    let text = try #require(String(data: data, encoding: .utf8))
    let tampered = text.replacingOccurrences(of: "\"left\":1", with: "\"left\":0")
    #expect(tampered != text)
    #expect(throws: ModelImportError.self) {
      try JSONDecoder().decode(ImportedTreeEnsemble.self, from: Data(tampered.utf8))
    }
  }

  @Test("wrong row lengths and column counts throw featureCountMismatch")
  func featureCountMismatch() throws {
    let ensemble = try Self.stump(.lightGBM, threshold: 0, defaultLeft: true, missing: .nan)
    var output: [Double] = []
    let rowError = #expect(throws: ModelImportError.self) { try ensemble.rawScores(row: [1, 2], into: &output) }
    #expect(rowError?.kind == .featureCountMismatch(expected: 1, found: 2))
    let error = #expect(throws: ModelImportError.self) { try ensemble.rawScores(Matrix(rows: 3, columns: 2)) }
    #expect(error?.kind == .featureCountMismatch(expected: 1, found: 2))
  }
}
