/// A calendar feature read from a timestamp, in UTC.
///
/// Values follow pandas' `Series.dt` accessors, so models trained on either agree:
/// ``dayOfWeek`` is 0 for Monday through 6 for Sunday, months and days start at 1, and
/// ``isoWeek`` is the ISO 8601 week number (`dt.isocalendar().week`). Every field is
/// defined at every row: calendar features have no warm-up and never look ahead.
public enum CalendarField: String, Codable, Sendable, CaseIterable {
  /// 0 = Monday … 6 = Sunday (pandas `dt.dayofweek`).
  case dayOfWeek = "day_of_week"
  /// 1 … 31.
  case dayOfMonth = "day_of_month"
  /// 1 … 366.
  case dayOfYear = "day_of_year"
  /// The ISO 8601 week number, 1 … 53.
  case isoWeek = "iso_week"
  /// 1 … 12.
  case month
  /// 1 … 4.
  case quarter
  /// The calendar year.
  case year
  /// 0 … 23.
  case hour
  /// 0 … 59.
  case minute

  /// The column name ``FeatureSet`` gives this field: its raw value (`day_of_week`, …).
  public var columnName: String { rawValue }

  /// The field's value for each timestamp.
  ///
  /// - Parameter timestamps: Nanoseconds since the Unix epoch (UTC); `Int64.min` (missing)
  ///   gives NaN.
  /// - Returns: One value per timestamp.
  /// - Complexity: O(n).
  public func values(for timestamps: [Int64]) -> [Double] {
    timestamps.map { $0 == Int64.min ? .nan : Double(value(at: $0)) }
  }

  private static let nanosecondsPerDay: Int64 = 86_400 * 1_000_000_000

  private func value(at nanoseconds: Int64) -> Int {
    // Floor division, so instants before 1970 fall on the right day.
    let (quotient, remainder) = nanoseconds.quotientAndRemainder(dividingBy: Self.nanosecondsPerDay)
    let days = remainder < 0 ? quotient - 1 : quotient
    let nanosecondOfDay = remainder < 0 ? remainder + Self.nanosecondsPerDay : remainder
    let date = CivilDate(daysSinceEpoch: days)
    switch self {
    case .dayOfWeek: return date.weekday
    case .dayOfMonth: return date.day
    case .dayOfYear: return date.dayOfYear
    case .isoWeek: return date.isoWeek
    case .month: return date.month
    case .quarter: return (date.month - 1) / 3 + 1
    case .year: return Int(date.year)
    case .hour: return Int(nanosecondOfDay / 3_600_000_000_000)
    case .minute: return Int(nanosecondOfDay / 60_000_000_000 % 60)
    }
  }
}

/// A proleptic Gregorian date computed from a day count, by Howard Hinnant's
/// `civil_from_days` (chrono-Compatible Low-Level Date Algorithms), which is exact for
/// every day an `Int64` of nanoseconds can reach and needs no calendar library.
private struct CivilDate {
  let year: Int64
  let month: Int
  let day: Int
  let daysSinceEpoch: Int64

  init(daysSinceEpoch z: Int64) {
    daysSinceEpoch = z
    let shifted = z + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYearFromMarch = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYearFromMarch + 2) / 153
    day = Int(dayOfYearFromMarch - (153 * monthFromMarch + 2) / 5 + 1)
    month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// Days since 1970-01-01 of January 1 of `year` (Hinnant's `days_from_civil`).
  static func daysSinceEpoch(ofJanuaryFirst year: Int64) -> Int64 {
    let y = year - 1
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYearFromMarch: Int64 = 306  // January 1 is day 306 counting from March 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYearFromMarch
    return era * 146_097 + dayOfEra - 719_468
  }

  /// 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday.
  var weekday: Int { Int(((daysSinceEpoch % 7) + 7 + 3) % 7) }

  var dayOfYear: Int { Int(daysSinceEpoch - Self.daysSinceEpoch(ofJanuaryFirst: year)) + 1 }

  /// ISO 8601: week 1 is the week with the year's first Thursday; weeks start on Monday.
  var isoWeek: Int {
    let thursday = daysSinceEpoch - Int64(weekday) + 3
    let thursdayYear = CivilDate(daysSinceEpoch: thursday).year
    return Int((thursday - Self.daysSinceEpoch(ofJanuaryFirst: thursdayYear)) / 7) + 1
  }
}
