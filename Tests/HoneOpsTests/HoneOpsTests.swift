import Testing

@testable import HoneOps

@Suite struct HoneOpsModuleTests {
  @Test func defaultStoreIsAHiddenFolder() {
    #expect(HoneOps.defaultStoreDirectory.hasPrefix("."))
  }
}

@Suite struct ModelKindTests {
  @Test func everyKindSupportsAtLeastOneTask() {
    for kind in ModelKind.allCases {
      #expect(PredictionTask.allCases.contains { kind.supports($0) }, "\(kind)")
    }
    #expect(!ModelKind.logistic.supports(.regression))
    #expect(!ModelKind.ridge.supports(.classification))
  }
}
