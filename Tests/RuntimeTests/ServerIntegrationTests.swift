import Foundation
import Synchronization
import SwapTestSupport
import Testing

@testable import Runtime

/// swap-server end to end: real swap-server and fake-backend processes, real HTTP,
/// OS-chosen ports; every process is stopped when a test ends.
@Suite("swap-server integration", .serialized)
struct ServerIntegrationTests {
    static let twoModels = """
        healthCheckTimeout: 20
        startPort: {START_PORT}
        models:
          alpha:
            cmd: {FAKE} --port ${PORT} --model-name alpha --start-delay-ms 100
            aliases: [a]
          beta:
            cmd: {FAKE} --port ${PORT} --model-name beta --tokens 5 --token-delay-ms 150
            filters:
              setParams: {temperature: 0}
        groups:
          pair:
            swap: true
            members: [alpha, beta]
        """

    static func chat(_ server: RunningServer, _ model: String, extra: [String: Any] = [:]) async throws
        -> TestHTTP.Reply
    {
        var body: [String: Any] = ["model": model, "messages": [["role": "user", "content": "hi"]]]
        body.merge(extra) { $1 }
        return try await TestHTTP.send("POST", server.base + "/v1/chat/completions", json: body)
    }

    static func running(_ server: RunningServer) async throws -> [String: Int] {
        let reply = try await TestHTTP.send("GET", server.base + "/running")
        let list = reply.json?["running"] as? [[String: Any]] ?? []
        var result: [String: Int] = [:]
        for entry in list { result[entry["model"] as? String ?? ""] = entry["pid"] as? Int ?? 0 }
        return result
    }

    /// True while `pid` is a live process (a zombie waiting to be reaped counts as gone).
    static func processExists(_ pid: Int) -> Bool {
        Polling.isAlive(pid)
    }

    /// The value of the `/metrics` sample `series` (name and labels as exposed), or nil.
    static func metric(_ server: RunningServer, _ series: String) async throws -> Double? {
        MetricsTests.value(try await TestHTTP.send("GET", server.base + "/metrics").body, series)
    }

