import Foundation
import HoneCore
import HoneTuning
import Testing

@testable import HoneOps

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("Report charts: ticks, scales, text")
struct ReportChartTests {
  /// Hand-computed: the smallest 1-2-5 step whose ticks cover the range in at most six.
  /// For 0.5012…0.5588 a step of 0.01 needs 0.50…0.56, seven ticks, so 0.02 it is; the
  /// constant 3 widens to 1.5…4.5, where 0.5 needs seven ticks and 1 needs five.
  @Test(
    arguments: [
      (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
      (0.0, 100.0, [0, 20, 40, 60, 80, 100]),
      (0.13, 0.87, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
      (-3.7, 12.2, [-5, 0, 5, 10, 15]),
      (0.6, 1.4, [0.6, 0.8, 1.0, 1.2, 1.4]),
      (3.0, 3.0, [1, 2, 3, 4, 5]),
      (0.5012, 0.5588, [0.5, 0.52, 0.54, 0.56]),
      (-0.31, -0.02, [-0.4, -0.3, -0.2, -0.1, 0]),
      (1200.0, 98_000.0, [0, 20_000, 40_000, 60_000, 80_000, 100_000]),
    ] as [(Double, Double, [Double])])
  func niceTicksFollowOneTwoFive(low: Double, high: Double, expected: [Double]) {
    #expect(NiceTicks(low: low, high: high, maxCount: 6).values == expected)
  }

  @Test func niceTicksWithFewerTicksTakeALargerStep() {
    #expect(NiceTicks(low: 0, high: 1, maxCount: 3).values == [0, 0.5, 1])
    #expect(NiceTicks(low: 0, high: 7, maxCount: 3).values == [0, 5, 10])
    // Trial numbers 0…3: whole-number ticks only, so 1 rather than 0.5.
    #expect(NiceTicks(low: 0, high: 3, maxCount: 8).values == [0, 0.5, 1, 1.5, 2, 2.5, 3])
    #expect(NiceTicks(low: 0, high: 3, maxCount: 8, integral: true).values == [0, 1, 2, 3])
    #expect(NiceTicks(low: .nan, high: 1, maxCount: 6).values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
  }

  /// A scale maps the domain ends to the range ends and everything else linearly; a
  /// flipped range (SVG y grows downwards) puts larger values higher up.
  @Test func scalesMapKnownPoints() {
    let x = LinearScale(domain: (0, 10), range: (50, 550))
    #expect(x(0) == 50 && x(10) == 550 && x(2.5) == 175 && x(-1) == 0)
    let y = LinearScale(domain: (-1, 1), range: (300, 40))
    #expect(y(-1) == 300 && y(1) == 40 && y(0) == 170)
    #expect(LinearScale(domain: (2, 2), range: (0, 100))(2) == 50)
  }

  /// The frame's axes start and end on ticks, at the plot edges.
  @Test func frameMapsTickEndsToPlotEdges() throws {
    let frame = PlotFrame(width: 640, height: 320, top: 40, xDomain: (0, 29), yDomain: (0.51, 0.57))
    let xTicks = try #require(frame.xTicks)
    #expect(xTicks.values == [0, 5, 10, 15, 20, 25, 30])
    #expect(frame.x(xTicks.low) == frame.left && frame.x(xTicks.high) == frame.right)
    #expect(frame.x(15) == (frame.left + frame.right) / 2)
    // With an inset, tick ends sit that many pixels inside the axes.
    let inset = PlotFrame(width: 640, height: 320, top: 40, xDomain: (0, 29), yDomain: (0.51, 0.57), inset: 6)
    #expect(inset.x(0) == inset.left + 6 && inset.y(inset.yTicks.low) == inset.bottom - 6)
    #expect(frame.y(frame.yTicks.low) == frame.bottom && frame.y(frame.yTicks.high) == frame.top)
    #expect(frame.bottom == 320 - 44 && frame.right == 640 - 18)
  }

  @Test func escapingCoversMarkupAndControlCharacters() {
    #expect(ReportText.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
    #expect(ReportText.escape("x\u{0}\u{7}y\tz\n") == "xy\tz\n")
    #expect(ReportText.escape("naïve ≤ 5 ✓") == "naïve ≤ 5 ✓")
  }

  @Test(arguments: [
    (0.5541, "0.5541"), (0.55412345, "0.5541"), (1234.5678, "1235"), (12.0, "12"), (0.000_012_3, "1.230e-05"),
    (2.5e7, "2.500e+07"), (-0.0, "0"), (Double.nan, "–"), (-Double.infinity, "−∞"), (-3.14159, "-3.142"),
  ])
  func numbersAreShortAndSensible(value: Double, expected: String) {
    #expect(ReportText.number(value) == expected)
  }

  @Test func tickLabelsShareTheStepsDecimals() {
    let ticks = NiceTicks(low: 0, high: 1, maxCount: 3)
    #expect(ticks.values.map { ReportText.tick($0, step: ticks.step) } == ["0.0", "0.5", "1.0"])
    #expect(ReportText.tick(-0.0, step: 0.1) == "0.0")
    #expect(ReportText.tick(20_000, step: 20_000) == "20000")
  }

  /// A line of 100,000 points is thinned to the limit but keeps its extremes, so a
  /// drawdown's worst point survives.
  @Test func longSeriesAreDownsampledKeepingExtremes() {
    let y = (0..<100_000).map { i in i == 73_123 ? -0.9 : sin(Double(i) / 500) * 0.1 }
    let series = XYChart.Series(name: "dd", x: (0..<100_000).map(Double.init), y: y, style: .area)
    let kept = XYChart.prepared(series, maxPoints: 1200)
    #expect(kept.count <= 1201)
    #expect(kept.contains { $0.1 == -0.9 })
    #expect(kept.first?.0 == 0 && kept.last?.0 == 99_999)
    let svg = XYChart(title: "dd", xLabel: "t", yLabel: "d", series: [series]).render()
    #expect(svg.utf8.count < 60_000)
  }

  @Test func nonFiniteDataShowsANoteInsteadOfAChart() {
    let line = XYChart(
      title: "History <all NaN>", xLabel: "x", yLabel: "y",
      series: [.init(name: "a", x: [0, 1, 2], y: [.nan, .infinity, .nan], style: .line)]
    ).render()
    #expect(line.contains("class=\"chart-note\"") && !line.contains("<svg"))
    #expect(line.contains("History &lt;all NaN&gt;"))
    #expect(
      BarChart(title: "b", valueLabel: "v", bars: [.init(label: "x", value: .nan)]).render().contains("chart-note"))
    #expect(
      StripChart(title: "s", valueLabel: "v", groups: [.init(label: "g", values: [.nan])]).render().contains(
        "chart-note"))
    // Some finite points: a chart, with the bad points left out.
    let partial = XYChart(
      title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "a", x: [0, 1, 2], y: [1, .nan, 3], style: .scatter)]
    ).render()
    #expect(partial.contains("<svg") && partial.components(separatedBy: "<circle").count - 1 == 2)
  }
}

