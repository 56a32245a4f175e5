import Foundation
import SwapTestSupport
import Testing

extension EndToEndTests {
    /// Two models that run side by side (a group that neither swaps nor excludes).
    static func sideBySideConfig(_ llama: LlamaConfig) -> String {
        llama.yaml(
            [.init(name: "steady", contextSize: 1024), .init(name: "edited", contextSize: 512)],
            groups: """
                groups:
                  both:
                    swap: false
                    exclusive: false
                    members: [steady, edited]
                """)
    }

    /// The number of plans applied so far (`/api/config/status`), once the watcher's
    /// start-up reload has settled.
    static func appliedPlans(_ server: RunningServer) async throws -> Int {
        func status() async throws -> [String: Any] {
            try await TestHTTP.send("GET", server.base + "/api/config/status").json ?? [:]
        }
        _ = await LlamaClient.eventually(seconds: 10) { ((try? await status())?["attempts"] as? Int ?? 0) >= 1 }
        return try await status()["applied"] as? Int ?? -1
    }

    /// Rewrites the config file in place with `from` replaced by `to`, and waits until
    /// swap-server has applied the new plan; returns when it was seen applied.
    static func edit(
        _ server: RunningServer, replacing from: String, with to: String
    ) async throws -> ContinuousClock.Instant {
        let before = try await appliedPlans(server)
        let text = try String(contentsOf: server.configURL, encoding: .utf8)
        #expect(text.components(separatedBy: from).count == 2, "the edit touches exactly one place")
        try text.replacingOccurrences(of: from, with: to).write(
            to: server.configURL, atomically: false, encoding: .utf8)
        let applied = try await LlamaClient.eventually(seconds: 15) { try await appliedPlans(server) > before }
        try #require(applied, "the edited config was applied")
        return ContinuousClock.now
    }

    /// Starts a long streamed generation on `model` (160 tokens, ignoring end of text).
    static func longStream(
        _ server: RunningServer, _ model: String
    ) async throws -> (status: Int, chunks: [(ContinuousClock.Instant, String)]) {
        try await TestHTTP.stream(
            server.base + "/v1/chat/completions",
            json: [
                "model": model, "stream": true, "max_tokens": 160, "ignore_eos": true,
                "messages": [["role": "user", "content": "Tell a long story about a lighthouse keeper."]],
            ], timeout: .seconds(LlamaClient.timeout))
    }

    /// Checks that a stream ran to its end and that it was still running at `instant`.
    static func expectComplete(
        _ result: (status: Int, chunks: [(ContinuousClock.Instant, String)]),
        overlapping instant: ContinuousClock.Instant
    ) {
        let text = result.chunks.map(\.1).joined()
        #expect(result.status == 200)
        #expect(text.contains("data: [DONE]"), "the generation was not cut: \(text.suffix(300))")
        #expect(!text.contains("\"error\""), "no error in the stream: \(text.suffix(300))")
        #expect(LlamaClient.finishReason(in: text) == "length", "it ran to max_tokens")
        #expect(LlamaClient.deltas(in: text).count >= 100, "the tokens arrived")
        if let last = result.chunks.last?.0 {
            #expect(last > instant, "the reload happened while the generation was still streaming")
        }
    }

    @Test(
        "editing one model's cmd while the other generates loses nothing; the edited model serves with the new cmd",
        .timeLimit(.minutes(5)))
    func reloadWhileOtherGenerates() async throws {
        let config = Self.sideBySideConfig(try Self.llama())
        try await Self.withLlamaServer(config: config, arguments: ["--watch-config"]) { server, seen in
            #expect(try await LlamaClient.chat(server, "edited").status == 200)
            #expect(try await LlamaClient.chat(server, "steady").status == 200)
            let before = try await LlamaClient.running(server)
            seen.record(before)
            let steadyPID = try #require(before["steady"]?.pid)
            let editedPID = try #require(before["edited"]?.pid)
            #expect(try await LlamaClient.contextSize(server, "edited") == 512)

            async let generation = Self.longStream(server, "steady")
            try await Task.sleep(for: .milliseconds(500))
            let reloaded = try await Self.edit(server, replacing: "--ctx-size 512", with: "--ctx-size 768")

            Self.expectComplete(try await generation, overlapping: reloaded)
            let after = try await LlamaClient.chat(server, "edited", prompt: Self.prompt)
            #expect(after.status == 200, "the edited model serves its next request: \(after.body)")
            #expect(after.completionTokens > 0)
            #expect(try await LlamaClient.contextSize(server, "edited") == 768, "it runs the new cmd")

            let now = try await LlamaClient.running(server)
            seen.record(now)
            #expect(now["steady"]?.pid == steadyPID, "the untouched model kept its process")
            #expect(now["edited"].map { $0.pid != editedPID } == true, "the edited model was restarted")
            #expect(await LlamaClient.eventually { !LlamaClient.processExists(editedPID) })
        }
    }

    @Test(
        "editing the cmd of the model that is generating drains it: the generation completes, then the new cmd serves",
        .timeLimit(.minutes(5)))
    func reloadOfGeneratingModel() async throws {
        let config = Self.sideBySideConfig(try Self.llama())
        try await Self.withLlamaServer(config: config, arguments: ["--watch-config"]) { server, seen in
            #expect(try await LlamaClient.chat(server, "steady").status == 200)
            let before = try await LlamaClient.running(server)
            seen.record(before)
            let oldPID = try #require(before["steady"]?.pid)

            async let generation = Self.longStream(server, "steady")
            try await Task.sleep(for: .milliseconds(500))
            let reloaded = try await Self.edit(server, replacing: "--ctx-size 1024", with: "--ctx-size 1280")

            Self.expectComplete(try await generation, overlapping: reloaded)
            let after = try await LlamaClient.chat(server, "steady", prompt: Self.prompt)
            #expect(after.status == 200, "\(after.body)")
            #expect(try await LlamaClient.contextSize(server, "steady") == 1280, "the new cmd serves")
            let now = try await LlamaClient.running(server)
            seen.record(now)
            #expect(now["steady"].map { $0.pid != oldPID } == true)
            #expect(await LlamaClient.eventually { !LlamaClient.processExists(oldPID) })
        }
    }
}