    /// Polls `condition` every 50 ms for at most `seconds`.
    static func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
        try await Polling.eventually(within: .milliseconds(Int(seconds * 1000)), every: .milliseconds(50), condition)
    }

    @Test("an idle model with a ttl reports the time left in /running; none while a request is in flight")
    func ttlRemaining() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              m:
                cmd: {FAKE} --port ${PORT} --tokens 4 --token-delay-ms 300
                ttl: 60
            """
        try await ServerHarness.withServer(config: config) { server in
            func entry() async throws -> [String: Any]? {
                let reply = try await TestHTTP.send("GET", server.base + "/running")
                return (reply.json?["running"] as? [[String: Any]])?.first { $0["model"] as? String == "m" }
            }
            async let streamed = TestHTTP.stream(
                server.base + "/v1/chat/completions", json: ["model": "m", "stream": true, "messages": []])
            let admitted = try await Self.eventually { (try await entry())?["inFlight"] as? Int == 1 }
            #expect(admitted, "the stream is in flight")
            let running = try await entry()
            #expect(running?["ttlRemainingMs"] == nil, "no countdown while a request runs")
            let status = try await streamed.status
            #expect(status == 200)
            let counting = try await Self.eventually {
                let left = try await entry()?["ttlRemainingMs"] as? Int ?? 0
                return left > 0 && left <= 60_000
            }
            #expect(counting, "idle: the ttl counts down from 60 s")
        }
    }

    @Test("cold start, proxied answer, locks in the echoed body, then a swap stops the first model")
    func coldStartAndSwap() async throws {
        try await ServerHarness.withServer(config: Self.twoModels) { server in
            let first = try await Self.chat(server, "a", extra: ["temperature": 1.5])
            #expect(first.status == 200)
            #expect((first.json?["model"] as? String) == "alpha")
            #expect(((first.json?["echo"] as? [String: Any])?["temperature"] as? Double) == 1.5)
            let alphaPID = try #require(try await Self.running(server)["alpha"])

            let second = try await Self.chat(server, "beta", extra: ["temperature": 1.5])
            #expect(second.status == 200)
            let echoed = (second.json?["echo"] as? [String: Any])?["temperature"] as? Double
            #expect(echoed == 0, "the lock replaces the client's temperature")
            let running = try await Self.running(server)
            #expect(running["alpha"] == nil && running["beta"] != nil)
            #expect(await Self.eventually { !Self.processExists(alphaPID) }, "alpha's process is gone")
            #expect(try await Self.metric(server, #"swap_model_unloads_total{model="alpha",reason="swap"}"#) == 1)
        }
    }

    @Test("404 with an OpenAI error body for an unknown model; 400 for a body that is not JSON")
    func errors() async throws {
        try await ServerHarness.withServer(config: Self.twoModels) { server in
            let reply = try await Self.chat(server, "no-such-model")
            #expect(reply.status == 404)
            let error = reply.json?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "model_not_found")
            #expect((error?["message"] as? String)?.contains("no-such-model") == true)
            let bad = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions", headers: [("content-type", "application/json")])
            #expect(bad.status == 400)
        }
    }

    @Test("streaming chunks arrive one by one, with X-Accel-Buffering: no")
    func streaming() async throws {
        try await ServerHarness.withServer(config: Self.twoModels) { server in
            let result = try await TestHTTP.stream(
                server.base + "/v1/chat/completions", json: ["model": "beta", "stream": true, "messages": []])
            #expect(result.status == 200)
            let text = result.chunks.map(\.1).joined()
            #expect(text.contains("data: [DONE]"))
            #expect(result.chunks.count >= 4, "5 tokens 150 ms apart must not arrive as one burst")
            if let first = result.chunks.first?.0, let last = result.chunks.last?.0 {
                #expect(last - first > .milliseconds(300))
            }
        }
    }

    @Test("a request that needs a swap waits while a stream on the other model finishes; both succeed")
    func swapWaitsForStream() async throws {
        try await ServerHarness.withServer(config: Self.twoModels) { server in
            _ = try await Self.chat(server, "beta")
            async let stream = TestHTTP.stream(
                server.base + "/v1/chat/completions", json: ["model": "beta", "stream": true, "messages": []])
            try await Task.sleep(for: .milliseconds(200))
            let swapped = try await Self.chat(server, "alpha")
            let streamed = try await stream
            #expect(swapped.status == 200)
            #expect(streamed.status == 200)
            #expect(streamed.chunks.map(\.1).joined().contains("[DONE]"), "the stream was not cut by the swap")
        }
    }

    @Test("429 with Retry-After over concurrencyLimit")
    func concurrencyLimit() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              slow:
                cmd: {FAKE} --port ${PORT} --tokens 6 --token-delay-ms 200
                concurrencyLimit: 1
            """
        try await ServerHarness.withServer(config: config) { server in
            _ = try await Self.chat(server, "slow")
            async let stream = TestHTTP.stream(
                server.base + "/v1/chat/completions", json: ["model": "slow", "stream": true, "messages": []])
            try await Task.sleep(for: .milliseconds(300))
            let rejected = try await Self.chat(server, "slow")
            #expect(rejected.status == 429)
            #expect(rejected.header("retry-after") != nil)
            #expect(try await stream.status == 200)
        }
    }

    @Test("TTL unloads an idle model")
    func ttl() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              brief:
                cmd: {FAKE} --port ${PORT}
                ttl: 1
            """
        try await ServerHarness.withServer(config: config) { server in
            #expect(try await Self.chat(server, "brief").status == 200)
            let pid = try #require(try await Self.running(server)["brief"])
            #expect(try await Self.eventually(seconds: 8) { try await Self.running(server).isEmpty })
            #expect(await Self.eventually { !Self.processExists(pid) })
            let unloads = #"swap_model_unloads_total{model="brief",reason="ttl"}"#
            #expect(
                try await Self.eventually { try await Self.metric(server, unloads) == 1 }, "counted as a TTL unload")
        }
    }

    @Test("a backend that crashes mid-stream gives the client an error; the next request restarts it")
    func crashMidStream() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              fragile:
                cmd: {FAKE} --port ${PORT} --tokens 10 --token-delay-ms 50 --crash-after-chunks 3
            """
        try await ServerHarness.withServer(config: config) { server in
            let result = try? await TestHTTP.stream(
                server.base + "/v1/chat/completions", json: ["model": "fragile", "stream": true, "messages": []])
            let text = result?.chunks.map(\.1).joined() ?? ""
            #expect(!text.contains("[DONE]"))
            #expect(result == nil || text.contains("\"error\""), "the client is told the stream failed")
            let next = try await Self.chat(server, "fragile")
            #expect(next.status == 200, "the next request starts the backend again")
            #expect(try await Self.metric(server, #"swap_model_crashes_total{model="fragile"}"#) == 1)
            #expect(try await Self.metric(server, #"swap_model_unloads_total{model="fragile",reason="crash"}"#) == 1)
            #expect(try await Self.metric(server, #"swap_model_loads_total{model="fragile",result="success"}"#) == 2)
        }
    }

    @Test("a backend ignoring SIGTERM is killed after unloadTimeout")
    func ignoresSigterm() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              stubborn:
                cmd: {FAKE} --port ${PORT} --ignore-sigterm
                unloadTimeout: 1
            """
        try await ServerHarness.withServer(config: config) { server in
            #expect(try await Self.chat(server, "stubborn").status == 200)
            let pid = try #require(try await Self.running(server)["stubborn"])
            let unload = try await TestHTTP.send("POST", server.base + "/api/models/unload/stubborn")
            #expect(unload.status == 200)
            #expect(await Self.eventually(seconds: 8) { !Self.processExists(pid) })
        }
    }

    @Test("kill -9 of swap-server leaves no backend running")
    func killNine() async throws {
        let recorded = Mutex(0)
        try await ServerHarness.withServer(config: Self.twoModels) { server in
            #expect(try await Self.chat(server, "alpha").status == 200)
            let pid = try #require(try await Self.running(server)["alpha"])
            recorded.withLock { $0 = pid }
            kill(server.pid, SIGKILL)
        }
        let backendPID = recorded.withLock { $0 }
        #expect(backendPID > 0)
        #expect(await Self.eventually(seconds: 10) { !Self.processExists(backendPID) })
    }
}
