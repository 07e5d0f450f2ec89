import Testing

@testable import HoneCore

/// `NumberParsing` against Swift's `Double(String)` and `Int64(String)`, which glibc's
/// correctly rounded `strtod` backs on Linux. A correctly rounded parse has exactly one
/// right answer, so results are compared by bit pattern, with no tolerance.
@Suite struct NumberParsingTests {
  /// A random decimal: optional sign, `digitCount` digits with a decimal point somewhere
  /// (or none), and an optional exponent of either case and sign.
  private static func randomDecimal(
    _ rng: inout Xoshiro256StarStar, digitCount: Int, exponentRange: ClosedRange<Int>
  ) -> String {
    var text = ["", "-", "+"][rng.nextInt(below: 3)]
    var digits = (0..<digitCount).map { _ in Character(String(rng.nextInt(below: 10))) }
    if rng.nextInt(below: 4) > 0 { digits.insert(".", at: rng.nextInt(below: digitCount + 1)) }
    text += String(digits)
    if rng.nextInt(below: 2) == 0 {
      let width = exponentRange.upperBound - exponentRange.lowerBound + 1
      let exponent = exponentRange.lowerBound + rng.nextInt(below: width)
      text += (rng.nextInt(below: 2) == 0 ? "e" : "E") + (exponent >= 0 && rng.nextInt(below: 2) == 0 ? "+" : "")
      text += String(exponent)
    }
    return text
  }

  /// How many significant digits and how large an exponent the random decimals have.
  struct DecimalShape: Sendable, CustomTestStringConvertible {
    let digits: ClosedRange<Int>
    let exponents: ClosedRange<Int>
    var testDescription: String { "\(digits) digits, exponent \(exponents)" }
  }

  /// Short mantissas with small exponents take the exact fast path; 17–20 digits and
  /// exponents out to ±400 take the fallback, including overflow and underflow.
  @Test(
    arguments: [
      DecimalShape(digits: 1...16, exponents: -30...30), DecimalShape(digits: 1...8, exponents: -22...22),
      DecimalShape(digits: 17...20, exponents: -30...30), DecimalShape(digits: 17...20, exponents: -400...400),
      DecimalShape(digits: 1...25, exponents: -340...310),
    ], [1, 2, 3] as [UInt64])
  func randomDecimalsMatchSwift(shape: DecimalShape, seed: UInt64) throws {
    var rng = Xoshiro256StarStar(seed: seed)
    for _ in 0..<5000 {
      let digitCount = shape.digits.lowerBound + rng.nextInt(below: shape.digits.count)
      let text = Self.randomDecimal(&rng, digitCount: digitCount, exponentRange: shape.exponents)
      let expected = try #require(Double(text), "Swift rejects \(text)")
      let parsed = NumberParsing.parseDouble(text)
      #expect(parsed?.bitPattern == expected.bitPattern, "\(text)")
    }
  }

  /// Inputs known to trip parsers: round-half-even at 2⁵³, the subnormal boundary, the
  /// largest finite value, and `1e23` (not representable; wrong with a naive fast path).
  @Test(arguments: [
    "9007199254740993", "9007199254740995", "9007199254740992.5", "2.2250738585072011e-308",
    "2.2250738585072012e-308", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
    "1.7976931348623157e308", "1.7976931348623158e308", "1e23", "8.988465674311579e307", "0.1", "0.3",
    "123456789012345678901234567890", "0.000000000000000000000000000000123456789", "1e22", "9007199254740992e22",
    "123456789e-22", "1234567890123456789", "12345678901234567890", "00000000000000000000000000001.5",
    "3.14159265358979323846264338327950288", "1e-400", "1e400", "-1e400", "5e-324", "1e-323",
  ])
  func hardCasesMatchSwift(text: String) throws {
    let expected = try #require(Double(text))
    #expect(NumberParsing.parseDouble(text)?.bitPattern == expected.bitPattern)
  }

  @Test func edgeCases() throws {
    #expect(NumberParsing.parseDouble("1e400") == .infinity)
    #expect(NumberParsing.parseDouble("-1e400") == -.infinity)
    #expect(NumberParsing.parseDouble("-0")?.bitPattern == (-0.0).bitPattern)
    #expect(NumberParsing.parseDouble("-0.0e5")?.bitPattern == (-0.0).bitPattern)
    #expect(NumberParsing.parseDouble(".5") == 0.5)
    #expect(NumberParsing.parseDouble("5.") == 5)
    #expect(NumberParsing.parseDouble("+5") == 5)
    #expect(NumberParsing.parseDouble("1E3") == 1000)
    #expect(NumberParsing.parseDouble("1e+3") == 1000)
    #expect(try #require(NumberParsing.parseDouble("nan")).isNaN)
    #expect(NumberParsing.parseDouble("inf") == .infinity)
    #expect(NumberParsing.parseDouble("-infinity") == -.infinity)
    // Spaces around the number are trimmed.
    #expect(NumberParsing.parseDouble("  1.5 ") == 1.5)
    #expect(NumberParsing.parseDouble(" 1e400 ") == .infinity)
    for rejected in [
      "", " ", ".", "-", "+", "e5", "1e", "1e+", "1e-", "+-1", "--1", "1.2.3", "1e5.5", "1 5", "1_000", "1,5",
      "0x10", "0X1p3", "-0x1.8p1", "１", "1.5x", "abc", "nan(1)x",
    ] {
      #expect(NumberParsing.parseDouble(rejected) == nil, "\(rejected.debugDescription)")
    }
  }

  @Test
  func whitespaceOtherThanSpacesIsRejectedAtEitherEnd() {
    for text in ["\t5", "5\t", "\n5", "\t1e400", "\u{0B}7"] {
      #expect(NumberParsing.parseDouble(text) == nil, "\(text.debugDescription)")
    }
  }

  @Test func integersAtInt64Bounds() {
    #expect(NumberParsing.parseInteger("9223372036854775807") == Int64.max)
    #expect(NumberParsing.parseInteger("+9223372036854775807") == Int64.max)
    #expect(NumberParsing.parseInteger("-9223372036854775808") == Int64.min)
    #expect(NumberParsing.parseInteger("-9223372036854775807") == -Int64.max)
    #expect(NumberParsing.parseInteger("0000000000000000000000009223372036854775807") == Int64.max)
    for overflow in [
      "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
      "99999999999999999999", "-99999999999999999999999",
    ] {
      #expect(NumberParsing.parseInteger(overflow) == nil, "\(overflow)")
    }
  }

  @Test func integerEdgeCases() {
    #expect(NumberParsing.parseInteger("-0") == 0)
    #expect(NumberParsing.parseInteger(" 42 ") == 42)
    #expect(NumberParsing.parseInteger("007") == 7)
    for rejected in ["", " ", "-", "+", "1.0", "1e3", "1 2", "0x10", "--1", "+-1", "12a", "１"] {
      #expect(NumberParsing.parseInteger(rejected) == nil, "\(rejected.debugDescription)")
    }
  }

  @Test(arguments: [1, 2] as [UInt64])
  func randomIntegersMatchSwift(seed: UInt64) {
    var rng = Xoshiro256StarStar(seed: seed)
    for _ in 0..<5000 {
      let value = Int64(bitPattern: rng.next()) >> Int64(rng.nextInt(below: 64))
      #expect(NumberParsing.parseInteger(String(value)) == value)
      let text = String(value)
      #expect(NumberParsing.parseDouble(text) == Double(text))
    }
  }
}
