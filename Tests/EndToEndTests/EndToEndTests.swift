import Foundation
import SwapTestSupport
import Testing

/// swap-server in front of REAL llama.cpp `llama-server` processes running a real GGUF
/// model (Gemma 3 270M, Q4_K_M), as `scripts/setup-llama.sh` provides them.
///
/// The tests run one at a time (each starts real inference processes on a 2-core
/// machine), each within a time limit, and each checks afterwards that no llama-server
/// it saw outlives it. Without the cache they skip, saying how to enable them; under CI
/// they fail instead (see ``LlamaAssets``).
@Suite(
    "real llama.cpp backends end to end", .serialized,
    .enabled(if: LlamaAssets.shouldRun, LlamaAssets.skipReason))
struct EndToEndTests {
    /// Runs swap-server on `config` for `body` (see `ServerHarness.withServer`), then
    /// expects every backend PID that `body` recorded in `seen` to be gone.
    static func withLlamaServer(
        config: String, arguments: [String] = [],
        _ body: @Sendable (RunningServer, SeenBackends) async throws -> Void
    ) async throws {
        let seen = SeenBackends()
        do {
            try await ServerHarness.withServer(config: config, arguments: arguments) { server in
                do {
                    try await body(server, seen)
                } catch {
                    print("swap-server output:\n" + server.output.all.suffix(80).joined(separator: "\n"))
                    throw error
                }
            }
        }
        let survivors = await seen.survivors()
        #expect(survivors.isEmpty, "llama-server processes outlived swap-server: \(survivors)")
    }

    /// The assets and a config builder for them; throws (failing the test) when the
    /// cache is missing, which only happens here under CI.
    static func llama() throws -> LlamaConfig {
        LlamaConfig(assets: try LlamaAssets.require())
    }

    /// A prompt that makes the model produce varied text.
    static let prompt = "Write one sentence about the sea."
}
