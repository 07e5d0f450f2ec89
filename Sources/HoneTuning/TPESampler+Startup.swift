import HoneCore

extension TPESampler {
  /// Where the trials before the model takes over (``TPESampler/startupTrials``) are placed.
  public enum StartupDesign: Sendable, Equatable, Codable {
    /// Independent uniform draws on each parameter's internal scale, as Optuna's TPE
    /// starts.
    case random
    /// A scrambled Sobol sequence (Sobol' 1967; Owen 1995): trial `i` takes point `i`, so the
    /// start-up trials cover the box more evenly than independent draws do. Each parameter
    /// takes the coordinate of the sequence its name selects, randomised with its own key
    /// from the seed and the name. Parameters appear one at a time in a define-by-run
    /// space, so the coordinate comes from the name rather than from a position in the
    /// space: two parameters whose names select the same coordinate are each still spread
    /// evenly along their own range, only their joint spread is that of a random pairing.
    case sobol(SobolSequence.Scrambling)
  }

  /// The value of `name` at start-up for trial `trial` under `startupDesign`, or `nil` for
  /// the random design (whose draw comes from the caller's generator).
  func startupValue(_ name: String, _ distribution: Distribution, trial: Int) -> ParameterValue? {
    guard case .sobol(let scrambling) = startupDesign else { return nil }
    return distribution.value(atUnit: Self.startupCoordinate(name, trial: trial, seed: seed, scrambling: scrambling))
  }

  /// The Sobol coordinate of parameter `name` at trial `trial`: point `trial` (the trial's
  /// sampling index, so parallel and resumed studies reproduce it) of the coordinate the
  /// name's FNV-1a hash selects, scrambled with a key from the seed and the hash.
  static func startupCoordinate(
    _ name: String, trial: Int, seed: UInt64, scrambling: SobolSequence.Scrambling
  ) -> Double {
    let hash = startupNameHash(name)
    var mixer = SplitMix64(seed: seed ^ hash ^ 0x7470_6532_7374_6172)
    let key = UInt32(truncatingIfNeeded: mixer.next() >> 32)
    return SobolSequence.coordinate(
      trial, dimension: startupDimension(name), scrambling: scrambling, key: key)
  }

  /// The sequence coordinate parameter `name` takes: its hash modulo the table's
  /// dimensions.
  static func startupDimension(_ name: String) -> Int {
    Int(startupNameHash(name) % UInt64(SobolSequence.maximumDimensions))
  }

  /// FNV-1a over the name's UTF-8 bytes: the same in every process, which Swift's
  /// `Hasher` is not.
  static func startupNameHash(_ name: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
  }
}
