import Foundation

extension XGBoostModel {
  /// Parses a model in XGBoost's JSON format.
  ///
  /// Reads `learner.learner_model_param` (`num_feature`, `num_class`, `base_score`),
  /// `learner.objective.name`, and the trees of `learner.gradient_booster.model`
  /// (`left_children`, `right_children`, `split_indices`, `split_conditions`,
  /// `default_left`, `split_type`) with `tree_info` saying which class each tree adds to.
  /// Leaf values are the leaves' `split_conditions` (learning rate applied). Numbers are
  /// parsed from their text straight to float32, as XGBoost stores them.
  ///
  /// `base_score` is written in the objective's output space, as a number or (XGBoost 3)
  /// a bracketed vector such as `"[5E-1]"`; for `binary:logistic` it is a probability and
  /// becomes the margin `-logf(1/p - 1)` in float32, as XGBoost's `ProbToMargin`.
  ///
  /// - Parameters:
  ///   - jsonBytes: The file's bytes (UTF-8 JSON; UBJSON is not read).
  ///   - source: How errors name the input (a file path).
  /// - Throws: ``ModelImportError``: `.malformed` with the JSON path of a bad or missing
  ///   field, `.unsupported` for what Hone does not import.
  /// - Complexity: O(file size).
  public init(jsonBytes: [UInt8], source: String = "XGBoost model JSON") throws {
    let document = try ImportJSON.parse(jsonBytes, source: source)
    let root = JSONCursor(value: document, path: "$", source: source)
    let learner = try root.member("learner")
    let parameters = try learner.member("learner_model_param")
    let featureCount = try parameters.member("num_feature").integer()
    let classCount = try parameters.optionalMember("num_class")?.integer() ?? 0
    if let targets = try parameters.optionalMember("num_target"), try targets.integer() > 1 {
      throw targets.unsupported(
        "multi-target models are not imported yet")
    }
    guard featureCount >= 0, featureCount < Int(Int32.max) else {
      throw try parameters.member("num_feature").error("num_feature \(featureCount) is out of range")
    }

    let objectiveField = try learner.member("objective").member("name")
    let objective: Objective
    switch try objectiveField.string() {
    case "reg:squarederror": objective = .squaredError
    case "binary:logistic": objective = .logistic
    case "multi:softprob":
      guard classCount >= 2 else {
        throw try parameters.member("num_class").error("multi:softprob needs num_class ≥ 2, found \(classCount)")
      }
      objective = .softprob(classCount: classCount)
    case let name:
      throw objectiveField.unsupported(
        "objective `\(name)` is not imported yet; Hone imports reg:squarederror, binary:logistic and multi:softprob")
    }
    let outputs = classCount >= 2 ? classCount : 1
    if case .softprob = objective {
    } else if outputs != 1 {
      throw try parameters.member("num_class").error("`\(objective.name)` needs num_class 0, found \(classCount)")
    }

    let booster = try learner.member("gradient_booster")
    let boosterName = try booster.member("name")
    guard try boosterName.string() == "gbtree" else {
      throw boosterName.unsupported(
        "booster `\(try boosterName.string())` is not imported yet; Hone imports gbtree models")
    }
    let model = try booster.member("model")
    let trees = try model.member("trees").elements()
    let treeInfoField = try model.member("tree_info")
    let treeInfo = try treeInfoField.integers()
    guard treeInfo.count == trees.count else {
      throw treeInfoField.error("has \(treeInfo.count) entries for \(trees.count) trees")
    }

    var builder = XGBoostTreeBuilder(featureCount: featureCount)
    for (t, tree) in trees.enumerated() {
      guard treeInfo[t] >= 0, treeInfo[t] < outputs else {
        throw treeInfoField.error("tree \(t) adds to class \(treeInfo[t]), but the model has \(outputs) outputs")
      }
      try builder.add(tree, output: treeInfo[t])
    }

    let baseMargins = try Self.baseMargins(parameters.member("base_score"), objective: objective, outputs: outputs)
    let names = try learner.optionalMember("feature_names")?.elements().map { try $0.string() } ?? []
    try self.init(
      ensemble: ImportedTreeEnsemble(
        featureCount: featureCount, outputCount: outputs, arithmetic: .xgboost, nodes: builder.nodes,
        roots: builder.roots, treeOutputs: builder.treeOutputs, baseMargins: baseMargins),
      objective: objective, featureNames: names)
  }

  /// Parses a model from XGBoost JSON text.
  ///
  /// - Parameters:
  ///   - json: The JSON text.
  ///   - source: How errors name the input.
  /// - Throws: ``ModelImportError`` as ``init(jsonBytes:source:)``.
  /// - Complexity: O(text length).
  public init(json: String, source: String = "XGBoost model JSON") throws {
    try self.init(jsonBytes: Array(json.utf8), source: source)
  }

