/// Accumulates one column's values while a CSV file streams by.
///
/// One struct for every type (rather than a protocol) keeps the per-field call free of
/// dynamic dispatch in the reader's inner loop.
struct CSVColumnBuilder {
  /// Why a field could not be appended; the reader adds file, line and column.
  enum Failure: Error {
    case notANumber
    case notATimestamp
    case missingInteger
    case notAnInteger
  }

  private(set) var type: ColumnType
  /// Whether the user fixed the type, which forbids promoting integers to floats.
  let isFixed: Bool
  private var floats: [Double] = []
  private var integers: [Int64] = []
  private var codes: [Int32] = []
  private var categories: [String] = []
  private var dictionary: [String: Int32] = [:]
  private var timestamps: [Int64] = []

  init(type: ColumnType, isFixed: Bool) {
    self.type = type
    self.isFixed = isFixed
  }

  /// Appends one field's bytes `p[start..<end]`, or a missing value when `isMissing`.
  @inline(__always)
  mutating func append(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, isMissing: Bool) throws(Failure) {
    switch type {
    case .float:
      if isMissing {
        floats.append(.nan)
      } else if let value = NumberParsing.parseDouble(p, start, end) {
        floats.append(value)
      } else {
        throw .notANumber
      }
    case .integer:
      if !isMissing, let value = NumberParsing.parseInteger(p, start, end) {
        integers.append(value)
      } else if isFixed {
        throw isMissing ? .missingInteger : .notAnInteger
      } else if isMissing || NumberParsing.parseDouble(p, start, end) != nil {
        promoteToFloat()
        try append(p, start, end, isMissing: isMissing)
      } else {
        throw .notANumber
      }
    case .categorical:
      if isMissing {
        codes.append(-1)
      } else {
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self)
        if let code = dictionary[text] {
          codes.append(code)
        } else {
          let code = Int32(categories.count)
          dictionary[text] = code
          categories.append(text)
          codes.append(code)
        }
      }
    case .timestamp:
      if isMissing {
        timestamps.append(Column.missingTimestamp)
      } else if let value = Timestamp.parse(UnsafeRawBufferPointer(start: p + start, count: end - start)) {
        timestamps.append(value)
      } else {
        throw .notATimestamp
      }
    }
  }

  /// Appends a parsed float to a float column (the reader's fast path).
  @inline(__always)
  mutating func appendFloat(_ value: Double) { floats.append(value) }

  /// Appends a parsed integer to an integer column (the reader's fast path).
  @inline(__always)
  mutating func appendInteger(_ value: Int64) { integers.append(value) }

  /// Removes the last value, undoing a fast-path append when a record turns out to need
  /// the general parser.
  mutating func removeLast() {
    switch type {
    case .float: floats.removeLast()
    case .integer: integers.removeLast()
    case .categorical: codes.removeLast()
    case .timestamp: timestamps.removeLast()
    }
  }

  /// Reserves room for `count` more values, so large files do not regrow the arrays.
  mutating func reserve(_ count: Int) {
    switch type {
    case .float: floats.reserveCapacity(floats.count + count)
    case .integer: integers.reserveCapacity(integers.count + count)
    case .categorical: codes.reserveCapacity(codes.count + count)
    case .timestamp: timestamps.reserveCapacity(timestamps.count + count)
    }
  }

  /// A builder of the same type with no values, for a worker parsing another range.
  func emptyCopy() -> CSVColumnBuilder { CSVColumnBuilder(type: type, isFixed: isFixed) }

  /// Appends every value of `other` (which parsed the rows that follow), promoting an
  /// integer column to float when either side was promoted and re-coding categories into
  /// this builder's dictionary.
  mutating func append(contentsOf other: CSVColumnBuilder) {
    var other = other
    if type == .integer && other.type == .float { promoteToFloat() }
    if type == .float && other.type == .integer { other.promoteToFloat() }
    switch type {
    case .float: floats.append(contentsOf: other.floats)
    case .integer: integers.append(contentsOf: other.integers)
    case .timestamp: timestamps.append(contentsOf: other.timestamps)
    case .categorical:
      let remap = other.categories.map { text -> Int32 in
        if let code = dictionary[text] { return code }
        let code = Int32(categories.count)
        dictionary[text] = code
        categories.append(text)
        return code
      }
      codes.reserveCapacity(codes.count + other.codes.count)
      for code in other.codes { codes.append(code < 0 ? -1 : remap[Int(code)]) }
    }
  }

  /// Turns an integer column into a float column; integers beyond 2⁵³ round, as in pandas.
  private mutating func promoteToFloat() {
    floats = integers.map { Double($0) }
    integers = []
    type = .float
  }

  func makeColumn(name: String) -> Column {
    switch type {
    case .float: Column(uncheckedName: name, values: .float(floats))
    case .integer: Column(uncheckedName: name, values: .integer(integers))
    case .categorical: Column(uncheckedName: name, values: .categorical(codes: codes, categories: categories))
    case .timestamp: Column(uncheckedName: name, values: .timestamp(timestamps))
    }
  }
}
