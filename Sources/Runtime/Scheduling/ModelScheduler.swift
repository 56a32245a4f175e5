import ConfigLang
import Synchronization

/// Admits requests to local models, starting, swapping and unloading backends as the
/// plan's routing, limits and TTLs say.
///
/// A thin driver around ``SchedulerStateMachine``: it hands out request IDs, parks
/// callers until they are admitted, runs `start`/`stop` on a ``BackendControl`` in
/// child tasks and feeds their outcome back, and keeps one timer for TTL expiry.
///
/// The machine sits behind a lock rather than in an actor: admitting a request for a
/// ready model and releasing it are then a few microseconds on the caller's thread,
/// with no hop to another executor and back (the proxy's hot path). Continuations are
/// resumed after the lock is released.
///
/// ```swift
/// let lease = try await scheduler.acquire(model: "llama")
/// defer { scheduler.release(lease) }
/// // forward the request to llama's backend
/// ```
public final class ModelScheduler: Sendable {
    private typealias Waiter = (model: String, continuation: CheckedContinuation<SchedulerLease, any Error>)
    private typealias DrainWaiter = (models: [String], continuation: CheckedContinuation<Void, Never>)

    /// What the lock protects.
    private struct State: ~Copyable {
        var plan: Plan
        var machine: SchedulerStateMachine
        var waiting: [RequestID: Waiter] = [:]
        var lastRequestID: UInt64 = 0
        var timer: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)?
        var drainWaiters: [UInt64: DrainWaiter] = [:]
        var lastDrainID: UInt64 = 0
        /// A model's state changed since the observers were last told.
        var statesChanged = false
    }

    /// A continuation to resume once the lock is released.
    private enum Resumption {
        case admit(CheckedContinuation<SchedulerLease, any Error>, SchedulerLease)
        case fail(CheckedContinuation<SchedulerLease, any Error>, any Error)
        case drained(CheckedContinuation<Void, Never>)

        func run() {
            switch self {
            case .admit(let continuation, let lease): continuation.resume(returning: lease)
            case .fail(let continuation, let error): continuation.resume(throwing: error)
            case .drained(let continuation): continuation.resume()
            }
        }
    }

    private let state: Mutex<State>
    private let backends: any BackendControl
    private let clock = ContinuousClock()
    private let observers = Mutex<[@Sendable () -> Void]>([])

    /// Creates a scheduler for `plan` with every model stopped; `backends` does the
    /// starting and stopping.
    public init(plan: Plan, backends: any BackendControl) {
        self.state = Mutex(State(plan: plan, machine: SchedulerStateMachine(plan: plan)))
        self.backends = backends
    }

    deinit {
        state.withLock { $0.timer?.task.cancel() }
    }

    /// Waits until a request for `model` (an ID or alias) may be sent to its backend,
    /// starting or swapping backends as needed, and returns the lease to release when
    /// the response ends.
    ///
    /// - Throws: ``SchedulerError/unknownModel(_:)`` when the plan has no such model,
    ///   ``SchedulerError/overLimit(retryAfter:)`` when the model is at its
    ///   `concurrencyLimit`, ``SchedulerError/backendFailed(_:)`` when its backend could
    ///   not start (or the model left the config while the request waited), and
    ///   `CancellationError` when the calling task is cancelled: the request is then
    ///   withdrawn from the queue (or released, if it had just been admitted).
    public nonisolated(nonsending) func acquire(model name: String) async throws -> SchedulerLease {
        if let lease = admitAtOnce(name) { return lease }
        // The request's ID once it is queued (0 before); set and read under the lock.
        let queuedID = Atomic<UInt64>(0)
        let lease = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<SchedulerLease, any Error>) in
                let now = clock.now
                run { state in
                    guard let model = Self.resolve(name, in: state.plan) else {
                        return [.fail(continuation, SchedulerError.unknownModel(name))]
                    }
                    // A cancellation either came before this point (the flag is set) or
                    // withdraws the request after it (it takes the lock, then reads the ID).
                    if Task.isCancelled { return [.fail(continuation, CancellationError())] }
                    state.lastRequestID += 1
                    let id = RequestID(state.lastRequestID)
                    queuedID.store(state.lastRequestID, ordering: .relaxed)
                    state.waiting[id] = (model, continuation)
                    let priority = state.plan.routing.priorities[model] ?? 0
                    return perform(
                        state.machine.requestArrived(id: id, model: model, priority: priority, now: now), on: &state)
                }
            }
        } onCancel: {
            withdraw { queuedID.load(ordering: .relaxed) }
        }
        if Task.isCancelled {
            release(lease)
            throw CancellationError()
        }
        return lease
    }

    /// The lease of a request for `name` that the machine admits at once (a ready model
    /// with room and nobody queued), taken under the lock without parking the caller on
    /// a continuation; nil when the request has to go through ``acquire(model:)``'s
    /// queue (or the task is cancelled, which that path reports). Release the lease with
    /// ``release(_:)``.
    func admitAtOnce(_ name: String) -> SchedulerLease? {
        if Task.isCancelled { return nil }
        return state.withLock { state -> SchedulerLease? in
            guard let model = Self.resolve(name, in: state.plan) else { return nil }
            let id = RequestID(state.lastRequestID + 1)
            guard state.machine.admitIfReady(id: id, model: model) else { return nil }
            state.lastRequestID += 1
            // No timer change: admitting only removes a TTL deadline and never drains a
            // model, and a timer that fires before the next deadline is kept anyway
            // (`keepsTimer`), so `rescheduleTimer` would leave it as it is.
            return SchedulerLease(model: model, id: id)
        }
    }

    /// Ends an admitted request. Releasing a lease twice has no effect. It does not
    /// wait: the machine is behind a lock, not in an actor.
    public func release(_ lease: SchedulerLease) {
        let now = clock.now
        run { state in
            let resumptions = perform(state.machine.requestFinished(id: lease.id, now: now), on: &state)
            // Its last request ended: observers see it idle, its TTL counting down.
            if state.machine.isIdle(lease.model) { state.statesChanged = true }
            return resumptions
        }
    }

    /// Starts `model` (an ID or alias) without sending it a request, e.g. to preload it;
    /// returns once it is ready. Throws like ``acquire(model:)``.
    public func load(model: String) async throws {
        release(try await acquire(model: model))
    }

    /// Loads `model` at startup (`hooks.on_startup.preload`), like ``load(model:)`` but
    /// without throwing: a model that is unknown or fails to start is left stopped, and
    /// its failure reaches the next request for it again.
    public func preload(model: String) async {
        try? await load(model: model)
    }

    /// Unloads `model` (an ID or alias), or every model when nil. Idle models are stopped
    /// before this returns; a model with requests in flight stops when its last request
    /// ends, and requests arriving meanwhile wait and start it again afterwards.
    public func unload(model name: String?) async {
        var stops: [Task<Void, Never>] = []
        run { state in
            var target: String?
            if let name {
                guard let model = Self.resolve(name, in: state.plan) else { return [] }
                target = model
            }
            return perform(state.machine.unloadRequested(model: target), on: &state, stops: &stops)
        }
        for stop in stops { await stop.value }
    }

    /// Holds new requests for `models` (they queue; in-flight ones continue) because a
    /// reload is about to replace their backends. Pair with ``waitForDrain(models:timeout:)``
    /// and ``updatePlan(_:replaced:)``.
    public func beginDrain(models: [String]) {
        run { state in perform(state.machine.drainRequested(models: models), on: &state) }
    }

    /// Returns once none of `models` has a request in flight, or after `timeout`.
    public func waitForDrain(models: [String], timeout: Duration) async {
        var timeoutTask: Task<Void, Never>?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> UInt64? in
                if Self.isDrained(models, in: state.machine) { return nil }
                state.lastDrainID += 1
                state.drainWaiters[state.lastDrainID] = (models, continuation)
                return state.lastDrainID
            }
            guard let id else {
                continuation.resume()
                return
            }
            timeoutTask = Task { [weak self] in
                do { try await Task.sleep(for: timeout) } catch { return }
                self?.endDrainWait(id)
            }
        }
        timeoutTask?.cancel()
    }

    /// Switches to a reloaded plan: new limits, TTLs, priorities and routing apply to the
    /// next decision; admitted requests are untouched. Requests queued for removed models
    /// fail, and running removed models are unloaded once idle.
    ///
    /// `replaced` names models whose old backends the caller has already stopped (after
    /// ``beginDrain(models:)``); their held requests start the new version.
    public func updatePlan(_ plan: Plan, replaced: [String] = []) {
        run { state in
            state.plan = plan
            state.statesChanged = true
            let actions = state.machine.updatePlan(
                routing: plan.routing, limits: SchedulerStateMachine.limits(of: plan),
                ttls: SchedulerStateMachine.ttls(of: plan), replaced: replaced)
            return perform(actions, on: &state)
        }
    }

    /// What every model is doing: state, requests in flight, requests queued.
    public func snapshot() -> [String: ModelActivity] {
        state.withLock { $0.machine.activity() }
    }

    /// Calls `observer` after every change of a model's state (starting, ready,
    /// stopping, stopped), when a model's last request in flight ends, and after every
    /// plan update, outside the lock; read ``snapshot()``
    /// there. It must not block.
    public func observeStates(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// The IDs of the models that are ready, sorted.
    public func readyModels() -> [String] {
        state.withLock { $0.machine.readyModels() }
    }

    // MARK: Driving the state machine

    private static func resolve(_ name: String, in plan: Plan) -> String? {
        if plan.models[name] != nil { return name }
        return plan.names[name].flatMap { plan.models[$0] == nil ? nil : $0 }
    }

    /// Runs `body` under the lock, then the resumptions it returns.
    private func run(_ body: (inout State) -> [Resumption]) {
        let (resumptions, changed) = state.withLock { state in
            let resumptions = body(&state)
            defer { state.statesChanged = false }
            return (resumptions, state.statesChanged)
        }
        for resumption in resumptions { resumption.run() }
        if changed {
            for observer in observers.withLock({ $0 }) { observer() }
        }
    }

    /// Withdraws the request whose ID `id` reads under the lock (0: not queued yet).
    private func withdraw(_ id: () -> UInt64) {
        let now = clock.now
        run { state in
            let id = RequestID(id())
            guard let waiter = state.waiting.removeValue(forKey: id) else { return [] }
            return [.fail(waiter.continuation, CancellationError())]
                + perform(state.machine.requestCancelled(id: id, now: now), on: &state)
        }
    }

    private func backendDidStart(_ model: String) {
        let now = clock.now
        run { state in
            state.statesChanged = true
            return perform(state.machine.backendReady(model: model, now: now), on: &state)
        }
    }

    private func backendDidFail(_ model: String, _ error: any Error) {
        run { state in
            state.statesChanged = true
            return perform(
                state.machine.backendFailed(model: model, message: String(describing: error)), on: &state)
        }
    }

    private func backendDidStop(_ model: String) {
        let now = clock.now
        run { state in
            state.statesChanged = true
            return perform(state.machine.backendStopped(model: model, now: now), on: &state)
        }
    }

    private func timerFired(_ deadline: ContinuousClock.Instant) {
        let now = clock.now
        run { state in
            if state.timer?.deadline == deadline { state.timer = nil }
            return perform(state.machine.tick(now: now), on: &state)
        }
    }

    private func endDrainWait(_ id: UInt64) {
        run { state in
            guard let waiter = state.drainWaiters.removeValue(forKey: id) else { return [] }
            return [.drained(waiter.continuation)]
        }
    }

    private func perform(_ actions: [SchedulerAction], on state: inout State) -> [Resumption] {
        var stops: [Task<Void, Never>] = []
        return perform(actions, on: &state, stops: &stops)
    }

    /// Performs `actions` in order (under the lock); adds the tasks running the stops it
    /// started to `stops` and returns the continuations to resume.
    private func perform(
        _ actions: [SchedulerAction], on state: inout State, stops: inout [Task<Void, Never>]
    ) -> [Resumption] {
        var resumptions: [Resumption] = []
        var orphans: [RequestID] = []
        for action in actions {
            switch action {
            case .admit(let id):
                guard let waiter = state.waiting.removeValue(forKey: id) else {
                    orphans.append(id)
                    continue
                }
                let effect = state.machine.admission(of: id)
                resumptions.append(
                    .admit(waiter.continuation, SchedulerLease(model: waiter.model, id: id, effect: effect)))
            case .reject(let id, .overLimit(let seconds)):
                if let waiter = state.waiting.removeValue(forKey: id) {
                    resumptions.append(.fail(waiter.continuation, SchedulerError.overLimit(retryAfter: seconds)))
                }
            case .reject(let id, .unknownModel):
                if let waiter = state.waiting.removeValue(forKey: id) {
                    resumptions.append(.fail(waiter.continuation, SchedulerError.unknownModel(waiter.model)))
                }
            case .fail(let id, let message):
                if let waiter = state.waiting.removeValue(forKey: id) {
                    resumptions.append(.fail(waiter.continuation, SchedulerError.backendFailed(message)))
                }
            case .startBackend(let model):
                state.statesChanged = true
                let backends = self.backends
                Task {
                    do {
                        try await backends.start(model: model)
                        self.backendDidStart(model)
                    } catch {
                        self.backendDidFail(model, error)
                    }
                }
            case .stopBackend(let model):
                state.statesChanged = true
                let backends = self.backends
                let reason = state.machine.stopReason(of: model)
                stops.append(
                    Task {
                        await backends.stop(model: model, reason: reason)
                        self.backendDidStop(model)
                    })
            }
        }
        // Admitted with nobody waiting cannot happen (withdrawal removes the request
        // from the machine first); release defensively so the model never leaks a slot.
        let now = clock.now
        for id in orphans {
            resumptions += perform(state.machine.requestFinished(id: id, now: now), on: &state, stops: &stops)
        }
        rescheduleTimer(&state)
        for (id, waiter) in state.drainWaiters where Self.isDrained(waiter.models, in: state.machine) {
            state.drainWaiters[id] = nil
            resumptions.append(.drained(waiter.continuation))
        }
        return resumptions
    }

    /// Sets the timer for the machine's next deadline (see ``keepsTimer(firingAt:nextDeadline:)``).
    private func rescheduleTimer(_ state: inout State) {
        let deadline = state.machine.nextDeadline()
        if let timer = state.timer {
            if Self.keepsTimer(firingAt: timer.deadline, nextDeadline: deadline) { return }
            timer.task.cancel()
            state.timer = nil
        }
        guard let deadline else { return }
        let task = Task { [weak self] in
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            self?.timerFired(deadline)
        }
        state.timer = (deadline, task)
    }

    /// Whether a timer that fires at `firing` can stay when the machine's next deadline is
    /// `next`: yes unless `next` is earlier. A timer that fires too early (or when there
    /// is no deadline) only ticks with nothing expired and then sets the timer again, so
    /// a model with a `ttl` serving back-to-back requests (each one ends with a later
    /// deadline, and has none while in flight) starts one timer task per `ttl` rather
    /// than one per request.
    static func keepsTimer(firingAt firing: ContinuousClock.Instant, nextDeadline next: ContinuousClock.Instant?)
        -> Bool
    {
        guard let next else { return true }
        return firing <= next
    }

    private static func isDrained(_ models: [String], in machine: SchedulerStateMachine) -> Bool {
        models.allSatisfy { machine.inFlightCount($0) == 0 }
    }
}
