import ArgumentParser
import Foundation
import Hone

/// The anchors' GBDT protocol (`../shared/anchors/bench_gbdt.py`) for Hone: binary
/// log-loss, 100 rounds, learning rate 0.1, 255 leaves, 255 bins, min data in leaf 20,
/// L2 1, min sum hessian 1e-3, 2 threads, on `higgs_like` (1,000,000 × 28; first 80%
/// train, last 20% test). Prints one JSON line per process that
/// `scripts/gbdt_vs_lightgbm.sh` interleaves with `peers/lightgbm_gbdt.py`.
struct GBDTBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gbdt", abstract: "Time GBDT binning, boosting and prediction on higgs_like (JSON line).")

  @Option(help: "The anchors' data folder.")
  var data: String =
    (ProcessInfo.processInfo.environment["ANCHORS_DATA"] ?? NSHomeDirectory() + "/.cache/hone-anchors/data")
  @Option(help: "The data set name (<name>.f64, row-major float64, label last).") var name = "higgs_like"
  @Option(help: "Boosting rounds.") var rounds = 100
  @Option(help: "Threads.") var threads = 2
  @Option(help: "Single-row prediction calls timed.") var latencyCalls = 10_000

  func run() throws {
    let (train, test, testLabels) = try loadSplit(folder: data, name: name, columns: 29)
    let rssAfterLoad = residentMegabytes(field: "VmRSS")
    var h = GradientBoostingHyperparameters()
    h.rounds = rounds
    h.learningRate = 0.1
    h.maxLeaves = 255
    h.maxDepth = -1
    h.maxBins = 255
    h.minDataInLeaf = 20
    h.minSumHessianInLeaf = 1e-3
    h.l1 = 0
    h.l2 = 1
    h.minGainToSplit = 0
    h.threads = threads
    h.seed = 0
    var binned: BinnedDataset?
    let construct = try seconds { binned = try BinnedDataset(features: train.features, maxBins: 255, threads: threads) }
    var model: GradientBoostingModel?
    let boosting = try seconds {
      model = try GradientBoostingClassifier(h).fit(train, validation: nil, binned: binned)
    }
    guard let model else { return }
    let trainPeak = residentMegabytes(field: "VmHWM")

    let probabilities = try model.predictProbabilities(test)
    let p = (0..<test.rows).map { probabilities[$0, 1] }
    let auc = areaUnderCurve(scores: p, labels: testLabels)
    var logLoss = 0.0
    for (probability, label) in zip(p, testLabels) {
      let q = min(max(probability, 1e-15), 1 - 1e-15)
      logLoss -= label == 1 ? log(q) : log(1 - q)
    }
    logLoss /= Double(p.count)

    let batch = try test.submatrix(rows: 0..<min(100_000, test.rows), columns: 0..<test.columns)
    var batchTimes: [Double] = []
    for _ in 0..<3 { batchTimes.append(try seconds { _ = try model.predictProbabilities(batch) }) }

    // Single rows through the allocation-free path, as the peer times one-row predict calls.
    let rows = (0..<1000).map { i in (0..<test.columns).map { test[i, $0] } }
    var sink = 0.0
    for i in 0..<200 { sink += try rows[i].withUnsafeBufferPointer { try model.predictValue(row: $0) } }
    var latencies = [Double](repeating: 0, count: latencyCalls)
    for call in 0..<latencyCalls {
      let row = rows[call % 1000]
      let start = DispatchTime.now().uptimeNanoseconds
      sink += try row.withUnsafeBufferPointer { try model.predictValue(row: $0) }
      latencies[call] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
    }
    latencies.sort()
    let leaves = Double(model.trees.reduce(0) { $0 + $1.leafCount }) / Double(model.trees.count)
    let fields: [(String, String)] = [
      ("lib", "\"hone\""), ("version", "\"\(HoneVersion.current)\""), ("threads", "\(threads)"),
      ("construct_s", "\(construct)"), ("train_s", "\(boosting)"), ("fit_total_s", "\(construct + boosting)"),
      ("rss_after_load_mb", "\(rssAfterLoad)"), ("train_peak_rss_mb", "\(trainPeak)"),
      ("peak_rss_mb", "\(residentMegabytes(field: "VmHWM"))"), ("test_auc", "\(auc)"), ("test_logloss", "\(logLoss)"),
      ("predict_rows_per_s", "\(Double(batch.rows) / median(batchTimes))"),
      ("latency_median_us", "\(latencies[latencyCalls / 2])"),
      ("latency_p99_us", "\(latencies[Int(Double(latencyCalls) * 0.99)])"),
      ("mean_leaves_per_tree", "\(leaves)"), ("n_trees", "\(model.trees.count)"), ("sink", "\(sink.isFinite ? 0 : 1)"),
    ]
    print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
  }
}

/// This process's memory in MB from `/proc/self/status` (`VmRSS` now, `VmHWM` peak).
func residentMegabytes(field: String) -> Double {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
  for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
    if parts.count >= 2, let kilobytes = Double(parts[1]) { return kilobytes / 1024 }
  }
  return .nan
}

/// Streams `<name>.f64` (row-major float64, `columns` values per row, label last) in
/// chunks straight into column-major train and test matrices (first 80% train), so the
/// process never holds a second copy of the data — as the anchors' `load_split`.
func loadSplit(folder: String, name: String, columns: Int) throws -> (
  train: Dataset, test: Matrix, testLabels: [Double]
) {
  let path = folder + "/" + name + ".f64"
  guard let handle = FileHandle(forReadingAtPath: path) else {
    throw ValidationError("\(path) not found: run ../shared/anchors/make_data.py")
  }
  defer { try? handle.close() }
  let size = try handle.seekToEnd()
  try handle.seek(toOffset: 0)
  let rows = Int(size) / (8 * columns)
  let p = columns - 1
  let trainRows = Int(0.8 * Double(rows))
  let testRows = rows - trainRows
  var xTrain = [Double](repeating: 0, count: trainRows * p)
  var xTest = [Double](repeating: 0, count: testRows * p)
  var yTrain = [Double](repeating: 0, count: trainRows)
  var yTest = [Double](repeating: 0, count: testRows)
  let chunkRows = 50_000
  var chunk = [Double](repeating: 0, count: chunkRows * columns)
  var row = 0
  while row < rows {
    let k = min(chunkRows, rows - row)
    guard let bytes = try handle.read(upToCount: k * columns * 8), bytes.count == k * columns * 8 else {
      throw ValidationError("\(path) is truncated at row \(row)")
    }
    _ = chunk.withUnsafeMutableBytes { bytes.copyBytes(to: $0) }
    for r in 0..<k {
      let i = row + r
      for j in 0..<p {
        let value = chunk[r * columns + j]
        if i < trainRows { xTrain[j * trainRows + i] = value } else { xTest[j * testRows + i - trainRows] = value }
      }
      if i < trainRows { yTrain[i] = chunk[r * columns + p] } else { yTest[i - trainRows] = chunk[r * columns + p] }
    }
    row += k
  }
  let train = try Dataset(
    features: try Matrix(rows: trainRows, columns: p, columnMajor: xTrain), target: yTrain)
  return (train, try Matrix(rows: testRows, columns: p, columnMajor: xTest), yTest)
}
