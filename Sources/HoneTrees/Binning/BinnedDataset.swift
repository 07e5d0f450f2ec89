import Dispatch
import HoneLinearAlgebra

/// Features quantised to `UInt8` bin codes, feature-major, built once and reused across
/// fits (folds, seeds, tuning trials).
///
/// Histogram-based boosting (Ke et al. 2017) only needs each value's bin: one byte per
/// value instead of eight makes the histogram pass read an eighth of the memory, and the
/// bins of a feature are contiguous (column `j` occupies `codes[j·n ..< (j+1)·n]`) so the
/// per-feature histogram loops stream through them. ``subset(rows:)`` copies codes
/// without re-binning, so cross-validation folds share the training bin edges.
///
/// ```swift
/// let binned = try BinnedDataset(features: x, maxBins: 255)
/// let fold = try binned.subset(rows: trainIndices)
/// ```
public struct BinnedDataset: Sendable {
  /// The number of rows.
  public let rowCount: Int
  /// The number of features.
  public let featureCount: Int
  /// The bin edges of each feature.
  public let mappers: [BinMapper]
  /// The codes, feature-major: the code of row `i`, feature `j` is `codes[j * rowCount + i]`.
  public let codes: [UInt8]
  /// The same codes row-major (`rowCodes[i * rowStride + j]`), each row padded to a
  /// multiple of 8 bytes so the grower moves rows as whole 64-bit words. The grower copies
  /// each tree's sample from here into leaf order (LightGBM's row-wise histograms, Ke et
  /// al. 2017).
  let rowCodes: [UInt8]
  /// Bytes per row in ``rowCodes``: `featureCount` rounded up to a multiple of 8.
  var rowStride: Int { (featureCount + 7) & ~7 }

  /// Rows sampled to find the bin edges, as LightGBM's `bin_construct_sample_cnt`: quantiles
  /// of 200,000 rows are within a fraction of a bin of the full data's.
  public static let binningSampleSize = 200_000

  /// Bins `features` with per-feature quantile edges, and categorical features with one
  /// bin per category.
  ///
  /// - Parameters:
  ///   - features: The raw features (NaN is missing; ±∞ go to the extreme bins).
  ///   - maxBins: Value bins per feature, 2…255 (LightGBM's `max_bin`). Default 255.
  ///   - threads: Threads to bin features on (1 or more). The codes do not depend on it.
  ///   - categoricalFeatures: The columns holding category codes (non-negative integers;
  ///     NaN or negative for missing), binned by ``BinMapper/fitCategorical(_:maxCategories:)``
  ///     for native categorical splits. Default none.
  ///   - maxCategoriesPerFeature: The most categories with a bin of their own, 1…255; the
  ///     rarer ones share the missing bin. Default 255.
  /// - Throws: ``GradientBoostingError`` when the matrix is empty, `maxBins` or
  ///   `maxCategoriesPerFeature` is out of range, a categorical column index is out of
  ///   range, or a categorical column holds a value that is not an integer code.
  /// - Complexity: O(n p log maxBins) plus sorting a sample of at most 200,000 rows per feature.
  public init(
    features: Matrix, maxBins: Int = 255, threads: Int = 1, categoricalFeatures: Set<Int> = [],
    maxCategoriesPerFeature: Int = 255
  ) throws {
    guard features.rows > 0, features.columns > 0 else {
      throw GradientBoostingError("the feature matrix is empty (\(features.rows) × \(features.columns))")
    }
    guard (2...BinMapper.maximumValueBins).contains(maxBins) else {
      throw GradientBoostingError("maxBins is \(maxBins); it must be in 2...255 (one more code is kept for NaN)")
    }
    guard (1...BinMapper.maximumValueBins).contains(maxCategoriesPerFeature) else {
      throw GradientBoostingError(
        "maxCategoriesPerFeature is \(maxCategoriesPerFeature); it must be in 1...255 (one more code is kept for missing and rare categories)"
      )
    }
    if let bad = categoricalFeatures.first(where: { $0 < 0 || $0 >= features.columns }) {
      throw GradientBoostingError("categorical feature index \(bad) is outside 0..<\(features.columns)")
    }
    let (n, p) = (features.rows, features.columns)
    // A fixed, seed-free stride sample keeps the edges deterministic and independent of
    // the thread count.
    let step = max(1, n / Self.binningSampleSize)
    var mappers = [BinMapper](repeating: BinMapper(upperBounds: []), count: p)
    var failures = [GradientBoostingError?](repeating: nil, count: p)
    var codes = [UInt8](repeating: 0, count: n * p)
    features.withUnsafeBufferPointer { x in
      mappers.withUnsafeMutableBufferPointer { mapperSlots in
        failures.withUnsafeMutableBufferPointer { failureSlots in
          codes.withUnsafeMutableBufferPointer { codeSlots in
            nonisolated(unsafe) let mapperOut = mapperSlots
            nonisolated(unsafe) let failureOut = failureSlots
            nonisolated(unsafe) let codeOut = codeSlots
            parallelFor(count: p, threads: threads) { j in
              let column = UnsafeBufferPointer(rebasing: x[(j * n)..<((j + 1) * n)])
              let sample = stride(from: 0, to: n, by: step).lazy.map { column[$0] }
              let mapper: BinMapper
              if categoricalFeatures.contains(j) {
                do {
                  mapper = try BinMapper.fitCategorical(sample, maxCategories: maxCategoriesPerFeature)
                } catch {
                  failureOut[j] = GradientBoostingError("feature \(j): \(error)")
                  return
                }
              } else {
                mapper = BinMapper.fit(sample, maxBins: maxBins)
              }
              mapperOut[j] = mapper
              for i in 0..<n { codeOut[j * n + i] = mapper.bin(column[i]) }
            }
          }
        }
      }
    }
    if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    self.rowCount = n
    self.featureCount = p
    self.mappers = mappers
    self.codes = codes
    self.rowCodes = Self.transpose(codes, rows: n, columns: p)
  }

