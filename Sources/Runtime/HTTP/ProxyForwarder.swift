import AsyncHTTPClient
import ConfigLang
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix

/// Forwards one request to a backend or peer and streams the answer back chunk by
/// chunk: no buffering, no coalescing, `X-Accel-Buffering: no` on server-sent events.
///
/// Plain-http backends and peers are reached through swap's own keep-alive client
/// (``UpstreamConnectionPool``); anything else (https peers) through AsyncHTTPClient.
public struct ProxyForwarder: Sendable {
    /// The client for targets the pool cannot reach (https).
    public let client: HTTPClient
    /// Keep-alive connections to plain-http targets, per event loop.
    public let upstream: UpstreamConnectionPool?

    /// Creates a forwarder. With `upstream`, plain-http targets go through it.
    public init(client: HTTPClient, upstream: UpstreamConnectionPool? = nil) {
        self.client = client
        self.upstream = upstream
    }

    /// What to send upstream.
    public enum Body: Sendable {
        /// A buffered (possibly rewritten) body.
        case bytes([UInt8])
        /// The client's body, streamed through.
        case stream(RequestBody)
        /// No body.
        case none
    }

    /// Headers never copied from one hop to the next.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// Sends the request and returns the upstream answer (status, headers, streaming
    /// body) as the pool or AsyncHTTPClient gave it (see ``UpstreamAnswer``).
    /// `stripCredentials` drops the client's `Authorization`/`x-api-key` (swap's own keys);
    /// `inject` adds headers (a peer's API key). `eventLoop` is the loop of the client's
    /// connection: the upstream connection is then one that lives on that loop.
    nonisolated(nonsending) func send(
        method: HTTPRequest.Method, to address: UpstreamAddress, path: String, query: String?, headers: HTTPFields,
        body: Body,
        stripCredentials: Bool, inject: [(String, String)] = [], on eventLoop: (any EventLoop)? = nil,
        timeouts: ConnectionTimeouts = .defaults
    ) async throws -> UpstreamAnswer {
        if let upstream, let target = address.target {
            let head = Self.upstreamHead(
                method: method, to: target, path: path, query: query, headers: headers, body: body,
                stripCredentials: stripCredentials, inject: inject)
            let (responseHead, responseBody) = try await upstream.send(
                host: target.host, port: target.port, head: head, body: body,
                on: eventLoop ?? MultiThreadedEventLoopGroup.singleton.any(), timeouts: timeouts)
            return .pooled(responseHead, responseBody)
        }
        let baseURL = address.baseURL
        var url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        url += path
        if let query, !query.isEmpty { url += "?" + query }
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method.rawValue)
        Self.copy(headers, to: &request.headers, stripCredentials: stripCredentials, inject: inject)
        switch body {
        case .bytes(let bytes):
            request.body = .bytes(ByteBuffer(bytes: bytes))
        case .stream(let stream):
            request.body = .stream(stream, length: .unknown)
        case .none:
            break
        }
        return .client(try await client.execute(request, timeout: .hours(24)))
    }

    /// The head of the request sent to `target` over swap's own client: `path` under the
    /// target's prefix with `query`, `Host` for the target, the client's end-to-end
    /// headers (see ``copy(_:to:stripCredentials:inject:)``) and the framing of `body`.
    static func upstreamHead(
        method: HTTPRequest.Method, to target: UpstreamTarget, path: String, query: String?, headers: HTTPFields,
        body: Body, stripCredentials: Bool, inject: [(String, String)]
    ) -> HTTPRequestHead {
        var uri = target.pathPrefix + path
        if let query, !query.isEmpty { uri += "?" + query }
        var outgoing = HTTPHeaders()
        outgoing.reserveCapacity(headers.count + 2)
        outgoing.add(name: "host", value: target.hostHeader)
        copy(headers, to: &outgoing, stripCredentials: stripCredentials, inject: inject)
        switch body {
        case .bytes(let bytes):
            outgoing.add(name: "content-length", value: String(bytes.count))
        case .stream:
            outgoing.add(name: "transfer-encoding", value: "chunked")
        case .none:
            if method == .post || method == .put || method == .patch {
                outgoing.add(name: "content-length", value: "0")
            }
        }
        return HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: uri, headers: outgoing)
    }

    /// Copies the client's end-to-end headers, then sets `inject`.
    private static func copy(
        _ headers: HTTPFields, to outgoing: inout HTTPHeaders, stripCredentials: Bool, inject: [(String, String)]
    ) {
        for field in headers {
            let name = field.name.canonicalName
            if hopByHop.contains(name) { continue }
            if stripCredentials, name == "authorization" || name == "x-api-key" { continue }
            outgoing.add(name: field.name.rawName, value: field.value)
        }
        for (name, value) in inject { outgoing.replaceOrAdd(name: name, value: value) }
    }

    /// A Hummingbird response that streams `upstream` to the client. `finished` runs once
    /// when the body ends, fails or the client goes away (it releases the request's lease).
    ///
    /// A response with a `Content-Length` (not an event stream) waits for its first body
    /// chunk before the head goes out. When that chunk is the whole body, as it is for a
    /// small JSON answer, head, body and end reach the client in one write instead of
    /// three, and `finished` runs as soon as the upstream response has ended. Otherwise
    /// the body streams chunk by chunk from there. Throws when the upstream fails before
    /// its first chunk (after calling `finished(false)`).
    public nonisolated(nonsending) static func response(
        from upstream: HTTPClientResponse, finished: @escaping @Sendable (Bool) async -> Void
    ) async throws -> Response {
        try await response(status: upstream.status, headers: upstream.headers, body: upstream.body, finished: finished)
    }

    /// ``response(from:finished:)`` for either kind of ``UpstreamAnswer``.
    nonisolated(nonsending) static func response(
        from answer: UpstreamAnswer, finished: @escaping @Sendable (Bool) async -> Void
    ) async throws -> Response {
        switch answer {
        case .pooled(let head, let body):
            try await response(status: head.status, headers: head.headers, body: body, finished: finished)
        case .client(let upstream):
            try await response(from: upstream, finished: finished)
        }
    }

    /// ``response(from:finished:)`` for an answer's parts; generic over the body
    /// so that the pool's body is read without a box around it. The parts are read as
    /// ``ResponseRelay`` says, until it has something to write.
    private nonisolated(nonsending) static func response<UpstreamBodySequence: AsyncSequence & Sendable>(
        status upstreamStatus: HTTPResponseStatus, headers upstreamHeaders: HTTPHeaders,
        body upstreamBody: UpstreamBodySequence,
        finished: @escaping @Sendable (Bool) async -> Void
    ) async throws -> Response where UpstreamBodySequence.Element == ByteBuffer {
        var relay = ResponseRelay()
        var action = relay.received(status: upstreamStatus, headers: upstreamHeaders)
        var iterator = upstreamBody.makeAsyncIterator()
        while case .none = action {
            do {
                if let chunk = try await iterator.next() {
                    action = relay.received(chunk: chunk)
                } else {
                    action = relay.receivedEnd()
                }
            } catch {
                action = relay.failed(error)
            }
        }
        switch action {
        case .write(let head?, let chunks, let end):
            if end, chunks.count == 1 {
                // The whole body, and its end: one write.
                await finished(true)
                return head.response(body: chunks[0])
            }
            let rest = BodyReader(iterator, relay: relay)
            let isEventStream = head.isEventStream
            return head.response { writer in
                var (chunks, end) = (chunks, end)
                var completed = false
                do {
                    while true {
                        for chunk in chunks { try await writer.write(chunk) }
                        if end { break }
                        switch await rest.next() {
                        case .write(_, let more, let ended): (chunks, end) = (more, ended)
                        case .none: (chunks, end) = ([], false)
                        default: throw rest.failure ?? UpstreamError.closed
                        }
                    }
                    completed = true
                    try await writer.finish(nil)
                    await finished(true)
                } catch {
                    // The relay's cut-off rule; here also for a client that went away.
                    if !completed, isEventStream {
                        try? await writer.write(ByteBuffer(string: RelayedResponseHead.midStreamFailureEvent))
                        try? await writer.finish(nil)
                        await finished(false)
                        return
                    }
                    await finished(false)
                    throw error
                }
            }
        case .failedBeforeHead(let error), .failedBeforeAnswer(let error):
            await finished(false)
            throw error
        case .none, .write(nil, _, _), .cutOff, .abandon:
            preconditionFailure("the relay wrote no head before \(action)")
        }
    }

    /// The rest of an upstream body and its relay, after the part the handler read until
    /// the relay wrote its head, handed from the request handler to the response body
    /// writer.
    ///
    /// `@unchecked Sendable` is safe because it is used by one task at a time: the
    /// handler reads ahead and then returns the response, and only after that does
    /// Hummingbird run the body writer that reads the rest.
    private final class BodyReader<Iterator: AsyncIteratorProtocol>: @unchecked Sendable
    where Iterator.Element == ByteBuffer {
        private var iterator: Iterator
        private var relay: ResponseRelay
        /// The upstream's error, once it failed.
        private(set) var failure: (any Error)?

        init(_ iterator: Iterator, relay: ResponseRelay) {
            self.iterator = iterator
            self.relay = relay
        }

        /// What the relay makes of the next part.
        nonisolated(nonsending) func next() async -> ResponseRelay.Action {
            do {
                if let chunk = try await iterator.next() { return relay.received(chunk: chunk) }
                return relay.receivedEnd()
            } catch {
                failure = error
                return relay.failed(error)
            }
        }
    }
}
