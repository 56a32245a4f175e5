import ConfigLang

/// Admits requests to local models, starting, swapping and unloading backends as the
/// plan's routing, limits and TTLs say.
///
/// A thin driver around ``SchedulerStateMachine``: it hands out request IDs, parks
/// callers until they are admitted, runs `start`/`stop` on a ``BackendControl`` in
/// child tasks and feeds their outcome back, and keeps one timer for TTL expiry.
///
/// ```swift
/// let lease = try await scheduler.acquire(model: "llama")
/// defer { Task { await scheduler.release(lease) } }
/// // forward the request to llama's backend
/// ```
public actor ModelScheduler {
    private typealias Waiter = (model: String, continuation: CheckedContinuation<SchedulerLease, any Error>)
    private typealias DrainWaiter = (models: [String], continuation: CheckedContinuation<Void, Never>)

    private var plan: Plan
    private var machine: SchedulerStateMachine
    private let backends: any BackendControl
    private let clock = ContinuousClock()
    private var waiting: [RequestID: Waiter] = [:]
    private var lastRequestID: UInt64 = 0
    private var timer: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)?
    private var drainWaiters: [UInt64: DrainWaiter] = [:]
    private var lastDrainID: UInt64 = 0

    /// Creates a scheduler for `plan` with every model stopped; `backends` does the
    /// starting and stopping.
    public init(plan: Plan, backends: any BackendControl) {
        self.plan = plan
        self.machine = SchedulerStateMachine(plan: plan)
        self.backends = backends
    }

    deinit {
        timer?.task.cancel()
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
    public func acquire(model name: String) async throws -> SchedulerLease {
        guard let model = resolve(name) else { throw SchedulerError.unknownModel(name) }
        try Task.checkCancellation()
        lastRequestID += 1
        let id = RequestID(lastRequestID)
        let priority = plan.routing.priorities[model] ?? 0
        let lease = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<SchedulerLease, any Error>) in
                waiting[id] = (model, continuation)
                perform(machine.requestArrived(id: id, model: model, priority: priority, now: clock.now))
            }
        } onCancel: {
            Task { await self.withdraw(id) }
        }
        if Task.isCancelled {
            release(lease)
            throw CancellationError()
        }
        return lease
    }

    /// Ends an admitted request. Releasing a lease twice has no effect.
    public func release(_ lease: SchedulerLease) {
        perform(machine.requestFinished(id: lease.id, now: clock.now))
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
        var target: String?
        if let name {
            guard let model = resolve(name) else { return }
            target = model
        }
        let stops = perform(machine.unloadRequested(model: target))
        for stop in stops { await stop.value }
    }

    /// Holds new requests for `models` (they queue; in-flight ones continue) because a
    /// reload is about to replace their backends. Pair with ``waitForDrain(models:timeout:)``
    /// and ``updatePlan(_:replaced:)``.
    public func beginDrain(models: [String]) {
        perform(machine.drainRequested(models: models))
    }

    /// Returns once none of `models` has a request in flight, or after `timeout`.
    public func waitForDrain(models: [String], timeout: Duration) async {
        if isDrained(models) { return }
        lastDrainID += 1
        let id = lastDrainID
        let timeoutTask = Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            await self?.endDrainWait(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            drainWaiters[id] = (models, continuation)
        }
        timeoutTask.cancel()
    }

    /// Switches to a reloaded plan: new limits, TTLs, priorities and routing apply to the
    /// next decision; admitted requests are untouched. Requests queued for removed models
    /// fail, and running removed models are unloaded once idle.
    ///
    /// `replaced` names models whose old backends the caller has already stopped (after
    /// ``beginDrain(models:)``); their held requests start the new version.
    public func updatePlan(_ plan: Plan, replaced: [String] = []) {
        self.plan = plan
        perform(
            machine.updatePlan(
                routing: plan.routing, limits: SchedulerStateMachine.limits(of: plan),
                ttls: SchedulerStateMachine.ttls(of: plan), replaced: replaced))
    }

    /// What every model is doing: state, requests in flight, requests queued.
    public func snapshot() -> [String: ModelActivity] {
        machine.activity()
    }

    /// The IDs of the models that are ready, sorted.
    public func readyModels() -> [String] {
        machine.readyModels()
    }

    // MARK: Driving the state machine

    private func resolve(_ name: String) -> String? {
        if plan.models[name] != nil { return name }
        return plan.names[name].flatMap { plan.models[$0] == nil ? nil : $0 }
    }

    private func withdraw(_ id: RequestID) {
        guard let waiter = waiting.removeValue(forKey: id) else { return }
        waiter.continuation.resume(throwing: CancellationError())
        perform(machine.requestCancelled(id: id, now: clock.now))
    }

    private func backendDidStart(_ model: String) {
        perform(machine.backendReady(model: model, now: clock.now))
    }

    private func backendDidFail(_ model: String, _ error: any Error) {
        perform(machine.backendFailed(model: model, message: String(describing: error)))
    }

    private func backendDidStop(_ model: String) {
        perform(machine.backendStopped(model: model, now: clock.now))
    }

    private func timerFired(_ deadline: ContinuousClock.Instant) {
        if timer?.deadline == deadline { timer = nil }
        perform(machine.tick(now: clock.now))
    }

    /// Performs `actions` in order; returns the tasks running the stops it started.
    @discardableResult
    private func perform(_ actions: [SchedulerAction]) -> [Task<Void, Never>] {
        var stops: [Task<Void, Never>] = []
        var orphans: [RequestID] = []
        for action in actions {
            switch action {
            case .admit(let id):
                guard let waiter = waiting.removeValue(forKey: id) else {
                    orphans.append(id)
                    continue
                }
                waiter.continuation.resume(returning: SchedulerLease(model: waiter.model, id: id))
            case .reject(let id, .overLimit(let seconds)):
                waiting.removeValue(forKey: id)?.continuation.resume(
                    throwing: SchedulerError.overLimit(retryAfter: seconds))
            case .reject(let id, .unknownModel):
                let model = waiting.removeValue(forKey: id)
                model?.continuation.resume(throwing: SchedulerError.unknownModel(model?.model ?? ""))
            case .fail(let id, let message):
                waiting.removeValue(forKey: id)?.continuation.resume(throwing: SchedulerError.backendFailed(message))
            case .startBackend(let model):
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
                let backends = self.backends
                stops.append(
                    Task {
                        await backends.stop(model: model)
                        self.backendDidStop(model)
                    })
            }
        }
        // Admitted with nobody waiting cannot happen (withdrawal removes the request
        // from the machine first); release defensively so the model never leaks a slot.
        for id in orphans { perform(machine.requestFinished(id: id, now: clock.now)) }
        rescheduleTimer()
        resumeDrainWaiters()
        return stops
    }

    private func rescheduleTimer() {
        let deadline = machine.nextDeadline()
        if timer?.deadline == deadline { return }
        timer?.task.cancel()
        timer = nil
        guard let deadline else { return }
        let task = Task { [weak self] in
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            await self?.timerFired(deadline)
        }
        timer = (deadline, task)
    }

    private func isDrained(_ models: [String]) -> Bool {
        models.allSatisfy { machine.inFlightCount($0) == 0 }
    }

    private func resumeDrainWaiters() {
        for (id, waiter) in drainWaiters where isDrained(waiter.models) {
            drainWaiters[id] = nil
            waiter.continuation.resume()
        }
    }

    private func endDrainWait(_ id: UInt64) {
        drainWaiters.removeValue(forKey: id)?.continuation.resume()
    }
}
