import ArgumentParser
import Foundation
import Hone

/// Reads one CSV file with Hone and reports seconds, MB/s and rows/s. The pandas
/// comparison runs this and `peers/pandas_read_csv.py` alternately (see
/// `scripts/csv_vs_pandas.sh`) so both see the same machine state.
struct CSVBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "csv", abstract: "CSV parse throughput of one file (seconds, MB/s, rows/s).")

  @Argument(help: "The CSV file to read.") var path: String
  @Option(help: "Timed repetitions.") var repeats = 1
  @Option(help: "Parser threads (default: every core).") var threads: Int?
  @Flag(help: "Print one JSON object per repetition.") var json = false

  func run() throws {
    let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
    for _ in 0..<repeats {
      var table: Table?
      let elapsed = try seconds {
        table = try CSV.read(contentsOf: path, options: CSVReadOptions(threadCount: threads))
      }
      let rows = table?.rowCount ?? 0
      let columns = table?.columnCount ?? 0
      if json {
        print(
          #"{"reader":"hone","seconds":\#(elapsed),"rows":\#(rows),"columns":\#(columns),"bytes":\#(Int(size))}"#)
      } else {
        print(
          "hone: \(fixed(elapsed, 3)) s, \(fixed(size / elapsed / 1e6, 1)) MB/s, \(fixed(Double(rows) / elapsed / 1e6, 2)) M rows/s (\(rows) x \(columns))"
        )
      }
    }
  }
}
