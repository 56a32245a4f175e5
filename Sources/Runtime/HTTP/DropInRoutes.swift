import ConfigLang
import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore

/// Routes llama-swap v250 serves that tools and its UI rely on: the profile API, the
/// legacy `GET /unload`, llama.cpp's `GET /models`, `GET /v1/models/{id}`, `GET /upstream`,
/// the `/upstream/<id>` redirect and the CORS preflight.
extension ManagementRoutes {
    /// The response for one of these routes, or nil when the path is not one.
    func dropInResponse(to request: Request, plan: Plan) async throws -> Response? {
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/api/profiles"):
            return json(profiles(plan))
        case (.put, "/api/profiles/active"):
            let body = try await request.body.collect(upTo: 64 << 10)
            let name = try Self.profileName(in: Array(body.readableBytesView), plan: plan)
            config.setProfile(name)
            return json(.object(["active": name.map(JSONValue.string) ?? .null]))
        case (.get, "/unload"):
            await scheduler.unload(model: nil)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "OK")))
        case (.get, "/models"), (.get, "/v1/models"):
            return Self.echoingOrigin(json(await listing(plan).list), of: request)
        case (.get, _) where path.hasPrefix("/v1/models/"):
            let id = String(path.dropFirst("/v1/models/".count))
            guard let record = await listing(plan).record(id: id) else { throw OpenAIError.unknownModel(id) }
            return Self.echoingOrigin(json(record), of: request)
        case (.get, "/upstream"):
            // Upstream's redirect; the UI routes `/ui/models` to its Models page.
            return Response(status: .found, headers: [.location: "/ui/models"])
        default:
            return nil
        }
    }

    /// The listing under `plan`, the active profile, the models ready now and the ports
    /// the backends run (or will run) on.
    func listing(_ plan: Plan) async -> ModelListing {
        let ports = await backends.ports(of: Array(plan.models.keys))
        return ModelListing(
            plan: plan, activeProfile: config.activeProfile, loaded: Set(scheduler.readyModels()), ports: ports,
            created: Int(Date().timeIntervalSince1970))
    }

    /// `{"active", "profiles": [{"id", "description", "pins"}]}`, profiles sorted by ID.
    private func profiles(_ plan: Plan) -> JSONValue {
        let list = plan.profiles.keys.sorted().map { id -> JSONValue in
            let profile = plan.profiles[id]!
            let pins = profile.pins.mapValues { $0.map(JSONValue.string) ?? .null }
            return .object([
                "id": .string(id), "description": .string(profile.description ?? ""), "pins": .object(pins),
            ])
        }
        let active = config.activeProfile.map(JSONValue.string) ?? .null
        return .object(["active": active, "profiles": .array(list)])
    }

    /// The profile `PUT /api/profiles/active` names (nil clears it): 400 unless the body
    /// is an object whose `name` is a string or null, 404 for a profile the plan lacks.
    static func profileName(in body: [UInt8], plan: Plan) throws(OpenAIError) -> String? {
        let usage = "Send {\"name\": \"PROFILE\"} to activate a profile or {\"name\": null} to clear it."
        guard case .object(let fields)? = try? JSONValue(parsing: body), let name = fields["name"] else {
            throw .badRequest("The body is not a JSON object with `name`. \(usage)")
        }
        switch name {
        case .null:
            return nil
        case .string(let profile):
            guard plan.profiles[profile] != nil else {
                let known = plan.profiles.keys.sorted().joined(separator: ", ")
                throw OpenAIError(
                    .notFound, "No profile `\(profile)`; the config has: \(known.isEmpty ? "none" : known).",
                    type: "invalid_request_error", code: "profile_not_found")
            }
            return profile
        default:
            throw .badRequest("`name` must be a string or null. \(usage)")
        }
    }

    /// `/v1/models` answers cross-origin requests from the page that asked.
    private static func echoingOrigin(_ response: Response, of request: Request) -> Response {
        guard let origin = request.headers[.origin] else { return response }
        var response = response
        response.headers[.accessControlAllowOrigin] = origin
        return response
    }

    /// The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`),
    /// given before the API key check as upstream does: any origin, the methods swap
    /// serves, and the headers the page asked for.
    static func preflight(_ request: Request) -> Response? {
        guard request.method == .options else { return nil }
        var headers: HTTPFields = [
            .accessControlAllowOrigin: "*",
            .accessControlAllowMethods: "GET, POST, PUT, PATCH, DELETE, OPTIONS",
            .accessControlMaxAge: "86400",
        ]
        headers[.accessControlAllowHeaders] =
            request.headers[.accessControlRequestHeaders] ?? "Content-Type, Authorization, X-API-Key"
        return Response(status: .noContent, headers: headers)
    }

    /// `/upstream/<id>` naming a model without the `/` after it: 301 (GET, HEAD) or 308
    /// to the same path with the slash, so relative links in the backend's pages resolve.
    static func upstreamRedirect(_ request: Request, plan: Plan) -> Response? {
        let path = request.uri.path
        guard path.hasPrefix("/upstream/"), plan.names[String(path.dropFirst("/upstream/".count))] != nil else {
            return nil
        }
        let location = path + "/" + (request.uri.query.map { "?" + $0 } ?? "")
        let status: HTTPResponse.Status =
            request.method == .get || request.method == .head ? .movedPermanently : .permanentRedirect
        return Response(status: status, headers: [.location: location])
    }
}
