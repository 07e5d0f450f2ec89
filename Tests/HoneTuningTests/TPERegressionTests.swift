import Foundation
import HoneTuning
import Testing

/// Locks what seeded TPE studies produce, so that work on the sampler's speed cannot
/// change its choices unnoticed.
///
/// The expected values are the objective values of the first 50 trials as produced by
/// `main` at commit a1b1dac, before the sampler's history was read into arrays: the
/// reference is the earlier, dictionary-walking implementation, not the code under test.
/// They were printed with Swift's shortest round-trip formatting, so they are exact.
/// One value changed on purpose since: trial 26 of the univariate run, 22.410630838189448
/// → 25.410630838189448, when a conditional parameter (`depth`) began to be modelled from
/// the study-wide split into better and worse trials, as Optuna does, rather than from a
/// split of only the trials that had it (its `depth` is 3 higher; every other value and
/// the other runs are unchanged).
@Suite("TPE sampler regression lock")
struct TPERegressionTests {
  /// Every kind of parameter the sampler models (log float, stepped float, stepped and
  /// log ints, a categorical, a conditional int) plus Branin's two floats, so the joint
  /// estimator, the univariate fallback and the categorical weights all take part.
  static func objective(_ trial: Trial) throws -> Double {
    let rate = try trial.suggestFloat("rate", 1e-4...1, log: true)
    let fraction = try trial.suggestFloat("fraction", 0.1...0.9, step: 0.2)
    let leaves = try trial.suggestInt("leaves", 4...64, step: 4)
    let rounds = try trial.suggestInt("rounds", 10...1000, log: true)
    let kind = try trial.suggestCategorical("kind", ["tree", "linear", "net"])
    let x = try trial.suggestFloat("x", -5...10)
    let y = try trial.suggestFloat("y", 0...15)
    var value = log10(rate) * log10(rate) + fraction + Double(leaves) / 64 + log(Double(rounds))
    let branin = y - 5.1 / (4 * Double.pi * Double.pi) * x * x + 5 / Double.pi * x - 6
    value += branin * branin / 10
    if kind == "tree" { value += Double(try trial.suggestInt("depth", 1...8)) }
    return value
  }

  static let expected: [String: [Double]] = [
    "joint": [
      17.52501586693703, 6.676977008841558, 18.283403035709547, 6.920306092022258,
      19.560769272631873, 23.417935648236046, 26.6223497961923, 19.065689669939154,
      19.79525387042765, 14.12585553128346, 10.220435218264992, 6.759281898863734,
      7.739169711231884, 9.965620920108856, 4.829285153347376, 7.360787515705222,
      4.37046666547394, 6.125135735937901, 6.798761683594246, 3.9428470388062946,
      3.803566926667296, 6.251841002908922, 3.9635055423026535, 3.419612888280472,
      4.585738556812877, 5.117379640882778, 6.49545914147072, 4.515950439526172,
      5.401908979606368, 3.3735275761868677, 4.193925463863835, 5.334326687857051,
      3.7751848525982856, 3.4687017040895554, 3.9149034090470733, 4.431499687076608,
      3.7317293166323586, 5.483827428414919, 3.8376518751448416, 4.532962200618552,
      3.492018671484187, 3.899551528444936, 4.00648359306435, 3.6520751795409505,
      3.994787002191666, 3.6832266392619983, 3.287678049460892, 2.998447937310257,
      4.1343728925589485, 3.428494530990043,
    ],
    "univariate": [
      17.52501586693703, 6.676977008841558, 18.283403035709547, 6.920306092022258,
      19.560769272631873, 23.417935648236046, 26.6223497961923, 19.065689669939154,
      19.79525387042765, 14.12585553128346, 7.93967700847008, 8.096261818801457,
      6.099382012814149, 5.578075265948235, 6.022634533187831, 7.75818353497865,
      17.983631804107226, 10.409131592207096, 7.177031848575216, 12.607551825306182,
      5.012884720684928, 5.430334357242545, 6.106276402641468, 9.907139815602724,
      6.657714368725353, 9.947821455636713, 25.410630838189448, 9.489196397142873,
      4.272691504219695, 4.6602789448941255, 7.640502466088277, 4.174987791554552,
      5.324001868865662, 4.735359551307005, 5.327700886533271, 3.9473327041842583,
      4.569394089348447, 4.715535984687283, 14.99142058484919, 4.5672081365059425,
      6.808971315945701, 4.041839457534797, 5.4602483827436625, 6.831598643905487,
      3.9464505308713833, 4.287212349950502, 4.136772062531278, 4.289148203952001,
      8.580414623484424, 6.261297150379936,
    ],
    "liar": [
      17.52501586693703, 6.676977008841558, 18.283403035709547, 6.920306092022258,
      19.560769272631873, 23.417935648236046, 26.6223497961923, 19.065689669939154,
      19.79525387042765, 14.12585553128346, 17.55945597696214, 14.588490432410842,
      6.939492580370342, 6.147578443384152, 9.5535617890196, 6.036396620565485,
      7.8276847404070065, 5.084907826118904, 6.721406176513525, 8.631605976823977,
      5.974463571198109, 4.601658119106177, 7.581301245183838, 5.4592681037793,
      5.585776182543459, 4.241677950446362, 7.588619727440996, 6.702046132346165,
      4.199188892258945, 4.807815612111883, 7.532867473545978, 3.861404060926273,
      4.964709154652888, 3.3530650962178234, 5.724247511127183, 4.162953670051978,
      3.8124050341089526, 4.0288207319473495, 3.145661028397416, 3.3789206587130733,
      4.14417642130532, 3.6447775524010684, 3.9275195593155026, 3.5492302987939555,
      3.61131565333152, 3.960906227003443, 3.5352526043270385, 3.217134083921318,
      3.6756555746970676, 3.395832550051754,
    ],
  ]

