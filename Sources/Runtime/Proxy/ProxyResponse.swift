import HTTPTypes
import NIOCore

/// The proxy's answer to a request, for the HTTP adapter to write: a status, header
/// fields (without `Content-Length`) and a body that is either whole or streams.
public struct ProxyResponse: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The header fields, without `Content-Length` (see ``Body``).
    public var headers: HTTPFields
    /// The body.
    public var body: Body

    /// A response body.
    public enum Body: Sendable {
        /// The whole body (its length is its `Content-Length`).
        case whole(ByteBuffer)
        /// A body that streams from the backend; write it with ``RelayedBody/write(to:)``.
        case stream(RelayedBody)
        /// A body swap writes itself (``LoadingState``), chunk by chunk.
        case produced(ProducedBody)
    }

    /// Creates a response.
    public init(status: HTTPResponse.Status, headers: HTTPFields, body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
