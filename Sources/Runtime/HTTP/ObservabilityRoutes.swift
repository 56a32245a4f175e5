import ConfigLang
import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// What the observability routes read: the metrics registry, the memory and system
/// samplers, the hardware detected at start, and the build.
public struct Observability: Sendable {
    /// The Prometheus registry and its counters.
    public let metrics: SwapMetrics
    /// Memory per model.
    public let memory: MemorySampler
    /// System statistics (nil when `performance.disabled`).
    public let performance: PerformanceMonitor?
    /// The hardware snapshot taken at start.
    public let hardware: JSONValue
    /// The binary's commit and build time (`/api/version`).
    public let build: BuildInfo

    /// Bundles the services the routes read.
    public init(
        metrics: SwapMetrics, memory: MemorySampler, performance: PerformanceMonitor?, hardware: JSONValue,
        build: BuildInfo
    ) {
        self.metrics = metrics
        self.memory = memory
        self.performance = performance
        self.hardware = hardware
        self.build = build
    }

    /// The server's: memory sampled from `backends`' processes, system statistics as
    /// `plan`'s `performance` says (every 5 s unless it says otherwise), and the hardware
    /// detected now. The samplers are services for the server's group to run.
    public init(plan: Plan, metrics: SwapMetrics, backends: BackendPool, build: BuildInfo) async {
        let every = max(0.1, plan.settings.performanceEvery ?? 5)
        self.init(
            metrics: metrics,
            memory: MemorySampler(skipping: ProcessLauncher.watchdogArgument) { await backends.pids() },
            performance: plan.settings.performanceDisabled == true
                ? nil : PerformanceMonitor(every: .milliseconds(Int64(every * 1000))),
            hardware: await HardwareSnapshot.detect(), build: build)
    }

    /// The samplers, for the server's service group.
    public var services: [any Service] { [memory] + (performance.map { [$0] } ?? []) }
}

/// `GET /metrics`, `/api/version`, `/api/hardware` and `/api/performance`.
extension ManagementRoutes {
    /// The response for one of these routes, or nil when the path is not one.
    func observabilityResponse(to request: Request, plan: Plan) async throws -> Response? {
        guard request.method == .get else { return nil }
        switch request.uri.path {
        case "/metrics":
            let state = SwapMetrics.State(
                models: plan.models.keys.sorted(), config: config.status, activity: scheduler.snapshot(),
                spawns: (await backends.statuses()).mapValues { ($0.spawnCount, $0.lastLoadDuration) },
                memory: observability.memory.latest, answered: counters.snapshot)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: observability.metrics.exposition(state))))
        case "/api/version":
            return json(
                .object([
                    "version": .string(SwapVersion.current), "commit": .string(observability.build.commit),
                    "build_date": .string(observability.build.date),
                ]))
        case "/api/hardware":
            return json(observability.hardware)
        case "/api/performance":
            guard let performance = observability.performance else {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"enabled":false}"#)))
            }
            var after: Date?
            if let text = request.uri.queryParameters.get("after") {
                guard let date = RFC3339.date(text) else {
                    throw OpenAIError.badRequest(
                        "`after` must be an RFC 3339 time such as 2026-01-02T15:04:05Z; got `\(text)`.")
                }
                after = date
            }
            return json(performance.samples(after: after))
        default:
            return nil
        }
    }

    /// The payload of an `/api/events` `memory` event for `sample`:
    /// `[{"id", "rss_bytes", "swap_bytes", "gpu_bytes"|null}]`, sorted by id.
    public static func memoryEvent(_ sample: [String: ModelMemory]) -> JSONValue {
        .array(
            sample.keys.sorted().map { id in
                guard case .object(var fields) = memoryJSON(sample[id]!) else { return .null }
                fields["id"] = .string(id)
                return .object(fields)
            })
    }

    /// The `memory` field of a `/running` record (and of a `modelStatus` entry).
    static func memoryJSON(_ memory: ModelMemory) -> JSONValue {
        .object([
            "rss_bytes": .integer(memory.rssBytes), "swap_bytes": .integer(memory.swapBytes),
            "gpu_bytes": memory.gpuBytes.map(JSONValue.integer) ?? .null,
        ])
    }
}
