/// Proof that a request was admitted to a model: hold it while the request is in
/// flight and hand it back with ``ModelScheduler/release(_:)`` when the response ends.
///
/// Releasing twice is harmless; never releasing keeps the model busy forever (it will
/// not be swapped out or unloaded by its TTL).
public struct SchedulerLease: Hashable, Sendable {
    /// The model ID the request was admitted to.
    public let model: String
    /// The request's scheduler ID.
    public let id: RequestID
    /// What admitting the request did: started its model, stopped others first.
    public let effect: AdmissionEffect

    init(model: String, id: RequestID, effect: AdmissionEffect = AdmissionEffect()) {
        self.model = model
        self.id = id
        self.effect = effect
    }
}

/// What admitting one request did to the models: nothing (its model was ready), a start
/// of its model, or a swap (a start after stopping `evicted`).
public struct AdmissionEffect: Hashable, Sendable {
    /// Whether the request's arrival started its model.
    public var started = false
    /// The models stopped to make room for it, in the order they were stopped.
    public var evicted: [String] = []

    /// Nothing happened.
    public init(started: Bool = false, evicted: [String] = []) {
        self.started = started
        self.evicted = evicted
    }
}
