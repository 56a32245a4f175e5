import ConfigLang
import Foundation
import Subprocess
import SwapTestSupport
import Testing

@testable import Runtime

/// `/metrics`, memory per model, `/api/version`, `/api/hardware`, `/api/performance` and
/// the stdout log settings, against a real swap-server and fake backends.
@Suite("observability", .serialized)
struct ObservabilityIntegrationTests {
    typealias T = ServerIntegrationTests

    static let key = [("Authorization", "Bearer sk-observe")]

    static let config = """
        startPort: {START_PORT}
        apiKeys: [sk-observe]
        performance:
          every: 1s
        models:
          alpha:
            cmd: {FAKE} --port ${PORT} --model-name alpha
        """

    static func get(_ server: RunningServer, _ path: String) async throws -> TestHTTP.Reply {
        try await TestHTTP.send("GET", server.base + path, headers: key)
    }

    static func metrics(_ server: RunningServer) async throws -> String {
        try await get(server, "/metrics").body
    }

    /// `promtool check metrics` on `text`: its exit status and what it printed.
    static func promtool(_ text: String) async throws -> (ok: Bool, output: String) {
        let result = try await Subprocess.run(
            .name("promtool"), arguments: ["check", "metrics"], input: .string(text), output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20))
        return (result.terminationStatus.isSuccess, result.standardOutput + result.standardError)
    }

    @Test("/metrics passes promtool, counts a 401, a load and an API unload; memory per model is non-zero")
    func metricsAndMemory() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            #expect(try await TestHTTP.send("GET", server.base + "/metrics").status == 401)
            let reply = try await TestHTTP.send(
                "POST", server.base + "/v1/chat/completions",
                json: ["model": "alpha", "messages": [["role": "user", "content": "hi"]]], headers: Self.key)
            #expect(reply.status == 200)

            // Sampled on a timer (every 5 s), not per request.
            var memory: [String: Any] = [:]
            let sampled = try await T.eventually(seconds: 15) {
                let running = try await Self.get(server, "/running").json?["running"] as? [[String: Any]] ?? []
                memory = running.first?["memory"] as? [String: Any] ?? [:]
                return (memory["rss_bytes"] as? Int ?? 0) > 0
            }
            #expect(sampled, "/running shows the backend's resident memory")
            #expect(memory["swap_bytes"] is Int)
            #expect(memory["gpu_bytes"] is NSNull, "no nvidia-smi on this machine")

            let text = try await Self.metrics(server)
            let check = try await Self.promtool(text)
            #expect(check.ok, "promtool check metrics: \(check.output)")
            #expect(
                (MetricsTests.value(text, #"swap_model_resident_memory_bytes{model="alpha"}"#) ?? 0) > Double(1 << 20))
            #expect(MetricsTests.value(text, #"swap_model_loads_total{model="alpha",result="success"}"#) == 1)
            #expect(MetricsTests.value(text, #"swap_model_load_seconds_count{model="alpha"}"#) == 1)
            #expect(
                MetricsTests.value(text, #"swap_model_requests_rejected_total{model="",cause="unauthorized"}"#) == 1)
            #expect(MetricsTests.value(text, #"swap_model_requests_total{model="alpha",status="200"}"#) == 1)
            let buildInfo = text.split(separator: "\n").filter { $0.hasPrefix("swap_build_info{") }
            let series = #"swap_build_info{version="\#(SwapVersion.current)",commit=""#
            #expect(buildInfo.count == 1 && buildInfo[0].hasPrefix(series))
            #expect(buildInfo.first.flatMap { MetricsTests.value(text, String($0.prefix { $0 != " " })) } == 1)
            #expect((MetricsTests.value(text, "process_cpu_seconds_total") ?? 0) > 0)

            let unload = try await TestHTTP.send("POST", server.base + "/api/models/unload", headers: Self.key)
            #expect(unload.status == 200)
            let counted = try await T.eventually(seconds: 10) {
                MetricsTests.value(
                    try await Self.metrics(server), #"swap_model_unloads_total{model="alpha",reason="api"}"#) == 1
            }
            #expect(counted, "the API unload is counted with its reason")
            let after = try await Self.metrics(server)
            #expect(try await Self.promtool(after).ok)
        }
    }

    @Test("/api/version, /api/hardware, /api/performance (with `after`, and 400 on a bad one)")
    func systemRoutes() async throws {
        try await ServerHarness.withServer(config: Self.config) { server in
            let version = try await Self.get(server, "/api/version").json ?? [:]
            #expect(version["version"] as? String == SwapVersion.current)
            // The StampBuild plugin's stamp: a commit hash ("unknown" outside a git checkout)
            // that swap_build_info carries too, and the build's time.
            let commit = try #require(version["commit"] as? String)
            #expect(commit == "unknown" || (commit.count == 40 && commit.allSatisfy(\.isHexDigit)))
            #expect(try await Self.metrics(server).contains(#"commit="\#(commit)""#))
            let built = try #require(version["build_date"] as? String)
            #expect((try? Date(built, strategy: .iso8601)) != nil, "build_date \(built) is not RFC 3339")

            let hardware = try await Self.get(server, "/api/hardware").json ?? [:]
            let cpu = hardware["cpu"] as? [String: Any] ?? [:]
            #expect((cpu["logical_thread_count"] as? Int ?? 0) >= 1)
            #expect(((hardware["memory"] as? [String: Any])?["capacity_bytes"] as? Int ?? 0) > 1 << 30)
            #expect((hardware["operating_system"] as? [String: Any])?["family"] as? String == "linux")

            var samples: [[String: Any]] = []
            let twoSamples = try await T.eventually(seconds: 10) {
                let performance = try await Self.get(server, "/api/performance").json ?? [:]
                samples = performance["sys_stats"] as? [[String: Any]] ?? []
                return samples.count >= 2
            }
            #expect(twoSamples, "every: 1s gives a sample a second")
            let first = samples.first ?? [:]
            #expect((first["mem_total_mb"] as? Int ?? 0) > 0)
            #expect((first["cpu_util_per_core"] as? [Double] ?? []).count == (cpu["logical_thread_count"] as? Int))
            #expect((first["net_io"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "lo" })
            let last = samples.last?["timestamp"] as? String ?? ""
            let newer = try await Self.get(server, "/api/performance?after=\(last)").json ?? [:]
            let newerStats = newer["sys_stats"] as? [[String: Any]] ?? []
            #expect(
                !newerStats.contains { $0["timestamp"] as? String == last },
                "only samples after \(last): \(newerStats.map { $0["timestamp"] ?? "" })")

            let bad = try await Self.get(server, "/api/performance?after=yesterday")
            #expect(bad.status == 400)
            #expect(bad.body.contains("`after`"))
        }
    }

    @Test("logToStdout: both and logTimeFormat: rfc3339 stamp the proxy's lines and the backends' output")
    func stdoutLog() async throws {
        let config = """
            startPort: {START_PORT}
            logToStdout: both
            logTimeFormat: rfc3339
            models:
              alpha:
                cmd: {FAKE} --port ${PORT} --model-name alpha
            """
        try await ServerHarness.withServer(config: config) { server in
            #expect(try await T.chat(server, "alpha").status == 200)
            let stamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) /#
            let shown = try await T.eventually(seconds: 10) {
                try Task.checkCancellation()
                return server.output.all.contains { $0.contains("fake-backend: listening on") }
            }
            #expect(shown, "the backend's output is copied to stdout")
            let lines = server.output.all
            let backend = lines.first { $0.contains("fake-backend: listening on") } ?? ""
            #expect(backend.contains(stamp), "stamped: \(backend)")
            let proxy = lines.first { $0.contains("swap-server listening on") } ?? ""
            #expect(proxy.contains(stamp), "stamped: \(proxy)")
        }
    }
}
