/// What one model is doing right now, as the scheduler sees it: for `/running`,
/// the UI and metrics.
public struct ModelActivity: Sendable, Equatable {
    /// The backend's lifecycle state as the scheduler tracks it.
    public enum State: String, Sendable, Equatable {
        /// Not running.
        case stopped
        /// Asked to start; not ready yet.
        case starting
        /// Serving requests.
        case ready
        /// Asked to stop; not gone yet.
        case stopping
    }

    /// The backend's state.
    public var state: State
    /// Requests admitted and not yet released.
    public var inFlight: Int
    /// Requests waiting for this model (to start, or for a swap or drain to finish).
    public var queued: Int
    /// When its `ttl` unloads it, if nothing arrives first: set while it is ready and
    /// idle with a `ttl`, nil otherwise.
    public var ttlDeadline: ContinuousClock.Instant?

    /// Creates an activity record.
    public init(state: State, inFlight: Int, queued: Int, ttlDeadline: ContinuousClock.Instant? = nil) {
        self.state = state
        self.inFlight = inFlight
        self.queued = queued
        self.ttlDeadline = ttlDeadline
    }
}
