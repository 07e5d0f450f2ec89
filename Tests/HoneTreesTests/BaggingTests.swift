import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Bagging every k rounds")
struct BaggingTests {
  static func draws(seed: UInt64, frequency: Int, rounds: Int = 12) -> [(sample: [Int32]?, features: [Int])] {
    var sampler = RoundSampler(
      seed: seed, rows: 1000, features: 10, rowSubsample: 0.5, frequency: frequency, columnSubsample: 0.6)
    return (1...rounds).map { sampler.next(round: $0) }
  }

  @Test("the rows change exactly on rounds 1, 1 + k, 1 + 2k, …; the features every round", arguments: [1, 2, 3, 5])
  func rowsChangeEveryKRounds(frequency: Int) throws {
    let draws = Self.draws(seed: 4, frequency: frequency)
    for round in 2...draws.count {
      let redrawn = (round - 1) % frequency == 0
      // Two independent half-samples of 1000 rows are equal with probability 2^-1000.
      #expect((draws[round - 1].sample != draws[round - 2].sample) == redrawn, "round \(round)")
    }
    let samples = draws.compactMap(\.sample)
    #expect(samples.count == draws.count)
    for sample in samples {
      // Each row kept with probability ½: 500 ± 16 (1 sd); 6 sd either side cannot fail by chance.
      #expect(abs(sample.count - 500) < 100)
      #expect(sample == sample.sorted())
    }
    // Ten features at 0.6: six per round, and not all rounds the same six.
    #expect(draws.allSatisfy { $0.features.count == 6 })
    #expect(Set(draws.map(\.features)).count > 1)
  }

  @Test("the same seed reproduces every draw; another seed does not", arguments: [UInt64(0), 9, 123])
  func reproducibleFromTheSeed(seed: UInt64) {
    let a = Self.draws(seed: seed, frequency: 3)
    let b = Self.draws(seed: seed, frequency: 3)
    let c = Self.draws(seed: seed + 1, frequency: 3)
    #expect(a.map(\.sample) == b.map(\.sample))
    #expect(a.map(\.features) == b.map(\.features))
    #expect(a.map(\.sample) != c.map(\.sample))
  }

  @Test("frequency 0 turns bagging off: the model equals one fit on every row")
  func frequencyZeroIsOff() throws {
    let data = try syntheticData(rows: 1500, seed: 17, classification: false)
    var h = GradientBoostingHyperparameters()
    h.rounds = 15
    h.threads = 1
    h.rowSubsample = 0.5
    h.baggingFrequency = 0
    let off = try GradientBoostingRegressor(h).fit(data)
    h.rowSubsample = 1
    h.baggingFrequency = 1
    let all = try GradientBoostingRegressor(h).fit(data)
    #expect(off.trees == all.trees)
    #expect(Self.draws(seed: 1, frequency: 0).allSatisfy { $0.sample == nil })
  }

  @Test("bagging every 3 rounds gives bit-identical models for 1 and 2 threads, unlike every round")
  func deterministicAcrossThreads() throws {
    let data = try syntheticData(rows: 3000, seed: 18, classification: true)
    var h = GradientBoostingHyperparameters()
    h.rounds = 12
    h.rowSubsample = 0.6
    h.baggingFrequency = 3
    h.seed = 5
    h.threads = 1
    let one = try GradientBoostingClassifier(h).fit(data)
    h.threads = 2
    let two = try GradientBoostingClassifier(h).fit(data)
    #expect(one.trees == two.trees)
    h.baggingFrequency = 1
    let everyRound = try GradientBoostingClassifier(h).fit(data)
    // Rounds 1 draw the same rows either way; later rounds differ.
    #expect(everyRound.trees[0] == two.trees[0])
    #expect(everyRound.trees != two.trees)
  }
}
