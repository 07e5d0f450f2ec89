import Dispatch
import Foundation
import Synchronization

/// The streaming CSV parser behind ``CSV/read(contentsOf:options:)``.
///
/// The input is read in blocks of a few MiB; each block is split into records (RFC 4180:
/// fields separated by the delimiter, records by LF, CRLF or CR, double quotes around
/// fields that contain them, `""` for a quote inside quotes). A record that runs past the
/// end of a block is parsed again from its start once the next block is in, so memory
/// stays at one block plus the columns being built, whatever the file size.
///
/// The first ``CSVReadOptions/inferenceRowCount`` records are held as text while the
/// column types are inferred; after that every field goes straight into its typed
/// column builder.
// `@unchecked Sendable`: a reader is used by one thread at a time. During a parallel
// block each worker is touched only by its own thread, and the parent waits.
final class CSVReader: @unchecked Sendable {
  private struct Span {
    var start: Int
    var end: Int
    var quoted: Bool
    var escaped: Bool
  }

  private enum Step {
    case record(next: Int, lines: Int)
    case needMore
    case end
  }

  private let path: String?
  private let options: CSVReadOptions
  private let delimiter: UInt8
  private let missing: [[UInt8]]
  private let missingMaxLength: Int
  private let acceptsEmptyAsMissing: Bool

  private var names: [String] = []
  private var builders: [CSVColumnBuilder] = []
  private var spans: [Span] = []
  private var scratch: [UInt8] = []
  private var line = 1
  private var sawHeader = false
  private var pending: [(line: Int, fields: [[UInt8]?])] = []
  private var inferred = false
  /// The input's size when known (a file), to reserve column capacity once.
  private var expectedBytes: Int?
  /// Bytes of the records held for inference, to estimate the bytes per record.
  private var pendingBytes = 0
  private var bytesPerRecord = 0.0

  /// Creates a worker that parses a later range of the same input into its own,
  /// initially empty, builders of the same column types.
  private init(workerOf parent: CSVReader) {
    path = parent.path
    options = parent.options
    delimiter = parent.delimiter
    missing = parent.missing
    missingMaxLength = parent.missingMaxLength
    acceptsEmptyAsMissing = parent.acceptsEmptyAsMissing
    names = parent.names
    builders = parent.builders.map { $0.emptyCopy() }
    bytesPerRecord = parent.bytesPerRecord
    sawHeader = true
    inferred = true
    line = 0
  }

  init(path: String?, options: CSVReadOptions) throws(CSVError) {
    self.path = path
    self.options = options
    guard let ascii = options.delimiter.asciiValue, options.delimiter != "\"", ascii != 10, ascii != 13 else {
      throw CSVError(
        kind: .invalidOption, path: path,
        message:
          "the delimiter must be one ASCII character other than a quote or a line break, got `\(options.delimiter)`")
    }
    guard options.inferenceRowCount >= 1 else {
      throw CSVError(
        kind: .invalidOption, path: path,
        message: "inferenceRowCount must be at least 1, got \(options.inferenceRowCount)")
    }
    delimiter = ascii
    missing = options.missingTokens.map { Array($0.utf8) }
    missingMaxLength = missing.map(\.count).max() ?? -1
    acceptsEmptyAsMissing = missing.contains { $0.isEmpty }
  }

  // MARK: Driving the parse

