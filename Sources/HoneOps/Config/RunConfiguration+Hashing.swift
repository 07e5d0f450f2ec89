import HoneCore

extension RunConfiguration {
  /// The configuration as canonical JSON (``ConfigValue/canonicalJSON()`` of
  /// ``document()``): keys sorted, every value written, doubles exact.
  ///
  /// - Returns: The JSON text.
  public func canonicalJSON() -> String { document().canonicalJSON() }

  /// The configuration hash: the lowercase hexadecimal SHA-256 of ``canonicalJSON()``.
  /// Equal configurations hash equally, however they were written or layered.
  public var hash: String { SHA256.hexDigest(Array(canonicalJSON().utf8)) }

  /// Checks every candidate's `params` and `space` keys against the model catalog's
  /// parameter names, which this module cannot know while the catalog is built apart.
  ///
  /// For a target whose task is not fixed yet (a column without `task:`), a name is
  /// accepted when any task the kind supports knows it.
  ///
  /// - Parameter parameterNames: The parameter names of a kind for a task, or `nil` when
  ///   unknown (the check is then skipped).
  /// - Throws: ``ConfigError`` of kind ``ConfigError/Kind/unknownKey`` naming
  ///   `models[i].params.<name>` or `models[i].space.<name>`, with a suggestion and the
  ///   known names.
  public func validate(parameterNames: (ModelKind, PredictionTask) -> Set<String>?) throws {
    for (i, model) in models.enumerated() {
      let tasks = target.resolvedTask.map { [$0] } ?? PredictionTask.allCases.filter { model.kind.supports($0) }
      let known = tasks.compactMap { parameterNames(model.kind, $0) }
      guard !known.isEmpty else { continue }
      let names = known.reduce(into: Set<String>()) { $0.formUnion($1) }
      var used: [(section: String, name: String)] = model.params.keys.sorted().map { ("params", $0) }
      if case .custom(let specs) = model.space { used += specs.keys.sorted().map { ("space", $0) } }
      for (section, name) in used where !names.contains(name) {
        let sorted = names.sorted()
        throw ConfigError(
          .unknownKey, path: "models[\(i)].\(section).\(name)",
          "\(model.kind.rawValue) has no parameter \"\(name)\"\(Suggestion.clause(for: name, in: sorted)); "
            + "its parameters are \(sorted.joined(separator: ", "))")
      }
    }
  }
}
