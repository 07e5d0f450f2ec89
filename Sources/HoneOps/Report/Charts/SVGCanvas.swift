import Foundation

/// Builds one SVG element as text: every attribute value and text goes through
/// ``ReportText/escape(_:)``, so user strings can never break the markup.
package struct SVGCanvas {
  /// The drawing's width in pixels.
  package let width: Double
  /// The drawing's height in pixels.
  package let height: Double
  private var body: [String] = []

  /// The palette: Okabe & Ito's colour-blind-safe set, ordered for contrast on white.
  package static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
  /// Text and axis colour.
  package static let ink = "#333333"
  /// Grid-line colour.
  package static let grid = "#e4e4e4"
  /// Font stack: generic families only, nothing fetched.
  package static let font = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"

  /// The rough width of `text` at `size` pixels: the average advance of a sans-serif
  /// glyph is a little over half the font size. Used to lay out labels without a renderer.
  package static func textWidth(_ text: String, size: Double) -> Double {
    Double(text.count) * size * 0.58
  }

  /// `text` cut to at most `width` pixels with an ellipsis.
  package static func truncate(_ text: String, width: Double, size: Double) -> String {
    let fits = Int(width / (size * 0.58))
    guard text.count > fits, fits >= 2 else { return text }
    return String(text.prefix(fits - 1)) + "…"
  }

  /// An empty drawing of the given size.
  package init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  private static func attributes(_ pairs: KeyValuePairs<String, String>) -> String {
    pairs.map { " \($0.key)=\"\(ReportText.escape($0.value))\"" }.joined()
  }

  private static func c(_ x: Double) -> String { ReportText.coordinate(x) }

  /// A straight line, optionally dashed.
  package mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil
  ) {
    var text = "<line x1=\"\(Self.c(x1))\" y1=\"\(Self.c(y1))\" x2=\"\(Self.c(x2))\" y2=\"\(Self.c(y2))\""
    text += Self.attributes(["stroke": stroke, "stroke-width": Self.c(width)])
    if let dash { text += Self.attributes(["stroke-dasharray": dash]) }
    body.append(text + "/>")
  }

  /// A rectangle, with an optional hover text.
  package mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, opacity: Double = 1,
    tooltip: String? = nil
  ) {
    var text =
      "<rect x=\"\(Self.c(x))\" y=\"\(Self.c(y))\" width=\"\(Self.c(max(0, width)))\" height=\"\(Self.c(max(0, height)))\""
    text += Self.attributes(["fill": fill])
    if let stroke { text += Self.attributes(["stroke": stroke]) }
    if opacity < 1 { text += Self.attributes(["fill-opacity": ReportText.number(opacity, digits: 2)]) }
    if let tooltip {
      body.append(text + "><title>\(ReportText.escape(tooltip))</title></rect>")
    } else {
      body.append(text + "/>")
    }
  }

  /// A filled dot.
  package mutating func circle(x: Double, y: Double, radius: Double, fill: String, opacity: Double = 1) {
    var text = "<circle cx=\"\(Self.c(x))\" cy=\"\(Self.c(y))\" r=\"\(Self.c(radius))\""
    text += Self.attributes(["fill": fill])
    if opacity < 1 { text += Self.attributes(["fill-opacity": ReportText.number(opacity, digits: 2)]) }
    body.append(text + "/>")
  }

  /// A polyline through `points` (pixels), or a closed filled polygon.
  package mutating func path(
    _ points: [(Double, Double)], stroke: String?, fill: String? = nil, width: Double = 1.5, opacity: Double = 1
  ) {
    guard let first = points.first else { return }
    var d = "M\(Self.c(first.0)) \(Self.c(first.1))"
    for point in points.dropFirst() { d += "L\(Self.c(point.0)) \(Self.c(point.1))" }
    if fill != nil { d += "Z" }
    var text = "<path d=\"\(d)\""
    text += Self.attributes(["fill": fill ?? "none", "stroke": stroke ?? "none"])
    if stroke != nil { text += " stroke-width=\"\(Self.c(width))\" stroke-linejoin=\"round\"" }
    if opacity < 1 { text += Self.attributes(["fill-opacity": ReportText.number(opacity, digits: 2)]) }
    body.append(text + "/>")
  }

  /// Which point of a text sits at its x coordinate.
  package enum Anchor: String { case start, middle, end }

  /// A text, optionally bold, rotated about its anchor, or with a hover text.
  package mutating func text(
    _ content: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start, weight: String? = nil,
    rotate: Double? = nil, fill: String = SVGCanvas.ink, tooltip: String? = nil
  ) {
    var text = "<text x=\"\(Self.c(x))\" y=\"\(Self.c(y))\" font-size=\"\(Self.c(size))\""
    text += Self.attributes(["text-anchor": anchor.rawValue, "fill": fill])
    if let weight { text += Self.attributes(["font-weight": weight]) }
    if let rotate { text += " transform=\"rotate(\(Self.c(rotate)) \(Self.c(x)) \(Self.c(y)))\"" }
    let inner = tooltip.map { "<title>\(ReportText.escape($0))</title>" } ?? ""
    body.append(text + ">\(inner)\(ReportText.escape(content))</text>")
  }

  /// The finished `<svg>` element, sized in pixels and scalable through its view box.
  package func render(label: String) -> String {
    let w = Self.c(width)
    let h = Self.c(height)
    return
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\""
      + Self.attributes(["aria-label": label, "font-family": Self.font])
      + ">\n<title>\(ReportText.escape(label))</title>\n"
      + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body.joined(separator: "\n") + "\n</svg>"
  }
}
