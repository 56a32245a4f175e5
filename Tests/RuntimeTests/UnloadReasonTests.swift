@testable import ConfigLang
import Testing

@testable import Runtime

/// Why the scheduler stops each model (the `reason` of `swap_model_unloads_total`):
/// TTL, swap, the unload API and a reload, decided by the state machine.
struct UnloadReasonTests {
    typealias S = SchedulerStateMachineTests

    /// A machine with `model` started and ready at 0 s and its request finished at 1 s.
    static func ready(_ model: String, ttls: [String: Int] = [:]) -> SchedulerStateMachine {
        var m = S.machine(S.single, ttls: ttls)
        _ = m.requestArrived(id: S.r(1), model: model, priority: 0, now: S.at(0))
        _ = m.backendReady(model: model, now: S.at(0))
        _ = m.requestFinished(id: S.r(1), now: S.at(1))
        return m
    }

    @Test("a TTL expiry stops for ttl")
    func ttl() {
        var m = Self.ready("a", ttls: ["a": 5])
        #expect(m.tick(now: S.at(6)) == [.stopBackend("a")])
        #expect(m.stopReason(of: "a") == .ttl)
    }

    @Test("a request for another model in the same group stops the running one for swap")
    func swap() {
        var m = Self.ready("a")
        #expect(m.requestArrived(id: S.r(2), model: "b", priority: 0, now: S.at(2)) == [.stopBackend("a")])
        #expect(m.stopReason(of: "a") == .swap)
    }

    @Test("the unload API stops for api, at once when idle and after the last request when busy")
    func api() {
        var idle = Self.ready("a")
        #expect(idle.unloadRequested(model: "a") == [.stopBackend("a")])
        #expect(idle.stopReason(of: "a") == .api)

        var busy = Self.ready("a")
        _ = busy.requestArrived(id: S.r(2), model: "a", priority: 0, now: S.at(2))
        #expect(busy.unloadRequested(model: "a") == [])
        #expect(busy.requestFinished(id: S.r(2), now: S.at(3)) == [.stopBackend("a")])
        #expect(busy.stopReason(of: "a") == .api)
    }

    @Test("a reload that removes a running model stops it for reload")
    func reload() {
        var m = Self.ready("a")
        let actions = m.updatePlan(
            routing: S.routing([S.group(GroupPlan.defaultName, ["b", "c"])]), limits: ["b": 10, "c": 10], ttls: [:])
        #expect(actions == [.stopBackend("a")])
        #expect(m.stopReason(of: "a") == .reload)
    }

    @Test("a later stop for another reason replaces the earlier one")
    func latest() {
        var m = Self.ready("a", ttls: ["a": 5])
        _ = m.tick(now: S.at(6))
        #expect(m.stopReason(of: "a") == .ttl)
        _ = m.backendStopped(model: "a", now: S.at(7))
        _ = m.requestArrived(id: S.r(3), model: "a", priority: 0, now: S.at(8))
        _ = m.backendReady(model: "a", now: S.at(9))
        _ = m.requestFinished(id: S.r(3), now: S.at(10))
        _ = m.unloadRequested(model: "a")
        #expect(m.stopReason(of: "a") == .api)
    }
}
