import AsyncHTTPClient
import ConfigLang
import Synchronization

/// Owns one ``Backend`` per local model of the current plan and starts or stops them
/// for the scheduler. Ports come from a ``PortAllocator`` so they survive reloads.
public actor BackendPool: BackendControl {
    private var plan: Plan
    private var ports = PortAllocator()
    private var backends: [String: Backend] = [:] {
        didSet { backendIndex.withLock { $0 = backends } }
    }
    /// A copy of `backends`, readable without a hop onto the actor (see ``readyAddress(of:)``).
    private nonisolated let backendIndex = Mutex<[String: Backend]>([:])
    /// Backends replaced by a reload, kept until they are stopped.
    private var retired: [Backend] = []
    private let logs: LogHub
    private let client: HTTPClient
    private let launcher: String?
    private let events: BackendEvents?

    /// Creates a pool for `plan`. `launcher` is the swap-server binary used to start
    /// backends under a watchdog (nil starts them directly, for tests); `events` hears
    /// every backend's loads, crashes and unloads.
    public init(plan: Plan, logs: LogHub, client: HTTPClient, launcher: String?, events: BackendEvents? = nil) {
        self.events = events
        self.plan = plan
        self.logs = logs
        self.client = client
        self.launcher = launcher
        ports.update(for: plan)
    }

    /// The backend of `model`, created on first use.
    public func backend(for model: String) throws -> Backend {
        if let backend = backends[model] { return backend }
        guard let modelPlan = plan.models[model] else { throw BackendError.unknownModel(model) }
        var port = ports.port(of: model)
        if let assigned = port, !LoopbackProbe.canBind(assigned) {
            // Another program holds the port (the OS may even have lent it to an outgoing
            // connection); the backend would fail to listen there.
            port = ports.move(model, startPort: plan.settings.startPort, isFree: LoopbackProbe.canBind)
        }
        let backend = Backend(
            model: modelPlan, port: port,
            healthCheckTimeout: .seconds(plan.settings.healthCheckTimeout), logs: logs, httpClient: client,
            launcherExecutable: launcher, events: events)
        backends[model] = backend
        return backend
    }

    /// Starts `model` if needed and returns when it is ready.
    public func start(model: String) async throws {
        _ = try await backend(for: model).ensureReady()
    }

    /// Stops `model` and waits until its process is gone.
    public func stop(model: String) async {
        await stop(model: model, reason: .api)
    }

    /// Stops `model` for `reason` and waits until its process is gone.
    public func stop(model: String, reason: UnloadReason) async {
        guard let backend = backends[model] else { return }
        await backend.stop(reason: reason)
    }

    /// The process id of every model whose backend has a process.
    public func pids() async -> [String: Int32] {
        var result: [String: Int32] = [:]
        for (id, backend) in backends {
            if let pid = await backend.pid { result[id] = pid }
        }
        return result
    }

    /// Where requests for `model` go, once its backend is ready; a backend that died
    /// since the scheduler admitted the request is started again here.
    ///
    /// A backend that is ready answers without a hop onto this actor or the backend's
    /// (the proxy's hot path); any other state takes the actors' path.
    public nonisolated(nonsending) func readyAddress(of model: String) async throws -> UpstreamAddress {
        if let address = readyAddressNow(of: model) { return address }
        return try await startedAddress(of: model)
    }

    /// Where requests for `model` go when its backend is ready now; nil otherwise. Read
    /// without a hop onto an actor.
    nonisolated func readyAddressNow(of model: String) -> UpstreamAddress? {
        backendIndex.withLock({ $0[model] })?.readyAddress
    }

    private func startedAddress(of model: String) async throws -> UpstreamAddress {
        let backend = try backend(for: model)
        _ = try await backend.ensureReady()
        return backend.upstreamAddress
    }

    /// The ports of those of `models` that have one, read in one call.
    public func ports(of models: [String]) -> [String: Int] {
        var result: [String: Int] = [:]
        for model in models { result[model] = ports.port(of: model) }
        return result
    }

    /// What `/running` and `/metrics` show of a model's backend.
    public struct Status: Sendable {
        /// The state.
        public var state: BackendState
        /// The process ID while a process runs.
        public var pid: Int32?
        /// How many times a process was started.
        public var spawnCount: Int
        /// How long the last start took to become ready.
        public var lastLoadDuration: Duration?
    }

    /// The status of every model that has a backend.
    public func statuses() async -> [String: Status] {
        var result: [String: Status] = [:]
        for (id, backend) in backends {
            result[id] = Status(
                state: await backend.state, pid: await backend.pid, spawnCount: await backend.spawnCount,
                lastLoadDuration: await backend.lastLoadDuration)
        }
        return result
    }

    /// Switches to `newPlan`: backends of models whose process changed or that were
    /// removed are detached (the caller drains and stops them through ``stopRetired(_:)``);
    /// others are kept as they are.
    public func adopt(_ newPlan: Plan, diff: PlanDiff) -> [String: Backend] {
        var detached: [String: Backend] = [:]
        for id in diff.restart + diff.removed {
            if let backend = backends.removeValue(forKey: id) { detached[id] = backend }
        }
        plan = newPlan
        ports.update(for: newPlan)
        return detached
    }

    /// Stops every backend (shutdown).
    public func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for backend in backends.values { group.addTask { await backend.stop(reason: .shutdown) } }
        }
    }
}
