import HoneCore
import HoneLinearAlgebra

/// Validation, preparation and the precision dispatch shared by ``MLPClassifier`` and
/// ``MLPRegressor``.
enum MLPFitting {
  /// The network's task with its classes.
  enum Target {
    case regression
    case classification(classes: [Int])
  }

  static func validate(_ h: MLPHyperparameters, task: MLPModel.Task) throws {
    guard !h.hiddenLayers.isEmpty else {
      throw MLPError(
        "hiddenLayers is empty: a multilayer perceptron needs at least one hidden layer, e.g. hiddenLayers=64,64 (for a linear model use LinearRegression or LogisticRegression)"
      )
    }
    if let bad = h.hiddenLayers.firstIndex(where: { $0 < 1 }) {
      throw MLPError("hidden layer \(bad) has \(h.hiddenLayers[bad]) units; every layer needs at least 1")
    }
    guard h.batchSize >= 1 else { throw MLPError("batchSize must be at least 1, got \(h.batchSize)") }
    guard h.epochs >= 1 else { throw MLPError("epochs must be at least 1, got \(h.epochs)") }
    guard h.learningRate.isFinite, h.learningRate > 0 else {
      throw MLPError("learningRate must be finite and > 0, got \(h.learningRate)")
    }
    guard h.dropout.isFinite, h.dropout >= 0, h.dropout < 1 else {
      throw MLPError("dropout must be in [0, 1), got \(h.dropout)")
    }
    for (name, value) in [("momentum", h.momentum), ("beta1", h.beta1), ("beta2", h.beta2)] {
      guard value.isFinite, value >= 0, value < 1 else { throw MLPError("\(name) must be in [0, 1), got \(value)") }
    }
    guard h.epsilon.isFinite, h.epsilon > 0 else { throw MLPError("epsilon must be finite and > 0, got \(h.epsilon)") }
    guard h.huberDelta.isFinite, h.huberDelta > 0 else {
      throw MLPError("huberDelta must be finite and > 0, got \(h.huberDelta)")
    }
    guard h.weightDecay.isFinite, h.weightDecay >= 0 else {
      throw MLPError("weightDecay must be finite and ≥ 0, got \(h.weightDecay)")
    }
    if let clip = h.gradientClipNorm, !(clip.isFinite && clip > 0) {
      throw MLPError("gradientClipNorm must be finite and > 0 (or absent to disable clipping), got \(clip)")
    }
    guard h.stepEpochs >= 1 else { throw MLPError("stepEpochs must be at least 1, got \(h.stepEpochs)") }
    guard h.stepFactor.isFinite, h.stepFactor > 0, h.stepFactor <= 1 else {
      throw MLPError("stepFactor must be in (0, 1], got \(h.stepFactor)")
    }
    guard h.validationFraction.isFinite, h.validationFraction >= 0, h.validationFraction < 1 else {
      throw MLPError("validationFraction must be in [0, 1), got \(h.validationFraction)")
    }
    if let patience = h.earlyStoppingPatience, patience < 1 {
      throw MLPError("earlyStoppingPatience must be at least 1 (or absent to disable early stopping), got \(patience)")
    }
    guard h.earlyStoppingTolerance.isFinite, h.earlyStoppingTolerance >= 0 else {
      throw MLPError("earlyStoppingTolerance must be finite and ≥ 0, got \(h.earlyStoppingTolerance)")
    }
    switch (task, h.loss) {
    case (.classification, .squaredError), (.classification, .huber):
      throw MLPError("loss \(h.loss.rawValue) is for regression; classifiers use crossEntropy (or auto)")
    case (.regression, .crossEntropy):
      throw MLPError("loss crossEntropy is for classification; regressors use squaredError, huber or auto")
    default: break
    }
    switch (task, h.validationMetric) {
    case (.classification, .meanSquaredError), (.classification, .r2):
      throw MLPError(
        "validationMetric \(h.validationMetric.rawValue) is for regression; classifiers use loss, accuracy or auc")
    case (.regression, .accuracy), (.regression, .auc):
      throw MLPError(
        "validationMetric \(h.validationMetric.rawValue) is for classification; regressors use loss, meanSquaredError or r2"
      )
    default: break
    }
    if task == .classification, let k = h.classCount, k < 2 {
      throw MLPError("classCount must be at least 2, got \(k)")
    }
  }

