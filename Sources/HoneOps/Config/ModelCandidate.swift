import HoneTuning

/// One candidate model of a run: a kind, fixed hyperparameters, and the space the tuner
/// searches.
///
/// ```yaml
/// models:
///   - kind: gbdt
///     params: {maxRounds: 300}
///     space: default                 # the catalog's space for the kind
///   - kind: ridge
///     name: ridge-wide
///     space:
///       alpha: {float: [1.0e-4, 100], log: true}
///       fitIntercept: true           # a bare scalar fixes the value
/// ```
public struct ModelCandidate: Codable, Sendable, Equatable {
  /// The model family.
  public var kind: ModelKind
  /// The candidate's name, unique within the run. Default the kind's name (`gbdt`).
  public var name: String
  /// Hyperparameters fixed for every trial, by the catalog's parameter names. Default none.
  public var params: [String: ParameterValue]
  /// The search space. Default ``CandidateSpace/catalogDefault``.
  public var space: CandidateSpace

  /// Creates a candidate.
  ///
  /// - Parameters:
  ///   - kind: The model family.
  ///   - name: The candidate's name, or `nil` for the kind's name.
  ///   - params: Fixed hyperparameters.
  ///   - space: The search space.
  public init(
    kind: ModelKind, name: String? = nil, params: [String: ParameterValue] = [:],
    space: CandidateSpace = .catalogDefault
  ) {
    self.kind = kind
    self.name = name ?? kind.rawValue
    self.params = params
    self.space = space
  }
}

extension ModelCandidate {
  /// The searched parameters of a custom space, sorted by name so a seeded sampler sees
  /// them in the same order every run; empty for the catalog's default space.
  public var searchedParameters: [(name: String, distribution: Distribution)] {
    guard case .custom(let specs) = space else { return [] }
    return specs.keys.sorted().compactMap { name in
      if case .search(let distribution)? = specs[name] { (name, distribution) } else { nil }
    }
  }

  /// Every fixed value: ``params`` together with the bare scalars of a custom space.
  public var fixedParameters: [String: ParameterValue] {
    var fixed = params
    if case .custom(let specs) = space {
      for (name, spec) in specs { if case .fixed(let value) = spec { fixed[name] = value } }
    }
    return fixed
  }
}

/// The space a candidate's tuner searches.
public enum CandidateSpace: Codable, Sendable, Equatable {
  /// The model catalog's default space for the kind (written `default`).
  case catalogDefault
  /// Exactly these parameters; names not listed keep their catalog defaults (or
  /// ``ModelCandidate/params``).
  case custom([String: ParameterSpec])
}

/// One entry of a custom search space: a range to search or a fixed value.
public enum ParameterSpec: Codable, Sendable, Equatable {
  /// Searched over a HoneTuning distribution (`{float: [lo, hi], log, step}`,
  /// `{int: [lo, hi], log, step}` or `{choice: [a, b, …]}`).
  case search(Distribution)
  /// Fixed to one value (a bare scalar in the file).
  case fixed(ParameterValue)
}
