import AsyncHTTPClient
import ConfigLang
import FoundationEssentials
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// How to run a server.
public struct SwapServerOptions: Sendable {
    /// The config file.
    public var configFile: String
    /// Optional `--config-dir`.
    public var configDirectory: String?
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0 = let the OS choose; the chosen one is logged).
    public var port: Int
    /// Watch the config's directory and reload on change.
    public var watchConfig: Bool
    /// The swap-server binary used to launch backends under a watchdog, if any.
    public var launcher: String?
    /// How long shutdown (SIGTERM, SIGINT) lets in-flight requests finish before it
    /// ends them, stops the backends and exits.
    public var shutdownGrace: Duration
    /// Client connection timeouts and cap.
    public var connectionLimits: ConnectionLimits
    /// The binary's commit and build time.
    public var build: BuildInfo

    /// Creates options.
    public init(
        configFile: String, configDirectory: String? = nil, host: String = "127.0.0.1", port: Int = 8080,
        watchConfig: Bool = false, launcher: String? = nil, shutdownGrace: Duration = .seconds(10),
        connectionLimits: ConnectionLimits = .init(), build: BuildInfo = .unknown
    ) {
        self.build = build
        self.connectionLimits = connectionLimits
        self.configFile = configFile
        self.configDirectory = configDirectory
        self.host = host
        self.port = port
        self.watchConfig = watchConfig
        self.launcher = launcher
        self.shutdownGrace = shutdownGrace
    }
}

/// A config that cannot be served at start; the message says what to fix.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    /// The message, with rendered diagnostics.
    public var description: String
}

/// swap-server: compiles the config, serves the HTTP surface, starts and swaps
/// backends, reloads on SIGHUP (and on file change with `watchConfig`), and on
/// SIGINT/SIGTERM drains requests and stops every backend before exiting.
public struct SwapServer: Sendable {
    /// The options.
    public let options: SwapServerOptions

    /// Creates a server.
    public init(options: SwapServerOptions) {
        self.options = options
    }

