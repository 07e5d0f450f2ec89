import Foundation
import HoneCore
import HoneLinearAlgebra
import Testing

/// A minimal estimator for exercising the protocols and the envelope: it predicts the
/// weighted mean of the target, which has a closed form to check against.
private struct MeanRegressor: Estimator {
  struct Hyperparameters: Codable, Sendable, Equatable {
    var shrinkage = 0.0
  }

  struct Fitted: Model {
    static let kind = "test-mean"
    let featureCount: Int
    let mean: Double

    func predict(_ features: Matrix) throws -> [Double] {
      guard features.columns == featureCount else {
        throw DatasetError("expected \(featureCount) features, got \(features.columns)")
      }
      return [Double](repeating: mean, count: features.rows)
    }
  }

  var hyperparameters = Hyperparameters()

  func fit(_ data: Dataset) throws -> Fitted {
    let weights = data.weights ?? [Double](repeating: 1, count: data.rowCount)
    let total = zip(data.target, weights).reduce(0) { $0 + $1.0 * $1.1 }
    let mean = total / weights.reduce(0, +) * (1 - hyperparameters.shrinkage)
    return Fitted(featureCount: data.featureCount, mean: mean)
  }
}

private struct OtherModel: Model {
  static let kind = "test-other"
  let featureCount: Int
  func predict(_ features: Matrix) throws -> [Double] { [] }
}

@Suite("Model file envelope")
struct ModelFileTests {
  private func fittedModel() throws -> MeanRegressor.Fitted {
    let x = try Matrix([[1, 2], [3, 4], [5, 6]])
    return try MeanRegressor().fit(try Dataset(features: x, target: [1, 2, 6], weights: [1, 1, 2]))
  }

  private func temporaryPath(_ name: String) throws -> (directory: URL, path: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-modelfile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return (directory, directory.appendingPathComponent(name).path)
  }

  @Test func fitMatchesTheClosedFormWeightedMean() throws {
    // (1·1 + 2·1 + 6·2) / 4 = 3.75 exactly in binary floating point.
    #expect(try fittedModel().mean == 3.75)
  }

  @Test func saveAndLoadRoundTrip() throws {
    let model = try fittedModel()
    let (directory, path) = try temporaryPath("model.hone")
    defer { try? FileManager.default.removeItem(at: directory) }
    try ModelFile.save(model, to: path, metadata: ["dataHash": "abc"])
    let loaded = try ModelFile.load(MeanRegressor.Fitted.self, from: path)
    #expect(loaded.mean == model.mean)
    #expect(loaded.featureCount == 2)
    let header = try ModelFile.header(at: path)
    #expect(header.kind == "test-mean")
    #expect(header.format == "hone-model")
    #expect(header.formatVersion == ModelFile.formatVersion)
    #expect(header.metadata["dataHash"] == "abc")
    #expect(header.createdBy == "Hone \(HoneVersion.current)")
    // The atomic write leaves only the destination behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.hone"])
  }

  @Test func theChecksumIsTheSHA256OfThePayload() throws {
    let bytes = try ModelFile.encode(try fittedModel())
    let newline = try #require(bytes.firstIndex(of: 10))
    let header = try JSONDecoder().decode(ModelFileHeader.self, from: Data(bytes[..<newline]))
    let payload = bytes[(newline + 1)...]
    #expect(header.payloadBytes == payload.count)
    #expect(header.payloadSHA256 == SHA256.hexDigest(payload))
  }

  @Test func aFlippedPayloadByteIsDetected() throws {
    var bytes = try ModelFile.encode(try fittedModel())
    let index = bytes.count - 3
    bytes[index] = bytes[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
    let error = try #require(throws: ModelFileError.self) {
      try ModelFile.decode(MeanRegressor.Fitted.self, from: bytes)
    }
    #expect(error.kind == .corrupted)
  }

