import ArgumentParser
import Foundation
import Hone

/// `hone info`: versions, BLAS configuration and CPU features.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show versions, the BLAS configuration and thread count, and CPU features.")

  @Flag(help: "Print JSON instead of text.") var json = false

  struct Report: Codable {
    var hone: String
    var modelFileFormatVersion: Int
    var operatingSystem: String
    var cpu: String
    var cores: Int
    var cpuFeatures: [String]
    var blas: BLASReport
  }

  struct BLASReport: Codable {
    var library: String
    var configuration: String
    var kernel: String
    var threading: String
    var threads: Int
  }

  func run() throws {
    let (cpu, flags) = cpuInfo()
    let report = Report(
      hone: HoneVersion.current,
      modelFileFormatVersion: ModelFile.formatVersion,
      operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
      cpu: cpu,
      cores: BLASThreadPolicy.availableCores,
      cpuFeatures: flags,
      blas: BLASReport(
        library: "OpenBLAS + LAPACKE", configuration: BLASThreadPolicy.configuration,
        kernel: BLASThreadPolicy.coreName, threading: BLASThreadPolicy.parallelModel,
        threads: BLASThreadPolicy.threadCount))
    if json { return try printJSON(report) }
    print(
      """
      Hone \(report.hone) (model file format \(report.modelFileFormatVersion))
      OS:        \(report.operatingSystem)
      CPU:       \(report.cpu), \(report.cores) cores
      Features:  \(report.cpuFeatures.isEmpty ? "unknown" : report.cpuFeatures.joined(separator: " "))
      BLAS:      \(report.blas.library), kernel \(report.blas.kernel), \(report.blas.threading), \(report.blas.threads) threads
                 \(report.blas.configuration)
      """)
  }

  /// The CPU model and the SIMD features that matter for numerical kernels, from
  /// `/proc/cpuinfo` (Linux); empty when unavailable.
  private func cpuInfo() -> (String, [String]) {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return ("unknown", []) }
    var model = "unknown"
    var flags: Set<Substring> = []
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let key = parts[0].trimmingCharacters(in: .whitespaces)
      if key == "model name" && model == "unknown" { model = parts[1].trimmingCharacters(in: .whitespaces) }
      if key == "flags" && flags.isEmpty { flags = Set(parts[1].split(separator: " ")) }
    }
    let interesting = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni"]
    return (model, interesting.filter { flags.contains(Substring($0)) })
  }
}
