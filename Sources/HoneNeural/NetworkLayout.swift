/// The shape of a network and where each layer's parameters live in one flat vector.
///
/// Keeping every parameter in one contiguous vector (and every gradient in another of
/// the same layout) lets the optimiser, gradient clipping and best-weight snapshots run
/// as single loops, with no per-layer bookkeeping.
package struct NetworkLayout: Sendable, Equatable {
  /// One dense layer: `z = W·a + b`, then for hidden layers optional layer
  /// normalisation `γ⊙x̂ + β`, the activation and dropout.
  package struct Layer: Sendable, Equatable {
    /// The input width (fan-in).
    package let inputs: Int
    /// The output width (fan-out).
    package let outputs: Int
    /// The offset of `W`, an `outputs × inputs` column-major block.
    package let weights: Int
    /// The offset of `b` (`outputs` values).
    package let bias: Int
    /// The offset of the layer-norm gain `γ` (`outputs` values), or `nil`.
    package let gain: Int?
    /// The offset of the layer-norm shift `β` (`outputs` values), or `nil`.
    package let shift: Int?
  }

  /// The layers, input side first; the last is the linear output layer.
  package let layers: [Layer]
  /// The total number of parameters.
  package let parameterCount: Int
  /// The hidden-layer activation.
  package let activation: Activation
  /// Whether hidden layers are layer-normalised.
  package let layerNorm: Bool

  /// The number of input features.
  package var inputCount: Int { layers[0].inputs }
  /// The number of network outputs.
  package var outputCount: Int { layers[layers.count - 1].outputs }
  /// The widest layer output.
  package var maxWidth: Int { layers.map(\.outputs).max() ?? 0 }

  /// Lays out a network.
  ///
  /// - Precondition: every width is ≥ 1 (the estimators validate this first).
  package init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation, layerNorm: Bool) {
    precondition(inputs >= 1 && outputs >= 1 && hidden.allSatisfy { $0 >= 1 }, "layer widths must be positive")
    var layers: [Layer] = []
    var offset = 0
    let widths = [inputs] + hidden + [outputs]
    for index in 0..<(widths.count - 1) {
      let (fanIn, fanOut) = (widths[index], widths[index + 1])
      let isHidden = index < hidden.count
      let weights = offset
      let bias = weights + fanIn * fanOut
      offset = bias + fanOut
      var gain: Int?
      var shift: Int?
      if isHidden && layerNorm {
        gain = offset
        shift = offset + fanOut
        offset += 2 * fanOut
      }
      layers.append(
        Layer(inputs: fanIn, outputs: fanOut, weights: weights, bias: bias, gain: gain, shift: shift))
    }
    self.layers = layers
    self.parameterCount = offset
    self.activation = activation
    self.layerNorm = layerNorm
  }

  /// The index ranges of the weight matrices: the entries weight decay applies to.
  package var weightRanges: [Range<Int>] {
    layers.map { $0.weights..<($0.weights + $0.inputs * $0.outputs) }
  }
}
