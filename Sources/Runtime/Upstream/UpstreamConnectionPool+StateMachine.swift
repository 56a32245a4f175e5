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
            /// When it is closed if still idle; nil: never.
            var expires: ContinuousClock.Instant?

            func hasExpired(at now: ContinuousClock.Instant) -> Bool {
                expires.map { now > $0 } ?? false
            }
        }

        /// Idle connections kept per key; more are closed.
        let maxIdlePerKey: Int
        private var idle: [Key: [Idle]] = [:]
        private var isShutDown = false

        /// Creates an empty pool.
        init(maxIdlePerKey: Int) {
            self.maxIdlePerKey = maxIdlePerKey
        }

        /// Takes the connections of `list` that have been idle too long.
        private static func removeExpired(from list: inout [Idle], now: ContinuousClock.Instant) -> [Connection] {
            guard list.contains(where: { $0.hasExpired(at: now) }) else { return [] }
            let expired = list.filter { $0.hasExpired(at: now) }.map(\.connection)
            list.removeAll { $0.hasExpired(at: now) }
            return expired
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
            // The key's list is changed in place (one lookup, no copy of the list); an
            // emptied list stays for the connection that comes back to it.
            guard let index = idle.index(forKey: key) else { return (.connect, []) }
            let expired = Self.removeExpired(from: &idle.values[index], now: now)
            if let taken = idle.values[index].popLast() { return (.reuse(taken.connection), expired) }
            return (.connect, expired)
        }

        /// What happens to a connection whose exchange is done.
        enum ReleaseAction {
            /// It is kept for the next request; `expired` are idle ones to close.
            case keep(expired: [Connection])
            /// Close it (too many idle, or the pool is shut down).
            case close
        }

        /// `connection` to `key` finished its exchange at `now` and may be reused; it is
        /// kept at most `idleTimeout` (nil: until it is taken or closed).
        mutating func release(
            _ connection: Connection, to key: Key, now: ContinuousClock.Instant, idleTimeout: Duration?
        ) -> ReleaseAction {
            guard !isShutDown else { return .close }
            return Self.keep(
                Idle(connection: connection, expires: idleTimeout.map { now + $0 }), in: &idle[key, default: []],
                maxIdle: maxIdlePerKey, now: now)
        }

        /// Adds `connection` to `list` (changed in place) unless it holds `maxIdle`
        /// connections that have not expired.
        private static func keep(_ connection: Idle, in list: inout [Idle], maxIdle: Int, now: ContinuousClock.Instant)
            -> ReleaseAction
        {
            let expired = removeExpired(from: &list, now: now)
            guard list.count < maxIdle else { return .close }
            list.append(connection)
            return .keep(expired: expired)
        }

        /// `connection` closed (the backend closed it, or it failed): it is not reused.
        mutating func closed(_ id: Connection.ID, key: Key) {
            guard let index = idle.index(forKey: key) else { return }
            idle.values[index].removeAll { $0.connection.id == id }
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
