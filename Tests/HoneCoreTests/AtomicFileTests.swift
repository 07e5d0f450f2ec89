import Foundation
import HoneCore
import Testing

/// `AtomicFile` and the file reader behind the CSV and NPY readers.
@Suite struct AtomicFileTests {
  private func entries(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  @Test func writesBytesAndLeavesNoTemporaryFile() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("out.bin").path
      let bytes = (0..<3000).map { UInt8($0 % 251) }
      try AtomicFile.write(bytes, to: path)
      #expect(try readFileBytes(path) == bytes)
      #expect(try entries(directory) == ["out.bin"])
    }
  }

  @Test func replacesAnExistingFile() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("out.txt").path
      try AtomicFile.write(Array(String(repeating: "long old content ", count: 100).utf8), to: path)
      try AtomicFile.write(Array("new".utf8), to: path)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
      #expect(try entries(directory) == ["out.txt"])
    }
  }

  @Test func streamingWriterFlushesLargeContent() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("big.txt").path
      // 3 MiB in 1 KiB pieces: the 1 MiB buffer flushes several times.
      let piece = String(repeating: "abcdefgh", count: 128)
      try AtomicFile.write(to: path) { file in
        for _ in 0..<3072 { try file.write(piece) }
      }
      let bytes = try readFileBytes(path)
      #expect(bytes.count == 3 << 20)
      #expect(bytes.prefix(8) == ArraySlice("abcdefgh".utf8) && bytes.suffix(8) == ArraySlice("abcdefgh".utf8))
    }
  }

  @Test func failingBodyLeavesTheOldFileAndNoTemporary() throws {
    struct Interrupted: Error {}
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("keep.txt").path
      try AtomicFile.write(Array("original".utf8), to: path)
      #expect(throws: Interrupted.self) {
        try AtomicFile.write(to: path) { file in
          try file.write(Array(repeating: UInt8(ascii: "x"), count: 2 << 20))
          throw Interrupted()
        }
      }
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "original")
      #expect(try entries(directory) == ["keep.txt"])
    }
  }

  @Test func missingDirectoryThrowsAndCreatesNothing() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("no/such/dir/file.txt").path
      let error = #expect(throws: FileError.self) { try AtomicFile.write(Array("x".utf8), to: path) }
      #expect(error?.path == path)
      #expect(error?.message.contains("does not exist") == true)
      let remaining = try entries(directory)
      #expect(remaining.isEmpty)
    }
  }

  @Test func readingMissingFilesAndDirectoriesThrows() throws {
    try withTemporaryDirectory { directory in
      let missing = directory.appendingPathComponent("missing").path
      let error = #expect(throws: FileError.self) { try readFileBytes(missing) }
      #expect(error?.message.contains("no such file") == true)
      let directoryError = #expect(throws: FileError.self) { try readFileBytes(directory.path) }
      #expect(directoryError?.message.contains("is a directory") == true)
      let emptyPath = directory.appendingPathComponent("empty").path
      try AtomicFile.write([UInt8](), to: emptyPath)
      #expect(try readFileBytes(emptyPath).isEmpty)
    }
  }
}
