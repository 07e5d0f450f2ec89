import HoneCore

/// The triple-barrier method of López de Prado (2018), *Advances in Financial Machine
/// Learning*, §3.4–3.5: from each row, follow the close of the same symbol until it
/// first touches an upper barrier (profit taking), a lower barrier (stop loss) or a
/// vertical barrier (maximum holding period).
///
/// The horizontal barriers are multiples of a volatility estimate σ known at the row
/// itself: the path return `close[j] / close[i] − 1` touches the upper barrier when it is
/// `≥ profitTaking · σ[i]` and the lower when it is `≤ −stopLoss · σ[i]`; a multiple of 0
/// removes that barrier. The vertical barrier is the first row that is `maxHoldingRows`
/// rows later or at least `maxHoldingTime` later (as `searchsorted(t0 + Δ)` in the book),
/// whichever comes first.
///
/// The label ends at the first touch, `t1`: its value is the sign of the return there
/// (the book's `getBins`), or 0 when the vertical barrier is touched first and
/// ``verticalBarrierValue`` is ``VerticalBarrierValue/zero``. A row's label is missing
/// when σ is NaN or not positive there, or when the data end before any barrier is
/// touched (the vertical barrier lies past the last row).
///
/// ```swift
/// let labeller = TripleBarrierLabel(
///   profitTaking: 2, stopLoss: 1, maxHoldingRows: 10,
///   volatility: .exponentialStandardDeviation(span: 50, minimumPeriods: 20))
/// let labels = try labeller.labels(for: prices)
/// ```
public struct TripleBarrierLabel: LabelGenerator, Codable, Equatable {
  /// How the barriers are scaled.
  public enum Volatility: Codable, Sendable, Equatable {
    /// The exponentially weighted standard deviation of one-row simple returns, as
    /// ``Indicators/exponentialStandardDeviation(_:span:minimumPeriods:)`` (the book's
    /// `getDailyVol`): trailing, so known at the row.
    case exponentialStandardDeviation(span: Int, minimumPeriods: Int)
    /// A column of the table holding σ per row. It must be computed from past data only
    /// (check it with ``LookAhead``): a σ that peeks ahead leaks into the labels.
    case column(name: String)
    /// The same σ for every row: fixed-width barriers.
    case constant(value: Double)
  }

  /// The label of a row whose vertical barrier is touched first.
  public enum VerticalBarrierValue: String, Codable, Sendable, Equatable {
    /// The sign of the return at the vertical barrier (the book's default).
    case sign
    /// 0: no horizontal barrier was touched within the holding period (the book's
    /// three-class variant).
    case zero
  }

  /// The upper barrier as a multiple of σ; 0 for none.
  public var profitTaking: Double
  /// The lower barrier as a multiple of σ; 0 for none.
  public var stopLoss: Double
  /// The maximum holding period in rows, or `nil`.
  public var maxHoldingRows: Int?
  /// The maximum holding period in nanoseconds, or `nil`.
  public var maxHoldingTime: Int64?
  /// How the horizontal barriers are scaled.
  public var volatility: Volatility
  /// The label when the vertical barrier is touched first.
  public var verticalBarrierValue: VerticalBarrierValue
  /// Which columns hold the timestamp, symbol and close.
  public var columns: OHLCVColumns

  /// Creates a triple-barrier labeller.
  ///
  /// - Parameters:
  ///   - profitTaking: The upper barrier as a multiple of σ; 0 for none.
  ///   - stopLoss: The lower barrier as a multiple of σ; 0 for none.
  ///   - maxHoldingRows: The maximum holding period in rows.
  ///   - maxHoldingTime: The maximum holding period in nanoseconds.
  ///   - volatility: How the horizontal barriers are scaled.
  ///   - verticalBarrierValue: The label when the vertical barrier is touched first.
  ///   - columns: Which columns hold the timestamp, symbol and close.
  public init(
    profitTaking: Double, stopLoss: Double, maxHoldingRows: Int? = nil, maxHoldingTime: Int64? = nil,
    volatility: Volatility = .exponentialStandardDeviation(span: 100, minimumPeriods: 20),
    verticalBarrierValue: VerticalBarrierValue = .sign, columns: OHLCVColumns = OHLCVColumns()
  ) {
    self.profitTaking = profitTaking
    self.stopLoss = stopLoss
    self.maxHoldingRows = maxHoldingRows
    self.maxHoldingTime = maxHoldingTime
    self.volatility = volatility
    self.verticalBarrierValue = verticalBarrierValue
    self.columns = columns
  }

