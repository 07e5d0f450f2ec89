import Testing

@Test func neuralModuleBuilds() { #expect(Bool(true)) }
