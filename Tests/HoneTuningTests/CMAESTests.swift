import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

@testable import HoneTuning

@Suite("CMA-ES")
struct CMAESTests {
  /// One generation from C = I, p_σ = p_c = 0 in n = 2, where every quantity has a closed
  /// form. The constants are restated from the tutorial's Table 1 and Appendix A
  /// (λ = 4 + ⌊3 ln 2⌋ = 6, μ = 3, w'_i = ln 3.5 − ln i) and the updates from eq. (41)–(47):
  /// with C = I, C^(−1/2) = I, so p_σ = √(c_σ(2−c_σ)μ_eff)·⟨y⟩_w and ‖C^(−1/2)y‖ = ‖y‖.
  @Test func oneGenerationMatchesTheTutorialsEquations() throws {
    let n = 2.0
    let m0 = [0.4, 0.6]
    let sigma0 = 0.3
    var es = try CMAEvolutionStrategy(mean: m0, sigma: sigma0)
    #expect(es.populationSize == 6 && es.parentCount == 3)

    let raw = (1...6).map { log(3.5) - log(Double($0)) }
    let positiveSum = raw[0] + raw[1] + raw[2]
    let muEff = positiveSum * positiveSum / (raw[0] * raw[0] + raw[1] * raw[1] + raw[2] * raw[2])
    let negativeSum = raw[3] + raw[4] + raw[5]
    let muEffMinus = negativeSum * negativeSum / (raw[3] * raw[3] + raw[4] * raw[4] + raw[5] * raw[5])
    let cSigma = (muEff + 2) / (n + muEff + 5)
    let dSigma = 1 + 2 * max(0, ((muEff - 1) / (n + 1)).squareRoot() - 1) + cSigma
    let cC = (4 + muEff / n) / (n + 4 + 2 * muEff / n)
    let c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff)
    let cMu = min(1 - c1, 2 * (0.25 + muEff + 1 / muEff - 2) / ((n + 2) * (n + 2) + muEff))
    let negativeFactor = min(1 + c1 / cMu, 1 + 2 * muEffMinus / (muEff + 2), (1 - c1 - cMu) / (n * cMu))
    let w = raw.enumerated().map { i, r in i < 3 ? r / positiveSum : r * negativeFactor / -negativeSum }
    for (a, b) in zip(es.weights, w) { #expect(abs(a - b) < 1e-15) }
    #expect(abs(es.effectiveSelectionMass - muEff) < 1e-13)

    // Six candidates x = m + σ·y, told in a shuffled order; values rank them y₁ … y₆.
    let y = [[1.0, 0.5], [-0.5, 1.0], [0.2, -0.3], [1.5, 1.5], [-1.0, -2.0], [0.0, 2.5]]
    let x = y.map { [m0[0] + sigma0 * $0[0], m0[1] + sigma0 * $0[1]] }
    let told = [3, 0, 5, 2, 4, 1].map { (point: x[$0], value: Double($0) * 10 + 1) }
    try es.tell(told)

    let yw = (0..<2).map { j in w[0] * y[0][j] + w[1] * y[1][j] + w[2] * y[2][j] }
    let mean = (0..<2).map { m0[$0] + sigma0 * yw[$0] }
    let pSigma = yw.map { (cSigma * (2 - cSigma) * muEff).squareRoot() * $0 }
    let pSigmaNorm = (pSigma[0] * pSigma[0] + pSigma[1] * pSigma[1]).squareRoot()
    let chi = n.squareRoot() * (1 - 1 / (4 * n) + 1 / (21 * n * n))
    let sigma = sigma0 * exp(cSigma / dSigma * (pSigmaNorm / chi - 1))
    let h = pSigmaNorm / (1 - pow(1 - cSigma, 2)).squareRoot() < (1.4 + 2 / (n + 1)) * chi ? 1.0 : 0.0
    let pC = yw.map { h * (cC * (2 - cC) * muEff).squareRoot() * $0 }
    let adjusted = (0..<6).map { i in w[i] >= 0 ? w[i] : w[i] * n / (y[i][0] * y[i][0] + y[i][1] * y[i][1]) }
    let keep = 1 + c1 * (1 - h) * cC * (2 - cC) - c1 - cMu * w.reduce(0, +)
    for r in 0..<2 {
      for c in 0..<2 {
        let rankMu = (0..<6).reduce(0.0) { $0 + adjusted[$1] * y[$1][r] * y[$1][c] }
        let expected = keep * (r == c ? 1 : 0) + c1 * pC[r] * pC[c] + cMu * rankMu
        // A dozen floating-point operations on numbers near 1: 1e-14 is far below any
        // algebraic slip, which shows at 1e-3 or more.
        #expect(abs(es.covariance[r, c] - expected) < 1e-14, "C[\(r), \(c)]")
      }
    }
    for j in 0..<2 {
      #expect(abs(es.mean[j] - mean[j]) < 1e-15)
      #expect(abs(es.stepSizePath[j] - pSigma[j]) < 1e-14)
      #expect(abs(es.covariancePath[j] - pC[j]) < 1e-14)
    }
    #expect(abs(es.sigma - sigma) < 1e-15)
    #expect(es.generation == 1)
    #expect(throws: TuningError.self) { try es.tell(Array(told.prefix(5))) }
  }

