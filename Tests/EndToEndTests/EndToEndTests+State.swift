import Foundation
import SwapTestSupport
import Testing

extension EndToEndTests {
    @Test(
        "/v1/models and /running report the real llama-server: its pid, port, health and props",
        .timeLimit(.minutes(3)))
    func reportsRealBackendState() async throws {
        let llama = try Self.llama()
        let config = Self.swapPairConfig(llama)
        try await Self.withLlamaServer(config: config) { server, seen in
            #expect(Set(try await LlamaClient.listedModels(server)) == ["gemma-512", "gemma-1024"])
            #expect(try await LlamaClient.running(server).isEmpty, "nothing runs before the first request")

            #expect(try await LlamaClient.chat(server, "gemma-1024").status == 200)
            let running = try await LlamaClient.running(server)
            seen.record(running)
            let backend = try #require(running["gemma-1024"])
            #expect(backend.state == "ready")
            #expect(LlamaClient.processExists(backend.pid))
            let commandLine = (try? String(contentsOfFile: "/proc/\(backend.pid)/cmdline", encoding: .utf8)) ?? ""
            #expect(commandLine.contains("llama-server"), "pid \(backend.pid) is a llama-server: \(commandLine)")

            // The port /running names is the real llama-server's: ask it directly.
            let health = try await TestHTTP.send("GET", "http://127.0.0.1:\(backend.port)/health")
            #expect(health.status == 200, "llama-server /health: \(health.body)")
            let props = try await TestHTTP.send("GET", "http://127.0.0.1:\(backend.port)/props")
            #expect(props.status == 200)
            let settings = props.json?["default_generation_settings"] as? [String: Any]
            #expect(settings?["n_ctx"] as? Int == 1024, "props: \(props.body.prefix(400))")
            let modelPath = props.json?["model_path"] as? String
            #expect(modelPath == llama.assets.model, "the backend serves the cached GGUF")

            // Unloading through swap stops the real process and empties /running.
            let unload = try await TestHTTP.send("POST", server.base + "/api/models/unload/gemma-1024")
            #expect(unload.status == 200)
            #expect(try await LlamaClient.eventually { try await LlamaClient.running(server).isEmpty })
            #expect(await LlamaClient.eventually { !LlamaClient.processExists(backend.pid) })
        }
    }
}
