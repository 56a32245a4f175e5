import ConfigLang
import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// `sendLoadingState` against a real swap-server and a slow-starting fake backend.
@Suite("sendLoadingState", .serialized)
struct LoadingStateTests {
    static let config = """
        startPort: {START_PORT}
        sendLoadingState: true
        models:
          slow:
            cmd: {FAKE} --port ${PORT} --start-delay-ms 1600
          quiet:
            cmd: {FAKE} --port ${PORT} --start-delay-ms 200
            sendLoadingState: false
        """

    /// The `reasoning_content` and `content` of each `data:` event of `text`, with its `id`.
    static func events(_ text: String) -> [(id: String, reasoning: String?, content: String?)] {
        text.components(separatedBy: "\n\n").compactMap { event in
            guard event.hasPrefix("data: "), let data = event.dropFirst(6).data(using: .utf8),
                let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            else { return nil }
            let delta = ((json["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]) ?? [:]
            return (json["id"] as? String ?? "", delta["reasoning_content"] as? String, delta["content"] as? String)
        }
    }

    @Test("a streaming chat request that starts the model gets progress, then the model's stream on one response")
    func progressThenStream() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let body: [String: Any] = [
                "model": "slow", "stream": true, "messages": [["role": "user", "content": "hi"]],
            ]
            let reply = try await TestHTTP.stream(server.base + "/v1/chat/completions", json: body)
            #expect(reply.status == 200)
            let text = reply.chunks.map(\.1).joined()
            let events = Self.events(text)
            let loading = events.filter { $0.id == LoadingState.chunkID }
            let progress = loading.compactMap(\.reasoning).joined()
            #expect(progress.hasPrefix("━━━━━\nswap loading model: slow\n"), "\(progress)")
            #expect(progress.contains("."), "a dot every 750 ms during a 1.6 s load: \(progress)")
            #expect(progress.contains("Done! ("))
            #expect(progress.hasSuffix("━━━━━\n "))
            let model = events.filter { $0.id != LoadingState.chunkID }
            #expect(!model.isEmpty, "the model's own chunks follow")
            #expect(model.allSatisfy { $0.reasoning == nil })
            #expect(text.hasSuffix("data: [DONE]\n\n"))
            // The first event arrives before the model is ready: it is the loading header.
            #expect(Self.events(reply.chunks.first?.1 ?? "").first?.id == LoadingState.chunkID)

            // Once the model is ready, no progress.
            let again = try await TestHTTP.stream(server.base + "/v1/chat/completions", json: body)
            #expect(!again.chunks.map(\.1).joined().contains(LoadingState.chunkID))
        }
    }

    @Test("no progress for a model that turns it off, nor for a request that does not stream")
    func onlyWhereAsked() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let quiet = try await TestHTTP.stream(
                server.base + "/v1/chat/completions",
                json: ["model": "quiet", "stream": true, "messages": [["role": "user", "content": "hi"]]])
            #expect(quiet.status == 200)
            #expect(!quiet.chunks.map(\.1).joined().contains(LoadingState.chunkID))
            let whole = try await ServerIntegrationTests.chat(server, "slow")
            #expect(whole.status == 200)
            #expect(whole.json?["object"] as? String == "chat.completion")
        }
    }

    @Test("the plan carries sendLoadingState per model, the global value as default")
    func planField() throws {
        let result = PlanBuilder.compile(
            [
                SourceFile(
                    name: "t.yaml",
                    text: """
                        sendLoadingState: true
                        models:
                          a:
                            cmd: /bin/server --port ${PORT}
                          b:
                            cmd: /bin/server --port ${PORT}
                            sendLoadingState: false
                        """)
            ], environment: [:])
        let plan = try #require(result.plan)
        #expect(plan.models["a"]?.sendLoadingState == true)
        #expect(plan.models["b"]?.sendLoadingState == nil)
        #expect(!result.diagnostics.contains { $0.code == .notImplemented }, "the key acts now")
    }
}
