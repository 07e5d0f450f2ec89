import HoneCore

/// Small deterministic tables for the catalog and tuner tests.
enum TestTables {
  /// `n` rows: a float feature with one missing value, an integer feature, a categorical
  /// feature with one missing value, a timestamp (dropped by every preprocessing), a
  /// regression target `y` and a binary target `label` that both depend on the features.
  static func mixed(rows n: Int = 48, seed: UInt64 = 11) throws -> Table {
    var rng = Xoshiro256StarStar(seed: seed)
    var x1: [Double] = []
    var x2: [Int64] = []
    var color: [String?] = []
    var y: [Double] = []
    var label: [Int64] = []
    let colors = ["red", "green", "blue"]
    for i in 0..<n {
      let a = rng.nextGaussian()
      let b = Int64(rng.nextInt(below: 5))
      let c = colors[rng.nextInt(below: 3)]
      let signal = 1.5 * a - 0.4 * Double(b) + (c == "red" ? 1 : 0)
      x1.append(i == 3 ? .nan : a)
      x2.append(b)
      color.append(i == 5 ? nil : c)
      y.append(signal + 0.3 * rng.nextGaussian())
      label.append(signal + 0.5 * rng.nextGaussian() > 0 ? 1 : 0)
    }
    return try Table([
      .float("x1", x1), .integer("x2", x2), .categorical("color", color),
      .timestamp("time", nanosecondsSinceEpoch: (0..<n).map { Int64($0) * 86_400_000_000_000 }),
      .float("y", y), .integer("label", label),
    ])
  }

  /// `n` rows of two standard-normal features and `y = 0.3·x1 − 0.2·x2 + noise`: weak
  /// effects under strong noise, where ridge shrinkage pays.
  static func ridge(rows n: Int = 40, seed: UInt64 = 5) throws -> Table {
    var rng = Xoshiro256StarStar(seed: seed)
    var x1: [Double] = []
    var x2: [Double] = []
    var y: [Double] = []
    for _ in 0..<n {
      let a = rng.nextGaussian()
      let b = rng.nextGaussian()
      x1.append(a)
      x2.append(b)
      y.append(0.3 * a - 0.2 * b + rng.nextGaussian())
    }
    return try Table([.float("x1", x1), .float("x2", x2), .float("y", y)])
  }
}
