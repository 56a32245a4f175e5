import AsyncHTTPClient
import Foundation
import NIOCore
import SwapTestSupport

/// Added latency of the proxy: the same small request sent straight to a backend and
/// through swap-server, interleaved, at concurrency 1 and 32; stream time to first
/// byte; and the coordinator's overhead on a cold start.
enum ProxyBenchmark {
    static let config = """
        healthCheckTimeout: 30
        startPort: {START_PORT}
        models:
          bench:
            cmd: {FAKE} --port ${PORT} --tokens 4
            concurrencyLimit: 64
          cold:
            cmd: {FAKE} --port ${PORT} --tokens 4
            ttl: 0
        groups:
          g:
            swap: false
            exclusive: false
            members: [bench, cold]
        """

    static var body: [String: Any] {
        ["model": "bench", "messages": [["role": "user", "content": "hi"]], "max_tokens": 4]
    }

    static func request(_ url: String, stream: Bool = false) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        var json = body
        if stream { json["stream"] = true }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        return request
    }

    /// Time from send to the end of the body.
    static func timeOne(_ client: HTTPClient, _ url: String) async throws -> Double {
        let start = ContinuousClock.now
        let response = try await client.execute(try request(url), timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw HarnessError("status \(response.status) from \(url)") }
        return (ContinuousClock.now - start).milliseconds
    }

    /// Time from send to the first body chunk of a stream.
    static func timeToFirstByte(_ client: HTTPClient, _ url: String) async throws -> Double {
        let start = ContinuousClock.now
        let response = try await client.execute(try request(url, stream: true), timeout: .seconds(30))
        var first: Double?
        for try await _ in response.body where first == nil {
            first = (ContinuousClock.now - start).milliseconds
        }
        return first ?? .nan
    }

    /// Interleaved direct/proxied samples at `concurrency`.
    static func interleaved(
        _ client: HTTPClient, direct: String, proxied: String, concurrency: Int, rounds: Int
    ) async throws -> (direct: Stats, proxied: Stats) {
        var directSamples: [Double] = []
        var proxiedSamples: [Double] = []
        for round in 0..<rounds {
            let viaProxyFirst = round % 2 == 0
            for target in viaProxyFirst ? [proxied, direct] : [direct, proxied] {
                let samples = try await withThrowingTaskGroup(of: Double.self) { group in
                    for _ in 0..<concurrency { group.addTask { try await timeOne(client, target) } }
                    return try await group.reduce(into: [Double]()) { $0.append($1) }
                }
                if target == proxied { proxiedSamples += samples } else { directSamples += samples }
            }
        }
        return (Stats(directSamples), Stats(proxiedSamples))
    }

    static func run(report: inout [String]) async throws {
        let lines = SendableBox<[String]>([])
        try await HTTPClient.withClient(
            configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64))
        ) { client in
            try await ServerHarness.withServer(config: config) { server in
                let proxied = server.base + "/v1/chat/completions"
                _ = try await timeOne(client, proxied)
                let running =
                    try await TestHTTP.send("GET", server.base + "/running").json?["running"] as? [[String: Any]] ?? []
                guard let port = running.first(where: { $0["model"] as? String == "bench" })?["port"] as? Int else {
                    throw HarnessError("bench model did not start")
                }
                let direct = "http://127.0.0.1:\(port)/v1/chat/completions"
                for _ in 0..<200 { _ = try await timeOne(client, direct); _ = try await timeOne(client, proxied) }
                var out: [String] = []
                for (concurrency, rounds) in [(1, 2000), (32, 100)] {
                    let (d, p) = try await interleaved(
                        client, direct: direct, proxied: proxied, concurrency: concurrency, rounds: rounds)
                    out.append(
                        "| added latency, non-streaming, concurrency \(concurrency) (\(d.sorted.count) requests each) | direct p50 \(ms(d.p50)) / p99 \(ms(d.p99)) ms | proxied p50 \(ms(p.p50)) / p99 \(ms(p.p99)) ms | added p50 **\(ms(p.p50 - d.p50)) ms**, p99 \(ms(p.p99 - d.p99)) ms; ratio p50 \(String(format: "%.2f", p.p50 / d.p50)) |"
                    )
                }
                var directTTFB: [Double] = []
                var proxiedTTFB: [Double] = []
                let streamDirect = direct
                for round in 0..<400 {
                    if round % 2 == 0 {
                        proxiedTTFB.append(try await timeToFirstByte(client, proxied))
                        directTTFB.append(try await timeToFirstByte(client, streamDirect))
                    } else {
                        directTTFB.append(try await timeToFirstByte(client, streamDirect))
                        proxiedTTFB.append(try await timeToFirstByte(client, proxied))
                    }
                }
                let d = Stats(directTTFB)
                let p = Stats(proxiedTTFB)
                out.append(
                    "| stream time to first byte (400 each) | direct p50 \(ms(d.p50)) / p99 \(ms(d.p99)) ms | proxied p50 \(ms(p.p50)) / p99 \(ms(p.p99)) ms | added p50 **\(ms(p.p50 - d.p50)) ms**, p99 \(ms(p.p99 - d.p99)) ms |"
                )
                out.append(try await coldStart(client, server: server))
                lines.value = out
            }
        }
        report += lines.value
    }

    /// Cold start through swap-server (unload, then the first byte of a request) against
    /// the backend's own time to healthy (the same binary spawned here, /health polled every 1 ms).
    static func coldStart(_ client: HTTPClient, server: RunningServer) async throws -> String {
        var overheads: [Double] = []
        var own: [Double] = []
        var through: [Double] = []
        for _ in 0..<15 {
            _ = try await TestHTTP.send("POST", server.base + "/api/models/unload/cold")
            while (try await TestHTTP.send("GET", server.base + "/running").body).contains("\"cold\"") {
                try await Task.sleep(for: .milliseconds(10))
            }
            var body = Self.body
            body["model"] = "cold"
            var request = HTTPClientRequest(url: server.base + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            let start = ContinuousClock.now
            let response = try await client.execute(request, timeout: .seconds(30))
            var first: Double?
            for try await _ in response.body where first == nil { first = (ContinuousClock.now - start).milliseconds }
            let ready = try await backendOwnStartup(client)
            through.append(first ?? .nan)
            own.append(ready)
            overheads.append((first ?? .nan) - ready)
        }
        let t = Stats(through)
        let o = Stats(own)
        let x = Stats(overheads)
        return
            "| cold start (15 runs) | backend alone to healthy p50 \(ms(o.p50)) ms | first byte through swap-server p50 \(ms(t.p50)) ms | overhead p50 **\(ms(x.p50)) ms**, p99 \(ms(x.p99)) ms |"
    }

    /// Spawns the fake backend directly and polls /health every millisecond with a fresh
    /// plain socket per attempt (an HTTP client's connection pool backs off after refused
    /// connections, which would inflate the baseline).
    static func backendOwnStartup(_ client: HTTPClient) async throws -> Double {
        let port = try ServerHarness.freePort()
        let start = ContinuousClock.now
        return try await ProcessRunner.withProcess(
            ServerHarness.fakeBackend, ["--port", String(port), "--tokens", "4"]
        ) {
            while ContinuousClock.now - start < .seconds(20) {
                if healthOK(port: port) { return (ContinuousClock.now - start).milliseconds }
                try await Task.sleep(for: .milliseconds(1))
            }
            throw HarnessError("fake backend did not become healthy")
        }
    }

    /// One blocking `GET /health` on a new connection; true on a 200.
    static func healthOK(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard write(fd, request, request.count) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 12 else { return false }
        return String(decoding: buffer[0..<count], as: UTF8.self).hasPrefix("HTTP/1.1 200")
    }

}

/// A mutable box for values set inside the harness's `@Sendable` closures.
final class SendableBox<Value: Sendable>: @unchecked Sendable {
    // Safe: the benchmark writes the box once inside the closure and reads it after the
    // closure has returned; there is never concurrent access.
    var value: Value
    init(_ value: Value) { self.value = value }
}
