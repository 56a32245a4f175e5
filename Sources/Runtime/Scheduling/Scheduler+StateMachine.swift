import ConfigLang

/// The scheduler's decisions as a pure value: inputs go in as mutating calls, actions
/// come out as ``SchedulerAction`` lists for a driver (``ModelScheduler``) to perform.
/// It never sleeps, reads a clock or touches a process; time arrives as instants.
///
/// Rules:
/// - **Fast path.** A request for a ready model is admitted at once, unless the model
///   is *claimed*: an earlier queued request needs it stopped for a swap, or an unload
///   or reload drain holds it. Then the request queues behind (FIFO), so a steady
///   stream of requests for a running model cannot starve a swap: the model drains,
///   stops, the other model runs, and the queued requests swap it back afterwards.
/// - **Limit.** Admitted plus queued requests for a model may not exceed its
///   `concurrencyLimit`; the request over it is rejected with `Retry-After: 1`
///   (llama-swap counts requests waiting for a start against the limit too).
/// - **Swaps.** Queued requests are served in order: higher `priority` first, then
///   arrival. For a stopped model the ``EvictionSolver`` names the running models that
///   must stop. A model with requests in flight is never stopped: the swap waits until
///   every victim is idle, then stops them all, then starts the model once they are
///   stopped, and admits its waiters when it is ready. A later request whose swap
///   would stop a model an earlier request needs waits its turn; one whose swap does
///   not conflict proceeds in parallel.
/// - **Starts.** One start per model at a time; its waiters wait for `backendReady`
///   (admitted in order, up to the limit) or `backendFailed` (all fail).
/// - **TTL.** A ready model with `ttl > 0`, nothing in flight and nobody waiting for it
///   stops `ttl` seconds after its last request finished (or after it became ready).
/// - **Unload.** Idle models stop at once; busy ones hold new requests and stop when
///   their last request ends; the held requests then start them again.
/// - **Reload.** New limits, TTLs and routing apply to the next decision. Waiters for
///   removed models fail; running removed models are unloaded.
struct SchedulerStateMachine: Sendable {
    /// What the machine tracks per model.
    struct ModelState: Sendable {
        var backend: ModelActivity.State = .stopped
        var inFlight: Set<RequestID> = []
        /// When the last request finished or the model became ready (TTL base).
        var lastActivity: ContinuousClock.Instant?
        /// Stop as soon as nothing is in flight; hold new requests until then.
        var unloadPending = false
        /// Why the pending unload was asked for (`api` or `reload`).
        var unloadReason: UnloadReason = .api
        /// A reload is replacing the backend: hold new requests until it is replaced.
        var draining = false

        var isHeld: Bool { unloadPending || draining }
    }

    /// A queued request.
    struct Waiter: Sendable {
        var id: RequestID
        var model: String
        var priority: Int
        var sequence: UInt64
    }

    private var solver: EvictionSolver
    private var limits: [String: Int]
    /// The models that unload when idle, with their TTLs in seconds (none: no deadline).
    private var ttls: [String: Int]
    private var models: [String: ModelState] = [:]
    /// Queued requests, in service order (priority descending, then arrival).
    private var queue: [Waiter] = []
    /// Admitted requests → model.
    private var admitted: [RequestID: String] = [:]
    private var nextSequence: UInt64 = 0
    /// Why each model's last `stopBackend` was emitted.
    private var stopReasons: [String: UnloadReason] = [:]
    /// What reconciling did for each queued request so far: whether it started its model
    /// and which models it stopped for it (``admission(of:)`` hands it out once).
    private var effects: [RequestID: AdmissionEffect] = [:]

    /// Creates a machine with every model stopped.
    init(routing: RoutingPlan, limits: [String: Int], ttls: [String: Int]) {
        self.solver = EvictionSolver(routing: routing)
        self.limits = limits
        self.ttls = ttls.filter { $0.value > 0 }
        for name in limits.keys { models[name] = ModelState() }
    }

    /// Creates a machine for a plan's models, limits, TTLs and routing.
    init(plan: Plan) {
        self.init(routing: plan.routing, limits: Self.limits(of: plan), ttls: Self.ttls(of: plan))
    }

    /// `concurrencyLimit` per model ID.
    static func limits(of plan: Plan) -> [String: Int] { plan.models.mapValues(\.concurrencyLimit) }

