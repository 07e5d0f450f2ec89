import Dispatch
import Foundation
import HoneLinearAlgebra

extension ImportedTreeEnsemble {
  /// LightGBM's `kZeroThreshold` (`1e-35f`, compared in float64): dense-row conversion
  /// drops values this small, and `MissingType.zero` treats them as zero.
  static let zeroThreshold = Double(Float(1e-35))

  /// The raw scores of one row, written into `output` without allocating.
  ///
  /// - Parameters:
  ///   - row: The row's ``featureCount`` feature values; NaN is missing.
  ///   - output: Receives ``outputCount`` raw scores; resized only if its count differs.
  /// - Throws: ``ModelImportError`` when `row` does not have ``featureCount`` values.
  /// - Complexity: O(total tree depth).
  public func rawScores(row: [Double], into output: inout [Double]) throws {
    guard row.count == featureCount else {
      throw ModelImportError.featureCount(expected: featureCount, found: row.count)
    }
    if output.count != outputCount { output = [Double](repeating: 0, count: outputCount) }
    row.withUnsafeBufferPointer { values in
      output.withUnsafeMutableBufferPointer { scores in
        guard let base = values.baseAddress, let out = scores.baseAddress else {
          // An empty row (a model without features) still has its single-leaf trees.
          scoreEmptyRow(into: scores)
          return
        }
        scoreRow(base, stride: 1, into: out, outputStride: 1)
      }
    }
  }

