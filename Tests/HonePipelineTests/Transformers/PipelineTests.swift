import Foundation
import HoneCore
import HoneLinear
import HoneLinearAlgebra
import HonePipeline
import Testing

@Suite("Pipelines")
struct PipelineTests {
  /// A table with a numeric feature that has gaps, a categorical feature and a target
  /// that depends on both.
  static func table(rows: Int = 60, seed: UInt64 = 3) throws -> Table {
    var rng = Xoshiro256StarStar(seed: seed)
    var x: [Double] = []
    var city: [String?] = []
    var y: [Double] = []
    let names = ["Oslo", "Rome", "Lima"]
    for i in 0..<rows {
      let value = 10 + 3 * rng.nextGaussian()
      let category = names[rng.nextInt(below: 3)]
      x.append(i % 9 == 4 ? .nan : value)
      city.append(category)
      y.append(2 * value + (category == "Rome" ? 5 : 0) + 0.1 * rng.nextGaussian())
    }
    return try Table([.float("x", x), .categorical("city", city), .float("y", y)])
  }

  static let steps: [TransformStep] = [
    .columns(
      ColumnTransformer(branches: [
        .init(columns: .numeric, steps: [.imputer(.init(strategy: .median)), .standardScaler(.init())]),
        .init(columns: .categorical, steps: [.oneHotEncoder(.init(handleUnknown: .ignore))]),
      ]))
  ]

  @Test func aPipelineEqualsItsStepsAppliedByHand() throws {
    let table = try Self.table()
    let model = try Pipeline(Self.steps, Ridge(alpha: 0.1)).fit(table, target: "y")
    // By hand: median imputation, scaling and one-hot on the features, then ridge.
    let features = try table.dropping(["y"])
    let imputed = try SimpleImputer(columns: .names(["x"]), strategy: .median).fit(features).transform(features)
    let scaled = try StandardScaler(columns: .names(["x"])).fit(imputed).transform(imputed)
    let encoded = try OneHotEncoder(handleUnknown: .ignore).fit(scaled).transform(scaled)
    #expect(model.featureNames == encoded.columnNames)
    let byHand = try Ridge(alpha: 0.1).fit(
      try Dataset(features: try encoded.matrix(), target: try table.column(named: "y").doubleValues))
    #expect(model.model == byHand)
    #expect(try model.predict(table) == byHand.predict(try encoded.matrix()))
  }

  @Test func theModelFileRoundTripKeepsEveryStep() throws {
    let table = try Self.table()
    let model = try Pipeline(Self.steps, Ridge(alpha: 0.1)).fit(table, target: "y")
    let bytes = try ModelFile.encode(model)
    let restored = try ModelFile.decode(PipelineModel<LinearModel>.self, from: bytes)
    #expect(restored == model)
    #expect(PipelineModel<LinearModel>.kind == "pipeline/linear-regression")
    #expect(try restored.predict(table) == model.predict(table))
  }

  @Test func stepsSeeOnlyTheRowsTheyAreFittedOn() throws {
    let table = try Self.table()
    let train = try table.rows(0..<30)
    let model = try Pipeline(Self.steps, Ridge(alpha: 0.1)).fit(train, target: "y")
    guard case .columns(let columns) = try #require(model.steps.first),
      case .affineScaler(let scaler) = try #require(columns.branches.first?.steps.last)
    else {
      Issue.record("unexpected fitted steps")
      return
    }
    // The scaler's mean is the mean of the training rows after median imputation.
    let x = try train.column(named: "x").doubleValues
    let present = x.filter { !$0.isNaN }.sorted()
    let median =
      present.count % 2 == 1
      ? present[present.count / 2] : (present[present.count / 2 - 1] + present[present.count / 2]) / 2
    let filled = x.map { $0.isNaN ? median : $0 }
    let mean = filled.reduce(0, +) / Double(filled.count)
    // Two sums of 30 numbers near 10 in different orders: agreement to 1e-12 relative.
    #expect(abs(scaler.centers[0] - mean) <= 1e-12 * abs(mean))
  }

  @Test func aCategoricalTargetFitsAClassifier() throws {
    let base = try Self.table()
    let labels = try base.column(named: "y").doubleValues.map { $0 > 25 ? "high" : "low" }
    let table = try base.dropping(["y"]).setting(.categorical("level", labels))
    let model = try Pipeline(Self.steps, LogisticRegression()).fit(table, target: "level")
    #expect(model.targetCategories == ["low", "high"] || model.targetCategories == ["high", "low"])
    let probabilities = try #require(try model.predictProbabilities(table))
    #expect(probabilities.rows == table.rowCount && probabilities.columns == 2)
  }

  @Test func leftoverCategoricalColumnsAreAnError() throws {
    let table = try Self.table()
    let error = try #require(throws: PipelineError.self) {
      try Pipeline([.imputer(.init(columns: .names(["x"])))], Ridge(alpha: 1)).fit(table, target: "y")
    }
    #expect(error.message.contains("`city` (categorical)"))
    #expect(throws: PipelineError.self) { try Pipeline(Ridge(alpha: 1)).fit(table, target: "nope") }
  }
}
