import HoneTuning

/// An ordered list of hyperparameters to tune, each with the distribution it is drawn
/// from: the declarative space the catalog, configuration files and `hone tune` build.
///
/// The order is the order of suggestion, so a seeded sampler draws the same values for
/// the same space. Names are the hyperparameters' Swift names
/// (``HyperparameterOverrides/names(of:)``).
public struct SearchSpace: Sendable, Hashable, Codable {
  /// One tuned hyperparameter.
  public struct Dimension: Sendable, Hashable, Codable {
    /// The hyperparameter's name.
    public var name: String
    /// Where its values come from.
    public var distribution: Distribution

    /// Creates a dimension.
    ///
    /// - Parameters:
    ///   - name: The hyperparameter's name.
    ///   - distribution: Where its values come from.
    public init(_ name: String, _ distribution: Distribution) {
      self.name = name
      self.distribution = distribution
    }
  }

  /// The dimensions, in suggestion order.
  public var dimensions: [Dimension]

  /// Creates a space from dimensions.
  ///
  /// - Parameter dimensions: The dimensions, in suggestion order.
  public init(_ dimensions: [Dimension]) { self.dimensions = dimensions }

  /// Creates a space from `(name, distribution)` pairs.
  ///
  /// - Parameter pairs: The names and distributions, in suggestion order.
  public init(_ pairs: [(String, Distribution)]) { self.dimensions = pairs.map { Dimension($0.0, $0.1) } }

  /// The space with no dimensions (a model with nothing to tune).
  public static let empty = SearchSpace([Dimension]())

  /// The tuned names, in order.
  public var parameterNames: [String] { dimensions.map(\.name) }

  /// The space without the named dimensions (those a user fixed).
  ///
  /// - Parameter names: Names to drop.
  /// - Returns: The remaining dimensions, in order.
  public func removing(_ names: some Sequence<String>) -> SearchSpace {
    let drop = Set(names)
    return SearchSpace(dimensions.filter { !drop.contains($0.name) })
  }

  /// Checks every distribution and that no name repeats.
  ///
  /// - Throws: ``TuningError`` naming the dimension at fault.
  public func validate() throws {
    var seen = Set<String>()
    for dimension in dimensions {
      guard seen.insert(dimension.name).inserted else {
        throw TuningError("`\(dimension.name)` appears twice in the search space; give each hyperparameter once")
      }
      try dimension.distribution.validate(name: dimension.name)
    }
  }

  /// Suggests one value per dimension on `trial`, in order.
  ///
  /// - Parameter trial: The running trial.
  /// - Returns: The values by name.
  /// - Throws: ``TuningError`` for a malformed distribution.
  public func suggest(on trial: Trial) throws -> [String: ParameterValue] {
    var values: [String: ParameterValue] = [:]
    for dimension in dimensions { values[dimension.name] = try trial.suggest(dimension.name, dimension.distribution) }
    return values
  }
}
