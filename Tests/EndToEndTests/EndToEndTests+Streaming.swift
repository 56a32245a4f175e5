import Foundation
import SwapTestSupport
import Testing

extension EndToEndTests {
    @Test("a streamed chat arrives through swap token by token, spread in time", .timeLimit(.minutes(3)))
    func streamingTokenByToken() async throws {
        let config = try Self.llama().yaml([.init(name: "gemma", contextSize: 512)])
        try await Self.withLlamaServer(config: config) { server, seen in
            // Load first, so the stream measures generation rather than the cold start.
            #expect(try await LlamaClient.chat(server, "gemma").status == 200)
            seen.record(try await LlamaClient.running(server))

            let result = try await TestHTTP.stream(
                server.base + "/v1/chat/completions",
                json: [
                    "model": "gemma", "stream": true, "max_tokens": 24, "ignore_eos": true,
                    "messages": [["role": "user", "content": Self.prompt]],
                ], timeout: .seconds(LlamaClient.timeout))
            #expect(result.status == 200)
            let text = result.chunks.map(\.1).joined()
            #expect(text.contains("data: [DONE]"), "the stream ends properly")
            #expect(LlamaClient.deltas(in: text).count >= 8, "one SSE event per token: \(text.prefix(600))")

            // Chunks with content arrive separately, not as one buffered burst.
            let arrivals = result.chunks.filter { !LlamaClient.deltas(in: $0.1).isEmpty }.map(\.0)
            #expect(arrivals.count >= 4, "content came in \(arrivals.count) network chunks")
            if let first = arrivals.first, let last = arrivals.last {
                #expect(last - first > .milliseconds(20), "chunks spread over \(last - first)")
            }

            // The activity shows the stream's real token counts and speeds (llama-server's
            // `timings`): 24 generated tokens, a prompt, a generation speed.
            var row: [String: Any]?
            #expect(
                try await LlamaClient.eventually {
                    let reply = try await TestHTTP.send(
                        "GET", server.base + "/api/metrics/activity?limit=1&sort=id&order=desc")
                    row = (reply.json?["data"] as? [[String: Any]])?.first
                    return row?["resp_content_type"] as? String == "text/event-stream"
                })
            let tokens = row?["tokens"] as? [String: Any] ?? [:]
            #expect(tokens["output_tokens"] as? Int == 24, "\(tokens)")
            #expect((tokens["input_tokens"] as? Int ?? 0) > 0, "\(tokens)")
            #expect((tokens["tokens_per_second"] as? Double ?? 0) > 0, "\(tokens)")
            #expect((tokens["prompt_per_second"] as? Double ?? 0) > 0, "\(tokens)")
        }
    }
}
