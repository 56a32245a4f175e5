import Foundation
import SwapTestSupport
import Testing

extension EndToEndTests {
    /// The same GGUF twice with different context sizes, in one swap group.
    static func swapPairConfig(_ llama: LlamaConfig) -> String {
        llama.yaml(
            [.init(name: "gemma-512", contextSize: 512), .init(name: "gemma-1024", contextSize: 1024)],
            groups: """
                groups:
                  gemmas:
                    swap: true
                    members: [gemma-512, gemma-1024]
                """)
    }

    @Test(
        "two models in one swap group swap back and forth, each generating for real",
        .timeLimit(.minutes(5)))
    func swapBackAndForth() async throws {
        let config = Self.swapPairConfig(try Self.llama())
        try await Self.withLlamaServer(config: config) { server, seen in
            var previous: (model: String, pid: Int)?
            for (model, contextSize) in [
                ("gemma-512", 512), ("gemma-1024", 1024), ("gemma-512", 512), ("gemma-1024", 1024),
            ] {
                let reply = try await LlamaClient.chat(server, model, prompt: Self.prompt, maxTokens: 8)
                #expect(reply.status == 200, "\(model): \(reply.body)")
                #expect(reply.completionTokens > 0, "\(model) generated tokens: \(reply.body)")
                #expect(!reply.text.isEmpty, "\(model) generated text")

                let running = try await LlamaClient.running(server)
                seen.record(running)
                #expect(Set(running.keys) == [model], "only the requested model runs after the swap")
                let backend = try #require(running[model])
                #expect(backend.state == "ready")
                #expect(
                    try await LlamaClient.contextSize(server, model) == contextSize,
                    "the llama-server behind \(model) runs with its own --ctx-size")
                if let previous {
                    #expect(backend.pid != previous.pid)
                    #expect(
                        await LlamaClient.eventually { !LlamaClient.processExists(previous.pid) },
                        "\(previous.model)'s llama-server (pid \(previous.pid)) was stopped by the swap")
                }
                previous = (model, backend.pid)
            }
        }
    }
}