  /// The classes of `target` (or `0..<classCount`), checking every label.
  static func classes(_ target: [Double], classCount: Int?, what: String) throws -> [Int] {
    var seen = Set<Int>()
    for (row, value) in target.enumerated() {
      guard value >= 0, value <= Double(Int32.max), value == value.rounded(.towardZero) else {
        throw MLPError(
          "the \(what) target is \(value) at row \(row): a classifier needs class labels 0, 1, 2, … (non-negative integers); encode the classes first"
        )
      }
      if let classCount, Int(value) >= classCount {
        throw MLPError(
          "the \(what) target has class \(Int(value)) at row \(row), outside the fixed classCount \(classCount) (labels 0..<\(classCount)); raise classCount or drop the rows"
        )
      }
      seen.insert(Int(value))
    }
    if let classCount { return Array(0..<classCount) }
    let classes = seen.sorted()
    guard classes.count >= 2 else {
      throw MLPError(
        "the \(what) target has a single class (\(classes.first.map(String.init) ?? "none")); a classifier needs at least two"
      )
    }
    return classes
  }

  /// Fits a network of the given task.
  static func fit(
    _ h: MLPHyperparameters, task: MLPModel.Task, data: Dataset, validation: Dataset?, onEpoch: MLPEpochCallback?
  ) throws -> MLPModel {
    try validate(h, task: task)
    guard data.featureCount > 0 else { throw MLPError("the dataset has no feature columns") }
    try MLPData.checkFinite(data.features, what: "feature")
    var classes: [Int] = []
    if task == .classification {
      classes = try Self.classes(data.target, classCount: h.classCount, what: "training")
      // AUC ranks one class against the other; with more, its scores are not one per row.
      if h.validationMetric == .auc, classes.count > 2 {
        throw MLPError(
          "validationMetric auc ranks two classes, but the target has \(classes.count); use loss or accuracy")
      }
    }
    if let validation {
      guard validation.featureCount == data.featureCount else {
        throw MLPError(
          "the validation set has \(validation.featureCount) features but the training set has \(data.featureCount); use the same columns"
        )
      }
      try MLPData.checkFinite(validation.features, what: "validation feature")
      if task == .classification {
        let known = Set(classes)
        if let row = validation.target.firstIndex(where: { !known.contains(Int(exactly: $0) ?? -1) }) {
          throw MLPError(
            "the validation target has class \(validation.target[row]) at row \(row), which the training rows do not have (classes \(classes)); set classCount to fix the classes or resplit the data"
          )
        }
      }
    }

    var random = Xoshiro256StarStar(seed: h.seed)
    // The split: an explicit set, a seeded random fraction, or none.
    let n = data.rowCount
    var training = Array(0..<n)
    var heldOut: [Int] = []
    if validation == nil, h.validationFraction > 0 {
      var splitRandom = random
      splitRandom.jump()
      splitRandom.jump()
      let order = splitRandom.permutation(n)
      let holdCount = Int((Double(n) * h.validationFraction).rounded())
      guard holdCount >= 1, holdCount < n else {
        throw MLPError(
          "validationFraction \(h.validationFraction) of \(n) rows holds out \(holdCount); it must leave at least one row on each side"
        )
      }
      heldOut = Array(order[..<holdCount]).sorted()
      training = Array(order[holdCount...]).sorted()
    }
    let (mean, scale) = h.standardize ? MLPData.moments(data.features, rows: training) : ([], [])
    let outputs = task == .regression || classes.count == 2 ? 1 : classes.count
    let layout = NetworkLayout(
      inputs: data.featureCount, hidden: h.hiddenLayers, outputs: outputs, activation: h.activation,
      layerNorm: h.layerNorm)
    let loss: LossFunction =
      switch (task, h.loss) {
      case (.regression, .huber): .huber(delta: h.huberDelta)
      case (.regression, _): .squaredError
      case (.classification, _): outputs == 1 ? .binaryCrossEntropy : .softmaxCrossEntropy
      }
    let initial = initialParameters(layout, h, random: &random)

    let parameters: [Double]
    let diagnostics: MLPDiagnostics
    switch h.precision {
    case .float32:
      (parameters, diagnostics) = try run(
        Float.self, h, layout: layout, loss: loss, data: data, validation: validation, classes: classes,
        training: training, heldOut: heldOut, mean: mean, scale: scale, initial: initial, random: &random,
        onEpoch: onEpoch)
    case .float64:
      (parameters, diagnostics) = try run(
        Double.self, h, layout: layout, loss: loss, data: data, validation: validation, classes: classes,
        training: training, heldOut: heldOut, mean: mean, scale: scale, initial: initial, random: &random,
        onEpoch: onEpoch)
    }
    return try MLPModel(
      task: task, classes: classes, hyperparameters: h, featureCount: data.featureCount,
      inputMean: h.standardize ? mean : nil, inputScale: h.standardize ? scale : nil, parameters: parameters,
      diagnostics: diagnostics)
  }

