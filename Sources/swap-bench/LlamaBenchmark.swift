import AsyncHTTPClient
import Foundation
import NIOCore
import SwapTestSupport

/// The same cold-start and swap measurements against a real llama.cpp `llama-server`
/// serving Gemma 3 270M (from `scripts/setup-llama.sh`'s cache); skipped with a note
/// when the cache is missing.
enum LlamaBenchmark {
    static var cache: URL {
        if let path = ProcessInfo.processInfo.environment["SWAP_CACHE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swap")
    }

    static func command(server: String, model: String, context: Int, port: String) -> [String] {
        [
            server, "--host", "127.0.0.1", "--port", port, "-m", model, "--ctx-size", String(context), "-np", "1",
            "--threads", "2",
        ]
    }

    static func run(report: inout [String]) async throws {
        let server = cache.appendingPathComponent("bin/llama-server").path
        let model = cache.appendingPathComponent("models/gemma3-270m-q4_k_m.gguf").path
        guard FileManager.default.isExecutableFile(atPath: server), FileManager.default.fileExists(atPath: model) else {
            report.append("| real llama-server | not measured: run scripts/setup-llama.sh first | | |")
            return
        }
        let line = { (context: Int) in
            command(server: server, model: model, context: context, port: "${PORT}").joined(separator: " ")
        }
        let config = """
            healthCheckTimeout: 120
            startPort: {START_PORT}
            models:
              small:
                cmd: \(line(512))
              large:
                cmd: \(line(1024))
            groups:
              pair:
                swap: true
                members: [small, large]
            """
        let out = SendableBox<[String]>([])
        try await HTTPClient.withClient { client in
            try await ServerHarness.withServer(config: config) { swap in
                let url = swap.base + "/v1/chat/completions"
                var through: [Double] = []
                var healthy: [Double] = []
                var answered: [Double] = []
                for _ in 0..<5 {
                    _ = try await TestHTTP.send("POST", swap.base + "/api/models/unload")
                    while (try await TestHTTP.send("GET", swap.base + "/running").body).contains("\"small\"") {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    let start = ContinuousClock.now
                    _ = try await SwapBenchmark.post(client, url, model: "small", maxTokens: 1)
                    through.append((ContinuousClock.now - start).milliseconds)
                    _ = try await TestHTTP.send("POST", swap.base + "/api/models/unload")
                    while (try await TestHTTP.send("GET", swap.base + "/running").body).contains("\"small\"") {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    let own = try await ownStartup(server: server, model: model, client: client)
                    healthy.append(own.healthy)
                    answered.append(own.answered)
                }
                let t = Stats(through)
                let h = Stats(healthy)
                let a = Stats(answered)
                var lines = [
                    "| cold start, real llama-server + Gemma 3 270M (5 runs each, interleaved; max_tokens 1) | llama-server spawned alone: healthy p50 \(ms(h.p50)) ms, the same first request answered p50 \(ms(a.p50)) ms | cold request through swap-server p50 \(ms(t.p50)) ms | difference of p50s **\(ms(t.p50 - a.p50)) ms**; runs spread \(ms(a.lowest))–\(ms(a.highest)) ms alone, \(ms(t.lowest))–\(ms(t.highest)) ms through swap-server |"
                ]
                _ = try await SwapBenchmark.post(client, url, model: "small", maxTokens: 1)
                var swaps: [Double] = []
                for _ in 0..<3 {
                    let start = ContinuousClock.now
                    _ = try await SwapBenchmark.post(client, url, model: "large", maxTokens: 1)
                    _ = try await SwapBenchmark.post(client, url, model: "small", maxTokens: 1)
                    swaps.append((ContinuousClock.now - start).milliseconds)
                }
                let s = Stats(swaps)
                lines.append(
                    "| swap A→B→A, real llama-server (3 rounds, max_tokens 1) | one cold start and first answer alone p50 \(ms(a.p50)) ms | A→B→A p50 **\(ms(s.p50)) ms** | ratio to two cold starts \(String(format: "%.2f", s.p50 / (2 * a.p50))) |"
                )
                out.value = lines
            }
        }
        report += out.value
    }

    /// llama-server spawned directly: the time to a 200 on `/health` (polled every
    /// millisecond with plain sockets), and to the answer of the same first request
    /// swap-server's cold path sends, sent right after (llama-server's own first-request
    /// warm-up is then in both sides of the comparison).
    static func ownStartup(server: String, model: String, client: HTTPClient) async throws -> (
        healthy: Double, answered: Double
    ) {
        let port = try ServerHarness.freePort()
        let start = ContinuousClock.now
        let arguments = Array(command(server: server, model: model, context: 512, port: String(port)).dropFirst())
        return try await ProcessRunner.withProcess(server, arguments) {
            while ContinuousClock.now - start < .seconds(120) {
                if ProxyBenchmark.healthOK(port: port) {
                    let healthy = (ContinuousClock.now - start).milliseconds
                    _ = try await SwapBenchmark.post(
                        client, "http://127.0.0.1:\(port)/v1/chat/completions", model: "small", maxTokens: 1)
                    return (healthy, (ContinuousClock.now - start).milliseconds)
                }
                try await Task.sleep(for: .milliseconds(1))
            }
            throw HarnessError("llama-server did not become healthy")
        }
    }
}
