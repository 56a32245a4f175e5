import AsyncHTTPClient
import NIOHTTP1

/// A backend's or peer's answer as swap relays it: from the keep-alive pool as its
/// connection hands it over, or as AsyncHTTPClient returns it (https peers).
///
/// The pool's answer skips `HTTPClientResponse`, whose body wrapper boxes the body and
/// its iterator (allocations and unspecialised calls on every proxied request).
enum UpstreamAnswer: Sendable {
    /// An answer from ``UpstreamConnectionPool``.
    case pooled(HTTPResponseHead, UpstreamBody)
    /// An answer from AsyncHTTPClient.
    case client(HTTPClientResponse)

    /// The answer's status code.
    var statusCode: Int {
        switch self {
        case .pooled(let head, _): Int(head.status.code)
        case .client(let response): Int(response.status.code)
        }
    }
}
