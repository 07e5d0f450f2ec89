/// Which validation values decide early stopping
/// (``GradientBoostingHyperparameters/earlyStoppingCriterion``).
///
/// Every value of every validation set is recorded whatever the criterion; the criterion
/// only chooses the ones watched. Training stops as soon as one watched value has gone
/// ``GradientBoostingHyperparameters/earlyStoppingRounds`` rounds without a strict
/// improvement, and the model keeps that value's best round. When the rounds run out
/// first, the model keeps the best round of the first watched value — LightGBM's Python
/// package does the same.
public enum EarlyStoppingCriterion: String, Codable, Sendable, CaseIterable {
  /// Only the first metric on the first validation set; the other sets and metrics are
  /// recorded for reading, not for stopping.
  case first
  /// The first metric on every validation set (LightGBM `first_metric_only = true`).
  case firstMetric = "first_metric"
  /// Every metric on every validation set (LightGBM's default, `first_metric_only = false`).
  case every
}

/// The early-stopping bookkeeping of one fit, separate from the booster so that a
/// hand-written history can drive it: the best value and round of every (validation set,
/// metric) pair, and the rule that ends training (LightGBM's `early_stopping` callback,
/// with `min_delta = 0`).
struct EarlyStopping {
  /// One recorded value of one round.
  struct Value {
    var set: Int
    var metric: Int
    var value: Double
    var higherIsBetter: Bool
  }

  let patience: Int
  let criterion: EarlyStoppingCriterion
  private var best: [Double] = []
  private var bestRound: [Int] = []
  private var firstWatched: Int?

  /// - Parameters:
  ///   - patience: Rounds without improvement that end training; at least 1.
  ///   - criterion: Which pairs are watched.
  init(patience: Int, criterion: EarlyStoppingCriterion) {
    self.patience = patience
    self.criterion = criterion
  }

  private func watches(_ value: Value) -> Bool {
    switch criterion {
    case .first: return value.set == 0 && value.metric == 0
    case .firstMetric: return value.metric == 0
    case .every: return true
    }
  }

  /// Records one round's values, in set-major order, and says whether to stop.
  ///
  /// On the last round the first watched pair decides, as in LightGBM's callback, whose
  /// final-round check raises before later pairs are looked at.
  ///
  /// - Parameters:
  ///   - round: The round, from 1.
  ///   - values: Every (set, metric) value of the round, the same pairs in the same order each round.
  ///   - isLast: Whether this is the last round training would run.
  /// - Returns: The round to keep when training ends now, else `nil`.
  mutating func record(round: Int, values: [Value], isLast: Bool = false) -> Int? {
    let first = best.isEmpty
    for (index, entry) in values.enumerated() {
      if first {
        best.append(entry.value)
        bestRound.append(round)
        if firstWatched == nil && watches(entry) { firstWatched = index }
      } else if entry.higherIsBetter ? entry.value > best[index] : entry.value < best[index] {
        best[index] = entry.value
        bestRound[index] = round
      }
      if watches(entry) && (round - bestRound[index] >= patience || isLast) { return bestRound[index] }
    }
    return nil
  }

  /// The round to keep when training ended without the rule firing (a callback stopped
  /// it): the first watched pair's best, or `nil` before any round was recorded.
  var finalBestRound: Int? { firstWatched.map { bestRound[$0] } }
}
