import ConfigLang

/// The records of `GET /v1/models` (and `/models`, `/v1/models/{id}`) in llama-swap's
/// shape: one per listed model, alias (with `includeAliasesInList`), peer model,
/// selector and pin of the active profile, sorted by ID, each with
/// `meta.llamaswap.type` and `status.value` (`loaded` while the model's backend is ready).
struct ModelListing {
    /// The plan the names come from.
    let plan: Plan
    /// The active profile (its pins are listed).
    let activeProfile: String?
    /// Local models ready now.
    let loaded: Set<String>
    /// The port each local model's backend runs (or will run) on, for `${PORT}` in its
    /// metadata; a model missing here shows the plan's offline port.
    let ports: [String: Int]
    /// `created`, in Unix seconds.
    let created: Int

    /// Every listed record, sorted by ID.
    var records: [JSONValue] {
        recordsByID(includingUnlisted: false).sorted { $0.key < $1.key }.map(\.value)
    }

    /// The `{"object": "list", "data": [...]}` body.
    var list: JSONValue {
        .object(["object": .string("list"), "data": .array(records)])
    }

    /// The record for `id`, listed or not (an unlisted model can still be retrieved);
    /// nil when no model, alias, peer model, selector or pin has that ID.
    func record(id: String) -> JSONValue? {
        recordsByID(includingUnlisted: true)[id]
    }

    private func recordsByID(includingUnlisted: Bool) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (id, model) in plan.models where includingUnlisted || !model.unlisted {
            result[id] = localRecord(id: id, model: model, type: "model", extra: aliasesMeta(model))
            if plan.settings.includeAliasesInList || includingUnlisted {
                for alias in model.aliases {
                    result[alias] = localRecord(
                        id: alias, model: model, type: "alias", extra: ["modelID": .string(id)])
                }
            }
        }
        for (peerID, peer) in plan.peers {
            for model in peer.models {
                let id = "\(peerID)/\(model)"
                result[id] = record(
                    id: id, ownedBy: peerID, name: "\(peerID): \(model)", description: nil, metadata: nil,
                    llamaswap: ["type": .string("peer"), "peerID": .string(peerID)], status: nil)
            }
        }
        for (id, selector) in plan.selectors {
            result[id] = record(
                id: id, ownedBy: "llama-swap", name: nil, description: nil, metadata: nil,
                llamaswap: [
                    "type": .string("selector"), "strategy": .string(selector.strategy),
                    "targets": .array(selector.targets.map(JSONValue.string)),
                ],
                status: nil)
        }
        if let profile = activeProfile.flatMap({ plan.profiles[$0] }) {
            for (pinned, target) in profile.pins {
                guard let target else {
                    result[pinned] = nil  // The profile disables this ID.
                    continue
                }
                var meta: [String: JSONValue] = [
                    "type": .string("profile"), "profile": .string(activeProfile ?? ""),
                    "targets": .array([.string(target)]),
                ]
                if let modelID = plan.names[target] { meta["modelID"] = .string(modelID) }
                result[pinned] = record(
                    id: pinned, ownedBy: "llama-swap", name: nil, description: nil, metadata: nil, llamaswap: meta,
                    status: plan.names[target].map { loaded.contains($0) })
            }
        }
        return result
    }

    private func aliasesMeta(_ model: ModelPlan) -> [String: JSONValue] {
        model.aliases.isEmpty ? [:] : ["aliases": .array(model.aliases.sorted().map(JSONValue.string))]
    }

    private func localRecord(id: String, model: ModelPlan, type: String, extra: [String: JSONValue]) -> JSONValue {
        var meta = extra
        meta["type"] = .string(type)
        var entry = record(
            id: id, ownedBy: "llama-swap", name: model.name, description: model.description,
            metadata: model.metadata(port: ports[model.id] ?? model.port?.offline),
            llamaswap: meta, status: loaded.contains(model.id))
        if let capabilities = model.capabilities, case .object(var fields) = entry {
            fields.merge(Self.fields(capabilities)) { _, new in new }
            if capabilities.context > 0, case .object(var meta)? = fields["meta"] {
                meta["n_ctx"] = .integer(capabilities.context)
                fields["meta"] = .object(meta)
            }
            entry = .object(fields)
        }
        return entry
    }

    /// `architecture`, `capabilities` (only the true ones), `supported_parameters` and
    /// `context_length` from a model's declared `capabilities`.
    static func fields(_ capabilities: ModelCapabilities) -> [String: JSONValue] {
        let input = Set(capabilities.input)
        let output = Set(capabilities.output)
        let flags: [(String, Bool)] = [
            ("vision", input.contains("image")), ("audio_transcriptions", input.contains("audio")),
            ("audio_speech", output.contains("audio")), ("image_generation", output.contains("image")),
            ("image_to_image", input.contains("image") && output.contains("image")),
            ("function_calling", capabilities.tools), ("reranker", capabilities.reranker),
        ]
        var result: [String: JSONValue] = [
            "capabilities": .object(
                Dictionary(uniqueKeysWithValues: flags.filter(\.1).map { ($0.0, JSONValue.bool(true)) }))
        ]
        if !input.isEmpty || !output.isEmpty {
            result["architecture"] = .object([
                "input_modalities": .array(capabilities.input.map(JSONValue.string)),
                "output_modalities": .array(capabilities.output.map(JSONValue.string)),
                "modality": .string(
                    capabilities.input.joined(separator: "+") + "->" + capabilities.output.joined(separator: "+")),
            ])
        }
        if capabilities.tools { result["supported_parameters"] = .array([.string("tools"), .string("tool_choice")]) }
        if capabilities.context > 0 { result["context_length"] = .integer(capabilities.context) }
        return result
    }

    /// One record; `metadata` (the user's) goes under `meta.llamaswap`, swap's keys on top.
    private func record(
        id: String, ownedBy: String, name: String?, description: String?, metadata: JSONValue?,
        llamaswap: [String: JSONValue], status: Bool?
    ) -> JSONValue {
        var entry: [String: JSONValue] = [
            "id": .string(id), "object": .string("model"), "created": .integer(created), "owned_by": .string(ownedBy),
        ]
        if let name, !name.isEmpty { entry["name"] = .string(name) }
        if let description, !description.isEmpty { entry["description"] = .string(description) }
        var meta: [String: JSONValue] = [:]
        if case .object(let user)? = metadata { meta = user }
        meta.merge(llamaswap) { _, ours in ours }
        entry["meta"] = .object(["llamaswap": .object(meta)])
        if let status { entry["status"] = .object(["value": .string(status ? "loaded" : "unloaded")]) }
        return .object(entry)
    }
}
