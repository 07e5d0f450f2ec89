import HoneCore

extension LightGBMModel {
  /// Parses a model in LightGBM's text format.
  ///
  /// The header (`num_class`, `num_tree_per_iteration`, `max_feature_idx`, `objective`,
  /// `feature_names`, `average_output`) comes first, then one `Tree=` section per tree,
  /// then `end of trees`; what follows (importances, parameters) is ignored.
  ///
  /// - Parameters:
  ///   - text: The whole model text.
  ///   - source: How errors name the input (a file path).
  /// - Throws: ``ModelImportError``: `.malformed` with `source:line` of a bad or missing
  ///   field, `.unsupported` for objectives and features Hone does not import.
  /// - Complexity: O(text length).
  public init(text: String, source: String = "LightGBM model text") throws {
    var parser = LightGBMTextParser(source: source)
    try parser.parse(text)
    try self.init(
      ensemble: try parser.ensemble(), objective: try parser.objective(), featureNames: parser.featureNames,
      averagesOutput: parser.averagesOutput)
  }
}

extension LightGBMModel {
  private enum CodingKeys: String, CodingKey { case ensemble, objective, featureNames, averagesOutput }

  /// Decodes a model and checks it as ``init(ensemble:objective:featureNames:averagesOutput:)``.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``ModelImportError`` when the parts disagree.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      ensemble: try container.decode(ImportedTreeEnsemble.self, forKey: .ensemble),
      objective: try container.decode(Objective.self, forKey: .objective),
      featureNames: try container.decode([String].self, forKey: .featureNames),
      averagesOutput: try container.decode(Bool.self, forKey: .averagesOutput))
  }

  /// Encodes the model.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(ensemble, forKey: .ensemble)
    try container.encode(objective, forKey: .objective)
    try container.encode(featureNames, forKey: .featureNames)
    try container.encode(averagesOutput, forKey: .averagesOutput)
  }
}

/// A `key=value` line and where it was.
private struct Field {
  let value: Substring
  let line: Int
}

/// Reads LightGBM's text model format (`GBDT::LoadModelFromString`, `Tree::Tree(const char*)`).
private struct LightGBMTextParser {
  static let identityObjectives: Set<String> = ["regression", "regression_l1", "huber", "fair", "quantile", "mape"]

  let source: String
  var header: [String: Field] = [:]
  var averagesOutput = false
  var featureNames: [String] = []
  var nodes: [ImportedTreeEnsemble.Node] = []
  var roots: [Int32] = []
  var treeOutputs: [Int32] = []
  var categoryBoundaries: [Int32] = [0]
  var categoryBitsets: [UInt32] = []
  var featureCount = 0
  var treesPerIteration = 1

  init(source: String) { self.source = source }

  func at(_ line: Int) -> String { "\(source):\(line)" }

