/// Why a request to a backend failed in ``UpstreamConnectionPool``.
public enum UpstreamError: Error, CustomStringConvertible, Sendable {
    /// The backend closed the connection before the response ended.
    case closed
    /// The pool was shut down.
    case shutDown
    /// No response head within the model's or peer's `timeouts.responseHeader` seconds.
    case responseHeaderTimeout(seconds: Int)

    /// What went wrong, for error messages.
    public var description: String {
        switch self {
        case .closed: "the backend closed the connection before its response ended"
        case .shutDown: "swap-server is shutting down"
        case .responseHeaderTimeout(let seconds):
            "the backend sent no response within \(seconds) s (`timeouts.responseHeader`)"
        }
    }
}
