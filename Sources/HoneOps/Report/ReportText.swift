import Foundation

/// Text helpers shared by the HTML report and its charts: escaping and number formats.
package enum ReportText {
  /// `text` made safe for HTML/XML content and attribute values.
  ///
  /// `&`, `<`, `>`, `"` and `'` become entities, and control characters other than tab,
  /// line feed and carriage return are dropped — XML 1.0 forbids them even as entities,
  /// and the report must stay well-formed XML so it parses as XHTML too.
  ///
  /// - Parameter text: Any user string (run names, parameter names, config text).
  /// - Returns: The escaped text.
  package static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        // C0 controls, DEL's C1 neighbours and the non-characters U+FFFE/U+FFFF are not
        // allowed in XML documents.
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE
          || scalar.value == 0xFFFF
        {
          continue
        }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A number for a table cell or a legend: four significant digits, scientific notation
  /// only for very large or very small magnitudes, and a dash for a missing value.
  ///
  /// - Parameters:
  ///   - x: The number.
  ///   - digits: Significant digits.
  /// - Returns: The formatted number (`"–"` for NaN, `"∞"`/`"−∞"` for infinities).
  package static func number(_ x: Double, digits: Int = 4) -> String {
    guard x.isFinite else { return x.isNaN ? "–" : (x > 0 ? "∞" : "−∞") }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.\(max(1, digits - 1))e", x) }
    // Enough decimals for `digits` significant digits, then trailing zeros trimmed.
    let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
    var text = String(format: "%.\(decimals)f", x)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  /// A tick label: the value with exactly the decimals the tick step needs, so the labels
  /// of one axis line up (`0.0, 0.5, 1.0`, never `0, 0.5, 1`).
  ///
  /// - Parameters:
  ///   - x: The tick value.
  ///   - step: The distance between ticks.
  /// - Returns: The label.
  package static func tick(_ x: Double, step: Double) -> String {
    let magnitude = max(abs(x), step)
    if magnitude >= 1e6 || (step < 1e-4 && magnitude < 1e-3) { return String(format: "%.2g", x) }
    let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
    let text = String(format: "%.\(decimals)f", x)
    return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
  }

  /// A coordinate in an SVG attribute: one decimal is finer than a pixel and keeps the
  /// file small.
  package static func coordinate(_ x: Double) -> String {
    let rounded = (x * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(format: "%.1f", rounded)
  }
}
