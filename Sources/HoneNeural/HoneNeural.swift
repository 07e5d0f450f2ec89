/// Small neural networks (multilayer perceptrons) on BLAS: see the issue for the design.
enum HoneNeuralNamespace {}