    /// `ttl` per model ID.
    static func ttls(of plan: Plan) -> [String: Int] { plan.models.mapValues(\.ttl) }

    // MARK: Inputs

    /// A request for `model` arrived; `priority` orders it among queued requests.
    mutating func requestArrived(
        id: RequestID, model: String, priority: Int, now: ContinuousClock.Instant
    ) -> [SchedulerAction] {
        guard let slot = models.index(forKey: model), limits[model] != nil else { return [.reject(id, .unknownModel)] }
        guard admitted[id] == nil, !queue.contains(where: { $0.id == id }) else { return [] }
        if models.values[slot].inFlight.count + queuedCount(model) >= limit(model) {
            return [.reject(id, .overLimit(retryAfterSeconds: 1))]
        }
        // What `reconcile` decides for a lone waiter on a ready model, without walking
        // every model: the proxy's hot path.
        if admitIfReady(id: id, model: model) { return [.admit(id)] }
        let waiter = Waiter(id: id, model: model, priority: priority, sequence: nextSequence)
        nextSequence += 1
        let index = queue.firstIndex { $0.priority < priority } ?? queue.endIndex
        queue.insert(waiter, at: index)
        return reconcile()
    }

    /// Admits `id` for `model` when ``requestArrived(id:model:priority:now:)`` would admit
    /// it at once (the model is ready, not claimed, under its limit, nobody queued) and
    /// returns true; otherwise changes nothing and returns false. Lets a driver admit a
    /// request without parking its caller first (the proxy's hot path).
    mutating func admitIfReady(id: RequestID, model: String) -> Bool {
        // The state is read where it is: with no copy of it alive, its `inFlight` set
        // changes in place below.
        guard queue.isEmpty, limits[model] != nil, admitted[id] == nil, let index = models.index(forKey: model),
            models.values[index].backend == .ready, !models.values[index].isHeld,
            models.values[index].inFlight.count < limit(model)
        else { return false }
        models.values[index].inFlight.insert(id)
        admitted[id] = model
        return true
    }

    /// The request's client went away: a queued request is withdrawn (it is never
    /// admitted and stops blocking others); an admitted one is released.
    mutating func requestCancelled(id: RequestID, now: ContinuousClock.Instant) -> [SchedulerAction] {
        if let index = queue.firstIndex(where: { $0.id == id }) {
            queue.remove(at: index)
            effects[id] = nil
            return reconcile()
        }
        return requestFinished(id: id, now: now)
    }

    /// An admitted request ended (response sent, or failed).
    mutating func requestFinished(id: RequestID, now: ContinuousClock.Instant) -> [SchedulerAction] {
        guard let model = admitted.removeValue(forKey: id) else { return [] }
        effects[id] = nil
        update(model) { state in
            state.inFlight.remove(id)
            state.lastActivity = now
        }
        forgetIfRemoved(model)
        guard queue.isEmpty else { return reconcile() }
        // Every input ends reconciled, so with nobody queued only this model can have
        // become ready to stop (an unload waiting for its last request).
        return stopIfUnloadPending(model).map { [$0] } ?? []
    }

    /// Stops `model` when an unload waits only for it to have no request in flight.
    private mutating func stopIfUnloadPending(_ model: String) -> SchedulerAction? {
        guard let state = models[model], state.unloadPending, state.backend == .ready, state.inFlight.isEmpty
        else { return nil }
        models[model]?.backend = .stopping
        stopReasons[model] = state.unloadReason
        return .stopBackend(model)
    }

    /// The backend of `model` finished starting and serves requests.
    mutating func backendReady(model: String, now: ContinuousClock.Instant) -> [SchedulerAction] {
        guard models[model]?.backend == .starting else { return [] }
        models[model]?.backend = .ready
        models[model]?.lastActivity = now
        return reconcile()
    }

    /// The backend of `model` is gone (after `stopBackend`, or it exited).
    mutating func backendStopped(model: String, now: ContinuousClock.Instant) -> [SchedulerAction] {
        guard models[model] != nil else { return [] }
        models[model]?.backend = .stopped
        models[model]?.unloadPending = false
        models[model]?.lastActivity = nil
        forgetIfRemoved(model)
        return reconcile()
    }

