import ConfigLang
import Testing

@testable import Runtime

/// An in-memory ``BackendControl``: records every call as an event and lets the test
/// decide when (and whether) a start succeeds.
actor FakeBackendControl: BackendControl {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    nonisolated let events: AsyncStream<String>
    private let sink: AsyncStream<String>.Continuation
    private var pendingStarts: [String: CheckedContinuation<Void, any Error>] = [:]
    /// Models whose starts complete at once.
    private var instant: Set<String>

    init(instant: Set<String> = []) {
        (events, sink) = AsyncStream.makeStream()
        self.instant = instant
    }

    func start(model: String) async throws {
        sink.yield("start \(model)")
        if instant.contains(model) { return }
        try await withCheckedThrowingContinuation { pendingStarts[model] = $0 }
    }

    func stop(model: String) async {
        sink.yield("stop \(model)")
    }

    /// Lets the pending start of `model` finish, successfully or with `failure`.
    func completeStart(_ model: String, failure: String? = nil) {
        guard let continuation = pendingStarts.removeValue(forKey: model) else {
            Issue.record("no pending start for \(model)")
            return
        }
        if let failure {
            continuation.resume(throwing: Failure(description: failure))
        } else {
            continuation.resume()
        }
    }
}

/// ``ModelScheduler`` over a fake backend: admission, swaps, failures, cancellation,
/// unload, reload and the TTL timer.
struct SchedulerActorTests {
    static func plan(_ yaml: String) throws -> Plan {
        let result = PlanBuilder.compile([SourceFile(name: "t.yaml", text: yaml)], environment: [:])
        return try #require(result.plan, "\(result.diagnostics.map(\.message))")
    }

    static func twoModels(ttl: Int = 0, limit: Int = 10) throws -> Plan {
        try plan(
            """
            models:
              a:
                cmd: /bin/server --port ${PORT}
                ttl: \(ttl)
                concurrencyLimit: \(limit)
                aliases: [alpha]
              b:
                cmd: /bin/server --port ${PORT}
            """)
    }

