import Foundation
import HoneCore
import Testing

/// SHA-256 against the NIST FIPS 180-2 example vectors and, for messages whose padding
/// falls at each block-boundary case, digests from Python's `hashlib.sha256`.
@Suite struct SHA256Tests {
  static let nistVectors: [(String, String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
  ]

  @Test(arguments: nistVectors)
  func nistVector(message: String, digest: String) {
    #expect(SHA256.hexDigest(Array(message.utf8)) == digest)
  }

  /// A file is hashed in pieces of a mebibyte: a million a's (NIST's long vector) plus
  /// enough to span two pieces give the digest of the bytes in memory; a missing file is
  /// a file error.
  @Test func aFileIsHashedInPieces() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-sha-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("a.bin").path
    try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: URL(fileURLWithPath: path))
    #expect(try SHA256.hexDigest(ofFileAt: path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    let long = (0..<2_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
    try Data(long).write(to: URL(fileURLWithPath: path))
    #expect(try SHA256.hexDigest(ofFileAt: path) == SHA256.hexDigest(long))
    #expect(throws: FileError.self) { try SHA256.hexDigest(ofFileAt: folder.appendingPathComponent("no").path) }
  }

  @Test func oneMillionAs() {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hexDigest(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    // The same message fed in uneven pieces.
    var hash = SHA256()
    var offset = 0
    var piece = 1
    while offset < message.count {
      let end = min(offset + piece, message.count)
      hash.update(message[offset..<end])
      offset = end
      piece = piece * 7 % 1000 + 1
    }
    #expect(hash.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// `n` times `a`: 55 and 56 bytes put the length in the same or the next block, 63–65
  /// and 119–128 straddle one and two whole blocks. Digests from `hashlib.sha256(b'a' * n)`.
  static let paddingBoundaries: [(Int, String)] = [
    (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
    (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
    (57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
    (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
    (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
    (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
    (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    (127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"),
    (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
  ]

  @Test(arguments: paddingBoundaries)
  func paddingBoundary(length: Int, digest: String) {
    #expect(SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
  }

  @Test func everyByteValue() {
    // hashlib.sha256(bytes(range(256)) * 3)
    let message = Array((0..<768).map { UInt8($0 % 256) })
    #expect(SHA256.hexDigest(message) == "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363")
  }

  @Test func finalizeDoesNotConsumeTheHash() {
    var hash = SHA256()
    hash.update(Array("ab".utf8))
    let early = hash.finalize()
    #expect(early.count == 32)
    #expect(hash.finalize() == early)
    hash.update(Array("c".utf8))
    #expect(hash.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }
}
