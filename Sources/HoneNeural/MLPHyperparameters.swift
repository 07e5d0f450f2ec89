/// The hyperparameters of ``MLPClassifier`` and ``MLPRegressor`` (scikit-learn's
/// `MLPClassifier` names in parentheses where they exist).
///
/// Every property has a documented default; the value is `Codable` so configs, studies
/// and `hone train --param name=value` can set it by its Swift name.
public struct MLPHyperparameters: Codable, Sendable, Equatable {
  /// The loss the network minimises.
  public enum Loss: String, Codable, Sendable, CaseIterable {
    /// Cross-entropy for classifiers, squared error for regressors.
    case auto
    /// `½(ŷ − y)²` (regression; scikit-learn's `squared_error` loss).
    case squaredError
    /// Huber's loss with threshold ``MLPHyperparameters/huberDelta`` (Huber 1964):
    /// quadratic for small residuals, linear for large ones (regression).
    case huber
    /// Binary cross-entropy on the logit for two classes, softmax cross-entropy for more
    /// (classification).
    case crossEntropy
  }

  /// The optimiser.
  public enum Optimizer: String, Codable, Sendable, CaseIterable {
    /// Plain stochastic gradient descent `θ ← θ − η·g`.
    case sgd
    /// SGD with classical (heavy-ball) momentum `v ← μv − ηg, θ ← θ + v` (Polyak 1964).
    case momentum
    /// SGD with Nesterov momentum in the form of Sutskever et al. (2013), as
    /// scikit-learn's `nesterovs_momentum`.
    case nesterov
    /// Adam (Kingma & Ba 2015) with bias correction.
    case adam
    /// Adam with decoupled weight decay (Loshchilov & Hutter 2019).
    case adamw
  }

  /// How the learning rate changes during training.
  public enum Schedule: String, Codable, Sendable, CaseIterable {
    /// `η` throughout.
    case constant
    /// `η · stepFactor^⌊epoch / stepEpochs⌋` (epochs counted from 0).
    case step
    /// Cosine annealing from `η` to 0 over all mini-batch steps (Loshchilov & Hutter
    /// 2017, without restarts).
    case cosine
    /// The one-cycle policy (Smith & Topin 2019) with PyTorch's `OneCycleLR` defaults:
    /// cosine warm-up from `η/25` to `η` over the first 30% of steps, then cosine decay
    /// to `η/(25·10⁴)`.
    case oneCycle
  }

  /// The weight initialisation.
  public enum Initialization: String, Codable, Sendable, CaseIterable {
    /// ``he`` for ReLU, leaky ReLU and GELU; ``glorot`` for tanh, sigmoid and identity.
    case auto
    /// Uniform on `±√(6/fanIn)` (He et al. 2015), biases 0.
    case he
    /// Uniform on `±√(6/(fanIn + fanOut))` (Glorot & Bengio 2010), biases 0.
    case glorot
  }

  /// The floating-point type the network trains and predicts in.
  public enum Precision: String, Codable, Sendable, CaseIterable {
    /// 32-bit `Float`: twice the `gemm` throughput and half the memory traffic of
    /// `Double`, and ample for stochastic training, whose gradient noise dwarfs `Float`
    /// rounding (PyTorch's default).
    case float32
    /// 64-bit `Double`, scikit-learn's default for float64 input: for reproducing
    /// float64 references and for gradient checks.
    case float64
  }

  /// The validation quantity early stopping and the history track. The loss weighs rows
  /// by their sample weights; the other metrics count every validation row equally.
  public enum ValidationMetric: String, Codable, Sendable, CaseIterable {
    /// The validation loss (the training loss function, without the penalty); lower is better.
    case loss
    /// The fraction of correct labels (classifiers); higher is better.
    case accuracy
    /// The area under the ROC curve (binary classifiers); higher is better.
    case auc
    /// The mean squared error (regressors); lower is better.
    case meanSquaredError
    /// The coefficient of determination R² (regressors); higher is better.
    case r2

    /// Whether larger values are better.
    public var higherIsBetter: Bool { self == .accuracy || self == .auc || self == .r2 }
  }

