@testable import ConfigLang
import Testing

@testable import Runtime

/// The scheduler's decisions, driven input by input with explicit instants: no
/// processes, no clocks, no sleeps.
struct SchedulerStateMachineTests {
    static let t0 = ContinuousClock.now

    static func at(_ seconds: Int) -> ContinuousClock.Instant { t0.advanced(by: .seconds(seconds)) }

    static func r(_ n: UInt64) -> RequestID { RequestID(n) }

    static func group(
        _ name: String, _ members: [String], swap: Bool = true, exclusive: Bool = true, persistent: Bool = false
    ) -> GroupPlan {
        GroupPlan(name: name, swap: swap, exclusive: exclusive, persistent: persistent, members: members)
    }

    static func routing(
        _ groups: [GroupPlan], priorities: [String: Int] = [:]
    ) -> RoutingPlan {
        RoutingPlan(engine: "group", groups: groups, matrixSets: [], evictCosts: [:], priorities: priorities)
    }

    static func machine(
        _ routing: RoutingPlan, limit: Int = 10, ttls: [String: Int] = [:]
    ) -> SchedulerStateMachine {
        let models =
            routing.engine == "matrix"
            ? Set(routing.matrixSets.flatMap { $0 }) : Set(routing.groups.flatMap(\.members))
        return SchedulerStateMachine(
            routing: routing, limits: Dictionary(uniqueKeysWithValues: models.map { ($0, limit) }),
            ttls: Dictionary(uniqueKeysWithValues: models.map { ($0, ttls[$0] ?? 0) }))
    }

    /// The default group: one model at a time.
    static let single = routing([group(GroupPlan.defaultName, ["a", "b", "c"])])

    /// Brings `model` up with one request that is then finished, leaving it ready and idle.
    static func warm(_ m: inout SchedulerStateMachine, _ model: String, id: UInt64, at time: Int = 0) {
        _ = m.requestArrived(id: r(id), model: model, priority: 0, now: at(time))
        _ = m.backendReady(model: model, now: at(time))
        _ = m.requestFinished(id: r(id), now: at(time))
    }

    @Test("a stopped model starts once; its request is admitted when ready; then requests are admitted at once")
    func readyFastPath() {
        var m = Self.machine(Self.single)
        #expect(m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0)) == [.startBackend("a")])
        #expect(m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(0)) == [], "one start per model")
        #expect(m.backendReady(model: "a", now: Self.at(1)) == [.admit(Self.r(1)), .admit(Self.r(2))])
        #expect(m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(2)) == [.admit(Self.r(3))])
        #expect(m.activity()["a"] == ModelActivity(state: .ready, inFlight: 3, queued: 0))
        #expect(m.readyModels() == ["a"])
    }

    @Test("with nobody queued, a finished request stops only its own model, and only when an unload waits for it")
    func finishWithEmptyQueue() {
        var m = Self.machine(Self.routing([Self.group("g", ["a", "b"], swap: false)]))
        Self.warm(&m, "a", id: 1)
        Self.warm(&m, "b", id: 2)
        #expect(m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(1)) == [.admit(Self.r(3))])
        #expect(m.requestArrived(id: Self.r(4), model: "a", priority: 0, now: Self.at(1)) == [.admit(Self.r(4))])
        #expect(m.requestArrived(id: Self.r(5), model: "b", priority: 0, now: Self.at(1)) == [.admit(Self.r(5))])
        #expect(m.unloadRequested(model: "a") == [], "a is busy")
        #expect(m.requestFinished(id: Self.r(5), now: Self.at(2)) == [], "b is not being unloaded")
        #expect(m.requestFinished(id: Self.r(3), now: Self.at(2)) == [], "a still has a request in flight")
        #expect(m.requestFinished(id: Self.r(4), now: Self.at(2)) == [.stopBackend("a")])
        #expect(m.requestFinished(id: Self.r(4), now: Self.at(2)) == [], "a request finishes once")
        #expect(m.activity()["a"] == ModelActivity(state: .stopping, inFlight: 0, queued: 0))
        #expect(m.activity()["b"] == ModelActivity(state: .ready, inFlight: 0, queued: 0))
    }

