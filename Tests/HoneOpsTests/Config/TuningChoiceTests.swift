import Foundation
import HoneTuning
import Testing

@testable import HoneOps

/// The samplers and pruners added to `tuning:`: each decodes to the choice it names,
/// explains back to itself, builds the HoneTuning type with the options given, and
/// rejects bad options at their field path.
@Suite("Tuning sampler and pruner choices")
struct TuningChoiceTests {
  static let decoded: [(String, TuningConfiguration.SamplerChoice?, TuningConfiguration.PrunerChoice?)] = [
    ("{sampler: sobol}", .sobol(scrambling: .owen), nil),
    ("{sampler: {sobol: {scramble: digitalShift}}}", .sobol(scrambling: .digitalShift), nil),
    ("{sampler: cmaes}", .cmaes(sigma0: 1.0 / 6, populationSize: nil, restarts: 0), nil),
    (
      "{sampler: {cmaes: {sigma0: 0.25, populationSize: 12, restarts: 2}}}",
      .cmaes(sigma0: 0.25, populationSize: 12, restarts: 2), nil
    ),
    (
      "{sampler: {tpe: {constantLiar: true}}}",
      .tpe(startupTrials: 10, candidates: 24, multivariate: true, constantLiar: true), nil
    ),
    (
      "{sampler: {tpe: {belowBandwidthFactor: 1}}}",
      .tpe(startupTrials: 10, candidates: 24, multivariate: true, belowBandwidthFactor: 1), nil
    ),
    (
      "{sampler: {tpe: {startupDesign: sobol}}}",
      .tpe(startupTrials: 10, candidates: 24, multivariate: true, startupDesign: .sobol(.owen)), nil
    ),
    (
      "{sampler: {tpe: {startupDesign: {sobol: {scramble: digitalShift}}, belowBandwidthFactor: 0.5}}}",
      .tpe(
        startupTrials: 10, candidates: 24, multivariate: true, belowBandwidthFactor: 0.5,
        startupDesign: .sobol(.digitalShift)),
      nil
    ),
    (
      "{sampler: {tpe: {startupDesign: random}}}",
      .tpe(startupTrials: 10, candidates: 24, multivariate: true, startupDesign: .random), nil
    ),
    (
      "{pruner: successiveHalving}", nil,
      .successiveHalving(minResource: 1, reductionFactor: 4, minEarlyStoppingRate: 0)
    ),
    (
      "{pruner: {successiveHalving: {minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1}}}", nil,
      .successiveHalving(minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1)
    ),
    ("{pruner: {hyperband: {maxResource: 4}}}", nil, .hyperband(minResource: 1, maxResource: 4, reductionFactor: 3)),
    ("{pruner: wilcoxon}", nil, .wilcoxon(pThreshold: 0.1, startupSteps: 2)),
    ("{pruner: {wilcoxon: {pThreshold: 0.05, startupSteps: 3}}}", nil, .wilcoxon(pThreshold: 0.05, startupSteps: 3)),
  ]

