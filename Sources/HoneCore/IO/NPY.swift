import HoneLinearAlgebra

/// A NumPy array read from or written to a `.npy` file: its shape, layout and values.
///
/// Supported element types are little- and big-endian `float64` (`<f8`), `float32`
/// (`<f4`) and `int64` (`<i8`), in one or two dimensions, in C (row-major) or Fortran
/// (column-major) order.
public struct NPYArray: Sendable, Equatable {
  /// The element values, in the file's storage order.
  public enum Values: Sendable, Equatable {
    /// 64-bit floats.
    case float64([Double])
    /// 32-bit floats.
    case float32([Float])
    /// 64-bit signed integers.
    case int64([Int64])

    var count: Int {
      switch self {
      case .float64(let v): v.count
      case .float32(let v): v.count
      case .int64(let v): v.count
      }
    }

    var doubles: [Double] {
      switch self {
      case .float64(let v): v
      case .float32(let v): v.map(Double.init)
      case .int64(let v): v.map(Double.init)
      }
    }
  }

  /// The dimensions, as NumPy's `shape` (an empty shape is a scalar).
  public let shape: [Int]
  /// Whether the values are in Fortran (column-major) order rather than C (row-major).
  public let isFortranOrder: Bool
  /// The values in storage order.
  public let values: Values

  /// Creates an array, checking that the value count matches the shape.
  ///
  /// - Throws: ``NPYError`` when the counts disagree or a dimension is negative.
  public init(shape: [Int], values: Values, isFortranOrder: Bool = false) throws {
    guard let needed = elementCount(shape), needed == values.count else {
      let needs = elementCount(shape).map { "needs \($0) values" } ?? "is not a valid shape"
      throw NPYError(path: nil, message: "shape \(shape) \(needs), got \(values.count)")
    }
    self.shape = shape
    self.values = values
    self.isFortranOrder = isFortranOrder
  }

  /// An array holding a matrix, stored in Fortran order so no transposition is needed.
  public init(_ matrix: Matrix) {
    shape = [matrix.rows, matrix.columns]
    values = .float64(matrix.storage)
    isFortranOrder = true
  }

  /// The array as a ``Matrix``: a 2-D array as it is, a 1-D array as a column vector.
  /// Integer and `float32` values convert to `Double`.
  ///
  /// - Throws: ``NPYError`` for arrays of more than two dimensions.
  public func matrix() throws -> Matrix {
    let doubles = values.doubles
    switch shape.count {
    case 0: return Matrix.columnVector(doubles)
    case 1: return Matrix.columnVector(doubles)
    case 2:
      return isFortranOrder
        ? try Matrix(rows: shape[0], columns: shape[1], columnMajor: doubles)
        : try Matrix(rows: shape[0], columns: shape[1], rowMajor: doubles)
    default:
      throw NPYError(path: nil, message: "a \(shape.count)-dimensional array cannot become a matrix; reshape it to 2-D")
    }
  }
}

/// An error reading or writing a `.npy` file.
public struct NPYError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file's path, or `nil` for in-memory data.
  public let path: String?
  /// What went wrong and how to fix it.
  public let message: String

  /// Creates an error.
  public init(path: String?, message: String) {
    self.path = path
    self.message = message
  }

  /// `path: message`.
  public var description: String { (path.map { "\($0): " } ?? "") + message }
}

/// Reading and writing NumPy's `.npy` format (versions 1.0, 2.0 and 3.0).
///
/// ```swift
/// let x = try NPY.read(contentsOf: "features.npy").matrix()
/// try NPY.write(NPYArray(predictions), to: "predictions.npy")
/// ```
public enum NPY {
  private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

  /// Reads a `.npy` file.
  ///
  /// - Throws: ``NPYError`` for a missing or unreadable file, a file that is not `.npy`,
  ///   an unsupported element type, or a truncated file.
  public static func read(contentsOf path: String) throws -> NPYArray {
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch let error as FileError {
      throw NPYError(path: path, message: error.message)
    }
    do { return try decode(bytes) } catch let error as NPYError { throw NPYError(path: path, message: error.message) }
  }

  /// Writes an array atomically (temporary file, flush, rename), in format version 1.0
  /// when the header fits, else 2.0.
  ///
  /// - Throws: ``NPYError`` when the file cannot be written.
  public static func write(_ array: NPYArray, to path: String) throws {
    do { try AtomicFile.write(encode(array), to: path) } catch let error as FileError {
      throw NPYError(path: path, message: error.message)
    }
  }

