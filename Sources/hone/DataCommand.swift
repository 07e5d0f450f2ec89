import ArgumentParser
import Foundation
import Hone

/// `hone data …`: inspect data files.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data", abstract: "Inspect data files.", subcommands: [Describe.self])

  /// `hone data describe FILE`: schema, row count, missing values and per-column statistics.
  struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Describe a CSV or .npy file: schema, rows, missing values, per-column statistics.")

    @Argument(help: "A .csv (or other delimited text) or .npy file.") var file: String
    @OptionGroup var csv: CSVOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    struct Report: Codable {
      var file: String
      var rows: Int
      var columns: Int
      var seconds: Double
      var summary: [ColumnSummary]
    }

    func run() throws {
      let start = Date()
      let table = try loadTable(file, csv: csv)
      let report = Report(
        file: file, rows: table.rowCount, columns: table.columnCount, seconds: Date().timeIntervalSince(start),
        summary: table.summary())
      if json { return try printJSON(report) }
      print(
        "\(file): \(report.rows) rows x \(report.columns) columns (read in \(short(report.seconds, digits: 3)) s)\n")
      let rows = report.summary.map { s -> [String] in
        let top = s.top?.map { "\($0.value) (\($0.count))" }.joined(separator: ", ") ?? ""
        return [
          s.name, s.type.rawValue, String(s.count), String(s.missing), s.min ?? "", short(s.mean),
          short(s.standardDeviation), s.max ?? "", s.distinct.map(String.init) ?? "", top,
        ]
      }
      print(
        textTable(
          header: ["column", "type", "count", "missing", "min", "mean", "std", "max", "distinct", "top categories"],
          rows: rows))
    }
  }
}

/// CSV reading options shared by every command that reads a table.
struct CSVOptions: ParsableArguments {
  @Option(help: "Field delimiter (one ASCII character; use $'\\t' for tabs).") var delimiter: String = ","
  @Flag(help: "The file has no header row.") var noHeader = false
  @Option(help: "Comma-separated tokens read as missing (default: empty,NA,N/A,NaN,nan,NULL,null,?).")
  var missing: String?
  @Option(help: "Column types as name=type pairs (types: float, integer, categorical, timestamp), comma-separated.")
  var types: String?

  func readOptions() throws -> CSVReadOptions {
    guard delimiter.count == 1, let character = delimiter.first else {
      throw ValidationError("--delimiter must be exactly one character, got `\(delimiter)`")
    }
    var options = CSVReadOptions(delimiter: character, hasHeader: !noHeader)
    if let missing {
      options.missingTokens = missing.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    if let types {
      for pair in types.split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let type = ColumnType(rawValue: parts[1]) else {
          throw ValidationError(
            "--types entry `\(pair)` must be name=type with type one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))"
          )
        }
        options.types[parts[0]] = type
      }
    }
    return options
  }
}

/// Reads a `.npy` file (as float columns `x0`, `x1`, …) or a delimited text file.
func loadTable(_ path: String, csv: CSVOptions) throws -> Table {
  if path.lowercased().hasSuffix(".npy") {
    do {
      return try Table(try NPY.read(contentsOf: path).matrix())
    } catch let error as NPYError where error.path == nil {
      throw NPYError(path: path, message: error.message)
    }
  }
  return try CSV.read(contentsOf: path, options: try csv.readOptions())
}
