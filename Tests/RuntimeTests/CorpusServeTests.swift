import ConfigLang
import Foundation
import SwapTestSupport
import Testing

/// Every corpus config llama-swap loads (`compile` in the corpus's `EXPECTED.tsv`, with
/// the environment that file gives; read in place) runs under swap-server with every
/// model's `cmd` replaced by the fake backend, and serves a chat request for three of
/// its models (the first three IDs that have a command).
@Suite("every corpus config serves", .serialized)
struct CorpusServeTests {
    typealias T = ServerIntegrationTests

    /// `EXPECTED.tsv`'s `compile` rows: file name → the environment it needs.
    static let expected: [String: [String: String]] = {
        let url = TestPaths.corpus.appendingPathComponent("EXPECTED.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var result: [String: [String: String]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 2, columns[1] == "compile" else { continue }
            var environment: [String: String] = [:]
            for pair in (columns.count > 2 ? columns[2] : "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { environment[parts[0]] = parts[1] }
            }
            result[columns[0]] = environment
        }
        return result
    }()

    static var files: [String] { expected.keys.sorted() }

    @Test("EXPECTED.tsv lists the configs llama-swap loads", .enabled(if: TestPaths.corpusExists || TestPaths.isCI))
    func listRead() {
        #expect(Self.files.count >= 50, "\(Self.files.count) configs")
    }

    @Test(
        "corpus config serves three of its models with fake backends",
        .enabled(if: TestPaths.corpusExists || TestPaths.isCI, "corpus not found"),
        arguments: CorpusServeTests.files)
    func serves(_ file: String) async throws {
        let text = try String(contentsOf: TestPaths.corpus.appendingPathComponent(file), encoding: .utf8)
        let extra = Self.expected[file] ?? [:]
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let compiled = PlanBuilder.compile([SourceFile(name: file, text: text)], environment: environment)
        let plan = try #require(compiled.plan, "\(file): \(compiled.diagnostics.map(\.message))")
        let rewritten = try CorpusRewriter.replacingCommands(in: text, name: file)
        let served = rewritten.replacingOccurrences(of: "{FAKE}", with: ServerHarness.fakeBackend)
            .replacingOccurrences(of: "{START_PORT}", with: "20000")
        let check = PlanBuilder.compile([SourceFile(name: file, text: served)], environment: environment)
        try #require(
            check.plan != nil,
            "\(file) with fake backends: \(check.diagnostics.map { "\($0.code.rawValue) \($0.span.start.line): \($0.message)" })"
        )
        let chosen = plan.models.values.filter { !$0.argvTemplate.isEmpty }.map(\.id).sorted().prefix(3)
        try #require(!chosen.isEmpty, "\(file) has no model with a command")
        let headers = plan.settings.apiKeys.first.map { [("Authorization", "Bearer \($0)")] } ?? []
        try await ServerHarness.withServer(config: rewritten, environment: extra) { server in
            for id in chosen {
                let reply = try await TestHTTP.send(
                    "POST", server.base + "/v1/chat/completions",
                    json: ["model": id, "messages": [["role": "user", "content": "hi"]]], headers: headers)
                #expect(reply.status == 200, "\(file): \(id): \(reply.body.prefix(300))")
                #expect(reply.json?["object"] as? String == "chat.completion", "\(file): \(id)")
            }
        }
    }
}