  /// Decodes the bytes of a `.npy` file.
  ///
  /// - Throws: ``NPYError`` as ``read(contentsOf:)``.
  public static func decode(_ bytes: [UInt8]) throws -> NPYArray {
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw NPYError(path: nil, message: "not a .npy file: the magic string \\x93NUMPY is missing")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw NPYError(path: nil, message: "truncated .npy header") }
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
      headerStart = 12
    default:
      throw NPYError(path: nil, message: "unsupported .npy format version \(major).\(bytes[7]); Hone reads 1.0 to 3.0")
    }
    guard bytes.count >= headerStart + headerLength else {
      throw NPYError(path: nil, message: "truncated .npy header: \(headerLength) bytes announced")
    }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    let descr = try headerValue("descr", in: header)
    let fortran = try headerValue("fortran_order", in: header)
    let shapeText = try headerValue("shape", in: header)
    guard fortran == "True" || fortran == "False" else {
      throw NPYError(path: nil, message: "fortran_order must be True or False, found `\(fortran)`")
    }
    let shape = try parseShape(shapeText)
    // A damaged or hostile header can announce a shape whose size overflows Int.
    guard let count = elementCount(shape), count <= Int.max / 8 else {
      throw NPYError(path: nil, message: "the shape \(shapeText) in the .npy header is too large")
    }
    let descriptor = descr.trimmingQuotes()
    let dataStart = headerStart + headerLength
    guard descriptor.count == 3, let endianness = descriptor.first, "<>|=".contains(endianness) else {
      throw unsupported(descriptor)
    }
    let kind = String(descriptor.dropFirst())
    let width = kind == "f4" ? 4 : 8
    guard ["f8", "f4", "i8"].contains(kind) else { throw unsupported(descriptor) }
    guard bytes.count - dataStart >= count * width else {
      throw NPYError(
        path: nil,
        message: "truncated .npy data: shape \(shape) needs \(count * width) bytes, found \(bytes.count - dataStart)")
    }
    let bigEndian = endianness == ">"
    let values: NPYArray.Values = bytes.withUnsafeBytes { raw in
      func word<T: FixedWidthInteger>(_ type: T.Type, _ index: Int) -> T {
        let value = raw.loadUnaligned(fromByteOffset: dataStart + index * MemoryLayout<T>.size, as: T.self)
        return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
      }
      switch kind {
      case "f8": return .float64((0..<count).map { Double(bitPattern: word(UInt64.self, $0)) })
      case "f4": return .float32((0..<count).map { Float(bitPattern: word(UInt32.self, $0)) })
      default: return .int64((0..<count).map { Int64(bitPattern: word(UInt64.self, $0)) })
      }
    }
    return try NPYArray(shape: shape, values: values, isFortranOrder: fortran == "True")
  }

  /// Encodes an array as `.npy` bytes (little-endian).
  public static func encode(_ array: NPYArray) -> [UInt8] {
    let descr: String
    switch array.values {
    case .float64: descr = "<f8"
    case .float32: descr = "<f4"
    case .int64: descr = "<i8"
    }
    let shape =
      array.shape.count == 1 ? "(\(array.shape[0]),)" : "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
    var header =
      "{'descr': '\(descr)', 'fortran_order': \(array.isFortranOrder ? "True" : "False"), 'shape': \(shape), }"
    let fitsVersion1 = header.utf8.count + 11 < 65_536
    let prefixLength = fitsVersion1 ? 10 : 12
    let total = (prefixLength + header.utf8.count + 1 + 63) / 64 * 64
    header += String(repeating: " ", count: total - prefixLength - header.utf8.count - 1) + "\n"
    var out = magic + [fitsVersion1 ? 1 : 2, 0]
    let length = header.utf8.count
    out +=
      fitsVersion1
      ? [UInt8(length & 0xFF), UInt8(length >> 8)]
      : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
    out += Array(header.utf8)
    switch array.values {
    case .float64(let v): for x in v { out += withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init) }
    case .float32(let v): for x in v { out += withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init) }
    case .int64(let v): for x in v { out += withUnsafeBytes(of: x.littleEndian, Array.init) }
    }
    return out
  }

  private static func unsupported(_ descriptor: String) -> NPYError {
    NPYError(
      path: nil,
      message:
        "unsupported element type `\(descriptor)`; Hone reads float64 (<f8), float32 (<f4) and int64 (<i8): convert with array.astype('<f8')"
    )
  }

  /// The text of one value in the header dictionary, e.g. `'<f8'`, `False` or `(3, 4)`.
  private static func headerValue(_ key: String, in header: String) throws -> String {
    guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else {
      throw NPYError(path: nil, message: "the .npy header has no `\(key)` entry: \(header)")
    }
    var rest = header[keyRange.upperBound...].drop { $0 == " " }
    guard rest.first == ":" else { throw NPYError(path: nil, message: "malformed .npy header: \(header)") }
    rest = rest.dropFirst().drop { $0 == " " }
    if rest.first == "(" {
      guard let close = rest.firstIndex(of: ")") else {
        throw NPYError(path: nil, message: "malformed shape in .npy header: \(header)")
      }
      return String(rest[...close])
    }
    let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
    return String(rest[..<end]).trimmingCharacters(in: " ")
  }

  private static func parseShape(_ text: String) throws -> [Int] {
    let inner = text.dropFirst().dropLast()
    let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    return try parts.map { part in
      guard let value = Int(part.hasSuffix("L") ? String(part.dropLast()) : part), value >= 0 else {
        throw NPYError(path: nil, message: "malformed shape `\(text)` in .npy header")
      }
      return value
    }
  }
}

/// The number of elements of an array of `shape`, or `nil` when a dimension is negative or
/// the product overflows `Int`.
private func elementCount(_ shape: [Int]) -> Int? {
  var count = 1
  for dimension in shape {
    guard dimension >= 0 else { return nil }
    let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
    guard !overflow else { return nil }
    count = product
  }
  return count
}

extension StringProtocol {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
  }

  fileprivate func trimmingQuotes() -> String {
    String(drop { $0 == "'" || $0 == "\"" }.reversed().drop { $0 == "'" || $0 == "\"" }.reversed())
  }
}