    /// Compiles the config or throws a readable error.
    public static func loadPlan(_ source: ConfigSource) throws -> Plan {
        let files: [SourceFile]
        do {
            files = try source.read()
        } catch let error as ConfigReadError {
            throw StartupError(description: error.message)
        }
        let result = PlanBuilder.compile(files, environment: ProcessInfo.processInfo.environment)
        guard let plan = result.plan else {
            let text = DiagnosticRenderer.render(
                result.diagnostics, format: .human,
                sources: Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }), color: false)
            throw StartupError(description: "the config has errors; fix them and start again:\n" + text)
        }
        return plan
    }

    /// The activity history (in memory, and in `store.path` when set and writable), the
    /// tracker that numbers requests after the history's last id, the capture cache and
    /// the event hub; the history and the hub observe every finished request.
    static func activityServices(
        plan: Plan, config: CurrentConfig, scheduler: ModelScheduler, logs: LogHub, log: ServerLog
    ) -> ActivityServices {
        var database: ActivityDatabase?
        if let path = plan.settings.storePath {
            do {
                database = try ActivityDatabase(path: path)
                log("activity store: \(path)")
            } catch {
                log(
                    "activity store: cannot open `\(path)` (\(error)); activity history is kept in memory only "
                        + "and lost on restart. Make the file and its directory writable by this user, or "
                        + "change `store.path`.")
            }
        }
        let history = ActivityHistory(
            maxInMemory: plan.settings.metricsMaxInMemory ?? 1000, database: database, log: { log($0) })
        let tracker = ActivityTracker(lastID: max(history.lastID, (try? database?.lastID()) ?? 0))
        tracker.addObserver(history)
        let events = EventHub(config: config, scheduler: scheduler, logs: logs, tracker: tracker, log: { log($0) })
        events.start()
        return ActivityServices(
            tracker: tracker, history: history,
            captures: CaptureCache(capacity: (plan.settings.captureBuffer ?? 0) << 20),
            events: events)
    }

    /// Runs until SIGINT/SIGTERM. `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "swap")
        logger.logLevel = .info
        // Read before any backend starts: it takes NOTIFY_SOCKET out of their environment.
        let systemd = SystemdNotifier.process
        let descriptors = FileDescriptorLimit.raiseToHardLimit()
        let source = ConfigSource(file: options.configFile, directory: options.configDirectory)
        let plan = try Self.loadPlan(source)
        if options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1" {
            logger.notice("listening on \(options.host), which is not loopback: other machines can reach this server")
        }
        var clientConfiguration = HTTPClient.Configuration(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64),
            decompression: .disabled)
        // swap exports no traces; without a tracer the client skips building a span and
        // its attributes for every request.
        clientConfiguration.tracing.tracer = nil
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        // Plain-http backends and peers: swap's own client, with connections on the event
        // loop of the client connection each request came in on.
        let upstream = UpstreamConnectionPool(maxIdlePerKey: 64)
        // https backends and peers: AsyncHTTPClient, one client per distinct `timeouts`.
        let https = HTTPSClients()
        let secrets = CurrentConfig.environmentSecrets(
            (try? source.read()) ?? [], environment: ProcessInfo.processInfo.environment)
        let config = CurrentConfig(plan: plan, source: source, loadedAt: ConfigStatus.now(), secrets: secrets)
        let logs = LogHub()
        await logs.hideSecrets(secrets)
        let stdout: @Sendable () -> StdoutLogSettings = {
            StdoutLogSettings(sources: config.plan.settings.logToStdout, timeFormat: config.plan.settings.logTimeFormat)
        }
        let log = ServerLog(logger: logger, hub: logs, stdout: stdout)
        let upstreamLines = StdoutLog(lines: await logs.subscribe(source: LogHub.upstreamSource), settings: stdout)
        let upstreamPrinter = Task { await upstreamLines.run() }
        let metrics = SwapMetrics(build: options.build)
        let backends = BackendPool(
            plan: plan, logs: logs, client: client, launcher: options.launcher,
            events: { [backendMetrics = metrics.backends] in backendMetrics.record($0) })
        let observability = await Observability(plan: plan, metrics: metrics, backends: backends, build: options.build)
        let scheduler = ModelScheduler(plan: plan, backends: backends)
        let counters = RequestCounters()
        let activity = Self.activityServices(plan: plan, config: config, scheduler: scheduler, logs: logs, log: log)
        activity.tracker.addObserver(observability.metrics.requests)
        activity.events.watchMemory(observability.memory)
        let reloader = ConfigReloader(
            config: config, scheduler: scheduler, backends: backends, log: log, compileChecker: options.launcher)
        let responder = SwapResponder(
            config: config,
            proxy: ProxyCore(
                config: config, scheduler: scheduler, backends: backends,
                upstream: UpstreamClient(client: client, upstream: upstream, https: https), counters: counters,
                activity: activity.tracker, captures: activity.captures),
            management: ManagementRoutes(
                config: config, scheduler: scheduler, backends: backends, logs: logs, counters: counters,
                reloader: reloader, observability: observability, activity: activity))
        let app = Application(
            responder: responder, server: EventLoopPinnedChannel.http1(limits: options.connectionLimits),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                try? await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        AcceptPauseHandler(log: { log($0) }), position: .first)
                }.get()
                log("swap-server listening on \(options.host):\(port)")
                if let descriptors { log("open file limit: \(descriptors)") }
                systemd?.announceReady(
                    status: SystemdNotification.status(serving: config.plan, lastReloadFailed: false))
                await onListening(port)
            },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: app, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: ReloadService(reloader: reloader, watchConfig: options.watchConfig)),
                .init(service: PreloadService(models: plan.preload, scheduler: scheduler)),
                .init(service: SystemdStoppingService(notifier: systemd), successTerminationBehavior: .ignore),
                .init(service: EventStreamService(hub: activity.events), successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // After the grace, the group cancels what still runs: open connections close.
        groupConfiguration.maximumGracefulShutdownDuration = options.shutdownGrace
        groupConfiguration.maximumCancellationDuration = .seconds(2)
        groupConfiguration.services += observability.services.map { .init(service: $0) }
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            logger.error("server stopped: \(error)")
        }
        await backends.stopAll()
        upstreamPrinter.cancel()
        await activity.history.close()
        upstream.shutdown()
        await https.shutdown()
        try? await client.shutdown()
    }
}
