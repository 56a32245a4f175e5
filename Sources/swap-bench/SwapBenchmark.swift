import AsyncHTTPClient
import Foundation
import NIOCore
import SwapTestSupport

/// Swap time A→B→A in one swap group, and the delay the proxy adds between SSE chunks.
enum SwapBenchmark {
    static let config = """
        healthCheckTimeout: 30
        startPort: {START_PORT}
        models:
          a:
            cmd: {FAKE} --port ${PORT} --tokens 4
          b:
            cmd: {FAKE} --port ${PORT} --tokens 4
          drip:
            cmd: {FAKE} --port ${PORT} --tokens 40 --token-delay-ms 10
        groups:
          pair:
            swap: true
            exclusive: false
            members: [a, b]
          side:
            swap: false
            exclusive: false
            members: [drip]
        """

    static func post(_ client: HTTPClient, _ url: String, model: String, stream: Bool = false, maxTokens: Int? = nil)
        async throws -> [ContinuousClock.Instant]
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        var body: [String: Any] = ["model": model, "stream": stream, "messages": [["role": "user", "content": "Hi"]]]
        if let maxTokens { body["max_tokens"] = maxTokens }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await client.execute(request, timeout: .seconds(60))
        guard response.status == .ok else { throw HarnessError("status \(response.status) for \(model)") }
        var arrivals: [ContinuousClock.Instant] = []
        for try await _ in response.body { arrivals.append(.now) }
        return arrivals
    }

    static func gaps(_ arrivals: [ContinuousClock.Instant]) -> [Double] {
        zip(arrivals.dropFirst(), arrivals).map { ($0 - $1).milliseconds }
    }

    static func run(report: inout [String]) async throws {
        let out = SendableBox<[String]>([])
        try await HTTPClient.withClient { client in
            try await ServerHarness.withServer(config: config) { server in
                let url = server.base + "/v1/chat/completions"
                _ = try await post(client, url, model: "a")
                var swaps: [Double] = []
                for _ in 0..<10 {
                    let start = ContinuousClock.now
                    _ = try await post(client, url, model: "b")
                    _ = try await post(client, url, model: "a")
                    swaps.append((ContinuousClock.now - start).milliseconds)
                }
                let s = Stats(swaps)
                var lines = [
                    "| swap A→B→A (fake backends, 10 rounds) | p50 **\(ms(s.p50)) ms**, p99 \(ms(s.p99)) ms | two stops + two cold starts + two requests | |"
                ]
                _ = try await post(client, url, model: "drip", stream: true)
                let running =
                    try await TestHTTP.send("GET", server.base + "/running").json?["running"] as? [[String: Any]] ?? []
                if let port = running.first(where: { $0["model"] as? String == "drip" })?["port"] as? Int {
                    let direct = "http://127.0.0.1:\(port)/v1/chat/completions"
                    var directGaps: [Double] = []
                    var proxiedGaps: [Double] = []
                    for round in 0..<20 {
                        let order = round % 2 == 0 ? [url, direct] : [direct, url]
                        for target in order {
                            let g = gaps(try await post(client, target, model: "drip", stream: true))
                            if target == url { proxiedGaps += g } else { directGaps += g }
                        }
                    }
                    let d = Stats(directGaps)
                    let p = Stats(proxiedGaps)
                    let meanDirect = directGaps.reduce(0, +) / Double(max(directGaps.count, 1))
                    let meanProxied = proxiedGaps.reduce(0, +) / Double(max(proxiedGaps.count, 1))
                    lines.append(
                        "| SSE inter-chunk gap (backend sends every 10 ms; \(directGaps.count) gaps each) | direct p50 \(ms(d.p50)) / p99 \(ms(d.p99)) ms | proxied p50 \(ms(p.p50)) / p99 \(ms(p.p99)) ms | added mean **\(ms(meanProxied - meanDirect)) ms** per chunk |"
                    )
                }
                out.value = lines
            }
        }
        report += out.value
    }
}
