import AsyncHTTPClient
import ConfigLang
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one request to a backend or peer and returns its answer as it starts to
/// arrive (see ``UpstreamAnswer``); the answer's body streams.
///
/// Plain-http backends and peers are reached through swap's own keep-alive client
/// (``UpstreamConnectionPool``); anything else (https peers) through AsyncHTTPClient,
/// with the target's `timeouts` when `https` is given (see ``HTTPSClients``).
public struct UpstreamClient: Sendable {
    /// The client for targets the pool cannot reach (https) when `https` is nil.
    public let client: HTTPClient
    /// Keep-alive connections to plain-http targets, per event loop.
    public let upstream: UpstreamConnectionPool?
    /// AsyncHTTPClient instances by the target's timeouts.
    public let https: HTTPSClients?

    /// Creates a client. With `upstream`, plain-http targets go through it; with
    /// `https`, other targets go through the client for their timeouts.
    public init(client: HTTPClient, upstream: UpstreamConnectionPool? = nil, https: HTTPSClients? = nil) {
        self.client = client
        self.upstream = upstream
        self.https = https
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
    func send(
        method: HTTPRequest.Method, to address: UpstreamAddress, path: String, query: String?, headers: HTTPFields,
        body: UpstreamRequestBody,
        stripCredentials: Bool, inject: [(String, String)], on eventLoop: (any EventLoop)?,
        timeouts: ConnectionTimeouts
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
        let client = https?.client(for: timeouts) ?? self.client
        let seconds = timeouts.responseHeader
        guard seconds > 0 else { return .client(try await client.execute(request, timeout: .hours(24))) }
        // `execute` returns with the response head; the body streams afterwards.
        let outgoing = request
        let response = try await withThrowingTaskGroup(of: HTTPClientResponse.self) { group in
            group.addTask { try await client.execute(outgoing, timeout: .hours(24)) }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw UpstreamError.responseHeaderTimeout(seconds: seconds)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
        return .client(response)
    }

    /// The head of the request sent to `target` over swap's own client: `path` under the
    /// target's prefix with `query`, `Host` for the target, the client's end-to-end
    /// headers (see ``copy(_:to:stripCredentials:inject:)``) and the framing of `body`.
    static func upstreamHead(
        method: HTTPRequest.Method, to target: UpstreamTarget, path: String, query: String?, headers: HTTPFields,
        body: UpstreamRequestBody, stripCredentials: Bool, inject: [(String, String)]
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
}
