import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Forwards one request to a backend or peer with AsyncHTTPClient and streams the
/// answer back chunk by chunk: no buffering, no coalescing, `X-Accel-Buffering: no`
/// on server-sent events.
public struct ProxyForwarder: Sendable {
    /// The shared client (one connection pool per backend host and port).
    public let client: HTTPClient
    /// Clients bound to single event loops, used for requests that name their loop.
    public let loopClients: EventLoopClients?

    /// Creates a forwarder. With `loopClients`, a request forwarded `on` one of their
    /// event loops goes through that loop's client instead of `client`.
    public init(client: HTTPClient, loopClients: EventLoopClients? = nil) {
        self.client = client
        self.loopClients = loopClients
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

    /// Sends the request and returns the upstream response (status, headers, streaming body).
    /// `stripCredentials` drops the client's `Authorization`/`x-api-key` (swap's own keys);
    /// `inject` adds headers (a peer's API key). `eventLoop` is the loop of the client's
    /// connection: the upstream connection is then taken from that loop's client.
    public func forward(
        method: HTTPRequest.Method, baseURL: String, path: String, query: String?, headers: HTTPFields, body: Body,
        stripCredentials: Bool, inject: [(String, String)] = [], on eventLoop: (any EventLoop)? = nil
    ) async throws -> HTTPClientResponse {
        var url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        url += path
        if let query, !query.isEmpty { url += "?" + query }
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method.rawValue)
        for field in headers {
            let name = field.name.canonicalName
            if Self.hopByHop.contains(name) { continue }
            if stripCredentials, name == "authorization" || name == "x-api-key" { continue }
            request.headers.add(name: field.name.rawName, value: field.value)
        }
        for (name, value) in inject { request.headers.replaceOrAdd(name: name, value: value) }
        switch body {
        case .bytes(let bytes):
            request.body = .bytes(ByteBuffer(bytes: bytes))
        case .stream(let stream):
            request.body = .stream(stream, length: .unknown)
        case .none:
            break
        }
        let client = eventLoop.flatMap { loopClients?.client(for: $0) } ?? self.client
        return try await client.execute(request, timeout: .hours(24))
    }

    /// A Hummingbird response that streams `upstream` to the client. `finished` runs once
    /// when the body ends, fails or the client goes away (it releases the request's lease).
    public static func response(
        from upstream: HTTPClientResponse, finished: @escaping @Sendable (Bool) async -> Void,
        onChunk: (@Sendable (ByteBuffer) -> Void)? = nil
    ) -> Response {
        var headers = HTTPFields()
        for header in upstream.headers where !hopByHop.contains(header.name.lowercased()) {
            if let fieldName = HTTPField.Name(header.name) {
                headers.append(HTTPField(name: fieldName, value: header.value))
            }
        }
        let isEventStream =
            upstream.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
        if isEventStream {
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            headers[.cacheControl] = "no-cache"
        }
        let contentLength = isEventStream ? nil : upstream.headers.first(name: "content-length").flatMap { Int($0) }
        let body = ResponseBody(contentLength: contentLength) { writer in
            var completed = false
            do {
                for try await chunk in upstream.body {
                    onChunk?(chunk)
                    try await writer.write(chunk)
                }
                completed = true
                try await writer.finish(nil)
                await finished(true)
            } catch {
                if !completed, isEventStream {
                    let event =
                        "data: {\"error\":{\"message\":\"the backend stopped in the middle of the response\",\"type\":\"server_error\",\"code\":\"backend_failed\"}}\n\n"
                    try? await writer.write(ByteBuffer(string: event))
                    try? await writer.finish(nil)
                    await finished(false)
                    return
                }
                await finished(false)
                throw error
            }
        }
        return Response(status: .init(code: Int(upstream.status.code)), headers: headers, body: body)
    }
}
