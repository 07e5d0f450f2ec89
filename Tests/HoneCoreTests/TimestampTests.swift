import Testing

@testable import HoneCore

/// ISO 8601 parsing and formatting. Timestamps are integers (nanoseconds), so every
/// comparison is exact.
@Suite struct TimestampTests {
  private static let second: Int64 = 1_000_000_000
  private static let day: Int64 = 86_400

  /// Days from 1970-01-01 counted the slow way — whole years, then whole months — as a
  /// reference independent of the era arithmetic in `Timestamp`.
  private static func naiveDays(year: Int, month: Int, day: Int) -> Int {
    func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
    let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    var days = 0
    if year >= 1970 {
      for y in 1970..<year { days += isLeap(y) ? 366 : 365 }
    } else {
      for y in year..<1970 { days -= isLeap(y) ? 366 : 365 }
    }
    for m in 1..<month { days += monthLengths[m - 1] + (m == 2 && isLeap(year) ? 1 : 0) }
    return days + day - 1
  }

  @Test func knownDates() {
    #expect(Timestamp.parse("1970-01-01") == 0)
    // 2000-01-01 is 30 years of 365 days plus 7 leap days (1972…1996) = 10957 days.
    #expect(Timestamp.parse("2000-01-01") == 10_957 * Self.day * Self.second)
    // 2000-03-01: 31 days of January and 29 of February (2000 is a leap year) later.
    #expect(Timestamp.parse("2000-03-01") == (10_957 + 31 + 29) * Self.day * Self.second)
    #expect(Timestamp.parse("2000-02-29") == (10_957 + 31 + 28) * Self.day * Self.second)
    #expect(Timestamp.parse("2024-02-29") == 19_782 * Self.day * Self.second)
    // 1900-01-01 is 70 years of 365 days plus 17 leap days (1904…1968) before the epoch.
    #expect(Timestamp.parse("1900-01-01") == -(70 * 365 + 17) * Self.day * Self.second)
    #expect(Timestamp.parse("1969-12-31T23:59:59Z") == -Self.second)
    #expect(Timestamp.parse("2038-01-19T03:14:07Z") == Int64(Int32.max) * Self.second)
  }

  @Test(arguments: [
    "1900-02-29", "2100-02-29", "2023-02-29", "2000-02-30", "2000-04-31", "2000-13-01", "2000-00-10",
    "2000-01-00", "2000-01-32",
  ])
  func invalidCalendarDates(text: String) {
    #expect(Timestamp.parse(text) == nil)
  }

  @Test(arguments: [
    "", "2000", "2000-01", "20000101", "2000-1-01", "2000-01-1", "2000/01/01", "2000-01-01T", "2000-01-01T12",
    "2000-01-01T24:00", "2000-01-01T12:60", "2000-01-01T12:00:61", "2000-01-01T12:00:00.", "2000-01-01T1:00",
    "2000-01-01Z", "2000-01-01T12:00+5:30", "2000-01-01T12:00+05", "2000-01-01T12:00+24:00", "2000-01-01T12:00:00Zx",
    " 2000-01-01", "2000-01-01 ", "2000-01-01t12:00", "x2000-01-01",
  ])
  func malformedTimestamps(text: String) {
    #expect(Timestamp.parse(text) == nil)
  }

