import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import SwapTestSupport

/// The hot-reload load test: clients send continuous requests (streaming and not) to
/// three models while the config is rewritten `edits` times with a mix of live, process
/// and broken edits. Counts failed client requests, measures change-to-active latency
/// (file written → new plan hash visible), and checks that no backend process is left
/// that does not belong to the final plan.
enum ReloadLoadBenchmark {
    static func config(marker: String, version: Int, processVersion: Int) -> String {
        """
        healthCheckTimeout: 30
        startPort: {START_PORT}
        models:
          m1:
            cmd: {FAKE} --port ${PORT} --model-name \(marker)-m1-v\(processVersion % 3) --tokens 3 --token-delay-ms 5
            filters:
              setParams: {temperature: 0.\(version % 10)}
          m2:
            cmd: {FAKE} --port ${PORT} --model-name \(marker)-m2 --tokens 3
            ttl: \(60 + version % 7)
          m3:
            cmd: {FAKE} --port ${PORT} --model-name \(marker)-m3-v\(processVersion % 2) --tokens 3 --token-delay-ms 5
        groups:
          all:
            swap: false
            exclusive: false
            members: [m1, m2, m3]
        """
    }

    static func run(edits: Int, report: inout [String]) async throws {
        let marker = "swapbench\(UInt32.random(in: 1000...99999))"
        let startPort = try ServerHarness.freePort()
        let text: @Sendable (Int, Int) -> String = { version, process in
            config(marker: marker, version: version, processVersion: process)
                .replacingOccurrences(of: "{FAKE}", with: ServerHarness.fakeBackend)
                .replacingOccurrences(of: "{START_PORT}", with: String(startPort))
        }
        let results = SendableBox<[String]>([])
        try await ServerHarness.withServer(config: text(0, 0), arguments: ["--watch-config"]) { server in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let counts = Locked((ok: 0, failed: 0, failures: [String]()))
            let stop = Locked(false)
            for model in ["m1", "m2", "m3"] {
                _ = try await TestHTTP.send("POST", server.base + "/v1/chat/completions", json: ["model": model])
            }
            let clients = Task {
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<6 {
                        group.addTask {
                            var n = 0
                            while !stop.withLock({ $0 }) {
                                n += 1
                                let model = ["m1", "m2", "m3"][(worker + n) % 3]
                                let stream = (worker + n) % 2 == 0
                                do {
                                    var request = HTTPClientRequest(url: server.base + "/v1/chat/completions")
                                    request.method = .POST
                                    request.headers.add(name: "content-type", value: "application/json")
                                    let body: [String: Any] = ["model": model, "stream": stream, "messages": []]
                                    request.body = .bytes(
                                        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
                                    let response = try await client.execute(request, timeout: .seconds(60))
                                    let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                                    let good =
                                        response.status == .ok && (!stream || text.contains("[DONE]"))
                                        && !text.contains("\"error\"")
                                    counts.withLock {
                                        if good {
                                            $0.ok += 1
                                        } else {
                                            $0.failed += 1
                                            $0.failures.append("\(model) \(response.status.code) \(text.prefix(200))")
                                        }
                                    }
                                } catch {
                                    counts.withLock {
                                        $0.failed += 1
                                        $0.failures.append("\(model) \(error)")
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var latencies: [Double] = []
            var kinds = (live: 0, process: 0, broken: 0)
            var version = 0
            var process = 0
            for edit in 0..<edits {
                let kind = edit % 5
                let before = try await statusHash(server)
                let start = ContinuousClock.now
                if kind == 4 {
                    kinds.broken += 1
                    try (text(version, process) + "\n  bad: [unclosed\n").write(
                        to: server.configURL, atomically: false, encoding: .utf8)
                    try await Task.sleep(for: .milliseconds(300))
                    continue
                }
                version += 1
                if kind == 2 {
                    process += 1
                    kinds.process += 1
                } else {
                    kinds.live += 1
                }
                try text(version, process).write(to: server.configURL, atomically: false, encoding: .utf8)
                while try await statusHash(server) == before {
                    if ContinuousClock.now - start > .seconds(10) {
                        throw HarnessError("edit \(edit) never became active")
                    }
                    try await Task.sleep(for: .milliseconds(2))
                }
                latencies.append((ContinuousClock.now - start).milliseconds)
                try await Task.sleep(for: .milliseconds(150))
            }
            try await Task.sleep(for: .seconds(1))
            stop.withLock { $0 = true }
            await clients.value
            try await Task.sleep(for: .seconds(1))
            try? await client.shutdown()
            let running =
                try await TestHTTP.send("GET", server.base + "/running").json?["running"] as? [[String: Any]] ?? []
            let planPIDs = Set(running.compactMap { $0["pid"] as? Int })
            let alive = processes(containing: marker)
            let leftovers = alive.subtracting(planPIDs)
            let stats = Stats(latencies)
            let (ok, failed, failures) = counts.withLock { ($0.ok, $0.failed, $0.failures) }
            var out = [
                "| reload under load: \(edits) edits (\(kinds.live) live, \(kinds.process) process, \(kinds.broken) broken), 6 clients, 3 models | client requests: \(ok) ok, **\(failed) failed** | change-to-active p50 **\(ms(stats.p50)) ms**, p99 \(ms(stats.p99)) ms (includes the 100 ms debounce) | backend processes not in the final plan: **\(leftovers.count)** |"
            ]
            if !failures.isEmpty { out.append("first failures: " + failures.prefix(5).joined(separator: "; ")) }
            results.value = out
        }
        report += results.value
    }

    static func statusHash(_ server: RunningServer) async throws -> String {
        try await TestHTTP.send("GET", server.base + "/api/config/status").json?["planHash"] as? String ?? ""
    }

    /// PIDs of live (non-zombie) processes whose command line contains `marker`.
    static func processes(containing marker: String) -> Set<Int> {
        var result = Set<Int>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: data, as: UTF8.self).contains(marker),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
            else { continue }
            result.insert(pid)
        }
        return result
    }
}

/// A value behind a mutex, shareable between tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<T>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