  /// Labels every row of `table`, per symbol.
  ///
  /// - Parameter table: An OHLCV table, in non-decreasing time order within each symbol.
  /// - Returns: The labels, the return at each label's end, and the end rows and times.
  /// - Throws: ``FeatureError`` when a multiple is negative or not finite, there is no
  ///   vertical barrier or its length is not positive (the interval would end before it
  ///   starts), a column is missing or not numeric, or timestamps are out of order.
  /// - Complexity: O(n · h), with h the longest holding period in rows.
  public func labels(for table: Table) throws -> Labels {
    try validate()
    let partition = try SymbolPartition(table, columns: columns)
    let prices = try SymbolPartition.numeric(columns.close, role: "close", in: table)
    let sigmaColumn: [Double] =
      if case .column(let name) = volatility {
        try SymbolPartition.numeric(name, role: "volatility", in: table)
      } else { [] }
    return try partition.labels(prices: prices) { rows, prices, timestamps in
      let sigma: [Double]
      switch volatility {
      case .exponentialStandardDeviation(let span, let minimumPeriods):
        var returns = [Double](repeating: .nan, count: prices.count)
        for t in 1..<Swift.max(1, prices.count) { returns[t] = prices[t] / prices[t - 1] - 1 }
        sigma = try Indicators.exponentialStandardDeviation(returns, span: span, minimumPeriods: minimumPeriods)
      case .column: sigma = rows.map { sigmaColumn[$0] }
      case .constant(let value): sigma = [Double](repeating: value, count: prices.count)
      }
      return prices.indices.map { label(at: $0, prices: prices, timestamps: timestamps, sigma: sigma[$0]) }
    }
  }

  private func validate() throws {
    for (name, value) in [("profit-taking", profitTaking), ("stop-loss", stopLoss)] {
      guard value >= 0, value.isFinite else {
        throw FeatureError(
          .invalidParameter,
          "triple-barrier label: the \(name) multiple is \(value) but must be finite and ≥ 0 (0 removes it)")
      }
    }
    guard maxHoldingRows != nil || maxHoldingTime != nil else {
      throw FeatureError(
        .invalidParameter,
        "triple-barrier label: set maxHoldingRows or maxHoldingTime; without a vertical barrier a label's end "
          + "is unbounded and purging would have to drop everything after it")
    }
    if let rows = maxHoldingRows, rows < 1 {
      throw FeatureError(
        .invalidLabelInterval,
        "triple-barrier label: maxHoldingRows is \(rows), so every label would end at or before its own row; use ≥ 1")
    }
    if let time = maxHoldingTime, time < 1 {
      throw FeatureError(
        .invalidLabelInterval,
        "triple-barrier label: maxHoldingTime is \(time) ns, so every label would end at or before it starts; use > 0")
    }
    switch volatility {
    case .exponentialStandardDeviation(let span, let minimumPeriods):
      try Indicators.require(span, atLeast: 1, "the volatility span", in: "triple-barrier label")
      try Indicators.require(minimumPeriods, atLeast: 1, "the volatility minimum periods", in: "triple-barrier label")
    case .column: break
    case .constant(let value):
      guard value > 0, value.isFinite else {
        throw FeatureError(
          .invalidParameter, "triple-barrier label: the constant volatility is \(value) but must be positive")
      }
    }
  }

  /// The label of local row `i`: scans forward to the first barrier touched.
  private func label(at i: Int, prices: [Double], timestamps: [Int64], sigma: Double)
    -> (value: Double, return: Double, end: Int?)
  {
    let missing: (value: Double, return: Double, end: Int?) = (.nan, .nan, nil)
    guard sigma > 0, sigma.isFinite, !prices[i].isNaN else { return missing }
    // The vertical barrier; `Int.max` while it lies beyond the data.
    var vertical = Int.max
    if let rows = maxHoldingRows, rows < prices.count - i { vertical = i + rows }
    if let time = maxHoldingTime {
      let (limit, overflow) = timestamps[i].addingReportingOverflow(time)
      if !overflow {
        var j = i + 1
        while j < prices.count, j < vertical, timestamps[j] < limit { j += 1 }
        if j < prices.count, timestamps[j] >= limit { vertical = Swift.min(vertical, j) }
      }
    }
    let upper = profitTaking > 0 ? profitTaking * sigma : Double.infinity
    let lower = stopLoss > 0 ? -stopLoss * sigma : -Double.infinity
    let last = Swift.min(vertical, prices.count - 1)
    guard i < last else { return missing }
    for j in (i + 1)...last {
      let r = prices[j] / prices[i] - 1
      if r.isNaN { return missing }
      if r >= upper || r <= lower { return (sign(r), r, j) }
    }
    guard vertical != Int.max else { return missing }
    let r = prices[vertical] / prices[i] - 1
    return (verticalBarrierValue == .zero ? 0 : sign(r), r, vertical)
  }

  private func sign(_ r: Double) -> Double { r > 0 ? 1 : (r < 0 ? -1 : 0) }
}
