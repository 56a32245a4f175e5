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
            if let metadata = model.metadata, let object = try? JSONSerialization.jsonObject(
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
        let activity = await core.scheduler.snapshot()
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
