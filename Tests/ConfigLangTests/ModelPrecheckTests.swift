import Foundation
import Testing

@testable import ConfigLang

/// Models checked and decoded while the file is parsed (``ModelPrecheck``) must give
/// exactly what checking them afterwards gives.
@Suite("models checked ahead")
struct ModelPrecheckTests {
    /// Checks `files` both ways and compares everything the checker returns.
    static func expectSameBothWays(_ files: [SourceFile], environment: [String: String] = [:]) {
        let ahead = ConfigChecker.check(files, environment: environment, checkModelsAhead: true)
        let after = ConfigChecker.check(files, environment: environment, checkModelsAhead: false)
        #expect(ahead.diagnostics == after.diagnostics)
        #expect(ahead.expandedModels == after.expandedModels)
        #expect((ahead.config == nil) == (after.config == nil))
        let aheadModels = ahead.config?.models ?? []
        let afterModels = after.config?.models ?? []
        #expect(aheadModels.map(\.id.value) == afterModels.map(\.id.value))
        for (one, other) in zip(aheadModels, afterModels) {
            #expect(one.node == other.node)
            #expect(one.id.span == other.id.span)
            #expect(one.cmd?.value == other.cmd?.value && one.cmd?.span == other.cmd?.span)
            #expect(one.aliases.map(\.value) == other.aliases.map(\.value))
            #expect(one.macros.map(\.name.value) == other.macros.map(\.name.value))
            #expect(one.ttl?.value == other.ttl?.value)
            #expect(one.filters?.setParams.map(\.key.value) == other.filters?.setParams.map(\.key.value))
        }
    }

    @Test(
        "examples and broken cases: the same diagnostics and models both ways", arguments: CompilePurposeTests.configs()
    )
    func sameForEveryCase(path: String) throws {
        let source = SourceFile(name: path, bytes: try TestPaths.bytes(URL(fileURLWithPath: path)))
        Self.expectSameBothWays([source], environment: BrokenCaseTests.environment)
    }

    @Test("a large file parsed on a second thread: the same both ways, and its models are checked ahead")
    func largeFile() {
        let yaml = ParallelCompileTests.largeConfig(count: 800)
        let source = SourceFile(name: "large.yaml", text: yaml)
        #expect(source.bytes.count >= YAMLComposer.pipelineThreshold)
        Self.expectSameBothWays([source])
        var precheck = ModelPrecheck()
        _ = YAMLComposer.compose(source, section: "models", into: &precheck)
        #expect(precheck.count == 800)
    }

    @Test("aliases, merges, duplicate IDs and env substitution among the models: the same both ways")
    func trickyModels() {
        let yaml = """
            models:
              base: &base
                cmd: server --port ${PORT}
                ttl: yes
              copy: *base
              <<: {merged: {cmd: other --port ${PORT}}}
              base:
                cmd: duplicate
              env-model:
                cmd: server --port ${PORT} --key ${env.SWAP_TEST_SET}
                unknownKey: 1
              null-model:
            """
        Self.expectSameBothWays([SourceFile(name: "tricky.yaml", text: yaml)], environment: ["SWAP_TEST_SET": "v"])
    }

    @Test("several files merged like --config-dir: the same both ways")
    func mergedFiles() {
        let first = SourceFile(name: "a.yaml", text: "models:\n  a:\n    cmd: x --port ${PORT}\n    ttl: -5\n")
        let second = SourceFile(name: "b.yaml", text: "models:\n  b:\n    cmd: y --port ${PORT}\n    bogus: 1\n")
        Self.expectSameBothWays([first, second])
    }

    @Test("only entries of the top-level section are handed out, each once")
    func sectionEntries() {
        let yaml = """
            macros:
              models: not-this
            models:
              a:
                models: {nested: 1}
              b: {cmd: x}
            groups:
              g: {members: [a]}
            """
        var names = EntryNames()
        _ = YAMLComposer.compose(SourceFile(name: "s.yaml", text: yaml), section: "models", into: &names)
        #expect(names.names == ["a", "b"])
    }
}