  /// The indices of the categorical features.
  public var categoricalFeatures: Set<Int> { Set(mappers.indices.filter { mappers[$0].isCategorical }) }

  /// Row-major copy of feature-major codes, in cache-sized tiles.
  private static func transpose(_ codes: [UInt8], rows n: Int, columns p: Int) -> [UInt8] {
    let width = (p + 7) & ~7
    var out = [UInt8](repeating: 0, count: n * width)
    let tile = 4096
    codes.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        for start in stride(from: 0, to: n, by: tile) {
          let end = min(n, start + tile)
          for j in 0..<p {
            for i in start..<end { target[i * width + j] = source[j * n + i] }
          }
        }
      }
    }
    return out
  }

  /// Bins `features` with edges found earlier (for validation data).
  ///
  /// - Parameters:
  ///   - features: A matrix with as many columns as `mappers`.
  ///   - mappers: The training data's bin edges.
  /// - Throws: ``GradientBoostingError`` when the column count differs.
  public init(features: Matrix, mappers: [BinMapper]) throws {
    guard features.columns == mappers.count else {
      throw GradientBoostingError(
        "the data has \(features.columns) columns but the bins were built for \(mappers.count)")
    }
    let n = features.rows
    var codes = [UInt8](repeating: 0, count: n * mappers.count)
    for (j, mapper) in mappers.enumerated() {
      for i in 0..<n { codes[j * n + i] = mapper.bin(features[i, j]) }
    }
    self.init(rowCount: n, mappers: mappers, codes: codes)
  }

  init(rowCount: Int, mappers: [BinMapper], codes: [UInt8]) {
    self.rowCount = rowCount
    self.featureCount = mappers.count
    self.mappers = mappers
    self.codes = codes
    self.rowCodes = Self.transpose(codes, rows: rowCount, columns: mappers.count)
  }

  /// The rows at `rows`, in that order, with the same bin edges (no re-binning).
  ///
  /// - Parameter rows: Row indices in `0..<rowCount`; repeats are allowed.
  /// - Returns: A dataset of `rows.count` rows.
  /// - Throws: ``GradientBoostingError`` when `rows` is empty or an index is out of range.
  /// - Complexity: O(rows.count · featureCount).
  public func subset(rows: [Int]) throws -> BinnedDataset {
    guard !rows.isEmpty else { throw GradientBoostingError("the row subset is empty") }
    if let bad = rows.first(where: { $0 < 0 || $0 >= rowCount }) {
      throw GradientBoostingError("row index \(bad) is outside 0..<\(rowCount)")
    }
    let m = rows.count
    var out = [UInt8](repeating: 0, count: m * featureCount)
    for j in 0..<featureCount {
      let base = j * rowCount
      for (k, i) in rows.enumerated() { out[j * m + k] = codes[base + i] }
    }
    return BinnedDataset(rowCount: m, mappers: mappers, codes: out)
  }
}

/// Runs `body(0..<count)` on up to `threads` threads. Each index is handled by exactly one
/// call, so results written to per-index slots do not depend on the thread count.
func parallelFor(count: Int, threads: Int, _ body: (Int) -> Void) {
  if threads <= 1 || count <= 1 {
    for index in 0..<count { body(index) }
    return
  }
  let workers = min(threads, count)
  // Callers write only to per-index slots of buffers they own for the whole call, so
  // sharing `body` across the workers is race-free although the compiler cannot see it.
  withoutActuallyEscaping(body) { escapable in
    nonisolated(unsafe) let shared = escapable
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var index = worker
      while index < count {
        shared(index)
        index += workers
      }
    }
  }
}
