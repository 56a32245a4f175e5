import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix
import Subprocess
import SwapTestSupport
import Testing

@testable import Runtime

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// swap's own upstream client against a real `fake-backend` process on an OS-chosen
/// port: what goes out, keep-alive reuse, streaming, a backend that goes away, and a
/// reader that gives up.
struct UpstreamConnectionPoolTests {
    /// Runs fake-backend on a free port for `body` (after its `/health` answers), then
    /// kills it, also when `body` throws.
    static func withBackend<T: Sendable>(
        port: Int? = nil, _ extra: [String] = [], _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let port = try port ?? ServerHarness.freePort()
        let result = try await Subprocess.run(
            .path(FilePath(ServerHarness.fakeBackend)), arguments: Arguments(["--port", String(port)] + extra),
            input: .none, output: .discarded, error: .discarded
        ) { execution in
            do {
                // Healthy, and the backend started here: another test's may have taken the
                // port between `freePort()` and this one's bind.
                let pid = "\"pid\":\(execution.processIdentifier.value)"
                let healthy = await Polling.eventually(within: .seconds(20), every: .milliseconds(10)) {
                    let reply = try? await TestHTTP.send("GET", "http://127.0.0.1:\(port)/health")
                    return reply?.status == 200 && reply?.body.contains(pid) == true
                }
                guard healthy else { throw HarnessError("fake-backend did not become healthy") }
                let value = try await body(port)
                try? execution.send(signal: .kill)
                return value
            } catch {
                try? execution.send(signal: .kill)
                throw error
            }
        }
        return result.closureResult
    }

    static func head(_ method: HTTPMethod, _ uri: String, port: Int, body: [UInt8]? = nil) -> HTTPRequestHead {
        var headers: HTTPHeaders = ["host": "127.0.0.1:\(port)", "content-type": "application/json"]
        if let body { headers.add(name: "content-length", value: String(body.count)) }
        return HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
    }

    /// Sends a streaming chat request through `pool` to the backend on `port`.
    static func streamingChat(_ pool: UpstreamConnectionPool, port: Int) async throws -> (
        head: HTTPResponseHead, body: UpstreamBody
    ) {
        let body = Array(#"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#.utf8)
        return try await pool.send(
            host: "127.0.0.1", port: port, head: Self.head(.POST, "/v1/chat/completions", port: port, body: body),
            body: .bytes(body), on: Self.loop)
    }

    static func collect(_ body: UpstreamBody) async throws -> [String] {
        var chunks: [String] = []
        for try await chunk in body { chunks.append(String(buffer: chunk)) }
        return chunks
    }

    static let loop = MultiThreadedEventLoopGroup.singleton.next()

    @Test("requests go out as sent and reuse one keep-alive connection")
    func reuse() async throws {
        try await Self.withBackend { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            for index in 0..<3 {
                let body = Array("{\"n\":\(index)}".utf8)
                let response = try await pool.send(
                    host: "127.0.0.1", port: port, head: Self.head(.POST, "/echo?x=\(index)", port: port, body: body),
                    body: .bytes(body), on: Self.loop)
                #expect(response.head.status == .ok)
                let text = try await Self.collect(response.body).joined()
                let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                #expect(json["method"] as? String == "POST")
                #expect(json["path"] as? String == "/echo")
                #expect(json["query"] as? String == "x=\(index)")
                #expect(json["body"] as? String == "{\"n\":\(index)}")
            }
            #expect(pool.connectionsOpened == 1)
        }
    }

    @Test("a large answer read slowly (past the backpressure mark) arrives whole and the connection is reused")
    func largeAnswer() async throws {
        try await Self.withBackend { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            let payload = String(repeating: "x", count: 1 << 20)
            let body = Array(payload.utf8)
            let response = try await pool.send(
                host: "127.0.0.1", port: port, head: Self.head(.POST, "/echo", port: port, body: body),
                body: .bytes(body), on: Self.loop)
            var received = 0
            for try await chunk in response.body {
                received += chunk.readableBytes
                await Task.yield()
            }
            #expect(received > 1 << 20)
            let again = try await pool.send(
                host: "127.0.0.1", port: port, head: Self.head(.GET, "/health", port: port), body: .none,
                on: Self.loop)
            _ = try await Self.collect(again.body)
            #expect(pool.connectionsOpened == 1)
        }
    }

    @Test("a streamed request body arrives whole")
    func streamedRequestBody() async throws {
        try await Self.withBackend { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            var head = Self.head(.PUT, "/upload", port: port)
            head.headers.add(name: "transfer-encoding", value: "chunked")
            let parts = ["{\"a\":", "1,", "\"b\":2}"].map { ByteBuffer(string: $0) }
            let response = try await pool.send(
                host: "127.0.0.1", port: port, head: head,
                body: .stream(RequestBody(asyncSequence: parts.async)), on: Self.loop)
            let text = try await Self.collect(response.body).joined()
            #expect(text.contains(#""body":"{\"a\":1,\"b\":2}""#))
        }
    }

    @Test("a streamed answer arrives chunk by chunk")
    func streamedAnswer() async throws {
        try await Self.withBackend(["--tokens", "5", "--token-delay-ms", "20"]) { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            let response = try await Self.streamingChat(pool, port: port)
            #expect(response.head.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
            let chunks = try await Self.collect(response.body)
            #expect(chunks.count >= 5)
            #expect(chunks.last?.contains("[DONE]") == true)
        }
    }

    @Test("a backend that crashes mid-stream fails the body after the chunks it sent")
    func crashMidStream() async throws {
        try await Self.withBackend(["--tokens", "8", "--token-delay-ms", "5", "--crash-after-chunks", "2"]) { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            let response = try await Self.streamingChat(pool, port: port)
            var received = 0
            await #expect(throws: (any Error).self) {
                for try await _ in response.body { received += 1 }
            }
            #expect(received >= 1)
        }
    }