  @Test(arguments: decoded)
  func decodesExplainsAndBuilds(
    tuning: String, sampler: TuningConfiguration.SamplerChoice?, pruner: TuningConfiguration.PrunerChoice?
  ) throws {
    let resolved = try ConfigFixture.load(ConfigFixture.minimal + "\ntuning: " + tuning)
    let configuration = resolved.configuration.tuning
    #expect(configuration.sampler == sampler ?? .tpeDefault)
    #expect(configuration.pruner == pruner ?? TuningConfiguration.PrunerChoice.none)
    #expect(try ConfigFixture.load(resolved.explain()).configuration == resolved.configuration)

    let space: [String: Distribution] = ["x": .float(low: 0, high: 1, log: false, step: nil)]
    let built = try configuration.makeSampler(space: space, runSeed: 3)
    switch configuration.sampler {
    case .sobol(let scrambling):
      let sobol = try #require(built as? SobolSampler)
      #expect(sobol.scrambling == scrambling && sobol.space == space && sobol.seed == 3)
    case .cmaes(let sigma0, let populationSize, let restarts):
      let cmaes = try #require(built as? CMAESSampler)
      #expect(cmaes.sigma0 == sigma0 && cmaes.populationSize == populationSize && cmaes.restarts == restarts)
    case .tpe(_, _, _, let liar, let factor, let design):
      #expect((built as? TPESampler)?.constantLiar == liar)
      #expect((built as? TPESampler)?.belowBandwidthFactor == factor ?? TPESampler.defaultBelowBandwidthFactor)
      #expect((built as? TPESampler)?.startupDesign == design ?? TPESampler.defaultStartupDesign)
    default: Issue.record("unexpected sampler \(configuration.sampler)")
    }
    let prunerObject = try configuration.pruner.makePruner()
    switch configuration.pruner {
    case .successiveHalving(let minResource, let factor, let rate):
      let sha = try #require(prunerObject as? SuccessiveHalvingPruner)
      #expect(sha.minResource == minResource && sha.reductionFactor == factor && sha.minEarlyStoppingRate == rate)
    case .hyperband(let minResource, let maxResource, let factor):
      let hyperband = try #require(prunerObject as? HyperbandPruner)
      #expect(
        hyperband.minResource == minResource && hyperband.maxResource == maxResource
          && hyperband.reductionFactor == factor)
    case .wilcoxon(let threshold, let startup):
      let wilcoxon = try #require(prunerObject as? WilcoxonPruner)
      #expect(wilcoxon.pThreshold == threshold && wilcoxon.startupSteps == startup && wilcoxon.comparesStepValues)
    case .none: #expect(prunerObject is NoPruner)
    default: Issue.record("unexpected pruner \(configuration.pruner)")
    }
  }

  static let invalid = [
    (
      "tuning.sampler={sobol: {scramble: owne}}", "tuning.sampler.sobol.scramble",
      "is not one of none, digitalShift, owen"
    ),
    ("tuning.sampler={sobol: {scrambled: owen}}", "tuning.sampler.sobol.scrambled", "scramble"),
    ("tuning.sampler={cmaes: {sigma0: 2}}", "tuning.sampler.cmaes.sigma0", "(0, 1]"),
    ("tuning.sampler={cmaes: {populationSize: 1}}", "tuning.sampler.cmaes.populationSize", "use a value ≥ 2"),
    ("tuning.sampler={cmaes: {restarts: -1}}", "tuning.sampler.cmaes.restarts", "use a value ≥ 0"),
    ("tuning.sampler={tpe: {constantLiar: 1}}", "tuning.sampler.tpe.constantLiar", "expected true or false"),
    ("tuning.sampler={tpe: {belowBandwidthFactor: 0}}", "tuning.sampler.tpe.belowBandwidthFactor", "positive factor"),
    ("tuning.sampler={tpe: {startupDesign: sobl}}", "tuning.sampler.tpe.startupDesign", "(did you mean \"sobol\"?)"),
    (
      "tuning.sampler={tpe: {startupDesign: {sobol: {scramble: owne}}}}",
      "tuning.sampler.tpe.startupDesign.sobol.scramble", "is not one of none, digitalShift, owen"
    ),
    ("tuning.pruner=hyperband", "tuning.pruner.hyperband.maxResource", "K − 1"),
    (
      "tuning.pruner={hyperband: {minResource: 5, maxResource: 3}}", "tuning.pruner.hyperband.maxResource",
      "at least minResource (5)"
    ),
    (
      "tuning.pruner={successiveHalving: {reductionFactor: 1}}", "tuning.pruner.successiveHalving.reductionFactor",
      "use a value ≥ 2"
    ),
    ("tuning.pruner={wilcoxon: {pThreshold: 0}}", "tuning.pruner.wilcoxon.pThreshold", "(0, 1]"),
    ("tuning.pruner=wilcoxn", "tuning.pruner", "(did you mean \"wilcoxon\"?)"),
  ]

  @Test(arguments: invalid)
  func invalidOptionsNameTheirPath(override: String, path: String, message: String) throws {
    let error = try #require(ConfigFixture.error(ConfigFixture.minimal, overrides: [override]), "\(override) accepted")
    #expect(error.path == path, "\(error)")
    #expect(error.message.contains(message), "\(error)")
  }

  /// A choice built in code with options out of range throws when the pruner is made.
  @Test func outOfRangeChoicesBuiltInCodeThrow() {
    #expect(throws: TuningError.self) {
      try TuningConfiguration.PrunerChoice.hyperband(minResource: 3, maxResource: 1, reductionFactor: 3).makePruner()
    }
    #expect(throws: TuningError.self) {
      try TuningConfiguration(sampler: .cmaes(sigma0: 0, populationSize: nil, restarts: 0))
        .makeSampler(space: [:], runSeed: 0)
    }
  }
}
