/// Whether a request whose upstream exchange failed before an answer is sent again.
///
/// A backend that died a moment ago may still look ready (its exit is noticed
/// asynchronously); a request whose body can be sent again is then retried, after a
/// short pause in which the backend pool sees the exit and starts the backend again. A
/// backend that is only slow to answer (no response head within
/// `timeouts.responseHeader`) is not asked twice, and a streamed body cannot be sent
/// again.
struct ForwardRetry: Sendable {
    /// What to do after a failed attempt.
    enum Decision: Equatable, Sendable {
        /// Send the request again after `delay`.
        case retry(after: Duration)
        /// Give up: the client gets the failure.
        case giveUp
    }

    /// How many attempts a request gets.
    let attempts: Int
    /// The attempt in progress, from 1.
    private(set) var attempt = 1

    /// The retry rule of a request whose body is `replayable` or not.
    init(replayable: Bool) {
        attempts = replayable ? 3 : 1
    }

    /// The attempt in progress failed with `error`.
    mutating func failed(_ error: any Error) -> Decision {
        if case UpstreamError.responseHeaderTimeout = error { return .giveUp }
        if error is CancellationError { return .giveUp }
        guard attempt < attempts else { return .giveUp }
        defer { attempt += 1 }
        return .retry(after: .milliseconds(50 * attempt))
    }
}
