import Foundation

/// Box-and-strip plot: per group a box from the first to the third quartile, the median,
/// whiskers to the extremes, and every value as a dot — fold scores per candidate.
package struct StripChart {
  /// One group of values.
  package struct Group {
    /// The group's name under the axis.
    package var label: String
    /// The values; non-finite ones are left out.
    package var values: [Double]

    /// Creates a group.
    package init(label: String, values: [Double]) {
      self.label = label
      self.values = values
    }
  }

  /// The title above the chart.
  package var title: String
  /// The title of the value axis.
  package var valueLabel: String
  /// The groups, left to right.
  package var groups: [Group]
  /// The chart's width in pixels.
  package var width = 880.0
  /// The chart's height in pixels.
  package var height = 300.0

  /// Creates a strip chart.
  package init(title: String, valueLabel: String, groups: [Group]) {
    self.title = title
    self.valueLabel = valueLabel
    self.groups = groups
  }

  /// The `p` quantile of sorted values by linear interpolation (NumPy's default).
  package static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard let first = sorted.first else { return .nan }
    guard sorted.count > 1 else { return first }
    let position = p * Double(sorted.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(sorted.count - 1, below + 1)
    return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
  }

  /// The chart as an `<svg>` element, or a note when no group has a finite value.
  package func render() -> String {
    let cleaned = groups.map { Group(label: $0.label, values: $0.values.filter(\.isFinite).sorted()) }
    let all = cleaned.flatMap(\.values)
    guard let low = all.min(), let high = all.max() else { return ChartNote.html(title: title) }
    let frame = PlotFrame(width: width, height: height, top: 34, xDomain: nil, yDomain: (low, high))
    var canvas = SVGCanvas(width: width, height: height)
    canvas.text(title, x: 12, y: 20, size: PlotFrame.titleSize, weight: "600")
    frame.drawAxes(on: &canvas, xLabel: "", yLabel: valueLabel)
    let band = (frame.right - frame.left) / Double(max(cleaned.count, 1))
    let boxWidth = min(48, band * 0.5)
    for (index, group) in cleaned.enumerated() {
      let centre = frame.left + band * (Double(index) + 0.5)
      canvas.text(
        SVGCanvas.truncate(group.label, width: band - 6, size: 11), x: centre, y: frame.bottom + 16, size: 11,
        anchor: .middle, tooltip: group.label)
      guard let minimum = group.values.first, let maximum = group.values.last else {
        canvas.text("no scores", x: centre, y: (frame.top + frame.bottom) / 2, size: 10, anchor: .middle)
        continue
      }
      let colour = SVGCanvas.palette[index % SVGCanvas.palette.count]
      let q1 = Self.quantile(group.values, 0.25)
      let median = Self.quantile(group.values, 0.5)
      let q3 = Self.quantile(group.values, 0.75)
      canvas.line(centre, frame.y(minimum), centre, frame.y(maximum), stroke: SVGCanvas.ink)
      canvas.rect(
        x: centre - boxWidth / 2, y: frame.y(q3), width: boxWidth, height: frame.y(q1) - frame.y(q3), fill: colour,
        stroke: SVGCanvas.ink, opacity: 0.25,
        tooltip:
          "\(group.label): median \(ReportText.number(median)), quartiles \(ReportText.number(q1))–\(ReportText.number(q3))"
      )
      canvas.line(
        centre - boxWidth / 2, frame.y(median), centre + boxWidth / 2, frame.y(median), stroke: SVGCanvas.ink, width: 2)
      // A fixed spread pattern instead of random jitter keeps the output deterministic.
      for (i, value) in group.values.enumerated() {
        let offset = (Double(i % 5) - 2) * min(5, boxWidth / 10)
        canvas.circle(x: centre + offset, y: frame.y(value), radius: 3.2, fill: colour, opacity: 0.9)
      }
    }
    return canvas.render(label: title)
  }
}
