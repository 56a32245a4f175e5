import ConfigLang

/// Decides which running models must stop before a model may start, following
/// llama-swap's routing engines. Pure: it only reads the routing plan.
///
/// Group engine (`routing.engine == "group"`):
/// - a `swap: true` group runs one member at a time: its other running members stop;
/// - an `exclusive: true` group stops every running model of the *other* groups,
///   except members of `persistent` groups;
/// - a `swap: false` group lets its members run together, and a non-exclusive group
///   leaves other groups alone;
/// - a running model that is in no group (it left the plan in a reload) counts as a
///   group of its own that is neither persistent nor protected.
///
/// Matrix engine (`routing.engine == "matrix"`): among the sets containing the model,
/// the one whose running non-members have the lowest summed `evictCosts` (default 1)
/// wins, ties going to the set defined first; running models outside it stop. A
/// model in no set runs alone.
struct EvictionSolver: Sendable {
    /// The routing the decisions follow.
    let routing: RoutingPlan
    /// Index into `routing.groups` by member model ID.
    private let groupOf: [String: Int]

    init(routing: RoutingPlan) {
        self.routing = routing
        var groupOf: [String: Int] = [:]
        for (index, group) in routing.groups.enumerated() {
            for member in group.members where groupOf[member] == nil { groupOf[member] = index }
        }
        self.groupOf = groupOf
    }

    /// The models in `running` that must stop before `model` can run.
    func victims(toRun model: String, running: Set<String>) -> Set<String> {
        let others = running.subtracting([model])
        if others.isEmpty { return [] }
        if routing.engine == "matrix" {
            return matrixVictims(toRun: model, others: others)
        }
        return groupVictims(toRun: model, others: others)
    }

    private func groupVictims(toRun model: String, others: Set<String>) -> Set<String> {
        guard let index = groupOf[model] else {
            // Not in any group (should not happen for a planned model): behave like
            // the default group, which is swap + exclusive.
            return others.filter { other in groupOf[other].map { !routing.groups[$0].persistent } ?? true }
        }
        let group = routing.groups[index]
        return others.filter { other in
            guard let otherIndex = groupOf[other] else { return group.exclusive }
            if otherIndex == index { return group.swap }
            return group.exclusive && !routing.groups[otherIndex].persistent
        }
    }

    private func matrixVictims(toRun model: String, others: Set<String>) -> Set<String> {
        var best: (cost: Int, set: Set<String>)?
        for members in routing.matrixSets where members.contains(model) {
            let set = Set(members)
            let cost = others.subtracting(set).reduce(0) { $0 + (routing.evictCosts[$1] ?? 1) }
            if best == nil || cost < best!.cost { best = (cost, set) }
        }
        guard let best else { return others }
        return others.subtracting(best.set)
    }
}
