import Testing

@testable import ConfigLang

/// `logTimeFormat` and `performance` reach the plan, and no longer warn that they have
/// no effect (SL206).
struct ObservabilitySettingsTests {
    @Test("logTimeFormat and performance in the plan's settings, without SL206")
    func settings() throws {
        let result = PlanTests.compile(
            """
            logTimeFormat: stampmilli
            logToStdout: both
            performance:
              disabled: false
              every: 1m30s
            models:
              a:
                cmd: /bin/server --port ${PORT}
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        let settings = try #require(result.plan?.settings)
        #expect(settings.logTimeFormat == "stampmilli")
        #expect(settings.logToStdout == "both")
        #expect(settings.performanceEvery == 90)
        #expect(settings.performanceDisabled == false)
    }

    @Test("absent keys stay absent (the plan's JSON does not grow)")
    func absent() throws {
        let settings = try #require(
            PlanTests.compile("models:\n  a:\n    cmd: /bin/server --port ${PORT}\n").plan?.settings)
        #expect(
            settings.logTimeFormat == nil && settings.performanceEvery == nil && settings.performanceDisabled == nil)
        #expect(
            !PlanRenderer.render(
                try #require(PlanTests.compile("models:\n  a:\n    cmd: /bin/s ${PORT}\n").plan), format: .json
            ).contains("performance"))
    }
}
