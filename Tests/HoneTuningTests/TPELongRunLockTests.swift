import Foundation
import HoneTuning
import Testing

/// Locks seeded TPE studies long enough for the joint model's incremental state to matter:
/// past 250 trials the "below" group stays at 25 while the "above" group grows by one
/// trial per ask, the older observations' weights ramp down, and the parameters sit on
/// coarse grids and the objective on quarter steps, so positions and values tie often
/// and the order in which ties are broken decides the bandwidths.
///
/// The expected positions were printed by `main` at commit 5438cb9, which rebuilt the
/// model from the whole history at every ask: the reference is that earlier
/// implementation, not the code under test. Swift's shortest round-trip formatting makes
/// them exact.
@Suite("TPE sampler long-run lock")
struct TPELongRunLockTests {
  /// Integer, stepped and log-scaled parameters with few distinct positions, and a
  /// continuous one, rounded to quarters so many trials share a value.
  static func objective(_ trial: Trial) throws -> Double {
    let a = try trial.suggestInt("a", 0...12)
    let b = try trial.suggestInt("b", 1...64, log: true)
    let c = try trial.suggestFloat("c", 0...1, step: 0.125)
    let x = try trial.suggestFloat("x", -5...10)
    let value = Double((a - 7) * (a - 7)) + log2(Double(b)) + 4 * (c - 0.625) * (c - 0.625) + abs(x - 1)
    return (value * 4).rounded() / 4
  }

  /// The trials whose `x` is compared: every tenth. `x` is continuous, so any changed
  /// choice earlier on — which changes every later draw — shows in it, where the rounded
  /// objective could repeat by chance.
  static let checked = Array(stride(from: 9, to: 300, by: 10))

  static let expected: [String: [Double]] = [
    "minimize": [
      -3.6259825143457403, 4.337381104468211, -3.827572714509661,
      1.3551439283415594, -2.5148025233272935, 1.4517432375951222,
      -0.3607565776617807, 1.1174553770857205, 1.7473641087382383,
      0.2559635754407463, 2.0766307583547023, 1.7530564320265434,
      1.2405252102414013, 0.9869773413240436, 0.4788236707664736,
      0.9761818299827671, 0.30694151551330273, 1.6574135418538192,
      1.2834464456558203, 0.35524499648750485, 1.0643963101017713,
      0.901341239059919, 0.6924983893162215, 0.997944686094818,
      0.5316798878281344, 0.777829454658675, 1.3881266132179926,
      0.6496193637900757, 0.810151470271436, 1.3718766067006603,
    ],
    "maximize": [
      -3.6259825143457403, -2.431756654957248, -4.830223984705771,
      -3.8994193962116714, -4.165900580532514, -4.61066072706982,
      -4.927702705013386, -3.4502465757543472, -3.1207075739746983,
      -4.050530252273915, -4.002098772282646, -4.283007719120104,
      -4.348498663445213, -4.674981342170678, -3.985817179927202,
      -4.5509548604897985, -4.583772839435774, -4.095391239228847,
      -4.691867146574971, -4.440172691514139, -4.626021709634489,
      -4.74839450417301, -4.3884748963633236, -3.8058672267842453,
      -4.872128219619809, -4.8192151727562305, -3.8005471732286624,
      -4.850460874531565, -4.2587765638019475, -4.268062376304638,
    ],
    "waves": [
      -3.6259825143457403, -3.1047654167592675, 3.959590230107895,
      0.8913022260096213, 1.0899622949580456, 1.761215635027291,
      1.868533819881241, 2.082622218971629, 0.22894183464251872,
      1.6738278971075806, 0.844097467647302, 0.043665585536287965,
      1.4867570977560471, 1.5508063986164546, 1.1463269318885785,
      1.9681889824477579, 0.582576375752179, 1.0698262714519868,
      1.2931164629498362, 0.49839775292367694, 0.8908586236113684,
      1.6088842790541722, 0.4552508930713351, 0.8377713399814822,
      0.3856402548888692, 1.080427614620705, 1.045753321508007,
      0.3893128186503447, 0.9324670091941727, 1.3878186151817384,
    ],
  ]

  /// Exact equality on purpose: the incremental model promises the same floating-point
  /// operations in the same order as the rebuild, hence the same bits. The recording
  /// predates the narrower "below" kernels, so the sampler gets the widths it had then.
  @Test(arguments: ["minimize", "maximize", "waves"])
  func seededStudiesMatchTheRecordedRun(configuration: String) throws {
    let direction: Direction = configuration == "maximize" ? .maximize : .minimize
    let study = Study(
      direction: direction, sampler: try TPESampler(seed: 3, belowBandwidthFactor: 1, startupDesign: .random))
    try study.optimize(trials: 300, parallelism: configuration == "waves" ? 3 : 1) { try Self.objective($0) }
    let trials = study.trials
    let expected = try #require(Self.expected[configuration])
    #expect(trials.count == 300)
    #expect(expected.count == Self.checked.count)
    for (number, reference) in zip(Self.checked, expected) {
      let x = try #require(trials[number].parameters["x"])
      #expect(x == .double(reference), "trial \(number): x = \(x), recorded \(reference)")
    }
  }
}

/// The state a sampler keeps between asks is only a saving: when the history handed in no
/// longer extends the one it was built from, the choice is the one a fresh sampler makes
/// from that history alone.
@Suite("TPE sampler kept state")
struct TPEKeptStateTests {
  static let distributions: [String: Distribution] = [
    "u": .float(low: 0, high: 1, log: false, step: nil), "k": .int(low: 1, high: 9, log: false, step: 1),
  ]

  /// Complete trials 0..<count with pseudo-random positions (a fixed linear congruence, so
  /// `u` repeats rarely and `k` often) and value `u + k / 10`.
  static func history(count: Int) -> [FrozenTrial] {
    (0..<count).map { number in
      let u = Double((number * 37 + 11) % 101) / 100
      let k = (number * 5 + 3) % 9 + 1
      return FrozenTrial(
        number: number, state: .complete, value: u + Double(k) / 10,
        parameters: ["u": .double(u), "k": .int(k)], distributions: distributions)
    }
  }

  static func choice(_ sampler: TPESampler, _ history: [FrozenTrial], trial: Int) -> [String: ParameterValue] {
    sampler.sampleJointly(trial: trial, history: history, direction: .minimize).mapValues(\.1)
  }

  /// Each case starts from the same 60 trials, which the shared sampler has seen, then
  /// changes the history the way a rewritten or different store could.
  @Test(arguments: ["value changed", "position changed", "trial removed", "trials added", "numbers out of order"])
  func aChangedHistoryGivesTheFreshSamplersChoice(change: String) throws {
    let shared = TPESampler(seed: 4)
    var history = Self.history(count: 60)
    _ = Self.choice(shared, history, trial: 60)
    switch change {
    case "value changed": history[17].value = -1
    case "position changed":
      // The best trial's: a component of the "below" density moves, which every draw uses.
      let best = try #require(history.indices.min { (history[$0].value ?? 0) < (history[$1].value ?? 0) })
      history[best].parameters["u"] = .double(0.97)
    case "trial removed": history.remove(at: 30)
    case "trials added": history = Self.history(count: 75)
    default: history.swapAt(10, 11)
    }
    let fresh = Self.choice(TPESampler(seed: 4), history, trial: 61)
    #expect(fresh.count == 2)
    #expect(Self.choice(shared, history, trial: 61) == fresh)
  }
}
