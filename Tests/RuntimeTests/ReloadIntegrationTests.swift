import Foundation
import Synchronization
import SwapTestSupport
import Testing

@testable import Runtime

/// Hot reload end to end: real inotify on real files, a real swap-server, real backends.
@Suite("hot reload integration", .serialized)
struct ReloadIntegrationTests {
    typealias T = ServerIntegrationTests

    static let base = """
        startPort: {START_PORT}
        models:
          alpha:
            cmd: {FAKE} --port ${PORT} --model-name alpha --tokens 6 --token-delay-ms 150
            filters:
              setParams: {temperature: 0.1}
          beta:
            cmd: {FAKE} --port ${PORT} --model-name beta --tokens 6 --token-delay-ms 150
        groups:
          both:
            swap: false
            exclusive: false
            members: [alpha, beta]
        """

    struct Status {
        let applied: Int
        let attempts: Int
        let success: Bool
        let diagnostics: [[String: Any]]
        let planHash: String
    }

    static func status(_ server: RunningServer) async throws -> Status {
        let json = try await TestHTTP.send("GET", server.base + "/api/config/status").json ?? [:]
        let last = json["lastAttempt"] as? [String: Any] ?? [:]
        return Status(
            applied: json["applied"] as? Int ?? -1, attempts: json["attempts"] as? Int ?? -1,
            success: last["success"] as? Bool ?? false, diagnostics: last["diagnostics"] as? [[String: Any]] ?? [],
            planHash: json["planHash"] as? String ?? "")
    }

    /// Waits for the watcher's start-up reload, so counts start from a settled state.
    static func settled(_ server: RunningServer) async throws -> Status {
        _ = await T.eventually { (try? await status(server).attempts ?? 0) ?? 0 >= 1 }
        return try await status(server)
    }

    /// Performs `edit`, then waits for the debounce and some margin and returns how many
    /// plans were applied meanwhile.
    static func appliedAfter(_ server: RunningServer, _ edit: () throws -> Void) async throws -> Int {
        let before = try await settled(server).applied
        try edit()
        _ = await T.eventually(seconds: 5) { (try? await status(server).applied ?? before) ?? before > before }
        try await Task.sleep(for: .milliseconds(600))
        return try await status(server).applied - before
    }

    @Test("each editor style causes exactly one reload and the new plan is active")
    func editStyles() async throws {
        try await ServerHarness.withServer(config: Self.base, arguments: ["--watch-config"]) { server in
            let path = server.configURL.path
            let directory = server.directory.path
            var version = 0
            func next() -> String {
                version += 1
                return Self.base.replacingOccurrences(of: "{FAKE}", with: ServerHarness.fakeBackend)
                    .replacingOccurrences(of: "temperature: 0.1", with: "temperature: 0.\(version + 1)")
                    .replacingOccurrences(of: "startPort: {START_PORT}", with: "startPort: \(Self.portLine(path))")
            }
            func move(_ from: String, _ to: String) throws {
                guard rename(from, to) == 0 else { throw HarnessError("rename \(from) failed") }
            }
            func remove(_ file: String) throws {
                guard unlink(file) == 0 else { throw HarnessError("unlink \(file) failed") }
            }
            // In-place write (truncate + write).
            let inPlace = try await Self.appliedAfter(server) {
                try next().write(toFile: path, atomically: false, encoding: .utf8)
            }
            #expect(inPlace == 1)
            // Write a temp file, rename it over the config (most editors).
            let renamed = try await Self.appliedAfter(server) {
                try next().write(toFile: directory + "/.config.yaml.tmp", atomically: false, encoding: .utf8)
                try move(directory + "/.config.yaml.tmp", path)
            }
            #expect(renamed == 1)
            // sed -i: ./sedXXXXXX then rename.
            let sed = try await Self.appliedAfter(server) {
                try next().write(toFile: directory + "/sedAb12Cd", atomically: false, encoding: .utf8)
                try move(directory + "/sedAb12Cd", path)
            }
            #expect(sed == 1)
            // vim (backupcopy=no): rename to config.yaml~, write new, delete the backup.
            let vim = try await Self.appliedAfter(server) {
                try move(path, path + "~")
                try next().write(toFile: path, atomically: false, encoding: .utf8)
                try remove(path + "~")
            }
            #expect(vim == 1)
            // Delete, then create again.
            let recreated = try await Self.appliedAfter(server) {
                try remove(path)
                try next().write(toFile: path, atomically: false, encoding: .utf8)
            }
            #expect(recreated == 1)
            // Same bytes again: nothing.
            let same = try String(contentsOfFile: path, encoding: .utf8)
            let unchanged = try await Self.appliedAfter(server) {
                try same.write(toFile: path, atomically: false, encoding: .utf8)
            }
            #expect(unchanged == 0)
            // The new plan is active: the last edit's lock reaches the backend.
            let reply = try await T.chat(server, "alpha", extra: ["temperature": 2])
            #expect(((reply.json?["echo"] as? [String: Any])?["temperature"] as? Double) == Double("0.\(version + 1)"))
        }
    }

