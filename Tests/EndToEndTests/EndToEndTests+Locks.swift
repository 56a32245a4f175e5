import Foundation
import SwapTestSupport
import Testing

extension EndToEndTests {
    @Test(
        "a temperature lock makes sampling greedy whatever the client asks; an unlocked model follows the client",
        .timeLimit(.minutes(5)))
    func temperatureLock() async throws {
        let config = try Self.llama().yaml([
            .init(
                name: "locked", contextSize: 512,
                extra: [
                    "    filters:",
                    "      setParams:",
                    "        temperature: 0",
                ]),
            .init(name: "free", contextSize: 512),
        ])
        try await Self.withLlamaServer(config: config) { server, seen in
            func sample(_ model: String, seed: Int) async throws -> String {
                // No prompt cache, so every request computes the same logits the same way.
                let reply = try await LlamaClient.chat(
                    server, model, prompt: Self.prompt, maxTokens: 12,
                    extra: ["temperature": 1.5, "seed": seed, "cache_prompt": false])
                #expect(reply.status == 200, "\(model): \(reply.body)")
                #expect(!reply.text.isEmpty, "\(model) generated text: \(reply.body)")
                seen.record(try await LlamaClient.running(server))
                return reply.text
            }

            var locked: [String] = []
            for seed in [11, 22, 33] { locked.append(try await sample("locked", seed: seed)) }
            #expect(Set(locked).count == 1, "the lock pins temperature 0: \(locked)")

            var free: [String] = []
            for seed in [11, 22, 33, 44, 55] { free.append(try await sample("free", seed: seed)) }
            #expect(Set(free).count > 1, "temperature 1.5 with different seeds varies: \(free)")
        }
    }
}
