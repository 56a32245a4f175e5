import NIOCore
import NIOHTTP1
import Synchronization

/// One request/response exchange on an ``UpstreamConnection``: the connection's handler
/// feeds it the response's parts on the event loop, and the proxy's task reads them.
///
/// A part that arrives while the task waits resumes it directly; one that arrives
/// earlier is kept (a small answer's head, body and end usually arrive in one read, and
/// the task then takes them without suspending again). The decisions are
/// ``StateMachine``'s; this class holds the waiting continuations.
final class UpstreamExchange: Sendable {
    private struct Inner {
        var machine = StateMachine()
        var headWaiter: CheckedContinuation<HTTPResponseHead, any Error>?
        var bodyWaiter: CheckedContinuation<ByteBuffer?, any Error>?
    }

    private let inner = Mutex(Inner())
    /// The connection carrying the exchange.
    let connection: UpstreamConnection

    init(connection: UpstreamConnection) {
        self.connection = connection
    }

    // MARK: from the connection (on its event loop)

    func received(head: HTTPResponseHead) {
        let waiter = inner.withLock { inner -> CheckedContinuation<HTTPResponseHead, any Error>? in
            guard inner.machine.received(head: head) == .resumeHead else { return nil }
            defer { inner.headWaiter = nil }
            return inner.headWaiter
        }
        waiter?.resume(returning: head)
    }

    func received(chunk: ByteBuffer) {
        let waiter = inner.withLock { inner -> CheckedContinuation<ByteBuffer?, any Error>? in
            guard inner.machine.received(chunk: chunk) == .resumeBody else { return nil }
            defer { inner.bodyWaiter = nil }
            return inner.bodyWaiter
        }
        waiter?.resume(returning: chunk)
    }

    func receivedEnd() {
        let waiter = inner.withLock { inner -> CheckedContinuation<ByteBuffer?, any Error>? in
            guard inner.machine.receivedEnd() == .resumeEnd else { return nil }
            defer { inner.bodyWaiter = nil }
            return inner.bodyWaiter
        }
        waiter?.resume(returning: nil)
    }

    func failed(_ error: any Error) {
        typealias Waiters = (
            head: CheckedContinuation<HTTPResponseHead, any Error>?, body: CheckedContinuation<ByteBuffer?, any Error>?
        )
        let waiters: Waiters = inner.withLock { inner -> Waiters in
            switch inner.machine.failed(error) {
            case .failHead:
                let head = inner.headWaiter
                inner.headWaiter = nil
                return (head, nil)
            case .failBody:
                let body = inner.bodyWaiter
                inner.bodyWaiter = nil
                return (nil, body)
            case .none:
                return (nil, nil)
            }
        }
        waiters.head?.resume(throwing: error)
        waiters.body?.resume(throwing: error)
    }

    /// Whether the connection may read more now.
    func shouldRead() -> Bool {
        inner.withLock { $0.machine.shouldRead() }
    }

    // MARK: from the proxy's task

    /// The response head; throws when the connection fails first. Cancelling the task
    /// closes the connection.
    nonisolated(nonsending) func head() async throws -> HTTPResponseHead {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let action = inner.withLock { inner in
                    let action = inner.machine.awaitHead()
                    if case .wait = action { inner.headWaiter = continuation }
                    return action
                }
                switch action {
                case .deliver(let head): continuation.resume(returning: head)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            connection.abandon(self)
        }
    }

    /// The next body chunk, or nil at the end; throws when the connection fails first.
    /// Cancelling the task closes the connection.
    nonisolated(nonsending) func next() async throws -> ByteBuffer? {
        // Fast path: a chunk or the end that is already here needs no continuation.
        let ready = inner.withLock { inner -> StateMachine.ReadAction? in
            if inner.machine.hasBufferedPart { return inner.machine.next() }
            return nil
        }
        if let ready { return try deliver(ready) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let action = inner.withLock { inner in
                    let action = inner.machine.next()
                    if case .wait = action { inner.bodyWaiter = continuation }
                    return action
                }
                if case .wait(let readAgain) = action {
                    if readAgain { connection.readAgain() }
                } else {
                    continuation.resume(with: Result { try deliver(action) })
                }
            }
        } onCancel: {
            connection.abandon(self)
        }
    }

    private func deliver(_ action: StateMachine.ReadAction) throws -> ByteBuffer? {
        switch action {
        case .deliver(let chunk, let readAgain):
            if readAgain { connection.readAgain() }
            return chunk
        case .end:
            return nil
        case .fail(let error):
            throw error
        case .wait:
            preconditionFailure("a buffered part was announced but none was there")
        }
    }

    /// The proxy stops reading: a response that has not fully arrived closes its
    /// connection (the backend stops working on it).
    func abandon() {
        if inner.withLock({ $0.machine.abandon() }) {
            connection.abandon(self)
        }
    }
}
