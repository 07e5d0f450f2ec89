/// The nonlinearity applied after each hidden layer.
///
/// The output layer is always linear: its scores go to the loss (logits for
/// classification), which is numerically stabler than a sigmoid or softmax layer
/// followed by a log.
public enum Activation: String, Codable, Sendable, CaseIterable {
  /// `max(0, z)` (Nair & Hinton 2010).
  case relu
  /// `z` for `z > 0`, `0.01·z` otherwise (Maas, Hannun & Ng 2013).
  case leakyRelu
  /// The exact Gaussian error linear unit `z·Φ(z)` (Hendrycks & Gimpel 2016).
  case gelu
  /// `tanh(z)`.
  case tanh
  /// `1 / (1 + e^{−z})`.
  case sigmoid
  /// `z`: no nonlinearity (a deep linear network; mainly for tests).
  case identity

  /// The slope of ``leakyRelu`` for negative inputs.
  public static let leakySlope = 0.01

  /// Whether He initialisation suits the activation (the ReLU family); Glorot otherwise.
  var prefersHeInitialization: Bool { self == .relu || self == .leakyRelu || self == .gelu }
}

extension Activation {
  /// `f(z)`.
  @inline(__always)
  func value<T: NeuralScalar>(_ z: T) -> T {
    switch self {
    case .relu: return z > 0 ? z : 0
    case .leakyRelu: return z > 0 ? z : T(Self.leakySlope) * z
    case .gelu: return T(0.5) * z * (1 + T.errorFunction(z * T(0.5.squareRoot())))
    case .tanh: return T.hyperbolicTangent(z)
    case .sigmoid: return Self.sigmoid(z)
    case .identity: return z
    }
  }

  /// `f′(z)`, given the input `z` and the output `h = f(z)` (cheaper for tanh and sigmoid).
  @inline(__always)
  func derivative<T: NeuralScalar>(input z: T, output h: T) -> T {
    switch self {
    case .relu: return z > 0 ? 1 : 0
    case .leakyRelu: return z > 0 ? 1 : T(Self.leakySlope)
    case .gelu:
      // d/dz z·Φ(z) = Φ(z) + z·φ(z).
      let cdf = T(0.5) * (1 + T.errorFunction(z * T(0.5.squareRoot())))
      let pdf = T.exponential(-T(0.5) * z * z) * T(1 / (2 * Double.pi).squareRoot())
      return cdf + z * pdf
    case .tanh: return 1 - h * h
    case .sigmoid: return h * (1 - h)
    case .identity: return 1
    }
  }

  /// The logistic function, computed from `e^{−|z|}` so it never overflows.
  @inline(__always)
  static func sigmoid<T: NeuralScalar>(_ z: T) -> T {
    if z >= 0 { return 1 / (1 + T.exponential(-z)) }
    let e = T.exponential(z)
    return e / (1 + e)
  }
}
