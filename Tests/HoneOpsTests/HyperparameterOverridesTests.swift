import Foundation
import HoneTuning
import Testing

@testable import HoneOps

/// A stand-in for a model's hyperparameters with every shape the round trip must keep:
/// a double that a lossy parser moves by an ulp, a seed above `Int64.max`, an optional
/// that is `nil`, an array, an enum, a boolean.
private struct Knobs: Codable, Equatable {
  enum Mode: String, Codable { case fast, careful }
  var alpha: Double = 0.8139575822355899
  var rounds: Int = 100
  var seed: UInt64 = UInt64.max - 1
  var limit: Double? = nil
  var layers: [Int] = [64, 64]
  var mode: Mode = .fast
  var intercept: Bool = true
}

@Suite("Hyperparameter overrides")
struct HyperparameterOverridesTests {
  @Test func untouchedValuesComeBackBitForBit() throws {
    let knobs = Knobs()
    let same = try HyperparameterOverrides.apply(tuned: [:], fixed: ["rounds": "100"], to: knobs)
    #expect(same == knobs)
    #expect(same.alpha.bitPattern == knobs.alpha.bitPattern)
    #expect(same.seed == UInt64.max - 1)
  }

  @Test func commandLineSettingsLandTyped() throws {
    let knobs = try HyperparameterOverrides.apply(
      commandLine: ["alpha=0.25", "intercept=false", "mode=careful", "layers=32, 16", "limit=2.5"], to: Knobs())
    #expect(knobs.alpha == 0.25 && !knobs.intercept && knobs.mode == .careful)
    #expect(knobs.layers == [32, 16])
    #expect(knobs.limit == 2.5)
  }

  @Test func tunedValuesTakeTheHyperparameterShape() throws {
    let knobs = try HyperparameterOverrides.apply(
      tuned: ["rounds": .double(40), "layers": .string("128,64,32"), "alpha": .int(3), "mode": .string("careful")],
      fixed: [:], to: Knobs())
    #expect(knobs.rounds == 40)
    #expect(knobs.layers == [128, 64, 32])
    #expect(knobs.alpha == 3)
    #expect(knobs.mode == .careful)
    // Fixed text wins over a tuned value of the same name.
    let fixed = try HyperparameterOverrides.apply(tuned: ["alpha": .double(1)], fixed: ["alpha": "2"], to: Knobs())
    #expect(fixed.alpha == 2)
  }

  @Test func anUnknownNameListsTheValidOnes() throws {
    let error = try #require(throws: HyperparameterError.self) {
      try HyperparameterOverrides.apply(tuned: ["alpah": .double(1)], fixed: [:], to: Knobs())
    }
    #expect(error.message.contains("`alpah`"))
    for name in ["alpha", "intercept", "layers", "limit", "mode", "rounds", "seed"] {
      #expect(error.message.contains(name), "\(name) missing from: \(error.message)")
    }
  }

  @Test(arguments: [
    ["alpha"], ["=1"], ["rounds=many"], ["layers=a,b"], ["mode=sideways"], ["intercept=maybe"],
  ])
  func badSettingsThrow(_ settings: [String]) {
    #expect(throws: HyperparameterError.self) { try HyperparameterOverrides.apply(commandLine: settings, to: Knobs()) }
  }

  @Test func namesIncludeNilOptionals() {
    #expect(
      HyperparameterOverrides.names(of: Knobs()) == ["alpha", "intercept", "layers", "limit", "mode", "rounds", "seed"])
  }

  @Test func describeSortsPairs() {
    #expect(
      HyperparameterOverrides.describe(Knobs())
        == "alpha=0.8139575822355899 intercept=true layers=64,64 mode=fast rounds=100 seed=18446744073709551614")
  }
}