    @Test("no backend listening is an error, not a hang")
    func refused() async throws {
        let port = try ServerHarness.freePort()
        let pool = UpstreamConnectionPool()
        defer { pool.shutdown() }
        await #expect(throws: (any Error).self) {
            _ = try await pool.send(
                host: "127.0.0.1", port: port, head: Self.head(.GET, "/health", port: port), body: .none, on: Self.loop)
        }
    }

    @Test("a pooled connection to a backend that was replaced is not reused")
    func backendReplaced() async throws {
        let port = try ServerHarness.freePort()
        let pool = UpstreamConnectionPool()
        defer { pool.shutdown() }
        for _ in 0..<2 {
            try await Self.withBackend(port: port) { port in
                let response = try await pool.send(
                    host: "127.0.0.1", port: port, head: Self.head(.GET, "/health", port: port), body: .none,
                    on: Self.loop)
                #expect(response.head.status == .ok)
                _ = try await Self.collect(response.body)
            }
        }
        #expect(pool.connectionsOpened == 2)
    }

    @Test("a reader that gives up early closes the connection; the next request opens a new one")
    func abandoned() async throws {
        try await Self.withBackend(["--tokens", "50", "--token-delay-ms", "20"]) { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            do {
                let response = try await Self.streamingChat(pool, port: port)
                var iterator = response.body.makeAsyncIterator()
                _ = try await iterator.next()
            }
            let response = try await pool.send(
                host: "127.0.0.1", port: port, head: Self.head(.GET, "/health", port: port), body: .none,
                on: Self.loop)
            _ = try await Self.collect(response.body)
            #expect(pool.connectionsOpened == 2)
        }
    }

    @Test("cancelling the waiting task closes the connection and throws")
    func cancelled() async throws {
        try await Self.withBackend(["--tokens", "50", "--token-delay-ms", "20"]) { port in
            let pool = UpstreamConnectionPool()
            defer { pool.shutdown() }
            let task = Task {
                let response = try await Self.streamingChat(pool, port: port)
                var count = 0
                for try await _ in response.body { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(100))
            task.cancel()
            await #expect(throws: (any Error).self) { _ = try await task.value }
        }
    }
}