    @Test("a ready model admits at once only while nobody is queued; a held model queues")
    func admitAtOnceOnlyWithEmptyQueue() {
        var m = Self.machine(Self.single)
        Self.warm(&m, "a", id: 1)
        #expect(m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(1)) == [.admit(Self.r(2))])
        // b's swap claims a: later requests for a queue behind it.
        #expect(m.requestArrived(id: Self.r(3), model: "b", priority: 0, now: Self.at(1)) == [])
        #expect(m.requestArrived(id: Self.r(4), model: "a", priority: 0, now: Self.at(1)) == [])
        #expect(m.activity()["a"] == ModelActivity(state: .ready, inFlight: 1, queued: 1))
        var held = Self.machine(Self.single)
        Self.warm(&held, "a", id: 1)
        #expect(held.drainRequested(models: ["a"]) == [])
        #expect(held.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(1)) == [])
        #expect(held.activity()["a"] == ModelActivity(state: .ready, inFlight: 0, queued: 1))
    }

    @Test("admitIfReady admits only a ready model with room, no queue and no drain, and otherwise changes nothing")
    func admitIfReadyMatchesArrival() {
        var m = Self.machine(Self.single, limit: 2)
        let stopped = m.admitIfReady(id: Self.r(1), model: "a")
        #expect(!stopped, "a is stopped")
        let unknown = m.admitIfReady(id: Self.r(1), model: "x")
        #expect(!unknown, "x is unknown")
        #expect(m.activity()["a"] == ModelActivity(state: .stopped, inFlight: 0, queued: 0))
        Self.warm(&m, "a", id: 1)
        let first = m.admitIfReady(id: Self.r(2), model: "a")
        #expect(first)
        let again = m.admitIfReady(id: Self.r(2), model: "a")
        #expect(!again, "an admitted ID is not admitted twice")
        let second = m.admitIfReady(id: Self.r(3), model: "a")
        #expect(second)
        let overLimit = m.admitIfReady(id: Self.r(4), model: "a")
        #expect(!overLimit, "a is at its limit")
        #expect(m.activity()["a"] == ModelActivity(state: .ready, inFlight: 2, queued: 0))
        #expect(m.requestFinished(id: Self.r(3), now: Self.at(1)) == [])
        // b's swap claims a: nobody is admitted at once while it is queued.
        #expect(m.requestArrived(id: Self.r(5), model: "b", priority: 0, now: Self.at(1)) == [])
        let behindQueue = m.admitIfReady(id: Self.r(6), model: "a")
        #expect(!behindQueue, "somebody is queued")
        #expect(m.activity()["a"] == ModelActivity(state: .ready, inFlight: 1, queued: 0))
        _ = m.requestFinished(id: Self.r(2), now: Self.at(2))
        #expect(m.activity()["a"]?.inFlight == 0, "a request admitted by it is released like any other")
        var held = Self.machine(Self.single)
        Self.warm(&held, "a", id: 1)
        #expect(held.drainRequested(models: ["a"]) == [])
        let drained = held.admitIfReady(id: Self.r(2), model: "a")
        #expect(!drained, "a drain holds a")
        #expect(held.activity()["a"] == ModelActivity(state: .ready, inFlight: 0, queued: 0))
    }

    @Test("no TTL anywhere means no deadline; a TTL set by a plan update brings one")
    func deadlineOnlyWithTTL() {
        var m = Self.machine(Self.single)
        Self.warm(&m, "a", id: 1, at: 0)
        #expect(m.nextDeadline() == nil)
        _ = m.updatePlan(routing: Self.single, limits: ["a": 10, "b": 10, "c": 10], ttls: ["a": 5, "b": 0, "c": 0])
        #expect(m.nextDeadline() == Self.at(5))
        _ = m.updatePlan(routing: Self.single, limits: ["a": 10, "b": 10, "c": 10], ttls: ["a": 0, "b": 0, "c": 0])
        #expect(m.nextDeadline() == nil)
    }

