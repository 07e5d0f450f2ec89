/// One node of a ``PredictionTree``: 24 bytes, so a 255-leaf tree's 509 nodes fit in 12 KB.
///
/// A split sends `x[feature] ≤ threshold` to `left`, a greater value to `right`, and NaN
/// to `left` or `right` as ``defaultLeft`` says. A categorical split (``isCategorical``)
/// sends the category codes in the tree's set number `threshold` (see
/// ``PredictionTree/categorySets``) left and every other value right: other categories,
/// categories never seen in training, NaN, negative and non-integer values. A leaf has
/// `feature == -1` and keeps its value in `threshold`.
public struct PredictionNode: Codable, Sendable, Equatable {
  /// The split threshold on the raw feature value, or the leaf value.
  public var threshold: Double
  /// The split feature, or -1 for a leaf.
  public var feature: Int32
  /// The index of the left child in the tree's node array.
  public var left: Int32
  /// The index of the right child.
  public var right: Int32
  /// Whether NaN goes left.
  public var defaultLeft: Bool
  /// Whether the split is on a set of categories rather than a threshold. It fits in
  /// the padding after ``defaultLeft``, so nodes stay 24 bytes.
  public var isCategorical: Bool = false

  /// Whether the node is a leaf.
  public var isLeaf: Bool { feature < 0 }

  /// Creates a node.
  ///
  /// - Parameters:
  ///   - threshold: The split threshold, or the leaf value.
  ///   - feature: The split feature, or -1 for a leaf.
  ///   - left: The left child's index (ignored for a leaf).
  ///   - right: The right child's index (ignored for a leaf).
  ///   - defaultLeft: Whether NaN goes left.
  public init(threshold: Double, feature: Int32, left: Int32, right: Int32, defaultLeft: Bool) {
    self.threshold = threshold
    self.feature = feature
    self.left = left
    self.right = right
    self.defaultLeft = defaultLeft
  }

  /// Creates a categorical split node.
  ///
  /// - Parameters:
  ///   - categorySet: The index of the set of category codes going left in
  ///     ``PredictionTree/categorySets``.
  ///   - feature: The split feature.
  ///   - left: The left child's index.
  ///   - right: The right child's index.
  public init(categorySet: Int, feature: Int32, left: Int32, right: Int32) {
    self.init(threshold: Double(categorySet), feature: feature, left: left, right: right, defaultLeft: false)
    isCategorical = true
  }

  private enum CodingKeys: String, CodingKey { case threshold, feature, left, right, defaultLeft, isCategorical }

  /// Decodes a node; files written before categorical splits existed decode as threshold splits.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when a field is missing or malformed.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    threshold = try container.decode(Double.self, forKey: .threshold)
    feature = try container.decode(Int32.self, forKey: .feature)
    left = try container.decode(Int32.self, forKey: .left)
    right = try container.decode(Int32.self, forKey: .right)
    defaultLeft = try container.decode(Bool.self, forKey: .defaultLeft)
    isCategorical = try container.decodeIfPresent(Bool.self, forKey: .isCategorical) ?? false
  }

  /// Encodes the node (``isCategorical`` only when set, so threshold trees read as before).
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: The encoder's errors.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(threshold, forKey: .threshold)
    try container.encode(feature, forKey: .feature)
    try container.encode(left, forKey: .left)
    try container.encode(right, forKey: .right)
    try container.encode(defaultLeft, forKey: .defaultLeft)
    if isCategorical { try container.encode(true, forKey: .isCategorical) }
  }
}

/// A fitted tree for prediction: a flat array of compact nodes, root first.
///
/// Kept apart from the tree the grower builds (which tracks bins, row ranges and sums),
/// as in scikit-learn's `predictor.py` versus `grower.py`: prediction only needs
/// thresholds on raw values, and a contiguous array of small structs keeps the walk in
/// cache.
public struct PredictionTree: Codable, Sendable, Equatable {
  /// The nodes; the root is `nodes[0]`.
  public var nodes: [PredictionNode]
  /// Each node's cover: how many training rows (of the round's bagging sample) reached it,
  /// the weight TreeSHAP gives each branch; empty when unknown (a tree built by hand or
  /// read from a model file written before covers were stored).
  ///
  /// Row counts, not hessian sums, because LightGBM's `pred_contrib` uses its nodes' data
  /// counts (`Tree::TreeSHAP` reads `data_count`), so contributions mean the same thing in
  /// both libraries; XGBoost uses hessian sums instead. Kept beside ``nodes`` rather than
  /// in ``PredictionNode`` so the prediction walk's 24-byte nodes stay small.
  public var covers: [Double]
  /// The category sets of the categorical splits, as bitsets over category codes: code
  /// `c` is in set `s` when bit `c % 64` of `categorySets[s][c / 64]` is 1. A categorical
  /// node keeps its set's index in its threshold.
  public var categorySets: [[UInt64]]