    /// The backend of `model` could not start: every request waiting for it fails
    /// with `message`.
    mutating func backendFailed(model: String, message: String) -> [SchedulerAction] {
        guard models[model]?.backend == .starting else { return [] }
        models[model]?.backend = .stopped
        models[model]?.unloadPending = false
        var actions: [SchedulerAction] = []
        queue.removeAll { waiter in
            guard waiter.model == model else { return false }
            actions.append(.fail(waiter.id, message))
            effects[waiter.id] = nil
            return true
        }
        forgetIfRemoved(model)
        return actions + reconcile()
    }

    /// Time passed: models whose TTL expired are stopped.
    mutating func tick(now: ContinuousClock.Instant) -> [SchedulerAction] {
        var actions: [SchedulerAction] = []
        for name in models.keys.sorted() {
            guard let deadline = ttlDeadline(name), deadline <= now else { continue }
            models[name]?.backend = .stopping
            stopReasons[name] = .ttl
            actions.append(.stopBackend(name))
        }
        return actions
    }

    /// `POST /api/models/unload`: stop `model` (or every model when nil). Idle models
    /// stop now; busy ones when their last request ends, holding new requests until then.
    mutating func unloadRequested(model: String?) -> [SchedulerAction] {
        let names = model.map { [$0] } ?? Array(models.keys)
        for name in names {
            guard let state = models[name], state.backend == .ready || state.backend == .starting else { continue }
            models[name]?.unloadPending = true
            models[name]?.unloadReason = .api
        }
        return reconcile()
    }

    /// A reload is about to replace these models' backends: hold new requests for them
    /// (in-flight ones continue) until ``updatePlan(routing:limits:ttls:replaced:)`` names
    /// them as replaced.
    mutating func drainRequested(models names: [String]) -> [SchedulerAction] {
        for name in names where models[name] != nil { models[name]?.draining = true }
        return reconcile()
    }

    /// A reload produced new routing, limits and TTLs. They apply to every decision from
    /// now on; admitted requests are not affected. Requests queued for a model that is
    /// gone fail; a running model that is gone is unloaded once idle.
    ///
    /// `replaced` lists models whose old backends the reload stopped itself (after
    /// ``drainRequested(models:)``): they count as stopped and no longer held, so their
    /// waiters start the new version.
    mutating func updatePlan(
        routing: RoutingPlan, limits: [String: Int], ttls: [String: Int], replaced: [String] = []
    ) -> [SchedulerAction] {
        solver = EvictionSolver(routing: routing)
        self.limits = limits
        self.ttls = ttls.filter { $0.value > 0 }
        for name in replaced where models[name] != nil {
            models[name]?.backend = .stopped
            models[name]?.draining = false
            models[name]?.unloadPending = false
            models[name]?.lastActivity = nil
        }
        for name in limits.keys where models[name] == nil { models[name] = ModelState() }
        var actions: [SchedulerAction] = []
        for name in models.keys.sorted() where limits[name] == nil {
            queue.removeAll { waiter in
                guard waiter.model == name else { return false }
                actions.append(
                    .fail(waiter.id, "The model '\(name)' was removed from the config while this request waited."))
                return true
            }
            if models[name]?.backend == .ready || models[name]?.backend == .starting {
                models[name]?.unloadPending = true
                models[name]?.unloadReason = .reload
            }
            forgetIfRemoved(name)
        }
        return actions + reconcile()
    }

    // MARK: Queries

    /// When ``tick(now:)`` should run next (the earliest TTL expiry), or nil.
    func nextDeadline() -> ContinuousClock.Instant? {
        guard !ttls.isEmpty else { return nil }
        return models.keys.compactMap(ttlDeadline).min()
    }

    /// Every tracked model's activity.
    func activity() -> [String: ModelActivity] {
        var result: [String: ModelActivity] = [:]
        for (name, state) in models {
            result[name] = ModelActivity(
                state: state.backend, inFlight: state.inFlight.count, queued: queuedCount(name),
                ttlDeadline: ttlDeadline(name))
        }
        return result
    }

    /// Whether `model` has no request in flight.
    func isIdle(_ model: String) -> Bool { models[model]?.inFlight.isEmpty ?? true }

    /// Why the last `stopBackend` for `model` was emitted (`api` when none was).
    func stopReason(of model: String) -> UnloadReason { stopReasons[model] ?? .api }

