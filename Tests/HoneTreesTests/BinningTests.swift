import HoneLinearAlgebra
import Testing

@testable import HoneTrees

@Suite("Binning")
struct BinningTests {
  @Test("few distinct values get one bin each, bounded by midpoints")
  func distinctValues() {
    let mapper = BinMapper.fit([3, 1, 2, 2, 1, .nan], maxBins: 255)
    #expect(mapper.upperBounds == [1.5, 2.5])
    #expect(mapper.bin(1) == 0)
    #expect(mapper.bin(2) == 1)
    #expect(mapper.bin(3) == 2)
    #expect(mapper.bin(100) == 2)
    #expect(mapper.bin(-.infinity) == 0)
    #expect(mapper.bin(.nan) == BinMapper.missingBin)
  }

  @Test("many values are cut at quantiles into at most maxBins bins", arguments: [2, 16, 255])
  func quantiles(maxBins: Int) {
    let values = (0..<10_000).map { Double($0) }
    let mapper = BinMapper.fit(values, maxBins: maxBins)
    #expect(mapper.valueBinCount == maxBins)
    var counts = [Int](repeating: 0, count: maxBins)
    for value in values { counts[Int(mapper.bin(value))] += 1 }
    // Equal-frequency bins on distinct values: each holds 10,000 / maxBins rows, ±1
    // for rounding at the cuts.
    let expected = 10_000 / maxBins
    #expect(counts.allSatisfy { abs($0 - expected) <= 1 })
  }

  @Test("a subset keeps the codes of the chosen rows without re-binning")
  func subset() throws {
    let x = try Matrix([[1, 10], [2, .nan], [3, 30], [4, 40]])
    let binned = try BinnedDataset(features: x, maxBins: 255)
    let part = try binned.subset(rows: [3, 1])
    #expect(part.rowCount == 2)
    #expect(part.mappers == binned.mappers)
    #expect(part.codes == [binned.codes[3], binned.codes[1], binned.codes[4 + 3], BinMapper.missingBin])
    #expect(throws: GradientBoostingError.self) { try binned.subset(rows: [4]) }
    #expect(throws: GradientBoostingError.self) { try binned.subset(rows: []) }
  }

  @Test("binning does not depend on the thread count")
  func threadsDoNotMatter() throws {
    let data = try syntheticData(rows: 3000, seed: 5, classification: false)
    let one = try BinnedDataset(features: data.features, maxBins: 63, threads: 1)
    let two = try BinnedDataset(features: data.features, maxBins: 63, threads: 2)
    #expect(one.codes == two.codes)
    #expect(one.mappers == two.mappers)
  }

  @Test("invalid maxBins throws")
  func invalidMaxBins() throws {
    let x = try Matrix([[1], [2]])
    #expect(throws: GradientBoostingError.self) { try BinnedDataset(features: x, maxBins: 256) }
    #expect(throws: GradientBoostingError.self) { try BinnedDataset(features: x, maxBins: 1) }
  }
}