  /// Best value of `trials` trials of `sampler` on `objective` over [−5, 5]^5.
  static func best(_ sampler: any Sampler, trials: Int, _ objective: @escaping @Sendable ([Double]) -> Double)
    throws -> Double
  {
    let study = Study(sampler: sampler)
    try study.optimize(trials: trials) { trial in
      objective(try (0..<5).map { try trial.suggestFloat("x\($0)", -5...5) })
    }
    return study.bestTrial?.value ?? .infinity
  }

  static let sphere: @Sendable ([Double]) -> Double = { x in
    x.enumerated().reduce(0) { $0 + ($1.element - 1) * ($1.element - 1) }
  }
  static let ellipsoid: @Sendable ([Double]) -> Double = { x in
    x.enumerated().reduce(0) { $0 + pow(10, Double($1.offset) / 2) * ($1.element - 1) * ($1.element - 1) }
  }

  /// 300 trials on [−5, 5]^5, optimum 0 at (1, …, 1). Random search's expected best
  /// on the sphere is about 4 (seeds 1–3 give 3.8, 6.1, 4.0) and on the ellipsoid with
  /// axis weights 10^(i/2) about 50 (51, 35, 56); CMA-ES reaches below 2e-3 and 7e-2 on
  /// the same seeds. The targets, 0.01 and 0.5, sit between with a wide margin on both sides.
  @Test(arguments: [UInt64(1), 2, 3])
  func reachesTargetsRandomSearchMisses(seed: UInt64) throws {
    for (objective, target) in [(Self.sphere, 0.01), (Self.ellipsoid, 0.5)] {
      let cma = try Self.best(CMAESSampler(seed: seed), trials: 300, objective)
      let random = try Self.best(RandomSampler(seed: seed), trials: 300, objective)
      #expect(cma < target)
      #expect(random > target)
    }
  }