  /// Parses the whole input produced by `read` (which fills a buffer and returns the
  /// byte count, 0 at the end).
  func parse(
    blockSize: Int = 4 << 20, expectedBytes: Int? = nil, read: (UnsafeMutableRawBufferPointer) throws -> Int
  ) throws -> Table {
    self.expectedBytes = expectedBytes
    var capacity = Swift.max(blockSize, 64)
    var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    var filled = 0
    var start = 0
    var atEnd = false
    var firstBlock = true
    var sawAnyByte = false

    while true {
      if !atEnd {
        if start > 0 {
          buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[start..<filled]))
          filled -= start
          start = 0
        }
        if filled == capacity {
          // A single record longer than the block: grow the block.
          let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
          bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
          buffer.deallocate()
          buffer = bigger
          capacity *= 2
        }
        let n = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<capacity]))
        if n == 0 { atEnd = true }
        filled += n
        if n > 0 { sawAnyByte = true }
        if firstBlock && filled >= 3 || atEnd {
          if firstBlock && filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
          firstBlock = false
        }
        if firstBlock { continue }
      }
      guard sawAnyByte else {
        throw CSVError(kind: .emptyInput, path: path, message: "the input is empty; expected a header row")
      }
      guard let base = UnsafePointer(buffer.bindMemory(to: UInt8.self).baseAddress) else { return try finish() }
      if inferred, let next = try parseInParallel(base, from: start, to: filled, atEnd: atEnd) {
        start = next
        if atEnd && start >= filled { return try finish() }
        continue
      }
      let (next, finished) = try parseRecords(base, from: start, to: filled, atEnd: atEnd)
      start = next
      if finished || atEnd { return try finish() }
    }
  }

  // MARK: Parallel parsing

  /// Parses the complete records in `p[start..<limit]` on two threads when the range is
  /// large and has no quote (so every line break ends a record): the range is cut at the
  /// line break nearest its middle, each half is parsed into its own builders, and the
  /// second half's values are appended after the first's. Returns where parsing should
  /// continue, or `nil` to leave the range to the serial parser.
  private func parseInParallel(
    _ p: UnsafePointer<UInt8>, from start: Int, to limit: Int, atEnd: Bool
  ) throws -> Int? {
    guard options.threadCount > 1, limit - start >= 1 << 20 else { return nil }
    var end = limit
    if !atEnd {
      while end > start && p[end - 1] != 10 { end -= 1 }
    }
    guard end - start >= 1 << 20, memchr(p + start, 34, end - start) == nil else { return nil }
    var split = start + (end - start) / 2
    while split < end && p[split] != 10 { split += 1 }
    split += 1
    guard split < end else { return nil }
    let halves = [CSVReader(workerOf: self), CSVReader(workerOf: self)]
    let ranges = [start..<split, split..<end]
    for (half, range) in zip(halves, ranges) { half.reserveRecords(forBytes: range.count) }
    let errors = Mutex<[Int: any Error]>([:])
    let block = SharedBytes(pointer: p)
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      do { try halves[index].parseRange(block.pointer, ranges[index]) } catch {
        errors.withLock { $0[index] = error }
      }
    }
    let failures = errors.withLock { $0 }
    if let first = failures[0] {
      throw first.shiftingLine(by: line)
    }
    if let second = failures[1] {
      throw second.shiftingLine(by: line + halves[0].line)
    }
    for half in halves {
      for c in builders.indices { builders[c].append(contentsOf: half.builders[c]) }
      line += half.line
    }
    return end
  }

  /// Reserves builder capacity for the records `bytes` of input should hold, with a
  /// margin, from the bytes per record seen during inference.
  private func reserveRecords(forBytes bytes: Int) {
    guard bytesPerRecord > 0 else { return }
    let estimate = Int(Double(bytes) / bytesPerRecord * 1.05) + 16
    for c in builders.indices { builders[c].reserve(estimate) }
  }

  /// Parses every record of a range that ends at a record boundary; `line` counts from 0.
  private func parseRange(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) throws {
    _ = try parseRecords(p, from: range.lowerBound, to: range.upperBound, atEnd: true)
  }

  /// Parses records from `position` until the block runs out.
  ///
  /// The spans and builders move into locals for the loop: mutating a class's array
  /// property in place costs an exclusivity check per access, which doubled the time
  /// per field.
  ///
  /// - Returns: The position of the first byte not parsed, and whether the input ended.
  private func parseRecords(
    _ p: UnsafePointer<UInt8>, from start: Int, to limit: Int, atEnd: Bool
  ) throws -> (next: Int, finished: Bool) {
    var position = start
    var spans = self.spans
    var builders = self.builders
    self.spans = []
    self.builders = []
    defer {
      self.spans = spans
      self.builders = builders
    }
    while true {
      if inferred, let next = fastRecord(p, from: position, to: limit, builders: &builders) {
        position = next
        line += 1
        continue
      }
      switch try nextRecord(p, from: position, to: limit, atEnd: atEnd, spans: &spans) {
      case .record(let next, let lines):
        if inferred {
          try appendTyped(p, spans, to: &builders)
        } else {
          pendingBytes += next - position
          self.spans = spans
          self.builders = builders
          try consumeRecord(p)
          builders = self.builders
          self.builders = []
        }
        position = next
        line += lines
      case .needMore:
        return (position, false)
      case .end:
        return (position, true)
      }
    }
  }

  // MARK: The fused fast path

  /// Parses one record in a single pass, reading numbers straight into their columns,
  /// for the common case: no quotes, the right field count, and a line break at the end
  /// inside the block.
  ///
  /// Anything else — a quote, a field count that differs, a value that does not fit its
  /// column, a record that runs past the block — undoes this record's appends and
  /// returns `nil`, and the general path (`nextRecord`) parses the record again, with
  /// its precise errors.
  ///
  /// - Returns: The position after the record, or `nil` to use the general path.
  @inline(__always)
  private func fastRecord(
    _ p: UnsafePointer<UInt8>, from start: Int, to limit: Int, builders: inout [CSVColumnBuilder]
  ) -> Int? {
    let delimiter = delimiter
    let largestBreak = Swift.max(delimiter, 13)
    let last = builders.count - 1
    var i = start
    // Blank lines are skipped by the general path, whatever the column count.
    guard i < limit, p[i] != 10, p[i] != 13 else { return nil }
    var column = 0
    while column <= last {
      guard i < limit, p[i] != 34 else { break }
      // The byte that must end this field: the delimiter, or a line break after the last field.
      var parsed = false
      switch builders[column].type {
      case .float:
        if let (value, stop) = NumberParsing.scanDouble(p, i, limit), stop < limit,
          column < last ? p[stop] == delimiter : (p[stop] == 10 || p[stop] == 13)
        {
          builders[column].appendFloat(value)
          i = stop
          parsed = true
        }
      case .integer:
        if let (value, stop) = NumberParsing.scanInteger(p, i, limit), stop < limit,
          column < last ? p[stop] == delimiter : (p[stop] == 10 || p[stop] == 13)
        {
          builders[column].appendInteger(value)
          i = stop
          parsed = true
        }
      case .categorical, .timestamp:
        break
      }
      if !parsed {
        let fieldStart = i
        while i < limit {
          let c = p[i]
          if c <= largestBreak && (c == delimiter || c == 10 || c == 13) { break }
          if c == 34 { break }
          i += 1
        }
        guard i < limit, p[i] != 34, column < last ? p[i] == delimiter : p[i] != delimiter else { break }
        let span = Span(start: fieldStart, end: i, quoted: false, escaped: false)
        do {
          try builders[column].append(p, fieldStart, i, isMissing: isMissing(p, span))
        } catch {
          break
        }
      }
      column += 1
      if column <= last { i += 1 }
    }
    if column > last && i < limit {
      if p[i] == 10 { return i + 1 }
      if i + 1 < limit { return p[i + 1] == 10 ? i + 2 : i + 1 }
    }
    for k in 0..<Swift.min(column, builders.count) { builders[k].removeLast() }
    return nil
  }

  // MARK: Splitting records

  /// Finds the fields of the record starting at `position`.
  private func nextRecord(
    _ p: UnsafePointer<UInt8>, from position: Int, to limit: Int, atEnd: Bool, spans: inout [Span]
  ) throws(CSVError) -> Step {
    spans.removeAll(keepingCapacity: true)
    var i = position
    if i >= limit { return atEnd ? .end : .needMore }
    var extraLines = 0
    let delimiter = delimiter
    let largestBreak = Swift.max(delimiter, 13)
    while true {
      if i < limit && p[i] == 34 {
        let fieldLine = line + extraLines
        i += 1
        let fieldStart = i
        var escaped = false
        while true {
          guard i < limit else {
            if atEnd {
              throw CSVError(
                kind: .unterminatedQuote, path: path, line: fieldLine,
                message:
                  "a quoted field opened here is never closed; close it with `\"` (write `\"\"` for a quote inside)")
            }
            return .needMore
          }
          let c = p[i]
          if c == 34 {
            if i + 1 < limit {
              if p[i + 1] == 34 {
                escaped = true
                i += 2
                continue
              }
            } else if !atEnd {
              return .needMore
            }
            break
          }
          // A line break inside quotes is LF, CRLF (counted at its LF) or a lone CR.
          if c == 10 || (c == 13 && (i + 1 >= limit || p[i + 1] != 10)) { extraLines += 1 }
          i += 1
        }
        spans.append(Span(start: fieldStart, end: i, quoted: true, escaped: escaped))
        i += 1
        if i >= limit {
          if atEnd { return .record(next: i, lines: 1 + extraLines) }
          return .needMore
        }
        let c = p[i]
        if c == delimiter {
          i += 1
          continue
        }
        if c != 10 && c != 13 {
          throw CSVError(
            kind: .unexpectedCharacterAfterQuote, path: path, line: line + extraLines,
            column: columnName(spans.count - 1),
            message:
              "unexpected `\(Character(Unicode.Scalar(c)))` after a closing quote; a quoted field must end at a delimiter or line end (write `\"\"` for a quote inside)"
          )
        }
      } else {
        let fieldStart = i
        // Every byte that ends a field is at most `largestBreak`, and digits lie above
        // it for the usual delimiters, so most bytes cost one comparison.
        while i < limit {
          let c = p[i]
          if c <= largestBreak && (c == delimiter || c == 10 || c == 13) { break }
          i += 1
        }
        if i >= limit {
          guard atEnd else { return .needMore }
          spans.append(Span(start: fieldStart, end: i, quoted: false, escaped: false))
          return .record(next: i, lines: 1 + extraLines)
        }
        spans.append(Span(start: fieldStart, end: i, quoted: false, escaped: false))
        if p[i] == delimiter {
          i += 1
          continue
        }
      }
      // At a line break.
      if p[i] == 13 {
        if i + 1 < limit {
          i += p[i + 1] == 10 ? 2 : 1
        } else if atEnd {
          i += 1
        } else {
          return .needMore
        }
      } else {
        i += 1
      }
      return .record(next: i, lines: 1 + extraLines)
    }
  }

  // MARK: Handling records

  private func consumeRecord(_ p: UnsafePointer<UInt8>) throws {
    if spans.count == 1 && !spans[0].quoted && spans[0].start == spans[0].end { return }  // blank line
    if !sawHeader {
      sawHeader = true
      if options.hasHeader {
        try readHeader(p)
        return
      }
      names = (1...spans.count).map { "column_\($0)" }
      try checkTypeOverrides()
    }
    guard spans.count == names.count else { throw raggedRowError(found: spans.count) }
    if !inferred {
      pending.append((line, spans.map { span in isMissing(p, span) ? nil : bytes(p, span) }))
      if pending.count >= options.inferenceRowCount { try inferTypes() }
      return
    }
    try appendTyped(p, spans, to: &builders)
  }

  /// Appends one record's fields to typed builders.
  @inline(__always)
  private func appendTyped(_ p: UnsafePointer<UInt8>, _ spans: [Span], to builders: inout [CSVColumnBuilder]) throws {
    if spans.count == 1 && !spans[0].quoted && spans[0].start == spans[0].end { return }  // blank line
    guard spans.count == names.count else { throw raggedRowError(found: spans.count) }
    for c in 0..<spans.count {
      let span = spans[c]
      let missing = isMissing(p, span)
      do {
        if span.escaped {
          let unescaped = bytes(p, span)
          try withBytes(unescaped) { base, count throws(CSVColumnBuilder.Failure) in
            try builders[c].append(base, 0, count, isMissing: missing)
          }
        } else {
          try builders[c].append(p, span.start, span.end, isMissing: missing)
        }
      } catch {
        throw makeError(
          error, column: c, type: builders[c].type, value: String(decoding: bytes(p, span), as: UTF8.self),
          line: line)
      }
    }
  }

  private func raggedRowError(found: Int) -> CSVError {
    CSVError(
      kind: .raggedRow(expected: names.count, found: found), path: path, line: line,
      message:
        "expected \(names.count) fields (as in the \(options.hasHeader ? "header" : "first row")), found \(found); check for an unquoted delimiter or a missing field"
    )
  }

  private func readHeader(_ p: UnsafePointer<UInt8>) throws {
    var seen = Set<String>()
    names = spans.enumerated().map { index, span in
      let name = String(decoding: bytes(p, span), as: UTF8.self)
      return name.isEmpty ? "column_\(index + 1)" : name
    }
    for name in names where !seen.insert(name).inserted {
      throw CSVError(
        kind: .duplicateColumn(name), path: path, line: line, column: name,
        message: "the header names `\(name)` twice; column names must be unique")
    }
    try checkTypeOverrides()
  }

  private func checkTypeOverrides() throws {
    for name in options.types.keys.sorted() where !names.contains(name) {
      throw CSVError(
        kind: .unknownColumn(name), path: path, column: name,
        message:
          "a type is given for column `\(name)`, which is not in the file; its columns are \(names.map { "`\($0)`" }.joined(separator: ", "))"
      )
    }
  }

  /// Fixes each column's type from the held records and feeds them to the builders.
  private func inferTypes() throws {
    inferred = true
    builders = names.enumerated().map { c, name in
      if let fixed = options.types[name] { return CSVColumnBuilder(type: fixed, isFixed: true) }
      return CSVColumnBuilder(type: inferType(column: c), isFixed: false)
    }
    let held = pending
    pending = []
    if !held.isEmpty { bytesPerRecord = Double(pendingBytes) / Double(held.count) }
    if let expectedBytes { reserveRecords(forBytes: expectedBytes) }
    for (recordLine, fields) in held {
      for (c, field) in fields.enumerated() {
        let value = field ?? []
        do {
          try withBytes(value) { base, count throws(CSVColumnBuilder.Failure) in
            try builders[c].append(base, 0, count, isMissing: field == nil)
          }
        } catch {
          throw makeError(
            error, column: c, type: builders[c].type, value: String(decoding: value, as: UTF8.self), line: recordLine)
        }
      }
    }
  }

  /// The narrowest type that reads every held value of column `c`: integer (when no
  /// value is missing), float, timestamp, else categorical. An all-missing column is float.
  private func inferType(column c: Int) -> ColumnType {
    var allInteger = true
    var allNumber = true
    var allTimestamp = true
    var anyValue = false
    var anyMissing = false
    for (_, fields) in pending {
      guard let field = fields[c] else {
        anyMissing = true
        continue
      }
      anyValue = true
      withBytes(field) { base, count in
        if allInteger && NumberParsing.parseInteger(base, 0, count) == nil { allInteger = false }
        if !allInteger && allNumber && NumberParsing.parseDouble(base, 0, count) == nil { allNumber = false }
        if allTimestamp && Timestamp.parse(UnsafeRawBufferPointer(start: base, count: count)) == nil {
          allTimestamp = false
        }
      }
      if !allNumber && !allTimestamp { return .categorical }
    }
    if !anyValue { return .float }
    if allInteger { return anyMissing ? .float : .integer }
    if allNumber { return .float }
    return allTimestamp ? .timestamp : .categorical
  }

  private func finish() throws -> Table {
    if !sawHeader {
      throw CSVError(kind: .emptyInput, path: path, message: "the input has no records; expected a header row")
    }
    if !inferred { try inferTypes() }
    let columns = zip(names, builders).map { name, builder in builder.makeColumn(name: name) }
    return Table(uncheckedColumns: columns, rowCount: columns.first?.count ?? 0)
  }

  // MARK: Field helpers

  @inline(__always)
  private func isMissing(_ p: UnsafePointer<UInt8>, _ span: Span) -> Bool {
    if span.quoted { return false }
    let length = span.end - span.start
    if length == 0 { return acceptsEmptyAsMissing }
    if length > missingMaxLength { return false }
    for token in missing where token.count == length {
      var same = true
      for k in 0..<length where p[span.start + k] != token[k] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }

  /// The field's bytes, with `""` inside a quoted field turned into `"`.
  private func bytes(_ p: UnsafePointer<UInt8>, _ span: Span) -> [UInt8] {
    let raw = UnsafeBufferPointer(start: p + span.start, count: span.end - span.start)
    guard span.escaped else { return Array(raw) }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var k = 0
    while k < raw.count {
      out.append(raw[k])
      k += raw[k] == 34 ? 2 : 1
    }
    return out
  }

  private func columnName(_ index: Int) -> String? {
    index >= 0 && index < names.count ? names[index] : nil
  }

  private func makeError(
    _ failure: CSVColumnBuilder.Failure, column c: Int, type: ColumnType, value: String, line: Int
  ) -> CSVError {
    let name = names[c]
    let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
    let origin =
      options.types[name] != nil
      ? "the column is typed \(type) in the options"
      : "the column was inferred as \(type) from the first \(options.inferenceRowCount) rows"
    switch failure {
    case .notANumber:
      return CSVError(
        kind: .typeMismatch(value: value, expected: type), path: path, line: line, column: name,
        message:
          "cannot parse `\(shown)` as a number (\(origin)); give the column the type categorical, or add `\(shown)` to the missing tokens"
      )
    case .notAnInteger:
      return CSVError(
        kind: .typeMismatch(value: value, expected: .integer), path: path, line: line, column: name,
        message: "cannot parse `\(shown)` as an integer (\(origin)); type the column float to accept decimals")
    case .notATimestamp:
      return CSVError(
        kind: .typeMismatch(value: value, expected: .timestamp), path: path, line: line, column: name,
        message:
          "cannot parse `\(shown)` as an ISO 8601 date or date-time (\(origin)); use YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM] or type the column categorical"
      )
    case .missingInteger:
      return CSVError(
        kind: .missingInteger, path: path, line: line, column: name,
        message: "a missing value in a column typed integer, which cannot hold one; type the column float instead")
    }
  }
}

/// The block being parsed, shared read-only by the two workers while the parent waits.
private struct SharedBytes: @unchecked Sendable {
  let pointer: UnsafePointer<UInt8>
}

extension Error {
  /// The same error with its line moved by `offset`, for errors found by a worker that
  /// counted lines from the start of its range.
  fileprivate func shiftingLine(by offset: Int) -> any Error {
    guard let error = self as? CSVError, let line = error.line else { return self }
    return CSVError(
      kind: error.kind, path: error.path, line: line + offset, column: error.column, message: error.message)
  }
}

/// A readable byte to point at when a field is empty, so parsers always get a valid pointer.
private nonisolated(unsafe) let sentinelByte: UnsafeMutablePointer<UInt8> = {
  let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
  pointer.initialize(to: 0)
  return pointer
}()

/// Calls `body` with a valid pointer to `bytes` and their count, even when `bytes` is
/// empty (an empty array may have no storage to point at).
@inline(__always)
private func withBytes<R, E: Error>(
  _ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) throws(E) -> R
) throws(E) -> R {
  try bytes.withUnsafeBufferPointer { (buffer) throws(E) -> R in
    try body(buffer.baseAddress ?? UnsafePointer(sentinelByte), buffer.count)
  }
}