    /// Suspends (without sleeping) until `condition` holds for the scheduler's snapshot;
    /// records an issue instead of spinning forever.
    static func until(
        _ scheduler: ModelScheduler, _ condition: @Sendable ([String: ModelActivity]) -> Bool,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async {
        for _ in 0..<1_000_000 {
            if condition(scheduler.snapshot()) { return }
            await Task.yield()
        }
        Issue.record("condition never held", sourceLocation: sourceLocation)
    }

    @Test("acquire starts a stopped model, returns once ready, and release frees it")
    func acquireStartsAndReleases() async throws {
        let fake = FakeBackendControl()
        let scheduler = ModelScheduler(plan: try Self.twoModels(), backends: fake)
        var events = fake.events.makeAsyncIterator()
        let pending = Task { try await scheduler.acquire(model: "alpha") }
        #expect(await events.next() == "start a")
        await fake.completeStart("a")
        let lease = try await pending.value
        #expect(lease.model == "a")
        #expect(scheduler.snapshot()["a"] == ModelActivity(state: .ready, inFlight: 1, queued: 0))
        #expect(scheduler.readyModels() == ["a"])
        let second = try await scheduler.acquire(model: "a")
        scheduler.release(lease)
        scheduler.release(second)
        scheduler.release(second)
        #expect(scheduler.snapshot()["a"] == ModelActivity(state: .ready, inFlight: 0, queued: 0))
    }

    @Test("unknown model, over limit and failed start are errors a caller can show")
    func errors() async throws {
        let fake = FakeBackendControl(instant: ["a"])
        let scheduler = ModelScheduler(plan: try Self.twoModels(limit: 1), backends: fake)
        await #expect(throws: SchedulerError.unknownModel("nope")) { try await scheduler.acquire(model: "nope") }
        let lease = try await scheduler.acquire(model: "a")
        await #expect(throws: SchedulerError.overLimit(retryAfter: 1)) { try await scheduler.acquire(model: "a") }
        scheduler.release(lease)

        var events = fake.events.makeAsyncIterator()
        #expect(await events.next() == "start a")
        let pending = Task { try await scheduler.acquire(model: "b") }
        #expect(await events.next() == "stop a")
        #expect(await events.next() == "start b")
        await fake.completeStart("b", failure: "b could not load its weights")
        await #expect(throws: SchedulerError.backendFailed("b could not load its weights")) { try await pending.value }
        #expect(scheduler.snapshot()["b"]?.state == .stopped)
    }

    @Test("a swap waits for the lease on the running model, then stops it and starts the other")
    func swapWaitsForRelease() async throws {
        let fake = FakeBackendControl(instant: ["a"])
        let scheduler = ModelScheduler(plan: try Self.twoModels(), backends: fake)
        var events = fake.events.makeAsyncIterator()
        let lease = try await scheduler.acquire(model: "a")
        #expect(await events.next() == "start a")
        let pending = Task { try await scheduler.acquire(model: "b") }
        await Self.until(scheduler) { $0["b"]?.queued == 1 }
        #expect(scheduler.snapshot()["a"]?.state == .ready, "in flight: not stopped")
        scheduler.release(lease)
        #expect(await events.next() == "stop a")
        #expect(await events.next() == "start b")
        await fake.completeStart("b")
        #expect(try await pending.value.model == "b")
        #expect(scheduler.snapshot()["a"]?.state == .stopped)
    }

    @Test("cancelling a waiting acquire withdraws it with CancellationError")
    func cancellation() async throws {
        let fake = FakeBackendControl()
        let scheduler = ModelScheduler(plan: try Self.twoModels(), backends: fake)
        var events = fake.events.makeAsyncIterator()
        let pending = Task { try await scheduler.acquire(model: "a") }
        #expect(await events.next() == "start a")
        pending.cancel()
        await #expect(throws: CancellationError.self) { try await pending.value }
        await Self.until(scheduler) { $0["a"]?.queued == 0 }
        await fake.completeStart("a")
        await Self.until(scheduler) { $0["a"]?.state == .ready }
        #expect(scheduler.snapshot()["a"]?.inFlight == 0)
    }

    @Test("unload stops idle models before returning")
    func unload() async throws {
        let fake = FakeBackendControl(instant: ["a"])
        let scheduler = ModelScheduler(plan: try Self.twoModels(), backends: fake)
        var events = fake.events.makeAsyncIterator()
        await scheduler.preload(model: "a")
        #expect(await events.next() == "start a")
        await scheduler.unload(model: nil)
        #expect(await events.next() == "stop a")
        #expect(scheduler.snapshot()["a"]?.state == .stopped)
    }

    @Test("updatePlan applies new limits to the next request; drains end when the model is replaced")
    func reload() async throws {
        let fake = FakeBackendControl(instant: ["a"])
        let scheduler = ModelScheduler(plan: try Self.twoModels(limit: 1), backends: fake)
        let first = try await scheduler.acquire(model: "a")
        await #expect(throws: SchedulerError.overLimit(retryAfter: 1)) { try await scheduler.acquire(model: "a") }
        scheduler.updatePlan(try Self.twoModels(limit: 3))
        let second = try await scheduler.acquire(model: "a")

        scheduler.beginDrain(models: ["a"])
        let held = Task { try await scheduler.acquire(model: "a") }
        await Self.until(scheduler) { $0["a"]?.queued == 1 }
        let drained = Task { await scheduler.waitForDrain(models: ["a"], timeout: .seconds(600)) }
        scheduler.release(first)
        scheduler.release(second)
        await drained.value
        scheduler.updatePlan(try Self.twoModels(limit: 3), replaced: ["a"])
        #expect(try await held.value.model == "a")
    }

    @Test("the TTL timer is kept while the next deadline is no earlier, replaced when it is")
    func timerKeptUnlessEarlier() {
        let now = ContinuousClock.now
        #expect(ModelScheduler.keepsTimer(firingAt: now, nextDeadline: nil), "no deadline: a harmless tick")
        #expect(ModelScheduler.keepsTimer(firingAt: now, nextDeadline: now))
        #expect(ModelScheduler.keepsTimer(firingAt: now, nextDeadline: now + .seconds(5)))
        #expect(!ModelScheduler.keepsTimer(firingAt: now + .seconds(5), nextDeadline: now))
    }

    @Test("the TTL timer stops an idle model on its own")
    func ttlTimer() async throws {
        let fake = FakeBackendControl(instant: ["a"])
        let scheduler = ModelScheduler(plan: try Self.twoModels(ttl: 1), backends: fake)
        var events = fake.events.makeAsyncIterator()
        scheduler.release(try await scheduler.acquire(model: "a"))
        #expect(await events.next() == "start a")
        #expect(await events.next() == "stop a")
        await Self.until(scheduler) { $0["a"]?.state == .stopped }
    }
}
