// The umbrella module: `import Hone` brings in every library layer.
@_exported import HoneCore
@_exported import HoneDatasets
@_exported import HoneLinear
@_exported import HoneLinearAlgebra
@_exported import HoneNeural
@_exported import HoneOps
@_exported import HonePipeline
@_exported import HoneTrees
@_exported import HoneTuning
