import SwapTestSupport
import Testing

@testable import ConfigLang

/// Issue 20's limits and issue 18's macro reach, in-process: each hostile shape ends in
/// its code at a position; the ordinary cases still compile.
struct CompilerLimitsTests {
    static func compile(_ yaml: String) -> PlanBuilder.Result {
        PlanBuilder.compile([SourceFile(name: "t.yaml", text: yaml)], environment: [:])
    }

    @Test("every hostile shape ends in its diagnostic", arguments: HostileConfigs.all())
    func shape(_ shape: HostileConfigs.Shape) {
        let result = Self.compile(shape.text)
        #expect(result.plan == nil)
        let found = result.diagnostics.filter { $0.code.rawValue == shape.code }
        #expect(!found.isEmpty, "\(result.diagnostics.map(\.message).prefix(3))")
        #expect(found.allSatisfy { $0.span.start.line >= 1 })
    }

    @Test("unused exponential macros are never expanded")
    func unusedDoubling() throws {
        let plan = try #require(Self.compile(HostileConfigs.unusedDoubling()).plan)
        #expect(plan.models["m"] != nil)
    }

    @Test("a 1000-macro cycle is reported once, starting at its smallest name")
    func cycleMessage() {
        let shape = HostileConfigs.all().first { $0.code == "SL402" }!
        let cycles = Self.compile(shape.text).diagnostics.filter { $0.code == .macroCycle }
        #expect(cycles.count == 1)
        #expect(cycles.first?.message.hasPrefix("macros refer to each other in a cycle: m0 → m1 → ") == true)
    }

    @Test("ports counted past 65535 are SL211 at the first model without one")
    func portsExhausted() {
        let result = Self.compile(
            """
            startPort: 65535
            models:
              a:
                cmd: /bin/server --port ${PORT}
              b:
                cmd: /bin/server --port ${PORT}
              c:
                cmd: /bin/server --port ${PORT}
            """)
        #expect(result.diagnostics.map(\.code) == [.portOutOfRange])
        #expect(result.diagnostics.first?.span.start.line == 5)
    }

    @Test("a timeout of Int.max seconds is capped, not trapped on")
    func hugeSeconds() throws {
        let plan = try #require(
            Self.compile("globalTTL: 9223372036854775807\n" + HostileConfigs.model()).plan)
        #expect(plan.settings.globalTTL == 100 * 365 * 86_400)
    }

    @Test("macro chains within the limit expand; one past it is SL410")
    func chainLimit() {
        func chain(_ length: Int) -> String {
            var text = "macros:\n"
            for index in 0..<length { text += "  m\(index): \"${m\(index + 1)}\"\n" }
            return text + "  m\(length): v\n" + HostileConfigs.model("/bin/server --port ${PORT} ${m0}")
        }
        let inside = Self.compile(chain(MacroExpander.maximumDepth - 1))
        #expect(inside.plan?.models["m"]?.argvTemplate.last == "v")
        #expect(Self.compile(chain(MacroExpander.maximumDepth + 1)).diagnostics.map(\.code) == [.macroNestingTooDeep])
    }

    @Test("matrix parentheses within the limit parse; deeper is an error")
    func matrixDepth() throws {
        let depth = MatrixExpression.maximumDepth
        let inside = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(try MatrixExpression.parse(inside) == .name("a", offset: depth))
        let deeper = "(" + inside + ")"
        #expect(throws: MatrixExpressionError.self) { try MatrixExpression.parse(deeper) }
    }

    @Test("empty and blank API keys are SL212; real keys are fine")
    func apiKeys() {
        let result = Self.compile("apiKeys: [\"\", \" \\t\", sk-1]\n" + HostileConfigs.model())
        #expect(result.diagnostics.map(\.code) == [.emptyAPIKey, .emptyAPIKey])
        #expect(result.diagnostics.map(\.span.start.column) == [11, 15])
    }

    @Test("global macros reach top-level values and keep their type")
    func topLevelMacros() throws {
        let result = Self.compile(
            """
            macros:
              timeout: 30
              key: sk-abc
            healthCheckTimeout: ${timeout}
            apiKeys: ["${key}"]
            models:
              m:
                cmd: /bin/server --port ${PORT}
                metadata:
                  port: ${PORT}
                  note: "on ${PORT}"
                  timeout: ${timeout}
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        #expect(plan.settings.healthCheckTimeout == 30)
        #expect(plan.settings.apiKeys == ["sk-abc"])
        let model = try #require(plan.models["m"])
        #expect(
            model.metadata(port: 9000)
                == .object(["port": .integer(9000), "note": .string("on 9000"), "timeout": .integer(30)]))
    }

    @Test("an unknown macro in a top-level value is SL401 at its place")
    func topLevelUnknownMacro() {
        let result = Self.compile("healthCheckTimeout: ${nope}\nmacros: {a: 1}\n" + HostileConfigs.model())
        #expect(result.diagnostics.map(\.code).contains(.unknownMacro))
        #expect(result.diagnostics.first { $0.code == .unknownMacro }?.span.start.line == 1)
    }
}
