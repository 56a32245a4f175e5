import HTTPTypes
import NIOCore

/// A request for the proxy, as the HTTP adapter hands it over: the parts of the client's
/// request, with its body still streaming.
public struct ProxyRequest: Sendable {
    /// The method.
    public var method: HTTPRequest.Method
    /// The path, without the query.
    public var path: String
    /// The query (without `?`), forwarded as it is.
    public var query: String?
    /// The client's header fields.
    public var headers: HTTPFields
    /// The query's `model` parameter, decoded.
    public var modelParameter: String?
    /// The client's body, chunk by chunk as it arrives.
    public var body: any AsyncSequence<ByteBuffer, any Error> & Sendable
    /// The event loop of the client's connection: the upstream connection is taken from
    /// those living on it, so that the exchange stays on one thread (nil: any loop).
    public var eventLoop: (any EventLoop)?
    /// The client's address (the socket's peer), for the in-flight list.
    public var remoteAddress: String?
    /// Ends the request from outside (`POST /api/inflight/{id}/cancel`): the adapter
    /// closes the client's connection, which cancels the request and its upstream
    /// exchange.
    public var cancel: (@Sendable () -> Void)?

    /// Creates a request.
    public init(
        method: HTTPRequest.Method, path: String, query: String?, headers: HTTPFields, modelParameter: String?,
        body: any AsyncSequence<ByteBuffer, any Error> & Sendable, eventLoop: (any EventLoop)?,
        remoteAddress: String? = nil, cancel: (@Sendable () -> Void)? = nil
    ) {
        self.remoteAddress = remoteAddress
        self.cancel = cancel
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.modelParameter = modelParameter
        self.body = body
        self.eventLoop = eventLoop
    }
}
