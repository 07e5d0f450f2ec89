import Foundation
import HoneCore

/// A fresh folder under the system's temporary directory, removed by the caller.
func makeTemporaryFolder(_ prefix: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// `count` bytes from a seeded SplitMix64 stream, so each test's content is fixed.
func seededBytes(_ count: Int, seed: UInt64) -> Data {
  var generator = SplitMix64(seed: seed)
  var bytes = [UInt8](repeating: 0, count: count)
  for i in 0..<count { bytes[i] = UInt8(truncatingIfNeeded: generator.next()) }
  return Data(bytes)
}

/// Runs a program and returns its standard output, for independent references such as
/// `sha256sum` and `git rev-parse`.
func runTool(_ path: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}
