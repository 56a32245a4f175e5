import ConfigLang
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization

/// Keep-alive HTTP/1.1 connections to plain-http backends, pooled per event loop, host
/// and port: swap's own client for the proxy's hot path.
///
/// A request forwarded `on` the event loop of its client's connection takes an idle
/// connection that lives on that loop, so the whole exchange stays on one thread. Head
/// and body go out in one write, no timer or extra task is started per request, and the
/// response's parts go straight to the waiting task (``UpstreamExchange``).
///
/// A connection the backend closed is dropped at once. A request sent on a reused
/// connection that closes before any answer (the backend closed it at the same moment)
/// is sent again on a new connection when its body can be replayed.
///
/// ```swift
/// let pool = UpstreamConnectionPool()
/// let (responseHead, body) = try await pool.send(
///     host: "127.0.0.1", port: 8081, head: head, body: .bytes(json), on: channel.eventLoop)
/// for try await chunk in body { … }
/// await pool.shutdown()
/// ```
public final class UpstreamConnectionPool: Sendable {
    private let state: Mutex<StateMachine<UpstreamConnection>>
    private let opened = Atomic<Int>(0)

    /// How many connections the pool has opened so far.
    public var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// Creates a pool keeping at most `maxIdlePerKey` idle connections per backend and
    /// loop. How long each waits to connect, for a response head and idle in the pool is
    /// the `timeouts` of the request that opened it (the model's or peer's).
    public init(maxIdlePerKey: Int = 64) {
        state = Mutex(StateMachine(maxIdlePerKey: maxIdlePerKey))
    }

    /// Sends `head` and `body` to `host`:`port` and returns the response head once it
    /// has arrived, with the body, which streams as the backend sends it. Reading the
    /// body to its end returns the connection to the pool; dropping it earlier closes the
    /// connection. Cancelling the task closes the connection. Throws when no connection
    /// can be made or the backend closes it before answering.
    ///
    /// The answer is not wrapped in AsyncHTTPClient's `HTTPClientResponse`, whose body
    /// box cost allocations on every proxied request.
    nonisolated(nonsending) func send(
        host: String, port: Int, head: HTTPRequestHead, body: UpstreamRequestBody, on eventLoop: any EventLoop,
        timeouts: ConnectionTimeouts = .defaults
    ) async throws -> (head: HTTPResponseHead, body: UpstreamBody) {
        let key = Key(loop: ObjectIdentifier(eventLoop), host: host, port: port)
        let (connection, reused) = try await lease(key, on: eventLoop, timeouts: timeouts)
        do {
            return try await connection.execute(
                head: head, body: body, responseHeaderTimeout: timeouts.responseHeader)
        } catch {
            // A reused connection that fails before any answer was most likely closed by
            // the backend as the request went out: a replayable request goes again on a
            // fresh connection. A backend that is only slow to answer is not asked twice.
            if case .stream = body { throw error }
            if case UpstreamError.responseHeaderTimeout = error { throw error }
            guard reused, !Task.isCancelled else { throw error }
            let fresh = try await connect(key, on: eventLoop, timeouts: timeouts)
            return try await fresh.execute(head: head, body: body, responseHeaderTimeout: timeouts.responseHeader)
        }
    }

    private nonisolated(nonsending) func lease(_ key: Key, on eventLoop: any EventLoop, timeouts: ConnectionTimeouts)
        async throws -> (
            UpstreamConnection, reused: Bool
        )
    {
        switch takeIdle(key) {
        case .reuse(let connection):
            return (connection, true)
        case .connect:
            return (try await connect(key, on: eventLoop, timeouts: timeouts), false)
        case .shutDown:
            throw UpstreamError.shutDown
        }
    }

    /// An open idle connection for `key` (closing expired and closed ones on the way), or
    /// what to do instead.
    private func takeIdle(_ key: Key) -> StateMachine<UpstreamConnection>.LeaseAction {
        while true {
            let now = ContinuousClock.now
            let lease = state.withLock { state in state.lease(key, now: now) }
            for connection in lease.expired { connection.close() }
            if case .reuse(let connection) = lease.action, !connection.isActive {
                connection.close()
                continue
            }
            return lease.action
        }
    }

    /// How long an idle connection opened under `timeouts` is kept (nil: until the
    /// backend closes it).
    private static func idleTimeout(_ timeouts: ConnectionTimeouts) -> Duration? {
        timeouts.idleConn > 0 ? .seconds(timeouts.idleConn) : nil
    }

    private nonisolated(nonsending) func connect(_ key: Key, on eventLoop: any EventLoop, timeouts: ConnectionTimeouts)
        async throws
        -> UpstreamConnection
    {
        opened.add(1, ordering: .relaxed)
        let idleTimeout = Self.idleTimeout(timeouts)
        let connection = try await UpstreamConnection.connect(
            host: key.host, port: key.port, on: eventLoop, timeouts: timeouts,
            onReusable: { [weak self] connection in self?.release(connection, to: key, idleTimeout: idleTimeout) })
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { $0.closed(connection.id, key: key) }
        }
        return connection
    }

    private func release(_ connection: UpstreamConnection, to key: Key, idleTimeout: Duration?) {
        switch state.withLock({ $0.release(connection, to: key, now: .now, idleTimeout: idleTimeout) }) {
        case .keep(let expired):
            for connection in expired { connection.close() }
        case .close:
            connection.close()
        }
    }

    /// Closes the idle connections; later requests fail with ``UpstreamError/shutDown``.
    public func shutdown() {
        for connection in state.withLock({ $0.shutdown() }) {
            connection.close()
        }
    }
}
