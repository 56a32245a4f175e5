import ArgumentParser
import Foundation
import Hummingbird

/// A fake OpenAI-compatible inference backend for swap's tests, benchmarks and README demo.
///
/// It behaves like a tiny llama-server: a `/health` endpoint, chat/text completions with
/// OpenAI `usage` and llama.cpp `timings`, `/v1/responses` and `/v1/messages` in the
/// Responses and Anthropic shapes (each complete or streamed as SSE), embeddings and a
/// model list, plus knobs that make it
/// misbehave on purpose. Every response to a completion carries `"echo"` (the request body
/// as received) and `"echo_headers"` so tests can see exactly what a proxy forwarded.
///
/// Flags:
/// - `--port N` (required; 0 picks a free port) and `--host ADDR` (default `127.0.0.1`).
/// - `--model-name NAME` (default `fake-model`): the `model` reported everywhere.
/// - `--start-delay-ms MS`: sleep before binding, so health polls see "connection refused"
///   during a simulated model load.
/// - `--fail-health`: `GET /health` always answers 503.
/// - `--ignore-sigterm`: SIGTERM is ignored (to test SIGKILL escalation). Without it SIGTERM
///   exits 0 promptly: graceful drain, cut short after 2 s.
/// - `--tokens N` (default 8): completion tokens `tok0 tok1 …` per request.
/// - `--token-delay-ms MS` (default 0): pause between streamed token chunks.
/// - `--answer-delay-ms MS` (default 0): pause before answering a completion at all.
/// - `--crash-after-chunks N`: exit(3) after writing N SSE data chunks of a stream.
/// - `--exit-after-ms MS`: exit(4) MS after process start (before or after it is listening).
///
/// Stdout gets `fake-backend: listening on HOST:PORT (model NAME, pid P)` once the socket is
/// bound, then one unbuffered line per request, e.g.
/// `fake-backend: POST /v1/chat/completions stream=true`.
@main
struct FakeBackend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-backend",
        abstract: "A fake OpenAI-compatible backend for testing swap."
    )

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Model name reported in responses and /v1/models.")
    var modelName = "fake-model"

    @Option(help: "Milliseconds to wait before binding the socket (simulated model load).")
    var startDelayMs = 0

    @Flag(help: "Answer GET /health with 503 forever.")
    var failHealth = false

    @Flag(help: "Ignore SIGTERM so only SIGKILL stops the process.")
    var ignoreSigterm = false

    @Option(help: "Completion tokens generated per request.")
    var tokens = 8

    @Option(help: "Milliseconds between streamed token chunks.")
    var tokenDelayMs = 0

    @Option(help: "Milliseconds to wait before answering a completion (before its response head).")
    var answerDelayMs = 0

    @Option(help: "Exit with status 3 after writing this many SSE chunks of a stream.")
    var crashAfterChunks: Int?

    @Option(help: "Exit with status 4 this many milliseconds after starting.")
    var exitAfterMs: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port).") }
        guard tokens >= 0 else { throw ValidationError("--tokens must not be negative.") }
        guard startDelayMs >= 0, tokenDelayMs >= 0, answerDelayMs >= 0 else {
            throw ValidationError("--start-delay-ms, --token-delay-ms and --answer-delay-ms must not be negative.")
        }
        if let crashAfterChunks, crashAfterChunks < 1 {
            throw ValidationError("--crash-after-chunks must be at least 1.")
        }
        if let exitAfterMs, exitAfterMs < 0 { throw ValidationError("--exit-after-ms must not be negative.") }
    }

    func run() async throws {
        let terminationSource = ignoreSigterm ? nil : ProcessControl.installTerminationDeadline()
        if ignoreSigterm { ProcessControl.ignoreSIGTERM() }
        if let exitAfterMs { ProcessControl.scheduleExit(afterMilliseconds: exitAfterMs) }
        if startDelayMs > 0 {
            StandardOutput.log("loading for \(startDelayMs) ms (--start-delay-ms)")
            try await Task.sleep(for: .milliseconds(startDelayMs))
        }

        let behavior = BackendBehavior(
            modelName: modelName,
            failHealth: failHealth,
            tokens: tokens,
            tokenDelayMilliseconds: tokenDelayMs,
            answerDelayMilliseconds: answerDelayMs,
            crashAfterChunks: crashAfterChunks
        )
        let host = host
        let modelName = modelName
        let app = Application(
            responder: FakeResponder(behavior: behavior),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "fake-backend"),
            onServerRunning: { channel in
                ProcessControl.isServing.store(true, ordering: .releasing)
                let boundPort = channel.localAddress?.port ?? 0
                StandardOutput.log(
                    "listening on \(host):\(boundPort) (model \(modelName), pid \(ProcessInfo.processInfo.processIdentifier))"
                )
            }
        )
        try await app.runService(gracefulShutdownSignals: ignoreSigterm ? [.sigint] : [.sigterm, .sigint])
        terminationSource?.cancel()
        StandardOutput.log("stopped")
    }
}
