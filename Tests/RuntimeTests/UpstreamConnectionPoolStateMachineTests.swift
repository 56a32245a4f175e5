import Testing

@testable import Runtime

/// The upstream pool's decisions without sockets: reuse, expiry, limits, closes, shutdown.
struct UpstreamConnectionPoolStateMachineTests {
    struct Connection: Identifiable, Equatable {
        let id: Int
    }

    typealias Machine = UpstreamConnectionPool.StateMachine<Connection>

    static let loopA = ObjectIdentifier(Connection.self as Any.Type)
    static let loopB = ObjectIdentifier(Int.self as Any.Type)
    static let key = UpstreamConnectionPool.Key(loop: loopA, host: "127.0.0.1", port: 8081)
    static let start = ContinuousClock.now

    static func reused(_ action: Machine.LeaseAction) -> Int? {
        if case .reuse(let connection) = action { return connection.id }
        return nil
    }

    static func isConnect(_ action: Machine.LeaseAction) -> Bool {
        if case .connect = action { return true }
        return false
    }

    static func kept(_ action: Machine.ReleaseAction) -> [Int]? {
        if case .keep(let expired) = action { return expired.map(\.id) }
        return nil
    }

    @Test("an empty pool connects; a released connection is reused, most recent first")
    func reuse() {
        var machine = Machine(maxIdlePerKey: 4)
        #expect(Self.isConnect(machine.lease(Self.key, now: Self.start).action))
        #expect(
            Self.kept(machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(60)))
                == [])
        #expect(
            Self.kept(
                machine.release(
                    Connection(id: 2), to: Self.key, now: Self.start + .seconds(1), idleTimeout: .seconds(60))) == [])
        #expect(Self.reused(machine.lease(Self.key, now: Self.start + .seconds(2)).action) == 2)
        #expect(Self.reused(machine.lease(Self.key, now: Self.start + .seconds(2)).action) == 1)
        #expect(Self.isConnect(machine.lease(Self.key, now: Self.start + .seconds(2)).action))
    }

    @Test("connections are kept apart by event loop, host and port")
    func keys() {
        var machine = Machine(maxIdlePerKey: 4)
        _ = machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        var otherLoop = Self.key
        otherLoop.loop = Self.loopB
        var otherPort = Self.key
        otherPort.port = 8082
        #expect(Self.isConnect(machine.lease(otherLoop, now: Self.start).action))
        #expect(Self.isConnect(machine.lease(otherPort, now: Self.start).action))
        #expect(Self.reused(machine.lease(Self.key, now: Self.start).action) == 1)
    }

    @Test("connections idle longer than the timeout are handed back to be closed, not reused")
    func expiry() {
        var machine = Machine(maxIdlePerKey: 4)
        _ = machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(10))
        _ = machine.release(Connection(id: 2), to: Self.key, now: Self.start + .seconds(8), idleTimeout: .seconds(10))
        let lease = machine.lease(Self.key, now: Self.start + .seconds(12))
        #expect(lease.expired.map(\.id) == [1])
        #expect(Self.reused(lease.action) == 2)
        _ = machine.release(Connection(id: 3), to: Self.key, now: Self.start + .seconds(12), idleTimeout: .seconds(10))
        #expect(
            Self.kept(
                machine.release(
                    Connection(id: 4), to: Self.key, now: Self.start + .seconds(30), idleTimeout: .seconds(10))) == [3])
        #expect(machine.idleCount(Self.key) == 1)
    }

    @Test("no more than the limit of idle connections is kept")
    func limit() {
        var machine = Machine(maxIdlePerKey: 2)
        #expect(
            Self.kept(machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(60)))
                != nil)
        #expect(
            Self.kept(machine.release(Connection(id: 2), to: Self.key, now: Self.start, idleTimeout: .seconds(60)))
                != nil)
        guard case .close = machine.release(Connection(id: 3), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        else {
            Issue.record("a third idle connection must be closed")
            return
        }
        #expect(machine.idleCount(Self.key) == 2)
    }

    @Test("a connection the backend closed is never handed out")
    func closed() {
        var machine = Machine(maxIdlePerKey: 4)
        _ = machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        _ = machine.release(Connection(id: 2), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        machine.closed(2, key: Self.key)
        #expect(Self.reused(machine.lease(Self.key, now: Self.start).action) == 1)
        machine.closed(1, key: Self.key)
        #expect(Self.isConnect(machine.lease(Self.key, now: Self.start).action))
    }

    @Test("shutdown hands back every idle connection; later leases fail and releases close")
    func shutdown() {
        var machine = Machine(maxIdlePerKey: 4)
        _ = machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        var other = Self.key
        other.port = 9000
        _ = machine.release(Connection(id: 2), to: other, now: Self.start, idleTimeout: .seconds(60))
        #expect(Set(machine.shutdown().map(\.id)) == [1, 2])
        guard case .shutDown = machine.lease(Self.key, now: Self.start).action else {
            Issue.record("lease after shutdown must fail")
            return
        }
        guard case .close = machine.release(Connection(id: 3), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        else {
            Issue.record("release after shutdown must close")
            return
        }
    }

    @Test("each connection keeps the idle limit it was released with; none means until taken")
    func perConnectionIdleLimits() {
        var machine = Machine(maxIdlePerKey: 8)
        _ = machine.release(Connection(id: 1), to: Self.key, now: Self.start, idleTimeout: .seconds(5))
        _ = machine.release(Connection(id: 2), to: Self.key, now: Self.start, idleTimeout: nil)
        _ = machine.release(Connection(id: 3), to: Self.key, now: Self.start, idleTimeout: .seconds(60))
        // At 10 s only the 5 s connection has expired; the newest idle one is taken first.
        let lease = machine.lease(Self.key, now: Self.start + .seconds(10))
        #expect(lease.expired.map(\.id) == [1])
        guard case .reuse(let taken) = lease.action else {
            Issue.record("expected a reuse")
            return
        }
        #expect(taken.id == 3)
        // Hours later the one released without a limit is still there.
        let later = machine.lease(Self.key, now: Self.start + .seconds(36_000))
        #expect(later.expired.isEmpty)
        guard case .reuse(let kept) = later.action else {
            Issue.record("expected a reuse")
            return
        }
        #expect(kept.id == 2)
    }
}
