import Testing

@Test func pipelineModuleBuilds() { #expect(Bool(true)) }
