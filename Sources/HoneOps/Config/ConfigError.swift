/// An error in a run configuration: what is wrong, at which field path, where in which
/// file, and what is allowed instead.
///
/// The description reads like a compiler message:
/// `quickstart.yaml:14:12: tuning.sampler: "tpee" is not one of tpe, random, grid, sobol, cmaes (did you mean "tpe"?)`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The class of problem.
  public enum Kind: Sendable, Equatable {
    /// The file could not be read.
    case unreadable
    /// The text is not valid YAML or JSON.
    case syntax
    /// A key is not part of the schema at that level.
    case unknownKey
    /// A required key is missing.
    case missingKey
    /// A value has the wrong type (a string where a number belongs, …).
    case typeMismatch
    /// A value has the right type but is not allowed (out of range, not one of the names…).
    case invalidValue
    /// A `--set` or environment override is malformed.
    case invalidOverride
  }

  /// The class of problem.
  public let kind: Kind
  /// The field path (`models[1].space.learningRate`), or `""` for the whole document.
  public let path: String
  /// Where the offending value is written, when known.
  public let location: SourceLocation?
  /// What is wrong and what is allowed.
  public let message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The class of problem.
  ///   - path: The field path.
  ///   - location: Where the value is written.
  ///   - message: What is wrong and what is allowed.
  public init(_ kind: Kind, path: String, location: SourceLocation? = nil, _ message: String) {
    self.kind = kind
    self.path = path
    self.location = location
    self.message = message
  }

  /// `file:line:column: path: message`, leaving out what is unknown.
  public var description: String {
    var text = ""
    if let location { text += "\(location): " }
    if !path.isEmpty { text += "\(path): " }
    return text + message
  }
}

/// "Did you mean" suggestions by edit distance.
enum Suggestion {
  /// The candidate closest to `word` by case-insensitive Levenshtein distance, if it is
  /// close enough to be a plausible typo (at most a third of the longer word, at least 1).
  static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let target = Array(word.lowercased().unicodeScalars)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let d = distance(target, Array(candidate.lowercased().unicodeScalars))
      if best.map({ d < $0.distance }) ?? true { best = (candidate, d) }
    }
    guard let best else { return nil }
    let limit = Swift.max(1, Swift.max(target.count, best.name.count) / 3)
    return best.distance <= limit ? best.name : nil
  }

  /// ` (did you mean "x"?)` or the empty string.
  static func clause(for word: String, in candidates: some Sequence<String>) -> String {
    closest(to: word, in: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
  }

  /// Levenshtein distance with one rolling row.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = Swift.min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