  /// Waves of two with λ = 4 on a declared space, trial 1 failing. Waves ask 0–1, 2–3,
  /// 4–5 from generation 0 (fewer than four complete trials before each), so generation 0
  /// is told trials 0, 2, 3, 4; trial 5, drawn from generation 0 too, is left out; waves
  /// 6–7 and 8–9 come from generation 1, which is told exactly them. (Batching complete
  /// trials in number order told generation 1 trials 5, 6, 7, 8 — one drawn from the
  /// generation before.) The state is checked against a strategy told those batches by
  /// hand.
  @Test func eachGenerationIsToldTheTrialsDrawnFromIt() throws {
    let space: [String: Distribution] = ["x": .float(low: -5, high: 5, log: false, step: nil)]
    let sampler = try CMAESSampler(seed: 3, populationSize: 4, space: space)
    let study = Study(sampler: sampler)
    for _ in 0..<5 {
      let wave = [try study.ask(), try study.ask()]
      for trial in wave {
        let x = try trial.suggestFloat("x", -5...5)
        if trial.number == 1 {
          try study.tell(trial, state: .failed, error: "failed on purpose")
        } else {
          try study.tell(trial, value: (x - 1) * (x - 1))
        }
      }
    }
    let trials = study.trials
    let generations = trials.map { $0.userAttributes[CMAESSampler.generationAttribute] }
    #expect(generations == ["0", "0", "0", "0", "0", "0", "1", "1", "1", "1"])
    func batch(_ numbers: [Int]) -> [(point: [Double], value: Double)] {
      numbers.map { n in
        guard case .double(let x)? = trials[n].parameters["x"] else { return ([.nan], .nan) }
        return ([(x + 5) / 10], trials[n].value ?? .nan)
      }
    }
    var expected = try CMAEvolutionStrategy(mean: [0.5], sigma: 1.0 / 6, populationSize: 4)
    try expected.tell(batch([0, 2, 3, 4]))
    try expected.tell(batch([6, 7, 8, 9]))
    let (replayed, told) = try sampler.replay(trials, names: ["x"], [try #require(space["x"])], .minimize)
    #expect(told == 2)
    #expect(replayed.mean == expected.mean && replayed.sigma == expected.sigma)
  }

  /// A study from before the generation attribute, resumed: its trials are told first, in
  /// number order, and the new trials' generations continue from there (the first new
  /// trial records generation 2 after 10 old trials with λ = 4), so the old history is
  /// kept rather than dropped for the one new trial that names a generation.
  @Test func aResumedStudyFromBeforeTheAttributeKeepsItsGenerations() throws {
    let space: [String: Distribution] = ["x": .float(low: -5, high: 5, log: false, step: nil)]
    let sampler = try CMAESSampler(seed: 5, populationSize: 4, space: space)
    let study = Study(sampler: sampler)
    try study.optimize(trials: 10) { trial in
      let x = try trial.suggestFloat("x", -5...5)
      return (x - 1) * (x - 1)
    }
    let old = study.trials.map { trial -> FrozenTrial in
      var stripped = trial
      stripped.userAttributes[CMAESSampler.generationAttribute] = nil
      return stripped
    }
    let distribution = try #require(space["x"])
    let (before, toldBefore) = try sampler.replay(old, names: ["x"], [distribution], .minimize)
    #expect(toldBefore == 2)
    let attributes = sampler.trialAttributes(trial: 10, history: old, direction: .minimize)
    #expect(attributes == [CMAESSampler.generationAttribute: "2"])
    var new = old[9]
    new.number = 10
    new.userAttributes = attributes
    let (after, toldAfter) = try sampler.replay(old + [new], names: ["x"], [distribution], .minimize)
    #expect(toldAfter == 2 && after.mean == before.mean && after.sigma == before.sigma)
  }

  /// A trial drawn before the space is known records `none` and joins no generation; a
  /// trial without the attribute that comes after recorded ones (another sampler's) is
  /// not taken for an old study's and changes nothing.
  @Test func trialsOutsideTheGenerationsAreToldToNone() throws {
    let sampler = try CMAESSampler(seed: 4, populationSize: 4)
    let study = Study(sampler: sampler)
    try study.optimize(trials: 9) { trial in
      let x = try trial.suggestFloat("x", -5...5)
      return (x - 1) * (x - 1)
    }
    let trials = study.trials
    #expect(trials[0].userAttributes[CMAESSampler.generationAttribute] == "none")
    let distribution = Distribution.float(low: -5, high: 5, log: false, step: nil)
    let (plain, told) = try sampler.replay(trials, names: ["x"], [distribution], .minimize)
    #expect(told == 2)
    var foreign = trials[8]
    foreign.number = 9
    foreign.userAttributes = [:]
    let (mixed, toldMixed) = try sampler.replay(trials + [foreign], names: ["x"], [distribution], .minimize)
    #expect(toldMixed == 2 && mixed.mean == plain.mean && mixed.sigma == plain.sigma)
  }

  /// A repeated configuration recorded as a copy keeps the generation it was drawn from,
  /// not the original's (already told) one, so the copy counts for its own generation.
  @Test func aDuplicateCopyKeepsItsOwnGeneration() throws {
    let space: [String: Distribution] = ["n": .int(low: 0, high: 9, log: false, step: 1)]
    let study = Study(sampler: try CMAESSampler(seed: 2, populationSize: 2, space: space))
    let objective: @Sendable (Trial) throws -> Double = { trial in
      let n = try trial.suggestInt("n", 0...9)
      try trial.refuseDuplicate()
      return Double((n - 4) * (n - 4))
    }
    try study.enqueue(["n": .int(3)])
    try study.optimize(trials: 2, objective)
    try study.enqueue(["n": .int(3)])
    try study.optimize(trials: 1, objective)
    let trials = study.trials
    #expect(trials[2].userAttributes[FrozenTrial.duplicateOfAttribute] == "0")
    #expect(trials[0].userAttributes[CMAESSampler.generationAttribute] == "0")
    #expect(trials[2].userAttributes[CMAESSampler.generationAttribute] == "1")
  }

  /// A declared parameter suggested with another distribution fails the trial, saying
  /// so, for CMA-ES and Sobol alike: unmatched, it was drawn at random all study long.
  @Test func aParameterSuggestedUnlikeTheDeclaredSpaceIsRefused() throws {
    let space: [String: Distribution] = ["x": .float(low: -5, high: 5, log: false, step: nil)]
    for sampler in [try CMAESSampler(seed: 1, space: space) as any Sampler, SobolSampler(seed: 1, space: space)] {
      let study = Study(sampler: sampler)
      try study.optimize(trials: 2) { try $0.suggestFloat("x", -5...5, step: 0.5) }
      #expect(study.trials.allSatisfy { $0.state == .failed })
      #expect(study.trials.first?.error?.contains("the sampler's declared space has") == true)
      try study.optimize(trials: 1) { try $0.suggestFloat("x", -5...5) }
      #expect(study.trials.last?.state == .complete)
    }
  }

  /// The real values of `name` in the study's last twelve trials, which have it.
  static func lastValues(of name: String, in study: Study) -> [Double] {
    study.trials.suffix(12).compactMap { trial -> Double? in
      if case .double(let x)? = trial.parameters[name] { return x }
      return nil
    }
  }

  /// A declared parameter the objective never suggests is left out of the model once
  /// trials complete: the search still converges on the one it does use (before, every
  /// trial lacked the declared one, none was usable, and the candidates came from the
  /// first generation — centred on 0.5 of the range — all study long).
  @Test func aDeclaredParameterNeverSuggestedIsNotModelled() throws {
    let space: [String: Distribution] = [
      "x": .float(low: 0, high: 1, log: false, step: nil), "unused": .float(low: 0, high: 1, log: false, step: nil),
    ]
    let study = Study(sampler: try CMAESSampler(seed: 2, populationSize: 6, space: space))
    try study.optimize(trials: 90) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      return (x - 0.9) * (x - 0.9)
    }
    let last = Self.lastValues(of: "x", in: study)
    #expect(last.count == 12)
    #expect(last.allSatisfy { abs($0 - 0.9) < 0.05 }, "\(last)")
  }

  /// A declared parameter suggested only by some trials (here `y`, when `x > 0.8`) is left
  /// out once a complete trial lacks it, and stays out: were it taken back in when a trial
  /// has it, every earlier trial would turn unusable and the search would restart.
  @Test func aConditionalDeclaredParameterIsNotModelled() throws {
    let space: [String: Distribution] = [
      "x": .float(low: 0, high: 1, log: false, step: nil), "y": .float(low: 0, high: 1, log: false, step: nil),
    ]
    let study = Study(sampler: try CMAESSampler(seed: 2, populationSize: 6, space: space))
    try study.optimize(trials: 90) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      let y = x > 0.8 ? try trial.suggestFloat("y", 0...1) : 0
      return (x - 0.9) * (x - 0.9) + 0.01 * y
    }
    let last = Self.lastValues(of: "x", in: study)
    #expect(last.count == 12)
    #expect(last.allSatisfy { abs($0 - 0.9) < 0.05 }, "\(last)")
    // Generations only ever grow: no trial records an earlier one than a trial before it.
    let generations = study.trials.compactMap { $0.userAttributes[CMAESSampler.generationAttribute].flatMap(Int.init) }
    #expect(generations == generations.sorted())
  }

