import AsyncHTTPClient
import ConfigLang
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The supervisor of one model's backend process: starts it on demand, tells when it
/// is ready, stops it, and notices at once when it dies.
///
/// The decisions live in ``BackendStateMachine``; this actor performs them. The
/// process runs `cmd` without a shell, in its own process group, with the plan's
/// `env` added to the inherited environment; its stdout and stderr go line by line
/// to the ``LogHub`` under the model's ID.
///
/// ```swift
/// let backend = Backend(model: plan.models["llama"]!, port: 9001,
///                       healthCheckTimeout: .seconds(120), logs: logs,
///                       httpClient: .shared, launcherExecutable: ProcessLauncher.selfExecutable)
/// let baseURL = try await backend.ensureReady()   // "http://127.0.0.1:9001"
/// …
/// await backend.stop()
/// ```
public actor Backend {
    /// The model this backend runs.
    public nonisolated let model: ModelPlan
    /// The port substituted for `${PORT}`, if the model has one.
    public nonisolated let port: Int?
    /// Where requests for the model go (the plan's `proxy` with the port filled in),
    /// parsed once for the proxy.
    public nonisolated let upstreamAddress: UpstreamAddress
    /// Where requests for the model go, as a URL.
    public nonisolated var proxyBaseURL: String { upstreamAddress.baseURL }

    private let logs: LogHub
    private let httpClient: HTTPClient
    private let launcherExecutable: String?
    private let events: BackendEvents?
    private var machine: BackendStateMachine
    /// Whether `machine` is in its ready state, readable without a hop onto the actor.
    private nonisolated let readyFlag = Atomic<Bool>(false)
    private var readyWaiters: [Int: CheckedContinuation<String, any Error>] = [:]
    private var nextWaiterID = 0
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var healthTask: Task<Void, Never>?
    private var graceTask: Task<Void, Never>?
    private var spawnedAt: ContinuousClock.Instant?

    /// How many times a process has been spawned for this backend (starts and
    /// restarts), for metrics and tests.
    public private(set) var spawnCount = 0
    /// How long the last successful start took, from spawn to ready.
    public private(set) var lastLoadDuration: Duration?

    /// Creates a stopped backend.
    ///
    /// - Parameters:
    ///   - model: The model's plan.
    ///   - port: The port for `${PORT}` in `cmd`, `cmdStop` and `proxy`.
    ///   - healthCheckTimeout: How long, from spawn, the process has to answer its
    ///     `checkEndpoint` with 200.
    ///   - logs: Where the process's output goes (source = model ID).
    ///   - httpClient: Used for health checks.
    ///   - launcherExecutable: The swap-server binary to start the backend through, so
    ///     it dies with swap-server (see ``ProcessLauncher``); pass
    ///     ``ProcessLauncher/selfExecutable`` in the server. Nil spawns `cmd`
    ///     directly, without that guarantee: for tests only.
    ///   - events: Told about loads, crashes and unloads (the metrics).
    public init(
        model: ModelPlan, port: Int?, healthCheckTimeout: Duration, logs: LogHub, httpClient: HTTPClient,
        launcherExecutable: String?, events: BackendEvents? = nil
    ) {
        self.events = events
        self.model = model
        self.port = port
        // The default proxy (`http://localhost:${PORT}`, as llama-swap writes it) is
        // reached over 127.0.0.1: resolving `localhost` tries ::1 first and adds
        // milliseconds to every cold start, and backends started with `--port` listen on
        // IPv4 loopback. A proxy the config spells out is used exactly as written.
        self.upstreamAddress = UpstreamAddress(
            model.proxyTemplate == "http://localhost:${PORT}"
                ? model.proxy(port: port).replacing("http://localhost:", with: "http://127.0.0.1:")
                : model.proxy(port: port))
        self.logs = logs
        self.httpClient = httpClient
        self.launcherExecutable = launcherExecutable
        let checkURL = model.checkEndpoint.map { Self.join(model.proxy(port: port), $0) }
        self.machine = BackendStateMachine(
            modelID: model.id, checkURL: checkURL, healthCheckTimeout: healthCheckTimeout)
    }

    /// Where the backend is in its lifecycle.
    public var state: BackendState { machine.publicState }

    /// The backend's PID while it has a process.
    public var pid: Int32? { machine.pid }

    /// ``upstreamAddress`` when the backend was ready at its last state change, else
    /// nil; read without a hop onto the actor.
    public nonisolated var readyAddress: UpstreamAddress? {
        readyFlag.load(ordering: .acquiring) ? upstreamAddress : nil
    }

    /// Starts the backend if needed and returns its proxy base URL once it is ready.
    ///
    /// Concurrent callers share one start. A call while the backend is stopping
    /// waits for the stop and then starts it again. Cancelling the calling task
    /// withdraws only that caller (it gets `CancellationError`); the start goes on.
    ///
    /// - Throws: ``BackendError`` when the process cannot be spawned, exits before it
    ///   is ready, does not become ready within the health check timeout, or is
    ///   stopped meanwhile.
    public func ensureReady() async throws -> String {
        perform(machine.startRequested())
        if case .ready = machine.state {
            return proxyBaseURL
        }
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                readyWaiters[id] = continuation
            }
        } onCancel: {
            Task { await self.withdrawReadyWaiter(id) }
        }
    }

    /// Stops the backend and returns once its process has exited.
    ///
    /// Runs `cmdStop` (with `${PID}` and `${PORT}` filled in) if the model has one,
    /// else sends SIGTERM to the process group; after the model's `unloadTimeout`
    /// seconds the group gets SIGKILL. Callers waiting in ``ensureReady()`` for a
    /// start in progress get ``BackendError/Kind/stoppedDuringStart``. Returns at
    /// once when there is no process. A process this call stops counts as unloaded
    /// for `reason`.
    public func stop(reason: UnloadReason = .api) async {
        let stopsProcess = machine.publicState == .ready || machine.publicState == .starting
        perform(machine.stopRequested())
        guard case .stopping = machine.state else { return }
        await withCheckedContinuation { continuation in
            stopWaiters.append(continuation)
        }
        if stopsProcess { events?(.unloaded(model: model.id, reason: reason)) }
    }

    // MARK: Events

    private func processSpawned(generation: Int, pid: Int32) {
        perform(machine.spawned(generation: generation, pid: pid))
    }

    private func processEnded(generation: Int, outcome: BackendProcess.Outcome) {
        switch outcome {
        case .failedToSpawn(let reason):
            perform(machine.spawnFailed(generation: generation, reason: reason))
        case .exited(let exit, let lastOutput):
            perform(machine.processExited(generation: generation, exit: exit, lastOutput: lastOutput))
        }
    }

    private func healthFinished(generation: Int, succeeded: Bool) {
        if succeeded {
            perform(machine.healthSucceeded(generation: generation))
        } else {
            perform(machine.healthTimedOut(generation: generation))
        }
    }

    private func graceExpired(generation: Int) {
        perform(machine.stopGraceExpired(generation: generation))
    }

    private func withdrawReadyWaiter(_ id: Int) {
        readyWaiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    // MARK: Actions

    /// Performs the machine's actions. Never suspends, so a request and its effects
    /// are one step on the actor.
    private func perform(_ actions: [BackendStateMachine.Action]) {
        // Every change of `machine` is followed by a call here.
        let isReady = if case .ready = machine.state { true } else { false }
        readyFlag.store(isReady, ordering: .releasing)
        for action in actions {
            switch action {
            case .spawn(let generation):
                spawn(generation: generation)
            case .beginHealthPolling(let generation):
                beginHealthPolling(generation: generation)
            case .resumeReadyWaiters:
                healthTask = nil
                if let spawnedAt {
                    let duration = ContinuousClock.now - spawnedAt
                    lastLoadDuration = duration
                    events?(.loaded(model: model.id, duration: duration))
                }
                log("model \(model.id) is ready at \(proxyBaseURL)")
                let waiters = readyWaiters
                readyWaiters = [:]
                for waiter in waiters.values {
                    waiter.resume(returning: proxyBaseURL)
                }
            case .failReadyWaiters(let error):
                healthTask?.cancel()
                healthTask = nil
                log(error.message)
                events?(.loadFailed(model: model.id))
                let waiters = readyWaiters
                readyWaiters = [:]
                for waiter in waiters.values {
                    waiter.resume(throwing: error)
                }
            case .terminate(let generation, let pid):
                healthTask?.cancel()
                healthTask = nil
                terminate(generation: generation, pid: pid)
            case .kill(let pid):
                log("model \(model.id): still running \(model.unloadTimeout) s after the stop request; killing it")
                _ = kill(-pid, SIGKILL)
            case .resumeStopWaiters:
                graceTask?.cancel()
                graceTask = nil
                log("model \(model.id) stopped")
                let waiters = stopWaiters
                stopWaiters = []
                for waiter in waiters {
                    waiter.resume()
                }
            case .reportUnexpectedExit(let message):
                log(message)
                events?(.crashed(model: model.id))
                events?(.unloaded(model: model.id, reason: .crash))
            }
        }
    }

    private func spawn(generation: Int) {
        spawnCount += 1
        spawnedAt = .now
        let spec = BackendProcess.Spec(
            modelID: model.id, command: model.argv(port: port), environment: model.env,
            launcher: launcherExecutable)
        log("model \(model.id): starting \(SecretHiding(secrets: []).arguments(spec.command).joined(separator: " "))")
        let logs = logs
        Task {
            let outcome = await BackendProcess.run(spec, logs: logs) { pid in
                await self.processSpawned(generation: generation, pid: pid)
            }
            self.processEnded(generation: generation, outcome: outcome)
        }
    }

    private func beginHealthPolling(generation: Int) {
        guard let checkURL = machine.checkURL else { return }
        let deadline = (spawnedAt ?? .now) + machine.healthCheckTimeout
        let client = httpClient
        healthTask = Task {
            let succeeded = await Self.pollHealth(url: checkURL, client: client, deadline: deadline)
            if Task.isCancelled { return }
            self.healthFinished(generation: generation, succeeded: succeeded)
        }
    }

    private func terminate(generation: Int, pid: Int32) {
        graceTask?.cancel()
        let grace = Duration.seconds(max(0, model.unloadTimeout))
        graceTask = Task {
            try? await Task.sleep(for: grace)
            if Task.isCancelled { return }
            self.graceExpired(generation: generation)
        }
        guard let template = model.stopTemplate else {
            log("model \(model.id): stopping (SIGTERM to process group \(pid))")
            _ = kill(-pid, SIGTERM)
            return
        }
        let command = template.map {
            $0.replacing("${PID}", with: String(pid))
                .replacing("${PORT}", with: port.map(String.init) ?? "${PORT}")
        }
        log(
            "model \(model.id): stopping with cmdStop: \(SecretHiding(secrets: []).arguments(command).joined(separator: " "))"
        )
        let logs = logs
        let modelID = model.id
        let environment = model.env
        Task {
            if let problem = await BackendProcess.runStopCommand(
                command, environment: environment, source: modelID, logs: logs)
            {
                await logs.append(
                    "model \(modelID): \(problem); sending SIGTERM to process group \(pid)",
                    source: LogHub.proxySource)
                self.fallBackToSignal(generation: generation, pid: pid)
            }
        }
    }

    /// cmdStop failed: signal the group instead, if that process is still stopping.
    private func fallBackToSignal(generation: Int, pid: Int32) {
        guard case .stopping(let stopping) = machine.state, stopping.generation == generation,
            stopping.pid == pid
        else { return }
        _ = kill(-pid, SIGTERM)
    }

    private func log(_ message: String) {
        let logs = logs
        Task { await logs.append(message, source: LogHub.proxySource) }
    }

    // MARK: Health

    /// Polls `url` until it answers 200 (true) or `deadline` passes (false): first
    /// after 2 ms, each wait 25% longer than the last, at most 25 ms, so detection lags
    /// a backend's own start by a fraction of it. For a loopback backend each attempt
    /// first tries a plain TCP connect and only sends the HTTP request once the port
    /// accepts: an HTTP client's pool backs off after refused connections, which would
    /// add tens of milliseconds to every cold start.
    private static func pollHealth(url: String, client: HTTPClient, deadline: ContinuousClock.Instant) async -> Bool {
        var delay = Duration.milliseconds(2)
        let loopbackPort = LoopbackProbe.port(ofLoopbackURL: url)
        while !Task.isCancelled {
            let remaining = deadline - .now
            if remaining <= .zero { return false }
            let listening = loopbackPort.map(LoopbackProbe.accepts) ?? true
            if listening, await probe(url: url, client: client, timeout: min(remaining, .seconds(5))) {
                return true
            }
            let left = deadline - .now
            if left <= .zero { return false }
            try? await Task.sleep(for: min(delay, left))
            delay = min(delay * 1.25, .milliseconds(25))
        }
        return false
    }

    /// One health request: true when it answered 200.
    private static func probe(url: String, client: HTTPClient, timeout: Duration) async -> Bool {
        do {
            let request = HTTPClientRequest(url: url)
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
            _ = try? await response.body.collect(upTo: 1 << 16)
            return response.status == .ok
        } catch {
            return false
        }
    }

    /// `base` + `path` with exactly one `/` between them.
    private static func join(_ base: String, _ path: String) -> String {
        var base = Substring(base)
        while base.hasSuffix("/") {
            base = base.dropLast()
        }
        return path.hasPrefix("/") ? base + path : base + "/" + path
    }
}
