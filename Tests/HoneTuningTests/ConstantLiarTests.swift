import Foundation
import HoneTuning
import Testing

@Suite("Constant liar")
struct ConstantLiarTests {
  /// The points of each wave of four, on the unit square, after ten sequential random
  /// start-up trials on a bowl with its minimum at (0.3, 0.7).
  static func waves(seed: UInt64, liar: Bool, multivariate: Bool) throws -> [[[Double]]] {
    let study = Study(sampler: TPESampler(seed: seed, multivariate: multivariate, constantLiar: liar))
    let objective: @Sendable (Trial) throws -> Double = { trial in
      let x = try trial.suggestFloat("x", 0...1)
      let y = try trial.suggestFloat("y", 0...1)
      return (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7)
    }
    try study.optimize(trials: 10, objective)
    try study.optimize(trials: 16, parallelism: 4, objective)
    let points = study.trials.dropFirst(10).map { t -> [Double] in
      ["x", "y"].map { if case .double(let v)? = t.parameters[$0] { v } else { .nan } }
    }
    return stride(from: 0, to: points.count, by: 4).map { Array(points[$0..<($0 + 4)]) }
  }

  /// The mean distance between the points of a wave.
  static func spread(_ wave: [[Double]]) -> Double {
    var total = 0.0
    var pairs = 0.0
    for i in wave.indices {
      for j in wave.indices where j > i {
        total +=
          ((wave[i][0] - wave[j][0]) * (wave[i][0] - wave[j][0]) + (wave[i][1] - wave[j][1]) * (wave[i][1] - wave[j][1]))
          .squareRoot()
        pairs += 1
      }
    }
    return total / pairs
  }

  /// Seeds 0–9, the same seed with and without the liar (so the start-up trials agree):
  /// for every seed the four waves' summed spread is larger with the liar. Over the ten
  /// seeds the mean pairwise distance within a wave is 0.30 with the liar against 0.076
  /// without (multivariate), and 0.39 against 0.23 (univariate): without the liar a wave
  /// samples one model four times and its points pile up near the same optimum. The
  /// asserted ratio, 1.3, leaves room below the smaller of the two (1.7).
  @Test(arguments: [true, false])
  func liarSpreadsEachWave(multivariate: Bool) throws {
    var withLiar = 0.0
    var without = 0.0
    for seed in 0..<10 as Range<UInt64> {
      let a = try Self.waves(seed: seed, liar: true, multivariate: multivariate).map(Self.spread).reduce(0, +)
      let b = try Self.waves(seed: seed, liar: false, multivariate: multivariate).map(Self.spread).reduce(0, +)
      #expect(a > b, "seed \(seed)")
      withLiar += a
      without += b
    }
    #expect(withLiar > 1.3 * without)
  }

  /// With the liar, the wave's later trials see the earlier ones as running trials with
  /// their planned parameters; the study stays reproducible and inside the space.
  @Test func liarStudiesReproduce() throws {
    #expect(
      try Self.waves(seed: 3, liar: true, multivariate: true) == Self.waves(seed: 3, liar: true, multivariate: true))
    let study = Study(sampler: TPESampler(seed: 1, startupTrials: 4, constantLiar: true))
    try study.optimize(trials: 24, parallelism: 3) { try StudyTests.objective($0) }
    for trial in study.trials {
      for (name, value) in trial.parameters {
        #expect(trial.distributions[name]?.contains(value) == true, "\(name) = \(value)")
      }
    }
  }
}
