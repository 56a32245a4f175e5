import ConfigLang

/// Where a requested model name leads.
public enum ModelResolution: Sendable, Equatable {
    /// A local model; `requestedID` is the name used (selects `setParamsByID` locks).
    case local(modelID: String, requestedID: String)
    /// A model served by a peer.
    case peer(peerID: String, model: String)
    /// The active profile disables this name.
    case disabled
}

/// Resolves a requested model name against a plan: the active profile's pins first,
/// then local IDs, aliases and `setParamsByID` keys, then selectors, then peers
/// (`peer/model`, or an unqualified name exactly one peer provides).
public struct ModelResolver: Sendable {
    /// The plan names resolve in.
    public let plan: Plan
    /// The active profile, if any.
    public let activeProfile: String?
    /// Models that are ready now (for `warm` selectors).
    public let readyModels: Set<String>

    /// Creates a resolver.
    public init(plan: Plan, activeProfile: String? = nil, readyModels: Set<String> = []) {
        self.plan = plan
        self.activeProfile = activeProfile
        self.readyModels = readyModels
    }

    /// The resolution of `name`, or nil when nothing serves it.
    public func resolve(_ name: String) -> ModelResolution? {
        if let profile = activeProfile.flatMap({ plan.profiles[$0] }), let pin = profile.pins[name] {
            guard let target = pin else { return .disabled }
            return resolveUnpinned(target)
        }
        return resolveUnpinned(name)
    }

    private func resolveUnpinned(_ name: String) -> ModelResolution? {
        if let id = plan.names[name] { return .local(modelID: id, requestedID: name) }
        if let selector = plan.selectors[name] {
            let targets = selector.targets
            let chosen: String?
            switch selector.strategy {
            case "warm":
                chosen = targets.first { plan.names[$0].map(readyModels.contains) ?? false } ?? targets.first
            default:
                chosen = targets.first
            }
            return chosen.flatMap(resolveUnpinned)
        }
        if let slash = name.firstIndex(of: "/") {
            let peerID = String(name[..<slash])
            let model = String(name[name.index(after: slash)...])
            if let peer = plan.peers[peerID], peer.models.contains(model) { return .peer(peerID: peerID, model: model) }
        }
        let providers = plan.peers.filter { $0.value.models.contains(name) }
        if providers.count == 1, let peerID = providers.keys.first { return .peer(peerID: peerID, model: name) }
        return nil
    }

    /// For `/upstream/<model>/<path>`: the longest prefix of `rest` (split at `/`) that
    /// names a local model, and the path after it (starting with `/`).
    public func upstreamTarget(_ rest: String) -> (modelID: String, requestedID: String, path: String)? {
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        for count in stride(from: parts.count, through: 1, by: -1) {
            let candidate = parts[..<count].joined(separator: "/")
            if let id = plan.names[candidate] {
                let path = "/" + parts[count...].joined(separator: "/")
                return (id, candidate, path)
            }
        }
        return nil
    }
}