    /// The startPort line currently in the file (kept across edits).
    static func portLine(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("startPort:") } ?? "startPort: 5800"
        return line.dropFirst("startPort:".count).trimmingCharacters(in: .whitespaces)
    }

    @Test("a lock-only edit applies to the next request with no restart")
    func liveLockEdit() async throws {
        try await ServerHarness.withServer(config: Self.base, arguments: ["--watch-config"]) { server in
            let first = try await T.chat(server, "alpha", extra: ["temperature": 2])
            #expect(((first.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 0.1)
            let pid = try #require(try await T.running(server)["alpha"])
            let text = try String(contentsOf: server.configURL, encoding: .utf8)
            #expect(
                try await Self.appliedAfter(server) {
                    try text.replacingOccurrences(of: "temperature: 0.1", with: "temperature: 0.7")
                        .write(to: server.configURL, atomically: false, encoding: .utf8)
                } == 1)
            let second = try await T.chat(server, "alpha", extra: ["temperature": 2])
            #expect(((second.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 0.7)
            #expect(try await T.running(server)["alpha"] == pid, "same process: no restart")
        }
    }

    @Test("a broken edit keeps the old plan, status shows diagnostics with positions, fixing it reloads")
    func brokenEdit() async throws {
        try await ServerHarness.withServer(config: Self.base, arguments: ["--watch-config"]) { server in
            let good = try String(contentsOf: server.configURL, encoding: .utf8)
            let before = try await Self.settled(server)
            try (good + "\n  - this is not valid yaml: [\n").write(
                to: server.configURL, atomically: false, encoding: .utf8)
            #expect(
                await T.eventually(seconds: 5) { (try? await Self.status(server).attempts ?? 0) ?? 0 > before.attempts }
            )
            let broken = try await Self.status(server)
            #expect(!broken.success)
            #expect(broken.planHash == before.planHash, "still serving the old plan")
            let first = try #require(broken.diagnostics.first)
            #expect((first["line"] as? Int ?? 0) > 10 && (first["column"] as? Int ?? 0) >= 1)
            #expect(first["code"] as? String == "SL101")
            #expect(try await T.chat(server, "alpha").status == 200, "old plan serves")
            let metrics = try await TestHTTP.send("GET", server.base + "/metrics").body
            #expect(metrics.contains("swap_config_last_reload_success 0"))
            #expect(metrics.contains("swap_model_requests_total{model=\"alpha\",status=\"200\"}"))
            let fixed = good.replacingOccurrences(of: "temperature: 0.1", with: "temperature: 0.3")
            try fixed.write(to: server.configURL, atomically: false, encoding: .utf8)
            #expect(await T.eventually(seconds: 5) { (try? await Self.status(server).success) ?? false })
            let reply = try await T.chat(server, "alpha", extra: ["temperature": 2])
            #expect(((reply.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 0.3)
            let healed = try await TestHTTP.send("GET", server.base + "/metrics").body
            #expect(healed.contains("swap_config_last_reload_success 1"))
            #expect(MetricsTests.value(healed, #"swap_config_reloads_total{result="failed"}"#) == 1)
            #expect((MetricsTests.value(healed, #"swap_config_reloads_total{result="applied"}"#) ?? 0) >= 1)
        }
    }

    @Test(
        "changing B's cmd leaves A (same PID, stream intact), drains B's stream, restarts B; a request to B during the drain succeeds"
    )
    func drainOnlyChangedModel() async throws {
        try await ServerHarness.withServer(config: Self.base, arguments: ["--watch-config"]) { server in
            let before = try await Self.settled(server).applied
            #expect(try await T.chat(server, "alpha").status == 200)
            #expect(try await T.chat(server, "beta").status == 200)
            let running = try await T.running(server)
            let alphaPID = try #require(running["alpha"])
            let betaPID = try #require(running["beta"])
            let url = server.base + "/v1/chat/completions"
            async let streamA = TestHTTP.stream(url, json: ["model": "alpha", "stream": true, "messages": []])
            async let streamB = TestHTTP.stream(url, json: ["model": "beta", "stream": true, "messages": []])
            // Both streams are in flight before the edit.
            #expect(
                await T.eventually {
                    let list =
                        (try? await TestHTTP.send("GET", server.base + "/running").json?["running"]) as? [[String: Any]]
                    return (list ?? []).filter { ($0["inFlight"] as? Int ?? 0) >= 1 }.count == 2
                })
            let text = try String(contentsOf: server.configURL, encoding: .utf8)
            try text.replacingOccurrences(of: "--model-name beta --tokens 6", with: "--model-name beta2 --tokens 6")
                .write(to: server.configURL, atomically: false, encoding: .utf8)
            // The new plan is in place once it is counted; B's 0.9 s stream is still draining.
            #expect(await T.eventually(seconds: 10) { (try? await Self.status(server).applied) ?? before > before })
            let duringDrain = try await T.chat(server, "beta")
            let (a, b) = try await (streamA, streamB)
            #expect(a.status == 200 && a.chunks.map(\.1).joined().contains("[DONE]"), "A's stream untouched")
            #expect(b.status == 200 && b.chunks.map(\.1).joined().contains("[DONE]"), "B's stream finished")
            #expect(b.chunks.map(\.1).joined().contains("\"model\":\"beta\""), "B's stream came from the old process")
            #expect(duringDrain.status == 200)
            #expect(duringDrain.json?["model"] as? String == "beta2", "the request during the drain reached the new B")
            let after = try await T.running(server)
            #expect(after["alpha"] == alphaPID, "A kept its process")
            #expect(after["beta"] != nil && after["beta"] != betaPID, "B was restarted")
            #expect(try await T.metric(server, #"swap_model_unloads_total{model="beta",reason="reload"}"#) == 1)
            #expect(try await T.metric(server, #"swap_model_unloads_total{model="alpha",reason="reload"}"#) == nil)
        }
    }
}
