import HonePipeline

/// The cross-validation scheme used while tuning, one of HonePipeline's splitters.
///
/// ```yaml
/// split: {purged: {folds: 5, embargo: 0.01}}
/// ```
public enum SplitConfiguration: Codable, Sendable, Equatable {
  /// ``KFold``; `shuffle` draws the row order from the run's seed.
  case kfold(folds: Int, shuffle: Bool)
  /// ``StratifiedKFold``; classification only.
  case stratified(folds: Int, shuffle: Bool)
  /// ``TimeSeriesSplit``.
  case timeSeries(splits: Int, maxTrainSize: Int?, testSize: Int?, gap: Int)
  /// ``WalkForwardSplit``.
  case walkForward(window: WalkForwardSplit.Window, testSize: Int, step: Int?, gap: Int)
  /// ``PurgedKFold`` (López de Prado 2018, ch. 7).
  case purged(folds: Int, embargo: Double)
  /// ``CombinatorialPurgedKFold`` with `groups` groups, `testGroups` of them tested per split.
  case combinatorialPurged(groups: Int, testGroups: Int, embargo: Double)

  /// Purged 5-fold with a 1 % embargo: safe for overlapping labels, and equal to
  /// contiguous k-fold (bar the embargo) for targets that do not span time.
  public static let `default` = SplitConfiguration.purged(folds: 5, embargo: 0.01)

  /// The scheme names as a config writes them.
  public static let names = ["kfold", "stratified", "timeSeries", "walkForward", "purged", "combinatorialPurged"]

  /// The scheme's name as a config writes it.
  public var name: String {
    switch self {
    case .kfold: "kfold"
    case .stratified: "stratified"
    case .timeSeries: "timeSeries"
    case .walkForward: "walkForward"
    case .purged: "purged"
    case .combinatorialPurged: "combinatorialPurged"
    }
  }

  /// Whether the splitter needs each row's label interval (``SplitData/labelIntervals``).
  public var needsLabelIntervals: Bool {
    switch self {
    case .purged, .combinatorialPurged: true
    default: false
    }
  }

  /// The splitter this section describes.
  ///
  /// - Parameter seed: The seed of the row shuffle for `kfold`/`stratified` with `shuffle`.
  /// - Returns: A splitter ready for ``Splitter/splits(for:)``.
  public func makeSplitter(seed: UInt64) -> any Splitter {
    switch self {
    case .kfold(let folds, let shuffle): KFold(folds: folds, shuffleSeed: shuffle ? seed : nil)
    case .stratified(let folds, let shuffle): StratifiedKFold(folds: folds, shuffleSeed: shuffle ? seed : nil)
    case .timeSeries(let splits, let maxTrainSize, let testSize, let gap):
      TimeSeriesSplit(splits: splits, maxTrainSize: maxTrainSize, testSize: testSize, gap: gap)
    case .walkForward(let window, let testSize, let step, let gap):
      WalkForwardSplit(window: window, testSize: testSize, step: step, gap: gap)
    case .purged(let folds, let embargo): PurgedKFold(folds: folds, embargo: embargo)
    case .combinatorialPurged(let groups, let testGroups, let embargo):
      CombinatorialPurgedKFold(groupCount: groups, testGroupCount: testGroups, embargo: embargo)
    }
  }
}

extension RunConfiguration {
  /// The cross-validation splitter of this run, shuffled (where asked) by the run's seed.
  public var splitter: any Splitter { split.makeSplitter(seed: seed) }
}
