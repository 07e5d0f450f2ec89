import ArgumentParser
import Foundation
import Hone

/// The anchors' MLP protocol (`../shared/anchors/bench_mlp.py`) for Hone: 28-64-64-1
/// ReLU, Adam (lr 1e-3, β 0.9/0.999, ε 1e-8), batch 256 with the last partial batch
/// kept, L2 α = 1e-4, 10 epochs, on `higgs_like_100k` (first 80% train, last 20% test)
/// standardised with the training mean and standard deviation, NaN → 0. Prints one JSON
/// line per repetition that `scripts/mlp_vs_sklearn.sh` interleaves with
/// `peers/sklearn_mlp.py`.
struct MLPBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mlp", abstract: "Time MLP training on the anchors' higgs_like_100k (JSON lines).")

  @Option(help: "The anchors' data folder.")
  var data: String =
    (ProcessInfo.processInfo.environment["ANCHORS_DATA"] ?? NSHomeDirectory() + "/.cache/hone-anchors/data")
  @Option(help: "Timed repetitions in this process.") var repeats = 1
  @Option(help: "Epochs per fit.") var epochs = 10
  @Option(help: "float32 or float64.") var precision: String = "float32"
  @Option(help: "BLAS threads (the anchors use 2).") var threads = 2
  @Option(help: "Seed.") var seed: UInt64 = 0

  func run() throws {
    guard let precision = MLPHyperparameters.Precision(rawValue: precision) else {
      throw ValidationError("precision must be float32 or float64")
    }
    let (train, test, testLabels) = try loadHiggs100k(folder: data)
    var h = MLPHyperparameters(
      hiddenLayers: [64, 64], activation: .relu, optimizer: .adam, learningRate: 1e-3, batchSize: 256,
      epochs: epochs, seed: seed)
    h.weightDecay = 1e-4
    // The protocol standardises before the fit (as the peer does), and uses scikit-learn's
    // Glorot initialisation.
    h.standardize = false
    h.initialization = .glorot
    h.precision = precision
    let estimator = MLPClassifier(h)
    for _ in 0..<repeats {
      var model: MLPModel?
      var epochEnds: [Double] = []
      let start = DispatchTime.now().uptimeNanoseconds
      let elapsed = try seconds {
        model = try BLASThreadPolicy.withThreadCount(threads) {
          try estimator.fit(train, validation: nil) { _ in
            epochEnds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            return .proceed
          }
        }
      }
      guard let model else { return }
      var epochTimes: [Double] = []
      for (index, end) in epochEnds.enumerated() { epochTimes.append(end - (index == 0 ? 0 : epochEnds[index - 1])) }
      let predictStart = DispatchTime.now().uptimeNanoseconds
      let probabilities = try model.predictProbabilities(test)
      let predictSeconds = Double(DispatchTime.now().uptimeNanoseconds - predictStart) / 1e9
      let auc = areaUnderCurve(scores: (0..<test.rows).map { probabilities[$0, 1] }, labels: testLabels)
      let times = epochTimes.map { fixed($0, 4) }.joined(separator: ",")
      print(
        #"{"reader":"hone_\#(precision.rawValue)","task":"mlp","seconds":\#(elapsed / Double(epochs)),"total_seconds":\#(elapsed),"median_epoch_seconds":\#(median(epochTimes)),"epoch_seconds":[\#(times)],"objective":\#(auc),"test_auc":\#(auc),"final_train_loss":\#(model.diagnostics.history.last?.trainLoss ?? .nan),"predict_rows_per_second":\#(Double(test.rows) / predictSeconds)}"#
      )
    }
  }
}

/// The area under the ROC curve (Mann–Whitney, ties at average rank), computed here
/// rather than by the library so the benchmark checks Hone independently.
func areaUnderCurve(scores: [Double], labels: [Double]) -> Double {
  let order = scores.indices.sorted { scores[$0] < scores[$1] }
  var rankSum = 0.0
  var positives = 0.0
  var i = 0
  while i < order.count {
    var j = i
    while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
    let rank = Double(i + j + 2) / 2
    for k in i...j where labels[order[k]] == 1 {
      rankSum += rank
      positives += 1
    }
    i = j + 1
  }
  let negatives = Double(order.count) - positives
  return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}

/// Reads `higgs_like_100k.f64` (row-major float64, 28 features then the label), splits
/// 80/20 and standardises with the training rows' mean and standard deviation ignoring
/// NaN, then NaN → 0, exactly as `bench_mlp.py`'s `prep()`.
func loadHiggs100k(folder: String) throws -> (train: Dataset, test: Matrix, testLabels: [Double]) {
  let path = folder + "/higgs_like_100k.f64"
  guard let handle = FileHandle(forReadingAtPath: path) else {
    throw ValidationError("\(path) not found: run ../shared/anchors/make_data.py --only higgs_like_100k")
  }
  let bytes = try handle.readToEnd() ?? Data()
  let columns = 29
  let p = 28
  let rows = bytes.count / (8 * columns)
  let trainRows = Int(0.8 * Double(rows))
  var values = [Double](repeating: 0, count: rows * columns)
  _ = values.withUnsafeMutableBytes { bytes.copyBytes(to: $0) }
  var mean = [Double](repeating: 0, count: p)
  var sd = [Double](repeating: 0, count: p)
  for j in 0..<p {
    var sum = 0.0
    var count = 0.0
    for i in 0..<trainRows where !values[i * columns + j].isNaN {
      sum += values[i * columns + j]
      count += 1
    }
    mean[j] = sum / count
    var squares = 0.0
    for i in 0..<trainRows where !values[i * columns + j].isNaN {
      squares += (values[i * columns + j] - mean[j]) * (values[i * columns + j] - mean[j])
    }
    sd[j] = (squares / count).squareRoot()
  }
  func block(_ range: Range<Int>) -> (Matrix, [Double]) {
    let n = range.count
    var x = [Double](repeating: 0, count: n * p)
    var y = [Double](repeating: 0, count: n)
    for (r, i) in range.enumerated() {
      for j in 0..<p {
        let z = (values[i * columns + j] - mean[j]) / sd[j]
        x[r + j * n] = z.isNaN ? 0 : z
      }
      y[r] = values[i * columns + p]
    }
    return ((try? Matrix(rows: n, columns: p, columnMajor: x)) ?? Matrix(rows: 0, columns: p), y)
  }
  let (xTrain, yTrain) = block(0..<trainRows)
  let (xTest, yTest) = block(trainRows..<rows)
  return (try Dataset(features: xTrain, target: yTrain), xTest, yTest)
}
