import NIOCore

/// The body of a response from ``UpstreamConnectionPool``, chunk by chunk as the
/// backend sent them.
///
/// Reading it to the end hands the connection back to the pool. Dropping it earlier
/// (the client went away) closes the connection, so the backend stops working on the
/// request.
struct UpstreamBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// Abandons the exchange when the last copy of the body and its iterator are gone.
    fileprivate final class Reader: Sendable {
        let exchange: UpstreamExchange

        init(_ exchange: UpstreamExchange) {
            self.exchange = exchange
        }

        deinit {
            exchange.abandon()
        }
    }

    private let reader: Reader

    init(_ exchange: UpstreamExchange) {
        reader = Reader(exchange)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let reader: Reader

        mutating func next() async throws -> ByteBuffer? {
            try await reader.exchange.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: reader)
    }
}