  @Test func timesOffsetsAndFractions() {
    let noon2000 = (10_957 * Self.day + 12 * 3600) * Self.second
    #expect(Timestamp.parse("2000-01-01T12:00") == noon2000)
    #expect(Timestamp.parse("2000-01-01 12:00:00") == noon2000)
    #expect(Timestamp.parse("2000-01-01T12:00:00Z") == noon2000)
    #expect(Timestamp.parse("2000-01-01T17:30:00+05:30") == noon2000)
    #expect(Timestamp.parse("2000-01-01T17:30+0530") == noon2000)
    #expect(Timestamp.parse("2000-01-01T04:00:00-08:00") == noon2000)
    #expect(Timestamp.parse("2000-01-01T00:00-12:00") == noon2000)
    #expect(Timestamp.parse("1970-01-01T00:00:00.5Z") == Self.second / 2)
    #expect(Timestamp.parse("1970-01-01T00:00:00.123456789") == 123_456_789)
    #expect(Timestamp.parse("1970-01-01T00:00:00.000000001") == 1)
    // Digits beyond nanoseconds are dropped (truncated), not rounded.
    #expect(Timestamp.parse("1970-01-01T00:00:00.1234567899") == 123_456_789)
    #expect(Timestamp.parse("1969-12-31T23:59:59.9Z") == -Self.second / 10)
    // A leap second is accepted and lands on the next second.
    #expect(Timestamp.parse("1998-12-31T23:59:60Z") == Timestamp.parse("1999-01-01"))
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func randomDatesMatchNaiveCount(seed: UInt64) {
    var rng = Xoshiro256StarStar(seed: seed)
    for _ in 0..<500 {
      let year = 1000 + rng.nextInt(below: 9000)
      let month = 1 + rng.nextInt(below: 12)
      let day = 1 + rng.nextInt(below: 28)
      let text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
      let days = Self.naiveDays(year: year, month: month, day: day)
      #expect(Timestamp.daysFromCivil(year: year, month: month, day: day) == days, "\(text)")
      // Int64 nanoseconds reach only from 1677-09-21 to 2262-04-11.
      let expected = (1678...2261).contains(year) ? Int64(days) * Self.day * Self.second : nil
      #expect(Timestamp.parse(text) == expected, "\(text)")
      let civil = Timestamp.civilFromDays(days)
      #expect(civil.year == year && civil.month == month && civil.day == day, "\(text)")
    }
  }

  @Test func rangeOfInt64Nanoseconds() {
    #expect(Timestamp.parse("2262-04-11T23:47:16.854775807Z") == Int64.max)
    #expect(Timestamp.parse("2262-04-11T23:47:16.854775808Z") == nil)
    #expect(Timestamp.parse("2262-04-12") == nil)
    #expect(Timestamp.parse("1677-09-22") == -106_751 * Self.day * Self.second)
    #expect(Timestamp.parse("1677-09-21") == nil)
    #expect(Timestamp.parse("1000-01-01") == nil)
    #expect(Timestamp.iso8601(nanoseconds: Int64.max) == "2262-04-11T23:47:16.854775807Z")
  }

  @Test func iso8601Formatting() {
    #expect(Timestamp.iso8601(nanoseconds: 0) == "1970-01-01")
    #expect(Timestamp.iso8601(nanoseconds: 1) == "1970-01-01T00:00:00.000000001Z")
    #expect(Timestamp.iso8601(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
    #expect(Timestamp.iso8601(nanoseconds: Self.second / 2) == "1970-01-01T00:00:00.5Z")
    #expect(
      Timestamp.iso8601(nanoseconds: (10_957 * Self.day + 12 * 3600 + 61) * Self.second) == "2000-01-01T12:01:01Z")
    #expect(Timestamp.iso8601(nanoseconds: -(70 * 365 + 17) * Self.day * Self.second) == "1900-01-01")
  }

  @Test(arguments: [1, 2] as [UInt64])
  func iso8601RoundTrips(seed: UInt64) {
    var rng = Xoshiro256StarStar(seed: seed)
    // 1827 to 2112: half the range of Int64 nanoseconds, so that `high - low` fits.
    let low = -4_500_000_000 * Self.second
    let high = 4_500_000_000 * Self.second
    for k in 0..<2000 {
      var value = low + Int64(rng.nextInt(below: Int(high - low)))
      // Also whole seconds and whole days, which print without a fraction or a time.
      if k % 3 == 1 { value -= value % Self.second }
      if k % 3 == 2 {
        value -= ((value % (Self.day * Self.second)) + Self.day * Self.second) % (Self.day * Self.second)
      }
      let text = Timestamp.iso8601(nanoseconds: value)
      #expect(Timestamp.parse(text) == value, "\(text)")
    }
  }

  private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
