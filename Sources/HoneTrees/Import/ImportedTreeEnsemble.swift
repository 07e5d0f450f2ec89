/// A tree ensemble imported from LightGBM or XGBoost, in a compact form for inference.
///
/// All trees live in one flat array of small ``Node`` values; tree `t` starts at
/// `roots[t]` and its nodes run up to the next root. A node's children always come after
/// it, which the initializer checks, so every walk ends. Each tree adds its leaf value to
/// one output (a class for multiclass models), starting from ``baseMargins``.
///
/// Splits and sums follow the source library's own arithmetic (``Arithmetic``), so the
/// raw scores are the library's raw scores bit for bit, not merely close: LightGBM works
/// in float64, XGBoost in float32.
///
/// This is the import path's predictor, separate from the one HoneTrees' own training
/// engine uses.
public struct ImportedTreeEnsemble: Sendable, Equatable {
  /// Which library's split rule and arithmetic the ensemble reproduces.
  public enum Arithmetic: String, Sendable, Codable, Equatable {
    /// LightGBM (`include/LightGBM/tree.h`, `NumericalDecision`): a value with
    /// `|x| ≤ 1e-35` reads as 0 (LightGBM drops such values when it converts a dense
    /// row), NaN reads as 0 unless the split's missing type is NaN, missing values follow
    /// the default child, otherwise `x <= threshold` goes left, all in float64; leaf
    /// values add up in float64 in tree order.
    case lightGBM
    /// XGBoost (`RegTree::GetNext`): NaN follows the default child; otherwise the value
    /// is rounded to float32 and `x < threshold` goes left, in float32; leaf values add
    /// up in float32, in tree order, onto the float32 base margin.
    case xgboost
  }

  /// How a numerical split treats missing values: LightGBM's `MissingType`.
  public enum MissingType: UInt8, Sendable, Codable, Equatable {
    /// No missing values at training: NaN reads as 0 and compares with the threshold.
    case none = 0
    /// Zero is missing: 0 (and NaN, read as 0) follows the default child.
    case zero = 1
    /// NaN is missing: NaN follows the default child.
    case nan = 2
  }

  /// One node: a split or a leaf, 24 bytes.
  public struct Node: Sendable, Codable, Equatable {
    /// The threshold of a numerical split, the index of the category set (into
    /// ``ImportedTreeEnsemble/categoryBoundaries``) of a categorical split, or the
    /// value of a leaf.
    public let value: Double
    /// The split feature (a column of the input), or `-1` for a leaf.
    public let feature: Int32
    /// The index in ``ImportedTreeEnsemble/nodes`` of the child for values that go left.
    public let left: Int32
    /// The index in ``ImportedTreeEnsemble/nodes`` of the child for values that go right.
    public let right: Int32
    /// Bit 0: categorical split; bit 1: missing values go left; bits 2–3: the
    /// ``MissingType`` — LightGBM's `decision_type` layout.
    public let flags: UInt8

    /// A leaf with `value`.
    ///
    /// - Parameter value: The leaf's output (learning rate already applied).
    public static func leaf(_ value: Double) -> Node {
      Node(value: value, feature: -1, left: -1, right: -1, flags: 0)
    }

    /// A numerical split.
    ///
    /// - Parameters:
    ///   - feature: The column the split reads.
    ///   - threshold: The split threshold.
    ///   - left: The node index for values that go left.
    ///   - right: The node index for values that go right.
    ///   - defaultLeft: Whether missing values go left.
    ///   - missingType: Which values are missing.
    /// - Returns: The node.
    public static func split(
      feature: Int, threshold: Double, left: Int, right: Int, defaultLeft: Bool, missingType: MissingType
    ) -> Node {
      Node(
        value: threshold, feature: Int32(truncatingIfNeeded: feature), left: Int32(truncatingIfNeeded: left),
        right: Int32(truncatingIfNeeded: right), flags: (defaultLeft ? 2 : 0) | missingType.rawValue << 2)
    }

