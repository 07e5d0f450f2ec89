import HoneCore
import HoneLinearAlgebra

/// The buffers of one forward and backward pass over a mini-batch of up to `capacity`
/// rows, allocated once per fit (or per prediction call) so that a training step
/// allocates nothing.
///
/// **Layout.** A batch's activations are column-major `width × rows` blocks — each
/// sample's units contiguous, i.e. row-major `rows × width`. With weights stored
/// column-major `outputs × inputs`, every product is a plain `gemm` with at most a
/// transpose *flag*, and no transposed copy is ever made:
///
/// - forward   `Z = W·A`                        (`gemm(N, N)`)
/// - weights   `∂W = ∂Z·Aᵀ`                     (`gemm(N, T)`)
/// - inputs    `∂A = Wᵀ·∂Z`                     (`gemm(T, N)`)
///
/// Bias, layer normalisation, activation and dropout then run in one pass over each
/// sample's contiguous units. A class (not a struct of arrays) owns the buffers so the
/// pointers stay valid for the whole fit without `withUnsafe…` nesting.
final class NetworkWorkspace<T: NeuralScalar> {
  let layout: NetworkLayout
  let capacity: Int
  /// The batch input, `inputCount × rows`.
  let input: UnsafeMutablePointer<T>
  /// Per hidden layer: the activation's input (`z + b`, or `γ⊙x̂ + β` with layer norm).
  let preactivations: [UnsafeMutablePointer<T>]
  /// Per hidden layer: its output after activation and dropout.
  let activations: [UnsafeMutablePointer<T>]
  /// Per hidden layer with layer norm: the normalised `x̂`.
  let normalized: [UnsafeMutablePointer<T>]
  /// Per hidden layer with layer norm: `1/√(σ² + ε)` per row.
  let inverseDeviations: [UnsafeMutablePointer<T>]
  /// Per hidden layer with dropout: the multiplier per unit (0 or `1/(1 − p)`).
  let masks: [UnsafeMutablePointer<T>]
  /// The output scores, `outputCount × rows`.
  let logits: UnsafeMutablePointer<T>
  /// The loss gradient with respect to the scores.
  let logitGradients: UnsafeMutablePointer<T>
  /// Scratch for back-propagated gradients, `maxWidth × rows` each: `scratchA` holds
  /// the gradient of a hidden layer's output, `scratchB` that of its `W·a + b`.
  let scratchA: UnsafeMutablePointer<T>
  let scratchB: UnsafeMutablePointer<T>
  /// The gradient with respect to the (standardised) input, filled when requested.
  let inputGradients: UnsafeMutablePointer<T>
  /// The dropout probability and its keep multiplier.
  let dropout: Double
  private var allocations: [UnsafeMutablePointer<T>] = []

  /// The epsilon inside layer normalisation's square root (PyTorch's default).
  static var layerNormEpsilon: T { T(1e-5) }

