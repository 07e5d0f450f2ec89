/// One train/test partition of a data set's rows: the row indices a model is fitted on and
/// the row indices it is evaluated on.
///
/// Both index lists are sorted ascending and free of duplicates, whatever order they were
/// given in, so a split can be compared, stored and applied to a `Table` with
/// `rows(at:)` without surprises. Rows in neither list (purged or embargoed rows, or rows
/// outside a time-series window) take no part in the split.
public struct Split: Sendable, Hashable, Codable {
  /// The training row indices, sorted ascending.
  public let train: [Int]
  /// The test row indices, sorted ascending.
  public let test: [Int]

  /// Creates a split, sorting and de-duplicating both index lists.
  ///
  /// - Parameters:
  ///   - train: The training row indices, in any order.
  ///   - test: The test row indices, in any order.
  /// - Complexity: O(*n* log *n*) for *n* indices, O(*n*) when they are already sorted.
  public init(train: [Int], test: [Int]) {
    self.train = Split.sortedUnique(train)
    self.test = Split.sortedUnique(test)
  }

  /// Creates a split from index lists the caller guarantees sorted and unique.
  init(sortedTrain: [Int], sortedTest: [Int]) {
    self.train = sortedTrain
    self.test = sortedTest
  }

  /// Decodes a split, sorting and de-duplicating both index lists as ``init(train:test:)``.
  ///
  /// - Parameter decoder: The decoder, holding `train` and `test` arrays.
  /// - Throws: A `DecodingError` when either list is missing or malformed.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      train: try container.decode([Int].self, forKey: .train), test: try container.decode([Int].self, forKey: .test))
  }

  private static func sortedUnique(_ indices: [Int]) -> [Int] {
    // Splitters build sorted lists already; checking first keeps their cost linear.
    var isStrictlyIncreasing = true
    for position in indices.indices.dropFirst() where indices[position - 1] >= indices[position] {
      isStrictlyIncreasing = false
      break
    }
    if isStrictlyIncreasing { return indices }
    var result = indices.sorted()
    var write = 0
    for value in result where write == 0 || result[write - 1] != value {
      result[write] = value
      write += 1
    }
    result.removeLast(result.count - write)
    return result
  }
}