  /// The raw scores of every row of `features`: an `n ×` ``outputCount`` matrix.
  ///
  /// Rows are split into at most as many contiguous blocks as there are cores; each row
  /// is scored on its own, so the result does not depend on the thread count.
  ///
  /// - Parameter features: An `n ×` ``featureCount`` matrix; NaN is missing.
  /// - Returns: The raw scores (margins) before any link function.
  /// - Throws: ``ModelImportError`` when the column count differs from ``featureCount``.
  /// - Complexity: O(n × total tree depth).
  public func rawScores(_ features: Matrix) throws -> Matrix {
    guard features.columns == featureCount else {
      throw ModelImportError.featureCount(expected: featureCount, found: features.columns)
    }
    let n = features.rows
    var storage = [Double](repeating: 0, count: n * outputCount)
    guard n > 0 else { return Matrix(uncheckedRows: 0, columns: outputCount, storage: []) }
    features.withUnsafeBufferPointer { input in
      storage.withUnsafeMutableBufferPointer { output in
        guard let out = output.baseAddress else { return }
        guard let x = input.baseAddress else {
          for i in 0..<n {
            scoreEmptyRow(into: UnsafeMutableBufferPointer(start: out + i, count: 1))
          }
          return
        }
        let shared = SharedPointers(input: x, output: out)
        // Blocks of at least 256 rows: below that, thread start-up costs more than it saves.
        let blocks = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, n / 256))
        let score: @Sendable (Int) -> Void = { block in
          let rows = (n * block / blocks)..<(n * (block + 1) / blocks)
          for i in rows {
            self.scoreRow(shared.input + i, stride: n, into: shared.output + i, outputStride: n)
          }
        }
        if blocks == 1 { score(0) } else { DispatchQueue.concurrentPerform(iterations: blocks, execute: score) }
      }
    }
    return Matrix(uncheckedRows: n, columns: outputCount, storage: storage)
  }

  /// Scores a model without features, whose trees must all be single leaves.
  private func scoreEmptyRow(into scores: UnsafeMutableBufferPointer<Double>) {
    guard let out = scores.baseAddress, featureCount == 0 else { return }
    var unused = 0.0
    withUnsafeMutablePointer(to: &unused) { scoreRow($0, stride: 1, into: out, outputStride: 1) }
  }

  /// Adds every tree's leaf for the row at `row` (feature `f` at `row[f * stride]`) into
  /// `output[k * outputStride]`, starting from the base margins.
  @inline(__always)
  private func scoreRow(
    _ row: UnsafePointer<Double>, stride: Int, into output: UnsafeMutablePointer<Double>, outputStride: Int
  ) {
    nodes.withUnsafeBufferPointer { nodes in
      categoryBitsets.withUnsafeBufferPointer { bitsets in
        categoryBoundaries.withUnsafeBufferPointer { boundaries in
          for k in 0..<outputCount { output[k * outputStride] = baseMargins[k] }
          switch arithmetic {
          case .lightGBM:
            for t in roots.indices {
              let leaf = Self.lightGBMLeaf(
                nodes, root: Int(roots[t]), row: row, stride: stride, bitsets: bitsets, boundaries: boundaries)
              output[Int(treeOutputs[t]) * outputStride] += leaf
            }
          case .xgboost:
            for t in roots.indices {
              let leaf = Self.xgboostLeaf(nodes, root: Int(roots[t]), row: row, stride: stride)
              let slot = output + Int(treeOutputs[t]) * outputStride
              // Each partial sum is a float32, as in XGBoost's float32 prediction buffer.
              slot.pointee = Double(Float(slot.pointee) + Float(leaf))
            }
          }
        }
      }
    }
  }

  /// The leaf value LightGBM's `Tree::GetLeaf` reaches.
  @inline(__always)
  private static func lightGBMLeaf(
    _ nodes: UnsafeBufferPointer<Node>, root: Int, row: UnsafePointer<Double>, stride: Int,
    bitsets: UnsafeBufferPointer<UInt32>, boundaries: UnsafeBufferPointer<Int32>
  ) -> Double {
    var index = root
    while true {
      let node = nodes[index]
      if node.feature < 0 { return node.value }
      var x = row[Int(node.feature) * stride]
      // LightGBM's dense-row conversion keeps only |x| > kZeroThreshold (and NaN); the
      // rest reach the tree as exact zeros.
      if x.magnitude <= zeroThreshold { x = 0 }
      let goesLeft: Bool
      if node.flags & 1 != 0 {
        goesLeft = categoryContains(node, x, bitsets: bitsets, boundaries: boundaries)
      } else {
        let missing = (node.flags >> 2) & 3
        if x.isNaN && missing != MissingType.nan.rawValue { x = 0 }
        if (missing == MissingType.zero.rawValue && x.magnitude <= zeroThreshold)
          || (missing == MissingType.nan.rawValue && x.isNaN)
        {
          goesLeft = node.flags & 2 != 0
        } else {
          goesLeft = x <= node.value
        }
      }
      index = Int(goesLeft ? node.left : node.right)
    }
  }

  /// LightGBM's `CategoricalDecision`: NaN and negative values go right; otherwise the
  /// value truncated to an integer goes left when its bit is set.
  @inline(__always)
  private static func categoryContains(
    _ node: Node, _ x: Double, bitsets: UnsafeBufferPointer<UInt32>, boundaries: UnsafeBufferPointer<Int32>
  ) -> Bool {
    // `static_cast<int>` truncates toward zero, so (-1, 0) reads as category 0; values
    // past Int32.max become INT_MIN on x86-64, which is negative and goes right.
    guard x > -1, x < 2_147_483_648 else { return false }
    let category = Int(x.rounded(.towardZero))
    let set = Int(node.value)
    let start = Int(boundaries[set])
    let word = category >> 5
    guard word < Int(boundaries[set + 1]) - start else { return false }
    return (bitsets[start + word] >> UInt32(category & 31)) & 1 != 0
  }

  /// The leaf value XGBoost's `GetLeafIndex` reaches.
  @inline(__always)
  private static func xgboostLeaf(
    _ nodes: UnsafeBufferPointer<Node>, root: Int, row: UnsafePointer<Double>, stride: Int
  ) -> Double {
    var index = root
    while true {
      let node = nodes[index]
      if node.feature < 0 { return node.value }
      let x = row[Int(node.feature) * stride]
      let goesLeft: Bool
      if x.isNaN {
        goesLeft = node.flags & 2 != 0
      } else {
        // XGBoost stores inputs as float32; thresholds are float32 values, so comparing
        // the rounded input in float64 is the float32 comparison.
        goesLeft = Double(Float(x)) < node.value
      }
      index = Int(goesLeft ? node.left : node.right)
    }
  }
}

/// The input and output buffers of a batch, shared by the blocks of rows; each block
/// writes only its own rows.
private struct SharedPointers: @unchecked Sendable {
  let input: UnsafePointer<Double>
  let output: UnsafeMutablePointer<Double>
}