    /// A LightGBM categorical split: categories in set `categorySet` go left; NaN,
    /// negative values and categories outside the set go right.
    ///
    /// - Parameters:
    ///   - feature: The column the split reads.
    ///   - categorySet: The index of the category bitset.
    ///   - left: The node index for categories in the set.
    ///   - right: The node index for the others.
    /// - Returns: The node.
    public static func categoricalSplit(feature: Int, categorySet: Int, left: Int, right: Int) -> Node {
      Node(
        value: Double(categorySet), feature: Int32(truncatingIfNeeded: feature),
        left: Int32(truncatingIfNeeded: left), right: Int32(truncatingIfNeeded: right), flags: 1)
    }

    /// Whether the node is a leaf.
    public var isLeaf: Bool { feature < 0 }
    /// Whether the node is a categorical split.
    public var isCategorical: Bool { flags & 1 != 0 }
    /// Whether missing values go left.
    public var defaultLeft: Bool { flags & 2 != 0 }
    /// Which values count as missing.
    public var missingType: MissingType { MissingType(rawValue: (flags >> 2) & 3) ?? .none }
  }

  /// The number of input columns.
  public let featureCount: Int
  /// The number of raw scores per row: 1, or the class count of a multiclass model.
  public let outputCount: Int
  /// The split rule and arithmetic.
  public let arithmetic: Arithmetic
  /// Every node of every tree.
  public let nodes: [Node]
  /// The index in ``nodes`` of each tree's root, ascending.
  public let roots: [Int32]
  /// The output each tree adds to.
  public let treeOutputs: [Int32]
  /// The starting score of each output (XGBoost's base margin; zeros for LightGBM,
  /// which folds its initial score into the first tree).
  public let baseMargins: [Double]
  /// LightGBM's `cat_boundaries`: category set `s` is the bitset words
  /// `categoryBitsets[categoryBoundaries[s]..<categoryBoundaries[s + 1]]`.
  public let categoryBoundaries: [Int32]
  /// LightGBM's `cat_threshold` words: bit `c % 32` of word `c / 32` is set when
  /// category `c` goes left.
  public let categoryBitsets: [UInt32]

  /// The number of trees.
  public var treeCount: Int { roots.count }

