import Foundation
import HoneCore
import HoneLinearAlgebra
import HonePipeline
import Testing

@Suite("Permutation importance")
struct PermutationImportanceTests {
  /// A model that predicts column `x` as is and never reads anything else.
  struct CopyX: TableModel {
    func predict(_ table: Table) throws -> [Double] { try table.column(named: "x").doubleValues }
    func predictProbabilities(_ table: Table) throws -> Matrix? { nil }
    var classes: [Double]? { nil }
  }

  static let mse = Scoring(name: "mse", greaterIsBetter: false) { input in
    zip(input.target, input.predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(input.target.count)
  }

  /// The same score with the opposite sign and direction: importances must not change.
  static let negatedMSE = Scoring(name: "neg_mse", greaterIsBetter: true) { -(try mse.score($0)) }

  static func table() throws -> Table {
    try Table([.float("x", [0, 1, 2]), .float("noise", [5, -1, 3]), .float("y", [0, 1, 2])])
  }

  /// A column the model never reads loses nothing, in every repeat, exactly.
  @Test func unusedColumnHasExactlyZeroDrop() throws {
    let result = try permutationImportance(
      CopyX(), table: try Self.table(), target: "y", columns: ["noise"], scoring: Self.mse, repeats: 20, seed: 3)
    #expect(result.count == 1)
    #expect(result[0].drops.allSatisfy { $0 == 0 })
    #expect(result[0].mean == 0 && result[0].standardDeviation == 0)
  }

  /// With y = x = (0, 1, 2) the baseline error is 0 and a shuffle π costs
  /// mean((x_π(i) − x_i)²): 0 for the identity, 2/3 for a swap of neighbours, 8/3 for the
  /// swap of 0 and 2, 2 for either 3-cycle. Averaged over the six permutations that is
  /// 4/3 = 2 · Var(x). Each drop must be one of those four numbers (1e-12: one rounding in
  /// a three-term mean); the mean of 3,000 uniform shuffles has standard error
  /// 0.943/√3000 ≈ 0.017, and 0.07 is four of those.
  @Test(arguments: [UInt64(1), 2])
  func predictiveColumnDropsByTheHandComputedAmount(seed: UInt64) throws {
    let result = try permutationImportance(
      CopyX(), table: try Self.table(), target: "y", scoring: Self.mse, repeats: 3000, seed: seed)
    #expect(result.map(\.name) == ["x", "noise"])
    let x = result[0]
    let possible = [0, 2.0 / 3, 8.0 / 3, 2]
    #expect(x.drops.allSatisfy { drop in possible.contains { abs($0 - drop) < 1e-12 } })
    #expect(abs(x.mean - 4.0 / 3) < 0.07)
    #expect(result[1].mean == 0)
  }

  @Test func directionOfTheScoreDoesNotChangeTheImportance() throws {
    let table = try Self.table()
    let lower = try permutationImportance(CopyX(), table: table, target: "y", scoring: Self.mse, seed: 4)
    let higher = try permutationImportance(CopyX(), table: table, target: "y", scoring: Self.negatedMSE, seed: 4)
    #expect(lower == higher)
    #expect(lower[0].mean > 0)
  }

  @Test func sameSeedSameResult() throws {
    let table = try Self.table()
    let both = try permutationImportance(CopyX(), table: table, target: "y", scoring: Self.mse, repeats: 7, seed: 9)
    let again = try permutationImportance(CopyX(), table: table, target: "y", scoring: Self.mse, repeats: 7, seed: 9)
    #expect(both == again)
  }

  @Test func badArgumentsThrow() throws {
    let table = try Self.table()
    #expect(throws: CrossValidationError.self) {
      try permutationImportance(CopyX(), table: table, target: "y", scoring: Self.mse, repeats: 0)
    }
    #expect(throws: CrossValidationError.self) {
      try permutationImportance(CopyX(), table: table, target: "y", columns: ["missing"], scoring: Self.mse)
    }
  }
}
