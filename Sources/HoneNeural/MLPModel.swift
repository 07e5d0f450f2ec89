import HoneCore
import HoneLinearAlgebra

/// A fitted multilayer perceptron: what ``MLPClassifier`` and ``MLPRegressor`` return.
///
/// The model keeps its hyperparameters (which fix the architecture and precision), the
/// input standardisation, and every parameter in one flat vector in the layout of
/// ``MLPModel/parameters``. Predictions run the same forward pass as training, in the
/// precision the model was trained in, without dropout.
public struct MLPModel: ProbabilisticModel, Equatable {
  /// What the network predicts.
  public enum Task: String, Codable, Sendable {
    /// A real value, from one linear output.
    case regression
    /// A class: one logit for two classes, one per class for more.
    case classification
  }

  /// The model kind in model files.
  public static let kind = "mlp"

  /// What the network predicts.
  public let task: Task
  /// The class labels, sorted (classification); empty for regression.
  public let classes: [Int]
  /// The hyperparameters the model was fitted with.
  public let hyperparameters: MLPHyperparameters
  /// The number of features.
  public let featureCount: Int
  /// The training mean of each feature, subtracted before the network; `nil` without standardisation.
  public let inputMean: [Double]?
  /// The training standard deviation of each feature (1 for constant ones), divided by
  /// before the network; `nil` without standardisation.
  public let inputScale: [Double]?
  /// Every weight and bias, layer by layer from the input side: the `out × in` weight
  /// matrix in column-major order, the `out` biases, then (with layer norm) the `out`
  /// gains and `out` shifts. Stored as `Double`; a `float32` model's values are exactly
  /// its `Float` weights.
  public let parameters: [Double]
  /// The training history and why training stopped.
  public let diagnostics: MLPDiagnostics

  /// The number of classes (0 for regression).
  public var classCount: Int { classes.count }
  /// The number of network outputs.
  public var outputCount: Int { task == .regression || classes.count == 2 ? 1 : classes.count }

  /// Creates a model from its parts, checking that they fit together.
  ///
  /// - Parameters:
  ///   - task: Regression or classification.
  ///   - classes: The sorted class labels (at least two) for classification; empty for regression.
  ///   - hyperparameters: The hyperparameters; they fix the architecture.
  ///   - featureCount: The number of input features.
  ///   - inputMean: Per-feature means, or `nil`.
  ///   - inputScale: Per-feature scales, or `nil`.
  ///   - parameters: The flat parameter vector.
  ///   - diagnostics: The training history.
  /// - Throws: ``MLPError`` when the parts disagree.
  public init(
    task: Task, classes: [Int], hyperparameters: MLPHyperparameters, featureCount: Int, inputMean: [Double]?,
    inputScale: [Double]?, parameters: [Double], diagnostics: MLPDiagnostics
  ) throws {
    self.task = task
    self.classes = classes
    self.hyperparameters = hyperparameters
    self.featureCount = featureCount
    self.inputMean = inputMean
    self.inputScale = inputScale
    self.parameters = parameters
    self.diagnostics = diagnostics
    _ = try layout()
  }

  /// The layout the parameters follow, after checking the parts agree (a decoded file
  /// may not).
  func layout() throws -> NetworkLayout {
    guard featureCount >= 1, !hyperparameters.hiddenLayers.isEmpty, hyperparameters.hiddenLayers.allSatisfy({ $0 >= 1 })
    else {
      throw MLPError(
        "the model has \(featureCount) features and hidden layers \(hyperparameters.hiddenLayers); it is not a valid network"
      )
    }
    if task == .classification && classes.count < 2 {
      throw MLPError("a classification model needs at least two classes, got \(classes.count)")
    }
    let layout = NetworkLayout(
      inputs: featureCount, hidden: hyperparameters.hiddenLayers, outputs: outputCount,
      activation: hyperparameters.activation, layerNorm: hyperparameters.layerNorm)
    guard parameters.count == layout.parameterCount else {
      throw MLPError(
        "the model has \(parameters.count) parameters but its architecture needs \(layout.parameterCount); the model file is inconsistent"
      )
    }
    if let inputMean, let inputScale {
      guard inputMean.count == featureCount, inputScale.count == featureCount else {
        throw MLPError("the model's standardisation has the wrong length for \(featureCount) features")
      }
    }
    return layout
  }