  /// The width of each hidden layer, input side first (`hidden_layer_sizes`). At least
  /// one layer, each of at least one unit. Default `[64, 64]`.
  public var hiddenLayers: [Int] = [64, 64]
  /// The hidden-layer activation (`activation`). Default `.relu`.
  public var activation: Activation = .relu
  /// The probability of zeroing each hidden unit during training, in `[0, 1)` (inverted
  /// dropout, Srivastava et al. 2014: kept units are scaled by `1/(1 − p)`, so
  /// prediction needs no rescaling). Default 0.
  public var dropout: Double = 0
  /// Whether to normalise each hidden layer's pre-activations over its units, with a
  /// learned gain and shift (layer normalisation, Ba, Kiros & Hinton 2016). Default `false`.
  public var layerNorm: Bool = false
  /// The loss. Default `.auto`.
  public var loss: Loss = .auto
  /// The residual at which ``Loss/huber`` turns from quadratic to linear, > 0. Default 1.
  public var huberDelta: Double = 1
  /// The optimiser (`solver`). Default `.adam`.
  public var optimizer: Optimizer = .adam
  /// The base learning rate `η > 0` (`learning_rate_init`). Default 0.001.
  public var learningRate: Double = 0.001
  /// The momentum `μ ∈ [0, 1)` of ``Optimizer/momentum`` and ``Optimizer/nesterov``
  /// (`momentum`). Default 0.9.
  public var momentum: Double = 0.9
  /// Adam's first-moment decay `β₁ ∈ [0, 1)` (`beta_1`). Default 0.9.
  public var beta1: Double = 0.9
  /// Adam's second-moment decay `β₂ ∈ [0, 1)` (`beta_2`). Default 0.999.
  public var beta2: Double = 0.999
  /// Adam's `ε > 0` (`epsilon`). Default 1e-8.
  public var epsilon: Double = 1e-8
  /// The learning-rate schedule. Default `.constant`.
  public var schedule: Schedule = .constant
  /// The epochs between decays of ``Schedule/step``, ≥ 1. Default 10.
  public var stepEpochs: Int = 10
  /// The factor of each ``Schedule/step`` decay, in `(0, 1]`. Default 0.1.
  public var stepFactor: Double = 0.1
  /// The weight penalty, ≥ 0, on weight matrices only (not biases or layer-norm
  /// parameters). For every optimiser but AdamW it is scikit-learn's `alpha`: each
  /// mini-batch of `m` rows adds `(weightDecay / 2m)·‖W‖²` to the loss, so `weightDecay·W/m`
  /// to the gradient. For ``Optimizer/adamw`` it is decoupled: each step multiplies the
  /// weights by `1 − η_t·weightDecay`, as PyTorch's `AdamW(weight_decay=)`. Default 1e-4.
  public var weightDecay: Double = 1e-4
  /// When set, rescale the whole gradient to at most this Euclidean norm before each
  /// step (Pascanu, Mikolov & Bengio 2013); `nil` disables clipping. Default `nil`.
  public var gradientClipNorm: Double? = nil
  /// The rows per mini-batch, ≥ 1 (`batch_size`); the last batch of an epoch keeps the
  /// remainder. Default 256.
  public var batchSize: Int = 256
  /// The number of passes over the training rows, ≥ 1 (`max_iter`). Default 100.
  public var epochs: Int = 100
  /// The share of rows held out, at random, for validation, in `[0, 1)`
  /// (`validation_fraction`); 0 holds none. Ignored when `fit` receives an explicit
  /// validation set. Default 0.
  public var validationFraction: Double = 0
  /// The validation quantity recorded each epoch and used for early stopping. Default `.loss`.
  public var validationMetric: ValidationMetric = .loss
  /// When set, stop after this many epochs without improvement of the validation
  /// metric (or of the training loss when there is no validation set); `nil` trains
  /// for all ``epochs`` (`n_iter_no_change` with `early_stopping`). Default `nil`.
  public var earlyStoppingPatience: Int? = nil
  /// The least change that counts as an improvement for early stopping, ≥ 0 (`tol`). Default 0.
  public var earlyStoppingTolerance: Double = 0
  /// Whether the fitted model keeps the weights of the best epoch rather than the last,
  /// when there is a validation set. Default `true`.
  public var restoreBestWeights: Bool = true
  /// Whether to standardise every feature with the training rows' mean and standard
  /// deviation; the statistics are stored in the model and applied at prediction.
  /// Constant features are only centred. Default `true`.
  public var standardize: Bool = true
  /// The weight initialisation. Default `.auto`.
  public var initialization: Initialization = .auto
  /// For classifiers, a fixed number of classes `K`: labels must then lie in
  /// `0..<K`, and the network has `K` outputs (one for `K = 2`) even if some class is
  /// absent from the training rows. `nil` takes the classes from the training labels.
  /// Ignored by regressors. Default `nil`.
  public var classCount: Int? = nil
  /// The floating-point type of training and prediction. Default `.float32`.
  public var precision: Precision = .float32
  /// The seed of every random draw: initialisation, the validation split, shuffling
  /// and dropout (`random_state`). Default 0.
  public var seed: UInt64 = 0

  /// Creates hyperparameters with the documented defaults; set properties afterwards,
  /// or use ``init(hiddenLayers:activation:optimizer:learningRate:batchSize:epochs:seed:)``.
  public init() {}

  /// Creates hyperparameters with the most-used settings; the rest keep their defaults.
  ///
  /// - Parameters:
  ///   - hiddenLayers: The hidden-layer widths.
  ///   - activation: The hidden-layer activation.
  ///   - optimizer: The optimiser.
  ///   - learningRate: The base learning rate.
  ///   - batchSize: The rows per mini-batch.
  ///   - epochs: The passes over the data.
  ///   - seed: The random seed.
  public init(
    hiddenLayers: [Int] = [64, 64], activation: Activation = .relu, optimizer: Optimizer = .adam,
    learningRate: Double = 0.001, batchSize: Int = 256, epochs: Int = 100, seed: UInt64 = 0
  ) {
    self.hiddenLayers = hiddenLayers
    self.activation = activation
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.batchSize = batchSize
    self.epochs = epochs
    self.seed = seed
  }
}
