import Foundation
import SwapTestSupport
import Testing

/// Hostile and unlucky clients against a real swap-server: slow and silent
/// connections, too many of them, descriptors running out, SIGTERM with a stream in
/// flight, malformed bodies, and secrets on every route that shows the config.
@Suite("swap-server hardening", .serialized)
struct ServerHardeningTests {
    typealias T = ServerIntegrationTests

    static let oneModel = """
        startPort: {START_PORT}
        models:
          m:
            cmd: {FAKE} --port ${PORT}
        """

    /// CPU seconds (user + system) `pid` has used, from /proc/PID/stat.
    static func cpuSeconds(_ pid: pid_t) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based).
        let ticks = Double(fields[11])! + Double(fields[12])!
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Runs blocking socket reads on a thread of their own, so that they never hold one
    /// of the few threads of Swift's concurrency pool that the other tests run on.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Test connections handed to ``onThread(_:)``: each is used by one thread at a time.
    struct Connections: @unchecked Sendable {
        var list: [RawHTTPConnection] = []
    }

    @Test("slowloris: connections that send headers byte by byte are closed after --header-timeout; others are served")
    func slowloris() async throws {
        // A write to a connection the server has closed must fail, not kill the test.
        signal(SIGPIPE, SIG_IGN)
        try await ServerHarness.withServer(config: Self.oneModel, arguments: ["--header-timeout", "1"]) { server in
            var slow = Connections()
            defer { slow.list.forEach { $0.close() } }
            for _ in 0..<50 {
                let connection = try RawHTTPConnection(port: server.port, timeout: 10)
                try connection.send(Array("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8))
                slow.list.append(connection)
            }
            #expect(try await TestHTTP.send("GET", server.base + "/health").status == 200)
            let connections = slow
            let started = ContinuousClock.now
            let closed = try await Self.onThread {
                // Trickle a byte every 200 ms past the timeout: bytes must not extend it.
                while ContinuousClock.now - started < .milliseconds(1500) {
                    for connection in connections.list { try? connection.send(Array("a".utf8)) }
                    Thread.sleep(forTimeInterval: 0.2)
                }
                return connections.list.filter { (try? $0.peerClosed()) == true }.count
            }
            #expect(closed == 50, "every slow connection was closed")
            #expect(ContinuousClock.now - started < .seconds(8))
            #expect(try await T.chat(server, "m").status == 200, "a normal request is served afterwards")
        }
    }

    @Test("an idle kept-alive connection is closed after --idle-timeout; a silent new one after --header-timeout")
    func idleConnections() async throws {
        try await ServerHarness.withServer(
            config: Self.oneModel, arguments: ["--idle-timeout", "1", "--header-timeout", "1"]
        ) { server in
            let connections = Connections(list: [
                try RawHTTPConnection(port: server.port, timeout: 10),
                try RawHTTPConnection(port: server.port, timeout: 10),
            ])
            defer { connections.list.forEach { $0.close() } }
            let (status, keptClosed, silentClosed) = try await Self.onThread {
                let (kept, silent) = (connections.list[0], connections.list[1])
                try kept.send(RawHTTPConnection.get("/health"))
                let status = try kept.readResponse().status
                return (status, try kept.peerClosed(), try silent.peerClosed())
            }
            #expect(status == 200)
            #expect(keptClosed, "closed after the idle timeout")
            #expect(silentClosed, "closed after the header timeout")
        }
    }

    @Test("a body that stops arriving is cut after --body-timeout")
    func stalledBody() async throws {
        try await ServerHarness.withServer(config: Self.oneModel, arguments: ["--body-timeout", "1"]) { server in
            let connections = Connections(list: [try RawHTTPConnection(port: server.port, timeout: 10)])
            defer { connections.list.forEach { $0.close() } }
            let closed = try await Self.onThread {
                let connection = connections.list[0]
                try connection.send(
                    Array(
                        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\""
                            .utf8))
                // The server may answer (the body read failed) before it closes.
                _ = try? connection.readResponse()
                return (try? connection.peerClosed()) == true
            }
            #expect(closed)
        }
    }

    @Test("--max-connections: one connection over the cap gets a 503 in OpenAI's shape and is closed")
    func connectionCap() async throws {
        try await ServerHarness.withServer(config: Self.oneModel, arguments: ["--max-connections", "3"]) { server in
            var open: [RawHTTPConnection] = []
            defer { open.forEach { $0.close() } }
            for _ in 0..<3 {
                let connection = try RawHTTPConnection(port: server.port)
                try connection.send(RawHTTPConnection.get("/health"))
                #expect(try connection.readResponse().status == 200)
                open.append(connection)
            }
            let extra = try RawHTTPConnection(port: server.port)
            defer { extra.close() }
            let refused = try extra.readResponse()
            #expect(refused.status == 503)
            #expect((refused.json?["error"] as? [String: Any])?["code"] as? String == "too_many_connections")
            open.removeLast().close()
            let served = await Polling.eventually(within: .seconds(5), every: .milliseconds(50)) {
                (try? await TestHTTP.send("GET", server.base + "/health").status) == 200
            }
            #expect(served, "a slot frees when a connection closes")
        }
    }

    @Test("descriptors run out: the server backs off, stays alive and idle, and serves again once they free")
    func descriptorExhaustion() async throws {
        try await ServerHarness.withServer(config: Self.oneModel) { server in
            #expect(try await T.chat(server, "m").status == 200)
            // Lower the running server's limit: a few descriptors above what it has open.
            let used = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.pid)/fd").count
            let limit = used + 8
            let prlimit = Process()
            prlimit.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            prlimit.arguments = ["--pid", String(server.pid), "--nofile=\(limit):\(limit)"]
            try prlimit.run()
            prlimit.waitUntilExit()
            #expect(prlimit.terminationStatus == 0)
            var held: [RawHTTPConnection] = []
            defer { held.forEach { $0.close() } }
            for _ in 0..<40 { held.append(try RawHTTPConnection(port: server.port, timeout: 3)) }
            // Accept fails with EMFILE now. CPU the server uses over the next while:
            let before = try Self.cpuSeconds(server.pid)
            let wallStart = ContinuousClock.now
            _ = await Polling.eventually(within: .seconds(3), every: .milliseconds(500)) { false }
            let spent = try Self.cpuSeconds(server.pid) - before
            let wall = ContinuousClock.now - wallStart
            #expect(
                Polling.isAlive(Int(server.pid)),
                "swap-server ended; its output:\n\(server.output.all.suffix(40).joined(separator: "\n"))")
            #expect(spent < 0.5, "used \(spent) s of CPU in \(wall) with descriptors exhausted: it must not spin")
            print("descriptor exhaustion: \(spent) s of CPU in \(wall)")
            held.forEach { $0.close() }
            held.removeAll()
            let served = await Polling.eventually(within: .seconds(10), every: .milliseconds(200)) {
                (try? await T.chat(server, "m").status) == 200
            }
            #expect(served, "requests are served again once descriptors free")
            let idleBefore = try Self.cpuSeconds(server.pid)
            _ = await Polling.eventually(within: .seconds(2), every: .milliseconds(500)) { false }
            let idleSpent = try Self.cpuSeconds(server.pid) - idleBefore
            #expect(idleSpent < 0.3, "idle afterwards: \(idleSpent) s of CPU in 2 s")
            print("afterwards: \(idleSpent) s of CPU in 2 s")
        }
    }

    @Test("SIGTERM with a stalled stream: exits within --shutdown-grace plus a margin, backends gone")
    func boundedShutdown() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              m:
                cmd: {FAKE} --port ${PORT} --token-delay-ms 600000
            """
        try await ServerHarness.withServer(config: config, arguments: ["--shutdown-grace", "2"]) { server in
            let stream = Task {
                try await TestHTTP.stream(
                    server.base + "/v1/chat/completions",
                    json: ["model": "m", "stream": true, "messages": [["role": "user", "content": "hi"]]],
                    timeout: .seconds(60))
            }
            defer { stream.cancel() }
            var backend = 0
            let started = await Polling.eventually(within: .seconds(30), every: .milliseconds(100)) {
                backend = (try? await T.running(server))?["m"] ?? 0
                return backend > 0
            }
            #expect(started)
            let signalled = ContinuousClock.now
            kill(server.pid, SIGTERM)
            let exited = await Polling.eventually(within: .seconds(8), every: .milliseconds(50)) {
                !Polling.isAlive(Int(server.pid))
            }
            let took = ContinuousClock.now - signalled
            #expect(exited, "swap-server still runs \(took) after SIGTERM")
            #expect(took < .seconds(6), "grace 2 s + 4 s margin; took \(took)")
            print("SIGTERM to exit with a stalled stream, grace 2 s: \(took)")
            #expect(!Polling.isAlive(backend), "the backend is gone")
        }
    }

    @Test("a body shorter than its Content-Length is a 400 in the one error shape")
    func shortBody() async throws {
        try await ServerHarness.withServer(config: Self.oneModel) { server in
            let connection = try RawHTTPConnection(port: server.port)
            defer { connection.close() }
            try connection.send(
                Array(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\": \"m\"}"
                        .utf8))
            connection.finishSending()
            let response = try connection.readResponse()
            #expect(response.status == 400)
            let error = response.json?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "bad_request")
            #expect(error?["type"] as? String == "invalid_request_error")
        }
    }

    @Test("a JSON body with two `model` keys is a 400")
    func duplicateModel() async throws {
        try await ServerHarness.withServer(config: Self.oneModel) { server in
            let connection = try RawHTTPConnection(port: server.port)
            defer { connection.close() }
            let body = #"{"model": "m", "messages": [], "model": "other"}"#
            try connection.send(
                Array(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                        .utf8))
            let response = try connection.readResponse()
            #expect(response.status == 400)
            #expect((response.json?["error"] as? [String: Any])?["message"] as? String != nil)
            #expect(try await T.running(server).isEmpty, "no model was started for it")
        }
    }

    @Test("/v1/messages errors swap makes (401, 404, 400) are in Anthropic's shape; other paths keep OpenAI's")
    func anthropicShape() async throws {
        let config = Self.oneModel + "\napiKeys: [\"k1\"]\n"
        try await ServerHarness.withServer(config: config) { server in
            let key = [("x-api-key", "k1")]
            let body: [String: Any] = [
                "model": "nope", "max_tokens": 5, "messages": [["role": "user", "content": "hi"]],
            ]
            for path in ["/v1/messages", "/v1/messages/count_tokens"] {
                let unauthorized = try await TestHTTP.send("POST", server.base + path, json: body)
                #expect(unauthorized.status == 401)
                #expect(unauthorized.json?["type"] as? String == "error")
                #expect((unauthorized.json?["error"] as? [String: Any])?["type"] as? String == "authentication_error")
                let missing = try await TestHTTP.send("POST", server.base + path, json: body, headers: key)
                #expect(missing.status == 404)
                let error = missing.json?["error"] as? [String: Any]
                #expect(error?["type"] as? String == "not_found_error")
                #expect((error?["message"] as? String)?.contains("nope") == true)
            }
            let openAI = try await TestHTTP.send("POST", server.base + "/v1/chat/completions", json: body, headers: key)
            #expect(openAI.status == 404)
            #expect((openAI.json?["error"] as? [String: Any])?["code"] as? String == "model_not_found")
        }
    }

    @Test("secrets: /api/config/plan, /running and /logs show env names, not values, nor flag or ${env} secrets")
    func secrets() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              m:
                cmd: /bin/sh -c 'exec "$0" --port "$1"' {FAKE} ${PORT} --api-key sk-flag-secret-1 --hf-token=hf-inline-secret-2 ${env.SWAP_TEST_ENV_SECRET}
                env:
                  - "BACKEND_PASSWORD=env-value-secret-3"
            """
        try await ServerHarness.withServer(
            config: config, environment: ["SWAP_TEST_ENV_SECRET": "from-env-secret-4"]
        ) { server in
            #expect(try await T.chat(server, "m").status == 200)
            let secrets = ["sk-flag-secret-1", "hf-inline-secret-2", "env-value-secret-3", "from-env-secret-4"]
            let plan = try await TestHTTP.send("GET", server.base + "/api/config/plan")
            #expect(plan.status == 200)
            #expect(plan.body.contains("BACKEND_PASSWORD="), "the variable's name is shown")
            #expect(plan.body.contains("--api-key"))
            for path in ["/api/config/plan", "/running", "/logs"] {
                let reply = try await TestHTTP.send("GET", server.base + path)
                #expect(reply.status == 200)
                for secret in secrets {
                    #expect(!reply.body.contains(secret), "\(path) shows \(secret)")
                }
            }
            let logs = try await TestHTTP.send("GET", server.base + "/logs")
            #expect(logs.body.contains("--api-key <redacted>"), "the start log names the flag")
        }
    }
}
