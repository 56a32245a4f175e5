import Foundation
import Synchronization
import SwapTestSupport

/// Requests to a swap-server fronting real llama-servers, and reads of its state.
enum LlamaClient {
    /// A generation can include a cold start of llama-server on a loaded 2-core machine.
    static let timeout: Int64 = 180

    /// One backend as `/running` reports it.
    struct RunningBackend: Sendable, Equatable {
        let state: String
        let pid: Int
        let port: Int
    }

    /// The answer of a non-streaming chat completion.
    struct Completion: Sendable {
        let status: Int
        let text: String
        let completionTokens: Int
        let body: String
    }

    /// Sends a chat completion for `model` with `prompt`, `max_tokens` and `extra` fields.
    static func chat(
        _ server: RunningServer, _ model: String, prompt: String = "Say hello.", maxTokens: Int = 8,
        extra: [String: Any] = [:]
    ) async throws -> Completion {
        var body: [String: Any] = [
            "model": model, "max_tokens": maxTokens,
            "messages": [["role": "user", "content": prompt]],
        ]
        body.merge(extra) { $1 }
        let reply = try await TestHTTP.send(
            "POST", server.base + "/v1/chat/completions", json: body, timeout: .seconds(timeout))
        let json = reply.json ?? [:]
        let choice = (json["choices"] as? [[String: Any]])?.first
        let text = (choice?["message"] as? [String: Any])?["content"] as? String ?? ""
        let tokens = (json["usage"] as? [String: Any])?["completion_tokens"] as? Int ?? 0
        return Completion(status: reply.status, text: text, completionTokens: tokens, body: reply.body)
    }

    /// `/running`, keyed by model ID.
    static func running(_ server: RunningServer) async throws -> [String: RunningBackend] {
        let reply = try await TestHTTP.send("GET", server.base + "/running")
        var result: [String: RunningBackend] = [:]
        for entry in reply.json?["running"] as? [[String: Any]] ?? [] {
            guard let model = entry["model"] as? String else { continue }
            result[model] = RunningBackend(
                state: entry["state"] as? String ?? "", pid: entry["pid"] as? Int ?? 0, port: entry["port"] as? Int ?? 0
            )
        }
        return result
    }

    /// The model IDs `/v1/models` lists.
    static func listedModels(_ server: RunningServer) async throws -> [String] {
        let reply = try await TestHTTP.send("GET", server.base + "/v1/models")
        return (reply.json?["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// llama-server's own `/props` for `model`, through swap's `/upstream/<model>/props`.
    static func props(_ server: RunningServer, _ model: String) async throws -> [String: Any] {
        let reply = try await TestHTTP.send(
            "GET", server.base + "/upstream/\(model)/props", timeout: .seconds(timeout))
        guard reply.status == 200, let json = reply.json else {
            throw HarnessError("GET /upstream/\(model)/props answered \(reply.status): \(reply.body)")
        }
        return json
    }

    /// The context size a running llama-server reports in `/props`.
    static func contextSize(_ server: RunningServer, _ model: String) async throws -> Int? {
        let props = try await props(server, model)
        return (props["default_generation_settings"] as? [String: Any])?["n_ctx"] as? Int
    }

    /// The text deltas of an SSE chat stream, in order.
    static func deltas(in text: String) -> [String] {
        var result: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("data: ") {
            let payload = line.dropFirst("data: ".count)
            guard payload != "[DONE]",
                let json = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
                let choice = (json["choices"] as? [[String: Any]])?.first,
                let content = (choice["delta"] as? [String: Any])?["content"] as? String, !content.isEmpty
            else { continue }
            result.append(content)
        }
        return result
    }

    /// The last `finish_reason` an SSE chat stream carries (`length` when it ran to
    /// `max_tokens`), or nil.
    static func finishReason(in text: String) -> String? {
        var reason: String?
        for line in text.split(separator: "\n") where line.hasPrefix("data: {") {
            let payload = line.dropFirst("data: ".count)
            guard let json = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
                let choice = (json["choices"] as? [[String: Any]])?.first,
                let value = choice["finish_reason"] as? String
            else { continue }
            reason = value
        }
        return reason
    }

    /// True while `pid` is a live process (a zombie waiting to be reaped counts as gone).
    static func processExists(_ pid: Int) -> Bool {
        Polling.isAlive(pid)
    }

    /// Polls `condition` every 100 ms for at most `seconds`.
    static func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        try await Polling.eventually(within: .milliseconds(Int(seconds * 1000)), every: .milliseconds(100), condition)
    }
}

/// Backend PIDs seen during a test, checked after the harness stopped swap-server so no
/// llama-server outlives its test.
final class SeenBackends: Sendable {
    private let pids = Mutex<Set<Int>>([])

    /// Records every PID in `running`.
    func record(_ running: [String: LlamaClient.RunningBackend]) {
        pids.withLock { $0.formUnion(running.values.map(\.pid).filter { $0 > 0 }) }
    }

    /// The recorded PIDs still alive after a grace period.
    func survivors() async -> [Int] {
        let all = pids.withLock { $0 }
        _ = await LlamaClient.eventually(seconds: 15) { all.allSatisfy { !LlamaClient.processExists($0) } }
        return all.filter(LlamaClient.processExists).sorted()
    }
}