  /// The network's output scores: the prediction for regression, the logit of
  /// `classes[1]` for two classes, one logit per class for more.
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns and finite values.
  /// - Returns: An `n × outputCount` matrix.
  /// - Throws: ``MLPError`` when the column count differs from ``featureCount`` or a
  ///   value is NaN or infinite.
  /// - Complexity: O(n · Σ layer in × out), a `gemm` per layer per chunk of 1,024 rows.
  public func decisionFunction(_ features: Matrix) throws -> Matrix {
    let layout = try layout()
    guard features.columns == featureCount else {
      throw MLPError(
        "the model was fitted on \(featureCount) features but the input has \(features.columns) columns; pass the same feature columns in the same order"
      )
    }
    try MLPData.checkFinite(features, what: "feature")
    let n = features.rows
    let width = layout.outputCount
    let rowMajor: [Double]
    switch hyperparameters.precision {
    case .float32:
      rowMajor = Self.scores(
        layout: layout, parameters: parameters.map { Float($0) },
        input: MLPData.rowMajor(features, mean: inputMean, scale: inputScale, as: Float.self), rows: n)
    case .float64:
      rowMajor = Self.scores(
        layout: layout, parameters: parameters,
        input: MLPData.rowMajor(features, mean: inputMean, scale: inputScale, as: Double.self), rows: n)
    }
    var storage = [Double](repeating: 0, count: n * width)
    for row in 0..<n {
      for k in 0..<width { storage[k * n + row] = rowMajor[row * width + k] }
    }
    return Matrix(uncheckedRows: n, columns: width, storage: storage)
  }

  /// Class probabilities (classification models).
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: An `n × K` matrix whose column `k` is the probability of `classes[k]`;
  ///   the logistic function of the logit for two classes, the softmax for more.
  /// - Throws: ``MLPError`` for a regression model, or as ``decisionFunction(_:)``.
  /// - Complexity: As ``decisionFunction(_:)``.
  public func predictProbabilities(_ features: Matrix) throws -> Matrix {
    guard task == .classification else {
      throw MLPError("predictProbabilities needs a classification model; this model is a regressor, use predict")
    }
    let scores = try decisionFunction(features)
    let (n, k) = (features.rows, classes.count)
    var out = [Double](repeating: 0, count: n * k)
    if k == 2 {
      for row in 0..<n {
        let p = Activation.sigmoid(scores[row, 0])
        out[row] = 1 - p
        out[n + row] = p
      }
    } else {
      for row in 0..<n {
        var peak = -Double.infinity
        for c in 0..<k { peak = Swift.max(peak, scores[row, c]) }
        var sum = 0.0
        for c in 0..<k { sum += Double.exponential(scores[row, c] - peak) }
        for c in 0..<k { out[c * n + row] = Double.exponential(scores[row, c] - peak) / sum }
      }
    }
    return Matrix(uncheckedRows: n, columns: k, storage: out)
  }

  /// Predicts one value per row: the regression output, or the most probable class
  /// label (ties go to the lower class).
  ///
  /// - Parameter features: A matrix with ``featureCount`` columns.
  /// - Returns: One prediction per row.
  /// - Throws: ``MLPError`` as ``decisionFunction(_:)``.
  /// - Complexity: As ``decisionFunction(_:)``.
  public func predict(_ features: Matrix) throws -> [Double] {
    let scores = try decisionFunction(features)
    let n = features.rows
    switch task {
    case .regression:
      return scores.storage
    case .classification where classes.count == 2:
      return (0..<n).map { Double(scores[$0, 0] > 0 ? classes[1] : classes[0]) }
    case .classification:
      return (0..<n).map { row in
        var best = 0
        for c in 1..<classes.count where scores[row, c] > scores[row, best] { best = c }
        return Double(classes[best])
      }
    }
  }

  /// Runs the network on row-major input in chunks; returns row-major scores.
  static func scores<T: NeuralScalar>(layout: NetworkLayout, parameters: [T], input: [T], rows: Int) -> [Double] {
    let width = layout.outputCount
    var out = [Double](repeating: 0, count: rows * width)
    guard rows > 0 else { return out }
    let chunk = Swift.min(rows, 1024)
    let workspace = NetworkWorkspace<T>(layout: layout, capacity: chunk, dropout: 0)
    var unused = Xoshiro256StarStar(seed: 0)
    let p = layout.inputCount
    parameters.withUnsafeBufferPointer { theta in
      input.withUnsafeBufferPointer { x in
        var start = 0
        while start < rows {
          let count = Swift.min(chunk, rows - start)
          workspace.input.update(from: x.baseAddress.unsafelyUnwrapped + start * p, count: count * p)
          workspace.forward(
            rows: count, parameters: theta.baseAddress.unsafelyUnwrapped, training: false, random: &unused)
          for i in 0..<(count * width) { out[start * width + i] = Double(workspace.logits[i]) }
          start += count
        }
      }
    }
    return out
  }
}
