import Foundation

/// How ``CSV`` reads a delimited text file.
public struct CSVReadOptions: Sendable {
  /// The field separator, one ASCII character (`,` by default; `\t` for TSV, `;` for
  /// European-style files).
  public var delimiter: Character
  /// Whether the first record holds the column names. Without a header, columns are
  /// named `column_1`, `column_2`, ….
  public var hasHeader: Bool
  /// Unquoted field texts that mean "missing". A quoted field is never missing, so
  /// `""` is an empty string and `"NA"` the text NA.
  public var missingTokens: [String]
  /// Column types to use instead of inferring them, by column name.
  public var types: [String: ColumnType]
  /// How many data rows schema inference looks at before fixing each column's type.
  /// A later value that does not fit the inferred type is an error, except that an
  /// integer column meeting a decimal number or a missing value becomes a float column.
  public var inferenceRowCount: Int
  /// How many threads parse large unquoted blocks (default 1). Results do not depend
  /// on it. On the project's 2-vCPU benchmark machines two threads were slower than one
  /// (docs/benchmarks.md), so more threads pay only where the cores are independent.
  public var threadCount: Int

  /// The tokens read as missing by default: the empty field, `NA`, `N/A`, `NaN`, `nan`,
  /// `NULL`, `null` and `?`.
  public static let defaultMissingTokens = ["", "NA", "N/A", "NaN", "nan", "NULL", "null", "?"]

  /// Creates options; every parameter has the documented default.
  public init(
    delimiter: Character = ",", hasHeader: Bool = true,
    missingTokens: [String] = CSVReadOptions.defaultMissingTokens, types: [String: ColumnType] = [:],
    inferenceRowCount: Int = 1000, threadCount: Int? = nil
  ) {
    self.threadCount = threadCount ?? 1
    self.delimiter = delimiter
    self.hasHeader = hasHeader
    self.missingTokens = missingTokens
    self.types = types
    self.inferenceRowCount = inferenceRowCount
  }
}

/// How ``CSV`` writes a table.
public struct CSVWriteOptions: Sendable {
  /// The field separator, one ASCII character.
  public var delimiter: Character
  /// Whether to write a header row of column names.
  public var includeHeader: Bool
  /// The text written for a missing value (empty by default).
  public var missingToken: String

  /// Creates options; every parameter has the documented default.
  public init(delimiter: Character = ",", includeHeader: Bool = true, missingToken: String = "") {
    self.delimiter = delimiter
    self.includeHeader = includeHeader
    self.missingToken = missingToken
  }
}

/// An error reading or writing CSV: what went wrong, and where — file, line (1-based,
/// counting physical lines, so it matches an editor) and column.
///
/// ```text
/// data.csv: line 8812, column `age`: cannot parse `4x` as a number …
/// ```
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kind of problem, for callers that handle some cases.
  public enum Kind: Sendable, Equatable {
    /// The input has no bytes at all (not even a header).
    case emptyInput
    /// A quoted field is still open at the end of the input.
    case unterminatedQuote
    /// A closing quote is followed by something other than a delimiter or line end.
    case unexpectedCharacterAfterQuote
    /// A record has a different number of fields than the header.
    case raggedRow(expected: Int, found: Int)
    /// A value does not fit its column's type.
    case typeMismatch(value: String, expected: ColumnType)
    /// A column typed as integer has a missing value.
    case missingInteger
    /// Two header fields have the same name.
    case duplicateColumn(String)
    /// The options name a column the header does not have.
    case unknownColumn(String)
    /// An option is invalid (for example, a delimiter that is not one ASCII character).
    case invalidOption
    /// The file could not be opened, read or written.
    case io
  }

  /// The kind of problem.
  public let kind: Kind
  /// The file's path, or `nil` for in-memory input.
  public let path: String?
  /// The 1-based line number, when the problem is at a line.
  public let line: Int?
  /// The column name, when the problem is in one column.
  public let column: String?
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  public init(kind: Kind, path: String?, line: Int? = nil, column: String? = nil, message: String) {
    self.kind = kind
    self.path = path
    self.line = line
    self.column = column
    self.message = message
  }

  /// `path: line N, column `name`: message`.
  public var description: String {
    var location: [String] = []
    if let line { location.append("line \(line)") }
    if let column { location.append("column `\(column)`") }
    let prefix = (path.map { "\($0): " } ?? "") + location.joined(separator: ", ")
    return prefix.isEmpty ? message : prefix + (location.isEmpty ? "" : ": ") + message
  }
}
