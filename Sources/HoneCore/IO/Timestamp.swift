/// Parsing and formatting of ISO 8601 timestamps as nanoseconds since the Unix epoch.
///
/// Accepted forms: `YYYY-MM-DD`, followed optionally by `T` or a space and
/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fffffffff`, followed optionally by `Z` or a UTC
/// offset `±HH:MM` / `±HHMM`. Times without an offset are taken as UTC.
public enum Timestamp {
  /// Parses an ISO 8601 date or date-time into nanoseconds since 1970-01-01T00:00:00Z.
  ///
  /// - Returns: `nil` when the text is not a valid date or date-time in an accepted form.
  public static func parse(_ text: String) -> Int64? {
    var text = text
    return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
  }

  /// Parses the bytes of an ISO 8601 date or date-time; see ``parse(_:)-(String)``.
  static func parse(_ p: UnsafeRawBufferPointer) -> Int64? {
    var i = 0
    let n = p.count
    func digits(_ count: Int) -> Int? {
      guard i + count <= n else { return nil }
      var value = 0
      for k in 0..<count {
        let d = Int(p[i + k]) &- 48
        guard d >= 0, d <= 9 else { return nil }
        value = value * 10 + d
      }
      i += count
      return value
    }
    func expect(_ byte: UInt8) -> Bool {
      guard i < n, p[i] == byte else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
    var seconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
    var nanos: Int64 = 0
    if i < n, p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: " ") {
      i += 1
      guard let hour = digits(2), expect(58), let minute = digits(2), hour < 24, minute < 60 else { return nil }
      seconds += Int64(hour * 3600 + minute * 60)
      if expect(58) {
        guard let second = digits(2), second < 61 else { return nil }
        seconds += Int64(second)
        if expect(46) {
          var scale: Int64 = 100_000_000
          var any = false
          while i < n, p[i] >= 48, p[i] <= 57 {
            nanos += Int64(p[i] - 48) * scale
            scale /= 10
            i += 1
            any = true
          }
          guard any else { return nil }
        }
      }
      if i < n {
        if p[i] == UInt8(ascii: "Z") {
          i += 1
        } else if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
          let sign: Int64 = p[i] == UInt8(ascii: "+") ? 1 : -1
          i += 1
          guard let oh = digits(2) else { return nil }
          _ = expect(58)
          guard let om = digits(2), oh < 24, om < 60 else { return nil }
          seconds -= sign * Int64(oh * 3600 + om * 60)
        }
      }
    }
    guard i == n else { return nil }
    let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    guard !overflow else { return nil }
    let (result, overflow2) = total.addingReportingOverflow(nanos)
    return overflow2 || result == Int64.min ? nil : result
  }

  /// Formats nanoseconds since the epoch as ISO 8601 in UTC: `YYYY-MM-DD` at midnight,
  /// otherwise `YYYY-MM-DDTHH:MM:SS` with a fraction when there is one, and a `Z`.
  public static func iso8601(nanoseconds: Int64) -> String {
    let (secondsFloor, nanos) = floorDivide(nanoseconds, 1_000_000_000)
    let (days, secondOfDay) = floorDivide(secondsFloor, 86_400)
    let (year, month, day) = civilFromDays(Int(days))
    let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    if secondOfDay == 0 && nanos == 0 { return date }
    let s = Int(secondOfDay)
    var text = date + "T" + pad(s / 3600, 2) + ":" + pad(s / 60 % 60, 2) + ":" + pad(s % 60, 2)
    if nanos != 0 {
      var fraction = pad(Int(nanos), 9)
      while fraction.hasSuffix("0") { fraction.removeLast() }
      text += "." + fraction
    }
    return text + "Z"
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(abs(value))
    let body = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return value < 0 ? "-" + body : body
  }

  private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
    let q = a / b
    let r = a % b
    return r < 0 ? (q - 1, r + b) : (q, r)
  }

  private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

  private static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date, counting in 400-year eras of
  /// 146,097 days with years starting in March so that the leap day comes last.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The inverse of ``daysFromCivil(year:month:day:)``.
  static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