  /// Creates a tree from nodes.
  ///
  /// - Parameters:
  ///   - nodes: The nodes, root first, with child indices into this array.
  ///   - covers: Each node's training row count (for ``GradientBoostingModel/contributions(_:upToIteration:)``),
  ///     or empty.
  ///   - categorySets: The category bitsets categorical nodes refer to; empty without them.
  public init(nodes: [PredictionNode], covers: [Double] = [], categorySets: [[UInt64]] = []) {
    self.nodes = nodes
    self.covers = covers
    self.categorySets = categorySets
  }

  private enum CodingKeys: String, CodingKey { case nodes, covers, categorySets }

  /// Decodes a tree and checks that every child and category-set index is in range, so
  /// a damaged file cannot make prediction read out of bounds. Model files written
  /// before covers or categorical splits were stored decode without them.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when the nodes are missing or malformed, or an index is
  ///   out of range.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    nodes = try container.decode([PredictionNode].self, forKey: .nodes)
    covers = try container.decodeIfPresent([Double].self, forKey: .covers) ?? []
    categorySets = try container.decodeIfPresent([[UInt64]].self, forKey: .categorySets) ?? []
    for (index, node) in nodes.enumerated() where !node.isLeaf {
      let childrenValid = (1..<nodes.count).contains(Int(node.left)) && (1..<nodes.count).contains(Int(node.right))
      let setValid =
        !node.isCategorical
        || (node.threshold >= 0 && node.threshold < Double(categorySets.count)
          && node.threshold.rounded() == node.threshold)
      guard childrenValid, setValid else {
        throw DecodingError.dataCorruptedError(
          forKey: .nodes, in: container,
          debugDescription:
            "node \(index) refers to a child or category set that does not exist; the model file is damaged, save it again"
        )
      }
    }
  }

  /// Encodes the tree (``categorySets`` only when there are any).
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: The encoder's errors.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(nodes, forKey: .nodes)
    try container.encode(covers, forKey: .covers)
    if !categorySets.isEmpty { try container.encode(categorySets, forKey: .categorySets) }
  }

  /// Whether a row whose split feature is `x` goes to `node`'s left child.
  @inline(__always)
  func goesLeft(_ node: PredictionNode, _ x: Double) -> Bool {
    if node.isCategorical {
      // NaN, negative, non-integer and too-large codes fail these checks and go right.
      guard x >= 0, x < 2_147_483_648 else { return false }
      let code = Int(x)
      guard Double(code) == x else { return false }
      let set = categorySets[Int(node.threshold)]
      let word = code >> 6
      return word < set.count && set[word] & (UInt64(1) << UInt64(code & 63)) != 0
    }
    return x.isNaN ? node.defaultLeft : x <= node.threshold
  }

  /// The number of leaves.
  public var leafCount: Int { nodes.reduce(0) { $0 + ($1.isLeaf ? 1 : 0) } }

  /// The leaf value for the row whose feature `j` is `value(j)`.
  ///
  /// - Complexity: O(depth), no allocation.
  @inline(__always)
  func value(_ feature: (Int) -> Double) -> Double {
    nodes.withUnsafeBufferPointer { nodes in
      var index = 0
      while true {
        let node = nodes[index]
        if node.feature < 0 { return node.threshold }
        let x = feature(Int(node.feature))
        index = Int(goesLeft(node, x) ? node.left : node.right)
      }
    }
  }

  /// Converts a grown tree, mapping bin thresholds back to raw values and categorical
  /// bins back to their category codes.
  init(_ grown: [GrowerNode], mappers: [BinMapper]) {
    var sets: [[UInt64]] = []
    nodes = grown.map { node in
      if node.isLeaf {
        return PredictionNode(threshold: node.value, feature: -1, left: -1, right: -1, defaultLeft: false)
      }
      if let bins = node.categories, let codes = mappers[node.feature].categories {
        let leftCodes = bins.bins.map { codes[$0] }
        var words = [UInt64](repeating: 0, count: ((leftCodes.max() ?? 0) >> 6) + 1)
        for code in leftCodes { words[code >> 6] |= UInt64(1) << UInt64(code & 63) }
        sets.append(words)
        return PredictionNode(
          categorySet: sets.count - 1, feature: Int32(node.feature), left: Int32(node.left), right: Int32(node.right))
      }
      return PredictionNode(
        threshold: mappers[node.feature].threshold(afterBin: node.bin), feature: Int32(node.feature),
        left: Int32(node.left), right: Int32(node.right), defaultLeft: node.missingGoesLeft)
    }
    covers = grown.map { Double($0.count) }
    categorySets = sets
  }
}
