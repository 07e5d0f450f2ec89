// swift-tools-version: 6.0
// Hone's benchmark suite: a separate package so `swift build` and `swift test` at the
// repository root never pay for it. Run from the repository root:
//   swift run -c release --package-path Benchmarks hone-bench --help
import PackageDescription

let package = Package(
  name: "HoneBenchmarks",
  dependencies: [
    .package(name: "Hone", path: "../"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Executable
    .executableTarget(
      name: "hone-bench",
      dependencies: [
        "CBenchBLAS",
        .product(name: "Hone", package: "Hone"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/HoneBenchmarks"
    ),

    // MARK: - C modules
    // The direct C calls that the wrapper overhead is measured against. The benchmark
    // has its own module over the same headers because Hone's C modules are internal.
    .systemLibrary(name: "CBenchBLAS", pkgConfig: "openblas"),
  ]
)
