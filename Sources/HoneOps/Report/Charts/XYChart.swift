import Foundation

/// A chart of numeric x against numeric y: line, step, scatter and area series on one
/// pair of axes, with reference lines and a legend.
package struct XYChart {
  /// How a series is drawn.
  package enum Style: Sendable {
    /// Straight segments between points.
    case line
    /// Horizontal then vertical segments: a value that holds until the next point (a
    /// running best).
    case step
    /// Dots.
    case scatter
    /// A line filled down (or up) to zero, for drawdowns.
    case area
  }

  /// One named series.
  package struct Series {
    /// The legend text.
    package var name: String
    /// The x values.
    package var x: [Double]
    /// The y values, pairwise with `x`; pairs with a non-finite value are left out.
    package var y: [Double]
    /// How the series is drawn.
    package var style: Style
    /// The colour, or `nil` for the palette's next.
    package var color: String?
    /// Whether a line also marks its points (few points that each mean something, such
    /// as calibration bins).
    package var markers: Bool

    /// Creates a series.
    package init(name: String, x: [Double], y: [Double], style: Style, color: String? = nil, markers: Bool = false) {
      self.name = name
      self.x = x
      self.y = y
      self.style = style
      self.color = color
      self.markers = markers
    }
  }

  /// A guide line drawn under the data.
  package enum Reference: Sendable {
    /// y = x across the plot (perfect calibration, perfect prediction, chance ROC).
    case diagonal(label: String)
    /// y = value.
    case horizontal(Double, label: String)
  }

  /// The title above the chart.
  package var title: String
  /// The x axis title.
  package var xLabel: String
  /// The y axis title.
  package var yLabel: String
  /// The series, drawn in order.
  package var series: [Series]
  /// Guide lines drawn under the data.
  package var references: [Reference] = []
  /// The chart's width in pixels.
  package var width = 880.0
  /// The chart's height in pixels.
  package var height = 320.0
  /// Fixed axis ranges (ROC and calibration live on `0...1`); `nil` fits the data.
  package var xDomain: (Double, Double)?
  /// A fixed y range, or `nil` to fit the data.
  package var yDomain: (Double, Double)?
  /// Whether x ticks must be whole numbers (trial numbers, counts).
  package var integralX = false
  /// Lines and areas with more points than this are thinned by keeping each bucket's
  /// first, smallest and largest point, so peaks and troughs survive.
  package var maxPoints = 1200

  /// Creates a chart.
  package init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  /// The finite points of a series, in order of x for lines, downsampled.
  package static func prepared(_ series: Series, maxPoints: Int) -> [(Double, Double)] {
    var points = zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite }
    if series.style != .scatter { points.sort { $0.0 < $1.0 } }
    guard points.count > maxPoints, maxPoints >= 3 else { return points }
    if series.style == .scatter {
      let stride = Double(points.count) / Double(maxPoints)
      return (0..<maxPoints).map { points[Int(Double($0) * stride)] }
    }
    let buckets = maxPoints / 3
    let size = Double(points.count) / Double(buckets)
    var kept: [(Double, Double)] = []
    for bucket in 0..<buckets {
      let start = Int(Double(bucket) * size)
      let end = min(points.count, Int(Double(bucket + 1) * size))
      guard start < end else { continue }
      let slice = points[start..<end]
      var chosen = [start]
      if let low = slice.indices.min(by: { points[$0].1 < points[$1].1 }) { chosen.append(low) }
      if let high = slice.indices.max(by: { points[$0].1 < points[$1].1 }) { chosen.append(high) }
      for index in Set(chosen).sorted() { kept.append(points[index]) }
    }
    if let last = points.last, kept.last.map({ $0 != last }) ?? true { kept.append(last) }
    return kept
  }

  /// The chart as an `<svg>` element, or a note when no series has a finite point.
  package func render() -> String {
    let prepared = series.map { Self.prepared($0, maxPoints: maxPoints) }
    let all = prepared.flatMap { $0 }
    guard !all.isEmpty else { return ChartNote.html(title: title) }
    let hasDiagonal = references.contains { if case .diagonal = $0 { true } else { false } }
    var xLow = all.map(\.0).min() ?? 0
    var xHigh = all.map(\.0).max() ?? 1
    var yLow = all.map(\.1).min() ?? 0
    var yHigh = all.map(\.1).max() ?? 1
    if series.contains(where: { $0.style == .area }) {
      yLow = min(yLow, 0)
      yHigh = max(yHigh, 0)
    }
    for reference in references {
      if case .horizontal(let value, _) = reference, value.isFinite {
        yLow = min(yLow, value)
        yHigh = max(yHigh, value)
      }
    }
    if hasDiagonal, xDomain == nil, yDomain == nil {
      // Predicted against actual: one range on both axes so the diagonal is at 45°.
      xLow = min(xLow, yLow)
      yLow = xLow
      xHigh = max(xHigh, yHigh)
      yHigh = xHigh
    }
    var legendEntries: [(name: String, color: String, mark: Legend.Mark)] = []
    for (index, item) in series.enumerated() where !item.name.isEmpty {
      legendEntries.append((item.name, color(index), item.style == .scatter ? .dot : .line))
    }
    for reference in references {
      switch reference {
      case .diagonal(let label), .horizontal(_, let label):
        if !label.isEmpty { legendEntries.append((label, "#888888", .dashed)) }
      }
    }
    let legend = Legend(entries: series.count > 1 || !references.isEmpty ? legendEntries : [])
    let legendHeight = legend.height(width: width)
    let frame = PlotFrame(
      width: width, height: height, top: 34 + legendHeight + 6, xDomain: xDomain ?? (xLow, xHigh),
      yDomain: yDomain ?? (yLow, yHigh), inset: series.contains { $0.style == .scatter } ? 6 : 0,
      integralX: integralX)
    var canvas = SVGCanvas(width: width, height: height)
    canvas.text(title, x: 12, y: 20, size: PlotFrame.titleSize, weight: "600")
    legend.draw(on: &canvas, x: frame.left, y: 38, width: width)
    frame.drawAxes(on: &canvas, xLabel: xLabel, yLabel: yLabel)
    for reference in references {
      switch reference {
      case .diagonal:
        let low = max(frame.x.domain.low, frame.y.domain.low)
        let high = min(frame.x.domain.high, frame.y.domain.high)
        if high > low {
          canvas.line(frame.x(low), frame.y(low), frame.x(high), frame.y(high), stroke: "#888888", dash: "5 3")
        }
      case .horizontal(let value, _):
        canvas.line(frame.left, frame.y(value), frame.right, frame.y(value), stroke: "#888888", dash: "5 3")
      }
    }
    for (index, points) in prepared.enumerated() where !points.isEmpty {
      let colour = color(index)
      let pixels = points.map { (frame.x($0.0), frame.y($0.1)) }
      switch series[index].style {
      case .line:
        canvas.path(pixels, stroke: colour)
        if pixels.count == 1 || series[index].markers {
          for p in pixels { canvas.circle(x: p.0, y: p.1, radius: 3.5, fill: colour) }
        }
      case .step:
        var stepped: [(Double, Double)] = []
        for (i, p) in pixels.enumerated() {
          if i > 0 { stepped.append((p.0, pixels[i - 1].1)) }
          stepped.append(p)
        }
        canvas.path(stepped, stroke: colour, width: 2)
      case .scatter:
        let radius = points.count > 400 ? 2.0 : 3.0
        for p in pixels { canvas.circle(x: p.0, y: p.1, radius: radius, fill: colour, opacity: 0.65) }
      case .area:
        let base = frame.y(min(max(0, frame.y.domain.low), frame.y.domain.high))
        var outline = pixels
        if let last = pixels.last, let first = pixels.first {
          outline.append((last.0, base))
          outline.append((first.0, base))
        }
        canvas.path(outline, stroke: nil, fill: colour, opacity: 0.3)
        canvas.path(pixels, stroke: colour, width: 1.2)
      }
    }
    return canvas.render(label: title)
  }

  private func color(_ index: Int) -> String {
    series[index].color ?? SVGCanvas.palette[index % SVGCanvas.palette.count]
  }
}
