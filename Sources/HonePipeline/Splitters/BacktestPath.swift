/// One backtest path of combinatorial purged cross-validation: for each of the *N* groups,
/// the split whose test predictions fill that group on this path (López de Prado 2018,
/// *Advances in Financial Machine Learning*, §12.4).
///
/// Concatenating, group by group, the out-of-sample predictions of the named splits gives
/// one complete out-of-sample history over all rows; the φ paths of a
/// ``CombinatorialPurgedKFold`` give φ such histories, hence a distribution of backtest
/// statistics instead of the single one of walk-forward testing.
public struct BacktestPath: Sendable, Hashable, Codable {
  /// `splitForGroup[g]` is the index (into the splitter's splits) of the split that tests
  /// group *g* on this path.
  public let splitForGroup: [Int]

  /// Creates a path from the split index used for each group.
  ///
  /// - Parameter splitForGroup: The split index for each group, in group order.
  public init(splitForGroup: [Int]) {
    self.splitForGroup = splitForGroup
  }
}
