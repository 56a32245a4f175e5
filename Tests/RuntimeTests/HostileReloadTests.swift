import Foundation
import SwapTestSupport
import Testing

/// Issue 20: a running swap-server with a live stream receives each hostile config by
/// `--watch-config` and by `POST /api/config/reload`. Each reload is rejected with the
/// shape's diagnostic, the stream completes, the old plan keeps serving, and the
/// server's resident memory stays bounded.
@Suite("hostile configs by hot reload", .serialized)
struct HostileReloadTests {
    typealias T = ServerIntegrationTests
    typealias R = ReloadIntegrationTests

    /// alpha's stream lasts 2.4 s: long enough for `/running` polls to see it in flight on a
    /// loaded machine.
    static let config = """
        startPort: {START_PORT}
        models:
          alpha:
            cmd: {FAKE} --port ${PORT} --model-name alpha --tokens 6 --token-delay-ms 400
        """

    /// The server's resident set in MiB, from /proc.
    static func residentMiB(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// Requests of `model` in flight now, as `/running` reports them.
    static func inFlight(_ server: RunningServer, _ model: String) async throws -> Int {
        let reply = try await TestHTTP.send("GET", server.base + "/running")
        let list = reply.json?["running"] as? [[String: Any]] ?? []
        return list.first { $0["model"] as? String == model }?["inFlight"] as? Int ?? 0
    }

    /// Delivers every shape to `server` by `deliver` while a stream runs.
    static func survivesEveryShape(
        _ server: RunningServer, watching: Bool, deliver: (RunningServer, HostileConfigs.Shape) async throws -> Void
    ) async throws {
        #expect(try await T.chat(server, "alpha").status == 200)
        // With a watcher, its start-up attempt must be counted before ours.
        let plan = try await (watching ? R.settled(server) : R.status(server)).planHash
        for shape in HostileConfigs.all() {
            let before = try await R.status(server).attempts
            let url = server.base + "/v1/chat/completions"
            async let stream = TestHTTP.stream(url, json: ["model": "alpha", "stream": true, "messages": []])
            #expect(
                await T.eventually { (try? await Self.inFlight(server, "alpha")) ?? 0 > 0 },
                "\(shape): the stream was admitted before the reload")
            try await deliver(server, shape)
            #expect(
                await T.eventually(seconds: 20) { (try? await R.status(server).attempts) ?? 0 > before },
                "\(shape): no reload attempt was recorded")
            let status = try await R.status(server)
            #expect(!status.success, "\(shape)")
            #expect(status.diagnostics.contains { $0["code"] as? String == shape.code }, "\(shape)")
            #expect(status.planHash == plan, "\(shape): the old plan must keep serving")
            let streamed = try await stream
            #expect(
                streamed.status == 200 && streamed.chunks.map(\.1).joined().contains("[DONE]"),
                "\(shape): the live stream must complete")
            #expect(try await T.chat(server, "alpha").status == 200, "\(shape)")
            let resident = residentMiB(server.pid)
            #expect(resident > 0 && resident < 300, "\(shape): \(resident) MiB resident after the reload")
        }
    }

    @Test("every hostile shape arriving by --watch-config is rejected while a stream completes")
    func byWatch() async throws {
        try await ServerHarness.withServer(config: Self.config, arguments: ["--watch-config"]) { server in
            try await Self.survivesEveryShape(server, watching: true) { server, shape in
                try shape.text.write(to: server.configURL, atomically: true, encoding: .utf8)
            }
        }
    }

    @Test("every hostile shape arriving by POST /api/config/reload is rejected while a stream completes")
    func byAPI() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            try await Self.survivesEveryShape(server, watching: false) { server, shape in
                try shape.text.write(to: server.configURL, atomically: false, encoding: .utf8)
                let reply = try await TestHTTP.send("POST", server.base + "/api/config/reload")
                #expect(reply.status == 200, "\(shape)")
                #expect(reply.json?["success"] as? Bool == false, "\(shape)")
            }
        }
    }
}
