import Synchronization

/// The internal positions of complete trials' parameters, kept between asks so that the
/// joint model reads each finished trial's dictionaries once rather than at every ask.
///
/// An entry is used only when the trial handed in has the same parameters and
/// distributions as the one it was made from. Dictionary equality returns at once when
/// both share their storage — as the copies handed out by a store for a finished trial
/// do — and compares contents otherwise, so a sampler shared between studies, or a
/// history decoded afresh, still gets correct rows, only without the saving.
final class TPEHistoryCache: Sendable {
  private struct Entry {
    let parameters: [String: ParameterValue]
    let distributions: [String: Distribution]
    let row: [Double]
  }

  private struct State {
    var names: [String] = []
    var distributions: [Distribution] = []
    /// By trial number.
    var entries: [Entry?] = []
  }

  /// Trial numbers past this are not cached, so a stray huge number cannot allocate.
  private static let maximumNumber = 1 << 22

  private let state = Mutex(State())

  /// The internal positions of `names` (under `distributions`) for the complete trials at
  /// `complete` in `history`: one column per name, indexed by position in `history`
  /// (other positions hold 0); `nil` when some complete trial lacks one of the names or
  /// has it under another distribution.
  func columns(
    names: [String], distributions: [Distribution], history: [FrozenTrial], complete: [Int]
  ) -> [[Double]]? {
    state.withLock { s in
      if s.names != names || s.distributions != distributions {
        s = State(names: names, distributions: distributions, entries: [])
      }
      var columns = [[Double]](repeating: [Double](repeating: 0, count: history.count), count: names.count)
      for i in complete {
        let number = history[i].number
        if number >= 0, number < s.entries.count, let entry = s.entries[number],
          entry.parameters == history[i].parameters, entry.distributions == history[i].distributions
        {
          for j in names.indices { columns[j][i] = entry.row[j] }
          continue
        }
        var row: [Double] = []
        row.reserveCapacity(names.count)
        for (name, d) in zip(names, distributions) {
          guard history[i].distributions[name] == d, let value = history[i].parameters[name] else { return nil }
          row.append(d.internalValue(value))
        }
        for j in names.indices { columns[j][i] = row[j] }
        guard number >= 0, number < Self.maximumNumber else { continue }
        if number >= s.entries.count { s.entries += [Entry?](repeating: nil, count: number + 1 - s.entries.count) }
        s.entries[number] = Entry(
          parameters: history[i].parameters, distributions: history[i].distributions, row: row)
      }
      return columns
    }
  }
}
