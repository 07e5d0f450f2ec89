import HoneCore

/// A list of trading features to add to an OHLCV table in one call, Codable so a config
/// file can describe it.
///
/// ```swift
/// let features = FeatureSet([
///   .logReturn(column: "close", horizon: 1),
///   .logReturn(column: "close", horizon: 5),
///   .rollingZScore(column: "close", window: 20),
///   .relativeStrengthIndex(column: "close", period: 14),
///   .macd(column: "close", fast: 12, slow: 26, signal: 9),
///   .averageTrueRange(period: 14),
///   .calendar(field: .dayOfWeek),
/// ], columns: OHLCVColumns(symbol: "symbol"))
/// let enriched = try features.apply(to: prices)
/// ```
///
/// Every feature is computed per symbol, in that symbol's time order, from that symbol's
/// past rows only; ``LookAhead/check(_:on:columns:startingAt:stride:)`` verifies this for
/// any set.
public struct FeatureSet: Codable, Sendable, Equatable {
  /// The features, in the order their columns are added.
  public var features: [FeatureSpec]
  /// Which columns hold the timestamp, symbol and prices.
  public var columns: OHLCVColumns

  /// Creates a feature set.
  ///
  /// - Parameters:
  ///   - features: The features, in output order.
  ///   - columns: Which columns hold the timestamp, symbol and prices.
  public init(_ features: [FeatureSpec], columns: OHLCVColumns = OHLCVColumns()) {
    self.features = features
    self.columns = columns
  }

  /// The names of the columns ``apply(to:)`` adds, in order.
  public var outputNames: [String] { features.flatMap(\.outputNames) }

  /// The largest warm-up among the features: rows of each symbol before every feature is
  /// defined.
  public var warmUpRows: Int { features.map(\.warmUpRows).max() ?? 0 }

  /// A copy of `table` with every feature's columns added at the end (a column of the
  /// same name already in the table is replaced, so applying a set twice is harmless).
  ///
  /// - Parameter table: An OHLCV table, in non-decreasing time order within each symbol.
  /// - Returns: The table with the feature columns, rows in the same order.
  /// - Throws: ``FeatureError`` when two features share an output name, or as
  ///   ``FeatureSpec/columns(for:columns:)`` for any feature.
  /// - Complexity: the sum of the features' costs.
  public func apply(to table: Table) throws -> Table {
    var result = table
    for column in try featureColumns(for: table) { result = try result.setting(column) }
    return result
  }

  /// The feature columns alone, in order, one value per row of `table`.
  ///
  /// - Parameter table: An OHLCV table, in non-decreasing time order within each symbol.
  /// - Returns: The feature columns.
  /// - Throws: as ``apply(to:)``.
  public func featureColumns(for table: Table) throws -> [Column] {
    var seen = Set<String>()
    for name in outputNames where !seen.insert(name).inserted {
      throw FeatureError(.duplicateName, "two features in the set both produce a column `\(name)`; remove one")
    }
    let partition = try SymbolPartition(table, columns: columns)
    return try features.flatMap { try $0.compute(for: table, partition: partition, layout: columns) }
  }
}
