/// A (weighted) confusion matrix: `counts[i][j]` is the total weight of rows whose true
/// label is `labels[i]` and whose predicted label is `labels[j]`, as in scikit-learn's
/// `confusion_matrix`.
public struct ConfusionMatrix<Label: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// The labels indexing rows (true) and columns (predicted), in ascending order unless
  /// given explicitly.
  public let labels: [Label]

  /// The weighted counts, one row per true label, one column per predicted label.
  public let counts: [[Double]]

  /// Creates a confusion matrix from its labels and counts.
  ///
  /// - Parameters:
  ///   - labels: The labels indexing rows and columns.
  ///   - counts: A `labels.count × labels.count` table of weighted counts.
  public init(labels: [Label], counts: [[Double]]) {
    self.labels = labels
    self.counts = counts
  }

  /// The total weight of rows whose true label is `labels[i]` (the support of class `i`).
  ///
  /// - Returns: One total per label.
  public var trueTotals: [Double] { counts.map { $0.reduce(0, +) } }

  /// The total weight of rows predicted as `labels[j]`.
  ///
  /// - Returns: One total per label.
  public var predictedTotals: [Double] {
    labels.indices.map { column in counts.reduce(0) { $0 + $1[column] } }
  }

  /// The weight on the diagonal for each label: rows predicted correctly.
  ///
  /// - Returns: One total per label.
  public var truePositives: [Double] { labels.indices.map { counts[$0][$0] } }
}
