import ConfigLang
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/v1/models`, `/running`, unload, logs, and the config API.
struct ManagementRoutes: Sendable {
    let core: SwapCore

    /// The response for a management route, or nil when the path is not one.
    func respond(to request: Request, plan: Plan) async throws -> Response? {
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/v1/models"):
            return json(modelList(plan))
        case (.get, "/running"):
            return json(await running(plan))
        case (.post, "/api/models/unload"):
            await core.scheduler.unload(model: nil)
            return json(["status": "ok"])
        case (.post, _) where path.hasPrefix("/api/models/unload/"):
            let name = String(path.dropFirst("/api/models/unload/".count))
            guard let id = plan.names[name] else { throw OpenAIError.unknownModel(name) }
            await core.scheduler.unload(model: id)
            return json(["status": "ok", "model": id])
        case (.get, "/logs"):
            let lines = await core.logs.snapshot(source: nil)
            let text = lines.map { "[\($0.source)] \($0.text)\n" }.joined()
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
            return try jsonEncodable(core.status)
        case (.get, "/api/config/plan"):
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: PlanRenderer.render(plan, format: .json))))
        case (.post, "/api/config/reload"):
            let result = await ConfigReloader(core: core).reload(trigger: "api")
            return try jsonEncodable(result)
        default:
            return nil
        }
    }

    private func modelList(_ plan: Plan) -> [String: Any] {
        var data: [[String: Any]] = []
        let created = Int(Date().timeIntervalSince1970)
        for id in plan.models.keys.sorted() {
            guard let model = plan.models[id], !model.unlisted else { continue }
            var entry: [String: Any] = ["id": id, "object": "model", "created": created, "owned_by": "swap"]
            if let name = model.name, !name.isEmpty { entry["name"] = name }
            if let description = model.description, !description.isEmpty { entry["description"] = description }
            if let metadata = model.metadata,
                let object = try? JSONSerialization.jsonObject(
                    with: Data(metadata.serialized().utf8), options: [.fragmentsAllowed])
            {
                entry["meta"] = ["llamaswap": object]
            }
            data.append(entry)
            if plan.settings.includeAliasesInList {
                for alias in model.aliases.sorted() {
                    var copy = entry
                    copy["id"] = alias
                    data.append(copy)
                }
            }
        }
        for peerID in plan.peers.keys.sorted() {
            for model in plan.peers[peerID]?.models ?? [] {
                data.append(["id": "\(peerID)/\(model)", "object": "model", "created": created, "owned_by": peerID])
            }
        }
        return ["object": "list", "data": data]
    }

    private func running(_ plan: Plan) async -> [String: Any] {
        let states = await core.pool.states()
        let activity = core.scheduler.snapshot()
        var list: [[String: Any]] = []
        for id in states.keys.sorted() {
            guard let entry = states[id], entry.state.isRunning else { continue }
            var item: [String: Any] = ["model": id, "state": entry.state.name]
            if let load = activity[id] {
                item["inFlight"] = load.inFlight
                item["queued"] = load.queued
            }
            if let pid = entry.pid { item["pid"] = Int(pid) }
            if let port = await core.pool.port(of: id) { item["port"] = port }
            list.append(item)
        }
        return ["running": list]
    }

    /// Prometheus text exposition: reloads, plan, per-model state and requests.
    private func metrics(_ plan: Plan) async -> String {
        let status = core.status
        let activity = core.scheduler.snapshot()
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Int)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        func label(_ pairs: [(String, String)]) -> String {
            "{"
                + pairs.map {
                    "\($0.0)=\"\($0.1.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
                }.joined(separator: ",") + "}"
        }
        metric(
            "swap_config_last_reload_success", "gauge", "1 if the last config load attempt succeeded, else 0.",
            [("", status.lastAttempt.success ? 1 : 0)])
        metric(
            "swap_config_reloads_total", "counter", "Config reload attempts by result.",
            [
                (label([("result", "applied")]), status.applied),
                (label([("result", "other")]), status.attempts - status.applied),
            ])
        metric(
            "swap_config_plan_info", "gauge", "The running plan's source hash.",
            [(label([("hash", status.planHash)]), 1)])
        var inFlight: [(String, Int)] = []
        var queued: [(String, Int)] = []
        var ready: [(String, Int)] = []
        for id in plan.models.keys.sorted() {
            let load = activity[id]
            inFlight.append((label([("model", id)]), load?.inFlight ?? 0))
            queued.append((label([("model", id)]), load?.queued ?? 0))
            ready.append((label([("model", id)]), load?.state == .ready ? 1 : 0))
        }
        metric("swap_model_ready", "gauge", "1 while the model's backend is ready.", ready)
        metric("swap_model_requests_in_flight", "gauge", "Requests admitted and not finished.", inFlight)
        metric("swap_model_requests_queued", "gauge", "Requests waiting for the model.", queued)
        var finished: [(String, Int)] = []
        for (model, statuses) in core.requests.snapshot.sorted(by: { $0.key < $1.key }) {
            for (code, count) in statuses.sorted(by: { $0.key < $1.key }) {
                finished.append((label([("model", model), ("status", String(code))]), count))
            }
        }
        metric("swap_model_requests_total", "counter", "Proxied requests by model and upstream status.", finished)
        metric(
            "swap_fast_path_requests_total", "counter",
            "Proxied requests answered on the connection's event loop without Hummingbird's request handling.",
            [("", core.requests.fastPathAnswered)])
        return lines.joined(separator: "\n") + "\n"
    }

    private func logStream(source: String?) -> Response {
        let logs = core.logs
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

    private func json(_ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func jsonEncodable(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
