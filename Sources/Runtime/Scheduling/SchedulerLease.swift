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

    init(model: String, id: RequestID) {
        self.model = model
        self.id = id
    }
}
