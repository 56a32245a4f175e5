/// Where one model's backend process is in its lifecycle, as `/running` and the UI
/// show it.
///
/// The normal cycle is stopped → starting → ready → stopping → stopped. A backend
/// that exits by itself, or never becomes ready, ends in ``failed(_:)``; the next
/// request starts it again.
public enum BackendState: Sendable, Hashable, CustomStringConvertible {
    /// No process.
    case stopped
    /// The process is spawned (or being spawned) and not yet ready.
    case starting
    /// The process answers its health check; requests can be proxied.
    case ready
    /// The process was asked to stop and has not exited yet.
    case stopping
    /// The process is gone after a failure; the message says what happened.
    case failed(String)

    /// `stopped`, `starting`, `ready`, `stopping` or `failed`, as `/running` reports it.
    public var name: String {
        switch self {
        case .stopped: "stopped"
        case .starting: "starting"
        case .ready: "ready"
        case .stopping: "stopping"
        case .failed: "failed"
        }
    }

    /// The name, and for a failure its message.
    public var description: String {
        if case .failed(let message) = self {
            return "failed: \(message)"
        }
        return name
    }
}
