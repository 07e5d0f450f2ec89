import Foundation

/// Horizontal bars with optional error whiskers: importances, one bar per name.
package struct BarChart {
  /// One bar.
  package struct Bar {
    /// The name at the bar's left (shortened with an ellipsis when long).
    package var label: String
    /// The bar's length; negative values extend left of zero.
    package var value: Double
    /// Half-length of the whisker (a standard deviation), or `nil`.
    package var error: Double?

    /// Creates a bar.
    package init(label: String, value: Double, error: Double? = nil) {
      self.label = label
      self.value = value
      self.error = error
    }
  }

  /// The title above the chart.
  package var title: String
  /// The title of the value axis.
  package var valueLabel: String
  /// The bars, top to bottom.
  package var bars: [Bar]
  /// The chart's width in pixels; the height follows from the bar count.
  package var width = 880.0
  /// Bars beyond this many are left out (the caller sorts by importance first).
  package var maxBars = 25
  /// The bars' fill.
  package var color = SVGCanvas.palette[0]

  /// Creates a bar chart.
  package init(title: String, valueLabel: String, bars: [Bar]) {
    self.title = title
    self.valueLabel = valueLabel
    self.bars = bars
  }

  /// The chart as an `<svg>` element, or a note when no bar has a finite value.
  package func render() -> String {
    let shown = Array(bars.filter { $0.value.isFinite }.prefix(maxBars))
    guard !shown.isEmpty else { return ChartNote.html(title: title) }
    let omitted = bars.filter { $0.value.isFinite }.count - shown.count
    let lows = shown.map { $0.value - abs($0.error.flatMap { $0.isFinite ? $0 : nil } ?? 0) }
    let highs = shown.map { $0.value + abs($0.error.flatMap { $0.isFinite ? $0 : nil } ?? 0) }
    let low = min(0, lows.min() ?? 0)
    let high = max(0, highs.max() ?? 0)
    let labelSpace = min(200, (shown.map { SVGCanvas.textWidth($0.label, size: 11) }.max() ?? 0) + 8)
    let rowHeight = 20.0
    let top = 34.0
    let height = top + Double(shown.count) * rowHeight + 8 + 44 + (omitted > 0 ? 16 : 0)
    // The frame is used for the value axis only; bars take the band rows.
    let frame = PlotFrame(
      width: width, height: height, top: top, xDomain: (low, high == low ? low + 1 : high), yDomain: (0, 1),
      leftExtra: labelSpace - 30, rightExtra: 46, bottomExtra: omitted > 0 ? 16 : 0)
    var canvas = SVGCanvas(width: width, height: height)
    canvas.text(title, x: 12, y: 20, size: PlotFrame.titleSize, weight: "600")
    if let ticks = frame.xTicks {
      for value in ticks.values {
        let px = frame.x(value)
        canvas.line(px, frame.top, px, frame.bottom, stroke: SVGCanvas.grid)
        canvas.text(
          ReportText.tick(value, step: ticks.step), x: px, y: frame.bottom + 16, size: PlotFrame.labelSize,
          anchor: .middle)
      }
    }
    canvas.line(frame.left, frame.bottom, frame.right, frame.bottom, stroke: SVGCanvas.ink)
    let zero = frame.x(0)
    for (row, bar) in shown.enumerated() {
      let y = top + Double(row) * rowHeight + 3
      let end = frame.x(bar.value)
      canvas.rect(
        x: min(zero, end), y: y, width: abs(end - zero), height: rowHeight - 6, fill: color,
        tooltip: "\(bar.label): \(ReportText.number(bar.value))")
      if let error = bar.error, error.isFinite, error > 0 {
        let mid = y + (rowHeight - 6) / 2
        canvas.line(frame.x(bar.value - error), mid, frame.x(bar.value + error), mid, stroke: SVGCanvas.ink)
      }
      canvas.text(
        SVGCanvas.truncate(bar.label, width: labelSpace - 8, size: 11), x: frame.left - 6, y: y + rowHeight - 10,
        size: 11, anchor: .end, tooltip: bar.label)
      let valueX = max(end, frame.x(bar.value + (bar.error ?? 0)))
      canvas.text(ReportText.number(bar.value, digits: 3), x: valueX + 4, y: y + rowHeight - 10, size: 10)
    }
    canvas.line(zero, frame.top, zero, frame.bottom, stroke: SVGCanvas.ink)
    canvas.text(valueLabel, x: (frame.left + frame.right) / 2, y: frame.bottom + 36, size: 12, anchor: .middle)
    if omitted > 0 {
      canvas.text("\(omitted) more not shown", x: frame.left, y: height - 6, size: 10, fill: "#777777")
    }
    return canvas.render(label: title)
  }
}