  /// The float32 base margin of each output from `base_score`.
  private static func baseMargins(_ field: JSONCursor, objective: Objective, outputs: Int) throws -> [Double] {
    let text = try field.string().trimmingCharacters(in: .whitespaces)
    let inner = text.hasPrefix("[") && text.hasSuffix("]") ? text.dropFirst().dropLast() : Substring(text)
    let scores = try inner.split(separator: ",").map { part in
      guard let score = Float(part.trimmingCharacters(in: .whitespaces)), score.isFinite else {
        throw field.error("`\(text)` is not a number or a bracketed list of numbers")
      }
      return score
    }
    guard scores.count == 1 || scores.count == outputs else {
      throw field.error("has \(scores.count) values for \(outputs) outputs")
    }
    let margins = try scores.map { score -> Float in
      guard case .logistic = objective else { return score }
      guard score > 0, score < 1 else {
        throw field.error("binary:logistic needs a base_score probability in (0, 1), found \(score)")
      }
      // RegLossObj::ProbToMargin, in float32 with logf.
      return -log(1 / score - 1)
    }
    return (0..<outputs).map { Double(margins[scores.count == 1 ? 0 : $0]) }
  }
}

/// Turns XGBoost's per-tree arrays into ensemble nodes.
private struct XGBoostTreeBuilder {
  let featureCount: Int
  var nodes: [ImportedTreeEnsemble.Node] = []
  var roots: [Int32] = []
  var treeOutputs: [Int32] = []

  init(featureCount: Int) { self.featureCount = featureCount }

  mutating func add(_ tree: JSONCursor, output: Int) throws {
    let nodeCountField = try tree.member("tree_param").member("num_nodes")
    let nodeCount = try nodeCountField.integer()
    guard nodeCount >= 1 else { throw nodeCountField.error("a tree needs at least one node, found \(nodeCount)") }
    if let leafSize = try tree.member("tree_param").optionalMember("size_leaf_vector"), try leafSize.integer() > 1 {
      throw leafSize.unsupported(
        "vector leaves (multi-target trees) are not imported yet")
    }
    func array<T>(_ key: String, _ read: (JSONCursor) throws -> [T]) throws -> [T] {
      let field = try tree.member(key)
      let values = try read(field)
      guard values.count == nodeCount else {
        throw field.error("has \(values.count) entries, but num_nodes is \(nodeCount)")
      }
      return values
    }
    let lefts = try array("left_children") { try $0.integers() }
    let rights = try array("right_children") { try $0.integers() }
    let features = try array("split_indices") { try $0.integers() }
    let conditions = try array("split_conditions") { try $0.floats() }
    let defaultLefts = try array("default_left") { try $0.integers() }
    let splitTypes = try tree.optionalMember("split_type").map { field in
      try array("split_type") { _ in try field.integers() }
    }

    // Breadth-first from the root: children get the next free indices, so they come
    // after their parent; deleted (unreachable) nodes are left out; a node reached twice
    // means a cycle or a shared child, which a tree cannot have.
    let base = nodes.count
    var order = [0]
    var newIndex = [Int](repeating: -1, count: nodeCount)
    newIndex[0] = 0
    var head = 0
    while head < order.count {
      let old = order[head]
      head += 1
      guard lefts[old] != -1 else { continue }
      for (key, child) in [("left_children", lefts[old]), ("right_children", rights[old])] {
        guard child > 0, child < nodeCount, newIndex[child] == -1 else {
          throw try tree.member(key).error("node \(old) has child \(child), which is out of range or reached twice")
        }
        newIndex[child] = order.count
        order.append(child)
      }
    }
    roots.append(Int32(base))
    treeOutputs.append(Int32(output))
    for old in order {
      if lefts[old] == -1 {
        nodes.append(.leaf(Double(conditions[old])))
        continue
      }
      if let splitTypes, splitTypes[old] != 0 {
        throw try tree.member("split_type").unsupported(
          "node \(old) is a categorical split on feature \(features[old]); XGBoost categorical splits are not imported yet (use one-hot or ordinal codes)"
        )
      }
      guard features[old] >= 0, features[old] < featureCount else {
        throw try tree.member("split_indices").error(
          "node \(old) splits on feature \(features[old]), but num_feature is \(featureCount)")
      }
      nodes.append(
        .split(
          feature: features[old], threshold: Double(conditions[old]), left: base + newIndex[lefts[old]],
          right: base + newIndex[rights[old]], defaultLeft: defaultLefts[old] != 0, missingType: .nan))
    }
  }
}

extension XGBoostModel {
  private enum CodingKeys: String, CodingKey { case ensemble, objective, featureNames }

  /// Decodes a model and checks it as ``init(ensemble:objective:featureNames:)``.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``ModelImportError`` when the parts disagree.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      ensemble: try container.decode(ImportedTreeEnsemble.self, forKey: .ensemble),
      objective: try container.decode(Objective.self, forKey: .objective),
      featureNames: try container.decode([String].self, forKey: .featureNames))
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
  }
}
