import HoneCore

/// The names of the columns of an OHLCV table: timestamp, optional symbol, open, high,
/// low, close and volume.
///
/// The defaults match Hone's datasets (`timestamp, open, high, low, close, volume`, and
/// `symbol` in ``SyntheticMarket``-style panels). In a config any key may be left out to
/// keep its default:
///
/// ```json
/// {"symbol": "symbol", "close": "adjusted_close"}
/// ```
public struct OHLCVColumns: Codable, Sendable, Equatable {
  /// The timestamp column; rows must be in non-decreasing time order within each symbol.
  public var timestamp: String
  /// The symbol column, or `nil` when the table holds one instrument. Features are
  /// computed per symbol, each in its own time order.
  public var symbol: String?
  /// The opening price column.
  public var open: String
  /// The high price column.
  public var high: String
  /// The low price column.
  public var low: String
  /// The closing price column; returns, labels and price indicators read it by default.
  public var close: String
  /// The volume column.
  public var volume: String

  /// Creates a column layout.
  ///
  /// - Parameters:
  ///   - timestamp: The timestamp column.
  ///   - symbol: The symbol column, or `nil` for a single instrument.
  ///   - open: The open column.
  ///   - high: The high column.
  ///   - low: The low column.
  ///   - close: The close column.
  ///   - volume: The volume column.
  public init(
    timestamp: String = "timestamp", symbol: String? = nil, open: String = "open", high: String = "high",
    low: String = "low", close: String = "close", volume: String = "volume"
  ) {
    self.timestamp = timestamp
    self.symbol = symbol
    self.open = open
    self.high = high
    self.low = low
    self.close = close
    self.volume = volume
  }

  private enum CodingKeys: String, CodingKey {
    case timestamp, symbol, open, high, low, close, volume
  }

  /// Decodes a layout; missing keys keep their defaults.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when a present key is not a string.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = OHLCVColumns()
    timestamp = try container.decodeIfPresent(String.self, forKey: .timestamp) ?? defaults.timestamp
    symbol = try container.decodeIfPresent(String.self, forKey: .symbol)
    open = try container.decodeIfPresent(String.self, forKey: .open) ?? defaults.open
    high = try container.decodeIfPresent(String.self, forKey: .high) ?? defaults.high
    low = try container.decodeIfPresent(String.self, forKey: .low) ?? defaults.low
    close = try container.decodeIfPresent(String.self, forKey: .close) ?? defaults.close
    volume = try container.decodeIfPresent(String.self, forKey: .volume) ?? defaults.volume
  }
}
