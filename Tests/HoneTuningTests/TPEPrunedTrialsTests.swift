import Foundation
import HoneCore
import Testing

@testable import HoneTuning

/// Pruned trials inform TPE as Optuna's do: they count for start-up and join the model
/// ranked after every complete trial — by how far they got, then by their value there —
/// so the regions they tried weigh in the "above" density.
@Suite("TPE with pruned trials")
struct TPEPrunedTrialsTests {
  static let space: [String: Distribution] = [
    "x": .float(low: -5, high: 5, log: false, step: nil), "y": .float(low: 0, high: 1, log: false, step: nil),
  ]

  static func trial(
    _ number: Int, x: Double, y: Double, state: FrozenTrial.State, value: Double? = nil, steps: [Int: Double] = [:]
  ) -> FrozenTrial {
    FrozenTrial(
      number: number, state: state, value: value, parameters: ["x": .double(x), "y": .double(y)],
      distributions: space, intermediateValues: steps)
  }

  /// Fifteen complete trials, then ten more at other points: pruned in `a`, complete with
  /// values worse than every complete one in `b` (in the order the pruned ones rank).
  static func histories() -> (pruned: [FrozenTrial], completed: [FrozenTrial], completeOnly: [FrozenTrial]) {
    var rng = Xoshiro256StarStar(seed: 5)
    var base: [FrozenTrial] = []
    for n in 0..<15 {
      let (x, y) = (10 * rng.nextUnitDouble() - 5, rng.nextUnitDouble())
      base.append(trial(n, x: x, y: y, state: .complete, value: x * x + y))
    }
    var pruned: [FrozenTrial] = []
    var completed: [FrozenTrial] = []
    // Pruned at steps 1…3 with distinct values: their rank (later step first, then the
    // smaller value) is fixed, and the complete stand-ins carry values in that order.
    let extra = (15..<25).map { n in
      (n, 4 + rng.nextUnitDouble(), rng.nextUnitDouble(), 1 + n % 3, Double(n))
    }
    let ranked = extra.sorted { ($0.3, -$0.4) > ($1.3, -$1.4) }
    for (n, x, y, step, value) in ranked {
      pruned.append(trial(n, x: x, y: y, state: .pruned, steps: [step: value]))
    }
    for (rank, (n, x, y, _, _)) in ranked.enumerated() {
      completed.append(trial(n, x: x, y: y, state: .complete, value: 1000 + Double(rank)))
    }
    let byNumber: ([FrozenTrial]) -> [FrozenTrial] = { $0.sorted { $0.number < $1.number } }
    return (byNumber(base + pruned), byNumber(base + completed), base)
  }

  /// With the pruned trials in "above" (γ of 25 is 3, all complete), the model is the one
  /// that stand-in complete trials ranked last would give: the same choices, bit for bit.
  /// Leaving them out (what the sampler did before) gives other choices.
  @Test(arguments: [true, false])
  func prunedTrialsJoinTheModelAsTheWorstRanked(multivariate: Bool) {
    let (pruned, completed, completeOnly) = Self.histories()
    let sampler = TPESampler(seed: 3, multivariate: multivariate)
    func choices(_ history: [FrozenTrial]) -> [Double] {
      (30..<40).flatMap { trial -> [Double] in
        var out: [Double] = []
        let joint = sampler.sampleJointly(trial: trial, history: history, direction: .minimize)
        for name in ["x", "y"] {
          guard let distribution = Self.space[name] else { continue }
          let value =
            joint[name]?.1 ?? sampler.sample(name, distribution, trial: trial, history: history, direction: .minimize)
          if case .double(let v) = value { out.append(v) }
        }
        return out
      }
    }
    let withPruned = choices(pruned)
    #expect(withPruned.count == 20)
    #expect(withPruned == choices(completed))
    #expect(withPruned != choices(completeOnly))
  }

  /// Optuna's ranking of pruned trials, minimising: the later last step first, then the
  /// smaller value at it, NaN after numbers, no intermediate values last.
  @Test func prunedTrialsRankByStepThenValue() {
    let history = [
      Self.trial(0, x: 0, y: 0, state: .pruned, steps: [3: 0.5]),
      Self.trial(1, x: 0, y: 0, state: .pruned, steps: [2: 0.1, 5: 0.9]),
      Self.trial(2, x: 0, y: 0, state: .pruned),
      Self.trial(3, x: 0, y: 0, state: .pruned, steps: [5: .nan]),
      Self.trial(4, x: 0, y: 0, state: .pruned, steps: [5: 0.2]),
    ]
    #expect(TPESampler.prunedOrder(Array(0..<5), history: history, direction: .minimize) == [4, 1, 3, 0, 2])
    // Maximising, the larger value at the last step ranks first.
    #expect(TPESampler.prunedOrder(Array(0..<5), history: history, direction: .maximize) == [1, 4, 3, 0, 2])
  }

  /// Start-up counts pruned trials: four complete and six pruned end the ten random
  /// trials, as in Optuna.
  @Test func prunedTrialsCountForStartup() {
    let complete = (0..<4).map { Self.trial($0, x: Double($0), y: 0.5, state: .complete, value: Double($0)) }
    let pruned = (4..<10).map { Self.trial($0, x: -Double($0) / 2, y: 0.2, state: .pruned, steps: [0: 9]) }
    let sampler = TPESampler(seed: 1)
    #expect(sampler.sampleJointly(trial: 10, history: complete + pruned, direction: .minimize).count == 2)
    #expect(sampler.sampleJointly(trial: 10, history: complete + pruned.dropLast(), direction: .minimize).isEmpty)
  }

  /// A conditional parameter is modelled from the study-wide split, as in Optuna: 15
  /// complete trials end start-up although only the 5 that took branch "A" have `a`. All
  /// of those are among the worse trials and put `a` near 0.9, so the "below" density of
  /// `a` is its prior alone and the "above" one peaks at 0.9: TPE steers `a` away from
  /// 0.9. Before, `a` stayed at its start-up draws until 10 trials had it, and a split
  /// among those 5 alone would have put the best of them "below", near 0.9.
  @Test func aConditionalParameterIsModelledFromTheStudyWideSplit() {
    let branch = Distribution.categorical(["A", "B"])
    let a = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let history = (0..<15).map { n -> FrozenTrial in
      let takesA = n % 3 == 0
      var parameters: [String: ParameterValue] = ["c": .string(takesA ? "A" : "B")]
      var distributions: [String: Distribution] = ["c": branch]
      if takesA {
        parameters["a"] = .double(0.88 + 0.005 * Double(n % 5))
        distributions["a"] = a
      }
      // Branch A scores 10 and up, branch B below 1: A's trials are all "above".
      return FrozenTrial(
        number: n, state: .complete, value: takesA ? 10 + Double(n) : Double(n) / 20, parameters: parameters,
        distributions: distributions)
    }
    let sampler = TPESampler(seed: 2, multivariate: false)
    for trial in 15..<25 {
      guard case .double(let x) = sampler.sample("a", a, trial: trial, history: history, direction: .minimize) else {
        Issue.record("not a float")
        continue
      }
      #expect(x < 0.75, "trial \(trial): a = \(x)")
    }
  }
}
