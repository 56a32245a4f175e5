import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A backend's or peer's answer as swap relays it: from the keep-alive pool as its
/// connection hands it over, or as AsyncHTTPClient returns it (https peers). Its body
/// is read through ``body``, whichever client answered.
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

    /// The answer's header fields as the backend sent them.
    var headers: HTTPHeaders {
        switch self {
        case .pooled(let head, _): head.headers
        case .client(let response): response.headers
        }
    }

    /// The answer's body, chunk by chunk as the backend sent them. Reading it to its end
    /// hands a pooled connection back; dropping it earlier closes that connection.
    var body: Body { Body(answer: self) }

    /// The body of an ``UpstreamAnswer``.
    struct Body: AsyncSequence, Sendable {
        fileprivate let answer: UpstreamAnswer

        /// Reads the body.
        struct AsyncIterator: AsyncIteratorProtocol {
            fileprivate enum Source {
                case pooled(UpstreamBody.AsyncIterator)
                case client(HTTPClientResponse.Body.AsyncIterator)
            }
            fileprivate var source: Source

            /// The next chunk, nil at the end; throws when the backend failed.
            mutating func next() async throws -> ByteBuffer? {
                switch source {
                case .pooled(var iterator):
                    defer { source = .pooled(iterator) }
                    return try await iterator.next()
                case .client(var iterator):
                    defer { source = .client(iterator) }
                    return try await iterator.next()
                }
            }
        }

        /// A reader of the body from its start.
        func makeAsyncIterator() -> AsyncIterator {
            switch answer {
            case .pooled(_, let body): AsyncIterator(source: .pooled(body.makeAsyncIterator()))
            case .client(let response): AsyncIterator(source: .client(response.body.makeAsyncIterator()))
            }
        }
    }
}