  init(layout: NetworkLayout, capacity: Int, dropout: Double) {
    self.layout = layout
    self.capacity = capacity
    self.dropout = dropout
    var allocations: [UnsafeMutablePointer<T>] = []
    func make(_ count: Int) -> UnsafeMutablePointer<T> {
      let pointer = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(1, count))
      pointer.initialize(repeating: 0, count: Swift.max(1, count))
      allocations.append(pointer)
      return pointer
    }
    let hidden = layout.layers.dropLast()
    input = make(layout.inputCount * capacity)
    preactivations = hidden.map { make($0.outputs * capacity) }
    activations = hidden.map { make($0.outputs * capacity) }
    normalized = layout.layerNorm ? hidden.map { make($0.outputs * capacity) } : []
    inverseDeviations = layout.layerNorm ? hidden.map { _ in make(capacity) } : []
    masks = dropout > 0 ? hidden.map { make($0.outputs * capacity) } : []
    logits = make(layout.outputCount * capacity)
    logitGradients = make(layout.outputCount * capacity)
    scratchA = make(layout.maxWidth * capacity)
    scratchB = make(layout.maxWidth * capacity)
    inputGradients = make(layout.inputCount * capacity)
    self.allocations = allocations
  }

  deinit {
    for pointer in allocations { pointer.deallocate() }
  }

  // MARK: Forward

  /// Runs the network on the first `rows` columns of ``input``, leaving the scores in
  /// ``logits``. With `training`, dropout draws fresh masks from `random`.
  func forward(rows: Int, parameters: UnsafePointer<T>, training: Bool, random: inout Xoshiro256StarStar) {
    var previous = UnsafePointer(input)
    let last = layout.layers.count - 1
    for (index, layer) in layout.layers.enumerated() {
      let z = index == last ? logits : preactivations[index]
      T.gemm(
        .none, .none, m: layer.outputs, n: rows, k: layer.inputs, alpha: 1, parameters + layer.weights,
        lda: layer.outputs, previous, ldb: layer.inputs, beta: 0, z, ldc: layer.outputs)
      if index == last {
        addBias(z, parameters + layer.bias, width: layer.outputs, rows: rows)
      } else {
        finishHidden(index, layer, rows: rows, parameters: parameters, training: training, random: &random)
        previous = UnsafePointer(activations[index])
      }
    }
  }

  private func addBias(_ z: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, width: Int, rows: Int) {
    for column in 0..<rows {
      let z = z + column * width
      for unit in 0..<width { z[unit] += bias[unit] }
    }
  }

  /// Bias, layer norm, activation and dropout of hidden layer `index`, fused into one
  /// pass over each row's units.
  private func finishHidden(
    _ index: Int, _ layer: NetworkLayout.Layer, rows: Int, parameters: UnsafePointer<T>, training: Bool,
    random: inout Xoshiro256StarStar
  ) {
    let width = layer.outputs
    let pre = preactivations[index]
    let out = activations[index]
    let bias = parameters + layer.bias
    let activation = layout.activation
    if let gainOffset = layer.gain, let shiftOffset = layer.shift {
      let (gain, shift) = (parameters + gainOffset, parameters + shiftOffset)
      let xhat = normalized[index]
      let inverse = inverseDeviations[index]
      for column in 0..<rows {
        let base = column * width
        var mean: T = 0
        for unit in 0..<width {
          pre[base + unit] += bias[unit]
          mean += pre[base + unit]
        }
        mean /= T(width)
        var variance: T = 0
        for unit in 0..<width {
          let d = pre[base + unit] - mean
          variance += d * d
        }
        let r = 1 / (variance / T(width) + Self.layerNormEpsilon).squareRoot()
        inverse[column] = r
        for unit in 0..<width {
          let x = (pre[base + unit] - mean) * r
          xhat[base + unit] = x
          let y = gain[unit] * x + shift[unit]
          pre[base + unit] = y
          out[base + unit] = activation.value(y)
        }
      }
    } else if activation == .relu {
      // The common case, written out so the loop vectorises without a per-element switch.
      for column in 0..<rows {
        let base = column * width
        for unit in 0..<width {
          let z = pre[base + unit] + bias[unit]
          pre[base + unit] = z
          out[base + unit] = z > 0 ? z : 0
        }
      }
    } else {
      for column in 0..<rows {
        let base = column * width
        for unit in 0..<width {
          let z = pre[base + unit] + bias[unit]
          pre[base + unit] = z
          out[base + unit] = activation.value(z)
        }
      }
    }
    if training && dropout > 0 {
      let mask = masks[index]
      let keep = T(1 / (1 - dropout))
      // Compare 53 random bits with p·2⁵³: one integer comparison per unit.
      let threshold = UInt64(dropout * 0x1.0p53)
      for position in 0..<(rows * width) {
        let m: T = (random.next() >> 11) < threshold ? 0 : keep
        mask[position] = m
        out[position] *= m
      }
    }
  }

  // MARK: Backward

  /// Back-propagates ``logitGradients`` (the loss gradient with respect to the scores of
  /// the last ``forward(rows:parameters:training:random:)``) into `gradients`, laid out
  /// as the parameters. With `inputGradient`, also fills ``inputGradients``.
  func backward(
    rows: Int, parameters: UnsafePointer<T>, gradients: UnsafeMutablePointer<T>, inputGradient: Bool = false
  ) {
    var dz = UnsafeMutablePointer(logitGradients)
    for index in stride(from: layout.layers.count - 1, through: 0, by: -1) {
      let layer = layout.layers[index]
      let previous = index == 0 ? UnsafePointer(input) : UnsafePointer(activations[index - 1])
      T.gemm(
        .none, .transpose, m: layer.outputs, n: layer.inputs, k: rows, alpha: 1, dz, lda: layer.outputs, previous,
        ldb: layer.inputs, beta: 0, gradients + layer.weights, ldc: layer.outputs)
      let gb = gradients + layer.bias
      for unit in 0..<layer.outputs { gb[unit] = 0 }
      for column in 0..<rows {
        let d = dz + column * layer.outputs
        for unit in 0..<layer.outputs { gb[unit] += d[unit] }
      }
      if index == 0 {
        if inputGradient {
          T.gemm(
            .transpose, .none, m: layer.inputs, n: rows, k: layer.outputs, alpha: 1, parameters + layer.weights,
            lda: layer.outputs, dz, ldb: layer.outputs, beta: 0, inputGradients, ldc: layer.inputs)
        }
        break
      }
      // `dz` is consumed by the two products above and below before `next` is
      // written, so `next` may be the buffer `dz` points to; `da` never is.
      let da = scratchA
      T.gemm(
        .transpose, .none, m: layer.inputs, n: rows, k: layer.outputs, alpha: 1, parameters + layer.weights,
        lda: layer.outputs, dz, ldb: layer.outputs, beta: 0, da, ldc: layer.inputs)
      // `da` is now the gradient of hidden layer index−1's output; turn it into that
      // layer's dZ in the other scratch buffer.
      let next = scratchB
      hiddenBackward(index - 1, rows: rows, parameters: parameters, gradients: gradients, from: da, into: next)
      dz = next
    }
  }

  /// Through dropout, the activation and layer norm of hidden layer `index`: from the
  /// gradient `dh` of its output to the gradient `dz` of `W·a + b`.
  private func hiddenBackward(
    _ index: Int, rows: Int, parameters: UnsafePointer<T>, gradients: UnsafeMutablePointer<T>,
    from dh: UnsafeMutablePointer<T>, into dz: UnsafeMutablePointer<T>
  ) {
    let layer = layout.layers[index]
    let width = layer.outputs
    let pre = preactivations[index]
    let out = activations[index]
    let activation = layout.activation
    let dropping = !masks.isEmpty
    let count = rows * width
    // Through dropout and the activation: straight into `dz` without layer norm, else
    // into `dh` in place for the layer-norm pass below.
    let target = layer.gain == nil ? dz : dh
    if activation == .relu {
      T.reluBackward(pre: pre, gradient: dh, mask: dropping ? masks[index] : nil, into: target, count: count)
    } else {
      for position in 0..<count {
        var g = dh[position]
        var h = out[position]
        if dropping {
          g *= masks[index][position]
          // The stored output is scaled by the mask; the derivative needs f(z) itself.
          h = activation.value(pre[position])
        }
        target[position] = g * activation.derivative(input: pre[position], output: h)
      }
    }
    guard let gainOffset = layer.gain, let shiftOffset = layer.shift else { return }
    let gain = parameters + gainOffset
    let dGain = gradients + gainOffset
    let dShift = gradients + shiftOffset
    for unit in 0..<width {
      dGain[unit] = 0
      dShift[unit] = 0
    }
    let xhat = normalized[index]
    let inverse = inverseDeviations[index]
    let n = T(width)
    for column in 0..<rows {
      let base = column * width
      var meanG: T = 0
      var meanGX: T = 0
      for unit in 0..<width {
        let dy = dh[base + unit]
        let x = xhat[base + unit]
        dGain[unit] += dy * x
        dShift[unit] += dy
        let g = dy * gain[unit]
        dh[base + unit] = g
        meanG += g
        meanGX += g * x
      }
      meanG /= n
      meanGX /= n
      let r = inverse[column]
      for unit in 0..<width {
        dz[base + unit] = r * (dh[base + unit] - meanG - xhat[base + unit] * meanGX)
      }
    }
  }
}
