/// Validation metrics computed from network scores.
enum Metrics {
  /// The area under the ROC curve of `scores` for binary `labels` (1 = positive): the
  /// Mann–Whitney statistic with tied scores sharing their average rank. `nil` when one
  /// class is absent.
  ///
  /// - Complexity: O(n log n).
  static func areaUnderROC(scores: [Double], labels: [Bool]) -> Double? {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var positiveRankSum = 0.0
    var positives = 0
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
      // Ranks are 1-based; tied scores share the mean of their ranks.
      let rank = Double(start + end + 2) / 2
      for position in start...end where labels[order[position]] {
        positiveRankSum += rank
        positives += 1
      }
      start = end + 1
    }
    let negatives = order.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    let p = Double(positives)
    return (positiveRankSum - p * (p + 1) / 2) / (p * Double(negatives))
  }
}
