/// What happened to a model's backend, for whoever counts it (the metrics).
public enum BackendEvent: Sendable, Equatable {
    /// A start became ready after `duration` (from spawn to the first good health check).
    case loaded(model: String, duration: Duration)
    /// A start did not become ready (spawn failed, exited, timed out or was stopped).
    case loadFailed(model: String)
    /// A ready process exited on its own.
    case crashed(model: String)
    /// A running process was stopped (or, for `crash`, died) for `reason`.
    case unloaded(model: String, reason: UnloadReason)
}

/// Receives backend events; called on the backend's actor, so it must not block.
public typealias BackendEvents = @Sendable (BackendEvent) -> Void