    /// The models that are ready, sorted.
    func readyModels() -> [String] {
        models.filter { $0.value.backend == .ready }.keys.sorted()
    }

    /// What admitting `id` did to the models: whether reconciling started its model for it
    /// and the models it stopped first. Nothing for a request that found its model
    /// ready. Handed out once: a second call returns the empty effect.
    mutating func admission(of id: RequestID) -> AdmissionEffect {
        effects.removeValue(forKey: id) ?? AdmissionEffect()
    }

    /// Requests in flight on `model`.
    func inFlightCount(_ model: String) -> Int { models[model]?.inFlight.count ?? 0 }

    // MARK: Deciding

    private func limit(_ model: String) -> Int { max(1, limits[model] ?? 1) }

    private func queuedCount(_ model: String) -> Int { queue.lazy.filter { $0.model == model }.count }

    private var runningModels: Set<String> {
        Set(models.filter { $0.value.backend != .stopped }.keys)
    }

    private func ttlDeadline(_ model: String) -> ContinuousClock.Instant? {
        guard let state = models[model], state.backend == .ready, state.inFlight.isEmpty, !state.isHeld,
            let ttl = ttls[model], ttl > 0, let last = state.lastActivity,
            !queue.contains(where: { $0.model == model })
        else { return nil }
        return last.advanced(by: .seconds(ttl))
    }

    /// Drops the state of a model that left the plan once nothing refers to it.
    private mutating func forgetIfRemoved(_ model: String) {
        guard limits[model] == nil, let state = models[model], state.backend == .stopped, state.inFlight.isEmpty,
            !queue.contains(where: { $0.model == model })
        else { return }
        models[model] = nil
    }

    private mutating func admit(_ id: RequestID, to model: String) {
        update(model) { $0.inFlight.insert(id) }
        admitted[id] = model
    }

    /// Changes the state of `model` in place, if it is tracked.
    ///
    /// Through the dictionary's index rather than `models[model]?.…`: each change made
    /// through the optional subscript allocated the frames of its nested accessors (six
    /// allocations per change, three changes per proxied request, in a profile).
    private mutating func update(_ model: String, _ change: (inout ModelState) -> Void) {
        guard let index = models.index(forKey: model) else { return }
        change(&models.values[index])
    }

    /// Walks the queue in service order and emits every action that is now possible.
    private mutating func reconcile() -> [SchedulerAction] {
        var actions: [SchedulerAction] = []
        for name in models.keys.sorted() {
            if let stop = stopIfUnloadPending(name) { actions.append(stop) }
        }
        // Models earlier waiters want stopped, and models earlier waiters want running.
        var claimed: Set<String> = []
        var committed: Set<String> = []
        var remaining: [Waiter] = []
        for waiter in queue {
            let name = waiter.model
            guard let state = models[name], !claimed.contains(name), !state.isHeld else {
                remaining.append(waiter)
                continue
            }
            switch state.backend {
            case .ready:
                committed.insert(name)
                if state.inFlight.count < limit(name) {
                    admit(waiter.id, to: name)
                    actions.append(.admit(waiter.id))
                } else {
                    remaining.append(waiter)
                }
            case .starting, .stopping:
                committed.insert(name)
                remaining.append(waiter)
            case .stopped:
                remaining.append(waiter)
                let victims = solver.victims(toRun: name, running: runningModels.union(committed))
                let blocked = !victims.isDisjoint(with: committed)
                claimed.formUnion(victims)
                committed.insert(name)
                guard !blocked else { continue }
                let busy = victims.contains { victim in
                    guard let state = models[victim] else { return false }
                    return !state.inFlight.isEmpty || state.backend == .starting
                }
                guard !busy else { continue }
                for victim in victims.sorted() where models[victim]?.backend == .ready {
                    models[victim]?.backend = .stopping
                    stopReasons[victim] = .swap
                    actions.append(.stopBackend(victim))
                    effects[waiter.id, default: AdmissionEffect()].evicted.append(victim)
                }
                if victims.allSatisfy({ (models[$0]?.backend ?? .stopped) == .stopped }) {
                    models[name]?.backend = .starting
                    actions.append(.startBackend(name))
                    effects[waiter.id, default: AdmissionEffect()].started = true
                }
            }
        }
        queue = remaining
        return actions
    }
}
