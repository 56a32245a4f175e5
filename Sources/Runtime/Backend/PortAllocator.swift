import ConfigLang

/// Hands out `${PORT}` numbers and keeps a model's number for as long as the model
/// exists, so a reload that adds `a-new` does not renumber (and restart) `b-old`.
///
/// A new model gets its offline number (what llama-swap would assign) when no other
/// model holds it, else the lowest free number from `startPort`.
public struct PortAllocator: Sendable, Equatable {
    /// Model ID → port.
    public private(set) var assigned: [String: Int] = [:]

    /// Creates an empty allocator.
    public init() {}

    /// Assigns ports for every model of `plan` that uses `${PORT}`, keeping existing
    /// assignments and releasing those of models that are gone or no longer use a port.
    public mutating func update(for plan: Plan) {
        for id in assigned.keys where plan.models[id]?.port == nil { assigned[id] = nil }
        var taken = Set(assigned.values)
        for id in plan.models.keys.sorted() {
            guard assigned[id] == nil, let slot = plan.models[id]?.port else { continue }
            var port = slot.offline
            if taken.contains(port) {
                port = plan.settings.startPort
                while taken.contains(port) { port += 1 }
            }
            assigned[id] = port
            taken.insert(port)
        }
    }

    /// Moves `model` to the lowest port from `startPort` that no other model holds and
    /// `isFree` accepts (used when its port is taken by a process swap does not own).
    public mutating func move(_ model: String, startPort: Int, isFree: (Int) -> Bool) -> Int {
        let taken = Set(assigned.filter { $0.key != model }.values)
        var port = startPort
        while taken.contains(port) || !isFree(port) { port += 1 }
        assigned[model] = port
        return port
    }

    /// The port of a model, if it uses one.
    public func port(of model: String) -> Int? { assigned[model] }
}
