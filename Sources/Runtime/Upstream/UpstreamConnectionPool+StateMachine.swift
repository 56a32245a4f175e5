extension UpstreamConnectionPool {
    /// Where a pooled connection goes: a backend's host and port, on one event loop.
    struct Key: Hashable, Sendable {
        /// The event loop the connection lives on.
        var loop: ObjectIdentifier
        /// The backend's host.
        var host: String
        /// The backend's port.
        var port: Int
    }

    /// The pool's decisions: which idle connection a request takes, which connection is
    /// kept when a request is done, and which have been idle too long.
    ///
    /// Pure: connections are values it keeps and hands back; ``UpstreamConnectionPool``
    /// opens and closes them. The most recently used idle connection is taken first.
    struct StateMachine<Connection: Identifiable> {
        private struct Idle {
            var connection: Connection
            var since: ContinuousClock.Instant
        }

        /// Idle connections kept per key; more are closed.
        let maxIdlePerKey: Int
        /// How long a connection may stay idle before it is closed.
        let idleTimeout: Duration
        private var idle: [Key: [Idle]] = [:]
        private var isShutDown = false

        /// Creates an empty pool.
        init(maxIdlePerKey: Int, idleTimeout: Duration) {
            self.maxIdlePerKey = maxIdlePerKey
            self.idleTimeout = idleTimeout
        }

        /// What a request gets.
        enum LeaseAction {
            /// Send on this idle connection.
            case reuse(Connection)
            /// Open a new connection.
            case connect
            /// The pool is shut down.
            case shutDown
        }

        /// A request for `key` at `now`. `expired` are idle connections to close.
        mutating func lease(_ key: Key, now: ContinuousClock.Instant) -> (action: LeaseAction, expired: [Connection]) {
            guard !isShutDown else { return (.shutDown, []) }
            var expired: [Connection] = []
            guard var list = idle[key] else { return (.connect, []) }
            // Oldest first: drop those idle too long.
            while let first = list.first, now - first.since > idleTimeout {
                expired.append(list.removeFirst().connection)
            }
            let taken = list.popLast()
            idle[key] = list.isEmpty ? nil : list
            if let taken { return (.reuse(taken.connection), expired) }
            return (.connect, expired)
        }

        /// What happens to a connection whose exchange is done.
        enum ReleaseAction {
            /// It is kept for the next request; `expired` are idle ones to close.
            case keep(expired: [Connection])
            /// Close it (too many idle, or the pool is shut down).
            case close
        }

        /// `connection` to `key` finished its exchange at `now` and may be reused.
        mutating func release(_ connection: Connection, to key: Key, now: ContinuousClock.Instant) -> ReleaseAction {
            guard !isShutDown else { return .close }
            var list = idle[key] ?? []
            var expired: [Connection] = []
            while let first = list.first, now - first.since > idleTimeout {
                expired.append(list.removeFirst().connection)
            }
            guard list.count < maxIdlePerKey else {
                idle[key] = list.isEmpty ? nil : list
                return .close
            }
            list.append(Idle(connection: connection, since: now))
            idle[key] = list
            return .keep(expired: expired)
        }

        /// `connection` closed (the backend closed it, or it failed): it is not reused.
        mutating func closed(_ id: Connection.ID, key: Key) {
            guard var list = idle[key] else { return }
            list.removeAll { $0.connection.id == id }
            idle[key] = list.isEmpty ? nil : list
        }

        /// Shuts the pool down; returns the idle connections to close. Later leases fail
        /// and later releases close.
        mutating func shutdown() -> [Connection] {
            isShutDown = true
            let all = idle.values.flatMap { $0.map(\.connection) }
            idle = [:]
            return all
        }

        /// How many idle connections the pool holds for `key`.
        func idleCount(_ key: Key) -> Int {
            idle[key]?.count ?? 0
        }
    }
}
