import HoneCore

/// Where a run's rows come from and how to read them.
///
/// ```yaml
/// data:
///   path: ../Datasets/market/synthetic_market.csv
///   timestamp: timestamp
///   symbol: symbol
///   types: {volume: float}
///   ignore: [regime]
/// ```
public struct DataConfiguration: Codable, Sendable, Equatable {
  /// The file formats a run can read.
  public enum Format: String, Codable, Sendable, CaseIterable {
    /// Comma- (or ``DataConfiguration/delimiter``-) separated text with a header row.
    case csv
    /// A NumPy `.npy` array; its columns are named `x0`, `x1`, ….
    case npy
  }

  /// The data files, as absolute paths once loaded: a relative path in a file is resolved
  /// against that file's folder, one from the environment or `--set` against the working
  /// directory. Several files are stacked in order and must share a header; when
  /// ``symbol`` names a column the files lack, each file's name without its extension
  /// fills it (`AAPL` for `AAPL.csv`). In YAML, `path:` takes one path or a list.
  public var paths: [String]
  /// The format, or `nil` to choose by extension (`.npy` is NumPy, anything else CSV).
  /// Default `nil`.
  public var format: Format?
  /// The CSV field separator, one character. Default `,`.
  public var delimiter: Character
  /// Cell texts read as missing. Default HoneCore's list (`""`, `NA`, `N/A`, `NaN`, `nan`,
  /// `NULL`, `null`, `?`).
  public var missing: [String]
  /// Column types that override inference, by column name (`float`, `int`, `categorical`,
  /// `timestamp`). Default none.
  public var types: [String: ColumnType]
  /// The timestamp column, or `nil` for data without time order. Labels, trading features,
  /// purged splitting and `holdout.after` need it. Default `nil`.
  public var timestamp: String?
  /// The symbol column of a panel of several instruments, or `nil` for one. Default `nil`.
  public var symbol: String?
  /// Columns never used as features (identifiers, leaky fields). Default none.
  public var ignore: [String]

  /// Creates a data section.
  ///
  /// - Parameters:
  ///   - paths: The data files.
  ///   - format: The format, or `nil` to choose by extension.
  ///   - delimiter: The CSV separator.
  ///   - missing: Cell texts read as missing.
  ///   - types: Column type overrides.
  ///   - timestamp: The timestamp column.
  ///   - symbol: The symbol column.
  ///   - ignore: Columns never used as features.
  public init(
    paths: [String], format: Format? = nil, delimiter: Character = ",",
    missing: [String] = CSVReadOptions.defaultMissingTokens, types: [String: ColumnType] = [:],
    timestamp: String? = nil, symbol: String? = nil, ignore: [String] = []
  ) {
    self.paths = paths
    self.format = format
    self.delimiter = delimiter
    self.missing = missing
    self.types = types
    self.timestamp = timestamp
    self.symbol = symbol
    self.ignore = ignore
  }

  /// The format of `path`: ``format`` when set, else by extension.
  ///
  /// - Parameter path: One of ``paths``.
  /// - Returns: The format to read it with.
  public func format(of path: String) -> Format {
    if let format { return format }
    return path.lowercased().hasSuffix(".npy") ? .npy : .csv
  }

  /// The CSV reading options this section describes.
  public var csvOptions: CSVReadOptions {
    CSVReadOptions(delimiter: delimiter, missingTokens: missing, types: types)
  }

  private enum CodingKeys: String, CodingKey {
    case paths, format, delimiter, missing, types, timestamp, symbol, ignore
  }

  /// Decodes the section as ``encode(to:)`` writes it.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` for a missing key or a delimiter that is not one character.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    paths = try c.decode([String].self, forKey: .paths)
    format = try c.decodeIfPresent(Format.self, forKey: .format)
    let text = try c.decode(String.self, forKey: .delimiter)
    guard text.count == 1, let character = text.first else {
      throw DecodingError.dataCorruptedError(
        forKey: .delimiter, in: c, debugDescription: "the delimiter must be one character, got \"\(text)\"")
    }
    delimiter = character
    missing = try c.decode([String].self, forKey: .missing)
    types = try c.decode([String: ColumnType].self, forKey: .types)
    timestamp = try c.decodeIfPresent(String.self, forKey: .timestamp)
    symbol = try c.decodeIfPresent(String.self, forKey: .symbol)
    ignore = try c.decode([String].self, forKey: .ignore)
  }

  /// Encodes the section, the delimiter as a one-character string.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: The encoder's errors.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(paths, forKey: .paths)
    try c.encodeIfPresent(format, forKey: .format)
    try c.encode(String(delimiter), forKey: .delimiter)
    try c.encode(missing, forKey: .missing)
    try c.encode(types, forKey: .types)
    try c.encodeIfPresent(timestamp, forKey: .timestamp)
    try c.encodeIfPresent(symbol, forKey: .symbol)
    try c.encode(ignore, forKey: .ignore)
  }
}
