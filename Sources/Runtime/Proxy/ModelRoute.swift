import ConfigLang

/// Where a model-routed request goes, with the body to send there, and the pure rules
/// that decide it: which model a body names, where that name leads under a plan, and
/// the body rewritten for the target (its parameter locks, `useModelName`).
enum ModelRoute: Sendable {
    /// A local model, through the scheduler; `changes` are what its locks did to the body.
    case local(ModelPlan, body: UpstreamRequestBody, changes: [LockChange])
    /// A peer; `inject` are the headers that carry the peer's API key.
    case peer(PeerPlan, body: UpstreamRequestBody, inject: [(String, String)])

    /// A request body as the proxy holds it before it knows where the request goes.
    enum HeldBody: Sendable {
        case json(ModelRequestBody)
        case multipart(MultipartForm, [UInt8])
        case raw([UInt8])
    }

    /// The model a buffered model-routed body names and the body as held: a multipart
    /// form's `model` field, the query's `model` for an empty body, else the JSON body's
    /// `model` (or the query's when the JSON has none). Throws the 400 a client sees for a
    /// body swap cannot read.
    static func modelBody(_ bytes: [UInt8], contentType: String, queryModel: String?) throws(OpenAIError)
        -> (name: String, body: HeldBody)
    {
        if let form = MultipartForm(contentType: contentType) {
            guard let field = form.modelField(in: bytes) else {
                throw OpenAIError.badRequest("The multipart form has no `model` field.")
            }
            return (field.value, .multipart(form, bytes))
        }
        if bytes.isEmpty, let name = queryModel {
            return (name, .raw([]))
        }
        let json = try ModelRequestBody(bytes: bytes)
        guard let name = json.model ?? queryModel else {
            throw OpenAIError.badRequest("The request names no model: set `model` in the JSON body.")
        }
        return (name, .json(json))
    }

    /// Where `name` leads under `plan` and `activeProfile`, with `body` rewritten for the
    /// target. The ready models are asked for only when the plan has selectors (only
    /// `warm` ones look). Throws the 404 for a name nothing serves.
    static func resolve(
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
            var changes: [LockChange] = []
            if case .json(let json) = body {
                changes = json.lockChanges(locks: locks, provenance: model.lockProvenance)
            }
            return .local(
                model, body: rewrite(body, locks: locks, useModelName: model.useModelName), changes: changes)
        }
    }

    /// The body sent upstream for `body` under `locks` and `useModelName`.
    static func rewrite(_ body: HeldBody, locks: ParameterLocks, useModelName: String?) -> UpstreamRequestBody {
        switch body {
        case .json(let json):
            return .bytes(json.rewritten(locks: locks, useModelName: useModelName))
        case .multipart(let form, let bytes):
            return .bytes(useModelName.map { form.replacingModel(in: bytes, with: $0) } ?? bytes)
        case .raw(let bytes):
            return bytes.isEmpty ? .none : .bytes(bytes)
        }
    }
}