  /// Creates an ensemble, checking that every index is in range and every child comes
  /// after its parent.
  ///
  /// - Parameters:
  ///   - featureCount: The number of input columns.
  ///   - outputCount: The number of raw scores per row.
  ///   - arithmetic: The split rule and arithmetic.
  ///   - nodes: Every node of every tree, each tree contiguous, children after parents.
  ///   - roots: The index of each tree's root, ascending.
  ///   - treeOutputs: The output each tree adds to.
  ///   - baseMargins: The starting score of each output.
  ///   - categoryBoundaries: Offsets of the category sets in `categoryBitsets`.
  ///   - categoryBitsets: The category bitset words.
  /// - Throws: ``ModelImportError`` (`.malformed`) naming the first bad tree and node.
  /// - Complexity: O(nodes + trees).
  public init(
    featureCount: Int, outputCount: Int, arithmetic: Arithmetic, nodes: [Node], roots: [Int32],
    treeOutputs: [Int32], baseMargins: [Double], categoryBoundaries: [Int32] = [0], categoryBitsets: [UInt32] = []
  ) throws {
    let here = "tree ensemble"
    guard featureCount >= 0, outputCount >= 1 else {
      throw ModelImportError.malformed(
        here, "\(featureCount) features and \(outputCount) outputs: need at least 0 features and 1 output")
    }
    guard roots.count == treeOutputs.count else {
      throw ModelImportError.malformed(here, "\(roots.count) roots but \(treeOutputs.count) tree outputs")
    }
    guard baseMargins.count == outputCount else {
      throw ModelImportError.malformed(here, "\(baseMargins.count) base margins for \(outputCount) outputs")
    }
    guard nodes.count < Int(Int32.max) else {
      throw ModelImportError.unsupported(here, "\(nodes.count) nodes: at most \(Int32.max - 1) are supported")
    }
    guard let firstBoundary = categoryBoundaries.first, firstBoundary == 0,
      zip(categoryBoundaries, categoryBoundaries.dropFirst()).allSatisfy({ $0 <= $1 }),
      Int(categoryBoundaries[categoryBoundaries.count - 1]) == categoryBitsets.count
    else {
      throw ModelImportError.malformed(
        here, "category boundaries must start at 0, not decrease, and end at the \(categoryBitsets.count) bitset words")
    }
    let setCount = categoryBoundaries.count - 1
    for t in roots.indices {
      let start = Int(roots[t])
      let end = t + 1 < roots.count ? Int(roots[t + 1]) : nodes.count
      guard start >= 0, start < end, end <= nodes.count else {
        throw ModelImportError.malformed(here, "tree \(t) has no nodes (root \(start), next root \(end))")
      }
      guard treeOutputs[t] >= 0, Int(treeOutputs[t]) < outputCount else {
        throw ModelImportError.malformed(here, "tree \(t) adds to output \(treeOutputs[t]) of \(outputCount)")
      }
      for i in start..<end where !nodes[i].isLeaf {
        let node = nodes[i]
        guard Int(node.feature) < featureCount else {
          throw ModelImportError.malformed(
            here, "tree \(t), node \(i - start) splits on feature \(node.feature) of \(featureCount)")
        }
        guard Int(node.left) > i, Int(node.left) < end, Int(node.right) > i, Int(node.right) < end else {
          throw ModelImportError.malformed(
            here,
            "tree \(t), node \(i - start) has children \(Int(node.left) - start) and \(Int(node.right) - start): children must come after their parent within the tree"
          )
        }
        if node.isCategorical {
          guard arithmetic == .lightGBM else {
            throw ModelImportError.unsupported(here, "categorical splits are imported from LightGBM only")
          }
          guard node.value >= 0, node.value < Double(setCount), node.value == node.value.rounded(.towardZero) else {
            throw ModelImportError.malformed(
              here, "tree \(t), node \(i - start) uses category set \(node.value) of \(setCount)")
          }
        }
      }
    }
    self.featureCount = featureCount
    self.outputCount = outputCount
    self.arithmetic = arithmetic
    self.nodes = nodes
    self.roots = roots
    self.treeOutputs = treeOutputs
    self.baseMargins = baseMargins
    self.categoryBoundaries = categoryBoundaries
    self.categoryBitsets = categoryBitsets
  }
}

extension ImportedTreeEnsemble: Codable {
  private enum CodingKeys: String, CodingKey {
    case featureCount, outputCount, arithmetic, nodes, roots, treeOutputs, baseMargins, categoryBoundaries
    case categoryBitsets
  }

  /// Decodes an ensemble and checks it as ``init(featureCount:outputCount:arithmetic:nodes:roots:treeOutputs:baseMargins:categoryBoundaries:categoryBitsets:)``
  /// does, so a hand-edited payload cannot make a walk leave its tree.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``ModelImportError`` for an inconsistent ensemble.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      featureCount: try container.decode(Int.self, forKey: .featureCount),
      outputCount: try container.decode(Int.self, forKey: .outputCount),
      arithmetic: try container.decode(Arithmetic.self, forKey: .arithmetic),
      nodes: try container.decode([Node].self, forKey: .nodes),
      roots: try container.decode([Int32].self, forKey: .roots),
      treeOutputs: try container.decode([Int32].self, forKey: .treeOutputs),
      baseMargins: try container.decode([Double].self, forKey: .baseMargins),
      categoryBoundaries: try container.decode([Int32].self, forKey: .categoryBoundaries),
      categoryBitsets: try container.decode([UInt32].self, forKey: .categoryBitsets))
  }

  /// Encodes the ensemble.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(featureCount, forKey: .featureCount)
    try container.encode(outputCount, forKey: .outputCount)
    try container.encode(arithmetic, forKey: .arithmetic)
    try container.encode(nodes, forKey: .nodes)
    try container.encode(roots, forKey: .roots)
    try container.encode(treeOutputs, forKey: .treeOutputs)
    try container.encode(baseMargins, forKey: .baseMargins)
    try container.encode(categoryBoundaries, forKey: .categoryBoundaries)
    try container.encode(categoryBitsets, forKey: .categoryBitsets)
  }
}
