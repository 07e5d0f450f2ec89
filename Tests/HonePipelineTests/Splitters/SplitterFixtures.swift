import Foundation
import HonePipeline

/// scikit-learn 1.9.1's folds for the standard splitters, from
/// `Fixtures/make_splitter_fixtures.py`.
struct SplitterFixtures: Decodable, Sendable {
  struct Fold: Decodable, Sendable, Hashable {
    let train: [Int]
    let test: [Int]
  }

  struct KFoldCase: Decodable, Sendable, CustomStringConvertible {
    let n: Int
    let k: Int
    let splits: [Fold]
    var description: String { "n=\(n) k=\(k)" }
  }

  struct StratifiedCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let k: Int
    let targets: [Double]
    let splits: [Fold]
    var description: String { "\(name), k=\(k)" }
  }

  struct GroupCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let k: Int
    let groups: [Int]
    let splits: [Fold]
    var description: String { "\(name), k=\(k)" }
  }

  struct TimeSeriesCase: Decodable, Sendable, CustomStringConvertible {
    let n: Int
    let k: Int
    let maxTrainSize: Int?
    let testSize: Int?
    let gap: Int
    let splits: [Fold]
    var description: String {
      "n=\(n) k=\(k) maxTrain=\(maxTrainSize.map(String.init) ?? "-") test=\(testSize.map(String.init) ?? "-") gap=\(gap)"
    }
  }

  struct FixtureError: Error, CustomStringConvertible {
    let description: String
  }

  let versions: [String: String]
  let kfold: [KFoldCase]
  let stratifiedKfold: [StratifiedCase]
  let groupKfold: [GroupCase]
  let timeSeriesSplit: [TimeSeriesCase]

  /// The decoded fixture file, or `nil` when it is missing (``load()`` then fails in a test).
  static let shared: SplitterFixtures? = try? load()

  static func load() throws -> SplitterFixtures {
    guard
      let url = Bundle.module.url(forResource: "splitter_fixtures", withExtension: "json", subdirectory: "Fixtures")
    else {
      throw FixtureError(
        description: "splitter_fixtures.json is not in the test bundle; run Fixtures/make_splitter_fixtures.py")
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(SplitterFixtures.self, from: Data(contentsOf: url))
  }
}

extension Split {
  /// The split as a fixture fold, for comparison.
  var fold: SplitterFixtures.Fold { SplitterFixtures.Fold(train: train, test: test) }
}
