import Testing

@Test func treesModuleBuilds() { #expect(Bool(true)) }
