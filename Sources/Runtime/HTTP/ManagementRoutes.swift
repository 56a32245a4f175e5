import ConfigLang
import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore

/// `/v1/models`, `/running`, unload, logs, `/metrics`, the config API, and llama-swap's
/// other routes (``dropInResponse(to:plan:)``).
public struct ManagementRoutes: Sendable {
    /// The plan and the last load's result.
    let config: CurrentConfig
    /// Admission and swapping (unload, activity).
    let scheduler: ModelScheduler
    /// The backends (their state, process and port).
    let backends: BackendPool
    /// The log lines.
    let logs: LogHub
    /// Finished requests per model and status.
    let counters: RequestCounters
    /// `POST /api/config/reload`.
    let reloader: ConfigReloader
    /// `/metrics`, memory per model, system statistics, hardware.
    let observability: Observability
    /// The activity API (``activityResponse(to:)``); nil without accounting.
    let activity: ActivityServices?

    /// Creates the routes over the services they read and drive.
    public init(
        config: CurrentConfig, scheduler: ModelScheduler, backends: BackendPool, logs: LogHub,
        counters: RequestCounters, reloader: ConfigReloader, observability: Observability,
        activity: ActivityServices? = nil
    ) {
        self.observability = observability
        self.activity = activity
        self.config = config
        self.scheduler = scheduler
        self.backends = backends
        self.logs = logs
        self.counters = counters
        self.reloader = reloader
    }

    /// The response for a management route, or nil when the path is not one.
    func respond(to request: Request, plan: Plan) async throws -> Response? {
        let path = request.uri.path
        if let response = try await dropInResponse(to: request, plan: plan) { return response }
        if let response = try await observabilityResponse(to: request, plan: plan) { return response }
        if let response = try await activityResponse(to: request) { return response }
        switch (request.method, path) {
        case (.get, "/running"):
            return json(await running())
        // The answers are llama-swap's: its UI and scripts read them.
        case (.post, "/api/models/unload"):
            await scheduler.unload(model: nil)
            return json(.object(["msg": .string("ok")]))
        case (.post, _) where path.hasPrefix("/api/models/unload/"):
            let name = String(path.dropFirst("/api/models/unload/".count))
            guard let id = plan.names[name] else { throw OpenAIError.unknownModel(name) }
            await scheduler.unload(model: id)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "OK")))
        case (.get, "/logs") where request.headers[.accept]?.contains("text/html") == true:
            // A browser opening /logs gets the UI's log page, as with llama-swap.
            return Response(status: .found, headers: [.location: "/ui/logs"])
        case (.get, "/logs"):
            let lines = await logs.snapshot(source: nil)
            let text = lines.map { "[\($0.source)] \($0.text)\n" }.joined()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case (.get, _) where path == "/logs/stream" || path.hasPrefix("/logs/stream/"):
            let rest = path.dropFirst("/logs/stream".count).drop { $0 == "/" }
            return logStream(source: rest.isEmpty ? nil : String(rest))
        case (.get, "/api/config/status"):
            return try jsonEncodable(config.status)
        case (.get, "/api/config/plan"):
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: PlanRenderer.render(plan.redacted(secrets: config.secrets), format: .json))))
        case (.post, "/api/config/reload"):
            let result = await reloader.reload(trigger: "api")
            return try jsonEncodable(result)
        default:
            return nil
        }
    }

    private func running() async -> JSONValue {
        let statuses = await backends.statuses()
        let ports = await backends.ports(of: Array(statuses.keys))
        let activity = scheduler.snapshot()
        var list: [JSONValue] = []
        for id in statuses.keys.sorted() {
            guard let entry = statuses[id], entry.state.isRunning else { continue }
            var item: [String: JSONValue] = ["model": .string(id), "state": .string(entry.state.name)]
            if let load = activity[id] {
                item["inFlight"] = .integer(load.inFlight)
                item["queued"] = .integer(load.queued)
                if let deadline = load.ttlDeadline {
                    item["ttlRemainingMs"] = .integer(EventHub.milliseconds(until: deadline))
                }
            }
            if let pid = entry.pid { item["pid"] = .integer(Int(pid)) }
            if let port = ports[id] { item["port"] = .integer(port) }
            if let memory = observability.memory.latest[id] { item["memory"] = Self.memoryJSON(memory) }
            list.append(.object(item))
        }
        return .object(["running": .array(list)])
    }

    private func logStream(source: String?) -> Response {
        let logs = self.logs
        let body = ResponseBody { writer in
            let stream = await logs.subscribe(source: source)
            for await line in stream {
                try await writer.write(ByteBuffer(string: "[\(line.source)] \(line.text)\n"))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"], body: body)
    }

    func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    private func jsonEncodable(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
