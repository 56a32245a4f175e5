/// What a reload from one plan to another does to each model.
public struct PlanDiff: Sendable, Equatable, Codable {
    /// Models whose process fields changed: drained, stopped and started again.
    public var restart: [String]
    /// Models whose live fields changed (locks, TTL, aliases, limits…): applied to new requests.
    public var applyLive: [String]
    /// Models identical in both plans.
    public var unchanged: [String]
    /// Models only in the new plan.
    public var added: [String]
    /// Models only in the old plan: drained, then stopped.
    public var removed: [String]
}

extension Plan {
    /// Compares two plans model by model using their fingerprints. A model whose
    /// process fields changed is listed under `restart` even if live fields changed too.
    public static func diff(from old: Plan, to new: Plan) -> PlanDiff {
        var result = PlanDiff(restart: [], applyLive: [], unchanged: [], added: [], removed: [])
        for id in new.models.keys.sorted() {
            guard let before = old.models[id], let after = new.models[id] else {
                result.added.append(id)
                continue
            }
            if before.processFingerprint != after.processFingerprint {
                result.restart.append(id)
            } else if before.liveFingerprint != after.liveFingerprint {
                result.applyLive.append(id)
            } else {
                result.unchanged.append(id)
            }
        }
        result.removed = old.models.keys.filter { new.models[$0] == nil }.sorted()
        return result
    }
}
