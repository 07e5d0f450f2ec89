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
  /// The search space. Default ``SearchSpace/catalogDefault``.
  public var space: SearchSpace

  /// Creates a candidate.
  ///
  /// - Parameters:
  ///   - kind: The model family.
  ///   - name: The candidate's name, or `nil` for the kind's name.
  ///   - params: Fixed hyperparameters.
  ///   - space: The search space.
  public init(
    kind: ModelKind, name: String? = nil, params: [String: ParameterValue] = [:],
    space: SearchSpace = .catalogDefault
  ) {
    self.kind = kind
    self.name = name ?? kind.rawValue
    self.params = params
    self.space = space
  }
}

/// The space a candidate's tuner searches.
public enum SearchSpace: Codable, Sendable, Equatable {
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
