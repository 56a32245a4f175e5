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

    /// Creates the routes over the services they read and drive.
    public init(
        config: CurrentConfig, scheduler: ModelScheduler, backends: BackendPool, logs: LogHub,
        counters: RequestCounters, reloader: ConfigReloader
    ) {
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
            let hiding = SecretHiding(secrets: config.secrets)
            let text = lines.map { "[\($0.source)] \(hiding.text($0.text))\n" }.joined()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case (.get, _) where path == "/logs/stream" || path.hasPrefix("/logs/stream/"):
            let rest = path.dropFirst("/logs/stream".count).drop { $0 == "/" }
            return logStream(source: rest.isEmpty ? nil : String(rest))
        case (.get, "/metrics"):
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await metrics(plan))))
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
        let activity = scheduler.snapshot()
        var list: [JSONValue] = []
        for id in statuses.keys.sorted() {
            guard let entry = statuses[id], entry.state.isRunning else { continue }
            var item: [String: JSONValue] = ["model": .string(id), "state": .string(entry.state.name)]
            if let load = activity[id] {
                item["inFlight"] = .integer(load.inFlight)
                item["queued"] = .integer(load.queued)
            }
            if let pid = entry.pid { item["pid"] = .integer(Int(pid)) }
            if let port = await backends.port(of: id) { item["port"] = .integer(port) }
            list.append(.object(item))
        }
        return .object(["running": .array(list)])
    }

    /// Prometheus text exposition: reloads, plan, per-model state, requests and loads.
    private func metrics(_ plan: Plan) async -> String {
        let status = config.status
        let activity = scheduler.snapshot()
        let statuses = await backends.statuses()
        var exposition = MetricsExposition()
        exposition.add(
            "swap_config_last_reload_success", "gauge", "1 if the last config load attempt succeeded, else 0.",
            [([], status.lastAttempt.success ? 1 : 0)])
        exposition.add(
            "swap_config_reloads_total", "counter", "Config reload attempts by result.",
            [
                ([("result", "applied")], status.applied),
                ([("result", "other")], status.attempts - status.applied),
            ])
        exposition.add(
            "swap_config_plan_info", "gauge", "The running plan's source hash.", [([("hash", status.planHash)], 1)])
        let ids = plan.models.keys.sorted()
        exposition.add(
            "swap_model_ready", "gauge", "1 while the model's backend is ready.",
            ids.map { ([("model", $0)], activity[$0]?.state == .ready ? 1 : 0) })
        exposition.add(
            "swap_model_requests_in_flight", "gauge", "Requests admitted and not finished.",
            ids.map { ([("model", $0)], activity[$0]?.inFlight ?? 0) })
        exposition.add(
            "swap_model_requests_queued", "gauge", "Requests waiting for the model.",
            ids.map { ([("model", $0)], activity[$0]?.queued ?? 0) })
        var finished: [([(String, String)], Int)] = []
        for (model, codes) in counters.snapshot.sorted(by: { $0.key < $1.key }) {
            for (code, count) in codes.sorted(by: { $0.key < $1.key }) {
                finished.append(([("model", model), ("status", String(code))], count))
            }
        }
        exposition.add(
            "swap_model_requests_total", "counter", "Proxied requests by model and upstream status.", finished)
        let backendIDs = statuses.keys.sorted()
        exposition.add(
            "swap_model_spawns_total", "counter", "Backend processes started for the model (starts and restarts).",
            backendIDs.map { ([("model", $0)], statuses[$0]?.spawnCount ?? 0) })
        exposition.add(
            "swap_model_last_load_seconds", "gauge",
            "How long the model's last start took, from spawn to ready.",
            backendIDs.compactMap { id in
                statuses[id]?.lastLoadDuration.map { ([("model", id)], Self.seconds($0)) }
            })
        return exposition.text
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func logStream(source: String?) -> Response {
        let logs = self.logs
        let hiding = SecretHiding(secrets: config.secrets)
        let body = ResponseBody { writer in
            let stream = await logs.subscribe(source: source)
            for await line in stream {
                try await writer.write(ByteBuffer(string: "[\(line.source)] \(hiding.text(line.text))\n"))
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
