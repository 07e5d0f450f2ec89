import Foundation
import Hone
import Testing

@testable import hone

/// `--param` handling: defaults survive untouched bit for bit, overrides land on the
/// right keys with the right types.
@Suite("hone --param overrides")
struct OverrideTests {
  @Test func defaultsComeBackExactly() throws {
    #expect(try applyOverrides([], to: Ridge.Hyperparameters()) == Ridge.Hyperparameters())
    #expect(try applyOverrides([], to: ElasticNet.Hyperparameters()) == ElasticNet.Hyperparameters())
    #expect(try applyOverrides([], to: LogisticRegression.Hyperparameters()) == LogisticRegression.Hyperparameters())
    #expect(try applyOverrides([], to: MLPHyperparameters()) == MLPHyperparameters())
    // Values that a lossy JSON parser can move by an ulp stay exact.
    var h = Ridge.Hyperparameters()
    h.alpha = 0.8139575822355899
    #expect(try applyOverrides([], to: h).alpha == 0.8139575822355899)
  }

  @Test func overridesSetTypedValues() throws {
    let ridge = try applyOverrides(["alpha=0.25", "fitIntercept=false", "solver=svd"], to: Ridge.Hyperparameters())
    #expect(ridge.alpha == 0.25 && !ridge.fitIntercept && ridge.solver == .svd)
    let mlp = try applyOverrides(["hiddenLayers=32,16", "epochs=3"], to: MLPHyperparameters())
    #expect(mlp.hiddenLayers == [32, 16] && mlp.epochs == 3)
    #expect(throws: (any Error).self) { try applyOverrides(["alpha"], to: Ridge.Hyperparameters()) }
    #expect(throws: (any Error).self) { try applyOverrides(["nope=1"], to: Ridge.Hyperparameters()) }
    #expect(throws: (any Error).self) { try applyOverrides(["hiddenLayers=a,b"], to: MLPHyperparameters()) }
  }
}
