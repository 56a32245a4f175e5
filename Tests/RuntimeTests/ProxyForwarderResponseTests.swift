import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import Runtime

/// How an upstream response becomes the client's: a small fixed-length answer goes out
/// in one piece, everything else streams chunk by chunk, and the lease is released once.
struct ProxyForwarderResponseTests {
    /// Records what `finished` was called with.
    final class Finish: Sendable {
        let calls = Mutex<[Bool]>([])

        var recorded: [Bool] { calls.withLock { $0 } }

        var callback: @Sendable (Bool) async -> Void {
            { completed in self.calls.withLock { $0.append(completed) } }
        }
    }

    /// What a ``CollectingWriter`` was given.
    final class Written: Sendable {
        let chunks = Mutex<[String]>([])
        let finished = Mutex(false)
    }

    /// A body writer that keeps every chunk it is given.
    struct CollectingWriter: ResponseBodyWriter {
        let written: Written

        mutating func write(_ buffer: ByteBuffer) async throws {
            written.chunks.withLock { $0.append(String(buffer: buffer)) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            written.finished.withLock { $0 = true }
        }
    }

    static func upstream(headers: HTTPHeaders, chunks: [String], failure: (any Error)? = nil) -> HTTPClientResponse {
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
        continuation.finish(throwing: failure)
        return HTTPClientResponse(status: .ok, headers: headers, body: .stream(stream))
    }

    static func written(_ response: Response) async throws -> (chunks: [String], finished: Bool) {
        let written = Written()
        try await response.body.write(CollectingWriter(written: written))
        return (written.chunks.withLock { $0 }, written.finished.withLock { $0 })
    }

    @Test("a fixed-length body that arrived whole goes out in one piece and releases at once")
    func wholeBody() async throws {
        let finish = Finish()
        let upstream = Self.upstream(
            headers: ["Content-Type": "application/json", "Content-Length": "11", "X-Backend": "a"],
            chunks: ["{\"ok\":true}"])
        let response = try await ProxyForwarder.response(from: upstream, finished: finish.callback)
        #expect(finish.recorded == [true])
        #expect(response.body.contentLength == 11)
        #expect(response.headers[HTTPField.Name("X-Backend")!] == "a")
        #expect(response.headers[HTTPField.Name("X-Accel-Buffering")!] == nil)
        let (chunks, finished) = try await Self.written(response)
        #expect(chunks == ["{\"ok\":true}"])
        #expect(finished)
        #expect(finish.recorded == [true])
    }

    @Test("a fixed-length body in several chunks streams them in order and releases after the last")
    func chunkedBody() async throws {
        let finish = Finish()
        let upstream = Self.upstream(headers: ["Content-Length": "10"], chunks: ["hello", "world"])
        let response = try await ProxyForwarder.response(from: upstream, finished: finish.callback)
        #expect(finish.recorded.isEmpty)
        #expect(response.body.contentLength == 10)
        let (chunks, finished) = try await Self.written(response)
        #expect(chunks == ["hello", "world"])
        #expect(finished)
        #expect(finish.recorded == [true])
    }

    @Test("an event stream is not read ahead: it streams with X-Accel-Buffering: no")
    func eventStream() async throws {
        let finish = Finish()
        let upstream = Self.upstream(
            headers: ["Content-Type": "text/event-stream", "Content-Length": "9"], chunks: ["data: a\n\n"])
        let response = try await ProxyForwarder.response(from: upstream, finished: finish.callback)
        #expect(finish.recorded.isEmpty)
        #expect(response.headers[HTTPField.Name("X-Accel-Buffering")!] == "no")
        #expect(response.body.contentLength == nil)
        let (chunks, _) = try await Self.written(response)
        #expect(chunks == ["data: a\n\n"])
        #expect(finish.recorded == [true])
    }

    @Test("a body without Content-Length is not read ahead")
    func unknownLength() async throws {
        let finish = Finish()
        let upstream = Self.upstream(headers: ["Content-Type": "application/x-ndjson"], chunks: ["{}\n", "{}\n"])
        let response = try await ProxyForwarder.response(from: upstream, finished: finish.callback)
        #expect(finish.recorded.isEmpty)
        let (chunks, _) = try await Self.written(response)
        #expect(chunks == ["{}\n", "{}\n"])
        #expect(finish.recorded == [true])
    }

    @Test("an upstream that fails before its first chunk throws, after releasing as failed")
    func failsBeforeFirstChunk() async throws {
        struct Broken: Error {}
        let finish = Finish()
        let upstream = Self.upstream(headers: ["Content-Length": "10"], chunks: [], failure: Broken())
        await #expect(throws: Broken.self) {
            _ = try await ProxyForwarder.response(from: upstream, finished: finish.callback)
        }
        #expect(finish.recorded == [false])
    }
}
