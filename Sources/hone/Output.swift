import Foundation

/// Prints a `Codable` value as pretty, key-sorted JSON on standard output.
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  encoder.nonConformingFloatEncodingStrategy = .convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Renders rows as a left-aligned text table with a header.
func textTable(header: [String], rows: [[String]]) -> String {
  var widths = header.map(\.count)
  for row in rows {
    for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
  }
  func line(_ cells: [String]) -> String {
    cells.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
      .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
  }
  return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
    .joined(separator: "\n")
}

/// A number with `digits` significant digits, for human-readable tables.
func short(_ value: Double?, digits: Int = 6) -> String {
  guard let value else { return "" }
  return String(format: "%.\(digits)g", value)
}
