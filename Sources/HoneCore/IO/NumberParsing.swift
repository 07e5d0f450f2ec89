import Foundation

/// Fast, exact parsing of decimal numbers from bytes, for the CSV and config readers.
///
/// The common case — at most 19 significant digits whose value fits in 53 bits, with a
/// decimal exponent of at most 22 — is computed as one exact integer times or divided
/// by one exact power of ten, which IEEE 754 rounds correctly (Clinger 1990). Everything
/// else (long mantissas, large exponents, `inf`, `nan`) falls back to the C library's
/// correctly rounded `strtod`. Either way the result is the correctly rounded `Double`.
enum NumberParsing {
  /// 10^k for k in 0...22, every one exactly representable. A switch rather than a
  /// static array: reading a lazily initialised static costs a `swift_once` call per field.
  @inline(__always)
  private static func exactPowerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
  }

  /// Parses a whole byte range as a `Double`, or returns `nil` when it is not a number.
  /// Leading and trailing ASCII spaces are ignored.
  @inline(__always)
  static func parseDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
    let (start, end) = trimmingSpaces(p, start, end)
    guard start < end else { return nil }
    if let (value, stop) = scanDouble(p, start, end), stop == end { return value }
    return slowParseDouble(p, start, end)
  }

  /// Whether a number starting at `start` is negative, and where its digits begin
  /// (after an optional `-` or `+`). `start` must be in bounds.
  @inline(__always)
  private static func sign(_ p: UnsafePointer<UInt8>, _ start: Int) -> (negative: Bool, digits: Int) {
    switch p[start] {
    case 45: (true, start + 1)
    case 43: (false, start + 1)
    default: (false, start)
    }
  }

  /// The range without leading and trailing ASCII spaces.
  @inline(__always)
  private static func trimmingSpaces(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
    var (start, end) = (start, end)
    while start < end && p[start] == 32 { start += 1 }
    while end > start && p[end - 1] == 32 { end -= 1 }
    return (start, end)
  }

  /// Reads the longest decimal number `[sign] digits [. digits] [e [sign] digits]` that
  /// starts at `start`, stopping at the first byte that cannot continue it (or at
  /// `limit`), when its value is exact on the fast path.
  ///
  /// - Returns: The value and the index of the first byte after the number, or `nil`
  ///   when there is no number at `start` or it needs the slow path (more than 19
  ///   digits, a mantissa beyond 2⁵³, a decimal exponent beyond ±22).
  @inline(__always)
  static func scanDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) -> (Double, Int)? {
    guard start < limit else { return nil }
    var (negative, i) = sign(p, start)
    // Accumulate every digit; more than 19 digits may overflow, so those take the slow path.
    var mantissa: UInt64 = 0
    let integerStart = i
    while i < limit {
      let d = p[i] &- 48
      guard d < 10 else { break }
      mantissa = mantissa &* 10 &+ UInt64(d)
      i += 1
    }
    var digitCount = i - integerStart
    var exponent = 0
    if i < limit && p[i] == 46 {
      i += 1
      let fractionStart = i
      while i < limit {
        let d = p[i] &- 48
        guard d < 10 else { break }
        mantissa = mantissa &* 10 &+ UInt64(d)
        i += 1
      }
      exponent = fractionStart - i
      digitCount += i - fractionStart
    }
    guard digitCount > 0, digitCount <= 19 else { return nil }
    if i < limit && (p[i] == 101 || p[i] == 69) {
      var j = i + 1
      var exponentNegative = false
      if j < limit && (p[j] == 45 || p[j] == 43) {
        exponentNegative = p[j] == 45
        j += 1
      }
      var value = 0
      let digitsStart = j
      while j < limit {
        let d = p[j] &- 48
        guard d < 10 else { break }
        if value < 100_000 { value = value * 10 + Int(d) }
        j += 1
      }
      // An `e` without digits is not part of the number.
      if j > digitsStart {
        exponent += exponentNegative ? -value : value
        i = j
      }
    }
    guard mantissa <= (1 << 53), exponent >= -22, exponent <= 22 else { return nil }
    let m = Double(mantissa)
    let value = exponent >= 0 ? m * exactPowerOfTen(exponent) : m / exactPowerOfTen(-exponent)
    return (negative ? -value : value, i)
  }

  /// Reads the longest integer `[sign] digits` starting at `start` that fits an `Int64`.
  ///
  /// - Returns: The value and the index after it, or `nil` without digits or on overflow.
  @inline(__always)
  static func scanInteger(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) -> (Int64, Int)? {
    guard start < limit else { return nil }
    var (negative, i) = sign(p, start)
    let digitsStart = i
    var magnitude: UInt64 = 0
    while i < limit {
      let d = p[i] &- 48
      guard d < 10 else { break }
      let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
      guard !o1, !o2 else { return nil }
      magnitude = sum
      i += 1
    }
    guard i > digitsStart else { return nil }
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return (magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude), i)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return (Int64(magnitude), i)
  }

  /// `strtod` on a NUL-terminated copy, accepting only a fully consumed decimal number,
  /// `inf`, `infinity` or `nan` (hexadecimal floats are rejected).
  private static func slowParseDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
    let length = end - start
    guard length > 0, length < 4096 else { return nil }
    // Reject hexadecimal floats and any whitespace or control byte (strtod would skip some).
    for k in start..<end where p[k] == 120 || p[k] == 88 || p[k] <= 32 { return nil }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
      guard let base = buffer.baseAddress else { return nil }
      for k in 0..<length { base[k] = CChar(bitPattern: p[start + k]) }
      base[length] = 0
      var endPointer: UnsafeMutablePointer<CChar>?
      let value = strtod(base, &endPointer)
      guard let endPointer, endPointer == base + length else { return nil }
      return value
    }
  }

  /// Parses a whole byte range as an `Int64`, or returns `nil` when it is not an integer
  /// or overflows. Leading and trailing ASCII spaces are ignored.
  @inline(__always)
  static func parseInteger(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
    let (start, end) = trimmingSpaces(p, start, end)
    guard let (value, stop) = scanInteger(p, start, end), stop == end else { return nil }
    return value
  }

  /// Parses a string as a `Double` with the same rules as the byte parser.
  static func parseDouble(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return nil }
      return parseDouble(base, 0, buffer.count)
    }
  }

  /// Parses a string as an `Int64` with the same rules as the byte parser.
  static func parseInteger(_ text: String) -> Int64? {
    var text = text
    return text.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return nil }
      return parseInteger(base, 0, buffer.count)
    }
  }
}
