import ConfigLang
import Hummingbird

/// The decisions about a model-routed request that do not depend on how it arrived:
/// which model its body names, where that name leads, and the body sent there. The
/// responder's Hummingbird path and the server's fast path (``FastPathHandler``) both
/// take them from here.
extension SwapResponder {
    /// A request body as swap holds it before forwarding.
    enum HeldBody: Sendable {
        case json(ModelRequestBody)
        case multipart(MultipartForm, [UInt8])
        case raw([UInt8])
        case stream(RequestBody)
    }

    /// Where a model-routed request goes, with the body to send there.
    enum ModelRoute: Sendable {
        /// A local model, through the scheduler.
        case local(ModelPlan, body: ProxyForwarder.Body)
        /// A peer; `inject` are the headers that carry the peer's API key.
        case peer(PeerPlan, body: ProxyForwarder.Body, inject: [(String, String)])
    }

    /// The model a buffered model-routed body names and the body as held: a multipart
    /// form's `model` field, the query's `model` for an empty body, else the JSON body's
    /// `model` (or the query's when the JSON has none). Throws the 400 a client sees for a
    /// body swap cannot read.
    static func modelBody(_ bytes: [UInt8], contentType: String, queryModel: () -> String?) throws(OpenAIError)
        -> (name: String, body: HeldBody)
    {
        if let form = MultipartForm(contentType: contentType) {
            guard let field = form.modelField(in: bytes) else {
                throw OpenAIError.badRequest("The multipart form has no `model` field.")
            }
            return (field.value, .multipart(form, bytes))
        }
        if bytes.isEmpty, let name = queryModel() {
            return (name, .raw([]))
        }
        let json = try ModelRequestBody(bytes: bytes)
        guard let name = json.model ?? queryModel() else {
            throw OpenAIError.badRequest("The request names no model: set `model` in the JSON body.")
        }
        return (name, .json(json))
    }

    /// Where `name` leads under `plan` and the current profile, with `body` rewritten for
    /// the target (its parameter locks, `useModelName`). Throws the 404 for a name nothing
    /// serves.
    func route(_ name: String, body: HeldBody, plan: Plan) throws(OpenAIError) -> ModelRoute {
        let scheduler = core.scheduler
        return try Self.route(
            name, body: body, plan: plan, activeProfile: core.activeProfile,
            readyModels: { Set(scheduler.readyModels()) })
    }

    /// ``route(_:body:plan:)`` with the profile and the ready models given; the ready
    /// models are asked for only when the plan has selectors (only `warm` ones look).
    static func route(
        _ name: String, body: HeldBody, plan: Plan, activeProfile: String?, readyModels: () -> Set<String>
    ) throws(OpenAIError) -> ModelRoute {
        let ready = plan.selectors.isEmpty ? [] : readyModels()
        let resolver = ModelResolver(plan: plan, activeProfile: activeProfile, readyModels: ready)
        switch resolver.resolve(name) {
        case nil, .disabled?:
            throw OpenAIError.unknownModel(name)
        case .peer(let peerID, let model)?:
            guard let peer = plan.peers[peerID] else { throw OpenAIError.unknownModel(name) }
            var inject: [(String, String)] = []
            if let key = peer.apiKey, !key.isEmpty {
                inject = [("Authorization", "Bearer \(key)"), ("x-api-key", key)]
            }
            let upstreamBody = rewrite(body, locks: peer.locks, useModelName: model == name ? nil : model)
            return .peer(peer, body: upstreamBody, inject: inject)
        case .local(let modelID, let requestedID)?:
            guard let model = plan.models[modelID] else { throw OpenAIError.unknownModel(name) }
            let locks = model.locksByRequestedID[requestedID] ?? model.locks
            return .local(model, body: rewrite(body, locks: locks, useModelName: model.useModelName))
        }
    }

    /// The body sent upstream for `body` under `locks` and `useModelName`.
    static func rewrite(_ body: HeldBody, locks: ParameterLocks, useModelName: String?) -> ProxyForwarder.Body {
        switch body {
        case .json(let json):
            return .bytes(json.rewritten(locks: locks, useModelName: useModelName))
        case .multipart(let form, let bytes):
            return .bytes(useModelName.map { form.replacingModel(in: bytes, with: $0) } ?? bytes)
        case .raw(let bytes):
            return bytes.isEmpty ? .none : .bytes(bytes)
        case .stream(let stream):
            return .stream(stream)
        }
    }
}