  /// A record added mid-study lacking a declared parameter is ignored by the replay, and
  /// so does not drop that parameter from the model: the search still converges on it.
  @Test func aRecordAddedLaterDoesNotShrinkTheModel() throws {
    let unit = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let study = Study(sampler: try CMAESSampler(seed: 4, populationSize: 6, space: ["x": unit, "y": unit]))
    let objective: @Sendable (Trial) throws -> Double = { trial in
      let (x, y) = (try trial.suggestFloat("x", 0...1), try trial.suggestFloat("y", 0...1))
      return (x - 0.9) * (x - 0.9) + (y - 0.2) * (y - 0.2)
    }
    try study.optimize(trials: 12, objective)
    try study.addTrial(
      FrozenTrial(number: 0, state: .complete, value: 5, parameters: ["x": .double(0.1)], distributions: ["x": unit]))
    try study.optimize(trials: 100, objective)
    let last = Self.lastValues(of: "y", in: study)
    #expect(last.count == 12)
    #expect(last.allSatisfy { abs($0 - 0.2) < 0.05 }, "\(last)")
  }

  /// Log, stepped and integer parameters stay inside their distributions, categorical
  /// and conditional ones are sampled at random, a declared space is used from trial 0,
  /// and a seeded study reproduces (also in parallel waves, with IPOP restarts allowed).
  @Test(arguments: [1, 3])
  func staysInsideTheSpaceAndReproduces(parallelism: Int) throws {
    func run(_ sampler: CMAESSampler) throws -> [FrozenTrial] {
      let study = Study(sampler: sampler)
      try study.optimize(trials: 45, parallelism: parallelism) { try StudyTests.objective($0) }
      return study.trials.map {
        var t = $0
        t.seconds = 0
        return t
      }
    }
    let sampler = try CMAESSampler(seed: 8, populationSize: 6, restarts: 2)
    let trials = try run(sampler)
    for trial in trials {
      #expect(trial.state == .complete)
      for (name, value) in trial.parameters {
        let distribution = try #require(trial.distributions[name])
        #expect(distribution.contains(value), "\(name) = \(value) outside \(distribution)")
      }
    }
    #expect(try run(sampler) == trials)
    #expect(try run(CMAESSampler(seed: 9, populationSize: 6)) != trials)

    let space: [String: Distribution] = [
      "rate": .float(low: 1e-4, high: 1, log: true, step: nil), "leaves": .int(low: 4, high: 64, log: false, step: 4),
      "kind": .categorical(["a", "b"]),
    ]
    let declared = try CMAESSampler(seed: 1, space: space)
    let first = declared.sampleJointly(trial: 0, history: [], direction: .minimize)
    // Numeric parameters only; the first candidate is drawn around the cube's centre.
    #expect(Set(first.keys) == ["rate", "leaves"])
    for (name, choice) in first { #expect(space[name]?.contains(choice.1) == true) }
    #expect(throws: TuningError.self) { try CMAESSampler(sigma0: 0) }
    #expect(throws: TuningError.self) { try CMAESSampler(populationSize: 1) }
  }
}

/// The sampler's own eigendecomposition against LAPACK's (dsyevd) and the definition.
@Suite("CMA-ES eigendecomposition")
struct CMAESEigenTests {
  @Test(arguments: [1, 2, 5, 12])
  func jacobiAgreesWithLAPACK(size: Int) throws {
    var rng = Xoshiro256StarStar(seed: UInt64(size))
    var b = Matrix(rows: size, columns: size)
    for i in 0..<size { for j in 0..<size { b[i, j] = rng.nextGaussian() } }
    // A = BᵀB + I is symmetric positive definite.
    var a = Matrix(rows: size, columns: size)
    for i in 0..<size {
      for j in 0..<size {
        a[i, j] = (0..<size).reduce(i == j ? 1 : 0) { $0 + b[$1, i] * b[$1, j] }
      }
    }
    let (values, vectors) = try CMAEvolutionStrategy.jacobiEigendecomposition(a)
    let reference = try SymmetricEigendecomposition(a)
    let scale = reference.values.map(abs).max() ?? 1
    for k in 0..<size {
      // Eigenvalues agree to round-off of the largest one.
      #expect(abs(values[k] - reference.values[k]) <= 1e-12 * scale)
      // A v = λ v for every column.
      for i in 0..<size {
        let av = (0..<size).reduce(0.0) { $0 + a[i, $1] * vectors[$1, k] }
        #expect(abs(av - values[k] * vectors[i, k]) <= 1e-11 * scale)
      }
    }
  }
}
