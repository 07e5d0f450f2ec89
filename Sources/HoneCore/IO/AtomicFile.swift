import Foundation

/// Writes files so that a crash or a full disk never leaves a partial file behind.
///
/// The bytes go to a temporary file in the destination's directory, are flushed to disk
/// (`fsync`), and the temporary file is renamed over the destination — an atomic step on
/// POSIX file systems. Readers see either the old file or the complete new one.
public enum AtomicFile {
  /// Writes `bytes` to `path` atomically.
  ///
  /// - Throws: ``FileError`` naming the path and the system error.
  public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
    try write(to: path) { handle in try handle.write(bytes) }
  }

  /// Writes a file atomically by streaming into a ``FileWriter``.
  ///
  /// - Parameters:
  ///   - path: The destination.
  ///   - body: Writes the content; if it throws, the temporary file is removed and the
  ///     destination is left as it was.
  /// - Throws: ``FileError``, or what `body` throws.
  public static func write(to path: String, _ body: (inout FileWriter) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw FileError(path: path, message: "the directory `\(directory)` does not exist; create it first")
    }
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileError(path: path, errno: errno, action: "create a temporary file for") }
    var writer = FileWriter(fd: fd, path: path)
    do {
      try body(&writer)
      try writer.flush()
      guard fsync(fd) == 0 else { throw FileError(path: path, errno: errno, action: "flush") }
      close(fd)
      guard rename(temporary, path) == 0 else { throw FileError(path: path, errno: errno, action: "rename onto") }
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
    // Make the rename itself durable.
    let directoryFD = open(directory, O_RDONLY | O_CLOEXEC)
    if directoryFD >= 0 {
      fsync(directoryFD)
      close(directoryFD)
    }
  }
}

/// A buffered writer over a file descriptor, used inside ``AtomicFile/write(to:_:)``.
public struct FileWriter: ~Copyable {
  private let fd: Int32
  private let path: String
  private var buffer: [UInt8] = []
  private static let capacity = 1 << 20

  init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
    buffer.reserveCapacity(FileWriter.capacity)
  }

  /// Appends bytes.
  ///
  /// - Throws: ``FileError`` when the disk write fails.
  public mutating func write(_ bytes: some Collection<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= FileWriter.capacity { try flush() }
  }

  /// Appends the UTF-8 bytes of `text`.
  ///
  /// - Throws: ``FileError`` when the disk write fails.
  public mutating func write(_ text: String) throws {
    var text = text
    try text.withUTF8 { try write($0) }
  }

  /// Writes the buffered bytes to the file.
  ///
  /// - Throws: ``FileError`` when the disk write fails (for example, the disk is full).
  public mutating func flush() throws {
    var offset = 0
    let fd = fd
    let path = path
    try buffer.withUnsafeBytes { raw in
      while offset < raw.count {
        let written = Foundation.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw FileError(path: path, errno: errno, action: "write")
        }
        offset += written
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// An error reading or writing a file: what failed, on which path, and why.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file's path.
  public let path: String
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  init(path: String, errno code: Int32, action: String) {
    self.init(path: path, message: "cannot \(action) the file: \(String(cString: strerror(code)))")
  }

  /// `path: message`.
  public var description: String { "\(path): \(message)" }
}

/// Reads a whole file into memory.
///
/// - Throws: ``FileError`` when the file cannot be opened or read.
package func readFileBytes(_ path: String) throws -> [UInt8] {
  var reader = try FileByteReader(path: path)
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
    if n == 0 { break }
    bytes.append(contentsOf: chunk[0..<n])
  }
  return bytes
}

/// Reads a file sequentially in chunks (`read(2)`), closing it when done.
package struct FileByteReader: ~Copyable {
  private let fd: Int32
  /// The path being read.
  package let path: String

  /// Opens `path` for reading.
  ///
  /// - Throws: ``FileError`` when the file does not exist, is a directory or cannot be read.
  package init(path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw FileError(
        path: path,
        message: "no such file; check the path (relative paths start at \(FileManager.default.currentDirectoryPath))")
    }
    guard !isDirectory.boolValue else { throw FileError(path: path, message: "is a directory, not a file") }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, errno: errno, action: "open") }
    self.fd = fd
    self.path = path
  }

  /// The file's size in bytes, or `nil` when the system cannot tell.
  package var size: Int? {
    var info = stat()
    return fstat(fd, &info) == 0 ? Int(info.st_size) : nil
  }

  /// Reads up to `buffer.count` bytes; returns 0 at the end of the file.
  ///
  /// - Throws: ``FileError`` on a read error.
  package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
      let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
      if n >= 0 { return n }
      if errno != EINTR { throw FileError(path: path, errno: errno, action: "read") }
    }
  }

  deinit { close(fd) }
}