  /// He or Glorot uniform weights, zero biases, unit layer-norm gains and zero shifts.
  static func initialParameters(
    _ layout: NetworkLayout, _ h: MLPHyperparameters, random: inout Xoshiro256StarStar
  ) -> [Double] {
    var theta = [Double](repeating: 0, count: layout.parameterCount)
    let he =
      switch h.initialization {
      case .auto: layout.activation.prefersHeInitialization
      case .he: true
      case .glorot: false
      }
    for layer in layout.layers {
      let bound = he ? (6 / Double(layer.inputs)).squareRoot() : (6 / Double(layer.inputs + layer.outputs)).squareRoot()
      for i in layer.weights..<(layer.weights + layer.inputs * layer.outputs) {
        theta[i] = (2 * random.nextUnitDouble() - 1) * bound
      }
      if let gain = layer.gain {
        for i in gain..<(gain + layer.outputs) { theta[i] = 1 }
      }
    }
    return theta
  }

  /// Converts the data to `T`, trains, and converts the parameters back.
  private static func run<T: NeuralScalar>(
    _: T.Type, _ h: MLPHyperparameters, layout: NetworkLayout, loss: LossFunction, data: Dataset,
    validation: Dataset?, classes: [Int], training: [Int], heldOut: [Int], mean: [Double], scale: [Double],
    initial: [Double], random: inout Xoshiro256StarStar, onEpoch: MLPEpochCallback?
  ) throws -> ([Double], MLPDiagnostics) {
    let standardizeMean = h.standardize ? mean : nil
    let standardizeScale = h.standardize ? scale : nil
    var features = MLPData.rowMajor(data.features, mean: standardizeMean, scale: standardizeScale, as: T.self)
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    func encode(_ target: [Double]) -> [T] {
      classes.isEmpty ? target.map { T($0) } : target.map { T(index[Int($0)] ?? 0) }
    }
    var targets = encode(data.target)
    var weights = data.weights.map { $0.map { T($0) } }
    var validationRows = heldOut
    if let validation {
      features += MLPData.rowMajor(validation.features, mean: standardizeMean, scale: standardizeScale, as: T.self)
      targets += encode(validation.target)
      if weights != nil || validation.weights != nil {
        let trainWeights = weights ?? [T](repeating: 1, count: data.rowCount)
        weights = trainWeights + (validation.weights?.map { T($0) } ?? [T](repeating: 1, count: validation.rowCount))
      }
      validationRows = Array(data.rowCount..<(data.rowCount + validation.rowCount))
    }
    let trainer = MLPTrainer<T>(hyperparameters: h, layout: layout, loss: loss, metric: h.validationMetric)
    let rows = MLPTrainer<T>.Rows(
      features: features, targets: targets, weights: weights, featureCount: data.featureCount)
    let (parameters, diagnostics) = try trainer.train(
      data: rows, training: training, validation: validationRows, parameters: initial.map { T($0) },
      random: &random, onEpoch: onEpoch)
    return (parameters.map { Double($0) }, diagnostics)
  }
}
