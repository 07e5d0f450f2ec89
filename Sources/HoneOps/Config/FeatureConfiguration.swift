import HonePipeline

/// The model inputs: raw columns of the data and/or computed trading features.
///
/// ```yaml
/// features:
///   columns: none            # all (default) | none | [col, …]
///   prices: {close: close}   # OHLCV column names the recipes read
///   recipes:
///     - logReturn: {column: close, horizon: 1}
///     - relativeStrengthIndex: {column: close, period: 14}
///     - averageTrueRange: {period: 14}
///     - onBalanceVolume
/// ```
public struct FeatureConfiguration: Codable, Sendable, Equatable {
  /// Which raw columns are inputs.
  public enum RawColumns: Codable, Sendable, Equatable {
    /// Every column except the target, timestamp, symbol, ignored columns and the price
    /// column a label is computed from.
    case all
    /// No raw column; only recipe outputs.
    case none
    /// Exactly these columns.
    case list([String])
  }

  /// Which raw columns are inputs. Default ``RawColumns/all``.
  public var columns: RawColumns
  /// The OHLCV column names the recipes read; its timestamp and symbol are those of the
  /// data section. Default `open`, `high`, `low`, `close`, `volume`.
  public var prices: OHLCVColumns
  /// Computed trading features, in output order. Default none.
  public var recipes: [FeatureSpec]

  /// Creates a features section.
  ///
  /// - Parameters:
  ///   - columns: Which raw columns are inputs.
  ///   - prices: The OHLCV column names.
  ///   - recipes: Computed features.
  public init(columns: RawColumns = .all, prices: OHLCVColumns = OHLCVColumns(), recipes: [FeatureSpec] = []) {
    self.columns = columns
    self.prices = prices
    self.recipes = recipes
  }

  /// The recipes as a ``FeatureSet`` ready to apply (``prices`` names its columns).
  public var featureSet: FeatureSet { FeatureSet(recipes, columns: prices) }
}
