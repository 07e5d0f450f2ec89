import HoneCore

/// The random draws of every boosting round, from one seeded generator so that a seed
/// means the same model for every objective and thread count: the bagged rows
/// (LightGBM `bagging_fraction`, redrawn every `bagging_freq` rounds) and the feature
/// subset (`feature_fraction`, redrawn every round).
///
/// A round that redraws the rows first keeps each row with probability `rowSubsample`
/// (one random row if none was kept); then, when the subset is smaller than all features,
/// it shuffles the features and keeps the first `featureCount`, sorted. With a frequency
/// of 1 the draws are those of every earlier Hone release.
struct RoundSampler {
  private var random: Xoshiro256StarStar
  private let rows: Int
  private let rowSubsample: Double
  private let frequency: Int
  private let allFeatures: [Int]
  private let featureCount: Int
  private var sample: [Int32]?

  /// - Parameters:
  ///   - seed: The seed.
  ///   - rows: Training rows.
  ///   - features: Training features.
  ///   - rowSubsample: The bagging fraction in (0, 1]; 1 turns bagging off.
  ///   - frequency: Redraw the rows every this many rounds; 0 turns bagging off.
  ///   - columnSubsample: The feature fraction in (0, 1].
  init(seed: UInt64, rows: Int, features: Int, rowSubsample: Double, frequency: Int, columnSubsample: Double) {
    self.random = Xoshiro256StarStar(seed: seed)
    self.rows = rows
    self.rowSubsample = frequency > 0 ? rowSubsample : 1
    self.frequency = max(frequency, 1)
    self.allFeatures = Array(0..<features)
    self.featureCount = max(1, Int((columnSubsample * Double(features)).rounded()))
  }

  /// The draws of one round.
  ///
  /// - Parameter round: The round, from 1; rounds are drawn in order.
  /// - Returns: The bagged rows in increasing order (`nil` without bagging) and the
  ///   features the round's trees may split on, in increasing order.
  mutating func next(round: Int) -> (sample: [Int32]?, features: [Int]) {
    if rowSubsample < 1 && (round - 1) % frequency == 0 {
      var kept: [Int32] = []
      kept.reserveCapacity(Int(Double(rows) * rowSubsample) + 16)
      for i in 0..<rows where random.nextUnitDouble() < rowSubsample { kept.append(Int32(i)) }
      sample = kept.isEmpty ? [Int32(random.nextInt(below: rows))] : kept
    }
    var features = allFeatures
    if featureCount < allFeatures.count {
      random.shuffle(&features)
      features = Array(features[..<featureCount]).sorted()
    }
    return (sample, features)
  }
}
