import Testing

@testable import ConfigLang

/// The per-model stages run side by side on large configs; these tests hold them to
/// the same results, in the same order, as one model at a time.
struct ParallelCompileTests {
    @Test("ParallelMap keeps index order on both sides of its threshold", arguments: [0, 1, 63, 64, 65, 1000])
    func mapKeepsOrder(count: Int) {
        let mapped = ParallelMap.map(count) { $0 * 3 + 1 }
        #expect(mapped == (0..<count).map { $0 * 3 + 1 })
    }

    /// `count` models (more than the parallel threshold), each with its own macro,
    /// filters and `${PORT}`; model `m037` uses an undefined macro and `m120` gets a
    /// string where `ttl` needs an integer once its macro is expanded.
    static func largeConfig(count: Int) -> String {
        var yaml = "startPort: 7000\nmacros:\n  bin: /opt/server --port ${PORT}\nmodels:\n"
        for index in (0..<count).reversed() {
            let id = "m" + String(repeating: "0", count: 3 - String(index).count) + String(index)
            yaml += "  \(id):\n"
            yaml += "    macros:\n      size: \(index)\n"
            yaml += index == 120 ? "      life: soon\n" : "      life: \(index + 10)\n"
            yaml += "    cmd: ${bin} --size ${size}\(index == 37 ? " ${missing}" : "")\n"
            yaml += "    ttl: ${life}\n"
            yaml +=
                "    filters:\n      stripParams: \"top_p, min_p\"\n      setParams:\n        temperature: 0.\(index % 10)\n"
        }
        return yaml
    }

    @Test("a large config compiles to the same ports, argv and diagnostics as the rules say")
    func largeConfigMatchesRules() throws {
        let count = 150
        let yaml = Self.largeConfig(count: count)
        let result = PlanBuilder.compile([SourceFile(name: "large.yaml", text: yaml)], environment: [:])
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.typeMismatch, .unknownMacro])
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let unknownLine = try #require(lines.firstIndex { $0.contains("${missing}") }) + 1
        #expect(errors.last?.span.start.line == unknownLine)
        let ttlLine = try #require(lines.firstIndex { $0 == "      life: soon" }) + 1
        #expect(errors.first?.span.start.line == ttlLine + 2)
        #expect(result.diagnostics == result.diagnostics.sortedByPosition())

        // Without the two broken models the plan exists; ports follow sorted IDs.
        let fixed = yaml.replacingOccurrences(of: " ${missing}", with: "").replacingOccurrences(
            of: "life: soon", with: "life: 130")
        let plan = try #require(
            PlanBuilder.compile([SourceFile(name: "large.yaml", text: fixed)], environment: [:]).plan)
        #expect(plan.models.count == count)
        for index in 0..<count {
            let id = "m" + String(repeating: "0", count: 3 - String(index).count) + String(index)
            let model = try #require(plan.models[id])
            #expect(model.port?.offline == 7000 + index)
            #expect(
                model.argv(port: model.port?.offline) == [
                    "/opt/server", "--port", "\(7000 + index)", "--size", "\(index)",
                ])
            #expect(model.ttl == (index == 120 ? 130 : index + 10))
            #expect(model.locks.strip == ["min_p", "top_p"])
        }
        let again = try #require(
            PlanBuilder.compile([SourceFile(name: "large.yaml", text: fixed)], environment: [:]).plan)
        #expect(again == plan)
    }

    @Test("a comma list gets one span per name, columns counted in characters")
    func splitListColumns() {
        let yaml = "models:\n  m:\n    cmd: x\n    filters:\n      stripParams: \"é_a,  top_p ,,min_p\"\n"
        let result = ConfigChecker.check([SourceFile(name: "t.yaml", text: yaml)], environment: [:])
        let strip = result.config?.models.first?.filters?.stripParams ?? []
        #expect(strip.map(\.value) == ["é_a", "top_p", "min_p"])
        #expect(strip.map(\.span.start.column) == [21, 27, 35])
        #expect(strip.map(\.span.end.column) == [24, 32, 40])
    }

    @Test("whitespace trimming keeps inner text and multi-byte characters")
    func trimming() {
        #expect(" \t héllo wörld\r\n".trimmingWhitespace() == "héllo wörld")
        #expect("   ".trimmingWhitespace() == "")
        #expect("x".trimmingWhitespace() == "x")
        #expect("ü ".trimmingWhitespace() == "ü")
    }

    @Test("parsing on another thread composes the same tree and diagnostics as inline")
    func pipelinedComposeMatchesInline() {
        let large = Self.largeConfig(count: 700)
        #expect(large.utf8.count > YAMLComposer.pipelineThreshold)
        let broken = large + "  late:\n    cmd: [unclosed\n"
        let duplicated = large + "  m001:\n    cmd: again\n"
        for text in [large, broken, duplicated] {
            let source = SourceFile(name: "large.yaml", text: text)
            let inline = YAMLComposer.compose(source, pipelined: false)
            let pipelined = YAMLComposer.compose(source, pipelined: true)
            #expect(inline.root == pipelined.root)
            #expect(inline.diagnostics == pipelined.diagnostics)
        }
        let brokenResult = YAMLComposer.compose(SourceFile(name: "large.yaml", text: broken), pipelined: true)
        #expect(brokenResult.diagnostics.map(\.code) == [.yamlSyntax])
        let duplicateResult = YAMLComposer.compose(SourceFile(name: "large.yaml", text: duplicated), pipelined: true)
        #expect(duplicateResult.diagnostics.map(\.code) == [.duplicateKey])
    }

    @Test("a large plan, its models written on several cores, prints as the reference renderer does")
    func largePlanRendersLikeReference() throws {
        let yaml = Self.largeConfig(count: 150).replacingOccurrences(of: " ${missing}", with: "")
            .replacingOccurrences(of: "life: soon", with: "life: 130")
        let plan = try #require(
            PlanBuilder.compile([SourceFile(name: "large.yaml", text: yaml)], environment: [:]).plan)
        #expect(plan.models.count >= ParallelMap.threshold)
        for format in PlanRenderer.Format.allCases {
            let text = PlanRenderer.render(plan, format: format)
            #expect(text == (try ReferencePlanRenderer.render(plan, format: format)))
            #expect(PlanRenderer.renderUTF8(plan, format: format) == Array(text.utf8))
            var streamed: [UInt8] = []
            var pieces = 0
            PlanRenderer.render(plan, format: format) { piece in
                streamed += piece
                pieces += 1
            }
            #expect(streamed == Array(text.utf8))
            #expect(pieces > 1, "the document is larger than the streaming buffer, so it goes out in pieces")
        }
    }
}
