// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Hone",
  products: [
    // MARK: - Public products
    .library(name: "Hone", targets: ["Hone"]),
    .library(name: "HoneCore", targets: ["HoneCore"]),
    .library(name: "HoneLinearAlgebra", targets: ["HoneLinearAlgebra"]),
    .library(name: "HoneLinear", targets: ["HoneLinear"]),
    .library(name: "HoneNeural", targets: ["HoneNeural"]),
    .library(name: "HoneTrees", targets: ["HoneTrees"]),
    .library(name: "HonePipeline", targets: ["HonePipeline"]),
    .library(name: "HoneTuning", targets: ["HoneTuning"]),
    .library(name: "HoneOps", targets: ["HoneOps"]),
    .executable(name: "hone", targets: ["hone"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // MARK: - C modules (system libraries)
    .systemLibrary(
      name: "CHoneBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .systemLibrary(
      name: "CHoneLAPACKE",
      pkgConfig: "lapacke",
      providers: [.apt(["liblapacke-dev"])]
    ),
    .systemLibrary(
      name: "CHoneSQLite",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]
    ),

    // MARK: - Library layers (imports point down)
    .target(
      name: "HoneLinearAlgebra",
      dependencies: ["CHoneBLAS", "CHoneLAPACKE"]
    ),
    .target(
      name: "HoneCore",
      dependencies: ["HoneLinearAlgebra"]
    ),
    .target(
      name: "HoneLinear",
      dependencies: ["HoneCore", "HoneLinearAlgebra"]
    ),
    .target(
      name: "HoneTrees",
      dependencies: ["HoneCore", "HoneLinearAlgebra"]
    ),
    .target(
      name: "HoneNeural",
      dependencies: ["HoneCore", "HoneLinearAlgebra"]
    ),
    .target(
      name: "HonePipeline",
      dependencies: ["HoneCore", "HoneLinearAlgebra"]
    ),
    .target(
      name: "HoneTuning",
      dependencies: ["HoneCore", "HoneLinearAlgebra"]
    ),
    .target(
      name: "HoneOps",
      dependencies: [
        "HoneCore", "HoneLinearAlgebra", "HoneLinear", "HoneNeural", "HoneTrees", "HonePipeline", "HoneTuning",
        "HoneDatasets", "CHoneSQLite", .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "HoneDatasets",
      dependencies: ["HoneCore"],
      path: "Datasets/Sources/HoneDatasets"
    ),
    .target(
      name: "Hone",
      dependencies: [
        "HoneLinearAlgebra", "HoneCore", "HoneLinear", "HoneNeural", "HoneTrees", "HonePipeline", "HoneTuning",
        "HoneDatasets", "HoneOps",
      ]
    ),

    // MARK: - Executable
    .executableTarget(
      name: "hone",
      dependencies: [
        "Hone",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Tests
    .testTarget(
      name: "HoneLinearAlgebraTests",
      dependencies: ["HoneLinearAlgebra"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HoneCoreTests",
      dependencies: ["HoneCore", "HoneDatasets"],
      exclude: ["SharedFixtures"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HoneLinearTests",
      dependencies: ["HoneLinear", "HoneCore"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HoneTreesTests",
      dependencies: ["HoneTrees", "HoneCore"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HoneNeuralTests",
      dependencies: ["HoneNeural", "HoneCore"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HonePipelineTests",
      dependencies: ["HonePipeline", "HoneCore", "HoneLinear", "HoneNeural", "HoneDatasets"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HoneTuningTests",
      dependencies: ["HoneTuning", "HoneCore"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "HoneOpsTests",
      dependencies: [
        "HoneOps", "HoneCore", "HoneTuning", "HonePipeline", "HoneDatasets", "HoneTrees", "HoneNeural",
        "HoneLinearAlgebra",
      ]
    ),
    .testTarget(
      name: "HoneCLITests",
      dependencies: ["hone", "HoneCore"]
    ),
  ]
)