    @Test("unknown model is rejected")
    func unknownModel() {
        var m = Self.machine(Self.single)
        #expect(
            m.requestArrived(id: Self.r(1), model: "zzz", priority: 0, now: Self.at(0)) == [
                .reject(Self.r(1), .unknownModel)
            ])
    }

    @Test("swap group: an idle member is stopped, then the requested one started, then admitted")
    func swapWithinGroup() {
        var m = Self.machine(Self.single)
        Self.warm(&m, "a", id: 1)
        #expect(m.requestArrived(id: Self.r(2), model: "b", priority: 0, now: Self.at(1)) == [.stopBackend("a")])
        #expect(m.activity()["a"]?.state == .stopping)
        #expect(m.backendStopped(model: "a", now: Self.at(2)) == [.startBackend("b")])
        #expect(m.backendReady(model: "b", now: Self.at(3)) == [.admit(Self.r(2))])
    }

    @Test("a swap waits for in-flight work on the victim, then stops it, then starts")
    func swapWaitsForInFlight() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        #expect(m.backendReady(model: "a", now: Self.at(0)) == [.admit(Self.r(1))])
        #expect(m.requestArrived(id: Self.r(2), model: "b", priority: 0, now: Self.at(1)) == [], "a is busy")
        #expect(m.activity()["b"] == ModelActivity(state: .stopped, inFlight: 0, queued: 1))
        #expect(m.requestFinished(id: Self.r(1), now: Self.at(2)) == [.stopBackend("a")])
        #expect(m.backendStopped(model: "a", now: Self.at(3)) == [.startBackend("b")])
        #expect(m.backendReady(model: "b", now: Self.at(4)) == [.admit(Self.r(2))])
    }

    @Test("exclusive group stops other groups; a non-exclusive group leaves them alone; swap: false runs together")
    func exclusiveVersusNonExclusive() {
        let routing = Self.routing([
            Self.group("big", ["x"], swap: true, exclusive: true),
            Self.group("small", ["s1", "s2"], swap: false, exclusive: false),
        ])
        var m = Self.machine(routing)
        Self.warm(&m, "s1", id: 1)
        #expect(m.requestArrived(id: Self.r(2), model: "s2", priority: 0, now: Self.at(1)) == [.startBackend("s2")])
        _ = m.backendReady(model: "s2", now: Self.at(1))
        _ = m.requestFinished(id: Self.r(2), now: Self.at(1))
        #expect(
            m.requestArrived(id: Self.r(3), model: "x", priority: 0, now: Self.at(2)) == [
                .stopBackend("s1"), .stopBackend("s2"),
            ])
        _ = m.backendStopped(model: "s1", now: Self.at(3))
        #expect(m.backendStopped(model: "s2", now: Self.at(3)) == [.startBackend("x")])
        #expect(m.backendReady(model: "x", now: Self.at(4)) == [.admit(Self.r(3))])
        #expect(
            m.requestArrived(id: Self.r(4), model: "s1", priority: 0, now: Self.at(5)) == [.startBackend("s1")],
            "non-exclusive: x keeps running")
        #expect(m.activity()["x"]?.state == .ready)
    }

    @Test("a persistent group survives an exclusive group's start")
    func persistentSurvives() {
        let routing = Self.routing([
            Self.group("main", ["a", "b"]),
            Self.group("forever", ["p"], swap: false, exclusive: false, persistent: true),
            Self.group("other", ["o"], swap: false, exclusive: false),
        ])
        var m = Self.machine(routing)
        Self.warm(&m, "p", id: 1)
        Self.warm(&m, "o", id: 2)
        #expect(m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(1)) == [.stopBackend("o")])
        #expect(m.backendStopped(model: "o", now: Self.at(1)) == [.startBackend("a")])
        #expect(m.activity()["p"]?.state == .ready)
    }

    @Test("waiters for one model are admitted FIFO")
    func fifoOrder() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(0))
        #expect(
            m.backendReady(model: "a", now: Self.at(1)) == [.admit(Self.r(1)), .admit(Self.r(2)), .admit(Self.r(3))])
    }

    @Test("higher priority is served first: among a model's waiters and when choosing the next swap")
    func priorityOrder() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(2), model: "a", priority: 5, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(0))
        #expect(
            m.backendReady(model: "a", now: Self.at(1)) == [.admit(Self.r(2)), .admit(Self.r(1)), .admit(Self.r(3))])

        // a is busy; b (priority 0) asks first, c (priority 10) second: c swaps in first.
        #expect(m.requestArrived(id: Self.r(4), model: "b", priority: 0, now: Self.at(2)) == [])
        #expect(m.requestArrived(id: Self.r(5), model: "c", priority: 10, now: Self.at(2)) == [])
        _ = m.requestFinished(id: Self.r(1), now: Self.at(3))
        _ = m.requestFinished(id: Self.r(2), now: Self.at(3))
        #expect(m.requestFinished(id: Self.r(3), now: Self.at(3)) == [.stopBackend("a")])
        #expect(m.backendStopped(model: "a", now: Self.at(4)) == [.startBackend("c")])
        #expect(m.backendReady(model: "c", now: Self.at(5)) == [.admit(Self.r(5))])
        #expect(m.requestFinished(id: Self.r(5), now: Self.at(6)) == [.stopBackend("c")])
        #expect(m.backendStopped(model: "c", now: Self.at(7)) == [.startBackend("b")])
        #expect(m.backendReady(model: "b", now: Self.at(8)) == [.admit(Self.r(4))])
    }

    @Test("admitted plus queued over concurrencyLimit is rejected with Retry-After 1")
    func concurrencyLimit() {
        var m = Self.machine(Self.single, limit: 2)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(0))
        #expect(
            m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(0)) == [
                .reject(Self.r(3), .overLimit(retryAfterSeconds: 1))
            ], "queued requests count")
        _ = m.backendReady(model: "a", now: Self.at(1))
        #expect(
            m.requestArrived(id: Self.r(4), model: "a", priority: 0, now: Self.at(1)) == [
                .reject(Self.r(4), .overLimit(retryAfterSeconds: 1))
            ])
        _ = m.requestFinished(id: Self.r(1), now: Self.at(2))
        #expect(m.requestArrived(id: Self.r(5), model: "a", priority: 0, now: Self.at(2)) == [.admit(Self.r(5))])
    }

    @Test("a cancelled waiter is withdrawn: never admitted, and no longer blocks others")
    func cancelledWaiter() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(0))
        #expect(m.requestCancelled(id: Self.r(1), now: Self.at(0)) == [])
        #expect(m.backendReady(model: "a", now: Self.at(1)) == [.admit(Self.r(2))])

        // r3 waits to swap a out; r4 for a queues behind it. Withdrawing r3 lets r4 in.
        #expect(m.requestArrived(id: Self.r(3), model: "b", priority: 0, now: Self.at(2)) == [])
        #expect(m.requestArrived(id: Self.r(4), model: "a", priority: 0, now: Self.at(2)) == [])
        #expect(m.requestCancelled(id: Self.r(3), now: Self.at(3)) == [.admit(Self.r(4))])
        #expect(m.activity()["b"]?.queued == 0)

        // Cancelling an admitted request releases it.
        _ = m.requestCancelled(id: Self.r(2), now: Self.at(4))
        #expect(m.activity()["a"]?.inFlight == 1)
    }

    @Test("a failed start fails every waiter of that model; the next request tries again")
    func backendFailure() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(0))
        #expect(m.backendFailed(model: "a", message: "boom") == [.fail(Self.r(1), "boom"), .fail(Self.r(2), "boom")])
        #expect(m.activity()["a"] == ModelActivity(state: .stopped, inFlight: 0, queued: 0))
        #expect(m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(1)) == [.startBackend("a")])
    }

    @Test("a failed start lets the next queued swap proceed")
    func backendFailureUnblocksOthers() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        #expect(m.requestArrived(id: Self.r(2), model: "b", priority: 0, now: Self.at(0)) == [])
        #expect(m.backendFailed(model: "a", message: "boom") == [.fail(Self.r(1), "boom"), .startBackend("b")])
    }

    @Test("TTL: stop ttl seconds after the last request finished; a new request resets it")
    func ttl() {
        var m = Self.machine(Self.single, ttls: ["a": 60])
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "a", now: Self.at(1))
        #expect(m.nextDeadline() == nil, "in flight")
        _ = m.requestFinished(id: Self.r(1), now: Self.at(10))
        #expect(m.nextDeadline() == Self.at(70))
        #expect(m.tick(now: Self.at(69)) == [])
        _ = m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(50))
        #expect(m.nextDeadline() == nil)
        _ = m.requestFinished(id: Self.r(2), now: Self.at(55))
        #expect(m.nextDeadline() == Self.at(115))
        #expect(m.tick(now: Self.at(70)) == [])
        #expect(m.tick(now: Self.at(115)) == [.stopBackend("a")])
        #expect(m.nextDeadline() == nil)
    }

    @Test("TTL counts from readiness when no request came, and never applies with ttl 0")
    func ttlFromReady() {
        var m = Self.machine(Self.single, ttls: ["a": 30])
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.requestCancelled(id: Self.r(1), now: Self.at(1))
        #expect(m.backendReady(model: "a", now: Self.at(5)) == [])
        #expect(m.nextDeadline() == Self.at(35))
        #expect(m.tick(now: Self.at(40)) == [.stopBackend("a")])
        _ = m.backendStopped(model: "a", now: Self.at(41))
        Self.warm(&m, "b", id: 2, at: 50)
        #expect(m.nextDeadline() == nil, "b has ttl 0")
    }

    @Test("no starvation: a request for a ready model queues behind a waiting swap that would evict it")
    func noStarvation() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "a", now: Self.at(0))
        #expect(m.requestArrived(id: Self.r(2), model: "b", priority: 0, now: Self.at(1)) == [])
        #expect(m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(1)) == [], "a is claimed by r2")
        #expect(m.activity()["a"] == ModelActivity(state: .ready, inFlight: 1, queued: 1))
        #expect(m.requestFinished(id: Self.r(1), now: Self.at(2)) == [.stopBackend("a")])
        #expect(m.backendStopped(model: "a", now: Self.at(3)) == [.startBackend("b")])
        #expect(m.backendReady(model: "b", now: Self.at(4)) == [.admit(Self.r(2))])
        #expect(m.requestFinished(id: Self.r(2), now: Self.at(5)) == [.stopBackend("b")])
        #expect(m.backendStopped(model: "b", now: Self.at(6)) == [.startBackend("a")])
        #expect(m.backendReady(model: "a", now: Self.at(7)) == [.admit(Self.r(3))])
    }

    @Test("matrix: the cheapest set wins and its outsiders are evicted")
    func matrixCost() {
        let routing = RoutingPlan(
            engine: "matrix", groups: [], matrixSets: [["a", "b"], ["a", "c"], ["z"]], evictCosts: ["b": 5],
            priorities: [:])
        var m = Self.machine(routing)
        Self.warm(&m, "b", id: 1)
        #expect(m.requestArrived(id: Self.r(2), model: "c", priority: 0, now: Self.at(1)) == [.stopBackend("b")])
        _ = m.backendStopped(model: "b", now: Self.at(1))
        _ = m.backendReady(model: "c", now: Self.at(1))
        _ = m.requestFinished(id: Self.r(2), now: Self.at(1))
        Self.warm(&m, "b", id: 3, at: 2)  // b joins; nothing to evict? b is only with a: c must go.
        #expect(m.activity()["c"]?.state == .stopping)
        _ = m.backendStopped(model: "c", now: Self.at(2))
        _ = m.backendReady(model: "b", now: Self.at(2))
        _ = m.requestFinished(id: Self.r(3), now: Self.at(2))
        #expect(m.requestArrived(id: Self.r(4), model: "a", priority: 0, now: Self.at(3)) == [.startBackend("a")])
        _ = m.backendReady(model: "a", now: Self.at(3))
        _ = m.requestFinished(id: Self.r(4), now: Self.at(3))
        #expect(
            m.requestArrived(id: Self.r(5), model: "z", priority: 0, now: Self.at(4)) == [
                .stopBackend("a"), .stopBackend("b"),
            ])
    }

    @Test("unload stops idle models now and busy ones when their last request ends")
    func unload() {
        let routing = Self.routing([Self.group("all", ["a", "b"], swap: false, exclusive: false)])
        var m = Self.machine(routing)
        Self.warm(&m, "a", id: 1)
        _ = m.requestArrived(id: Self.r(2), model: "b", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "b", now: Self.at(0))
        #expect(m.unloadRequested(model: nil) == [.stopBackend("a")])
        #expect(m.requestArrived(id: Self.r(3), model: "b", priority: 0, now: Self.at(1)) == [], "held until stopped")
        #expect(m.requestFinished(id: Self.r(2), now: Self.at(2)) == [.stopBackend("b")])
        #expect(m.backendStopped(model: "b", now: Self.at(3)) == [.startBackend("b")], "the held request restarts it")
        #expect(m.unloadRequested(model: "a") == [], "stopping already")
    }

    @Test("plan update: new limits, TTLs and routing apply to the next decision; removed models fail and unload")
    func planUpdate() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "a", now: Self.at(0))
        _ = m.requestArrived(id: Self.r(2), model: "c", priority: 0, now: Self.at(0))

        let loose = Self.routing([Self.group("all", ["a", "b"], swap: false, exclusive: false)])
        let actions = m.updatePlan(routing: loose, limits: ["a": 1, "b": 10], ttls: ["a": 5, "b": 0])
        #expect(actions == [.fail(Self.r(2), "The model 'c' was removed from the config while this request waited.")])
        #expect(
            m.requestArrived(id: Self.r(3), model: "a", priority: 0, now: Self.at(1)) == [
                .reject(Self.r(3), .overLimit(retryAfterSeconds: 1))
            ])
        #expect(m.requestArrived(id: Self.r(4), model: "b", priority: 0, now: Self.at(1)) == [.startBackend("b")])
        _ = m.requestFinished(id: Self.r(1), now: Self.at(2))
        #expect(m.nextDeadline() == Self.at(7))
        #expect(
            m.requestArrived(id: Self.r(5), model: "c", priority: 0, now: Self.at(3)) == [
                .reject(Self.r(5), .unknownModel)
            ])
    }

    @Test("plan update unloads a running model that was removed, once it is idle")
    func planUpdateRemovesRunning() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "a", now: Self.at(0))
        #expect(m.updatePlan(routing: Self.routing([Self.group("g", ["b"])]), limits: ["b": 10], ttls: ["b": 0]) == [])
        #expect(m.requestFinished(id: Self.r(1), now: Self.at(1)) == [.stopBackend("a")])
        _ = m.backendStopped(model: "a", now: Self.at(2))
        #expect(m.activity()["a"] == nil)
    }

    @Test("reload drain holds new requests until the plan update names the model replaced")
    func drain() {
        var m = Self.machine(Self.single)
        _ = m.requestArrived(id: Self.r(1), model: "a", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "a", now: Self.at(0))
        #expect(m.drainRequested(models: ["a"]) == [])
        #expect(m.requestArrived(id: Self.r(2), model: "a", priority: 0, now: Self.at(1)) == [])
        _ = m.requestFinished(id: Self.r(1), now: Self.at(2))
        #expect(m.inFlightCount("a") == 0)
        #expect(m.nextDeadline() == nil)
        let actions = m.updatePlan(
            routing: Self.single, limits: ["a": 10, "b": 10, "c": 10], ttls: [:], replaced: ["a"])
        #expect(actions == [.startBackend("a")])
        #expect(m.backendReady(model: "a", now: Self.at(3)) == [.admit(Self.r(2))])
    }

    @Test("swaps that do not conflict proceed in parallel")
    func parallelStarts() {
        let routing = Self.routing([
            Self.group("left", ["l1", "l2"], exclusive: false),
            Self.group("right", ["r1", "r2"], exclusive: false),
        ])
        var m = Self.machine(routing)
        _ = m.requestArrived(id: Self.r(1), model: "l1", priority: 0, now: Self.at(0))
        _ = m.backendReady(model: "l1", now: Self.at(0))
        #expect(m.requestArrived(id: Self.r(2), model: "l2", priority: 0, now: Self.at(1)) == [], "l1 busy")
        #expect(m.requestArrived(id: Self.r(3), model: "r1", priority: 0, now: Self.at(1)) == [.startBackend("r1")])
    }
}