  @Test func aTruncatedFileIsDetected() throws {
    let bytes = try ModelFile.encode(try fittedModel())
    let error = try #require(throws: ModelFileError.self) {
      try ModelFile.decode(MeanRegressor.Fitted.self, from: Array(bytes.dropLast(5)))
    }
    #expect(error.kind == .corrupted)
    #expect(error.message.contains("truncated"))
  }

  @Test func theWrongModelKindIsRejected() throws {
    let bytes = try ModelFile.encode(try fittedModel())
    let error = try #require(throws: ModelFileError.self) { try ModelFile.decode(OtherModel.self, from: bytes) }
    #expect(error.kind == .kindMismatch(expected: "test-other", found: "test-mean"))
  }

  @Test func aNewerFormatVersionIsRejectedWithAnUpgradeHint() throws {
    let bytes = try ModelFile.encode(try fittedModel())
    let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
      of: "\"formatVersion\":1", with: "\"formatVersion\":99")
    let error = try #require(throws: ModelFileError.self) {
      try ModelFile.decode(MeanRegressor.Fitted.self, from: Array(text.utf8))
    }
    #expect(error.kind == .unsupportedVersion(found: 99, supported: ModelFile.formatVersion))
    #expect(error.message.contains("upgrade"))
  }

  @Test(arguments: ["", "hello\nworld", "{\"format\":\"other\"}\n{}", "{not json}\n{}"])
  func somethingElseIsNotAModelFile(_ text: String) throws {
    let error = try #require(throws: ModelFileError.self) {
      try ModelFile.decode(MeanRegressor.Fitted.self, from: Array(text.utf8))
    }
    #expect(error.kind == .notAModelFile)
  }

  @Test func loadingAMissingFileThrowsAnIOError() throws {
    let error = try #require(throws: ModelFileError.self) {
      try ModelFile.load(MeanRegressor.Fitted.self, from: "/nonexistent/model.hone")
    }
    #expect(error.kind == .io)
    #expect(error.path == "/nonexistent/model.hone")
  }

  @Test func savingIntoAMissingDirectoryThrowsAndWritesNothing() throws {
    let error = try #require(throws: ModelFileError.self) {
      try ModelFile.save(try fittedModel(), to: "/nonexistent-dir-hone/model.hone")
    }
    #expect(error.kind == .io)
  }

  @Test func predictChecksTheFeatureCount() throws {
    let model = try fittedModel()
    #expect(try model.predict(try Matrix([[0, 0]])) == [3.75])
    #expect(throws: DatasetError.self) { try model.predict(try Matrix([[0, 0, 0]])) }
  }
}

@Suite("Dataset validation")
struct DatasetTests {
  private let x = Matrix.identity(3)

  @Test func validDataIsAccepted() throws {
    let data = try Dataset(features: x, target: [0, 1, 0], weights: [1, 2, 0], featureNames: ["a", "b", "c"])
    #expect(data.rowCount == 3)
    #expect(data.featureCount == 3)
    #expect(data.featureNames == ["a", "b", "c"])
  }

  @Test func defaultNamesAreNumbered() throws {
    #expect(try Dataset(features: x, target: [0, 1, 0]).featureNames == ["x0", "x1", "x2"])
  }

  @Test func missingFeatureValuesAreAllowed() throws {
    var withNaN = x
    withNaN[0, 0] = .nan
    #expect(try Dataset(features: withNaN, target: [0, 1, 0]).features[0, 0].isNaN)
  }

  @Test(arguments: [
    ([0.0, 1], nil as [Double]?, "target has 2 values"),
    ([0, .nan, 1], nil, "row 1"),
    ([0, .infinity, 1], nil, "row 1"),
    ([0, 1, 2], [1, 1], "2 weights"),
    ([0, 1, 2], [1, -1, 1], "non-negative"),
    ([0, 1, 2], [1, .nan, 1], "finite"),
    ([0, 1, 2], [0, 0, 0], "sum to zero"),
  ])
  func invalidDataThrows(target: [Double], weights: [Double]?, fragment: String) throws {
    let error = try #require(throws: DatasetError.self) { try Dataset(features: x, target: target, weights: weights) }
    #expect(error.message.contains(fragment))
  }

  @Test func zeroRowsThrow() throws {
    #expect(throws: DatasetError.self) { try Dataset(features: Matrix(rows: 0, columns: 2), target: []) }
  }

  @Test func wrongNameCountAndBadCategoricalIndexThrow() throws {
    #expect(throws: DatasetError.self) { try Dataset(features: x, target: [0, 1, 0], featureNames: ["a"]) }
    #expect(throws: DatasetError.self) { try Dataset(features: x, target: [0, 1, 0], categories: [5: ["u"]]) }
  }

  @Test func fromATableCategoricalColumnsBecomeCategoricalFeatures() throws {
    let table = try Table([
      .float("age", [30, 40, .nan]),
      .categorical("city", ["Oslo", nil, "Rome"]),
      .float("w", [1, 1, 2]),
      .integer("label", [0, 1, 1]),
    ])
    let data = try Dataset(table, target: "label", weights: "w")
    #expect(data.featureNames == ["age", "city"])
    #expect(data.categories == [1: ["Oslo", "Rome"]])
    #expect(data.target == [0, 1, 1])
    #expect(data.weights == [1, 1, 2])
    #expect(data.features[0, 1] == 0)
    #expect(data.features[1, 1].isNaN)
    #expect(data.features[2, 1] == 1)
    #expect(throws: TableError.self) { try Dataset(table, target: "nope") }
  }
}
