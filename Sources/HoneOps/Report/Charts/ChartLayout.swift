import Foundation

/// What a chart shows instead of a drawing when it has nothing finite to draw.
package enum ChartNote {
  /// A short paragraph naming the chart and why it is missing.
  ///
  /// - Parameters:
  ///   - title: The chart's title.
  ///   - reason: Why nothing is drawn.
  /// - Returns: An HTML paragraph with class `chart-note`.
  package static func html(title: String, reason: String = "no finite values to plot") -> String {
    "<p class=\"chart-note\"><strong>\(ReportText.escape(title))</strong>: \(ReportText.escape(reason)).</p>"
  }
}

/// The plot area inside a chart's margins, with its two scales and axes.
///
/// Margins follow from the labels: the left margin fits the widest y tick label and the
/// rotated y title; x ticks are thinned until their labels fit side by side.
package struct PlotFrame {
  /// The x pixel of the y axis.
  package let left: Double
  /// The y pixel of the plot's top edge.
  package let top: Double
  /// The x pixel of the plot's right edge.
  package let right: Double
  /// The y pixel of the x axis.
  package let bottom: Double
  /// The x ticks, or `nil` for a categorical x axis.
  package let xTicks: NiceTicks?
  /// The y ticks.
  package let yTicks: NiceTicks
  /// Data x to pixels.
  package let x: LinearScale
  /// Data y to pixels (flipped: larger values higher).
  package let y: LinearScale

  static let titleSize = 14.0
  static let labelSize = 11.0

  /// Lays out a frame.
  ///
  /// - Parameters:
  ///   - width: The whole chart's width.
  ///   - height: The whole chart's height.
  ///   - top: The space above the plot (title, legend).
  ///   - xDomain: The data range on x, or `nil` for a categorical x axis.
  ///   - yDomain: The data range on y.
  ///   - leftExtra: Extra space on the left (for bar labels).
  ///   - rightExtra: Extra space on the right (for value labels).
  ///   - bottomExtra: Extra space below the axis title (for a footnote).
  ///   - inset: Pixels between the axis lines and the first and last tick, so dots at
  ///     the extremes do not sit on the axes.
  ///   - integralX: Whether x ticks must be whole numbers (trial numbers).
  package init(
    width: Double, height: Double, top: Double, xDomain: (Double, Double)?, yDomain: (Double, Double),
    leftExtra: Double = 0, rightExtra: Double = 0, bottomExtra: Double = 0, inset: Double = 0,
    integralX: Bool = false
  ) {
    let plotHeight = height - top - 44 - bottomExtra
    // About one tick per 32 pixels: dense enough to read values off, sparse enough that
    // 11-pixel labels never touch.
    let yTicks = NiceTicks(low: yDomain.0, high: yDomain.1, maxCount: max(4, Int(plotHeight / 32)))
    let yLabelWidth =
      yTicks.values.map { SVGCanvas.textWidth(ReportText.tick($0, step: yTicks.step), size: Self.labelSize) }
      .max() ?? 0
    let left = 22 + yLabelWidth + 8 + leftExtra
    let right = 18 + rightExtra
    var xTicks: NiceTicks?
    if let xDomain {
      let plotWidth = width - left - right
      var count = min(10, max(2, Int(plotWidth / 55)))
      while true {
        let ticks = NiceTicks(low: xDomain.0, high: xDomain.1, maxCount: count, integral: integralX)
        let widest =
          ticks.values.map { SVGCanvas.textWidth(ReportText.tick($0, step: ticks.step), size: Self.labelSize) }
          .max() ?? 0
        // Each label needs its own width plus a gap between neighbours.
        if count <= 2 || Double(ticks.values.count) * (widest + 14) <= plotWidth {
          xTicks = ticks
          break
        }
        count -= 1
      }
    }
    self.left = left
    self.top = top
    self.right = width - right
    self.bottom = height - 44 - bottomExtra
    self.xTicks = xTicks
    self.yTicks = yTicks
    self.x = LinearScale(domain: (xTicks?.low ?? 0, xTicks?.high ?? 1), range: (left + inset, width - right - inset))
    self.y = LinearScale(domain: (yTicks.low, yTicks.high), range: (height - 44 - bottomExtra - inset, top + inset))
  }

  /// Draws the grid, the axes, the tick labels and the axis titles.
  package func drawAxes(on canvas: inout SVGCanvas, xLabel: String, yLabel: String, xGrid: Bool = true) {
    for value in yTicks.values {
      let py = y(value)
      canvas.line(left, py, right, py, stroke: SVGCanvas.grid)
      canvas.text(ReportText.tick(value, step: yTicks.step), x: left - 6, y: py + 4, size: Self.labelSize, anchor: .end)
    }
    if let xTicks {
      for value in xTicks.values {
        let px = x(value)
        if xGrid { canvas.line(px, top, px, bottom, stroke: SVGCanvas.grid) }
        canvas.line(px, bottom, px, bottom + 4, stroke: SVGCanvas.ink)
        canvas.text(
          ReportText.tick(value, step: xTicks.step), x: px, y: bottom + 16, size: Self.labelSize, anchor: .middle)
      }
    }
    canvas.line(left, bottom, right, bottom, stroke: SVGCanvas.ink)
    canvas.line(left, top, left, bottom, stroke: SVGCanvas.ink)
    canvas.text(xLabel, x: (left + right) / 2, y: bottom + 36, size: Self.labelSize + 1, anchor: .middle)
    canvas.text(yLabel, x: 14, y: (top + bottom) / 2, size: Self.labelSize + 1, anchor: .middle, rotate: -90)
  }
}

/// A row of legend entries (wrapping when too wide) under the title.
package struct Legend {
  /// How an entry's swatch looks.
  package enum Mark { case line, dashed, dot }

  /// The entries, in drawing order.
  package let entries: [(name: String, color: String, mark: Mark)]

  /// The height the legend takes for a chart `width` wide (0 when there are no entries).
  package func height(width: Double) -> Double {
    Double(rows(width: width).count) * 18
  }

  private func rows(width: Double) -> [[Int]] {
    var rows: [[Int]] = []
    var current: [Int] = []
    var used = 0.0
    for (index, entry) in entries.enumerated() {
      let w = 28 + SVGCanvas.textWidth(entry.name, size: 11) + 14
      if !current.isEmpty, used + w > width - 40 {
        rows.append(current)
        current = []
        used = 0
      }
      current.append(index)
      used += w
    }
    if !current.isEmpty { rows.append(current) }
    return rows
  }

  /// Draws the legend with its first baseline at (`x`, `y`), wrapping within `width`.
  package func draw(on canvas: inout SVGCanvas, x: Double, y: Double, width: Double) {
    for (row, indices) in rows(width: width).enumerated() {
      var px = x
      let py = y + Double(row) * 18
      for index in indices {
        let entry = entries[index]
        switch entry.mark {
        case .line: canvas.line(px, py - 4, px + 20, py - 4, stroke: entry.color, width: 3)
        case .dashed: canvas.line(px, py - 4, px + 20, py - 4, stroke: entry.color, width: 2, dash: "5 3")
        case .dot: canvas.circle(x: px + 10, y: py - 4, radius: 4, fill: entry.color)
        }
        canvas.text(entry.name, x: px + 26, y: py, size: 11)
        px += 28 + SVGCanvas.textWidth(entry.name, size: 11) + 14
      }
    }
  }
}
