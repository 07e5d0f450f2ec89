/// The most recent slice of rows kept out of tuning and scored once at the end.
///
/// Rows are in file order (time order for time series); the holdout is always their end,
/// so it is the period after everything the models were tuned on.
///
/// ```yaml
/// holdout: {fraction: 0.2}     # or {rows: 500}, {after: 2019-01-01}, none
/// ```
public enum HoldoutConfiguration: Codable, Sendable, Equatable {
  /// No holdout: the winner is refit on all rows and not scored out of sample.
  case none
  /// The last `fraction` of rows, in `(0, 1)`, rounded up to whole rows.
  case fraction(Double)
  /// The last `rows` rows.
  case rows(Int)
  /// Every row whose timestamp is at or after this instant (nanoseconds since the Unix
  /// epoch, UTC); needs `data.timestamp`. Written as an ISO 8601 date or date-time.
  case after(Int64)

  /// The last 20 % of rows.
  public static let `default` = HoldoutConfiguration.fraction(0.2)

  /// The number of holdout rows among `rowCount` for ``fraction(_:)`` and ``rows(_:)``:
  /// `ceil(fraction × rowCount)` (at least one row for any positive fraction), or `rows`
  /// capped at `rowCount`; 0 for ``none``; `nil` for ``after(_:)``, which depends on the
  /// timestamps.
  ///
  /// - Parameter rowCount: The number of rows available.
  /// - Returns: The holdout size, or `nil` when it depends on timestamps.
  public func rowCount(outOf rowCount: Int) -> Int? {
    switch self {
    case .none: return 0
    case .fraction(let f):
      let exact = f * Double(rowCount)
      // Products within 1e-9 of an integer count as that integer (0.2 × 1000 = 200, not 201).
      let rounded = exact.rounded()
      let count = abs(exact - rounded) <= 1e-9 * Swift.max(1, exact) ? rounded : exact.rounded(.up)
      return Swift.min(rowCount, Int(count))
    case .rows(let n): return Swift.min(rowCount, n)
    case .after: return nil
    }
  }
}