@Suite("HTML report")
struct HTMLReportTests {
  /// A delegate that records parse errors; `XMLParser` on the whole document checks that
  /// every SVG and every tag is well-formed.
  final class Collector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var error: Error?
    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      elements[name, default: 0] += 1
    }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
  }

  static func parse(_ text: String) -> Collector {
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    if !parser.parse(), collector.error == nil {
      collector.error = parser.parserError ?? CocoaError(.coderInvalidValue)
    }
    return collector
  }

  static let sectionIDs = [
    "summary", "leaderboard", "holdout", "classification", "regression", "features", "trading", "candidates", "config",
  ]

  @Test(arguments: ["trading", "regression", "minimal"])
  func documentIsWellFormedXML(kind: String) throws {
    let html = HTMLReport.render(Self.report(kind))
    let collector = Self.parse(html)
    #expect(collector.error == nil, "\(String(describing: collector.error))")
    // Each SVG on its own too: that is what a viewer extracting one chart gets.
    for fragment in Self.svgFragments(html) {
      let svg = Self.parse(fragment)
      #expect(svg.error == nil)
      #expect(svg.elements["svg"] == 1)
    }
  }

  static func report(_ kind: String) -> RunReport {
    switch kind {
    case "trading": SampleReports.trading()
    case "regression": SampleReports.regression()
    default:
      RunReport(
        runName: "bare", runID: "r0", created: "2026-11-26T00:00:00Z", honeVersion: "0.1.0", task: .regression,
        selectionMetric: "rmse", greaterIsBetter: false)
    }
  }

  static func svgFragments(_ html: String) -> [String] {
    html.components(separatedBy: "<svg ").dropFirst().compactMap { piece in
      piece.range(of: "</svg>").map { "<svg " + piece[..<$0.upperBound] }
    }
  }

  @Test func sectionsAppearExactlyForTheGivenParts() {
    let trading = HTMLReport.render(SampleReports.trading())
    let present = Set(Self.sectionIDs.filter { trading.contains("<section id=\"\($0)\">") })
    #expect(present == Set(Self.sectionIDs).subtracting(["regression"]))
    let regression = HTMLReport.render(SampleReports.regression())
    let presentRegression = Set(Self.sectionIDs.filter { regression.contains("<section id=\"\($0)\">") })
    #expect(presentRegression == ["leaderboard", "holdout", "regression", "summary"])
    let bare = HTMLReport.render(Self.report("minimal"))
    #expect(!Self.sectionIDs.contains { bare.contains("<section id=\"\($0)\">") })
    #expect(bare.contains("<h1>bare</h1>"))
    // The trading report's charts: fold strip, three histories, three importance bars,
    // features, ROC, calibration, equity, drawdown.
    #expect(Self.svgFragments(trading).count == 12)
    #expect(trading.contains("deflated Sharpe ratio") && trading.contains("probability of backtest overfitting"))
    #expect(trading.contains("quickstart v3 · alias champion"))
  }

  @Test func everyUserStringIsEscaped() {
    let html = HTMLReport.render(SampleReports.trading())
    #expect(html.contains("quickstart: synthetic market &lt;GBDT vs ridge vs MLP&gt;"))
    #expect(html.contains("ridge &amp; friends"))
    #expect(html.contains("mlp &quot;wide&quot;"))
    #expect(!html.contains("<GBDT") && !html.contains("ridge & friends") && !html.contains("<tuned>"))
  }

  /// Nothing is fetched: the only URL is the SVG namespace, and there is no script.
  @Test func noNetworkReferences() {
    let html = HTMLReport.render(SampleReports.trading())
    let stripped = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    #expect(!stripped.contains("http://") && !stripped.contains("https://"))
    #expect(!html.lowercased().contains("<script") && !html.contains("url("))
  }

  @Test func nanDataInAReportShowsTheNote() {
    var report = SampleReports.regression()
    report.regression = RegressionResiduals(predicted: [.nan, .nan], actual: [1, 2])
    let html = HTMLReport.render(report)
    #expect(html.contains("<strong>Predicted against actual</strong>: no finite values to plot."))
    #expect(Self.parse(html).error == nil)
  }

  @Test func writeIsAtomicAndRoundTrips() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-report-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("report.html").path
    let report = SampleReports.trading()
    try HTMLReport.write(report, to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == HTMLReport.render(report))
    #expect(throws: FileError.self) { try HTMLReport.write(report, to: directory.path + "/missing/report.html") }
    // A preview for eyes: set HONE_REPORT_PREVIEW to a folder to keep the rendered pages.
    if let preview = ProcessInfo.processInfo.environment["HONE_REPORT_PREVIEW"] {
      try HTMLReport.write(report, to: preview + "/trading.html")
      try HTMLReport.write(SampleReports.regression(), to: preview + "/regression.html")
    }
  }

  @Test func reportIsCodable() throws {
    let report = SampleReports.trading()
    let data = try JSONEncoder().encode(report)
    #expect(try JSONDecoder().decode(RunReport.self, from: data) == report)
  }
}
