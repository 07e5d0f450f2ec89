/// One node of a ``PredictionTree``: 24 bytes, so a 255-leaf tree's 509 nodes fit in 12 KB.
///
/// A split sends `x[feature] ≤ threshold` to `left`, a greater value to `right`, and NaN
/// to `left` or `right` as ``defaultLeft`` says. A leaf has `feature == -1` and keeps its
/// value in `threshold`.
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

  /// Creates a tree from nodes.
  ///
  /// - Parameters:
  ///   - nodes: The nodes, root first, with child indices into this array.
  ///   - covers: Each node's training row count (for ``GradientBoostingModel/contributions(_:upToIteration:)``),
  ///     or empty.
  public init(nodes: [PredictionNode], covers: [Double] = []) {
    self.nodes = nodes
    self.covers = covers
  }

  private enum CodingKeys: String, CodingKey { case nodes, covers }

  /// Decodes a tree; model files written before covers were stored decode with none.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when the nodes are missing or malformed.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    nodes = try container.decode([PredictionNode].self, forKey: .nodes)
    covers = try container.decodeIfPresent([Double].self, forKey: .covers) ?? []
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
        let goLeft = x.isNaN ? node.defaultLeft : x <= node.threshold
        index = Int(goLeft ? node.left : node.right)
      }
    }
  }

  /// Converts a grown tree, mapping bin thresholds back to raw values.
  init(_ grown: [GrowerNode], mappers: [BinMapper]) {
    nodes = grown.map { node in
      if node.isLeaf {
        return PredictionNode(threshold: node.value, feature: -1, left: -1, right: -1, defaultLeft: false)
      }
      return PredictionNode(
        threshold: mappers[node.feature].threshold(afterBin: node.bin), feature: Int32(node.feature),
        left: Int32(node.left), right: Int32(node.right), defaultLeft: node.missingGoesLeft)
    }
    covers = grown.map { Double($0.count) }
  }
}