  /// Exact equality on purpose: the refactors this guards promise the same draws and the
  /// same floating-point operations in the same order, hence the same bits.
  /// The recording predates the narrower "below" kernels, so the sampler is asked for the
  /// widths it had then (factor 1); the lock still covers every code path the default uses.
  @Test(arguments: ["joint", "univariate", "liar"])
  func firstFiftyValuesMatchTheRecordedRun(configuration: String) throws {
    let sampler =
      switch configuration {
      case "univariate": try TPESampler(seed: 11, multivariate: false, belowBandwidthFactor: 1, startupDesign: .random)
      case "liar": try TPESampler(seed: 11, constantLiar: true, belowBandwidthFactor: 1, startupDesign: .random)
      default: try TPESampler(seed: 11, belowBandwidthFactor: 1, startupDesign: .random)
      }
    let study = Study(sampler: sampler)
    try study.optimize(trials: 50, parallelism: configuration == "liar" ? 4 : 1) { try Self.objective($0) }
    let values = study.trials.map { $0.value ?? .nan }
    let expected = try #require(Self.expected[configuration])
    #expect(values.count == expected.count)
    for (number, (value, reference)) in zip(values, expected).enumerated() {
      #expect(value == reference, "trial \(number): \(value) ≠ \(reference)")
    }
  }

  /// Copies of a sampler share the positions kept between asks, keyed by trial number; an
  /// entry is reused only for the very trial it was made from. Two studies that share one
  /// sampler, interleaved, have the same trial numbers with different parameters after
  /// start-up, so keyed by number alone they would swap rows; the reference is the same
  /// two studies each with a fresh sampler of that seed.
  @Test func aSamplerSharedByTwoStudiesChoosesAsFreshOnes() throws {
    let shared = TPESampler(seed: 5)
    let (first, second) = (Study(sampler: shared), Study(sampler: shared))
    let (firstAlone, secondAlone) = (Study(sampler: TPESampler(seed: 5)), Study(sampler: TPESampler(seed: 5)))
    for _ in 0..<30 {
      try first.optimize(trials: 1) { try Self.objective($0) }
      try second.optimize(trials: 1) { -(try Self.objective($0)) }
      try firstAlone.optimize(trials: 1) { try Self.objective($0) }
      try secondAlone.optimize(trials: 1) { -(try Self.objective($0)) }
    }
    #expect(first.trials.map(\.parameters) == firstAlone.trials.map(\.parameters))
    #expect(second.trials.map(\.parameters) == secondAlone.trials.map(\.parameters))
    #expect(first.trials.map(\.parameters) != second.trials.map(\.parameters))
  }
}