  mutating func parse(_ text: String) throws {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.last == "\r" ? line.dropLast() : line
    }[...]
    var lineNumber = 0
    func next() -> Substring? {
      guard let line = lines.popFirst() else { return nil }
      lineNumber += 1
      return line
    }
    guard let first = next(), first == "tree" else {
      throw ModelImportError.malformed(
        at(1), "not a LightGBM text model: the first line must be `tree` (save it with Booster.save_model)")
    }
    var pending: (index: Substring, line: Int)? = nil
    var ended = false
    while let line = next() {
      if line.hasPrefix("Tree=") {
        pending = (line.dropFirst(5), lineNumber)
        break
      }
      if line == "end of trees" {
        ended = true
        break
      }
      if line == "average_output" { averagesOutput = true }
      if let equals = line.firstIndex(of: "=") {
        header[String(line[..<equals])] = Field(value: line[line.index(after: equals)...], line: lineNumber)
      }
    }
    try readHeader()
    while let (index, line) = pending {
      pending = nil
      guard Int(index) == roots.count else {
        throw ModelImportError.malformed(at(line), "expected `Tree=\(roots.count)`, found `Tree=\(index)`")
      }
      var fields: [String: Field] = [:]
      while let text = next() {
        if text.hasPrefix("Tree=") {
          pending = (text.dropFirst(5), lineNumber)
          break
        }
        if text == "end of trees" {
          ended = true
          break
        }
        if let equals = text.firstIndex(of: "=") {
          fields[String(text[..<equals])] = Field(value: text[text.index(after: equals)...], line: lineNumber)
        }
      }
      try readTree(fields, line: line)
    }
    guard ended else {
      throw ModelImportError.malformed(
        at(lineNumber), "the file ends before `end of trees`: it is truncated; save the model again")
    }
    guard roots.count % treesPerIteration == 0 else {
      throw ModelImportError.malformed(
        at(lineNumber),
        "\(roots.count) trees is not a multiple of num_tree_per_iteration=\(treesPerIteration): the file is incomplete")
    }
  }

  func headerInteger(_ key: String) throws -> (value: Int, line: Int) {
    guard let field = header[key] else {
      throw ModelImportError.malformed(at(1), "the header has no `\(key)=` line; the model file is incomplete")
    }
    guard let value = Int(field.value) else {
      throw ModelImportError.malformed(at(field.line), "`\(key)` must be an integer, found `\(field.value)`")
    }
    return (value, field.line)
  }

  mutating func readHeader() throws {
    let classes = try headerInteger("num_class")
    let perIteration = try headerInteger("num_tree_per_iteration")
    let maxFeature = try headerInteger("max_feature_idx")
    guard classes.value >= 1 else {
      throw ModelImportError.malformed(at(classes.line), "num_class must be at least 1, found \(classes.value)")
    }
    guard perIteration.value >= 1 else {
      throw ModelImportError.malformed(
        at(perIteration.line), "num_tree_per_iteration must be at least 1, found \(perIteration.value)")
    }
    guard maxFeature.value >= -1, maxFeature.value < Int(Int32.max) else {
      throw ModelImportError.malformed(at(maxFeature.line), "max_feature_idx \(maxFeature.value) is out of range")
    }
    treesPerIteration = perIteration.value
    featureCount = maxFeature.value + 1
    if let names = header["feature_names"] {
      featureNames = names.value.split(separator: " ").map(String.init)
      guard featureNames.count == featureCount else {
        throw ModelImportError.malformed(
          at(names.line), "\(featureNames.count) feature names, but max_feature_idx=\(maxFeature.value)")
      }
    }
  }

  func objective() throws -> LightGBMModel.Objective {
    guard let field = header["objective"] else {
      throw ModelImportError.unsupported(
        at(1),
        "the header has no `objective=` line (a custom objective): Hone imports regression, binary and multiclass models"
      )
    }
    let tokens = field.value.split(separator: " ")
    let name = tokens.first.map(String.init) ?? ""
    var parameters: [Substring: Substring] = [:]
    for token in tokens.dropFirst() {
      let parts = token.split(separator: ":", maxSplits: 1)
      parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    let line = at(field.line)
    switch name {
    case _ where Self.identityObjectives.contains(name):
      guard parameters["sqrt"] == nil else {
        throw ModelImportError.unsupported(line, "`reg_sqrt` regression models are not imported yet")
      }
      guard treesPerIteration == 1 else {
        throw ModelImportError.malformed(line, "a `\(name)` model needs num_tree_per_iteration=1")
      }
      return .regression(name: name)
    case "binary":
      let sigmoid = try parameters["sigmoid"].map { text in
        guard let value = Double(text), value > 0 else {
          throw ModelImportError.malformed(line, "`sigmoid:` must be a positive number, found `\(text)`")
        }
        return value
      }
      guard treesPerIteration == 1 else {
        throw ModelImportError.malformed(line, "a binary model needs num_tree_per_iteration=1")
      }
      return .binary(sigmoid: sigmoid ?? 1)
    case "multiclass":
      guard let text = parameters["num_class"], let classCount = Int(text), classCount >= 2,
        classCount == treesPerIteration
      else {
        throw ModelImportError.malformed(
          line, "a multiclass objective needs `num_class:K` with K ≥ 2 equal to num_tree_per_iteration")
      }
      return .multiclass(classCount: classCount)
    default:
      throw ModelImportError.unsupported(
        line,
        "objective `\(name)` is not imported yet; Hone imports \(Self.identityObjectives.sorted().joined(separator: ", ")), binary and multiclass"
      )
    }
  }

  func ensemble() throws -> ImportedTreeEnsemble {
    try ImportedTreeEnsemble(
      featureCount: featureCount, outputCount: treesPerIteration, arithmetic: .lightGBM, nodes: nodes, roots: roots,
      treeOutputs: treeOutputs, baseMargins: [Double](repeating: 0, count: treesPerIteration),
      categoryBoundaries: categoryBoundaries, categoryBitsets: categoryBitsets)
  }

  /// The values of `key`, which must have `count` entries that `parse` accepts.
  func values<T>(
    _ fields: [String: Field], _ key: String, count: Int, tree: Int, treeLine: Int, _ parse: (Substring) -> T?
  ) throws -> [T] {
    guard let field = fields[key] else {
      throw ModelImportError.malformed(at(treeLine), "tree \(tree) has no `\(key)=` line")
    }
    let texts = field.value.split(separator: " ")
    guard texts.count == count else {
      throw ModelImportError.malformed(
        at(field.line), "tree \(tree): `\(key)` has \(texts.count) values, expected \(count)")
    }
    return try texts.enumerated().map { index, text in
      guard let value = parse(text) else {
        throw ModelImportError.malformed(
          at(field.line), "tree \(tree): `\(key)` value \(index) is `\(text)`, which does not parse")
      }
      return value
    }
  }

  mutating func readTree(_ fields: [String: Field], line: Int) throws {
    let tree = roots.count
    guard let leavesField = fields["num_leaves"], let leafCount = Int(leavesField.value), leafCount >= 1,
      leafCount < Int(Int32.max) / 2
    else {
      throw ModelImportError.malformed(
        at(fields["num_leaves"]?.line ?? line), "tree \(tree): bad or missing num_leaves")
    }
    if let linear = fields["is_linear"], linear.value != "0" {
      throw ModelImportError.unsupported(
        at(linear.line), "tree \(tree) has linear leaves (linear_tree=true), which are not imported yet")
    }
    let leafValues = try values(fields, "leaf_value", count: leafCount, tree: tree, treeLine: line) { Double($0) }
    let base = nodes.count
    roots.append(Int32(base))
    treeOutputs.append(Int32(tree % treesPerIteration))
    guard leafCount > 1 else {
      nodes.append(.leaf(leafValues[0]))
      return
    }
    let splits = leafCount - 1
    let features = try values(fields, "split_feature", count: splits, tree: tree, treeLine: line) { Int($0) }
    let thresholds = try values(fields, "threshold", count: splits, tree: tree, treeLine: line) { Double($0) }
    let decisions = try values(fields, "decision_type", count: splits, tree: tree, treeLine: line) { Int8($0) }
    let lefts = try values(fields, "left_child", count: splits, tree: tree, treeLine: line) { Int($0) }
    let rights = try values(fields, "right_child", count: splits, tree: tree, treeLine: line) { Int($0) }
    let categoryCount =
      try fields["num_cat"].map { field in
        guard let count = Int(field.value), count >= 0 else {
          throw ModelImportError.malformed(at(field.line), "tree \(tree): num_cat must be a count")
        }
        return count
      } ?? 0
    let setOffset = categoryBoundaries.count - 1
    if categoryCount > 0 {
      let boundaries = try values(
        fields, "cat_boundaries", count: categoryCount + 1, tree: tree, treeLine: line
      ) { Int32($0) }
      let boundaryLine = fields["cat_boundaries"]?.line ?? line
      guard boundaries[0] == 0, zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else {
        throw ModelImportError.malformed(
          at(boundaryLine), "tree \(tree): cat_boundaries must start at 0 and not decrease")
      }
      let words = try values(
        fields, "cat_threshold", count: Int(boundaries[categoryCount]), tree: tree, treeLine: line
      ) { UInt32($0) }
      let wordOffset = Int32(categoryBitsets.count)
      categoryBoundaries += boundaries.dropFirst().map { $0 + wordOffset }
      categoryBitsets += words
    }
    // Splits first, then leaves: leaf `j` (LightGBM's child `~j`) is node `splits + j`.
    func child(_ value: Int, of split: Int, _ key: String) throws -> Int {
      if value < 0 {
        guard ~value < leafCount else {
          throw ModelImportError.malformed(
            at(fields[key]?.line ?? line), "tree \(tree): split \(split) points to leaf \(~value) of \(leafCount)")
        }
        return base + splits + ~value
      }
      // LightGBM numbers a split's children after it, so every walk moves forward.
      guard value > split, value < splits else {
        throw ModelImportError.malformed(
          at(fields[key]?.line ?? line),
          "tree \(tree): split \(split) points to split \(value); children must come after their parent, below \(splits)"
        )
      }
      return base + value
    }
    for s in 0..<splits {
      guard features[s] >= 0, features[s] < featureCount else {
        throw ModelImportError.malformed(
          at(fields["split_feature"]?.line ?? line),
          "tree \(tree): split \(s) reads feature \(features[s]), but max_feature_idx=\(featureCount - 1)")
      }
      let left = try child(lefts[s], of: s, "left_child")
      let right = try child(rights[s], of: s, "right_child")
      let decision = UInt8(bitPattern: decisions[s])
      if decision & 1 != 0 {
        let set = thresholds[s]
        guard set >= 0, set < Double(categoryCount), set == set.rounded(.towardZero) else {
          throw ModelImportError.malformed(
            at(fields["threshold"]?.line ?? line),
            "tree \(tree): categorical split \(s) uses category set \(set), but num_cat=\(categoryCount)")
        }
        nodes.append(
          .categoricalSplit(feature: features[s], categorySet: setOffset + Int(set), left: left, right: right))
      } else {
        let missing = ImportedTreeEnsemble.MissingType(rawValue: (decision >> 2) & 3) ?? .none
        nodes.append(
          .split(
            feature: features[s], threshold: thresholds[s], left: left, right: right, defaultLeft: decision & 2 != 0,
            missingType: missing))
      }
    }
    nodes += leafValues.map { .leaf($0) }
  }
}
